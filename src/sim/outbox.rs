//! The tick's events on their way out: `trace` logs everyone's position once
//! per trace interval and `close_tick` orders the tick's events by
//! (shopper, emission order), numbers them and advances the clock.

use super::shopper::{Shopper, update_zone};
use super::{RunState, TickState};
use crate::events::{Action, SimEvent};

/// Events of the tick under way, and those of finished ticks in `seq` order.
#[derive(Default)]
pub(super) struct Outbox {
    pub(super) tick: Vec<SimEvent>,
    pub(super) ready: Vec<SimEvent>,
    next_seq: u64,
}

impl Outbox {
    pub(super) fn emit(&mut self, t_ms: u64, s: &Shopper, action: Action) {
        // For zone events `s.zone` is the zone entered or (still) being left.
        self.tick.push(SimEvent {
            seq: 0,
            t_ms,
            shopper: s.index,
            x: s.pos.x as f32,
            y: s.pos.y as f32,
            floor: s.floor,
            zone: s.zone,
            action,
        });
    }

    /// Orders the tick's events by shopper (stable, so each shopper's own
    /// events keep their emission order) and numbers them.
    pub(super) fn flush_tick(&mut self) {
        let mut tick = std::mem::take(&mut self.tick);
        tick.sort_by_key(|e| e.shopper);
        for mut e in tick.drain(..) {
            e.seq = self.next_seq;
            self.next_seq += 1;
            self.ready.push(e);
        }
        self.tick = tick;
    }
}

/// A `move` for everyone on the floor once per trace interval.
pub(super) fn trace(tick: &mut TickState) {
    let TickState { setting, shoppers, state } = tick;
    let RunState { clock, out, .. } = &mut **state;
    let mut shoppers = shoppers.p0();
    if !clock.t_ms.is_multiple_of(setting.scenario.run.trace_interval_ms) {
        return;
    }
    // Riders are between floors: their next position is where they step off.
    for mut s in &mut shoppers {
        if s.solidity().is_some() {
            // A zone change held back by the minimum dwell is logged by now.
            update_zone(&setting.store, out, clock.t_ms, &mut s);
            out.emit(clock.t_ms, &s, Action::Move);
        }
    }
}

pub(super) fn close_tick(tick: &mut TickState) {
    let TickState { setting, state, .. } = tick;
    let RunState { clock, out, .. } = &mut **state;
    out.flush_tick();
    clock.tick += 1;
    clock.t_ms = clock.tick * setting.scenario.run.tick_ms;
}

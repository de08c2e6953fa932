//! Side-panel contents: each side's figures folded up to the clock, and
//! the selected shopper's history; the selected shopper's path in 3D.

use aisle::events::Action;
use bevy::prelude::*;
use bevy_egui::egui::{self, RichText, Ui};
use egui_plot::{Bar, BarChart, Plot};

use crate::frame::layer;
use crate::palette;
use crate::scene::{self, Kit};
use crate::state::{SideView, Viewer, clock_text};

fn money(cents: i64) -> String {
    format!("{:.2}", cents as f64 / 100.0)
}

/// The live panel of one side: in store now, conversion, revenue, queues.
pub fn figures(ui: &mut Ui, sv: &SideView) {
    let s = &sv.side;
    ui.heading(format!("{} · seed {}", s.variant, s.seed));
    let Some(f) = sv.fold.latest() else {
        ui.label("folding…");
        return;
    };
    let m = &f.metrics;
    // The catalogue's figures, as the report defines them; "—" while undefined.
    let figure =
        |name: &str, shown: &dyn Fn(f64) -> String| m.figure(name).filter(|v| v.is_finite()).map_or("—".into(), shown);
    let percent = |v: f64| format!("{:.1}%", 100.0 * v);
    let seconds = |v: f64| format!("{v:.0} s");
    egui::Grid::new(("figures", s.variant.as_str())).num_columns(2).show(ui, |ui| {
        let mut row = |k: &str, val: String| {
            ui.label(k);
            ui.label(RichText::new(val).monospace());
            ui.end_row();
        };
        row("in store now", sv.now.len().to_string());
        row("visitors so far", m.visitors.to_string());
        row("conversion", figure("conversion_rate", &percent));
        row("revenue", money(m.revenue_cents));
        row("checkout wait (mean)", figure("queue_wait_mean", &seconds));
        row("  of it waiting in line", figure("line_wait_mean", &seconds));
        row("abandons", format!("{} (lost {})", m.abandons, money(m.lost_cents)));
        row("not found", format!("{} (lost {})", m.not_found, money(m.not_found_cents)));
    });
    ui.label("queue lengths now");
    ui.horizontal_wrapped(|ui| {
        for (lane, q) in s.layout.lanes.iter().zip(&sv.queues) {
            ui.label(RichText::new(format!("{lane}: {}", q.len())).monospace());
        }
    });
    let open = s.layout.open_hour;
    let bars: Vec<Bar> = m
        .hourly_visitors
        .iter()
        .enumerate()
        .map(|(h, n)| Bar::new(open + h as f64 + 0.5, *n as f64).width(0.9))
        .collect();
    Plot::new(("hourly", s.variant.as_str()))
        .height(90.0)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .show(ui, |p| p.bar_chart(BarChart::new("visitors by hour", bars)));
}

/// The selected shopper's events, up to the clock in bold.
pub fn selection(ui: &mut Ui, v: &mut Viewer) {
    let Some(shopper) = v.selected else {
        ui.label("Click a shopper to see its events and path.");
        return;
    };
    ui.heading(format!("Shopper {shopper}"));
    let now = v.clock.at();
    let sv = &v.sides[0];
    let l = &sv.side.layout;
    let p = sv.side.playback.read().expect("playback lock");
    let (mut planned, mut impulse) = (0u32, 0u32);
    egui::Grid::new("history").num_columns(3).striped(true).show(ui, |ui| {
        for e in p.events_of(shopper).filter(|e| !matches!(e.action, Action::Move)) {
            let product = |i: u32| l.product_names.get(i as usize).cloned().unwrap_or_else(|| format!("#{i}"));
            let lane = |i: u16| l.lanes.get(i as usize).cloned().unwrap_or_else(|| format!("#{i}"));
            let counter = |i: u16| l.counters.get(i as usize).cloned().unwrap_or_else(|| format!("#{i}"));
            let fixture = |i: u16| l.stop_slot(i).map_or_else(|| format!("#{i}"), |k| l.stop_fixtures[k].1.clone());
            let zone = || e.zone.and_then(|z| l.zone_names.get(z as usize).cloned()).unwrap_or_default();
            let what = match e.action {
                Action::Enter { party } if party != e.shopper => format!("with party of {party}"),
                Action::Enter { .. } | Action::Exit | Action::Move => String::new(),
                Action::ZoneEnter | Action::ZoneExit => zone(),
                Action::View { product: x } | Action::AtShelf { product: x } => product(x),
                Action::Pick { product: x, qty, amount_cents, planned: pl } => {
                    if pl {
                        planned += 1
                    } else {
                        impulse += 1
                    }
                    format!("{} ×{qty} {} {}", product(x), money(amount_cents), if pl { "planned" } else { "impulse" })
                }
                Action::PutBack { product: x, qty, .. } => format!("{} ×{qty}", product(x)),
                Action::NotFound { product: x, .. } => product(x),
                Action::QueueJoin { lane: x } | Action::Serve { lane: x } => lane(x),
                Action::Checkout { lane: x, qty, amount_cents } | Action::Abandon { lane: x, qty, amount_cents } => {
                    format!("{} {qty} items {}", lane(x), money(amount_cents))
                }
                Action::CounterJoin { counter: x } | Action::CounterServe { counter: x } => counter(x),
                Action::StopStart { fixture: x } | Action::StopEnd { fixture: x } => fixture(x),
                Action::CounterDone { counter: x, qty, amount_cents }
                | Action::CounterLeave { counter: x, qty, amount_cents } => {
                    format!("{} {qty} items {}", counter(x), money(amount_cents))
                }
            };
            let past = now.is_some_and(|t| e.t_ms <= t);
            let text = |s: String| if past { RichText::new(s).strong() } else { RichText::new(s).weak() };
            ui.label(text(clock_text(l.open_hour, e.t_ms as f64)));
            ui.label(text(e.action.kind().to_owned()));
            ui.label(text(what));
            ui.end_row();
        }
    });
    ui.label(format!("basket picks: {planned} planned, {impulse} impulse"));
}

/// Draws the selected shopper's whole path on each side (the same shopper
/// in both: common random numbers make it the same person).
pub fn update_paths(
    mut commands: Commands,
    mut v: ResMut<Viewer>,
    mut kit: ResMut<Kit>,
    mut meshes: ResMut<Assets<Mesh>>,
    mut materials: ResMut<Assets<StandardMaterial>>,
    mut shown: Local<Option<(Option<u32>, crate::args::View, Vec<Option<Entity>>)>>,
) {
    let key = (v.selected, v.view, v.sides.iter().map(|s| s.root).collect::<Vec<_>>());
    if shown.as_ref() == Some(&key) {
        return;
    }
    *shown = Some(key);
    let selected = v.selected;
    let view = v.view;
    for (i, sv) in v.sides.iter_mut().enumerate() {
        if let Some(e) = sv.path.take() {
            commands.entity(e).despawn();
        }
        let (Some(s), Some(root)) = (selected, sv.root) else { continue };
        let floors = &sv.side.prepared.scenario.store.floors;
        let p = sv.side.playback.read().expect("playback lock");
        let pts: Vec<Vec3> = p
            .events_of(s)
            .map(|e| {
                scene::world(e.x as f64, e.y as f64, floors.get(e.floor as usize).map_or(0.0, |f| f.elevation) + 0.06)
                    + sv.floor_offset(view, e.floor)
            })
            .collect();
        drop(p);
        if pts.len() < 2 {
            continue;
        }
        let segments = pts.windows(2).flat_map(|w| [w[0], w[1]]).collect();
        let mesh = meshes.add(scene::lines(segments));
        let material = kit.material(&mut materials, palette::PATH, 255);
        sv.path = Some(
            commands.spawn((Mesh3d(mesh), MeshMaterial3d(material), Transform::IDENTITY, layer(i), ChildOf(root))).id(),
        );
    }
}

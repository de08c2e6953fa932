//! Projections: every reported number is a fold over `SimEvent`s. The same
//! code consumes the live stream of a run and a log read back from Parquet.

pub mod catalogue;
pub mod day;
pub mod directions;
pub mod facts;
pub mod freeze;
pub mod layout;
pub mod stall;

use crate::events::SimEvent;
pub use day::{DayMetrics, DayProjection, Metric};
pub use layout::Layout;

/// A fold over the event stream, one event at a time.
pub trait Projection {
    fn observe(&mut self, event: &SimEvent);

    fn observe_all(&mut self, events: &[SimEvent]) {
        for e in events {
            self.observe(e);
        }
    }
}

//! Projections: every reported number is a fold over `SimEvent`s. The same
//! code consumes the live stream of a run and a log read back from Parquet.

use crate::events::{Action, SimEvent};

/// A fold over the event stream, one event at a time.
pub trait Projection {
    fn observe(&mut self, event: &SimEvent);

    fn observe_all(&mut self, events: &[SimEvent]) {
        for e in events {
            self.observe(e);
        }
    }
}

/// The headline figures of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Traffic: shoppers who entered.
    pub visitors: u64,
    /// Shoppers who left.
    pub exits: u64,
    /// Completed checkouts.
    pub transactions: u64,
    /// Sum of checkout amounts, cents.
    pub revenue_cents: i64,
    /// Events observed.
    pub events: u64,
}

impl Projection for Summary {
    fn observe(&mut self, e: &SimEvent) {
        self.events += 1;
        match e.action {
            Action::Enter => self.visitors += 1,
            Action::Exit => self.exits += 1,
            Action::Checkout { amount_cents, .. } => {
                self.transactions += 1;
                self.revenue_cents += amount_cents;
            }
            _ => {}
        }
    }
}

impl Summary {
    /// Conversion rate: transactions per visitor.
    pub fn conversion(&self) -> f64 {
        if self.visitors == 0 {
            0.0
        } else {
            self.transactions as f64 / self.visitors as f64
        }
    }
}

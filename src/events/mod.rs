//! The event vocabulary (`SimEvent`), the Parquet log (schema v5) and the
//! dataset around it. Only this module knows the Parquet schema.

pub mod dataset;
pub mod fs;
pub mod metrics_table;
pub mod parquet;

/// Everything that happens in a run, one row of the event log.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimEvent {
    /// Total order within the run: (tick, shopper, emission order).
    pub seq: u64,
    /// Milliseconds since opening.
    pub t_ms: u64,
    /// Shopper index within the run (pseudonymous).
    pub shopper: u32,
    pub x: f32,
    pub y: f32,
    pub floor: u8,
    /// The zone the shopper is in (for zone events: the zone entered or left).
    pub zone: Option<u16>,
    pub action: Action,
}

/// What happened, with the fields each kind needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Came in, as one of a shopping party led by shopper `party` (its own
    /// index when shopping alone or leading; schema v3, earlier logs read
    /// as alone).
    Enter {
        party: u32,
    },
    /// A position sample, once per trace interval.
    Move,
    ZoneEnter,
    ZoneExit,
    View {
        product: u32,
    },
    Pick {
        product: u32,
        qty: u16,
        amount_cents: i64,
        planned: bool,
    },
    PutBack {
        product: u32,
        qty: u16,
        amount_cents: i64,
    },
    /// Joined lane `lane`'s line; logged again on moving to a shorter line
    /// (jockeying), where the wait goes on from the first.
    QueueJoin {
        lane: u16,
    },
    Checkout {
        lane: u16,
        qty: u16,
        amount_cents: i64,
    },
    /// Left the queue without paying; the basket is lost.
    Abandon {
        lane: u16,
        qty: u16,
        amount_cents: i64,
    },
    Exit,
    /// A planned product looked for at its shelf and not found in time, or
    /// out of reach (no shelf the shopper can walk to, its counter closed;
    /// logged where it gives up): a
    /// lost sale of `qty` worth `amount_cents` (schema v2).
    NotFound {
        product: u32,
        qty: u16,
        amount_cents: i64,
    },
    /// Reached a shelf of `product` and began to stand there: to look for
    /// a planned product, take one noticed on the way, or look closely at
    /// one (schema v4). The visit ends in `pick`, `not_found` or, for a
    /// product looked at that does not tempt, nothing.
    AtShelf {
        product: u32,
    },
    /// Its turn at a lane has come: a till or a self-service terminal
    /// begins to serve it; `checkout` follows when service ends, so the
    /// wait in line and the service are told apart (schema v4).
    Serve {
        lane: u16,
    },
    /// Joined the line of service counter `counter` mid-visit, to be
    /// served the products on the list that it sells (schema v5, in the
    /// `counter` column).
    CounterJoin {
        counter: u16,
    },
    /// Its turn at the counter has come: service begins (schema v5).
    CounterServe {
        counter: u16,
    },
    /// Served: `qty` products worth `amount_cents` handed over, each then
    /// logged as a planned `pick` (schema v5).
    CounterDone {
        counter: u16,
        qty: u16,
        amount_cents: i64,
    },
    /// Gave up at the counter (the line looked too long, patience ran out
    /// in it, or the counter closed on the way): `qty` products worth
    /// `amount_cents` are not bought, and the shopper shops on (schema v5).
    CounterLeave {
        counter: u16,
        qty: u16,
        amount_cents: i64,
    },
    /// Began a stop at seating or a fitting room, fixture `fixture` (its
    /// index in the scenario), to spend time there without buying (schema
    /// v5, in the `fixture` column).
    StopStart {
        fixture: u16,
    },
    /// The stop is over and the shopper shops on (schema v5).
    StopEnd {
        fixture: u16,
    },
}

/// Kind names as written in the log, indexed by `Kind as usize`.
pub const KIND_NAMES: [&str; 20] = [
    "enter",
    "move",
    "zone_enter",
    "zone_exit",
    "view",
    "pick",
    "put_back",
    "queue_join",
    "checkout",
    "abandon",
    "exit",
    "not_found",
    "at_shelf",
    "serve",
    "counter_join",
    "counter_serve",
    "counter_done",
    "counter_leave",
    "stop_start",
    "stop_end",
];

impl Action {
    pub fn kind_index(&self) -> usize {
        match self {
            Action::Enter { .. } => 0,
            Action::Move => 1,
            Action::ZoneEnter => 2,
            Action::ZoneExit => 3,
            Action::View { .. } => 4,
            Action::Pick { .. } => 5,
            Action::PutBack { .. } => 6,
            Action::QueueJoin { .. } => 7,
            Action::Checkout { .. } => 8,
            Action::Abandon { .. } => 9,
            Action::Exit => 10,
            Action::NotFound { .. } => 11,
            Action::AtShelf { .. } => 12,
            Action::Serve { .. } => 13,
            Action::CounterJoin { .. } => 14,
            Action::CounterServe { .. } => 15,
            Action::CounterDone { .. } => 16,
            Action::CounterLeave { .. } => 17,
            Action::StopStart { .. } => 18,
            Action::StopEnd { .. } => 19,
        }
    }

    pub fn kind(&self) -> &'static str {
        KIND_NAMES[self.kind_index()]
    }

    pub fn product(&self) -> Option<u32> {
        match *self {
            Action::View { product }
            | Action::AtShelf { product }
            | Action::Pick { product, .. }
            | Action::PutBack { product, .. }
            | Action::NotFound { product, .. } => Some(product),
            _ => None,
        }
    }

    pub fn lane(&self) -> Option<u16> {
        match *self {
            Action::QueueJoin { lane }
            | Action::Serve { lane }
            | Action::Checkout { lane, .. }
            | Action::Abandon { lane, .. } => Some(lane),
            _ => None,
        }
    }

    /// The fixture of a `stop_*` event.
    pub fn fixture(&self) -> Option<u16> {
        match *self {
            Action::StopStart { fixture } | Action::StopEnd { fixture } => Some(fixture),
            _ => None,
        }
    }

    /// The service counter of a `counter_*` event.
    pub fn counter(&self) -> Option<u16> {
        match *self {
            Action::CounterJoin { counter }
            | Action::CounterServe { counter }
            | Action::CounterDone { counter, .. }
            | Action::CounterLeave { counter, .. } => Some(counter),
            _ => None,
        }
    }

    pub fn qty(&self) -> Option<u16> {
        match *self {
            Action::Pick { qty, .. }
            | Action::PutBack { qty, .. }
            | Action::Checkout { qty, .. }
            | Action::Abandon { qty, .. }
            | Action::CounterDone { qty, .. }
            | Action::CounterLeave { qty, .. }
            | Action::NotFound { qty, .. } => Some(qty),
            _ => None,
        }
    }

    pub fn amount_cents(&self) -> Option<i64> {
        match *self {
            Action::Pick { amount_cents, .. }
            | Action::PutBack { amount_cents, .. }
            | Action::Checkout { amount_cents, .. }
            | Action::Abandon { amount_cents, .. }
            | Action::CounterDone { amount_cents, .. }
            | Action::CounterLeave { amount_cents, .. }
            | Action::NotFound { amount_cents, .. } => Some(amount_cents),
            _ => None,
        }
    }

    pub fn party(&self) -> Option<u32> {
        match *self {
            Action::Enter { party } => Some(party),
            _ => None,
        }
    }

    pub fn planned(&self) -> Option<bool> {
        match *self {
            Action::Pick { planned, .. } => Some(planned),
            _ => None,
        }
    }
}

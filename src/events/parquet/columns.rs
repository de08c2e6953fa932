//! Events into the log's Arrow columns (the writing side of
//! `events::parquet`; `decode_batch` there is the reading side).

use std::sync::Arc;

use arrow_array::types::{Int64Type, UInt16Type, UInt32Type};
use arrow_array::{
    ArrayRef, ArrowPrimitiveType, BooleanArray, DictionaryArray, Float32Array, PrimitiveArray, RecordBatch,
    StringArray, UInt8Array, UInt32Array, UInt64Array,
};
use arrow_buffer::{BooleanBuffer, BooleanBufferBuilder, NullBuffer};

use super::schema;
use crate::events::{Action, KIND_NAMES, SimEvent};

/// Builds one Arrow batch in the current schema from events.
pub fn to_batch(events: &[SimEvent]) -> RecordBatch {
    let mut columns = Columns::with_capacity(events.len());
    columns.append(events);
    columns.take_batch()
}

/// The columns of the next batch, filled as events arrive straight into
/// plain vectors (arrow's builders, a call per value, cost the writer
/// thread a quarter of its time).
pub(super) struct Columns {
    seq: Vec<u64>,
    t_ms: Vec<u64>,
    shopper: Vec<u32>,
    kind: Vec<u8>,
    x: Vec<f32>,
    y: Vec<f32>,
    floor: Vec<u8>,
    zone: Nullable<u16>,
    product: Nullable<u32>,
    lane: Nullable<u16>,
    qty: Nullable<u16>,
    amount_cents: Nullable<i64>,
    planned: Nullable<bool>,
    party: Nullable<u32>,
    fixture: Nullable<u16>,
    counter: Nullable<u16>,
}

impl Columns {
    pub(super) fn with_capacity(n: usize) -> Columns {
        Columns {
            seq: Vec::with_capacity(n),
            t_ms: Vec::with_capacity(n),
            shopper: Vec::with_capacity(n),
            kind: Vec::with_capacity(n),
            x: Vec::with_capacity(n),
            y: Vec::with_capacity(n),
            floor: Vec::with_capacity(n),
            zone: Nullable::with_capacity(n),
            product: Nullable::with_capacity(n),
            lane: Nullable::with_capacity(n),
            qty: Nullable::with_capacity(n),
            amount_cents: Nullable::with_capacity(n),
            planned: Nullable::with_capacity(n),
            party: Nullable::with_capacity(n),
            fixture: Nullable::with_capacity(n),
            counter: Nullable::with_capacity(n),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.seq.len()
    }

    /// Appends `events` column by column: a chunk stays in cache across the
    /// passes, and each pass is a tight loop. The columns of an action's
    /// payload start null and are filled in one pass over the events that
    /// carry one (most events are plain moves).
    pub(super) fn append(&mut self, events: &[SimEvent]) {
        let first = self.len();
        self.seq.extend(events.iter().map(|e| e.seq));
        self.t_ms.extend(events.iter().map(|e| e.t_ms));
        self.shopper.extend(events.iter().map(|e| e.shopper));
        self.kind.extend(events.iter().map(|e| e.action.kind_index() as u8));
        self.x.extend(events.iter().map(|e| e.x));
        self.y.extend(events.iter().map(|e| e.y));
        self.floor.extend(events.iter().map(|e| e.floor));
        self.zone.extend(events, |e| e.zone);
        let n = events.len();
        self.product.extend_null(n);
        self.lane.extend_null(n);
        self.qty.extend_null(n);
        self.amount_cents.extend_null(n);
        self.planned.extend_null(n);
        self.party.extend_null(n);
        self.fixture.extend_null(n);
        self.counter.extend_null(n);
        for (i, e) in events.iter().enumerate() {
            if matches!(e.action, Action::Move) {
                continue;
            }
            let row = first + i;
            let a = &e.action;
            self.product.set(row, a.product());
            self.lane.set(row, a.lane());
            self.qty.set(row, a.qty());
            self.amount_cents.set(row, a.amount_cents());
            self.planned.set(row, a.planned());
            self.party.set(row, a.party());
            self.fixture.set(row, a.fixture());
            self.counter.set(row, a.counter());
        }
    }

    /// The batch of the events appended so far; the columns start empty again.
    pub(super) fn take_batch(&mut self) -> RecordBatch {
        let n = self.len();
        let mut c = std::mem::replace(self, Columns::with_capacity(n));
        let planned = BooleanArray::new(BooleanBuffer::from(&c.planned.values[..]), c.planned.take_nulls());
        let columns: Vec<ArrayRef> = vec![
            Arc::new(UInt64Array::from(c.seq)),
            Arc::new(UInt64Array::from(c.t_ms)),
            Arc::new(UInt32Array::from(c.shopper)),
            // Every kind is in the dictionary, in a fixed order, so batches agree.
            Arc::new(DictionaryArray::new(UInt8Array::from(c.kind), Arc::new(StringArray::from(KIND_NAMES.to_vec())))),
            Arc::new(Float32Array::from(c.x)),
            Arc::new(Float32Array::from(c.y)),
            Arc::new(UInt8Array::from(c.floor)),
            Arc::new(c.zone.finish::<UInt16Type>()),
            Arc::new(c.product.finish::<UInt32Type>()),
            Arc::new(c.lane.finish::<UInt16Type>()),
            Arc::new(c.qty.finish::<UInt16Type>()),
            Arc::new(c.amount_cents.finish::<Int64Type>()),
            Arc::new(planned),
            Arc::new(c.party.finish::<UInt32Type>()),
            Arc::new(c.fixture.finish::<UInt16Type>()),
            Arc::new(c.counter.finish::<UInt16Type>()),
        ];
        RecordBatch::try_new(schema(), columns).expect("columns match the schema")
    }
}

/// A column some events have: their values (a default where they have
/// none) and whether each has one.
struct Nullable<T> {
    values: Vec<T>,
    valid: BooleanBufferBuilder,
}

impl<T: Default + Clone> Nullable<T> {
    fn with_capacity(n: usize) -> Self {
        Nullable { values: Vec::with_capacity(n), valid: BooleanBufferBuilder::new(n) }
    }

    /// One value per event, `None` for those without.
    fn extend(&mut self, events: &[SimEvent], f: impl Fn(&SimEvent) -> Option<T>) {
        self.values.extend(events.iter().map(|e| f(e).unwrap_or_default()));
        for e in events {
            self.valid.append(f(e).is_some());
        }
    }

    /// `n` events without a value, to be given theirs by `set`.
    fn extend_null(&mut self, n: usize) {
        self.values.resize(self.values.len() + n, T::default());
        self.valid.append_n(n, false);
    }

    fn set(&mut self, row: usize, value: Option<T>) {
        if let Some(v) = value {
            self.values[row] = v;
            self.valid.set_bit(row, true);
        }
    }

    /// Which events have a value, or `None` when all do; the bits are
    /// taken (the builder starts empty again).
    fn take_nulls(&mut self) -> Option<NullBuffer> {
        Some(NullBuffer::new(self.valid.finish())).filter(|n| n.null_count() > 0)
    }

    fn finish<P: ArrowPrimitiveType<Native = T>>(mut self) -> PrimitiveArray<P>
    where
        T: arrow_buffer::ArrowNativeType,
    {
        let nulls = self.take_nulls();
        PrimitiveArray::new(self.values.into(), nulls)
    }
}

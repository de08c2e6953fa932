//! Events into the log's Arrow columns (the writing side of
//! `events::parquet`; `decode_batch` there is the reading side).

use std::sync::Arc;

use arrow_array::types::{Int64Type, UInt16Type, UInt32Type};
use arrow_array::{
    ArrayRef, ArrowPrimitiveType, BooleanArray, DictionaryArray, Float32Array, PrimitiveArray, RecordBatch,
    StringArray, UInt8Array, UInt32Array, UInt64Array,
};
use arrow_buffer::{BooleanBuffer, NullBuffer};

use super::schema;
use crate::events::{KIND_NAMES, SimEvent};

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
    /// passes, and each pass is a tight loop.
    pub(super) fn append(&mut self, events: &[SimEvent]) {
        self.seq.extend(events.iter().map(|e| e.seq));
        self.t_ms.extend(events.iter().map(|e| e.t_ms));
        self.shopper.extend(events.iter().map(|e| e.shopper));
        self.kind.extend(events.iter().map(|e| e.action.kind_index() as u8));
        self.x.extend(events.iter().map(|e| e.x));
        self.y.extend(events.iter().map(|e| e.y));
        self.floor.extend(events.iter().map(|e| e.floor));
        self.zone.extend(events, |e| e.zone);
        self.product.extend(events, |e| e.action.product());
        self.lane.extend(events, |e| e.action.lane());
        self.qty.extend(events, |e| e.action.qty());
        self.amount_cents.extend(events, |e| e.action.amount_cents());
        self.planned.extend(events, |e| e.action.planned());
        self.party.extend(events, |e| e.action.party());
        self.fixture.extend(events, |e| e.action.fixture());
        self.counter.extend(events, |e| e.action.counter());
    }

    /// The batch of the events appended so far; the columns start empty again.
    pub(super) fn take_batch(&mut self) -> RecordBatch {
        let n = self.len();
        let c = std::mem::replace(self, Columns::with_capacity(n));
        let planned = BooleanArray::new(BooleanBuffer::from(&c.planned.values[..]), c.planned.nulls());
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
    valid: Vec<bool>,
}

impl<T: Default> Nullable<T> {
    fn with_capacity(n: usize) -> Self {
        Nullable { values: Vec::with_capacity(n), valid: Vec::with_capacity(n) }
    }

    fn extend(&mut self, events: &[SimEvent], f: impl Fn(&SimEvent) -> Option<T>) {
        self.valid.extend(events.iter().map(|e| f(e).is_some()));
        self.values.extend(events.iter().map(|e| f(e).unwrap_or_default()));
    }

    /// Which events have a value, or `None` when all do.
    fn nulls(&self) -> Option<NullBuffer> {
        Some(NullBuffer::new(BooleanBuffer::from(&self.valid[..]))).filter(|n| n.null_count() > 0)
    }

    fn finish<P: ArrowPrimitiveType<Native = T>>(self) -> PrimitiveArray<P>
    where
        T: arrow_buffer::ArrowNativeType,
    {
        let nulls = self.nulls();
        PrimitiveArray::new(self.values.into(), nulls)
    }
}

//! Parquet event log, schema v5: writer (on its own thread, atomic) and
//! reader (back into `SimEvent`s, with a clear error for a malformed row).

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float32Type, Int64Type, UInt8Type, UInt16Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, Encoding};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;

mod columns;
mod encode;

use super::fs::{atomic_temp_path, sync_and_rename};
use super::{Action, KIND_NAMES, SimEvent};
use columns::Columns;
pub use columns::to_batch;
use encode::Encoder;

/// v2 added the `not_found` kind, v3 the `party` column (on `enter`), v4
/// the `at_shelf` and `serve` kinds, v5 the service counters' `counter_*`
/// kinds with the `counter` column and `aisle.counters`,
/// the `stop_start` and `stop_end` kinds and the `fixture` column.
pub const SCHEMA_VERSION: u32 = 5;
const BATCH_ROWS: usize = 64 * 1024;
/// Rows per batch read back: small enough that a batch of `SimEvent`s stays in
/// cache while a projection folds it.
const READ_BATCH_ROWS: usize = 16 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: {source}", path.display())]
    Parquet { path: PathBuf, source: parquet::errors::ParquetError },
    #[error("{}: {message}", path.display())]
    Format { path: PathBuf, message: String },
    #[error("the event log writer thread stopped unexpectedly")]
    WriterGone,
    #[error("{}: the run stopped before its log was complete; nothing was written", path.display())]
    Interrupted { path: PathBuf },
}

/// What a log says about itself (Parquet key-value metadata).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogMeta {
    pub schema_version: u32,
    pub aisle_version: String,
    pub scenario: String,
    pub scenario_sha256: String,
    pub variant: String,
    pub seed: u64,
    pub tick_ms: u64,
    pub zones: Vec<String>,
    pub products: Vec<String>,
    pub lanes: Vec<String>,
    /// Service counters (schema v5; none in older logs).
    pub counters: Vec<String>,
    pub floors: Vec<String>,
}

impl LogMeta {
    fn to_key_values(&self) -> Vec<KeyValue> {
        let json = |v: &Vec<String>| serde_json::to_string(v).expect("strings serialise");
        [
            ("aisle.schema_version", self.schema_version.to_string()),
            ("aisle.version", self.aisle_version.clone()),
            ("aisle.scenario", self.scenario.clone()),
            ("aisle.scenario_sha256", self.scenario_sha256.clone()),
            ("aisle.variant", self.variant.clone()),
            ("aisle.seed", self.seed.to_string()),
            ("aisle.tick_ms", self.tick_ms.to_string()),
            ("aisle.zones", json(&self.zones)),
            ("aisle.products", json(&self.products)),
            ("aisle.lanes", json(&self.lanes)),
            ("aisle.counters", json(&self.counters)),
            ("aisle.floors", json(&self.floors)),
        ]
        .into_iter()
        .map(|(k, v)| KeyValue::new(k.to_owned(), v))
        .collect()
    }

    fn from_key_values(kv: &BTreeMap<String, String>) -> Result<LogMeta, String> {
        let get =
            |k: &str| kv.get(k).cloned().ok_or_else(|| format!("missing metadata key `{k}`: not an aisle event log"));
        let num =
            |k: &str| -> Result<u64, String> { get(k)?.parse().map_err(|_| format!("metadata `{k}` is not a number")) };
        let list = |k: &str| -> Result<Vec<String>, String> {
            serde_json::from_str(&get(k)?).map_err(|e| format!("metadata `{k}`: {e}"))
        };
        Ok(LogMeta {
            schema_version: num("aisle.schema_version")? as u32,
            aisle_version: get("aisle.version")?,
            scenario: get("aisle.scenario")?,
            scenario_sha256: get("aisle.scenario_sha256")?,
            variant: get("aisle.variant")?,
            seed: num("aisle.seed")?,
            tick_ms: num("aisle.tick_ms")?,
            zones: list("aisle.zones")?,
            products: list("aisle.products")?,
            lanes: list("aisle.lanes")?,
            counters: if kv.contains_key("aisle.counters") { list("aisle.counters")? } else { Vec::new() },
            floors: list("aisle.floors")?,
        })
    }
}

pub fn schema() -> SchemaRef {
    let dict = DataType::Dictionary(Box::new(DataType::UInt8), Box::new(DataType::Utf8));
    Arc::new(Schema::new(vec![
        Field::new("seq", DataType::UInt64, false),
        Field::new("t_ms", DataType::UInt64, false),
        Field::new("shopper", DataType::UInt32, false),
        Field::new("kind", dict, false),
        Field::new("x", DataType::Float32, false),
        Field::new("y", DataType::Float32, false),
        Field::new("floor", DataType::UInt8, false),
        Field::new("zone", DataType::UInt16, true),
        Field::new("product", DataType::UInt32, true),
        Field::new("lane", DataType::UInt16, true),
        Field::new("qty", DataType::UInt16, true),
        Field::new("amount_cents", DataType::Int64, true),
        Field::new("planned", DataType::Boolean, true),
        Field::new("party", DataType::UInt32, true),
        Field::new("fixture", DataType::UInt16, true),
        Field::new("counter", DataType::UInt16, true),
    ]))
}

/// Summary of a finished log file.
#[derive(Debug, Clone, PartialEq)]
pub struct WrittenLog {
    pub path: PathBuf,
    pub rows: u64,
    pub bytes: u64,
}

/// Writes events to a Parquet file on a background thread. Nothing appears
/// at `path` until `finish` succeeds: rows go to a temporary file that is
/// synced and renamed into place.
pub struct LogWriter {
    /// The next batch's columns, filled on the caller's thread: the writer
    /// thread only encodes.
    pending: Columns,
    sender: Option<SyncSender<ToWriter>>,
    thread: Option<JoinHandle<Result<WrittenLog, LogError>>>,
}

impl LogWriter {
    pub fn create(path: &Path, meta: &LogMeta) -> Result<LogWriter, LogError> {
        let tmp = atomic_temp_path(path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| LogError::Io { path: dir.to_owned(), source })?;
        }
        let file = File::create(&tmp).map_err(|source| LogError::Io { path: tmp.clone(), source })?;
        let props = writer_properties(meta);
        let writer =
            Encoder::new(file, schema(), props).map_err(|source| LogError::Parquet { path: tmp.clone(), source })?;
        let (sender, receiver) = sync_channel::<ToWriter>(8);
        let final_path = path.to_owned();
        let thread = std::thread::Builder::new()
            .name("aisle-log-writer".into())
            .spawn(move || write_loop(writer, receiver, tmp, final_path))
            .map_err(|source| LogError::Io { path: path.to_owned(), source })?;
        Ok(LogWriter { pending: Columns::with_capacity(BATCH_ROWS), sender: Some(sender), thread: Some(thread) })
    }

    /// Queues events (already in `seq` order) for writing.
    pub fn send(&mut self, events: &[SimEvent]) -> Result<(), LogError> {
        self.pending.append(events);
        if self.pending.len() >= BATCH_ROWS {
            let batch = self.pending.take_batch();
            self.send_batch(batch)?;
        }
        Ok(())
    }

    /// Flushes, syncs and renames the file into place.
    pub fn finish(mut self) -> Result<WrittenLog, LogError> {
        if self.pending.len() > 0 {
            let batch = self.pending.take_batch();
            self.send_batch(batch)?;
        }
        if let Some(sender) = &self.sender {
            // A send error means the thread already stopped; `join` reports why.
            let _ = sender.send(ToWriter::Finish);
        }
        self.join()
    }

    fn send_batch(&mut self, batch: RecordBatch) -> Result<(), LogError> {
        let sender = self.sender.as_ref().ok_or(LogError::WriterGone)?;
        if sender.send(ToWriter::Batch(batch)).is_err() {
            // The thread ended early: its error is the useful one.
            return Err(self.join().err().unwrap_or(LogError::WriterGone));
        }
        Ok(())
    }

    fn join(&mut self) -> Result<WrittenLog, LogError> {
        self.sender = None;
        let thread = self.thread.take().ok_or(LogError::WriterGone)?;
        thread.join().map_err(|_| LogError::WriterGone)?
    }
}

impl Drop for LogWriter {
    fn drop(&mut self) {
        // Dropped without `finish` (an interrupted run): the thread sees the
        // channel close without `Finish` and removes its temporary file.
        if let Some(thread) = self.thread.take() {
            self.sender = None;
            let _ = thread.join();
        }
    }
}

fn writer_properties(meta: &LogMeta) -> WriterProperties {
    let mut props = WriterProperties::builder()
        // LZ4: read back a fifth faster than Snappy (whose decompression
        // was a third of the reader's thread) for 4% more bytes; zstd
        // level 1 made a fifth fewer but wrote and read a third slower.
        // Logs of any of the three read.
        .set_compression(Compression::LZ4_RAW)
        .set_key_value_metadata(Some(meta.to_key_values()))
        .set_max_row_group_row_count(Some(1 << 20));
    // Monotone integer columns compress best as deltas. So does the floor,
    // the same from one event to the next in most stores: as deltas it is
    // next to nothing to read back, where as plain numbers LZ4 had 4 bytes
    // an event to rebuild. Logs read a fifth faster for 3% more writing.
    // (Zones as deltas made 4% fewer bytes for 4% more writing.)
    for col in ["seq", "t_ms", "floor"] {
        props = props
            .set_column_dictionary_enabled(ColumnPath::from(col), false)
            .set_column_encoding(ColumnPath::from(col), Encoding::DELTA_BINARY_PACKED);
    }
    // Positions rarely repeat exactly: a dictionary attempt only costs time.
    // Shoppers would fill one, but hashing every value into it was a
    // sixth of the writer's time. (Split into byte streams they packed as
    // well as fast, but older Parquet readers refuse that encoding on
    // integers.) Zones as plain numbers too, for the same reason.
    for col in ["x", "y", "shopper", "zone"] {
        props = props.set_column_dictionary_enabled(ColumnPath::from(col), false);
    }
    // Minima and maxima are kept for the columns a reader selects a time
    // range or a stretch of the log by; the others' cost a sixth of the
    // writing for nothing (a log is read whole).
    props = props.set_statistics_enabled(EnabledStatistics::None);
    for col in ["seq", "t_ms"] {
        props = props.set_column_statistics_enabled(ColumnPath::from(col), EnabledStatistics::Chunk);
    }
    props.build()
}

/// What the writer thread is told.
enum ToWriter {
    Batch(RecordBatch),
    /// All events sent: close the file and move it into place.
    Finish,
}

fn write_loop(
    mut writer: Encoder,
    receiver: Receiver<ToWriter>,
    tmp: PathBuf,
    path: PathBuf,
) -> Result<WrittenLog, LogError> {
    let result = (|| {
        let pq = |source| LogError::Parquet { path: tmp.clone(), source };
        let mut rows = 0u64;
        let mut finished = false;
        for message in receiver {
            match message {
                ToWriter::Batch(batch) => {
                    rows += batch.num_rows() as u64;
                    writer.write(&batch).map_err(pq)?;
                }
                ToWriter::Finish => {
                    finished = true;
                    break;
                }
            }
        }
        if !finished {
            return Err(LogError::Interrupted { path: path.clone() });
        }
        let file = writer.finish().map_err(pq)?;
        sync_and_rename(file, &tmp, &path).map_err(|source| LogError::Io { path: path.clone(), source })?;
        let bytes = std::fs::metadata(&path).map_err(|source| LogError::Io { path: path.clone(), source })?.len();
        Ok(WrittenLog { path: path.clone(), rows, bytes })
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Reads a log's metadata without its rows.
pub fn read_meta(path: &Path) -> Result<LogMeta, LogError> {
    read_footer(path).map(|(meta, _)| meta)
}

/// Reads a log's metadata and its row count from the footer, without its rows.
pub fn read_footer(path: &Path) -> Result<(LogMeta, u64), LogError> {
    let file = File::open(path).map_err(|source| LogError::Io { path: path.to_owned(), source })?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|source| LogError::Parquet { path: path.to_owned(), source })?;
    let rows = builder.metadata().file_metadata().num_rows().max(0) as u64;
    Ok((meta_of(path, &builder)?, rows))
}

fn meta_of<T: parquet::file::reader::ChunkReader>(
    path: &Path,
    builder: &ParquetRecordBatchReaderBuilder<T>,
) -> Result<LogMeta, LogError> {
    let kv: BTreeMap<String, String> = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .into_iter()
        .flatten()
        .filter_map(|kv| Some((kv.key.clone(), kv.value.clone()?)))
        .collect();
    let meta = LogMeta::from_key_values(&kv).map_err(|message| LogError::Format { path: path.to_owned(), message })?;
    // Earlier logs read as they are: a v1 log holds no `not_found`, and
    // without a `party` column everyone came alone.
    if !(1..=SCHEMA_VERSION).contains(&meta.schema_version) {
        return Err(LogError::Format {
            path: path.to_owned(),
            message: format!(
                "event log schema v{} is newer than this aisle understands (v{SCHEMA_VERSION}); upgrade aisle",
                meta.schema_version
            ),
        });
    }
    Ok(meta)
}

/// Reads a whole log back into events, calling `f` batch by batch. A second
/// thread decodes the Parquet pages and turns them into events while this
/// one gives the batch before to `f`, so a replay costs about the slower of
/// the two rather than their sum.
pub fn read_log_with(path: &Path, mut f: impl FnMut(&[SimEvent])) -> Result<LogMeta, LogError> {
    // One read of the whole file (a store-day is a few MB) instead of a
    // read call per column chunk.
    let bytes = std::fs::read(path).map_err(|source| LogError::Io { path: path.to_owned(), source })?;
    let pq = |source| LogError::Parquet { path: path.to_owned(), source };
    let format = |message| LogError::Format { path: path.to_owned(), message };
    let builder = ParquetRecordBatchReaderBuilder::try_new(bytes::Bytes::from(bytes))
        .map_err(pq)?
        .with_batch_size(READ_BATCH_ROWS);
    let meta = meta_of(path, &builder)?;
    let batches = builder.build().map_err(pq)?;
    std::thread::scope(|scope| {
        // Two decoded batches wait at most; their buffers come back to be refilled.
        let (full, decoded) = std::sync::mpsc::sync_channel::<Vec<SimEvent>>(2);
        let (empty, recycled) = std::sync::mpsc::channel::<Vec<SimEvent>>();
        let decoder = std::thread::Builder::new().name("aisle-log-read".into()).spawn_scoped(scope, move || {
            let mut row = 0usize;
            for batch in batches {
                let batch = batch.map_err(|e| pq(e.into()))?;
                let mut events = recycled.try_recv().unwrap_or_else(|_| Vec::with_capacity(READ_BATCH_ROWS));
                events.clear();
                decode_batch(&batch, row, &mut events).map_err(format)?;
                row += batch.num_rows();
                // A send fails once the caller below has stopped.
                if full.send(events).is_err() {
                    break;
                }
            }
            Ok(())
        });
        let decoder = decoder.map_err(|source| LogError::Io { path: path.to_owned(), source })?;
        for events in decoded {
            f(&events);
            // The decoder may have finished: then the buffer is just dropped.
            let _ = empty.send(events);
        }
        decoder.join().expect("the log decoder does not panic")
    })?;
    Ok(meta)
}

/// Reads a whole log into memory.
pub fn read_log(path: &Path) -> Result<(LogMeta, Vec<SimEvent>), LogError> {
    let mut all = Vec::new();
    let meta = read_log_with(path, |events| all.extend_from_slice(events))?;
    Ok((meta, all))
}

/// A nullable column as its raw values and validity, so the row loop below
/// indexes slices instead of calling through `Array` per value.
struct Column<'a, T> {
    values: &'a [T],
    nulls: Option<&'a arrow_buffer::NullBuffer>,
}

impl<'a, T: arrow_buffer::ArrowNativeType> Column<'a, T> {
    fn of<P: arrow_array::ArrowPrimitiveType<Native = T>>(a: &'a arrow_array::PrimitiveArray<P>) -> Self {
        Column { values: &a.values()[..], nulls: a.nulls() }
    }

    #[inline]
    fn get(&self, i: usize) -> Option<T> {
        match self.nulls {
            Some(n) if n.is_null(i) => None,
            _ => Some(self.values[i]),
        }
    }
}

fn decode_batch(batch: &RecordBatch, first_row: usize, out: &mut Vec<SimEvent>) -> Result<(), String> {
    let col = |name: &str| batch.column_by_name(name).ok_or_else(|| format!("column `{name}` is missing"));
    let seq = col("seq")?.as_primitive_opt::<UInt64Type>().ok_or("column `seq` is not u64")?.values();
    let t_ms = col("t_ms")?.as_primitive_opt::<UInt64Type>().ok_or("column `t_ms` is not u64")?.values();
    let shopper = col("shopper")?.as_primitive_opt::<UInt32Type>().ok_or("column `shopper` is not u32")?.values();
    let kind = col("kind")?.as_dictionary_opt::<UInt8Type>().ok_or("column `kind` is not a dictionary")?;
    let kind_values = kind.values().as_string_opt::<i32>().ok_or("column `kind` values are not strings")?;
    let kind_keys = kind.keys().values();
    let x = col("x")?.as_primitive_opt::<Float32Type>().ok_or("column `x` is not f32")?.values();
    let y = col("y")?.as_primitive_opt::<Float32Type>().ok_or("column `y` is not f32")?.values();
    let floor = col("floor")?.as_primitive_opt::<UInt8Type>().ok_or("column `floor` is not u8")?.values();
    let zone = Column::of(col("zone")?.as_primitive_opt::<UInt16Type>().ok_or("column `zone` is not u16")?);
    let product = Column::of(col("product")?.as_primitive_opt::<UInt32Type>().ok_or("column `product` is not u32")?);
    let lane = Column::of(col("lane")?.as_primitive_opt::<UInt16Type>().ok_or("column `lane` is not u16")?);
    let qty = Column::of(col("qty")?.as_primitive_opt::<UInt16Type>().ok_or("column `qty` is not u16")?);
    let amount =
        Column::of(col("amount_cents")?.as_primitive_opt::<Int64Type>().ok_or("column `amount_cents` is not i64")?);
    let planned = col("planned")?.as_boolean_opt().ok_or("column `planned` is not bool")?;
    let party = match batch.column_by_name("party") {
        Some(c) => Some(Column::of(c.as_primitive_opt::<UInt32Type>().ok_or("column `party` is not u32")?)),
        None => None,
    };
    // Logs before schema v5 have no `fixture` or `counter` column, and no kind that needs them.
    let optional_u16 = |name: &str| match batch.column_by_name(name) {
        Some(c) => {
            c.as_primitive_opt::<UInt16Type>().map(|a| Some(Column::of(a))).ok_or(format!("column `{name}` is not u16"))
        }
        None => Ok(None),
    };
    let (fixture, counter) = (optional_u16("fixture")?, optional_u16("counter")?);
    // Map dictionary entries to kind indices once per batch.
    let mut kinds = [None; 256];
    for (key, kind) in kinds.iter_mut().enumerate().take(kind_values.len()) {
        *kind = KIND_NAMES.iter().position(|k| *k == kind_values.value(key));
    }
    let n = batch.num_rows();
    let base = out.len();
    // Two passes: the fields every event has, for all rows (a loop without
    // unpredictable branches), then the action of each row that is not a
    // plain `move` (the minority).
    out.extend((0..n).map(|i| SimEvent {
        seq: seq[i],
        t_ms: t_ms[i],
        shopper: shopper[i],
        x: x[i],
        y: y[i],
        floor: floor[i],
        zone: zone.get(i),
        action: Action::Move,
    }));
    for (i, &key) in kind_keys[..n].iter().enumerate() {
        let k = match kinds[key as usize] {
            Some(1) => continue,
            Some(k) => k,
            None => {
                return Err(format!("row {}: unknown event kind `{}`", first_row + i, kind_values.value(key as usize)));
            }
        };
        let missing = |name: &str| format!("row {}: `{}` event without `{name}`", first_row + i, KIND_NAMES[k]);
        let product_v = || product.get(i).ok_or_else(|| missing("product"));
        let lane_v = || lane.get(i).ok_or_else(|| missing("lane"));
        let qty_v = || qty.get(i).ok_or_else(|| missing("qty"));
        let amount_v = || amount.get(i).ok_or_else(|| missing("amount_cents"));
        let fixture_v = || fixture.as_ref().and_then(|f| f.get(i)).ok_or_else(|| missing("fixture"));
        let counter_v = || counter.as_ref().and_then(|f| f.get(i)).ok_or_else(|| missing("counter"));
        out[base + i].action = match k {
            0 => Action::Enter {
                party: party.as_ref().map_or(Some(shopper[i]), |p| p.get(i)).ok_or_else(|| missing("party"))?,
            },
            2 => Action::ZoneEnter,
            3 => Action::ZoneExit,
            4 => Action::View { product: product_v()? },
            5 => Action::Pick {
                product: product_v()?,
                qty: qty_v()?,
                amount_cents: amount_v()?,
                planned: if planned.is_valid(i) { planned.value(i) } else { return Err(missing("planned")) },
            },
            6 => Action::PutBack { product: product_v()?, qty: qty_v()?, amount_cents: amount_v()? },
            7 => Action::QueueJoin { lane: lane_v()? },
            8 => Action::Checkout { lane: lane_v()?, qty: qty_v()?, amount_cents: amount_v()? },
            9 => Action::Abandon { lane: lane_v()?, qty: qty_v()?, amount_cents: amount_v()? },
            10 => Action::Exit,
            11 => Action::NotFound { product: product_v()?, qty: qty_v()?, amount_cents: amount_v()? },
            12 => Action::AtShelf { product: product_v()? },
            13 => Action::Serve { lane: lane_v()? },
            14 => Action::CounterJoin { counter: counter_v()? },
            15 => Action::CounterServe { counter: counter_v()? },
            16 => Action::CounterDone { counter: counter_v()?, qty: qty_v()?, amount_cents: amount_v()? },
            17 => Action::CounterLeave { counter: counter_v()?, qty: qty_v()?, amount_cents: amount_v()? },
            18 => Action::StopStart { fixture: fixture_v()? },
            _ => Action::StopEnd { fixture: fixture_v()? },
        };
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::UInt32Array;

    fn event(seq: u64, action: Action) -> SimEvent {
        SimEvent { seq, t_ms: seq * 100, shopper: 7, x: 1.5, y: 2.5, floor: 0, zone: Some(3), action }
    }

    fn sample() -> Vec<SimEvent> {
        vec![
            event(0, Action::Enter { party: 7 }),
            event(1, Action::Move),
            event(2, Action::View { product: 4 }),
            event(3, Action::Pick { product: 4, qty: 2, amount_cents: 398, planned: false }),
            event(4, Action::QueueJoin { lane: 1 }),
            event(5, Action::Checkout { lane: 1, qty: 2, amount_cents: 398 }),
            event(6, Action::NotFound { product: 2, qty: 1, amount_cents: 129 }),
            event(7, Action::Exit),
            event(8, Action::AtShelf { product: 4 }),
            event(9, Action::Serve { lane: 1 }),
            event(10, Action::CounterJoin { counter: 0 }),
            event(11, Action::CounterServe { counter: 0 }),
            event(12, Action::CounterDone { counter: 0, qty: 2, amount_cents: 1_250 }),
            event(13, Action::CounterLeave { counter: 1, qty: 1, amount_cents: 300 }),
            event(14, Action::StopStart { fixture: 5 }),
            event(15, Action::StopEnd { fixture: 5 }),
        ]
    }

    #[test]
    fn a_batch_decodes_to_the_events_it_was_built_from() {
        let events = sample();
        let mut out = Vec::new();
        decode_batch(&to_batch(&events), 0, &mut out).unwrap();
        assert_eq!(out, events);
    }

    #[test]
    fn a_row_missing_a_field_its_kind_needs_names_the_row_and_the_field() {
        let batch = to_batch(&sample());
        let index = batch.schema().index_of("product").unwrap();
        let mut columns = batch.columns().to_vec();
        // Every product as written but the `pick`'s (row 3).
        let mut product: Vec<Option<u32>> = sample().iter().map(|e| e.action.product()).collect();
        product[3] = None;
        columns[index] = Arc::new(UInt32Array::from(product));
        let broken = RecordBatch::try_new(batch.schema(), columns).unwrap();
        let err = decode_batch(&broken, 1000, &mut Vec::new()).unwrap_err();
        assert_eq!(err, "row 1003: `pick` event without `product`");
    }

    /// A log as an earlier aisle wrote it: the current batch without the
    /// columns that version lacked.
    fn write_legacy(path: &Path, version: u32, events: &[SimEvent]) {
        let batch = to_batch(events);
        let keep: Vec<usize> =
            (0..batch.num_columns()).filter(|&i| version >= 3 || batch.schema().field(i).name() != "party").collect();
        let batch = batch.project(&keep).unwrap();
        let meta = LogMeta { schema_version: version, ..LogMeta::default() };
        let mut writer = parquet::arrow::ArrowWriter::try_new(
            File::create(path).unwrap(),
            batch.schema(),
            Some(writer_properties(&meta)),
        )
        .unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
    }

    #[test]
    fn logs_of_earlier_schemas_still_read_and_later_versions_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        // (version written, readable). v1 lacks `not_found` (so holds none),
        // v1 and v2 lack `party` (everyone came alone: the sample's shopper
        // 7 enters as its own party either way), v1–v3 lack `at_shelf` and
        // `serve`.
        for (version, readable) in
            [(1, true), (2, true), (3, true), (SCHEMA_VERSION, true), (SCHEMA_VERSION + 1, false)]
        {
            let path = dir.path().join(format!("v{version}.parquet"));
            let events: Vec<SimEvent> = sample()
                .into_iter()
                .filter(|e| version > 1 || !matches!(e.action, Action::NotFound { .. }))
                .filter(|e| version > 3 || !matches!(e.action, Action::AtShelf { .. } | Action::Serve { .. }))
                .collect();
            write_legacy(&path, version, &events);
            match read_log(&path) {
                Ok((read_meta, read)) => {
                    assert!(readable, "v{version} was read");
                    assert_eq!((read_meta.schema_version, read), (version, events));
                }
                Err(e) => {
                    assert!(!readable, "v{version}: {e}");
                    assert!(e.to_string().contains("upgrade aisle"), "{e}");
                }
            }
        }
    }
}

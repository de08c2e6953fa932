//! `metrics/metrics.parquet`: one row per (variant, seed, metric).

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::fs::{atomic_temp_path, sync_and_rename};
use super::parquet::LogError;

#[derive(Debug, Clone, PartialEq)]
pub struct MetricRow {
    pub variant: String,
    pub seed: u64,
    pub metric: String,
    pub unit: String,
    pub value: f64,
}

fn schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("variant", DataType::Utf8, false),
        Field::new("seed", DataType::UInt64, false),
        Field::new("metric", DataType::Utf8, false),
        Field::new("unit", DataType::Utf8, false),
        Field::new("value", DataType::Float64, false),
    ]))
}

/// Reads the table; an absent file is an empty table.
pub fn read(path: &Path) -> Result<Vec<MetricRow>, LogError> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(LogError::Io { path: path.to_owned(), source }),
    };
    let pq = |source| LogError::Parquet { path: path.to_owned(), source };
    let bad = |message: &str| LogError::Format { path: path.to_owned(), message: message.to_owned() };
    let mut rows = Vec::new();
    for batch in ParquetRecordBatchReaderBuilder::try_new(file).map_err(pq)?.build().map_err(pq)? {
        let batch = batch.map_err(|e| pq(e.into()))?;
        let col = |name: &str| batch.column_by_name(name).ok_or_else(|| bad(&format!("column `{name}` is missing")));
        let variant = col("variant")?.as_string_opt::<i32>().ok_or_else(|| bad("`variant` is not text"))?.clone();
        let seed = col("seed")?.as_primitive_opt::<UInt64Type>().ok_or_else(|| bad("`seed` is not u64"))?.clone();
        let metric = col("metric")?.as_string_opt::<i32>().ok_or_else(|| bad("`metric` is not text"))?.clone();
        let unit = col("unit")?.as_string_opt::<i32>().ok_or_else(|| bad("`unit` is not text"))?.clone();
        let value = col("value")?.as_primitive_opt::<Float64Type>().ok_or_else(|| bad("`value` is not f64"))?.clone();
        for i in 0..batch.num_rows() {
            rows.push(MetricRow {
                variant: variant.value(i).to_owned(),
                seed: seed.value(i),
                metric: metric.value(i).to_owned(),
                unit: unit.value(i).to_owned(),
                value: value.value(i),
            });
        }
    }
    Ok(rows)
}

/// Writes the table atomically, sorted by (variant, seed, metric).
pub fn write(path: &Path, mut rows: Vec<MetricRow>) -> Result<(), LogError> {
    rows.sort_by(|a, b| (&a.variant, a.seed, &a.metric).cmp(&(&b.variant, b.seed, &b.metric)));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.variant.as_str()))),
        Arc::new(UInt64Array::from_iter_values(rows.iter().map(|r| r.seed))),
        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.metric.as_str()))),
        Arc::new(StringArray::from_iter_values(rows.iter().map(|r| r.unit.as_str()))),
        Arc::new(Float64Array::from_iter_values(rows.iter().map(|r| r.value))),
    ];
    let batch = RecordBatch::try_new(schema(), columns).expect("columns match the schema");
    let io = |source| LogError::Io { path: path.to_owned(), source };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = atomic_temp_path(path);
    let pq = |source| LogError::Parquet { path: tmp.clone(), source };
    let mut writer = ArrowWriter::try_new(File::create(&tmp).map_err(io)?, schema(), None).map_err(pq)?;
    writer.write(&batch).map_err(pq)?;
    let file = writer.into_inner().map_err(pq)?;
    sync_and_rename(file, &tmp, path).map_err(io)
}

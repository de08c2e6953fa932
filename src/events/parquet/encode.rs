//! The log's encoding, its columns shared between two threads: the
//! writer's and one helper, each taking the next column not yet encoded
//! (LZ4, the deltas and the `kind` dictionary are each column's own work).
//! The same column writers as `ArrowWriter`'s, with its row groups, so the
//! bytes are the same as one thread's.

use std::fs::File;
use std::sync::Mutex;

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_writer::{ArrowColumnWriter, ArrowLeafColumn, ArrowRowGroupWriterFactory, compute_leaves};
use parquet::errors::{ParquetError, Result};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;

/// A log file being encoded, row group by row group.
pub(super) struct Encoder {
    file: SerializedFileWriter<File>,
    factory: ArrowRowGroupWriterFactory,
    schema: SchemaRef,
    /// The row group being filled: a writer per column, and its rows.
    group: Option<(Vec<ArrowColumnWriter>, usize)>,
    max_group_rows: usize,
}

impl Encoder {
    pub(super) fn new(file: File, schema: SchemaRef, props: WriterProperties) -> Result<Encoder> {
        let max_group_rows = props.max_row_group_row_count().unwrap_or(usize::MAX);
        // `ArrowWriter` sets out the file (the Parquet schema, the Arrow
        // schema among the key-value metadata) as any reader expects.
        let (file, factory) = ArrowWriter::try_new(file, schema.clone(), Some(props))?.into_serialized_writer()?;
        Ok(Encoder { file, factory, schema, group: None, max_group_rows })
    }

    /// Encodes `batch`, closing each row group as it fills.
    pub(super) fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        let mut rest = batch.clone();
        while rest.num_rows() > 0 {
            if self.group.is_none() {
                let index = self.file.flushed_row_groups().len();
                self.group = Some((self.factory.create_column_writers(index)?, 0));
            }
            let (columns, rows) = self.group.as_mut().expect("a row group was just opened");
            let take = rest.num_rows().min(self.max_group_rows - *rows);
            let now = rest.slice(0, take);
            rest = rest.slice(take, rest.num_rows() - take);
            let leaves = self
                .schema
                .fields()
                .iter()
                .zip(now.columns())
                .map(|(field, column)| compute_leaves(field, column))
                .collect::<Result<Vec<_>>>()?;
            encode_shared(columns, leaves.into_iter().flatten().collect())?;
            *rows += take;
            if *rows >= self.max_group_rows {
                self.close_group()?;
            }
        }
        Ok(())
    }

    /// Closes the last row group, writes the footer and hands back the file.
    pub(super) fn finish(mut self) -> Result<File> {
        self.close_group()?;
        self.file.into_inner()
    }

    fn close_group(&mut self) -> Result<()> {
        let Some((columns, _)) = self.group.take() else { return Ok(()) };
        let mut group = self.file.next_row_group()?;
        for column in columns {
            column.close()?.append_to_row_group(&mut group)?;
        }
        group.close()?;
        Ok(())
    }
}

/// Writes each leaf to its column's writer, this thread and one helper
/// taking the next column in turn.
fn encode_shared(columns: &mut [ArrowColumnWriter], leaves: Vec<ArrowLeafColumn>) -> Result<()> {
    let queue = Mutex::new(columns.iter_mut().zip(&leaves));
    let work = || -> Result<()> {
        loop {
            let next = queue.lock().map_err(|_| ParquetError::General("a column encoder panicked".into()))?.next();
            let Some((column, leaf)) = next else { return Ok(()) };
            column.write(leaf)?;
        }
    };
    std::thread::scope(|scope| {
        let helper = scope.spawn(work);
        let mine = work();
        let theirs = helper.join().map_err(|_| ParquetError::General("a column encoder panicked".into()))?;
        mine.and(theirs)
    })
}

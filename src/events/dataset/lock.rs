//! Who may write a dataset at once, and what killed writers leave behind.
//!
//! Two advisory locks: `.lock` is a gate held only while a writer opens the
//! dataset; `.writers.lock` is held shared by every writer for its whole
//! command. Temporary files of killed commands are removed only by a writer
//! that finds itself alone.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::{DERIVED_FOLDERS, DatasetError, MANIFEST};
use crate::events::fs::is_temporary;

/// A writer's hold on a dataset, released when dropped.
///
/// Two advisory locks: `.lock` is a gate held only while a writer opens the
/// dataset (checks the scenario version and claims the manifest);
/// `.writers.lock` is held shared by every writer for its whole command, so
/// writers of one version (shards) go on together, while discarding runs
/// (`--replace`) or clearing leftover temporary files needs it exclusively.
pub struct WriterLock {
    _writers: File,
}

/// Whether a writer found no other writer on the dataset.
pub(super) enum Alone {
    Yes(File),
    No,
}

impl WriterLock {
    fn open(dir: &Path, name: &str) -> Result<File, DatasetError> {
        let path = dir.join(name);
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|source| DatasetError::Io { path, source })
    }

    /// Waits for the gate; the dataset's directory must exist.
    pub(super) fn gate(dir: &Path) -> Result<File, DatasetError> {
        let gate = Self::open(dir, ".lock")?;
        gate.lock().map_err(|source| DatasetError::Io { path: dir.join(".lock"), source })?;
        Ok(gate)
    }

    /// The writers' lock held exclusively if no other writer holds it (call with the gate held).
    pub(super) fn alone(dir: &Path) -> Result<Alone, DatasetError> {
        let writers = Self::open(dir, ".writers.lock")?;
        match writers.try_lock() {
            Ok(()) => Ok(Alone::Yes(writers)),
            Err(std::fs::TryLockError::WouldBlock) => Ok(Alone::No),
            Err(std::fs::TryLockError::Error(source)) => {
                Err(DatasetError::Io { path: dir.join(".writers.lock"), source })
            }
        }
    }

    /// Joins the writers (call with the gate held, so no exclusive holder is waiting).
    pub(super) fn join(dir: &Path) -> Result<WriterLock, DatasetError> {
        let writers = Self::open(dir, ".writers.lock")?;
        writers.lock_shared().map_err(|source| DatasetError::Io { path: dir.join(".writers.lock"), source })?;
        Ok(WriterLock { _writers: writers })
    }

    /// A hold on an existing dataset for a command that writes derived
    /// files only (`report`): it waits for a `--replace` to finish, and
    /// keeps one from starting; alone, it removes leftover temporary files.
    /// `None` when `dir` holds no dataset.
    pub fn existing(dir: &Path) -> Result<Option<WriterLock>, DatasetError> {
        if !dir.join(MANIFEST).is_file() {
            return Ok(None);
        }
        let _gate = Self::gate(dir)?;
        if let Alone::Yes(_exclusive) = Self::alone(dir)? {
            remove_leftovers(dir)?;
        }
        Self::join(dir).map(Some)
    }
}

/// Whether another aisle command holds the dataset in `dir` as a writer
/// now (its runs in flight, logs without records yet, would read as
/// damage). Creates nothing.
pub fn writers_at_work(dir: &Path) -> Result<bool, DatasetError> {
    // Writers hold it shared: only an exclusive probe meets them.
    let path = dir.join(".writers.lock");
    lock_held(&path, Probe::Exclusive).map_err(|source| DatasetError::Io { path, source })
}

/// How `lock_held` tests a lock: as one who would hold it alone, meeting
/// any holder, or shared, meeting only one who holds it alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    Exclusive,
    Shared,
}

/// Whether another process holds a lock on the file at `path` that a lock
/// taken as `probe` would wait for; `false` where there is no file.
/// Creates nothing. An exclusive probe opens the file for writing where it
/// can (over NFS, a lock held alone needs a file open for writing), and
/// reads it on a read-only disk or another user's; a shared one reads it.
pub fn lock_held(path: &Path, probe: Probe) -> std::io::Result<bool> {
    let open = |write: bool| std::fs::OpenOptions::new().read(true).write(write).open(path);
    let opened = match probe {
        Probe::Exclusive => open(true).or_else(|e| match e.kind() {
            std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied => open(false),
            _ => Err(e),
        }),
        Probe::Shared => open(false),
    };
    let file = match opened {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(false),
        Err(e) => return Err(e),
    };
    let tried = match probe {
        Probe::Exclusive => file.try_lock(),
        Probe::Shared => file.try_lock_shared(),
    };
    match tried {
        Ok(()) => Ok(false),
        Err(std::fs::TryLockError::WouldBlock) => Ok(true),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

/// Temporary files under the parts of a dataset that aisle's writers own.
pub fn leftovers(dir: &Path) -> Vec<PathBuf> {
    fn walk(d: &Path, out: &mut Vec<PathBuf>, depth: usize) {
        for entry in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() && depth > 0 {
                walk(&path, out, depth - 1);
            } else if path.is_file() && entry.file_name().to_str().is_some_and(is_temporary) {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out, 0);
    for sub in DERIVED_FOLDERS {
        walk(&dir.join(sub), &mut out, 3);
    }
    out.sort();
    out
}

/// Removes leftover temporary files of killed or failed commands; call only
/// with no other writer on the dataset.
pub(super) fn remove_leftovers(dir: &Path) -> Result<(), DatasetError> {
    for path in leftovers(dir) {
        std::fs::remove_file(&path).map_err(|source| DatasetError::Io { path, source })?;
    }
    Ok(())
}

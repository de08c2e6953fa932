//! Files written whole or not at all: a temporary file beside the target,
//! synced, then renamed over it. Every writer of a dataset goes through
//! these, so a killed command leaves only `.NAME.tmp-…` files behind.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Whether a file name is one of aisle's temporary files (`.NAME.tmp-…`).
pub fn is_temporary(name: &str) -> bool {
    name.starts_with('.') && name.contains(".tmp-")
}

/// Where a file is written before it is renamed to `path`.
pub fn atomic_temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    // Unique per process and per call, so concurrent writers never share one.
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    path.with_file_name(format!(".{name}.tmp-{}-{n}", std::process::id()))
}

/// Syncs `file` (written at `tmp`) and renames it to `path`, then syncs the directory.
pub fn sync_and_rename(file: File, tmp: &Path, path: &Path) -> std::io::Result<()> {
    file.sync_all()?;
    drop(file);
    std::fs::rename(tmp, path)?;
    if let Some(dir) = path.parent() {
        // Make the rename itself durable.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically (temporary file, fsync, rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = atomic_temp_path(path);
    let written = File::create(&tmp).and_then(|mut file| {
        file.write_all(bytes)?;
        sync_and_rename(file, &tmp, path)
    });
    if written.is_err() {
        // A full disk must not leave the temporary file behind.
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// A hash's first twelve digits, as messages show it.
pub fn short_sha256(sha256: &str) -> &str {
    &sha256[..sha256.len().min(12)]
}

/// SHA-256 of a file's contents, hex.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut file = File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(crate::scenario::hex(&hasher.finalize()))
}

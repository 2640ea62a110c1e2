//! File-system details of a group-shared incident directory: opening
//! without following links, group permissions, and the append lock.

use super::StoreError;
use std::fs::{File, OpenOptions, Permissions};
use std::os::unix::fs::{FileExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

/// Incident files: read and written by the owner and the group.
pub const FILE_MODE: u32 = 0o660;
/// A directory the tool creates: group-shared, setgid so new files inherit
/// the group.
pub const DIR_MODE: u32 = 0o2770;

/// Open an existing incident file, refusing links and non-regular files.
pub fn open_incident(path: &Path, write: bool) -> Result<File, StoreError> {
    open_checked(path, OpenOptions::new().read(true).write(write))
}

/// Open an existing incident file for appending (shared file systems:
/// each write lands at the end the server has), refusing links.
pub fn open_appending(path: &Path) -> Result<File, StoreError> {
    open_checked(path, OpenOptions::new().read(true).append(true))
}

fn open_checked(path: &Path, options: &mut OpenOptions) -> Result<File, StoreError> {
    let file = options
        .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_CLOEXEC | nix::libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(nix::libc::ELOOP) => StoreError::NotRegularFile {
                path: path.to_path_buf(),
            },
            _ => StoreError::io(path, e),
        })?;
    let meta = file.metadata().map_err(|e| StoreError::io(path, e))?;
    if !meta.is_file() {
        return Err(StoreError::NotRegularFile {
            path: path.to_path_buf(),
        });
    }
    Ok(file)
}

/// Make sure the incident directory exists; create it group-shared if not.
pub fn ensure_dir(dir: &Path) -> Result<(), StoreError> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(m) if m.file_type().is_symlink() && dir.is_dir() => Ok(()),
        Ok(_) => Err(StoreError::io(
            dir,
            std::io::Error::other("exists but is not a directory; pass --dir with a directory"),
        )),
        Err(_) => {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
            std::fs::set_permissions(dir, Permissions::from_mode(DIR_MODE))
                .map_err(|e| StoreError::io(dir, e))
        }
    }
}

/// Set group read/write explicitly: umask and temp-file crates default tighter.
pub fn share_with_group(file: &File, path: &Path) -> Result<(), StoreError> {
    file.set_permissions(Permissions::from_mode(FILE_MODE))
        .map_err(|e| StoreError::io(path, e))
}

/// Hold the exclusive append lock of `file` until the guard is dropped.
pub struct LockGuard<'a> {
    file: &'a File,
}

impl Drop for LockGuard<'_> {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// How long a writer waits for another before giving up with a message.
pub const LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// Take the exclusive lock, waiting at most `timeout`. Polls with a short
/// growing sleep so a stuck holder never freezes the caller forever.
pub fn lock<'a>(
    file: &'a File,
    path: &Path,
    timeout: Duration,
) -> Result<LockGuard<'a>, StoreError> {
    let start = Instant::now();
    let mut pause = Duration::from_micros(50);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(LockGuard { file }),
            Err(std::fs::TryLockError::WouldBlock) => {
                if start.elapsed() >= timeout {
                    return Err(StoreError::LockTimeout {
                        path: path.to_path_buf(),
                        waited: timeout,
                    });
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(5));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(StoreError::io(path, e)),
        }
    }
}

/// An exclusive lock on a lock file of its own (see [`lock_file`]),
/// held until dropped.
pub struct HeldLock {
    file: File,
}

impl Drop for HeldLock {
    fn drop(&mut self) {
        let _ = self.file.unlock();
    }
}

/// Take the exclusive lock of the lock file at `path`, creating it
/// (group-shared, never through a link) if it is not there, waiting at
/// most `timeout`. The same `flock` the appends take: on NFSv4, EFS and
/// GlusterFS the server holds it, so it excludes holders on other boxes.
pub fn lock_file(path: &Path, timeout: Duration) -> Result<HeldLock, StoreError> {
    let file = open_checked(
        path,
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .mode(FILE_MODE),
    )?;
    let meta = file.metadata().map_err(|e| StoreError::io(path, e))?;
    if meta.permissions().mode() & 0o777 != FILE_MODE {
        // Whoever created it can make it the group's; anyone else can
        // still lock it through the group's write permission.
        let _ = share_with_group(&file, path);
    }
    std::mem::forget(lock(&file, path, timeout)?);
    Ok(HeldLock { file })
}

/// Flush a directory entry change (a new file linked in) to disk.
pub fn sync_dir(dir: &Path) -> Result<(), StoreError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| StoreError::io(dir, e))
}

/// Read up to `len` bytes at `offset` (fewer at the end of the file)
/// without moving any file cursor.
pub fn read_range(file: &File, offset: u64, len: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0u8; len];
    let mut filled = 0;
    while filled < len {
        match file.read_at(&mut buf[filled..], offset + filled as u64) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buf.truncate(filled);
    Ok(buf)
}

/// Reads that go past this client's cache, for a shared file system:
/// `O_DIRECT` in aligned blocks (a GlusterFS brick, for one, hands
/// `O_DIRECT` on to a local disk that insists on alignment).
pub mod direct {
    use std::fs::File;
    use std::os::unix::fs::FileExt;
    use std::path::Path;

    const BLOCK: usize = 4096;
    const CHUNK: usize = 64 * 1024;

    /// A second descriptor on `path` that reads from the server, or None
    /// where the file system does not offer that.
    #[cfg(target_os = "linux")]
    pub fn open(path: &Path) -> Option<File> {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(nix::libc::O_NOFOLLOW | nix::libc::O_CLOEXEC | nix::libc::O_DIRECT)
            .open(path)
            .ok()
    }

    /// Elsewhere there is no `O_DIRECT`: reads go through the cache.
    #[cfg(not(target_os = "linux"))]
    pub fn open(_: &Path) -> Option<File> {
        None
    }

    /// The bytes from `offset` to the true end of the file, and the true
    /// length of the file (less than `offset` if it shrank).
    pub fn read_from(file: &File, offset: u64) -> std::io::Result<(Vec<u8>, u64)> {
        let start = offset - offset % BLOCK as u64;
        let mut raw = vec![0u8; CHUNK + BLOCK];
        let skip = raw.as_ptr().align_offset(BLOCK).min(BLOCK);
        let buf = &mut raw[skip..skip + CHUNK];
        let mut out = Vec::new();
        let mut pos = start;
        loop {
            let n = match file.read_at(buf, pos) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            out.extend_from_slice(&buf[..n]);
            pos += n as u64;
            // A short read is the end: the next offset would not be
            // aligned, and there is nothing more to read.
            if n < CHUNK {
                break;
            }
        }
        let head = (offset - start) as usize;
        if out.len() < head {
            return Ok((Vec::new(), pos));
        }
        out.drain(..head);
        Ok((out, pos))
    }
}

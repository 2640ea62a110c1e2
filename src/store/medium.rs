//! What kind of file system holds the incident directory, and whether
//! appends to it can be made safe.
//!
//! On a local disk every process on the box shares one page cache, so the
//! size `fstat` reports and the bytes a read returns are the truth. On a
//! network or FUSE file system each client caches attributes and data on
//! its own: the size, the end `O_APPEND` writes at, and the first read of
//! a small file can all be a second old. Such a directory is *shared*:
//! appends prove where the end is before writing and read their line back
//! before saying it is saved (`IncidentFile::commit`), reads bypass the
//! client's cache, the checkpoint fast path is off, and live views poll.

use super::StoreError;
use std::fs::File;
use std::path::Path;

/// Where incident files live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Medium {
    /// A local file system: one cache for every process on the box.
    Local,
    /// A network or FUSE file system, by its type name (`nfs4`,
    /// `fuse.glusterfs`, `ceph`, ...): other machines write to it too.
    Shared { kind: String },
}

impl Medium {
    pub fn is_shared(&self) -> bool {
        matches!(self, Medium::Shared { .. })
    }

    /// The medium an open file lives on. Local when it cannot be told.
    pub fn of_file(file: &File) -> Medium {
        imp::of_file(file)
    }

    /// The medium of a directory (or of the nearest existing parent).
    pub fn of_dir(dir: &Path) -> Medium {
        let mut at = Some(dir);
        while let Some(d) = at {
            if d.exists() {
                return imp::of_path(d);
            }
            at = d.parent();
        }
        Medium::Local
    }
}

/// Check, before anyone types, that appends to `dir` can be made safe:
/// on a shared file system the lock must really exclude another holder
/// and must not be one this client keeps to itself. Returns the medium.
pub fn check_dir(dir: &Path) -> Result<Medium, StoreError> {
    let medium = Medium::of_dir(dir);
    let Medium::Shared { kind } = &medium else {
        return Ok(medium);
    };
    if !dir.is_dir() {
        return Ok(medium);
    }
    let unsafe_fs = |problem: String, fix: &str| StoreError::UnsafeMedium {
        dir: dir.to_path_buf(),
        kind: kind.clone(),
        problem,
        fix: fix.to_string(),
    };
    if let Some(option) = imp::local_only_locks(dir) {
        return Err(unsafe_fs(
            format!(
                "it is mounted with `{option}`, so a lock taken on this box does not stop a writer on another"
            ),
            "remount it without that option (NFSv4 locks work by default; NFSv3 needs rpc.statd and lockd)",
        ));
    }
    probe_lock(dir).map_err(|problem| {
        unsafe_fs(
            problem,
            "mount it with working locks (NFS: no `nolock`; FUSE: a file system that implements flock, as GlusterFS and CephFS do), or keep the incident directory on a local disk",
        )
    })?;
    Ok(medium)
}

/// Take the lock on a scratch file through one descriptor and make sure a
/// second descriptor is refused it.
fn probe_lock(dir: &Path) -> Result<(), String> {
    let probe = tempfile::Builder::new()
        .prefix(".incident-lockprobe-")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a file to test its locks ({e})"))?;
    let second = File::open(probe.path())
        .map_err(|e| format!("cannot reopen a file to test its locks ({e})"))?;
    if std::env::var_os("INCIDENT_TEST_FAULT").is_some_and(|v| v == "nolock") {
        // Test-only: as a file system whose locks do nothing behaves.
        return Err(
            "its locks do not exclude anyone: a second holder was granted the same exclusive lock"
                .into(),
        );
    }
    match probe.as_file().try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Err("a lock on a new file was refused".into());
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(format!("it does not support file locks ({e})"));
        }
    }
    match second.try_lock() {
        Err(std::fs::TryLockError::WouldBlock) => Ok(()),
        Ok(()) => Err(
            "its locks do not exclude anyone: a second holder was granted the same exclusive lock"
                .into(),
        ),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("its locks cannot be tested ({e})")),
    }
}

#[cfg(target_os = "linux")]
mod imp {
    use super::Medium;
    use nix::sys::statfs::{FsType, Statfs};
    use std::fs::File;
    use std::path::Path;

    // Network and cluster file systems, by `statfs` magic number.
    const SHARED: &[(i64, &str)] = &[
        (0x6573_5546, "fuse"),
        (0x6969, "nfs"),
        (0x517b, "smb"),
        (0xff53_4d42, "cifs"),
        (0xfe53_4d42, "smb2"),
        (0x00c3_6400, "ceph"),
        (0x0102_1997, "9p"),
        (0x5346_414f, "afs"),
        (0x7375_7245, "coda"),
        (0x7461_636f, "ocfs2"),
        (0x0116_1970, "gfs2"),
        (0x0bd0_0bd0, "lustre"),
        (0x4750_4653, "gpfs"),
    ];

    fn classify(st: &Statfs, at: Option<&Path>) -> Medium {
        let FsType(magic) = st.filesystem_type();
        #[allow(clippy::unnecessary_cast)] // i64 on some targets, i32 on others.
        let magic = magic as i64;
        match SHARED.iter().find(|(m, _)| *m == magic) {
            None => Medium::Local,
            Some((_, name)) => Medium::Shared {
                kind: at
                    .and_then(mount_of)
                    .map(|m| m.kind)
                    .unwrap_or_else(|| name.to_string()),
            },
        }
    }

    pub fn of_file(file: &File) -> Medium {
        match nix::sys::statfs::fstatfs(file) {
            Ok(st) => classify(&st, None),
            Err(_) => Medium::Local,
        }
    }

    pub fn of_path(path: &Path) -> Medium {
        match nix::sys::statfs::statfs(path) {
            Ok(st) => classify(&st, Some(path)),
            Err(_) => Medium::Local,
        }
    }

    pub struct Mount {
        pub kind: String,
        pub options: Vec<String>,
    }

    /// The mount holding `path`: the longest mount point that prefixes it.
    pub fn mount_of(path: &Path) -> Option<Mount> {
        let path = std::fs::canonicalize(path).ok()?;
        let table = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
        let mut best: Option<(usize, Mount)> = None;
        for line in table.lines() {
            let Some((left, right)) = line.split_once(" - ") else {
                continue;
            };
            let fields: Vec<&str> = left.split(' ').collect();
            let Some(point) = fields.get(4) else { continue };
            let point = unescape(point);
            if !path.starts_with(&point) {
                continue;
            }
            let mut r = right.split(' ');
            let kind = r.next().unwrap_or("").to_string();
            let _source = r.next();
            let mut options: Vec<String> = r
                .next()
                .unwrap_or("")
                .split(',')
                .map(str::to_string)
                .collect();
            options.extend(fields.get(5).unwrap_or(&"").split(',').map(str::to_string));
            let len = point.len();
            if best.as_ref().is_none_or(|(l, _)| len >= *l) {
                best = Some((len, Mount { kind, options }));
            }
        }
        best.map(|(_, m)| m)
    }

    /// mountinfo writes a space as `\040` and so on.
    fn unescape(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'\\'
                && i + 3 < b.len()
                && let Ok(n) = u8::from_str_radix(&s[i + 1..i + 4], 8)
            {
                out.push(n as char);
                i += 4;
            } else {
                out.push(b[i] as char);
                i += 1;
            }
        }
        out
    }

    /// A mount option that makes locks local to this client, if one is set.
    pub fn local_only_locks(dir: &Path) -> Option<String> {
        let m = mount_of(dir)?;
        if !m.kind.starts_with("nfs") {
            return None;
        }
        m.options
            .into_iter()
            .find(|o| o == "nolock" || o == "local_lock=all" || o == "local_lock=flock")
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    //! Elsewhere (a laptop trying the tool) the directory is taken to be
    //! local; shared directories are a Linux jump box's business.
    use super::Medium;
    use std::fs::File;
    use std::path::Path;

    pub fn of_file(_: &File) -> Medium {
        Medium::Local
    }

    pub fn of_path(_: &Path) -> Medium {
        Medium::Local
    }

    pub fn local_only_locks(_: &Path) -> Option<String> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_temporary_directory_is_local_and_its_locks_work() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Medium::of_dir(dir.path()), Medium::Local);
        assert_eq!(Medium::of_dir(&dir.path().join("not/yet")), Medium::Local);
        assert!(probe_lock(dir.path()).is_ok());
        assert_eq!(check_dir(dir.path()).unwrap(), Medium::Local);
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(left.is_empty(), "the probe leaves nothing behind");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn mountinfo_names_the_mount_holding_a_path() {
        let root = imp::mount_of(Path::new("/")).expect("/ is mounted");
        assert!(!root.kind.is_empty());
        let proc = imp::mount_of(Path::new("/proc/self")).expect("/proc is mounted");
        assert_eq!(proc.kind, "proc");
    }
}

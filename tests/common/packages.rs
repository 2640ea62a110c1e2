//! The system parts some tests drive (tmux, Chromium and its driver,
//! GlusterFS) come from Debian's packages. A test that needs one calls
//! [`need`] first: where a command is missing and the test runs as root
//! with `apt-get`, the package is installed there and then (so
//! `cargo test --all-targets` passes as it stands on a fresh Debian
//! machine); otherwise the test fails naming the exact packages and the
//! command that installs them.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// One install at a time within a test binary (cargo runs the binaries
/// one after another, and apt waits for its own lock besides).
static INSTALLING: Mutex<()> = Mutex::new(());

/// Where a command is found, looking in the system directories too (a
/// non-root PATH often lacks /usr/sbin, where glusterd lives).
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    path.split(':')
        .filter(|d| !d.is_empty())
        .chain([
            "/usr/sbin",
            "/usr/bin",
            "/sbin",
            "/bin",
            "/usr/local/sbin",
            "/usr/local/bin",
        ])
        .map(|d| Path::new(d).join(program))
        .find(|p| p.is_file())
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

/// Make sure every `(command, Debian package)` in `needs` is there for
/// `what` (a few words naming the tests), installing the missing packages
/// as root, or panicking with what to install.
pub fn need(what: &str, needs: &[(&str, &str)]) {
    let missing = || -> Vec<&str> {
        let mut pkgs: Vec<&str> = needs
            .iter()
            .filter(|(command, _)| which(command).is_none())
            .map(|(_, pkg)| *pkg)
            .collect();
        pkgs.dedup();
        pkgs
    };
    if missing().is_empty() {
        return;
    }
    let _one = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    let pkgs = missing();
    if pkgs.is_empty() {
        return;
    }
    let list = pkgs.join(" ");
    if !is_root() || which("apt-get").is_none() {
        panic!(
            "{what} need the Debian packages {list}, which are not installed. \
             Install them with `sudo apt-get install {list}` (run as root, the tests \
             install them themselves), then run the tests again."
        );
    }
    eprintln!("{what}: installing {list} with apt-get (missing on this machine)");
    let apt = |args: &[&str]| {
        Command::new("apt-get")
            .args(["-o", "DPkg::Lock::Timeout=600", "-qq"])
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status()
            .is_ok_and(|s| s.success())
    };
    let install: Vec<&str> = ["install", "-y"]
        .into_iter()
        .chain(pkgs.iter().copied())
        .collect();
    // A fresh machine has no package lists yet: update, then try again.
    let installed = apt(&install) || (apt(&["update"]) && apt(&install));
    let still = missing();
    assert!(
        installed && still.is_empty(),
        "{what}: `apt-get install {list}` did not install {} here; install it by hand and run the tests again",
        still.join(" ")
    );
}

/// A Python that can `import module`: `python3` itself when it already
/// can, else a virtual environment under `venv` with `spec` installed
/// from PyPI there and then (Debian's `python3` and `python3-venv` first,
/// as [`need`] installs packages). Panics naming the exact commands when
/// it cannot be had, so a test never skips for want of it.
pub fn python_with(what: &str, module: &str, spec: &str, venv: &Path) -> PathBuf {
    let imports = |python: &Path| {
        Command::new(python)
            .args(["-c", &format!("import {module}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let ready = venv.join("bin/python");
    if imports(&ready) {
        return ready;
    }
    need(what, &[("python3", "python3")]);
    let system = which("python3").expect("python3 was just made sure of");
    if imports(&system) {
        return system;
    }
    let _one = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    if imports(&ready) {
        return ready;
    }
    let make_venv = || {
        let _ = std::fs::remove_dir_all(venv);
        Command::new(&system)
            .arg("-m")
            .arg("venv")
            .arg(venv)
            .status()
            .is_ok_and(|s| s.success())
    };
    // Debian's python3 makes a virtual environment only with python3-venv.
    if !make_venv() {
        if is_root() && which("apt-get").is_some() {
            let apt = |args: &[&str]| {
                Command::new("apt-get")
                    .args(["-o", "DPkg::Lock::Timeout=600", "-qq"])
                    .args(args)
                    .env("DEBIAN_FRONTEND", "noninteractive")
                    .status()
                    .is_ok_and(|s| s.success())
            };
            let install = ["install", "-y", "python3-venv"];
            let _ = apt(&install) || (apt(&["update"]) && apt(&install));
        }
        assert!(
            make_venv(),
            "{what} need a Python virtual environment, which `python3 -m venv {}` could not make: \
             install Debian's python3-venv (`sudo apt-get install python3-venv`) and run the tests again",
            venv.display()
        );
    }
    eprintln!(
        "{what}: installing {spec} from PyPI into {}",
        venv.display()
    );
    let pip = Command::new(&ready)
        .args(["-m", "pip", "install", "--quiet", spec])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        pip && imports(&ready),
        "{what}: `{} -m pip install '{spec}'` did not give a Python that can import {module} \
         (PyPI must be reachable); install it by hand, or `python3 -m pip install '{spec}'`, \
         and run the tests again",
        ready.display()
    );
    ready
}

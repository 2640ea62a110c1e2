//! The `incident` binary.
//!
//! It starts without Rust's usual runtime set-up (`no_main`). That set-up
//! reads /proc/self/maps to find the main thread's stack, so that a stack
//! overflow can be reported by name: about 0.1 ms of every command's start
//! here, more than parsing the arguments, paid by every `incident log` a
//! script runs. The rest of that set-up is done below, as the runtime does
//! it: standard streams that were closed are opened on /dev/null (or the
//! first file opened would take their place, and output meant for them
//! would go into it), SIGPIPE is ignored (a closed pipe is an error to
//! handle, not a kill), and a panic exits with status 101, after the panic
//! hook has given the terminal back. The arguments are taken from C's
//! `argv`, which every C library passes to `main`. A stack overflow now
//! ends the process with SIGSEGV and no message.
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(argc: std::ffi::c_int, argv: *const *const std::ffi::c_char) -> std::ffi::c_int {
    if open_closed_streams().is_err() {
        // As the runtime does: without its standard streams it cannot
        // safely run at all.
        std::process::abort();
    }
    // SAFETY: setting a signal's disposition to ignore, before any thread
    // is started.
    unsafe {
        nix::libc::signal(nix::libc::SIGPIPE, nix::libc::SIG_IGN);
    }
    // SAFETY: C's `main` receives `argc` valid, NUL-terminated strings.
    let args = unsafe { arguments(argc, argv) };
    let code =
        std::panic::catch_unwind(|| incident::cli::main(incident::cli::Cli::from_args(args)))
            .unwrap_or(101);
    // Flushes standard output, then exits.
    std::process::exit(code)
}

/// `argv` as the program's arguments, the program's name first.
///
/// # Safety
/// `argv` must hold `argc` pointers to NUL-terminated strings.
#[cfg(not(test))]
unsafe fn arguments(
    argc: std::ffi::c_int,
    argv: *const *const std::ffi::c_char,
) -> Vec<std::ffi::OsString> {
    use std::os::unix::ffi::OsStrExt;
    (0..usize::try_from(argc).unwrap_or(0))
        .map(|i| {
            // SAFETY: within `argc`, each a NUL-terminated string.
            let arg = unsafe { std::ffi::CStr::from_ptr(*argv.add(i)) };
            std::ffi::OsStr::from_bytes(arg.to_bytes()).to_os_string()
        })
        .collect()
}

/// Open /dev/null on each of the standard streams that is closed.
#[cfg(not(test))]
fn open_closed_streams() -> std::io::Result<()> {
    use nix::fcntl::{FcntlArg, OFlag, fcntl, open};
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::BorrowedFd;
    // SAFETY: the descriptors are only asked about; a closed one reports
    // POLLNVAL (or EBADF) rather than being used.
    let fds = [0, 1, 2].map(|fd| unsafe { BorrowedFd::borrow_raw(fd) });
    let mut polled = fds.map(|fd| PollFd::new(fd, PollFlags::empty()));
    let closed: Vec<bool> = loop {
        match poll(&mut polled, PollTimeout::ZERO) {
            Ok(_) => {
                break polled
                    .iter()
                    .map(|p| p.revents().is_some_and(|r| r.contains(PollFlags::POLLNVAL)))
                    .collect();
            }
            Err(nix::errno::Errno::EINTR) => continue,
            // Where poll cannot tell, ask each descriptor, as the
            // runtime does.
            Err(
                nix::errno::Errno::EINVAL | nix::errno::Errno::EAGAIN | nix::errno::Errno::ENOMEM,
            ) => {
                break fds
                    .iter()
                    .map(|fd| fcntl(fd, FcntlArg::F_GETFD) == Err(nix::errno::Errno::EBADF))
                    .collect();
            }
            Err(e) => return Err(e.into()),
        }
    };
    for _ in closed.iter().filter(|c| **c) {
        // The lowest free descriptor is the closed stream's own (they are
        // reopened in order); kept across exec, as a standard stream is,
        // for the commands `incident run` starts.
        let null = open("/dev/null", OFlag::O_RDWR, nix::sys::stat::Mode::empty())?;
        std::mem::forget(null);
    }
    Ok(())
}

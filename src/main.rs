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
//! hook has given the terminal back. A stack overflow now ends the process
//! with SIGSEGV and no message.
#![cfg_attr(not(test), no_main)]

#[cfg(not(test))]
#[unsafe(no_mangle)]
extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    // Arguments still come from std::env::args: on Linux the standard
    // library reads them before `main`, whoever provides it.
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
    let code = std::panic::catch_unwind(|| incident::cli::main(incident::cli::Cli::from_env()))
        .unwrap_or(101);
    // Flushes standard output, then exits.
    std::process::exit(code)
}

/// Open /dev/null on each of the standard streams that is closed.
#[cfg(not(test))]
fn open_closed_streams() -> std::io::Result<()> {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    use std::os::fd::BorrowedFd;
    // SAFETY: the descriptors are only polled; a closed one reports
    // POLLNVAL rather than being used.
    let fds = [0, 1, 2].map(|fd| unsafe { BorrowedFd::borrow_raw(fd) });
    let mut polled = fds.map(|fd| PollFd::new(fd, PollFlags::empty()));
    loop {
        match poll(&mut polled, PollTimeout::ZERO) {
            Ok(_) => break,
            Err(nix::errno::Errno::EINTR) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    for p in &polled {
        if p.revents().is_some_and(|r| r.contains(PollFlags::POLLNVAL)) {
            // The lowest free descriptor is the closed stream's own; kept
            // across exec, as a standard stream is, for commands run.
            let null = nix::fcntl::open(
                "/dev/null",
                nix::fcntl::OFlag::O_RDWR,
                nix::sys::stat::Mode::empty(),
            )?;
            std::mem::forget(null);
        }
    }
    Ok(())
}

//! The once-a-second wake-up behind the visible clock.
//!
//! On Linux one kernel timer (`timerfd`) fires on each whole second of the
//! wall clock, so an idle view wakes exactly once a second and the clock
//! turns over on time. (Tokio's timer wheel reaches a deadline a second
//! away in two or three steps, each a wake-up: on a shared box with dozens
//! of copies open for hours, that adds up.) Elsewhere, or where no timerfd
//! is available, a tokio sleep to the next whole second stands in.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub struct Ticker {
    #[cfg(target_os = "linux")]
    timer: Option<wall::WallTimer>,
    armed: bool,
}

impl Ticker {
    /// A ticker, not yet running (see [`Ticker::run`]). Must be created
    /// inside a tokio runtime.
    pub fn new() -> Self {
        Ticker {
            #[cfg(target_os = "linux")]
            timer: wall::WallTimer::new(),
            armed: false,
        }
    }

    /// Tick (or stop ticking): only while a clock is on screen.
    pub fn run(&mut self, on: bool) {
        if on == self.armed {
            return;
        }
        self.armed = on;
        #[cfg(target_os = "linux")]
        if let Some(timer) = &self.timer
            && timer.run(on).is_err()
        {
            // Fall back to tokio's timer from now on.
            self.timer = None;
        }
    }

    /// Wait for the next whole second. Pending for ever while not running,
    /// so it can sit in a `select!` unconditionally.
    pub async fn tick(&self) {
        if !self.armed {
            return std::future::pending().await;
        }
        #[cfg(target_os = "linux")]
        if let Some(timer) = &self.timer {
            return timer.tick().await;
        }
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let wait = Duration::from_nanos(1_000_000_000 - u64::from(since_epoch.subsec_nanos()));
        tokio::time::sleep(wait).await
    }
}

impl Default for Ticker {
    fn default() -> Self {
        Self::new()
    }
}

/// The Linux wall-clock timer, waited on through tokio.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // The one registration below; see its SAFETY note.
mod wall {
    use nix::sys::time::TimeSpec;
    use nix::sys::timerfd::{ClockId, Expiration, TimerFd, TimerFlags, TimerSetTimeFlags};
    use std::os::fd::{AsFd, AsRawFd, RawFd};
    use std::time::{Duration, SystemTime, UNIX_EPOCH};
    use tokio::io::Interest;
    use tokio::io::unix::AsyncFd;

    /// A timerfd that tokio can wait on.
    struct Fd(TimerFd);

    impl AsRawFd for Fd {
        fn as_raw_fd(&self) -> RawFd {
            self.0.as_fd().as_raw_fd()
        }
    }

    pub struct WallTimer(AsyncFd<Fd>);

    impl WallTimer {
        pub fn new() -> Option<Self> {
            let t = TimerFd::new(
                ClockId::CLOCK_REALTIME,
                TimerFlags::TFD_NONBLOCK | TimerFlags::TFD_CLOEXEC,
            )
            .ok()?;
            // SAFETY: `Fd` owns the timerfd, so the descriptor stays open
            // and the same for as long as the AsyncFd holds it (tokio
            // deregisters it before `Fd` is dropped and closes it).
            unsafe { AsyncFd::register_with_interest(Fd(t), Interest::READABLE) }
                .ok()
                .map(WallTimer)
        }

        pub fn run(&self, on: bool) -> nix::Result<()> {
            if on {
                arm(&self.0.get_ref().0)
            } else {
                self.0.get_ref().0.unset()
            }
        }

        pub async fn tick(&self) {
            loop {
                let Ok(mut ready) = self.0.readable().await else {
                    return std::future::pending().await;
                };
                let mut expirations = [0u8; 8];
                let read = ready.try_io(|fd| {
                    nix::unistd::read(fd.get_ref().0.as_fd(), &mut expirations)
                        .map_err(std::io::Error::from)
                });
                match read {
                    // The wall clock was set (NTP stepped it, a VM resumed):
                    // the next whole second is no longer where the timer
                    // points, possibly an hour away. Aim again, and tick now.
                    Ok(Err(e)) if e.raw_os_error() == Some(nix::libc::ECANCELED) => {
                        let _ = arm(&self.0.get_ref().0);
                        return;
                    }
                    Ok(_) => return,
                    Err(_would_block) => continue,
                }
            }
        }
    }

    /// Fire on every whole second of the wall clock from the next one on,
    /// and report (as ECANCELED on read) any jump of the clock.
    fn arm(fd: &TimerFd) -> nix::Result<()> {
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let next = Duration::from_secs(since_epoch.as_secs() + 1);
        fd.set(
            Expiration::IntervalDelayed(
                TimeSpec::from_duration(next),
                TimeSpec::from_duration(Duration::from_secs(1)),
            ),
            TimerSetTimeFlags::TFD_TIMER_ABSTIME | TimerSetTimeFlags::TFD_TIMER_CANCEL_ON_SET,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn ticks_on_the_whole_second_and_stays_quiet_when_stopped() {
        let mut t = Ticker::new();
        #[cfg(target_os = "linux")]
        assert!(t.timer.is_some(), "timerfd is available on Linux");
        let stopped = tokio::time::timeout(Duration::from_millis(1100), t.tick()).await;
        assert!(stopped.is_err(), "a stopped ticker must not fire");

        t.run(true);
        t.tick().await;
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        assert!(
            nanos < 600_000_000,
            "fired {} ms past the whole second",
            nanos / 1_000_000
        );
        let started = std::time::Instant::now();
        t.tick().await;
        let gap = started.elapsed();
        assert!(
            gap > Duration::from_millis(300) && gap < Duration::from_millis(1700),
            "second tick after {gap:?}"
        );
    }
}

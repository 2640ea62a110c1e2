//! Taking over the terminal, and giving it back on every exit path:
//! normal quit, error, panic, SIGHUP (SSH dropped) and SIGTERM.

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::io::{BufWriter, Stdout, stdout};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

/// The terminal is ours (raw mode, alternate screen) right now.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Frames are gathered and written in one go: standard output alone would
/// write every kilobyte (a frame is often several), and each write wakes
/// the terminal, or sends a packet over SSH.
pub type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

const FRAME_BUFFER: usize = 64 * 1024;

/// Owns the terminal while the view is up; restores it when dropped.
pub struct TerminalGuard {
    pub term: Term,
}

/// Put the terminal back the way we found it. Safe to call more than once.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let _ = disable_raw_mode();
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
}

static HOOK: Once = Once::new();

/// Restore the terminal before a panic message is printed, and print it
/// sanitized (it may quote text from the incident).
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            restore();
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
            eprintln!(
                "incident: internal error{at}: {}\nNothing you submitted is lost: every entry is written before it is shown. Please report this.",
                crate::sanitize::text(&msg)
            );
        }));
    });
}

impl TerminalGuard {
    pub fn enter() -> std::io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        let mut out = stdout();
        if let Err(e) = execute!(out, EnterAlternateScreen, EnableBracketedPaste) {
            restore();
            return Err(e);
        }
        let out = BufWriter::with_capacity(FRAME_BUFFER, out);
        // A fixed viewport, resized on the terminal's resize events: a
        // full-screen one asks the terminal for its size on every frame.
        let fixed = crossterm::terminal::size().map(|(w, h)| TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, w, h)),
        });
        match fixed.and_then(|options| Terminal::with_options(CrosstermBackend::new(out), options))
        {
            Ok(term) => Ok(TerminalGuard { term }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

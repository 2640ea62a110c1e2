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
use std::cell::{Cell, RefCell};
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

thread_local! {
    /// Work on this thread runs under [`caught`]: a panic is the work's
    /// failure to report, and the view goes on, so the terminal is not
    /// given back and nothing is printed over the screen.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// What the last caught panic said, with where.
    static CAUGHT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// What a panic said: its message, sanitized (it may quote text from
/// the incident).
fn said(payload: &(dyn std::any::Any + Send)) -> String {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    crate::sanitize::text(&msg).into_owned()
}

/// What the hook does with a panic.
#[derive(Debug, PartialEq, Eq)]
enum OnPanic {
    /// Work run under [`caught`]: noted, for `caught` to return.
    Note,
    /// Another thread while the view runs (a sender, a watcher, a
    /// drill), from before it takes the terminal until after it gives it
    /// back: kept for the view's loop, which closes the view
    /// ([`broke_elsewhere`]); the terminal is the loop's to give back.
    Keep,
    /// The view's own thread, or no view: the terminal back, then the
    /// message.
    Restore,
}

fn on_panic(catching: bool, view_up: bool, views_thread: bool) -> OnPanic {
    if catching {
        OnPanic::Note
    } else if view_up && !views_thread {
        OnPanic::Keep
    } else {
        OnPanic::Restore
    }
}

/// A panic on another thread while the view was up, for its loop.
static ELSEWHERE: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// The view's thread while it runs, and how to wake its loop.
type View = (std::thread::ThreadId, std::sync::Arc<tokio::sync::Notify>);
static VIEW: std::sync::Mutex<Option<View>> = std::sync::Mutex::new(None);

/// The live view runs on this thread until this is dropped: a panic on
/// any other thread meanwhile is kept for it, and wakes it with `wake`.
pub struct ViewRuns(());

impl ViewRuns {
    pub fn start(wake: std::sync::Arc<tokio::sync::Notify>) -> Self {
        install_panic_hook();
        if let Ok(mut view) = VIEW.lock() {
            *view = Some((std::thread::current().id(), wake));
        }
        ViewRuns(())
    }
}

impl Drop for ViewRuns {
    fn drop(&mut self) {
        if let Ok(mut view) = VIEW.lock() {
            *view = None;
        }
    }
}

/// What a panic on another thread said while the view was up (taken).
pub fn broke_elsewhere() -> Option<String> {
    ELSEWHERE.lock().ok()?.take()
}

/// Restore the terminal before a panic message is printed, and print it
/// sanitized (it may quote text from the incident). A panic in work run
/// under [`caught`] is only noted, for `caught` to return; one on another
/// thread while the view is up is kept for the view's loop.
pub fn install_panic_hook() {
    HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let msg = format!("{}{at}", said(info.payload()));
            // Never waits: a view being set up or ended meanwhile counts
            // as no view (the message is printed).
            let view = VIEW.try_lock().ok().and_then(|v| v.clone());
            let here = std::thread::current().id();
            let views_thread = view.as_ref().is_some_and(|(id, _)| *id == here);
            match on_panic(CATCHING.get(), view.is_some(), views_thread) {
                OnPanic::Note => CAUGHT.set(Some(msg)),
                OnPanic::Keep => {
                    if let Ok(mut kept) = ELSEWHERE.lock() {
                        kept.get_or_insert(msg);
                    }
                    if let Some((_, wake)) = view {
                        wake.notify_one();
                    }
                }
                OnPanic::Restore => {
                    restore();
                    eprintln!(
                        "incident: internal error: {msg}\nNothing you submitted is lost: every entry is written before it is shown. Please report this."
                    );
                }
            }
        }));
    });
}

/// Run `work`, turning a panic in it into an error saying what it said
/// (and where, when the view's hook is installed): for work off the
/// view's loop, whose failure the view reports instead of ending with the
/// terminal in pieces.
pub fn caught<T>(work: impl FnOnce() -> T) -> Result<T, String> {
    let was = CATCHING.replace(true);
    CAUGHT.set(None);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    CATCHING.set(was);
    result.map_err(|payload| CAUGHT.take().unwrap_or_else(|| said(&*payload)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_noted_kept_for_the_view_or_printed_after_the_terminal_is_back() {
        // Work under caught: noted, wherever it runs.
        assert_eq!(on_panic(true, true, false), OnPanic::Note);
        assert_eq!(on_panic(true, false, true), OnPanic::Note);
        // Another thread while the view is up: the view's loop closes it.
        assert_eq!(on_panic(false, true, false), OnPanic::Keep);
        // The view's own thread, or no view (the command line, listen's
        // threads): the terminal back and the message printed.
        assert_eq!(on_panic(false, true, true), OnPanic::Restore);
        assert_eq!(on_panic(false, false, false), OnPanic::Restore);
        assert_eq!(on_panic(false, false, true), OnPanic::Restore);
    }

    #[test]
    fn a_panic_in_caught_work_is_its_error_and_the_thread_goes_on() {
        install_panic_hook();
        assert_eq!(caught(|| 7), Ok(7));
        let e = caught(|| -> u8 { panic!("bad \u{1b}[2Jtitle {}", 3) }).unwrap_err();
        // What it said, sanitized, and where (the hook is installed).
        assert!(
            e.starts_with("bad ␛[2Jtitle 3 at src/tui/terminal.rs:"),
            "{e}"
        );
        // The thread is not left catching: the next caught work is fresh.
        assert!(!CATCHING.get());
        let e = caught(|| -> u8 { panic!("{}", String::from("second")) }).unwrap_err();
        assert!(e.starts_with("second at "), "{e}");
        // On another thread, with nothing said before.
        let e = std::thread::spawn(|| caught(|| -> u8 { panic!("elsewhere") }))
            .join()
            .unwrap()
            .unwrap_err();
        assert!(e.starts_with("elsewhere"), "{e}");
    }
}

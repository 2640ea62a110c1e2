//! One loop over terminal input, file changes, the clock and signals. It
//! redraws only when something changed, and coalesces bursts of file
//! events into one reload and one frame.

use super::app::{App, Msg, Screen};
use super::overlay::Tone;
use super::session::Session;
use super::terminal::TerminalGuard;
use super::theme::Theme;
use super::view;
use crate::store::watch::{self, Change, WatchMode};
use chrono::Utc;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use std::time::Duration;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

pub struct Options {
    /// Offer the breathing screen to someone just paged.
    pub breathing: bool,
    /// Launched from a pager payload.
    pub paged: bool,
    pub id: Option<String>,
    pub theme: Theme,
    pub theme_error: Option<String>,
    pub watch: WatchMode,
    /// `incident --demo`: the header says DEMO.
    pub demo: bool,
}

pub fn run(session: Session, opts: Options) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    // From here until the view is gone, a panic on another thread (a
    // watcher, a sender, a drill) closes the view rather than leave it
    // running without that thread: kept by the panic hook, said here if
    // the view ended before its loop could.
    let runs = super::terminal::ViewRuns::start(session.wake.clone());
    let result = rt.block_on(run_async(session, opts));
    drop(runs);
    match (super::terminal::broke_elsewhere(), result) {
        (None, result) => result,
        (Some(e), Ok(())) => Err(bug_closed(&e)),
        (Some(e), Err(first)) => Err(format!("{first}\n{}", bug_closed(&e))),
    }
}

/// What is said when the view closed on a bug.
fn bug_closed(e: &str) -> String {
    format!(
        "the live view hit a bug and closed ({e}).\nThe incident itself is unchanged and still open for everyone in it. Run `incident` again: anything you had typed and not sent is offered back (:resume). Please report this."
    )
}

async fn run_async(mut session: Session, opts: Options) -> Result<(), String> {
    crate::store::fs::ensure_dir(session.store.dir()).map_err(|e| e.to_string())?;
    // One stream of changes, from change events or from polling (the
    // watch module chooses, and falls back).
    let (tx, mut rx) = mpsc::unbounded_channel::<Change>();
    let dir = session.store.dir().to_path_buf();
    // The maintenance windows' folder, watched as the directory is (a
    // window added on any box reaches the banner as it is written); a
    // directory this person cannot write to is watched without it.
    let _ = crate::store::maintenance::ensure_folder(&dir);
    let watcher = watch::watch_dir(&dir, opts.watch, move |c| {
        let _ = tx.send(c);
    })
    .map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    session.follow = Some(watcher.follow());

    let screen = session
        .initial_screen(opts.id.as_deref())
        .map_err(|e| e.to_string())?;
    let mut app = first_app(&mut session, screen, &opts, watcher.polling);
    let mut guard = TerminalGuard::enter().map_err(|e| format!("cannot use this terminal: {e}"))?;
    // Terminal input arrives through a channel: polling crossterm's stream
    // afresh on every turn of the loop would contend for its reader lock.
    let (key_tx, mut events) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut stream = EventStream::new();
        loop {
            let ev = stream.next().await;
            let end = !matches!(ev, Some(Ok(_)));
            // Stamped here, on arrival, not when the loop gets to it
            // (after a frame): a paste is told from typing by these.
            let ev = ev.map(|e| e.map(|e| (e, Utc::now())));
            if key_tx.send(ev).is_err() || end {
                break;
            }
        }
    });
    let mut ticker = super::ticker::Ticker::new();
    let mut hangup = signal(SignalKind::hangup()).map_err(|e| e.to_string())?;
    let mut terminate = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
    let size = guard.term.size().map_err(|e| e.to_string())?;
    session.tell(&mut app, Msg::Resize(size.width, size.height));

    let wake = session.wake.clone();
    let mut keep_draft = false;
    let mut dirty = true;
    loop {
        if dirty {
            let now = Utc::now();
            // Layout depends on the time too (a running break's banner).
            session.tell(&mut app, Msg::Now(now));
            if guard
                .term
                .draw(|f| view::render(f, &app, &opts.theme, now))
                .is_err()
            {
                // The terminal is gone (SSH dropped): keep the draft, stop.
                keep_draft = true;
                break;
            }
            dirty = false;
        }
        // A panic on another thread (a sender, a watcher, a drill): the
        // view closes as when a job off the loop breaks.
        if let Some(e) = super::terminal::broke_elsewhere() {
            session.broke.get_or_insert(e);
        }
        if app.quit || session.broke.is_some() {
            break;
        }
        // Wake on each whole second only when a clock is on screen.
        ticker.run(matches!(app.screen, Screen::Room(_) | Screen::Picker(_)));
        tokio::select! {
            // `None` twice over: the stream ended, or the task reading it
            // did (it cannot be restarted): either way input is gone.
            ev = events.recv() => match ev.flatten() {
                Some(Ok((Event::Key(key), at))) => {
                    let effects = app.update(Msg::KeyArrived(key, at));
                    session.perform_all(effects, &mut app);
                    dirty = true;
                }
                Some(Ok((Event::Paste(text), _))) => {
                    let effects = app.update(Msg::Paste(&text));
                    session.perform_all(effects, &mut app);
                    dirty = true;
                }
                Some(Ok((Event::Resize(w, h), _))) => {
                    if w == 0 || h == 0 {
                        session.save_draft(&app);
                        break;
                    }
                let effects = app.update(Msg::Resize(w, h));
                    session.perform_all(effects, &mut app);
                    let _ = guard.term.resize(ratatui::layout::Rect::new(0, 0, w, h));
                    dirty = true;
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    // Input is gone: the terminal hung up.
                    keep_draft = true;
                    break;
                }
            },
            changes = next_changes(&mut rx) => {
                session.changed(&mut app, &changes);
                dirty = true;
            }
            () = wake.notified() => {
                session.apply_outcomes(&mut app);
                dirty = true;
            }
            () = ticker.tick() => {
                // crossterm drops a resize that lands in the same poll as
                // a key (it returns the key and forgets the signal): the
                // size is checked once a second, so the frame never stays
                // drawn for a size the terminal no longer has.
                if let Ok((w, h)) = crossterm::terminal::size()
                    && w > 0
                    && h > 0
                    && (w, h) != app.size
                {
                    let effects = app.update(Msg::Resize(w, h));
                    session.perform_all(effects, &mut app);
                    let _ = guard.term.resize(ratatui::layout::Rect::new(0, 0, w, h));
                }
                let effects = app.update(Msg::Tick(Utc::now()));
                session.perform_all(effects, &mut app);
                if session.tick(&mut app, Utc::now()) {
                    use std::io::Write;
                    let mut out = std::io::stdout();
                    let _ = out.write_all(b"\x07").and_then(|()| out.flush());
                }
                dirty = true;
            }
            _ = hangup.recv() => {
                keep_draft = true;
                break;
            }
            _ = terminate.recv() => {
                keep_draft = true;
                break;
            }
        }
    }
    drop(guard);
    // A job off the loop or another thread broke (whichever way the loop
    // ended): the view closed itself, keeping what was typed as Ctrl-C
    // does, and says why once the terminal is back.
    if let Some(e) = super::terminal::broke_elsewhere() {
        session.broke.get_or_insert(e);
    }
    let broke = session.broke.take();
    if broke.is_some() {
        app.force_quit = true;
    }
    finish(&mut session, &mut app, keep_draft);
    broke.map_or(Ok(()), |e| Err(bug_closed(&e)))
}

/// The next burst of changes; never an empty burst.
async fn next_changes(rx: &mut mpsc::UnboundedReceiver<Change>) -> Vec<Change> {
    let Some(first) = rx.recv().await else {
        // The watch has ended: no more changes.
        return std::future::pending().await;
    };
    let mut changes = vec![first];
    while let Ok(c) = rx.try_recv() {
        changes.push(c);
    }
    changes
}

/// The app as it opens on `screen`: the demo, breathing for someone just
/// paged, what changed since they left, the input history, and
/// everything worth saying on opening in one line.
fn first_app(session: &mut Session, screen: Screen, opts: &Options, polling: bool) -> App {
    let mut app = App::new(session.me.clone(), screen);
    session.tell(&mut app, Msg::Demo(opts.demo));
    // First time in this incident, just paged (or it was just declared):
    // ten seconds of breathing first.
    if opts.breathing
        && let Some(room) = app.room()
    {
        let fresh = Utc::now() - room.incident.declared_at < chrono::Duration::minutes(10);
        let id = room.incident.id.clone();
        if (opts.paged || fresh) && super::history::first_visit(session.mine().as_deref(), &id) {
            session.tell(&mut app, Msg::Breathe(Utc::now()));
        }
    }
    // Then what changed since this person left, or the brief.
    session.tell(&mut app, Msg::Tick(Utc::now()));
    let history = super::history::History::load(session.mine().as_deref());
    session.tell(&mut app, Msg::History(history));
    session.tell(&mut app, Msg::Polling(polling));
    // Everything worth saying on opening, in one line: what came back
    // from last time (kept, offered with `:resume`: `Session::install`)
    // and what went wrong (a bad playbook or theme).
    let problems: Vec<String> = [
        session.startup_error.take(),
        opts.theme_error
            .as_ref()
            .map(|e| format!("{e} (using the default theme)")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let said = (!problems.is_empty()).then(|| (Tone::Error, problems.join(" · ")));
    if let Some((tone, text)) = said {
        session.tell(&mut app, Msg::Notice(tone, text));
    }
    app
}

/// The view has closed: wait for what is still being written, and keep
/// what was typed when it may be lost.
fn finish(session: &mut Session, app: &mut App, keep_draft: bool) {
    // Entries sent and not yet on disk (another writer holds the lock):
    // wait for them, as long as a writer waits for a lock.
    if session.sending() > 0 {
        if !keep_draft {
            eprintln!("incident: saving {} entries…", session.sending());
        }
        session.settle(app, crate::store::fs::LOCK_TIMEOUT + Duration::from_secs(1));
    }
    // Ctrl-C quits at once, and the terminal may be gone: keep what was
    // typed (and any section being edited, and anything not saved) for
    // next time.
    if keep_draft || app.force_quit || session.sending() > 0 {
        session.save_draft(app);
    }
    if session.sending() > 0 && !keep_draft {
        eprintln!(
            "incident: {} entries could not be saved; they are back in the input bar next time",
            session.sending()
        );
    }
}

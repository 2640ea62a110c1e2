//! Opening the live view, and its headless one-frame form.

use super::Failure;
use crate::identity;
use crate::store::Store;
use crate::store::watch::WatchMode;
use crate::tui::app::App;
use crate::tui::event_loop::{self, Options};
use crate::tui::session::Session;
use crate::tui::theme::Theme;
use std::io::IsTerminal;

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

pub fn open(
    store: Store,
    id: Option<String>,
    theme: Option<&str>,
    watch: WatchMode,
) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Err(Failure::usage(
            "the live view needs a terminal. From scripts use the subcommands (incident --help), \
             or `incident screen` for one frame as text",
        ));
    }
    let (theme, theme_error) = Theme::load(theme, no_color());
    let session = Session::new(store, identity::current());
    event_loop::run(
        session,
        Options {
            id,
            theme,
            theme_error: theme_error.map(|e| e.to_string()),
            watch,
        },
    )
    .map_err(|message| Failure { message, code: 1 })
}

pub fn screen(
    store: &Store,
    id: Option<&str>,
    theme: Option<&str>,
    w: u16,
    h: u16,
) -> Result<String, Failure> {
    let (theme, theme_error) = Theme::load(theme, no_color());
    if let Some(e) = theme_error {
        eprintln!(
            "incident: {} (using the default theme)",
            crate::sanitize::line(&e.to_string())
        );
    }
    let me = identity::current();
    let file = store.resolve(id)?;
    let mut session = Session::new(store.clone(), me.clone());
    // Headless: show the room without joining it (no presence file).
    let mut room = crate::tui::app::Room::new(file.incident().clone());
    room.read_only = file.read_only().map(str::to_string);
    room.here = crate::store::presence::list(store.dir(), &room.incident.id);
    session.file = Some(file);
    let mut app = App::new(me, crate::tui::app::Screen::Room(Box::new(room)));
    let buf = crate::tui::headless::draw(&mut app, &theme, chrono::Utc::now(), w, h);
    Ok(crate::tui::headless::to_text(&buf))
}

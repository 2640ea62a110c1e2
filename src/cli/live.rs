//! Opening the live view, and its headless one-frame form.

use super::{Ctx, Failure};
use crate::tui::app::{App, Room, Screen};
use crate::tui::event_loop::{self, Options};
use crate::tui::session::Session;
use crate::tui::theme::Theme;
use std::io::IsTerminal;

fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

pub fn open(ctx: &Ctx, id: Option<String>) -> Result<(), Failure> {
    let paged = std::env::var_os("INCIDENT_PAGED").is_some_and(|v| v == "1");
    open_paged(ctx, id, paged)
}

/// Open the live view; `paged` when the person was just paged for it.
pub fn open_paged(ctx: &Ctx, id: Option<String>, paged: bool) -> Result<(), Failure> {
    open_view(ctx, id, paged, false)
}

/// Open the live view of `incident --demo`'s sample incident.
pub fn open_demo(ctx: &Ctx, id: String) -> Result<(), Failure> {
    open_view(ctx, Some(id), false, true)
}

fn open_view(ctx: &Ctx, id: Option<String>, paged: bool, demo: bool) -> Result<(), Failure> {
    // Keys come from the terminal: standard input, or /dev/tty when input
    // was a payload (`incident page --open < alert.json`).
    let keyboard = std::io::stdin().is_terminal()
        || std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .is_ok();
    if !keyboard || !std::io::stdout().is_terminal() {
        return Err(Failure::usage(
            "the live view needs a terminal. From scripts use the subcommands (incident --help), \
             or `incident screen` for one frame as text",
        ));
    }
    let (theme, theme_error) = Theme::load(ctx.theme.as_deref(), no_color());
    let mut session = Session::new(ctx.store.clone(), ctx.me.clone());
    // Bell and breathing: the team's choice, overridden by the person's.
    let team = crate::config::Team::load(ctx.store.dir()).unwrap_or_default();
    let personal = crate::config::Personal::load().map_err(|e| Failure::usage(e.to_string()))?;
    session.bell = personal.bell.unwrap_or(team.bell);
    let options = Options {
        breathing: personal.breathing.unwrap_or(team.breathing),
        paged,
        id,
        theme,
        theme_error: theme_error.map(|e| e.to_string()),
        watch: ctx.watch_mode,
        demo,
    };
    event_loop::run(session, options).map_err(|message| Failure { message, code: 1 })
}

pub fn screen(
    ctx: &Ctx,
    id: Option<&str>,
    w: u16,
    h: u16,
    at: Option<&str>,
) -> Result<String, Failure> {
    draw_screen(ctx, id, w, h, at, false)
}

/// One frame of `incident --demo` (`incident --demo screen`).
pub fn demo_screen(
    ctx: &Ctx,
    id: &str,
    w: u16,
    h: u16,
    at: Option<&str>,
) -> Result<String, Failure> {
    draw_screen(ctx, Some(id), w, h, at, true)
}

/// One frame of the live view; `at`: as it stood then (`--at`), as the
/// view shows it while looking back.
fn draw_screen(
    ctx: &Ctx,
    id: Option<&str>,
    w: u16,
    h: u16,
    at: Option<&str>,
    demo: bool,
) -> Result<String, Failure> {
    let (theme, theme_error) = Theme::load(ctx.theme.as_deref(), no_color());
    if let Some(e) = theme_error {
        eprintln!(
            "incident: {} (using the default theme)",
            crate::sanitize::line(&e.to_string())
        );
    }
    let file = ctx.store.resolve(id)?;
    // Headless: show the room without joining it (no presence file).
    let mut room = Room::new(file.incident().clone());
    room.read_only = file.read_only().map(str::to_string);
    room.set_roster(crate::store::presence::roster(
        ctx.store.dir(),
        &room.incident.id,
    ));
    // As a live view has it: the team's takeover setting, and freezes
    // other incidents hold.
    if let Ok(team) = crate::config::Team::load(ctx.store.dir()) {
        room.around.takeover_after = team.takeover_after;
    }
    room.around.frozen_elsewhere = ctx
        .store
        .maybe_frozen(&room.incident.id)
        .into_iter()
        .filter_map(|id| ctx.store.open(&id).ok())
        .filter(|f| f.incident().freezes_deploys())
        .filter_map(|f| {
            let inc = f.incident();
            inc.freeze_notice(|t| t.format("%H:%M UTC").to_string())
                .map(|n| (inc.id.clone(), n))
        })
        .collect();
    if at.is_none() {
        // The other active incidents, as the live view's line names them.
        let mut others: Vec<crate::tui::room::OtherIncident> = ctx
            .store
            .hot_ids()
            .unwrap_or_default()
            .into_iter()
            .filter(|id| *id != room.incident.id)
            .filter_map(|id| ctx.store.open(&id).ok())
            .filter(|f| f.incident().is_active() && !f.incident().is_drill())
            .map(|f| crate::tui::room::OtherIncident::of(f.incident()))
            .collect();
        others.sort_by_key(|o| (o.severity, o.declared_at));
        room.around.others_active = others;
        // The maintenance windows, as a view reads them when it opens (the
        // banner names one holding back pages for a system bleeding here).
        room.around.maintenance =
            crate::store::maintenance::active(ctx.store.dir(), chrono::Utc::now())
                .unwrap_or_default();
    }
    if let Some(at) = at {
        let then = super::as_of::then(&file, at)?;
        room.show_past(crate::tui::look_back::Past {
            point: then.point,
            state: then.state,
        });
    }
    let mut app = App::new(ctx.me.clone(), Screen::Room(Box::new(room)));
    app.set_demo(demo);
    let buf = crate::tui::headless::draw(&mut app, &theme, chrono::Utc::now(), w, h);
    Ok(crate::tui::headless::to_text(&buf))
}

//! The whole screen as a pure function of the app state, the theme and the
//! time: `render(frame, app, theme, now)`.

use super::app::{App, Overlay, Screen};
use super::panes;
use super::theme::Theme;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// Smallest terminal the war room is drawn in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Where each part of the war room goes.
pub struct Areas {
    pub header: Rect,
    pub roles: Rect,
    pub log: Rect,
    pub input: Rect,
    pub hints: Rect,
}

/// The war-room layout. The band under the header holds the Roles pane;
/// panes added later (what is bleeding, break timer) share that band.
pub fn layout(area: Rect, app: &App) -> Areas {
    let roles_rows = app.room().map(|r| r.shown_roles().len()).unwrap_or(2) as u16;
    let band = if area.height >= 16 { roles_rows + 2 } else { 0 };
    let [header, band, log, input, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(band),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Areas {
        header,
        roles: band,
        log,
        input,
        hints,
    }
}

pub fn render(f: &mut Frame, app: &App, theme: &Theme, now: DateTime<Utc>) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Too small: need {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{}",
            area.width, area.height
        );
        f.render_widget(Paragraph::new(Line::styled(msg, theme.alert)), area);
        return;
    }
    let clock = app.clock(now);
    match &app.screen {
        Screen::Picker(p) => panes::picker::render(f, area, p, app, theme, &clock),
        Screen::Welcome(w) => panes::welcome::render(f, area, w, app, theme),
        Screen::Room(room) => {
            let a = layout(area, app);
            panes::header::render(f, a.header, room, theme, &clock);
            if a.roles.height > 0 {
                panes::roles::render(f, a.roles, room, theme, &clock);
            }
            let pane = panes::log::LogPane {
                log: &room.incident.log,
                scroll: &room.log,
                focused: room.focus == super::app::Focus::Log,
                search: room.search.as_deref(),
                search_hit: room.search_hit,
            };
            panes::log::render(f, a.log, &pane, theme, &clock);
            panes::input::render(f, a.input, room, theme);
            panes::hints::render(f, a.hints, app, theme);
        }
    }
    match app.overlay {
        Some(Overlay::Help(top)) => panes::help::render(f, area, theme, top),
        Some(Overlay::ConfirmQuit) => panes::help::confirm_quit(f, area, theme),
        None => {}
    }
}

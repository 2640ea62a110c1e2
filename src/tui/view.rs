//! The whole screen as a pure function of the app state, the theme and the
//! time: `render(frame, app, theme, now)`.

use super::app::{App, Focus, Overlay, Screen};
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

/// Where each part of the war room goes. A pane that has nothing to show
/// gets an empty rectangle and is not drawn.
pub struct Areas {
    pub header: Rect,
    pub roles: Rect,
    pub requests: Rect,
    pub log: Rect,
    pub prompt: Rect,
    pub input: Rect,
    pub hints: Rect,
}

/// The war-room layout: header; a band of small panes (roles, what is
/// waiting); the log filling the rest; a prompt when a question is open;
/// the input bar and the key hints.
pub fn layout(area: Rect, app: &App) -> Areas {
    let room = app.room();
    let roles_rows = room.map(|r| r.shown_roles().len()).unwrap_or(2);
    let request_rows = room.map(panes::requests::rows).unwrap_or(0);
    let band_rows = roles_rows.max(request_rows.min(6)) as u16;
    let band = if area.height >= 16 { band_rows + 2 } else { 0 };
    let prompt = if app.prompt().is_some() && area.height >= 14 {
        panes::prompt::HEIGHT
    } else {
        0
    };
    let [header, band, log, prompt, input, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(band),
        Constraint::Min(3),
        Constraint::Length(prompt),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let (roles, requests) = if request_rows > 0 && band.width >= 70 {
        let [a, b] = Layout::horizontal([Constraint::Length(40), Constraint::Min(20)]).areas(band);
        (a, b)
    } else {
        (band, Rect::default())
    };
    Areas {
        header,
        roles,
        requests,
        log,
        prompt,
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
            if a.requests.height > 0 && a.requests.width > 0 {
                panes::requests::render(f, a.requests, room, theme, &clock);
            }
            let pane = panes::log::LogPane {
                log: &room.incident.log,
                scroll: &room.log,
                focused: room.focus == Focus::Log,
                search: room.search.as_deref(),
                search_hit: room.search_hit,
            };
            panes::log::render(f, a.log, &pane, theme, &clock);
            if a.prompt.height > 0
                && let Some(p) = app.prompt()
            {
                panes::prompt::render(f, a.prompt, &p, room.input.value().is_empty(), theme);
            }
            panes::input::render(f, a.input, room, theme);
            panes::hints::render(f, a.hints, app, theme);
            if app.overlay == Some(Overlay::Responders) {
                panes::responders::render(f, area, room, &clock, theme);
            }
        }
    }
    match app.overlay {
        Some(Overlay::Help(top)) => panes::help::render(f, area, theme, top),
        Some(Overlay::ConfirmQuit) => panes::help::confirm_quit(f, area, theme),
        Some(Overlay::Responders) | None => {}
    }
}

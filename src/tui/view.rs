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
    pub bleeding: Rect,
    pub requests: Rect,
    pub log: Rect,
    pub prompt: Rect,
    pub input: Rect,
    pub hints: Rect,
}

/// The war-room layout: header; a band of small panes (roles, what is
/// bleeding; what is waiting for an answer beside or below them); the log
/// filling the rest; a prompt when a question is open; the input bar and
/// the key hints. Panes with nothing to show take no room.
pub fn layout(area: Rect, app: &App) -> Areas {
    let room = app.room();
    let roles_rows = room.map(|r| r.shown_roles().len()).unwrap_or(2);
    let request_rows = room.map(panes::requests::rows).unwrap_or(0).min(4);
    let bleeding =
        room.is_some_and(|r| panes::bleeding::has_content(&r.incident)) && area.width >= 60;
    let bleed_cap = if area.height >= 40 {
        14
    } else if area.height >= 30 {
        9
    } else {
        6
    };
    let bleed_rows = if bleeding {
        room.map(panes::bleeding::wanted_rows)
            .unwrap_or(0)
            .min(bleed_cap)
    } else {
        0
    };
    let roomy = area.height >= 16;
    // Requests sit beside the roles when there is no bleeding pane, else
    // in a strip of their own under the band.
    let beside = request_rows > 0 && !bleeding && area.width >= 70;
    let band_rows = roles_rows
        .max(bleed_rows)
        .max(if beside { request_rows } else { 0 }) as u16;
    let band = if roomy { band_rows + 2 } else { 0 };
    let strip = if roomy && request_rows > 0 && !beside {
        request_rows as u16 + 2
    } else {
        0
    };
    let prompt = if app.prompt().is_some() && area.height >= 14 {
        panes::prompt::HEIGHT
    } else {
        0
    };
    let [header, band, strip, log, prompt, input, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(band),
        Constraint::Length(strip),
        Constraint::Min(3),
        Constraint::Length(prompt),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // Roles take less room when the bleeding pane needs it.
    let roles_width = if bleeding && area.width < 120 { 30 } else { 40 };
    let side = |band: Rect| -> (Rect, Rect) {
        let [a, b] =
            Layout::horizontal([Constraint::Length(roles_width), Constraint::Min(20)]).areas(band);
        (a, b)
    };
    let (roles, bleeding_area, requests) = if bleeding {
        let (a, b) = side(band);
        (a, b, strip)
    } else if beside {
        let (a, b) = side(band);
        (a, Rect::default(), b)
    } else {
        (band, Rect::default(), strip)
    };
    Areas {
        header,
        roles,
        bleeding: bleeding_area,
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
            if a.bleeding.height > 0 && a.bleeding.width > 0 {
                panes::bleeding::render(f, a.bleeding, room, theme, &clock);
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
            match app.overlay {
                Some(Overlay::Responders) => {
                    panes::responders::render(f, area, room, &clock, theme)
                }
                Some(Overlay::Assumptions) => {
                    panes::assumptions::render(f, area, room, &clock, theme)
                }
                _ => {}
            }
        }
    }
    match app.overlay {
        Some(Overlay::Help(top)) => panes::help::render(f, area, theme, top),
        Some(Overlay::ConfirmQuit) => panes::help::confirm_quit(f, area, theme),
        Some(Overlay::Responders | Overlay::Assumptions) | None => {}
    }
}

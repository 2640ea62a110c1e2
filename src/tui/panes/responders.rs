//! Who has the incident open: user, where from, since when, role, and
//! when they last wrote to the log.

use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use crate::tui::wrap::truncate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn lines(room: &Room, clock: &Clock, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let inc = &room.incident;
    let mut out = vec![Line::styled(
        truncate(
            &format!(
                "{:<14} {:<9} {:>8}  {:<15} {:<9} FROM",
                "WHO", "JOINED", "ON FOR", "ROLE", "LAST"
            ),
            width,
        ),
        theme.muted,
    )];
    for h in &room.around.here {
        let who = h.actor.who();
        let roles: Vec<&str> = inc
            .roles
            .iter()
            .filter(|(_, r)| r.user == who)
            .map(|(role, _)| role.label())
            .collect();
        let last = inc
            .log
            .iter()
            .rev()
            .find(|e| e.by == who)
            .map(|e| format!("{} ago", clock.elapsed_short(e.at)));
        let from = [
            Some(h.actor.host.as_str()).filter(|s| !s.is_empty()),
            h.actor.via.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        let name = if h.actor.name.as_deref().is_some_and(|n| n != h.actor.user) {
            format!("{who} ({})", h.actor.user)
        } else {
            who.to_string()
        };
        let row = format!(
            "{:<14} {:<9} {:>8}  {:<15} {:<9} {}",
            truncate(&sanitize::line(&name), 14),
            clock.time(h.joined_at),
            clock.elapsed_short(h.joined_at),
            if roles.is_empty() {
                "-".to_string()
            } else {
                roles.join(", ")
            },
            last.unwrap_or_else(|| "-".into()),
            sanitize::line(&from)
        );
        out.push(Line::from(Span::raw(truncate(&row, width))));
    }
    if room.around.here.is_empty() {
        out.push(Line::styled("Nobody has it open right now.", theme.muted));
    }
    out
}

pub fn render(f: &mut Frame, area: Rect, room: &Room, clock: &Clock, theme: &Theme) {
    let h = (room.around.here.len() as u16 + 3).min(area.height);
    let w = area.width.min(100);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus)
        .title(Span::styled(
            format!(" Here now: {} · any key closes ", room.around.here.len()),
            theme.title,
        ));
    let inner = block.inner(rect);
    // More here than rows: the last row counts the rest.
    let lines = super::fit_list(
        lines(room, clock, theme, inner.width as usize),
        inner.height as usize,
        inner.width as usize,
        "a taller terminal lists them",
        theme.muted,
    );
    f.render_widget(Paragraph::new(lines).block(block), rect);
}

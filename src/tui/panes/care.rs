//! Looking after people: the breathing screen when just paged, and the
//! calm message for someone the commander stood down.

use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::overlay::BREATHE_SECS;
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::centered;

/// Ten seconds of breathing: in for four, out for four, a circle that
/// grows and shrinks, and one line of guidance. Any key skips it.
pub fn breathe(f: &mut Frame, area: Rect, since: DateTime<Utc>, clock: &Clock, theme: &Theme) {
    f.render_widget(Clear, area);
    let secs = (clock.now - since).num_seconds().clamp(0, BREATHE_SECS);
    let phase = secs % 8;
    let (word, size) = if phase < 4 {
        ("Breathe in", phase + 1)
    } else {
        ("Breathe out", 8 - phase)
    };
    let circle = ["·", "○", "◯", "( ◯ )", "(  ◯  )"][size as usize % 5];
    let lines = vec![
        Line::raw(""),
        Line::styled(circle, theme.title),
        Line::raw(""),
        Line::styled(word, theme.title),
        Line::raw(""),
        Line::styled(
            "You were paged. Take ten seconds: the incident will still be there.",
            theme.muted,
        ),
        Line::styled(
            format!("{}s · any key skips", BREATHE_SECS - secs),
            theme.muted,
        ),
    ];
    let rect = centered(area, 72, 9);
    f.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        rect,
    );
}

/// Shown once to someone the commander stood down.
pub fn stood_down(f: &mut Frame, area: Rect, room: &Room, me: &str, theme: &Theme, clock: &Clock) {
    let Some(d) = room.incident.detached.get(me) else {
        return;
    };
    let note = d
        .note
        .as_deref()
        .map(|n| format!(" “{}”", sanitize::line(n)))
        .unwrap_or_default();
    let rect = centered(area, 64, 8);
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.ok);
    let lines = vec![
        Line::styled(
            format!(
                "{} stood you down at {}.{note}",
                sanitize::line(&d.by),
                clock.time(d.at)
            ),
            theme.title,
        ),
        Line::raw(""),
        Line::raw("Thank you. Hand over anything you were doing in the log, then rest."),
        Line::raw("The team has it from here."),
        Line::styled("any key closes this", theme.muted),
    ];
    f.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
        rect,
    );
}

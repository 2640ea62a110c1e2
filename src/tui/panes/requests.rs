//! Waiting for someone: clearance requests not yet answered, and roles
//! offered but not yet accepted. Drawn only while there are any.

use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use crate::tui::wrap::truncate;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// Rows this pane wants at `now` (0: not drawn).
pub fn rows(room: &Room, now: DateTime<Utc>) -> usize {
    room.incident.pending_requests().count()
        + room.incident.offers.len()
        + away_note(room, now).map_or(0, |n| n.len())
}

/// A request has waited a minute for a commander with no view open: say
/// so, and how to take over (now, or in how long). Two short lines, so
/// they fit the pane beside the roles.
fn away_note(room: &Room, now: DateTime<Utc>) -> Option<[String; 2]> {
    let inc = &room.incident;
    // A stale request (its asker's process is gone) waits for nobody.
    let stale = room.stale();
    let oldest = inc
        .pending_requests()
        .filter(|r| !stale.contains(&r.id))
        .map(|r| r.at)
        .min()?;
    let commander = inc.commander()?;
    let away = room.away(commander, now).minutes(now)?;
    if (now - oldest).num_seconds() < 60 {
        return None;
    }
    let wait = i64::from(room.around.takeover_after) - away;
    let offer = if wait > 0 {
        format!(":takeover ic in {wait}m")
    } else {
        ":takeover ic to answer".to_string()
    };
    Some([
        format!(
            "IC {} away {}, no view open",
            sanitize::line(commander),
            crate::model::away::span(away)
        ),
        offer,
    ])
}

pub fn render(f: &mut Frame, area: Rect, room: &Room, theme: &Theme, clock: &Clock) {
    let inc = &room.incident;
    if area.height < 3 {
        // No room for the box: one line says what waits and where to see it.
        let line = compact(room, area.width as usize);
        f.render_widget(Paragraph::new(Line::styled(line, theme.warn)), area);
        return;
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.warn)
        .title(Span::styled(" Waiting ", theme.warn));
    let inner = block.inner(area);
    let w = inner.width as usize;
    let commander = inc.commander().map(|c| sanitize::line(c).into_owned());
    let note = away_note(room, clock.now);
    let stale = room.stale();
    let mut lines: Vec<Line> = Vec::new();
    lines.extend(inc.pending_requests().map(|r| {
        if stale.contains(&r.id) {
            // Its asker's process is gone: nobody waits for the answer
            // ("stopped waiting", as the CLI and the log say; "left" read
            // as gone from the incident).
            let tag = format!(" · stale: {} stopped waiting", sanitize::line(&r.by));
            let text = format!("R{} {}", r.id, sanitize::line(&r.text));
            return Line::from(vec![
                Span::styled(
                    truncate(&text, w.saturating_sub(tag.len()).max(10)),
                    theme.muted,
                ),
                Span::styled(tag, theme.muted),
            ]);
        }
        let waiting = match &commander {
            Some(_) => format!(" · {}", clock.elapsed_short(r.at)),
            None => " · no IC to clear it".into(),
        };
        let text = format!(
            "R{} {}: {}",
            r.id,
            sanitize::line(&r.by),
            sanitize::line(&r.text)
        );
        Line::from(vec![
            Span::styled(
                truncate(&text, w.saturating_sub(waiting.len()).max(10)),
                theme.warn,
            ),
            Span::styled(waiting, theme.muted),
        ])
    }));
    lines.extend(inc.offers.iter().map(|(role, o)| {
        let text = format!(
            "{role}: {} → {}, waiting for accept",
            sanitize::line(&o.from),
            sanitize::line(&o.to)
        );
        Line::styled(truncate(&text, w), theme.title)
    }));
    // The away note after the requests it is about; squeezed to one line
    // when the pane has no room for two, so a request is never pushed out.
    // What does not fit is counted on the last row, with where to see it.
    let h = inner.height as usize;
    let note_rows = match &note {
        Some(_) if h >= lines.len() + 2 => 2,
        Some(_) => 1.min(h.saturating_sub(1)),
        None => 0,
    };
    if h.saturating_sub(note_rows) == 1 && lines.len() > 1 {
        // One row inside the box for several: the oldest and the count,
        // as the one-line strip says them (a bare count named nothing).
        lines = vec![Line::styled(compact(room, w), theme.warn)];
    }
    let mut lines = super::fit_list(lines, h - note_rows, w, ":brief lists them", theme.warn);
    if let Some([who, offer]) = note.filter(|_| note_rows > 0) {
        if note_rows >= 2 {
            lines.push(Line::styled(truncate(&who, w), theme.alert));
            lines.push(Line::styled(truncate(&offer, w), theme.alert));
        } else {
            let short = who.replace(", no view open", "");
            lines.push(Line::styled(
                truncate(&format!("{offer} · {short}"), w),
                theme.alert,
            ));
        }
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// The pane in one line `width` wide: how many wait, the oldest, and
/// where to see them all ("Waiting 4: R1 carol: restart db-2 … · :brief
/// lists them").
fn compact(room: &Room, width: usize) -> String {
    let inc = &room.incident;
    let stale = room.stale();
    let first = inc
        .pending_requests()
        .find(|r| !stale.contains(&r.id))
        .or_else(|| inc.pending_requests().next())
        .map(|r| {
            format!(
                "R{} {}: {}",
                r.id,
                sanitize::line(&r.by),
                sanitize::line(&r.text)
            )
        });
    let n = inc.pending_requests().count() + inc.offers.len();
    let how = " · :brief lists them";
    let head = format!("Waiting {n}: ");
    match first {
        Some(first) => {
            let room_for = width.saturating_sub(head.chars().count() + how.chars().count());
            format!("{head}{}{how}", truncate(&first, room_for.max(8)))
        }
        None => truncate(&format!("Waiting {n}{how}"), width),
    }
}

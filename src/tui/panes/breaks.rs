//! The break: a countdown everyone sees the same (it is stored in the
//! incident and drawn from the clock), and when none is running, what
//! calls the next one and how long each responder has been on.

use crate::model::{Break, BreakKind, Incident, Status};
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

/// "12:34" left.
fn left(b: &Break, now: DateTime<Utc>) -> String {
    let s = (b.ends_at - now).num_seconds().max(0);
    format!("{:02}:{:02}", s / 60, s % 60)
}

/// A text progress bar of `width` cells for how much of the break is over.
fn gauge(b: &Break, now: DateTime<Utc>, width: usize) -> String {
    let total = (b.ends_at - b.starts_at).num_seconds().max(1) as f64;
    let done = ((now - b.starts_at).num_seconds().max(0) as f64 / total).min(1.0);
    let filled = (done * width as f64).round() as usize;
    format!(
        "{}{}",
        "█".repeat(filled),
        "░".repeat(width.saturating_sub(filled))
    )
}

fn what(b: &Break) -> &'static str {
    match b.kind {
        BreakKind::Team => "TEAM BREAK",
        BreakKind::Procedure => "PAUSE BEFORE THE PROCEDURE",
    }
}

/// The one-line banner while a break runs.
pub fn banner(inc: &Incident, clock: &Clock, theme: &Theme, width: usize) -> Option<Line<'static>> {
    let b = inc.break_at(clock.now)?;
    let why = b
        .reason
        .as_deref()
        .map(|r| format!(": {}", sanitize::line(r)))
        .unwrap_or_default();
    let head = format!(" {} {} left ", what(b), left(b, clock.now));
    let tail = if b.automatic {
        format!(" automatic{why}")
    } else {
        format!(" called by {}{why}", sanitize::line(&b.started_by))
    };
    let bar = gauge(b, clock.now, 20);
    let text = truncate(&format!("{head}{bar}{tail}"), width);
    Some(Line::styled(
        text,
        theme.ok.add_modifier(ratatui::style::Modifier::BOLD),
    ))
}

/// Who has been on the incident how long, longest first.
pub fn on_shift(room: &Room, now: DateTime<Utc>) -> Vec<(String, chrono::Duration)> {
    let mut v: Vec<(String, chrono::Duration)> = room
        .around
        .here
        .iter()
        .map(|h| {
            let who = h.actor.who().to_string();
            let since = room
                .incident
                .first_seen(&who)
                .map_or(h.joined_at, |f| f.min(h.joined_at));
            (who, now - since)
        })
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.dedup_by(|a, b| a.0 == b.0);
    v
}

fn hm(d: chrono::Duration) -> String {
    let m = d.num_minutes().max(0);
    if m >= 60 {
        format!("{}h{:02}m", m / 60, m % 60)
    } else {
        format!("{m}m")
    }
}

/// What calls the next break, when none is running.
fn next_break(inc: &Incident) -> String {
    match inc.status {
        Status::Investigating => {
            format!("next: {}m after impact stops", inc.human.team_break_minutes)
        }
        _ => "next: when the IC calls it".to_string(),
    }
}

/// How long `d` has been on, styled past the team's warning and alert.
fn on_for(inc: &Incident, d: chrono::Duration, theme: &Theme) -> Span<'static> {
    let warn = chrono::Duration::minutes(i64::from(inc.human.fatigue_warn_minutes));
    let alert = chrono::Duration::minutes(i64::from(inc.human.fatigue_alert_minutes));
    let style = if d >= alert {
        theme.alert
    } else if d >= warn {
        theme.warn
    } else {
        Default::default()
    };
    Span::styled(hm(d), style)
}

/// Who has been on longest, in one line of `w` columns: "on longest:
/// alice 2h10m, bob 44m".
fn longest_line(room: &Room, clock: &Clock, theme: &Theme, w: usize) -> Line<'static> {
    let shift = on_shift(room, clock.now);
    let mut spans = vec![Span::styled("on longest:", theme.muted)];
    if shift.is_empty() {
        spans.push(Span::styled(" nobody here", theme.muted));
    }
    let mut used = crate::tui::wrap::width("on longest:");
    let total = shift.len();
    let mut shown = 0;
    for (i, (who, d)) in shift.into_iter().take(4).enumerate() {
        let who = format!("{} {}", if i == 0 { "" } else { "," }, sanitize::line(&who));
        let piece = crate::tui::wrap::width(&who) + 1 + hm(d).len();
        // Room kept for saying how many more, when there are more.
        let more = if i + 1 < total { 10 } else { 0 };
        if i > 0 && used + piece + more > w {
            break;
        }
        used += piece;
        shown += 1;
        spans.push(Span::raw(who));
        spans.push(Span::raw(" "));
        spans.push(on_for(&room.incident, d, theme));
    }
    if shown < total {
        // How many more, and (with the room) where to see them.
        let long = format!(" +{} :who", total - shown);
        let more = if used + crate::tui::wrap::width(&long) <= w {
            long
        } else {
            format!(" +{}", total - shown)
        };
        spans.push(Span::styled(more, theme.muted));
    }
    fit(Line::from(spans), w)
}

/// Cut a line to `w` columns.
fn fit(line: Line<'static>, w: usize) -> Line<'static> {
    let mut left = w;
    let spans = line
        .spans
        .into_iter()
        .map(|s| {
            let t = truncate(&s.content, left);
            left = left.saturating_sub(crate::tui::wrap::width(&t));
            Span::styled(t, s.style)
        })
        .collect::<Vec<_>>();
    Line::from(spans)
}

/// The break pane in one line, for screens with no room for the pane:
/// what calls the next break and who has been on longest.
pub fn compact(room: &Room, clock: &Clock, theme: &Theme, width: usize) -> Line<'static> {
    let head = format!(" Break {} · ", next_break(&room.incident));
    let rest = width.saturating_sub(crate::tui::wrap::width(&head));
    let mut spans = vec![Span::styled(head, theme.ok)];
    spans.extend(longest_line(room, clock, theme, rest).spans);
    fit(Line::from(spans), width)
}

/// The pane: the running break (time left, a gauge, who called it), or
/// what calls the next one and who has been on longest. It fits what it
/// shows to the rows it has: at two, one line for each.
pub fn render(f: &mut Frame, area: Rect, room: &Room, theme: &Theme, clock: &Clock) {
    let inc = &room.incident;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Break ", theme.ok));
    let inner = block.inner(area);
    let (w, h) = (inner.width as usize, inner.height as usize);
    let mut lines: Vec<Line> = Vec::new();
    match inc.break_at(clock.now) {
        Some(b) => {
            lines.push(Line::styled(
                format!("{} left", left(b, clock.now)),
                theme.ok,
            ));
            if h >= 3 {
                lines.push(Line::styled(gauge(b, clock.now, w.min(24)), theme.ok));
            }
            let why = b
                .reason
                .as_deref()
                .map(|r| format!(": {}", sanitize::line(r)))
                .unwrap_or_default();
            lines.push(Line::raw(truncate(
                &format!("{}{why}", sanitize::line(b.caller())),
                w,
            )));
        }
        None => {
            lines.push(Line::styled(truncate(&next_break(inc), w), theme.muted));
            let shift = on_shift(room, clock.now);
            // A list when there are rows for it (longest first), else one line.
            let listed = shift.len().min(4).min(h.saturating_sub(2));
            if listed == 1 && shift.len() > 1 {
                // One row for several: the longest on it, then a row
                // counting the others and where to see them.
                let more = shift.len() - 1;
                if let Some((who, d)) = shift.into_iter().next() {
                    lines.push(Line::from(vec![
                        Span::styled("on longest: ", theme.muted),
                        Span::raw(truncate(
                            &format!("{} ", sanitize::line(&who)),
                            w.saturating_sub(19),
                        )),
                        on_for(inc, d, theme),
                    ]));
                }
                lines.push(Line::styled(super::more_row(more, ":who", w), theme.muted));
            } else if listed > 0 && h >= 3 {
                lines.push(Line::styled("on shift:", theme.muted));
                // More than the rows: the last row counts the rest.
                let more = shift.len() - listed;
                let (listed, more) = if more > 0 && listed >= 2 {
                    (listed - 1, more + 1)
                } else {
                    (listed, 0)
                };
                for (who, d) in shift.into_iter().take(listed) {
                    lines.push(Line::from(vec![
                        Span::raw(truncate(
                            &format!(" {} ", sanitize::line(&who)),
                            w.saturating_sub(7),
                        )),
                        on_for(inc, d, theme),
                    ]));
                }
                if more > 0 {
                    lines.push(Line::styled(super::more_row(more, ":who", w), theme.muted));
                }
            } else {
                lines.push(longest_line(room, clock, theme, w));
            }
        }
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}

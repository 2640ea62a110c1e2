//! The one-line header: id · severity · title · status (or how it was
//! closed: "CLOSED: duplicate of INC-1") · elapsed (or, once resolved, how
//! long it lasted) · IC ·
//! comms · next update · impact · here. When the line is too narrow for the
//! whole title, the impact gives way first; then the countdown says it in
//! fewer words and the title is shortened, and only then do the clock and
//! how many are here give way (the parts first close up, "·" without
//! spaces around it); the next update's countdown gives way
//! only when nobody holds communications (then "No comms" says what
//! matters), and an overdue update never does ("update late 5m" when
//! tight).

use crate::model::{Role, Status};
use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use crate::tui::wrap::{truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The fewest columns the title is shortened to before the clock and
/// presence give way.
const TITLE_MIN: usize = 6;

/// The header of `room`; `demo` when this is `incident --demo` (a sample
/// incident nobody is paged for: the header says DEMO before anything).
pub fn render(f: &mut Frame, area: Rect, room: &Room, demo: bool, theme: &Theme, clock: &Clock) {
    let inc = &room.incident;
    let status_style = match inc.status {
        Status::Investigating => theme.alert,
        Status::Mitigated => theme.warn,
        Status::Resolved => theme.ok,
    };
    // (drop order: lower goes first; 0 never drops, text, style)
    let mut parts: Vec<(u8, String, ratatui::style::Style)> = match &inc.closed {
        // Closed, not resolved: every screen says how.
        Some(c) => vec![(0, format!("CLOSED: {}", c.label()), theme.warn)],
        None => vec![(0, inc.status.as_str().into(), status_style)],
    };
    // Once resolved the clock stops: how long it lasted, not how long ago.
    parts.push(match inc.ended_at() {
        Some(end) => (
            3,
            format!("lasted {}", Clock::span(inc.declared_at, end)),
            theme.muted,
        ),
        None => (3, clock.elapsed(inc.declared_at), Default::default()),
    });
    // The clock's shorter form ("46m"), for a line too narrow for the long one.
    let clock_short = match inc.ended_at() {
        Some(_) => None,
        None => Some((
            clock.elapsed(inc.declared_at),
            clock.elapsed_short(inc.declared_at),
        )),
    };
    parts.push(match inc.commander() {
        Some(u) => match room.away(u, clock.now).label(clock.now) {
            Some(away) => (0, format!("IC {} · {away}", sanitize::line(u)), theme.alert),
            None => (0, format!("IC {}", sanitize::line(u)), theme.title),
        },
        None => (0, "No IC".into(), theme.alert),
    });
    let staffed = inc.holder(Role::Communications).is_some();
    if !staffed {
        parts.push((0, "No comms".into(), theme.alert));
    }
    // The countdown's shorter form, for a line too narrow for the long one.
    let mut countdown_short = None;
    if let Some(due) = inc.next_update_due() {
        let mins = (due - clock.now).num_minutes();
        if due <= clock.now {
            let late = (clock.now - due).num_minutes();
            let text = if late == 0 {
                "update due now".to_string()
            } else {
                // Fewer words when the line is tight, before the clock goes.
                let long = format!("update overdue {late}m");
                countdown_short = Some((long.clone(), format!("update late {late}m")));
                long
            };
            parts.push((0, text, theme.alert));
        } else {
            // Communications keeps this promise: while someone holds the
            // role, the countdown stays on every screen; with nobody
            // there, "No comms" is what matters.
            let level = if staffed { 0 } else { 1 };
            let mins = mins.max(1);
            let long = format!("next update in {mins}m");
            countdown_short = Some((long.clone(), format!("update in {mins}m")));
            parts.push((level, long, theme.muted));
        }
    }
    if let Some(i) = inc.impact_now() {
        // Once impact ceased the last estimate is history, not news. (The
        // header is tight: when it ended is in the bleeding pane.)
        let text = format!("{}: {}", i.label(false), sanitize::line(&i.estimate.text));
        let style = if i.is_history() {
            theme.muted
        } else {
            theme.warn
        };
        parts.push((2, text, style));
    }
    // Presence and the clock stay: the title is shortened first.
    parts.push((
        4,
        format!("{} here", room.around.here.len()),
        Default::default(),
    ));
    if room.read_only.is_some() {
        parts.push((0, "READ-ONLY".into(), theme.alert));
    }
    let mut head = Vec::new();
    if demo {
        head.push(Span::styled(" DEMO ", theme.highlight));
    }
    if inc.is_drill() {
        // Never mistaken for the real thing, at any width.
        head.push(Span::styled(" DRILL ", theme.highlight));
    }
    head.extend([
        Span::styled(format!(" {} ", inc.id), theme.title),
        Span::styled(format!(" {} ", inc.severity), theme.severity(inc.severity)),
        Span::raw(" "),
    ]);
    let head_w: usize = head.iter().map(|s| width(&s.content)).sum();
    // The badge says DRILL already.
    let title = sanitize::line(&inc.title).into_owned();
    // " · " between parts; "·" alone on a line too tight for them, before
    // the clock or presence give way.
    let mut sep = " · ";
    let parts_w = |parts: &[(u8, String, _)], sep: &str| {
        parts
            .iter()
            .map(|(_, t, _)| width(t) + width(sep))
            .sum::<usize>()
    };
    let fits = |parts: &[(u8, String, _)], title: usize, sep: &str| {
        head_w + title + parts_w(parts, sep) <= area.width as usize
    };
    // What gives way for the whole title: the countdown while nobody holds
    // communications, and the impact.
    for level in [1, 2] {
        if fits(&parts, width(&title), sep) {
            break;
        }
        parts.retain(|(p, _, _)| *p != level);
    }
    // Then the countdown says it in fewer words and the title shortens,
    // before the clock and then presence give way.
    let short_title = width(&title).min(TITLE_MIN);
    if !fits(&parts, width(&title), sep)
        && let Some((long, short)) = countdown_short
        && let Some(part) = parts.iter_mut().find(|p| p.1 == long)
    {
        part.1 = short;
    }
    if !fits(&parts, short_title, sep)
        && let Some((long, short)) = clock_short
        && let Some(part) = parts.iter_mut().find(|p| p.0 == 3 && p.1 == long)
    {
        part.1 = short;
    }
    if !fits(&parts, short_title, sep) {
        sep = "·";
        for part in &mut parts {
            part.1 = part.1.replace(" · ", " ");
        }
    }
    // Only a title shortened to a few letters still too long takes the
    // clock, then presence.
    for level in [3, 4] {
        if fits(&parts, short_title, sep) {
            break;
        }
        parts.retain(|(p, _, _)| *p != level);
    }
    let room_for_title = (area.width as usize)
        .saturating_sub(head_w + parts_w(&parts, sep))
        .max(short_title);
    let mut spans = head;
    spans.push(Span::styled(truncate(&title, room_for_title), theme.title));
    for (_, text, style) in parts {
        spans.push(Span::styled(sep, theme.muted));
        spans.push(Span::styled(text, style));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

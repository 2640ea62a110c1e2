//! The Roles pane's lines for teams called for help (`:escalate`): one
//! per team, its latest call, who made it and when, and its answer.

use crate::model::Incident;
use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::theme::Theme;
use ratatui::text::{Line, Span};

/// How many teams have been called (one line each).
pub fn count(inc: &Incident) -> usize {
    let mut teams: Vec<&str> = Vec::new();
    for e in &inc.notices.escalations {
        if !teams.contains(&e.team.as_str()) {
            teams.push(&e.team);
        }
    }
    teams.len()
}

/// One line per team, each within `width` columns.
pub fn lines(
    inc: &Incident,
    theme: &Theme,
    clock: &Clock,
    narrow: bool,
    width: usize,
) -> Vec<Line<'static>> {
    let calls = &inc.notices.escalations;
    let mut teams: Vec<&str> = Vec::new();
    for e in calls.iter().rev() {
        if !teams.contains(&e.team.as_str()) {
            teams.push(&e.team);
        }
    }
    teams.reverse();
    teams
        .into_iter()
        .filter_map(|team| {
            let last = calls.iter().rev().find(|e| e.team == team)?;
            let ack = calls
                .iter()
                .rev()
                .find_map(|e| e.ack.as_ref().filter(|_| e.team == team));
            // Narrow: the label unpadded, so the answer (the point of
            // the line) fits beside the team.
            let label = if narrow {
                " Paged ".to_string()
            } else {
                format!(" {:<9} ", "Paged")
            };
            let mut spans = vec![
                Span::styled(label, theme.muted),
                Span::raw(sanitize::line(team).into_owned()),
            ];
            if !narrow {
                spans.push(Span::styled(
                    format!(" {} by {}", clock.time(last.at), sanitize::line(&last.by)),
                    theme.muted,
                ));
            }
            match ack {
                Some(a) => spans.push(Span::raw(format!(
                    " · acked {}{}",
                    if narrow {
                        clock.hm(a.at)
                    } else {
                        clock.time(a.at)
                    },
                    a.by.as_ref()
                        .filter(|_| !narrow)
                        .map(|b| format!(" by {}", sanitize::line(b)))
                        .unwrap_or_default()
                ))),
                None => {
                    let target = crate::model::escalation::target(team);
                    let state = match inc.notices.get(last.n, &target) {
                        Some(d) if d.sent_at.is_some() => "no ack yet".to_string(),
                        Some(d) if d.skipped.is_some() => "not sent".to_string(),
                        // Narrow: "failed 3x" says "not sent" and how often.
                        Some(d) if d.failures > 0 && narrow => format!("failed {}x", d.failures),
                        Some(d) if d.failures > 0 => format!("not sent: failed {}x", d.failures),
                        _ => "sending".to_string(),
                    };
                    spans.push(Span::styled(format!(" · {state}"), theme.alert));
                }
            }
            Some(fit(spans, width))
        })
        .collect()
}

/// `spans` as one line of at most `width` columns, the cut marked "…".
fn fit(spans: Vec<Span<'static>>, width: usize) -> Line<'static> {
    let mut left = width;
    let mut out = Vec::new();
    for s in spans {
        let w = crate::tui::wrap::width(&s.content);
        if w <= left {
            left -= w;
            out.push(s);
            continue;
        }
        out.push(Span::styled(
            crate::tui::wrap::truncate(&s.content, left),
            s.style,
        ));
        break;
    }
    Line::from(out)
}

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

/// One line per team, each within `width` columns; all in the narrow
/// form when one does not fit in the wide form, so the rows line up.
pub fn lines(
    inc: &Incident,
    theme: &Theme,
    clock: &Clock,
    narrow: bool,
    width: usize,
) -> Vec<Line<'static>> {
    let rows = build(inc, theme, clock, narrow, width);
    if rows.iter().any(|(_, narrowed)| *narrowed) && !narrow {
        return build(inc, theme, clock, true, width)
            .into_iter()
            .map(|(l, _)| l)
            .collect();
    }
    rows.into_iter().map(|(l, _)| l).collect()
}

/// The lines, each with whether it is in the narrow form.
fn build(
    inc: &Incident,
    theme: &Theme,
    clock: &Clock,
    narrow: bool,
    width: usize,
) -> Vec<(Line<'static>, bool)> {
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
            // The answer (acked, or why not) is the point of the line: a
            // wide pane says when and by whom too, unless that would cut
            // the answer; then the narrow form, the team's name cut
            // before the answer is.
            let answer = |narrow: bool| match ack {
                Some(a) => Span::raw(format!(
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
                )),
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
                    Span::styled(format!(" · {state}"), theme.alert)
                }
            };
            let name = sanitize::line(team).into_owned();
            if !narrow {
                let spans = vec![
                    Span::styled(format!(" {:<9} ", "Paged"), theme.muted),
                    Span::raw(name.clone()),
                    Span::styled(
                        format!(" {} by {}", clock.time(last.at), sanitize::line(&last.by)),
                        theme.muted,
                    ),
                    answer(false),
                ];
                if spans_width(&spans) <= width {
                    return Some((Line::from(spans), false));
                }
            }
            // Narrow: the label unpadded, so the answer fits beside the team.
            let label = " Paged ";
            let answer = answer(true);
            let room = width.saturating_sub(
                crate::tui::wrap::width(label) + crate::tui::wrap::width(&answer.content),
            );
            let name = if crate::tui::wrap::width(&name) > room && room >= 4 {
                crate::tui::wrap::truncate(&name, room)
            } else {
                name
            };
            Some((
                fit(
                    vec![
                        Span::styled(label.to_string(), theme.muted),
                        Span::raw(name),
                        answer,
                    ],
                    width,
                ),
                true,
            ))
        })
        .collect()
}

fn spans_width(spans: &[Span]) -> usize {
    spans
        .iter()
        .map(|s| crate::tui::wrap::width(&s.content))
        .sum()
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

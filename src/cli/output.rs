//! Plain-text renderings for the CLI. All text from the incident passes
//! through the sanitizer.

use crate::model::{Incident, LogEntry, Role};
use crate::sanitize;
use crate::store::presence::Here;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use std::fmt::Write;

/// Elapsed time as "2h05m", "42m", "12s", "3d04h".
pub fn elapsed(from: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let s = (now - from).num_seconds().max(0);
    let (d, h, m) = (s / 86_400, s / 3600 % 24, s / 60 % 60);
    if d > 0 {
        format!("{d}d{h:02}h")
    } else if h > 0 {
        format!("{h}h{m:02}m")
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{s}s")
    }
}

pub fn summary_json(inc: &Incident, here: &[Here]) -> Value {
    json!({
        "id": inc.id,
        "title": inc.title,
        "drill": inc.drill,
        "severity": inc.severity,
        "status": inc.status,
        "declared_at": inc.declared_at,
        "declared_by": inc.declared_by,
        "commander": inc.commander(),
        "updated_at": inc.updated_at,
        "entries": inc.log.len(),
        "closed": inc.closed,
        "related": inc.related,
        "here": here.iter().map(|h| json!({"user": h.actor.user, "host": h.actor.host, "since": h.joined_at})).collect::<Vec<_>>(),
    })
}

pub fn list_table(
    incidents: &[Box<Incident>],
    all: bool,
    now: DateTime<Utc>,
    here: impl Fn(&str) -> usize,
) -> String {
    if incidents.is_empty() {
        return if all {
            "No incidents here. Declare one with: incident declare --title \"...\"".into()
        } else {
            "No active incidents. `incident list --all` includes resolved ones; \
             declare with: incident declare --title \"...\""
                .into()
        };
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<9} {:<5} {:<14} {:<12} {:>4} {:>6}  TITLE",
        "ID", "SEV", "STATUS", "COMMANDER", "HERE", "AGE"
    );
    for inc in incidents {
        let _ = writeln!(
            out,
            "{:<9} {:<5} {:<14} {:<12} {:>4} {:>6}  {}",
            inc.id,
            inc.severity,
            list_state(inc),
            sanitize::line(inc.commander().unwrap_or("-")),
            here(&inc.id),
            elapsed(inc.declared_at, now),
            sanitize::line(&inc.shown_title())
        );
    }
    out.pop();
    out
}

/// The STATUS column: the status, or how it was closed, in 14 columns.
fn list_state(inc: &Incident) -> String {
    match &inc.closed {
        Some(c) => match &c.into {
            Some(into) if c.kind == crate::model::CloseKind::Duplicate => format!("dup of {into}"),
            _ => c.label(),
        },
        None => inc.status.to_string(),
    }
}

/// One log entry as a line (continuation lines indented), UTC with date,
/// after its number (`#12`, what `incident correct 12` and `pin 12` take).
/// A corrected or retracted entry says so: "[corrected] new — was: old".
pub fn entry_line(e: &LogEntry) -> String {
    let plain = e.plain_text();
    let text = sanitize::text(&plain);
    let mut lines = text.split('\n');
    let prefix = format!(
        "#{:<4} {} {:<10} {} ",
        e.seq,
        e.at.format("%Y-%m-%d %H:%M:%SZ"),
        sanitize::line(&e.by),
        e.kind.marker(),
    );
    let indent = crate::tui::wrap::width(&prefix);
    let mut out = format!("{prefix}{}", lines.next().unwrap_or(""));
    for more in lines {
        let _ = write!(out, "\n{:indent$}{more}", "");
    }
    out
}

/// The incident as text; `away` says how many minutes a role's holder has
/// been away (no view open), when they are.
pub fn show(inc: &Incident, now: DateTime<Utc>, away: impl Fn(&str) -> Option<i64>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} · {} · {} · {}",
        inc.id,
        inc.severity,
        sanitize::line(&inc.shown_title()),
        inc.state_label()
    );
    let _ = writeln!(
        out,
        "declared {} by {} ({} ago)",
        inc.declared_at.format("%Y-%m-%d %H:%M UTC"),
        sanitize::line(&inc.declared_by),
        elapsed(inc.declared_at, now)
    );
    if let Some(c) = &inc.closed {
        let why = c
            .reason
            .as_deref()
            .map(|r| format!(": {}", sanitize::line(r)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "closed as a {} by {} at {}{why} (not resolved)",
            c.label(),
            sanitize::line(&c.by),
            c.at.format("%Y-%m-%d %H:%M UTC")
        );
    }
    for r in &inc.related {
        let _ = writeln!(out, "{}", r.relation.describe(&r.incident));
    }
    if let Some(ack) = &inc.pager_ack {
        let _ = writeln!(out, "{}", sanitize::line(&ack.describe()));
    }
    if !inc.links.is_empty() {
        let _ = writeln!(out, "\nLinks");
        for l in &inc.links {
            let _ = writeln!(
                out,
                "  {:<15} {}",
                sanitize::line(&l.label),
                sanitize::line(&l.url)
            );
        }
    }
    if let Some(end) = inc.ended_at() {
        let _ = writeln!(
            out,
            "resolved {} after {}",
            end.format("%Y-%m-%d %H:%M UTC"),
            elapsed(inc.declared_at, end)
        );
    }
    if let Some(notice) = inc.freeze_notice(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()) {
        let _ = writeln!(out, "DEPLOYS FROZEN {notice}");
    }
    if let Some(banner) = crate::notify::report::failing_banner(inc) {
        let _ = writeln!(out, "{banner}");
    }
    let _ = writeln!(out, "\nRoles");
    for role in Role::ALL {
        match inc.holder(*role) {
            Some(user) => {
                let away = away(user)
                    .map(|a| format!("  (away {a}m: no view open)"))
                    .unwrap_or_default();
                let _ = writeln!(
                    out,
                    "  {:<15} {}{away}",
                    role.as_str(),
                    sanitize::line(user)
                );
            }
            None if Role::ESSENTIAL.contains(role) => {
                let _ = writeln!(
                    out,
                    "  {:<15} - (empty: incident role set {} USER)",
                    role.as_str(),
                    role.as_str()
                );
            }
            None => {}
        }
    }
    let sent = crate::notify::report::lines(inc);
    if !sent.is_empty() {
        let _ = writeln!(out, "\nUpdates sent out");
        for l in sent {
            let _ = writeln!(out, "  {l}");
        }
    }
    let _ = writeln!(out, "\nAction log ({} entries)", inc.log.len());
    for e in &inc.log {
        let _ = writeln!(out, "  {}", entry_line(e).replace('\n', "\n  "));
    }
    out.pop();
    out
}

/// The milestones, how each is known, and the durations between them.
pub fn milestones(inc: &Incident) -> String {
    use crate::model::Milestone;
    use crate::model::milestone::{Source, human};
    let mut out = String::new();
    for m in Milestone::ALL {
        let line = match inc.milestone(*m) {
            Some((at, how)) => {
                let how = match (how, inc.milestones.get(m)) {
                    (Source::Set, Some(set)) => format!(
                        "set by {}{}",
                        sanitize::line(&set.by),
                        set.note
                            .as_deref()
                            .map(|n| format!(": {}", sanitize::line(n)))
                            .unwrap_or_default()
                    ),
                    _ => "recorded".to_string(),
                };
                format!(
                    "{:<15} {}  ({how})",
                    m.as_str(),
                    at.format("%Y-%m-%d %H:%M:%S UTC")
                )
            }
            None => format!("{:<15} -", m.as_str()),
        };
        let _ = writeln!(out, "{line}");
    }
    let d = inc.durations();
    let show = |d: Option<chrono::Duration>| d.map(human).unwrap_or_else(|| "-".into());
    let _ = writeln!(
        out,
        "time to detect {} · acknowledge {} · mitigate {} · resolve {}",
        show(d.to_detect),
        show(d.to_acknowledge),
        show(d.to_mitigate),
        show(d.to_resolve)
    );
    out.pop();
    out
}

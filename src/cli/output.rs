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

/// The incidents as `incident list` prints them; `here` says how many
/// have each open, `away` how long (minutes) `who` has been away from
/// `inc` when they are, as the Roles pane marks them ("bob · away 4m").
pub fn list_table(
    incidents: &[Box<Incident>],
    all: bool,
    now: DateTime<Utc>,
    here: impl Fn(&str) -> usize,
    away: impl Fn(&Incident, &str) -> Option<i64>,
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
    let commanders: Vec<String> = incidents
        .iter()
        .map(|inc| match inc.commander() {
            // Once over, nobody needs the commander's view open.
            Some(c) => match away(inc, c).filter(|_| inc.is_active()) {
                Some(m) => format!(
                    "{} · away {}",
                    sanitize::line(c),
                    crate::model::away::span(m)
                ),
                None => sanitize::line(c).into_owned(),
            },
            None => "-".into(),
        })
        .collect();
    let cw = commanders
        .iter()
        .map(|c| crate::tui::wrap::width(c))
        .max()
        .unwrap_or(0)
        .max(12);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<9} {:<5} {:<14} {:<cw$} {:>4} {:>6}  TITLE",
        "ID", "SEV", "STATUS", "COMMANDER", "HERE", "AGE"
    );
    for (inc, commander) in incidents.iter().zip(&commanders) {
        // Padded by display width: "·" is one column, not two bytes.
        let pad = cw.saturating_sub(crate::tui::wrap::width(commander));
        let _ = writeln!(
            out,
            "{:<9} {:<5} {:<14} {commander}{:pad$} {:>4} {:>6}  {}",
            inc.id,
            inc.severity,
            list_state(inc),
            "",
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
    // A run's output as kept, indented under it.
    if let Some(ev) = &e.evidence {
        for l in ev.output.lines() {
            let _ = write!(out, "\n    {}", sanitize::line(l));
        }
    }
    out
}

/// The incident as text; `away` says how many minutes a role's holder has
/// been away (no view open), when they are.
pub fn show(inc: &Incident, now: DateTime<Utc>, away: impl Fn(&str) -> Option<i64>) -> String {
    show_with(inc, now, away, &Default::default())
}

/// [`show`], with the requests whose asker's waiting process is gone
/// (`stale`, from presence) said to be stale.
pub fn show_with(
    inc: &Incident,
    now: DateTime<Utc>,
    away: impl Fn(&str) -> Option<i64>,
    stale: &std::collections::BTreeSet<u64>,
) -> String {
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
    if let Some(banner) = crate::notify::report::failing_banner(inc) {
        let _ = writeln!(out, "{banner}");
    }
    let _ = writeln!(out, "\nRoles");
    for role in Role::ALL {
        match inc.holder(*role) {
            Some(user) => {
                let away = away(user)
                    .map(|a| format!("  (away {}: no view open)", crate::model::away::span(a)))
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
    let called = crate::notify::report::called(inc);
    if !called.is_empty() {
        section(&mut out, "Called for help", &called.join("\n"));
    }
    state(&mut out, inc, now, stale);
    let _ = writeln!(out, "\nAction log ({} entries)", inc.log.len());
    for e in &inc.log {
        let _ = writeln!(out, "  {}", entry_line(e).replace('\n', "\n  "));
    }
    out.pop();
    out
}

/// Indent every line of `text` by two spaces under a heading.
fn section(out: &mut String, heading: &str, text: &str) {
    let _ = writeln!(out, "\n{heading}");
    for l in text.lines() {
        let _ = writeln!(out, "  {l}");
    }
}

/// "14:20Z (12m ago)" / "14:40Z (in 12m)".
fn when(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let day = if at.date_naive() == now.date_naive() {
        at.format("%H:%MZ").to_string()
    } else {
        at.format("%Y-%m-%d %H:%MZ").to_string()
    };
    if at <= now {
        format!("{day} ({} ago)", elapsed(at, now))
    } else {
        format!("{day} (in {})", elapsed(now, at))
    }
}

/// The state as the war room shows it, after the roles: what is
/// bleeding, the mitigations, what waits for someone, the deploy freeze
/// and the updates. Each part is said by the function its own command
/// (`bleeding`, `mitigation list`, `freeze status`) or pane uses.
fn state(
    out: &mut String,
    inc: &Incident,
    now: DateTime<Utc>,
    stale: &std::collections::BTreeSet<u64>,
) {
    let mut bleeding = String::new();
    let hurt: Vec<_> = inc
        .systems
        .values()
        .filter(|s| s.status.is_bleeding())
        .collect();
    if inc.systems.is_empty() {
        let _ = writeln!(
            bleeding,
            "No systems recorded: `incident system set NAME failing`"
        );
    } else if hurt.is_empty() {
        let _ = writeln!(
            bleeding,
            "No system failing or degraded ({} recorded)",
            inc.systems.len()
        );
    }
    for s in &hurt {
        let _ = writeln!(
            bleeding,
            "{:<20} {:<9} {}",
            sanitize::line(&s.name),
            s.status.as_str(),
            super::bleeding::checked(s)
        );
    }
    bleeding.push_str(&super::bleeding::bleeding_text(inc));
    section(out, "What is bleeding", &bleeding);
    section(out, "Mitigations", &super::mitigation::table(inc, &[]));
    section(out, "Waiting", &waiting(inc, now, stale));
    let freeze = match inc.freeze_notice(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()) {
        Some(notice) => format!("DEPLOYS FROZEN {notice}"),
        None => "Deploys are not frozen by this incident".to_string(),
    };
    section(out, "Deploy freeze", &freeze);
    section(
        out,
        &format!("Updates (every {}m)", inc.update_every()),
        &updates(inc, now),
    );
}

/// Clearance requests waiting for the commander's go or hold, and roles
/// offered but not yet accepted, as the Waiting pane lists them.
fn waiting(inc: &Incident, now: DateTime<Utc>, stale: &std::collections::BTreeSet<u64>) -> String {
    let mut out = String::new();
    for r in inc.pending_requests() {
        if stale.contains(&r.id) {
            let _ = writeln!(
                out,
                "R{} {}: {} (stale: {} stopped waiting for it {} ago; nobody waits for the answer)",
                r.id,
                sanitize::line(&r.by),
                sanitize::line(&r.text),
                sanitize::line(&r.by),
                elapsed(r.at, now)
            );
            continue;
        }
        let who = match inc.commander() {
            Some(c) => format!("for {}'s go or hold", sanitize::line(c)),
            None => "no IC to clear it: incident role claim commander".into(),
        };
        let _ = writeln!(
            out,
            "R{} {}: {} (waiting {}, {who})",
            r.id,
            sanitize::line(&r.by),
            sanitize::line(&r.text),
            elapsed(r.at, now)
        );
    }
    for (role, o) in &inc.offers {
        let _ = writeln!(
            out,
            "{role}: {} → {}, waiting for {} to accept",
            sanitize::line(&o.from),
            sanitize::line(&o.to),
            sanitize::line(&o.to)
        );
    }
    if out.is_empty() {
        out.push_str("Nothing waiting for an answer");
    }
    out
}

/// The last update, when the next is due, and each delivery.
fn updates(inc: &Incident, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let all = &inc.document.updates;
    match all.last() {
        Some(u) => {
            let _ = writeln!(
                out,
                "last   U{} {} by {}{}: {}",
                all.len(),
                when(u.at, now),
                sanitize::line(&u.by),
                if u.external { " (external)" } else { "" },
                sanitize::line(&u.text)
            );
        }
        None => {
            let _ = writeln!(out, "last   none yet: `incident update TEXT`");
        }
    }
    match inc.next_update_due() {
        Some(due) if due <= now => {
            let _ = writeln!(out, "next   OVERDUE since {}", when(due, now));
        }
        Some(due) => {
            let _ = writeln!(out, "next   due {}", when(due, now));
        }
        None => {
            let _ = writeln!(out, "next   none due: the incident is over");
        }
    }
    for l in crate::notify::report::lines(inc) {
        let _ = writeln!(out, "sent   {l}");
    }
    out
}

/// What `incident show --json` adds to the incident: the state as the
/// screen shows it, derived as the text is (`away`: minutes each role's
/// holder has been away, when they are).
pub fn state_json(inc: &Incident, now: DateTime<Utc>, away: impl Fn(&str) -> Option<i64>) -> Value {
    let mut holders = serde_json::Map::new();
    for (role, h) in &inc.roles {
        holders.insert(
            role.as_str().to_string(),
            json!({ "user": h.user, "away_minutes": away(&h.user) }),
        );
    }
    let updates = &inc.document.updates;
    let mut v = json!({
        "role_holders": holders,
        "bleeding": super::bleeding::bleeding_json(inc),
        "hurting": inc
            .systems
            .values()
            .filter(|s| s.status.is_bleeding())
            .map(|s| json!({"name": s.name, "status": s.status, "verified": s.is_verified()}))
            .collect::<Vec<_>>(),
        // With "ended" once impact ceased: the estimate is history.
        "impact": inc.impact_now().as_ref().map(crate::model::ImpactSaid::of),
        "waiting": inc.pending_requests().collect::<Vec<_>>(),
        "deploys_frozen": inc.deploy_freeze().is_some(),
        "updates": {
            "every_minutes": inc.update_every(),
            "count": updates.len(),
            "last": updates.last(),
            "next_due": inc.next_update_due(),
            "overdue": inc.next_update_due().is_some_and(|d| d <= now),
            "deliveries": crate::notify::report::lines(inc),
        },
    });
    let called = crate::notify::report::called(inc);
    if !called.is_empty() {
        v["called_for_help"] = json!(called);
    }
    v
}

/// The incident as `incident show --json` prints it: every field of the
/// incident, and beside them the state as the screen shows it
/// ([`state_json`]).
pub fn show_json(inc: &Incident, now: DateTime<Utc>, away: impl Fn(&str) -> Option<i64>) -> Value {
    let mut v = serde_json::to_value(inc).expect("an incident serializes");
    if let (Some(map), Value::Object(state)) = (v.as_object_mut(), state_json(inc, now, away)) {
        for (k, val) in state {
            map.entry(k).or_insert(val);
        }
    }
    v
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

//! What each operation does to the incident, and what it writes to the log.
//! Applied without judging: the rules ran when the line was written.

use super::{Area, Op, Record};
use crate::model::{
    Assumption, AssumptionState, Break, BreakKind, CommsUpdate, Detached, Evidence, Freeze, Impact,
    Incident, LogEntry, LogKind, Mitigation, MitigationKind, MitigationStatus, Offer, Request,
    RequestState, Role, RoleHolder, Severity, Snippet, Status, System, Task, gist,
};

mod document;
mod escalate;
mod human;
mod incident;
mod mitigations;
mod notify;
mod pages;
mod requests;
mod roles;
mod systems;

pub fn declare(
    id: &str,
    title: &str,
    severity: Severity,
    roles: &[Role],
    rec: &Record,
) -> Incident {
    let mut inc = Incident::declared(id, title, severity, rec.at, rec.by.who());
    inc.revision = 1;
    inc.extra_roles = roles
        .iter()
        .copied()
        .filter(|r| !Role::ESSENTIAL.contains(r))
        .collect();
    push(
        &mut inc,
        rec,
        LogKind::Declared,
        format!("declared {severity} \"{title}\""),
    );
    inc
}

pub fn replay(inc: &mut Incident, rec: &Record) {
    inc.revision += 1;
    if !matches!(
        rec.op,
        Op::Log { .. } | Op::Correct { .. } | Op::Retract { .. }
    ) && rec.op.area() != Area::Notify
    {
        inc.systems_revision = inc.revision;
    }
    inc.updated_at = rec.at;
    let who = rec.by.who();
    let written = inc.log.len();
    match rec.op.area() {
        Area::Incident => incident::replay(inc, rec),
        Area::Roles => roles::replay(inc, rec, who),
        Area::Requests => requests::replay(inc, rec, who),
        Area::Systems => systems::replay(inc, rec, who),
        Area::Mitigations => mitigations::replay(inc, rec, who),
        Area::Document => document::replay(inc, rec, who),
        Area::Human => human::replay(inc, rec, who),
        Area::Notify => notify::replay(inc, rec, who),
    }
    mark_unfamiliar(inc, rec, written);
}

/// An act of authority under a display name from an account that name
/// has not acted with before in this incident gets the account beside it
/// ("bob (as ops on jump1)") in what it logged: a spoofed go is visible.
/// Only acts of authority make an account known, so a note written first
/// does not hide the go after it.
fn mark_unfamiliar(inc: &mut Incident, rec: &Record, written: usize) {
    if !rec.op.is_authority() {
        return;
    }
    let who = rec.by.who();
    let known = inc
        .accounts
        .get(who)
        .is_some_and(|a| a.contains(&rec.by.user));
    if !known && who != rec.by.user {
        let on = if rec.by.host.is_empty() {
            rec.by.user.clone()
        } else {
            format!("{} on {}", rec.by.user, rec.by.host)
        };
        for e in inc.log.iter_mut().skip(written) {
            e.text = format!("{} — {who} (as {on})", e.text);
            e.unfamiliar = Some(on.clone().into_boxed_str());
        }
    }
    inc.accounts
        .entry(who.to_string())
        .or_default()
        .insert(rec.by.user.clone());
}

fn get(v: &mut [Mitigation], id: u64) -> Option<&mut Mitigation> {
    id.checked_sub(1).and_then(|i| v.get_mut(i as usize))
}

fn get_task(v: &mut [Task], id: u64) -> Option<&mut Task> {
    id.checked_sub(1).and_then(|i| v.get_mut(i as usize))
}

fn describe_evidence(ev: &Evidence) -> String {
    match (ev.text.trim(), ev.entry) {
        ("", Some(seq)) => format!("see #{seq}"),
        (t, Some(seq)) => format!("{t}, see #{seq}"),
        (t, None) => t.to_string(),
    }
}

/// Give `role` to `user` (or empty it); returns the previous holder. Any
/// pending offer of the role is settled by the change.
fn set_holder(inc: &mut Incident, role: Role, user: Option<&str>, rec: &Record) -> Option<String> {
    inc.offers.remove(&role);
    let previous = inc.roles.remove(&role).map(|h| h.user);
    inc.nudged.remove(&role);
    // The caller logs the change next: that entry begins or ends a term.
    let entry = inc.log.len() as u64 + 1;
    if let Some(open) = inc
        .role_history
        .iter_mut()
        .rev()
        .find(|t| t.role == role && t.until.is_none())
    {
        open.until = Some(rec.at);
        open.ended_by_entry = Some(entry);
    }
    if let Some(u) = user {
        inc.role_history.push(crate::model::RoleTerm {
            role,
            user: u.to_string(),
            from: rec.at,
            until: None,
            entry,
            ended_by_entry: None,
        });
    }
    match user {
        Some(u) => {
            inc.roles.insert(
                role,
                RoleHolder {
                    user: u.to_string(),
                    since: rec.at,
                },
            );
            inc.vacant_since.remove(&role);
        }
        None => {
            inc.vacant_since.insert(role, rec.at);
        }
    }
    previous
}

fn push(inc: &mut Incident, rec: &Record, kind: LogKind, text: String) {
    push_for(inc, rec, kind, text, None, None);
}

fn push_for(
    inc: &mut Incident,
    rec: &Record,
    kind: LogKind,
    text: String,
    request: Option<u64>,
    evidence: Option<Box<crate::model::RunEvidence>>,
) {
    let seq = inc.log.len() as u64 + 1;
    // Timeline-worthy by kind; other kinds are marked by their operation.
    let milestone = matches!(
        kind,
        LogKind::Declared | LogKind::SeverityChange | LogKind::StatusChange | LogKind::Freeze
    );
    inc.log.push(LogEntry {
        seq,
        at: rec.at,
        by: rec.by.who().to_string(),
        kind,
        text,
        request,
        evidence,
        milestone,
        unfamiliar: None,
        corrected: None,
        retracted: None,
        amends: None,
    });
}

fn start_break(
    inc: &mut Incident,
    rec: &Record,
    kind: BreakKind,
    minutes: u32,
    reason: Option<String>,
    automatic: bool,
) {
    let ends_at = rec.at + chrono::Duration::minutes(i64::from(minutes));
    inc.breaks.push(Break {
        kind,
        reason: reason.clone(),
        started_by: rec.by.who().to_string(),
        starts_at: rec.at,
        ends_at,
        ended_by: None,
        automatic,
    });
    let what = match kind {
        BreakKind::Team if automatic => "automatic team break",
        BreakKind::Team => "team break",
        BreakKind::Procedure => "pause before the procedure",
    };
    let why = reason.map(|r| format!(": {r}")).unwrap_or_default();
    push(
        inc,
        rec,
        LogKind::Break,
        format!(
            "{what} until {} UTC ({minutes} min){why}",
            ends_at.format("%H:%M")
        ),
    );
    milestone(inc);
}

/// Mark the entry just written as a key event for the timeline.
fn milestone(inc: &mut Incident) {
    if let Some(e) = inc.log.last_mut() {
        e.milestone = true;
    }
}

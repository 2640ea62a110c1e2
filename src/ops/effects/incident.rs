//! What operations do: the incident itself: declaring, the log, status,
//! severity, closing and links (pages are in `pages`).

use super::*;
use crate::model::{CloseKind, Closure, Related, Relation};

pub(super) fn replay(inc: &mut Incident, rec: &Record) {
    match &rec.op {
        Op::Declare { title, .. } => {
            // Only reachable through a hand-edited file; keep it visible.
            push(
                inc,
                rec,
                LogKind::Note,
                format!("(repeated declaration \"{title}\" ignored)"),
            );
        }
        Op::Log { kind, text } => push(inc, rec, *kind, text.clone()),
        Op::SetStatus {
            status,
            keep_freeze,
            ..
        } => set_status(inc, rec, status, keep_freeze),
        Op::SetSeverity { severity } => {
            let text = format!("severity {} → {}", inc.severity, severity);
            change_severity(inc, rec, *severity, text);
        }
        Op::Paged { .. } => super::pages::paged(inc, rec),
        Op::Close { kind, into, reason } => close(inc, rec, kind, into, reason),
        Op::Relate {
            relation,
            incident,
            keys,
        } => relate(inc, rec, relation, incident, keys),
        Op::Correct { entry, text } => amend(inc, rec, *entry, text, true),
        Op::Retract { entry, reason } => amend(inc, rec, *entry, reason, false),
        Op::StartDrill { scenario, speed } => start_drill(inc, rec, scenario, speed),
        Op::DrillStep { step } => {
            if let Some(d) = inc.drill.as_mut() {
                d.played.insert(*step);
            }
        }
        other => debug_assert!(false, "{} replayed by the wrong area", other.name()),
    }
}

/// The status changes, with what follows from it: impact ceased or not,
/// the freeze lifted or kept, open tasks carried over, the team break.
fn set_status(inc: &mut Incident, rec: &Record, status: &Status, keep_freeze: &bool) {
    let mut team_break_after_mitigation = false;
    let mut text = format!("status {} → {}", inc.status, status);
    match status {
        Status::Mitigated => {
            // From resolved back to mitigated: no longer resolved.
            inc.resolved_at = None;
            inc.impact_ceased_at = Some(rec.at);
            team_break_after_mitigation = true;
            text.push_str(&format!(
                "; impact ceased at {}",
                rec.at.format("%H:%M UTC")
            ));
        }
        Status::Resolved => {
            inc.resolved_at = Some(rec.at);
            // Straight from investigating: impact ceased now too.
            inc.impact_ceased_at.get_or_insert(rec.at);
        }
        Status::Investigating => {
            if inc.status == Status::Resolved {
                text = format!(
                    "reopened (was resolved at {})",
                    inc.resolved_at
                        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                        .unwrap_or_default()
                );
            }
            inc.resolved_at = None;
            inc.impact_ceased_at = None;
        }
    }
    inc.status = *status;
    push(inc, rec, LogKind::StatusChange, text);
    // The freeze ends with the incident, unless the commander keeps
    // it: then it outlives the incident, on the record.
    if *status == Status::Resolved && inc.freeze.is_some() {
        if *keep_freeze {
            push(
                inc,
                rec,
                LogKind::Freeze,
                format!(
                    "deploy freeze kept after the incident: lift it with `:unfreeze` in {0}, or `incident freeze off -i {0}`",
                    inc.id
                ),
            );
        } else {
            inc.freeze = None;
            push(
                inc,
                rec,
                LogKind::Freeze,
                "freeze lifted: incident resolved".into(),
            );
        }
    }
    // Investigation still open at resolve is work for afterwards:
    // each open task becomes a follow-up, on the record.
    if *status == Status::Resolved {
        // (Once: a reopened and resolved incident does not carry
        // a task over twice.)
        let open: Vec<crate::model::Task> = inc
            .tasks
            .iter()
            .filter(|t| !t.done)
            .filter(|t| !inc.followups.iter().any(|f| f.from_task == Some(t.id)))
            .cloned()
            .collect();
        for t in open {
            let id = inc.followups.len() as u64 + 1;
            inc.followups.push(crate::model::Followup {
                id,
                text: t.text.clone(),
                kind: crate::model::FollowupKind::Other,
                owner: t.owner.clone(),
                done: false,
                by: rec.by.who().to_string(),
                at: rec.at,
                from_task: Some(t.id),
            });
            push(
                inc,
                rec,
                LogKind::Followup,
                format!(
                    "T{} still open at resolve: carried over as follow-up F{id}: {}",
                    t.id, t.text
                ),
            );
        }
    }
    // Impact ceased: the whole team takes a break before the
    // follow-up (unless one is already running).
    if team_break_after_mitigation && inc.break_at(rec.at).is_none() {
        let minutes = inc.human.team_break_minutes;
        start_break(
            inc,
            rec,
            BreakKind::Team,
            minutes,
            Some("impact ceased: step away before the follow-up".into()),
            true,
        );
    }
}

/// Closed without resolving: a duplicate or a false alarm.
fn close(
    inc: &mut Incident,
    rec: &Record,
    kind: &CloseKind,
    into: &Option<String>,
    reason: &Option<String>,
) {
    let why = reason
        .as_deref()
        .map(|r| format!(": {r}"))
        .unwrap_or_default();
    let text = match (kind, into) {
        (CloseKind::Duplicate, Some(into)) => {
            inc.related.push(Related {
                relation: Relation::DuplicateOf,
                incident: into.clone(),
                at: rec.at,
            });
            format!("closed as a duplicate of {into}{why}: the work goes on there")
        }
        (CloseKind::Duplicate, None) => format!("closed as a duplicate{why}"),
        (CloseKind::FalseAlarm, _) => format!("closed as a false alarm{why}"),
    };
    inc.closed = Some(Closure {
        kind: *kind,
        into: into.clone(),
        reason: reason.clone(),
        at: rec.at,
        by: rec.by.who().to_string(),
    });
    push(inc, rec, LogKind::Closed, text);
    milestone(inc);
    // Nobody works a closed incident: a freeze it held would
    // outlive it with nobody to lift it. (A duplicate's freeze
    // belongs in the incident the work goes on in.)
    if inc.freeze.take().is_some() {
        push(
            inc,
            rec,
            LogKind::Freeze,
            "freeze lifted: incident closed".into(),
        );
    }
}

/// Linked to another incident (a recurrence, a merged duplicate).
fn relate(inc: &mut Incident, rec: &Record, relation: &Relation, incident: &str, keys: &[String]) {
    let known = inc
        .related
        .iter()
        .any(|r| r.relation == *relation && r.incident == *incident);
    if !known {
        inc.related.push(Related {
            relation: *relation,
            incident: incident.to_string(),
            at: rec.at,
        });
    }
    inc.pager_keys.extend(keys.iter().cloned());
    let text = match relation {
        Relation::RecurrenceOf => {
            format!("recurrence of {incident}: the same alert fired after it was resolved")
        }
        Relation::RecurredAs => {
            format!("recurred as {incident}: the same alert fired again")
        }
        Relation::DuplicateOf => format!("duplicate of {incident}"),
        Relation::HasDuplicate => format!(
            "{incident} was merged into this incident as a duplicate{}",
            if keys.is_empty() {
                String::new()
            } else {
                ": its alerts now come here".to_string()
            }
        ),
    };
    push(inc, rec, LogKind::Related, text);
    milestone(inc);
}

/// The incident becomes a drill of `scenario`.
fn start_drill(inc: &mut Incident, rec: &Record, scenario: &str, speed: &u32) {
    inc.drill = Some(crate::model::Drill {
        scenario: scenario.to_string(),
        speed: *speed,
        started_at: rec.at,
        played: Default::default(),
    });
    let pace = if *speed > 1 {
        format!(" at {speed}× speed")
    } else {
        String::new()
    };
    push(
        inc,
        rec,
        LogKind::Declared,
        format!(
            "DRILL: scenario {scenario}{pace}. Practice: nothing here is real, and nothing real is touched. :debrief (or incident drill debrief) shows how it went"
        ),
    );
}

/// Correct (or retract) entry `seq`: the entry keeps what it first said and
/// gains the amendment; a new entry says it happened, so every open view and
/// `incident tail` sees it.
fn amend(inc: &mut Incident, rec: &Record, seq: u64, text: &str, correct: bool) {
    let Some(e) = seq.checked_sub(1).and_then(|i| inc.log.get_mut(i as usize)) else {
        return;
    };
    let amendment = Box::new(crate::model::Amendment {
        text: text.to_string(),
        by: rec.by.who().to_string(),
        at: rec.at,
    });
    let what = if correct {
        e.corrected = Some(amendment);
        "corrected"
    } else {
        e.retracted = Some(amendment);
        "retracted"
    };
    push(
        inc,
        rec,
        LogKind::Correction,
        format!("{what} #{seq}: {text}"),
    );
    if let Some(e) = inc.log.last_mut() {
        e.amends = Some(seq);
    }
}

/// Set the severity, log it, and keep it in the severity history.
pub(super) fn change_severity(inc: &mut Incident, rec: &Record, to: Severity, text: String) {
    inc.severity_changes.push(crate::model::SeverityChange {
        entry: inc.log.len() as u64 + 1,
        at: rec.at,
        from: inc.severity,
        to,
    });
    inc.severity = to;
    push(inc, rec, LogKind::SeverityChange, text);
}

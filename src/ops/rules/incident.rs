//! The incident itself: declaring, the log, status, severity, pages.

use super::*;
use crate::model::Status;
use crate::model::{CloseKind, Relation};

pub(super) fn check(inc: &Incident, rec: &Record, who: &str) -> Result<(), Refusal> {
    match &rec.op {
        Op::Declare { .. } => Err(Refusal::AlreadyDeclared),
        Op::Log { kind, text } => check_log(*kind, text),
        Op::SetStatus {
            status,
            force,
            keep_freeze,
        } => {
            commander_or_none(inc, who, "change the status")?;
            unchanged("status", inc.status, *status)?;
            if *force {
                return Ok(());
            }
            // The lifecycle checks itself: mitigated means nothing is
            // failing any more, resolved means nothing is left open.
            match status {
                Status::Mitigated => {
                    let systems = inc.failing_systems();
                    if systems.is_empty() {
                        Ok(())
                    } else {
                        Err(Refusal::StillFailing { systems })
                    }
                }
                Status::Resolved => {
                    let items = inc.still_open(*keep_freeze);
                    if items.is_empty() {
                        Ok(())
                    } else {
                        Err(Refusal::StillOpen {
                            items,
                            frozen: !*keep_freeze && inc.freeze.is_some(),
                        })
                    }
                }
                Status::Investigating => Ok(()),
            }
        }
        Op::SetSeverity { severity } => {
            commander_or_none(inc, who, "change the severity")?;
            unchanged("severity", inc.severity, *severity)
        }
        Op::Paged {
            key,
            title,
            source,
            state,
            links,
            ..
        } => {
            for l in links {
                check_text("link label", &l.label)?;
                check_text("link", &l.url)?;
            }
            check_text("alert key", key)?;
            check_text("alert title", title)?;
            check_text("alert source", source)?;
            check_text("alert state", state)
        }
        Op::Close { kind, into, reason } => check_close(inc, who, *kind, into, reason),
        Op::Relate {
            relation,
            incident,
            keys,
        } => {
            if *relation == Relation::DuplicateOf {
                return Err(Refusal::UseMerge);
            }
            check_incident_ref(inc, incident)?;
            for k in keys {
                check_text("alert key", k)?;
            }
            let known = inc
                .related
                .iter()
                .any(|r| r.relation == *relation && r.incident == *incident);
            if known && keys.iter().all(|k| inc.pager_keys.contains(k)) {
                return Err(Refusal::Unchanged {
                    what: "that link",
                    value: relation.describe(incident),
                });
            }
            Ok(())
        }
        Op::Correct { entry, text } => {
            check_text("the corrected text", text)?;
            let e = amendable(inc, *entry, who)?;
            unchanged("the text of that entry", e.current_text(), text.as_str())
        }
        Op::Retract { entry, reason } => {
            check_text("the reason for retracting it", reason)?;
            amendable(inc, *entry, who).map(|_| ())
        }
        Op::StartDrill { speed, .. } => {
            // Only in the declaring write: an incident people have worked
            // on never turns into practice.
            if inc.drill.is_some() || inc.log.iter().any(|e| e.at != inc.declared_at) {
                return Err(Refusal::NotANewIncident);
            }
            if !(1..=1000).contains(speed) {
                return Err(Refusal::DrillSpeed { speed: *speed });
            }
            Ok(())
        }
        Op::DrillStep { step } => match &inc.drill {
            Some(d) if !d.played.contains(step) => Ok(()),
            _ => Err(Refusal::NoSuchDrillStep),
        },
        other => Err(Refusal::Misrouted { op: other.name() }),
    }
}

/// The lifecycle's question before `who` changes the status with `op`
/// (an unforced [`Op::SetStatus`]), as a dry run of the one check: the
/// refusal that `--force` passes ([`Refusal::StillFailing`],
/// [`Refusal::StillOpen`]), to ask "anyway?" instead of refusing. None
/// when the change would be written, or is refused for another reason
/// (not the commander, unchanged), which writing it then says.
pub fn lifecycle_question(inc: &Incident, who: &str, op: &Op) -> Option<Refusal> {
    if !matches!(op, Op::SetStatus { force: false, .. }) {
        return None;
    }
    let probe = Record {
        // A status change is judged without its time.
        at: inc.declared_at,
        by: crate::model::Actor::named(who),
        op: op.clone(),
    };
    match super::check(inc, &probe) {
        Err(r @ (Refusal::StillFailing { .. } | Refusal::StillOpen { .. })) => Some(r),
        _ => None,
    }
}

/// Entry `seq` as `who` may correct or retract it: one a person wrote
/// (a note, action, decision or announcement), their own, not taken back.
/// The entries the tool writes (status and role changes, runs, requests)
/// are the record of what happened and are never amended.
fn amendable<'a>(
    inc: &'a Incident,
    seq: u64,
    who: &str,
) -> Result<&'a crate::model::LogEntry, Refusal> {
    let e = seq
        .checked_sub(1)
        .and_then(|i| inc.log.get(i as usize))
        .ok_or(Refusal::NoSuchEntry { entry: seq })?;
    if !e.kind.is_user_writable() {
        return Err(Refusal::NotCorrectable { seq, kind: e.kind });
    }
    if e.by != who {
        return Err(Refusal::NotYourEntry {
            seq,
            author: e.by.clone(),
        });
    }
    if let Some(r) = &e.retracted {
        return Err(Refusal::AlreadyRetracted {
            seq,
            by: r.by.clone(),
        });
    }
    Ok(e)
}

/// Closing without resolving: the commander's call (anyone's while nobody
/// commands), like a status change; only an active incident is closed.
fn check_close(
    inc: &Incident,
    who: &str,
    kind: CloseKind,
    into: &Option<String>,
    reason: &Option<String>,
) -> Result<(), Refusal> {
    commander_or_none(inc, who, "close the incident")?;
    if inc.status == crate::model::Status::Resolved {
        return Err(Refusal::CloseResolved);
    }
    match kind {
        CloseKind::Duplicate => {
            let into = into.as_deref().ok_or(Refusal::Empty {
                field: "the incident it duplicates",
            })?;
            check_incident_ref(inc, into)?;
        }
        CloseKind::FalseAlarm => {}
    }
    match reason {
        Some(r) => check_text("reason", r),
        None if kind == CloseKind::FalseAlarm => Err(Refusal::Empty { field: "reason" }),
        None => Ok(()),
    }
}

/// Another incident, named canonically (`INC-7`), not this one.
fn check_incident_ref(inc: &Incident, other: &str) -> Result<(), Refusal> {
    let ok = other
        .strip_prefix("INC-")
        .is_some_and(|n| !n.is_empty() && n.len() <= 12 && n.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return Err(Refusal::BadIncidentRef {
            given: crate::sanitize::line(other).into_owned(),
        });
    }
    if other == inc.id {
        return Err(Refusal::DuplicateOfItself);
    }
    Ok(())
}

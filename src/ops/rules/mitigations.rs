//! Stopping the bleeding: mitigations, investigation tasks and the deploy freeze.

use super::*;

pub(super) fn check(inc: &Incident, rec: &Record, who: &str) -> Result<(), Refusal> {
    match &rec.op {
        Op::ProposeMitigation {
            text,
            system,
            owner,
            ..
        } => {
            check_text("mitigation", text)?;
            if let Some(s) = system {
                check_system_name(s)?;
            }
            if let Some(o) = owner {
                check_user(o)?;
            }
            Ok(())
        }
        Op::OwnMitigation { id, owner } => {
            let m = mitigation_of(inc, *id)?;
            if !m.status.is_open() {
                return Err(Refusal::MitigationClosed {
                    id: *id,
                    status: m.status.to_string(),
                });
            }
            reassign(inc, who, m.owner.as_deref(), owner.as_deref())
        }
        Op::StartMitigation { id } => {
            let m = mitigation_of(inc, *id)?;
            if m.status != MitigationStatus::Proposed {
                return Err(Refusal::Unchanged {
                    what: "that mitigation",
                    value: m.status.to_string(),
                });
            }
            owner_or_commander(inc, who, m.owner.as_deref())?;
            let cleared = m
                .request
                .and_then(|r| inc.request(r))
                .is_some_and(|r| r.state == RequestState::Go);
            if m.needs_clearance() && !inc.is_commander(who) && !cleared {
                return Err(Refusal::NeedsClearance { id: *id });
            }
            Ok(())
        }
        Op::MarkProcedure { id } => {
            let m = mitigation_of(inc, *id)?;
            if m.procedure {
                return Err(Refusal::Unchanged {
                    what: "that mitigation",
                    value: "a procedure".into(),
                });
            }
            if m.status != MitigationStatus::Proposed {
                return Err(Refusal::MitigationClosed {
                    id: *id,
                    status: m.status.to_string(),
                });
            }
            Ok(())
        }
        Op::FinishMitigation { id, status, result } => {
            let m = mitigation_of(inc, *id)?;
            if !m.status.is_open() {
                return Err(Refusal::MitigationClosed {
                    id: *id,
                    status: m.status.to_string(),
                });
            }
            if status.is_open() {
                return Err(Refusal::NotAnOutcome {
                    given: status.to_string(),
                });
            }
            owner_or_commander(inc, who, m.owner.as_deref())?;
            match result {
                Some(r) => check_text("result", r),
                None => Ok(()),
            }
        }
        Op::AddTask { text, owner } => {
            check_text("task", text)?;
            match owner {
                Some(o) => check_user(o),
                None => Ok(()),
            }
        }
        Op::OwnTask { id, owner } => {
            let t = task_of(inc, *id)?;
            if t.done {
                return Err(Refusal::TaskDone { id: *id });
            }
            reassign(inc, who, t.owner.as_deref(), owner.as_deref())
        }
        Op::FinishTask { id, result } => {
            let t = task_of(inc, *id)?;
            if t.done {
                return Err(Refusal::TaskDone { id: *id });
            }
            owner_or_commander(inc, who, t.owner.as_deref())?;
            match result {
                Some(r) => check_text("result", r),
                None => Ok(()),
            }
        }
        Op::Freeze { reason } => {
            if let Some(f) = &inc.freeze {
                return Err(Refusal::Unchanged {
                    what: "the deploy freeze",
                    value: format!("on, since {} by {}", f.since.format("%H:%M UTC"), f.by),
                });
            }
            match reason {
                Some(r) => check_text("reason", r),
                None => Ok(()),
            }
        }
        Op::Unfreeze => {
            if inc.freeze.is_none() {
                return Err(Refusal::NoFreezeHere);
            }
            commander_or_none(inc, who, "lift the deploy freeze")
        }
        Op::AddFollowup { text, owner, .. } => {
            check_text("follow-up", text)?;
            match owner {
                Some(o) => check_user(o),
                None => Ok(()),
            }
        }
        Op::OwnFollowup { id, owner } => {
            let f = followup_of(inc, *id)?;
            if f.done {
                return Err(Refusal::FollowupDone { id: *id });
            }
            reassign(inc, who, f.owner.as_deref(), owner.as_deref())
        }
        Op::FinishFollowup { id } => {
            let f = followup_of(inc, *id)?;
            if f.done {
                return Err(Refusal::FollowupDone { id: *id });
            }
            owner_or_commander(inc, who, f.owner.as_deref())
        }
        other => Err(Refusal::Misrouted { op: other.name() }),
    }
}

fn followup_of(inc: &Incident, id: u64) -> Result<&crate::model::Followup, Refusal> {
    id.checked_sub(1)
        .and_then(|i| inc.followups.get(i as usize))
        .ok_or(Refusal::NoSuchFollowup { id })
}

/// Lifting the deploy freeze from `inc` while the freezes that hold are
/// other incidents' (`held_elsewhere`, their ids): refused with where it
/// is lifted, rather than "nothing to lift here". Asked by a view that
/// shows those freezes in its banner, before it writes `Op::Unfreeze`;
/// otherwise the one check judges the lift as usual.
pub fn unfreeze_here(inc: &Incident, held_elsewhere: Vec<String>) -> Result<(), Refusal> {
    if inc.freeze.is_none() && !held_elsewhere.is_empty() {
        return Err(Refusal::FrozenElsewhere {
            ids: held_elsewhere,
        });
    }
    Ok(())
}

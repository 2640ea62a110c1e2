//! What operations do: stopping the bleeding: mitigations, investigation tasks and the deploy freeze.

use super::*;

pub(super) fn replay(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::ProposeMitigation { .. }
        | Op::OwnMitigation { .. }
        | Op::StartMitigation { .. }
        | Op::MarkProcedure { .. }
        | Op::FinishMitigation { .. } => mitigation(inc, rec, who),
        Op::AddTask { .. } | Op::OwnTask { .. } | Op::FinishTask { .. } => task(inc, rec, who),
        Op::Freeze { .. } | Op::Unfreeze => freeze(inc, rec, who),
        Op::AddFollowup { .. } | Op::OwnFollowup { .. } | Op::FinishFollowup { .. } => {
            followup(inc, rec, who)
        }
        other => debug_assert!(false, "{} replayed by the wrong area", other.name()),
    }
}

/// A mitigation proposed, owned, started, marked a procedure, finished.
fn mitigation(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::ProposeMitigation {
            text,
            kind,
            risk,
            speed,
            system,
            owner,
        } => {
            let id = inc.mitigations.len() as u64 + 1;
            inc.mitigations.push(Mitigation {
                id,
                text: text.clone(),
                kind: *kind,
                risk: *risk,
                speed: *speed,
                system: system.clone(),
                owner: owner.clone(),
                status: MitigationStatus::Proposed,
                result: None,
                by: who.to_string(),
                at: rec.at,
                updated_at: rec.at,
                request: None,
                procedure: false,
            });
            let owner = owner
                .as_ref()
                .map(|o| format!(", owner {o}"))
                .unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::Mitigation,
                format!("proposed M{id}: {text} ({kind}, {risk} risk, {speed}{owner})"),
            );
        }
        Op::OwnMitigation { id, owner } => {
            let mut line = String::new();
            if let Some(m) = get(&mut inc.mitigations, *id) {
                m.owner.clone_from(owner);
                m.updated_at = rec.at;
                line = match owner {
                    Some(o) if *o == who => format!("{who} took M{id}: {}", m.text),
                    Some(o) => format!("M{id} is now {o}'s (given by {who}): {}", m.text),
                    None => format!("M{id} has no owner now: {}", m.text),
                };
            }
            push(inc, rec, LogKind::Mitigation, line);
        }
        Op::StartMitigation { id } => {
            let mut line = String::new();
            let mut pause = None;
            let mut freeze = None;
            if let Some(m) = get(&mut inc.mitigations, *id) {
                m.status = MitigationStatus::InProgress;
                m.updated_at = rec.at;
                if m.owner.is_none() {
                    m.owner = Some(who.to_string());
                }
                line = format!("started M{id}: {}", m.text);
                if m.procedure {
                    pause = Some(format!("before: {}", m.text));
                }
                if m.kind == MitigationKind::FreezeDeploys {
                    freeze = Some(m.text.clone());
                }
            }
            push(inc, rec, LogKind::Mitigation, line);
            // Starting a freeze mitigation is the freeze itself (unless
            // deploys are frozen already), with its text as the reason.
            if let Some(reason) = freeze
                && inc.freeze.is_none()
            {
                inc.freeze = Some(Freeze {
                    reason: Some(reason.clone()),
                    by: who.to_string(),
                    since: rec.at,
                });
                push(
                    inc,
                    rec,
                    LogKind::Freeze,
                    format!("deploys FROZEN: {reason} (M{id})"),
                );
            }
            // A procedure: everyone grabs some air first (the commander
            // can skip it), unless a break is already running.
            if let Some(reason) = pause
                && inc.break_at(rec.at).is_none()
            {
                let minutes = inc.human.procedure_pause_minutes;
                start_break(inc, rec, BreakKind::Procedure, minutes, Some(reason), false);
            }
        }
        Op::MarkProcedure { id } => {
            let mut line = String::new();
            if let Some(m) = get(&mut inc.mitigations, *id) {
                m.procedure = true;
                line = format!("M{id} is a procedure: starting it pauses everyone first");
            }
            push(inc, rec, LogKind::Mitigation, line);
        }
        Op::FinishMitigation { id, status, result } => {
            let mut line = String::new();
            if let Some(m) = get(&mut inc.mitigations, *id) {
                m.status = *status;
                m.result.clone_from(result);
                m.updated_at = rec.at;
                let verb = match status {
                    MitigationStatus::Done => "M{id} done",
                    MitigationStatus::Failed => "M{id} FAILED",
                    _ => "M{id} abandoned",
                }
                .replace("{id}", &id.to_string());
                let why = result
                    .as_ref()
                    .map(|r| format!(" — {r}"))
                    .unwrap_or_default();
                line = format!("{verb}: {}{why}", m.text);
            }
            push(inc, rec, LogKind::Mitigation, line);
            if matches!(status, MitigationStatus::Done | MitigationStatus::Failed) {
                milestone(inc);
            }
        }
        _ => {}
    }
}

/// An investigation task added, owned, finished.
fn task(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::AddTask { text, owner } => {
            let id = inc.tasks.len() as u64 + 1;
            inc.tasks.push(Task {
                id,
                text: text.clone(),
                owner: owner.clone(),
                done: false,
                result: None,
                by: who.to_string(),
                at: rec.at,
            });
            let owner = owner
                .as_ref()
                .map(|o| format!(" (owner {o})"))
                .unwrap_or_else(|| " (no owner yet)".into());
            push(
                inc,
                rec,
                LogKind::Task,
                format!("task T{id}: {text}{owner}"),
            );
        }
        Op::OwnTask { id, owner } => {
            let mut line = String::new();
            if let Some(t) = get_task(&mut inc.tasks, *id) {
                t.owner.clone_from(owner);
                line = match owner {
                    Some(o) if *o == who => format!("{who} took T{id}: {}", t.text),
                    Some(o) => format!("T{id} is now {o}'s (given by {who}): {}", t.text),
                    None => format!("T{id} has no owner now: {}", t.text),
                };
            }
            push(inc, rec, LogKind::Task, line);
        }
        Op::FinishTask { id, result } => {
            let mut line = String::new();
            if let Some(t) = get_task(&mut inc.tasks, *id) {
                t.done = true;
                t.result.clone_from(result);
                let why = result
                    .as_ref()
                    .map(|r| format!(" — {r}"))
                    .unwrap_or_default();
                line = format!("T{id} done: {}{why}", t.text);
            }
            push(inc, rec, LogKind::Task, line);
        }
        _ => {}
    }
}

/// The deploy freeze put on or lifted.
fn freeze(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::Freeze { reason } => {
            inc.freeze = Some(Freeze {
                reason: reason.clone(),
                by: who.to_string(),
                since: rec.at,
            });
            let why = reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            push(inc, rec, LogKind::Freeze, format!("deploys FROZEN{why}"));
        }
        Op::Unfreeze => {
            inc.freeze = None;
            push(inc, rec, LogKind::Freeze, "deploy freeze lifted".into());
        }
        _ => {}
    }
}

/// A follow-up added, owned, done.
fn followup(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::AddFollowup { text, kind, owner } => {
            let id = inc.followups.len() as u64 + 1;
            inc.followups.push(crate::model::Followup {
                id,
                text: text.clone(),
                kind: *kind,
                owner: owner.clone(),
                done: false,
                by: who.to_string(),
                at: rec.at,
                from_task: None,
            });
            let whose = owner
                .as_ref()
                .map(|o| format!(" for {o}"))
                .unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::Followup,
                format!("follow-up F{id} ({kind}){whose}: {text}"),
            );
        }
        Op::OwnFollowup { id, owner } => {
            let mut line = String::new();
            if let Some(f) = id
                .checked_sub(1)
                .and_then(|i| inc.followups.get_mut(i as usize))
            {
                f.owner.clone_from(owner);
                line = match owner {
                    Some(o) if *o == who => format!("{who} took F{id}: {}", f.text),
                    Some(o) => format!("F{id} is now {o}'s (given by {who}): {}", f.text),
                    None => format!("F{id} has no owner now: {}", f.text),
                };
            }
            push(inc, rec, LogKind::Followup, line);
        }
        Op::FinishFollowup { id } => {
            let mut line = String::new();
            if let Some(f) = id
                .checked_sub(1)
                .and_then(|i| inc.followups.get_mut(i as usize))
            {
                f.done = true;
                line = format!("F{id} done: {}", f.text);
            }
            push(inc, rec, LogKind::Followup, line);
        }
        _ => {}
    }
}

//! The command line's writes: a verb built by the shared grammar
//! (`crate::verbs::build`), committed, and what it made said: every
//! create prints its id (`A3`, `M2`, `T1`, `F4`, `S2`).

use super::{Command, Ctx, Failure, commit_op, emit, presence};
use crate::ops::Op;
use crate::verbs::{Act, Built, Said};
use std::io::Write;

/// Build `cmd` with the shared grammar and commit it.
pub fn write(ctx: &Ctx, out: &mut impl Write, cmd: Command) -> Result<i32, Failure> {
    let (which, act) = match crate::verbs::build(cmd, ctx.me.who(), &Said::Cli) {
        Built::Act(which, act) => (which, act),
        Built::Refused(m) => return Err(Failure::usage(m)),
        Built::Other(cmd) => {
            return Err(Failure::usage(format!(
                "{cmd:?}: not a single write (a bug: please report it)"
            )));
        }
    };
    let id = which.id.as_deref();
    let op = match act {
        Act::Op(op) => op,
        Act::Takeover { role } => {
            super::escalate::act_and_say(ctx, out, id, Op::take_over(role))?;
            return Ok(0);
        }
        Act::Milestone {
            milestone,
            time,
            note,
        } => Op::SetMilestone {
            milestone,
            happened_at: crate::model::milestone::parse_time(&time, chrono::Utc::now())
                .map_err(Failure::usage)?,
            note,
        },
        Act::Snippet { entry, title } => {
            let file = ctx.store.resolve(id)?;
            crate::verbs::snippet_op(file.incident(), entry, title)
                .map_err(|e| Failure::usage(e.to_lowercase()))?
        }
        other => {
            return Err(Failure::usage(format!(
                "{other:?} is for the live view (incident open)"
            )));
        }
    };
    commit(ctx, out, id, op)
}

/// Commit `op`, then say what the verb made: a new item's id, the entry
/// as it now reads, a note for a stranger given a role.
fn commit(ctx: &Ctx, out: &mut impl Write, id: Option<&str>, op: Op) -> Result<i32, Failure> {
    if let Op::Escalate { .. } = &op {
        return super::escalate::run(ctx, out, id, op);
    }
    if let Op::Correct { entry, .. } | Op::Retract { entry, .. } = &op {
        let entry = *entry;
        return super::amend(ctx, out, id, entry, op).map(|()| 0);
    }
    let mut file = commit_op(ctx, id, op.clone())?;
    let inc = file.incident();
    let created = match &op {
        Op::Assume { .. } => Some(format!("A{}", inc.assumptions.len())),
        Op::ProposeMitigation { .. } => Some(format!("M{}", inc.mitigations.len())),
        Op::AddTask { .. } => Some(format!("T{}", inc.tasks.len())),
        Op::AddFollowup { .. } => inc.followups.last().map(|f| format!("F{}", f.id)),
        Op::AddSnippet { .. } => inc.document.appendix.last().map(|s| format!("S{}", s.id)),
        _ => None,
    };
    if let Some(created) = created {
        emit(out, &created)?;
    }
    match &op {
        Op::Close { .. } => {
            emit(out, &format!("{} closed as a false alarm", inc.id))?;
            // Teams called for help are told it is over.
            super::document::send_now(ctx, &mut file);
        }
        // Resolving may resolve the page too ([pagerduty] resolve_on_resolve).
        Op::SetStatus {
            status: crate::model::Status::Resolved,
            ..
        } => {
            super::document::send_now(ctx, &mut file);
        }
        Op::ClaimRole { .. }
        | Op::OfferRole { .. }
        | Op::SetRole { .. }
        | Op::AcceptRole { .. }
        | Op::DeclineRole { .. }
        | Op::WithdrawOffer { .. }
        | Op::StepDown { .. }
        | Op::AddRole { .. } => {
            let here = presence::list(ctx.store.dir(), &inc.id);
            let here: Vec<&str> = here.iter().map(|h| h.actor.who()).collect();
            if let Some(note) = op.stranger_note(inc, &here) {
                eprintln!("note: {note}");
            }
        }
        _ => {}
    }
    Ok(0)
}

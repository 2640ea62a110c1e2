//! An assistant acting for a person (`incident mcp`), signed "assistant
//! (for carol)": it writes what anyone may write about the work (notes,
//! assumptions and their checks, commands proposed for the commander's
//! go) and runs only what the commander cleared. It holds no role,
//! answers no request (its own least of all: the commander clears what
//! it proposes; it withdraws its own when its session ends), changes
//! neither status nor severity, neither the freeze
//! nor breaks, and merges or cancels nothing. The people at the table do
//! those; an assistant asks them.

use super::*;
use crate::model::is_assistant;

/// What an assistant may not do, said as "it cannot ..."; None when it may.
fn forbidden(inc: &Incident, who: &str, op: &Op) -> Option<Refusal> {
    let action = match op {
        Op::Log { kind, .. } if *kind == LogKind::Note => return None,
        Op::Log { .. } => "write anything but notes to the log",
        Op::Assume { .. } | Op::Verify { .. } | Op::Refute { .. } => return None,
        // A proposal of its own, not the start of someone's mitigation.
        Op::Announce {
            mitigation: None, ..
        } => return None,
        Op::Announce { .. } => "start a mitigation",
        // Its own proposals, when its session ends (the requests' rules
        // keep it to its own).
        Op::WithdrawRequest { .. } => return None,
        Op::Ran { request, .. } => {
            return match request {
                Some(id) => may_run(inc, who, *id).err(),
                None => Some(Refusal::AssistantMayNot {
                    who: who.to_string(),
                    action: "run a command without the commander's go",
                }),
            };
        }
        Op::Answer { request, .. } => match inc.request(*request) {
            Some(r) if r.by == who => "clear its own proposals",
            _ => "answer requests",
        },
        Op::ClaimRole { .. } | Op::AcceptRole { .. } | Op::TakeOver { .. } => "hold a role",
        Op::DeclineRole { .. } | Op::OfferRole { .. } | Op::StepDown { .. } => "hand roles on",
        Op::WithdrawOffer { .. } | Op::SetRole { .. } | Op::AddRole { .. } => "assign roles",
        Op::SetStatus { .. } | Op::SetSeverity { .. } => "change the status or severity",
        Op::Freeze { .. } | Op::Unfreeze => "freeze or unfreeze deploys",
        Op::StartBreak { .. } | Op::EndBreak => "start or end a break",
        Op::Close { .. } => "merge or cancel the incident",
        Op::Escalate { .. } => "page a team (ask a person to call for help)",
        _ => "do that",
    };
    Some(Refusal::AssistantMayNot {
        who: who.to_string(),
        action,
    })
}

/// The assistant's rules, before the area's own: None for a person.
pub(super) fn check(inc: &Incident, who: &str, op: &Op) -> Result<(), Refusal> {
    if !is_assistant(who) {
        return Ok(());
    }
    forbidden(inc, who, op).map_or(Ok(()), Err)
}

/// A log line, judged without the incident: an assistant writes notes.
pub(super) fn check_log(who: &str, kind: LogKind) -> Result<(), Refusal> {
    if is_assistant(who) && kind != LogKind::Note {
        return Err(Refusal::AssistantMayNot {
            who: who.to_string(),
            action: "write anything but notes to the log",
        });
    }
    Ok(())
}

/// May assistant `who` run request `id` now: its own proposal, with the
/// commander's go, not run yet. Asked before the command starts (nothing
/// runs on a refusal) and again when the run is recorded.
pub fn may_run(inc: &Incident, who: &str, id: u64) -> Result<(), Refusal> {
    let Some(req) = inc.request(id) else {
        return Err(Refusal::NoSuchRequest { id });
    };
    if req.by != who {
        return Err(Refusal::NotYourProposal {
            id,
            by: req.by.clone(),
        });
    }
    if let Some(e) = inc
        .log
        .iter()
        .find(|e| e.kind == LogKind::Ran && e.request == Some(id))
    {
        return Err(Refusal::AlreadyRan { id, seq: e.seq });
    }
    match req.state {
        RequestState::Go => Ok(()),
        RequestState::Hold => Err(Refusal::OnHold {
            id,
            by: req
                .answered_by
                .clone()
                .unwrap_or_else(|| "the commander".into()),
            reason: req
                .reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default(),
        }),
        RequestState::Withdrawn => Err(Refusal::AlreadyAnswered {
            id,
            state: state_name(req.state),
        }),
        // An assistant's proposal is never its own go.
        RequestState::Pending | RequestState::Announced => Err(Refusal::NoGoYet {
            id,
            commander: inc.commander().map(str::to_string),
        }),
    }
}

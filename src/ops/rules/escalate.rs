//! Calling for help: who may page a team, and when.
//!
//! Anyone in the room may (not the tool: it is nobody's call), while the
//! incident is neither resolved nor closed. The team's name is checked
//! against the team file by the writer before this (it is not in the
//! incident); here it only has to be a plain name. An acknowledgement is
//! taken only for a team paged from this incident, and at any time (the
//! answer may come after the end).

use super::*;
use crate::model::delivery::RESOLVE;

pub(super) fn check(inc: &Incident, rec: &Record) -> Result<(), Refusal> {
    match &rec.op {
        Op::Escalate { team, message, .. } => {
            let who = rec.by.who();
            if crate::model::is_tool(who) {
                return Err(Refusal::ToolIsNotAPerson {
                    who: who.to_string(),
                    action: "call for help",
                });
            }
            may_page(inc)?;
            check_team(team)?;
            if let Some(m) = message {
                check_text("message", m)?;
            }
            Ok(())
        }
        Op::EscalationAcked { team, source, .. } => {
            if !inc.notices.escalations.iter().any(|e| &e.team == team) {
                return Err(Refusal::NotEscalated { team: team.clone() });
            }
            check_text("source", source)
        }
        _ => Ok(()),
    }
}

/// Whether a team may be paged for `inc` now: not once it is resolved or
/// closed (a call made before is then resolved at the team's pager, and
/// one not yet sent is set aside: see `notify::escalate::due`).
pub fn may_page(inc: &Incident) -> Result<(), Refusal> {
    if let Some(c) = &inc.closed {
        return Err(Refusal::EscalateEnded { state: c.label() });
    }
    if inc.status == crate::model::Status::Resolved {
        return Err(Refusal::EscalateEnded {
            state: "resolved".into(),
        });
    }
    Ok(())
}

/// A team name as the team file allows it: letters, digits, `-`, `_`, `.`.
fn check_team(team: &str) -> Result<(), Refusal> {
    check_text("team", team)?;
    if team.len() > 64
        || !team
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(Refusal::NoSuchTeam {
            team: crate::sanitize::line(team).into_owned(),
            known: Vec::new(),
            file: crate::config::FILE_NAME.into(),
        });
    }
    Ok(())
}

/// Is there a page `update` to `team`: call number `update` went to that
/// team, or, for the resolve, the incident ended after paging it.
pub(super) fn page_exists(inc: &Incident, update: u64, team: &str) -> bool {
    let paged = |e: &&crate::model::escalation::Escalation| e.team == team;
    if update == RESOLVE {
        (inc.resolved_at.is_some() || inc.closed.is_some())
            && inc.notices.escalations.iter().any(|e| paged(&e))
    } else {
        inc.notices
            .escalations
            .iter()
            .any(|e| e.n == update && paged(&e))
    }
}

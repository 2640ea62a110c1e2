//! Who may do what, and what is valid: the one place for the rules.
//!
//! - Anyone may write to the log, claim an empty role, step down from a
//!   role they hold, and announce what they are about to do.
//! - The commander assigns and reassigns roles, changes severity and status,
//!   and adds optional roles. When there is no commander, anyone may do
//!   those (someone has to start).
//! - Only the commander answers clearance requests: with nobody in
//!   command a go would clear nothing, so it is refused with the way out
//!   (claim command first).
//! - Command itself never moves silently: the holder (or the commander, for
//!   other roles) offers a role, and only the person offered can accept.
//! - Except when the holder is gone: a role whose holder has had no view
//!   open and written nothing for the team's `takeover_after` minutes may
//!   be taken over by anyone, loudly ([`takeover`]).
//! - Anyone may put a service in maintenance, or end a window early: a
//!   team-level action ([`maintenance`]).
//! - Anyone in the room may call a team for help (`incident escalate`):
//!   asking for hands must not wait for the commander's word, and the log
//!   says who paged whom. Not once the incident is resolved or closed
//!   ([`escalate`](self::escalate)).
//! - An assistant acting for a person (`incident mcp`) writes notes,
//!   assumptions and their checks, and proposes commands; it runs only
//!   its own proposals after the commander's go, and does nothing else
//!   ([`assistant`]).

use super::{Area, CommsWrite, MAX_TEXT, MAX_TITLE, MAX_USER, Op, Record, Refusal};
use crate::model::{
    AssumptionState, BreakKind, Evidence, Incident, LogKind, MitigationStatus, RequestState, Role,
};

mod assistant;
mod document;
mod escalate;
mod human;
mod incident;
pub mod maintenance;
mod mitigations;
mod notify;
mod requests;
mod roles;
mod systems;

pub use assistant::may_run;
pub use document::may_set_section;
pub use escalate::may_page;
pub use incident::lifecycle_question;
pub use mitigations::unfreeze_here;
pub use requests::{
    Clear, GoFor, NotCleared, PROPOSED_WHY, RunDecision, RunTeam, RunWithoutGo, RunWithoutGoError,
    decide_run, go_for_mitigation, request_clears, run_needs_go, stale_requests,
};
pub use roles::takeover;

/// The verdict on `rec` when it does not depend on the incident's state,
/// so a writer may judge it without loading the incident: a log line, which
/// anyone may write at any time.
pub fn check_stateless(rec: &Record) -> Option<Result<(), Refusal>> {
    match &rec.op {
        Op::Log { kind, text } => {
            Some(assistant::check_log(rec.by.who(), *kind).and_then(|()| check_log(*kind, text)))
        }
        _ => None,
    }
}

fn check_log(kind: LogKind, text: &str) -> Result<(), Refusal> {
    if !kind.is_user_writable() {
        return Err(Refusal::KindNotWritable { kind });
    }
    check_text("log text", text)
}

/// Judge `rec` against the current state of `inc`: the rules of its area.
pub fn check(inc: &Incident, rec: &Record) -> Result<(), Refusal> {
    let who = rec.by.who();
    check_not_closed(inc, &rec.op)?;
    check_tool_acts(who, &rec.op)?;
    assistant::check(inc, who, &rec.op)?;
    match rec.op.area() {
        Area::Incident => incident::check(inc, rec, who),
        Area::Roles => roles::check(inc, rec, who),
        Area::Requests => requests::check(inc, rec, who),
        Area::Systems => systems::check(inc, rec),
        Area::Mitigations => mitigations::check(inc, rec, who),
        Area::Document => document::check(inc, rec, who),
        Area::Human => human::check(inc, rec, who),
        Area::Notify => notify::check(inc, rec),
    }
}

/// The tool (`incident`, what a view writes by itself) is not a person:
/// it holds no role, clears nothing and owns no work, whoever runs it.
fn check_tool_acts(who: &str, op: &Op) -> Result<(), Refusal> {
    if !crate::model::is_tool(who) {
        return Ok(());
    }
    let action = match op {
        Op::ClaimRole { .. } | Op::AcceptRole { .. } | Op::TakeOver { .. } => "hold a role",
        Op::DeclineRole { .. } | Op::OfferRole { .. } | Op::StepDown { .. } => "hand roles on",
        Op::SetRole { .. } | Op::AddRole { .. } => "assign roles",
        Op::Answer { .. } => "answer a request",
        Op::Announce { .. } | Op::Ran { .. } | Op::WithdrawRequest { .. } => {
            "ask for or take an action"
        }
        Op::OwnMitigation { .. } | Op::OwnTask { .. } | Op::OwnFollowup { .. } => "own work",
        Op::SetStatus { .. } | Op::SetSeverity { .. } => "change the status or severity",
        _ => return Ok(()),
    };
    Err(Refusal::ToolIsNotAPerson {
        who: who.to_string(),
        action,
    })
}

/// A closed incident (a duplicate, a false alarm) still takes log entries,
/// links to other incidents and its document (to say why); the response
/// itself goes on elsewhere or not at all.
fn check_not_closed(inc: &Incident, op: &Op) -> Result<(), Refusal> {
    let Some(c) = &inc.closed else {
        return Ok(());
    };
    if matches!(
        op,
        Op::Log { .. } | Op::Relate { .. } | Op::Correct { .. } | Op::Retract { .. }
    ) || matches!(op.area(), Area::Document | Area::Notify)
    {
        return Ok(());
    }
    let hint = match &c.into {
        Some(into) => {
            format!(": the work goes on in {into} (from a shell: `incident open {into}`)")
        }
        None => ": if something is wrong after all, declare a new incident".into(),
    };
    Err(Refusal::Closed {
        label: c.label(),
        by: c.by.clone(),
        hint,
    })
}

/// The document and updates belong to communications; the commander may
/// step in, and anyone may while the role is empty.
fn comms_or_commander(inc: &Incident, who: &str, what: CommsWrite) -> Result<(), Refusal> {
    match inc.holder(Role::Communications) {
        Some(c) if c != who && !inc.is_commander(who) => Err(Refusal::NotCommunications {
            what,
            holder: c.to_string(),
            commander: inc.commander().map(str::to_string),
        }),
        _ => Ok(()),
    }
}

fn mitigation_of(inc: &Incident, id: u64) -> Result<&crate::model::Mitigation, Refusal> {
    id.checked_sub(1)
        .and_then(|i| inc.mitigations.get(i as usize))
        .ok_or(Refusal::NoSuchMitigation { id })
}

fn task_of(inc: &Incident, id: u64) -> Result<&crate::model::Task, Refusal> {
    id.checked_sub(1)
        .and_then(|i| inc.tasks.get(i as usize))
        .ok_or(Refusal::NoSuchTask { id })
}

/// Work with an owner is changed by its owner or the commander; unowned
/// work by anyone.
fn owner_or_commander(inc: &Incident, who: &str, owner: Option<&str>) -> Result<(), Refusal> {
    match owner {
        Some(o) if o != who && !inc.is_commander(who) => Err(Refusal::OwnedBySomeoneElse {
            owner: o.to_string(),
        }),
        _ => Ok(()),
    }
}

/// Unowned work may be taken or given by anyone; owned work is handed on
/// by its owner or the commander.
fn reassign(
    inc: &Incident,
    who: &str,
    current: Option<&str>,
    wanted: Option<&str>,
) -> Result<(), Refusal> {
    if let Some(w) = wanted {
        check_user(w)?;
    }
    if current == wanted {
        return Err(Refusal::Unchanged {
            what: "the owner",
            value: current
                .map(str::to_string)
                .unwrap_or_else(|| "nobody".into()),
        });
    }
    owner_or_commander(inc, who, current)
}

/// Evidence says something: text, or a `ran` log entry that exists.
fn check_evidence(inc: &Incident, ev: &Evidence) -> Result<(), Refusal> {
    if let Some(seq) = ev.entry {
        let ran = seq
            .checked_sub(1)
            .and_then(|i| inc.log.get(i as usize))
            .is_some_and(|e| e.kind == LogKind::Ran);
        if !ran {
            return Err(Refusal::NoSuchRun { seq });
        }
    } else if ev.text.trim().is_empty() {
        return Err(Refusal::Empty { field: "evidence" });
    }
    if ev.text.len() > MAX_TEXT {
        return Err(Refusal::TooLong {
            field: "evidence",
            len: ev.text.len(),
            max: MAX_TEXT,
            unit: "bytes",
        });
    }
    Ok(())
}

pub fn state_name(s: RequestState) -> &'static str {
    match s {
        RequestState::Pending => "pending",
        RequestState::Announced => "announced",
        RequestState::Go => "go",
        RequestState::Hold => "hold",
        RequestState::Withdrawn => "withdrawn",
    }
}

fn commander_or_none(inc: &Incident, who: &str, action: &'static str) -> Result<(), Refusal> {
    match inc.commander() {
        Some(c) if c != who => Err(Refusal::NotCommander {
            action,
            commander: c.to_string(),
        }),
        _ => Ok(()),
    }
}

fn unchanged<T: PartialEq + std::fmt::Display>(
    what: &'static str,
    current: T,
    wanted: T,
) -> Result<(), Refusal> {
    if current == wanted {
        Err(Refusal::Unchanged {
            what,
            value: current.to_string(),
        })
    } else {
        Ok(())
    }
}

pub fn check_title(title: &str) -> Result<(), Refusal> {
    if title.trim().is_empty() {
        return Err(Refusal::Empty { field: "title" });
    }
    if title.chars().any(char::is_control) {
        return Err(Refusal::TitleNotOneLine);
    }
    let len = title.chars().count();
    if len > MAX_TITLE {
        return Err(Refusal::TooLong {
            field: "title",
            len,
            max: MAX_TITLE,
            unit: "characters",
        });
    }
    Ok(())
}

pub fn check_text(field: &'static str, text: &str) -> Result<(), Refusal> {
    if text.trim().is_empty() {
        return Err(Refusal::Empty { field });
    }
    if text.len() > MAX_TEXT {
        return Err(Refusal::TooLong {
            field,
            len: text.len(),
            max: MAX_TEXT,
            unit: "bytes",
        });
    }
    Ok(())
}

/// A user or display name: a login-like word.
pub fn check_user(user: &str) -> Result<(), Refusal> {
    if crate::model::is_tool(user) {
        return Err(Refusal::ToolName {
            given: user.to_string(),
        });
    }
    let ok = !user.is_empty()
        && user.len() <= MAX_USER
        && user
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '$'));
    if ok {
        Ok(())
    } else {
        Err(Refusal::InvalidUser {
            given: crate::sanitize::line(user).into_owned(),
        })
    }
}

/// Longest system name accepted.
pub const MAX_SYSTEM_NAME: usize = 64;

/// A system name: what people type in `:sys NAME` and service catalogs use
/// (letters, digits and `._-/:`), up to 64 characters.
pub fn check_system_name(name: &str) -> Result<(), Refusal> {
    let ok = !name.is_empty()
        && name.chars().count() <= MAX_SYSTEM_NAME
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '/' | ':'));
    if ok {
        Ok(())
    } else {
        Err(Refusal::InvalidSystemName {
            given: crate::sanitize::line(name).into_owned(),
        })
    }
}

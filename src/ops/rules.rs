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

use super::{MAX_TEXT, MAX_TITLE, MAX_USER, Op, Record, Refusal};
use crate::model::{
    AssumptionState, BreakKind, Evidence, Incident, LogKind, MitigationStatus, RequestState, Role,
};

/// The verdict on `rec` when it does not depend on the incident's state,
/// so a writer may judge it without loading the incident: a log line, which
/// anyone may write at any time.
pub fn check_stateless(rec: &Record) -> Option<Result<(), Refusal>> {
    match &rec.op {
        Op::Log { kind, text } => Some(check_log(*kind, text)),
        _ => None,
    }
}

fn check_log(kind: LogKind, text: &str) -> Result<(), Refusal> {
    if !kind.is_user_writable() {
        return Err(Refusal::KindNotWritable { kind });
    }
    check_text("log text", text)
}

/// Judge `rec` against the current state of `inc`.
pub fn check(inc: &Incident, rec: &Record) -> Result<(), Refusal> {
    let who = rec.by.who();
    match &rec.op {
        Op::Declare { .. } => Err(Refusal::AlreadyDeclared),
        Op::Log { kind, text } => check_log(*kind, text),
        Op::SetStatus { status } => {
            commander_or_none(inc, who, "change the status")?;
            unchanged("status", inc.status, *status)
        }
        Op::SetSeverity { severity } => {
            commander_or_none(inc, who, "change the severity")?;
            unchanged("severity", inc.severity, *severity)
        }
        Op::SetRole { role, user } => {
            if let Some(user) = user {
                check_user(user)?;
            }
            let current = inc.holder(*role);
            if current == user.as_deref() {
                return Err(Refusal::Unchanged {
                    what: role.as_str(),
                    value: current
                        .map(|u| format!("held by {u}"))
                        .unwrap_or_else(|| "empty".into()),
                });
            }
            let claiming_empty = current.is_none() && user.as_deref() == Some(who);
            let stepping_down = current == Some(who) && user.is_none();
            if !(claiming_empty || stepping_down) {
                commander_or_none(inc, who, "assign roles")?;
            }
            if *role == Role::Commander
                && let Some(holder) = current
                && user.is_some()
            {
                return Err(Refusal::HandoverRequired {
                    holder: holder.to_string(),
                });
            }
            Ok(())
        }
        Op::ClaimRole { role } => match inc.holder(*role) {
            None => Ok(()),
            Some(h) if h == who => Err(Refusal::Unchanged {
                what: role.as_str(),
                value: format!("held by you ({h})"),
            }),
            Some(h) => Err(Refusal::RoleHeld {
                role: *role,
                holder: h.to_string(),
            }),
        },
        Op::StepDown { role } => match inc.holder(*role) {
            Some(h) if h == who => Ok(()),
            other => Err(Refusal::NotHolder {
                role: *role,
                holder: other.map(str::to_string),
            }),
        },
        Op::OfferRole { role, to } => {
            check_user(to)?;
            let Some(holder) = inc.holder(*role) else {
                return Err(Refusal::RoleEmpty { role: *role });
            };
            // The holder may offer their role; the commander may offer any
            // role but command, which only its holder hands over.
            let may = holder == who || (*role != Role::Commander && inc.is_commander(who));
            if !may {
                return Err(Refusal::CannotOffer {
                    role: *role,
                    holder: holder.to_string(),
                });
            }
            if holder == to {
                return Err(Refusal::OfferToHolder {
                    role: *role,
                    to: to.clone(),
                });
            }
            if inc.offers.get(role).is_some_and(|o| o.to == *to) {
                return Err(Refusal::Unchanged {
                    what: role.as_str(),
                    value: format!("offered to {to}"),
                });
            }
            Ok(())
        }
        Op::AcceptRole { role } | Op::DeclineRole { role } => match inc.offers.get(role) {
            None => Err(Refusal::NoOffer {
                role: *role,
                to_you: true,
            }),
            Some(o) if o.to == who => Ok(()),
            Some(o) => Err(Refusal::NotOfferedToYou {
                role: *role,
                to: o.to.clone(),
            }),
        },
        Op::WithdrawOffer { role } => match inc.offers.get(role) {
            None => Err(Refusal::NoOffer {
                role: *role,
                to_you: false,
            }),
            Some(o) if o.from == who || inc.holder(*role) == Some(who) || inc.is_commander(who) => {
                Ok(())
            }
            Some(o) => Err(Refusal::CannotWithdraw {
                from: o.from.clone(),
            }),
        },
        Op::AddRole { role } => {
            if inc.shown_roles().contains(role) {
                return Err(Refusal::RoleAlreadyShown { role: *role });
            }
            commander_or_none(inc, who, "add roles")
        }
        Op::Nudge { role } => {
            if inc.holder(*role).is_some() {
                Err(Refusal::NudgeNotNeeded { role: *role })
            } else if inc.nudged.contains(role) {
                Err(Refusal::AlreadyNudged { role: *role })
            } else {
                Ok(())
            }
        }
        Op::Announce { text, mitigation } => {
            if let Some(id) = mitigation {
                mitigation_of(inc, *id)?;
            }
            check_text("announcement", text)
        }
        Op::Answer {
            request, reason, ..
        } => {
            let Some(req) = inc.request(*request) else {
                return Err(Refusal::NoSuchRequest { id: *request });
            };
            if req.state != RequestState::Pending {
                return Err(Refusal::AlreadyAnswered {
                    id: *request,
                    state: state_name(req.state),
                });
            }
            match inc.commander() {
                None => return Err(Refusal::NoCommanderToAnswer { id: *request }),
                Some(c) if c != who => {
                    return Err(Refusal::NotCommander {
                        action: "answer requests",
                        commander: c.to_string(),
                    });
                }
                Some(_) => {}
            }
            match reason {
                Some(r) => check_text("reason", r),
                None => Ok(()),
            }
        }
        Op::SetSystem {
            name,
            status,
            evidence,
            owner,
            note,
        } => {
            check_system_name(name)?;
            if let Some(ev) = evidence {
                check_evidence(inc, ev)?;
            }
            for (field, text) in [("owner", owner), ("note", note)] {
                if let Some(t) = text {
                    check_text(field, t)?;
                }
            }
            if let Some(sys) = inc.systems.get(name)
                && sys.status == *status
                && evidence.is_none()
                && owner.as_ref().is_none_or(|o| sys.owner.as_ref() == Some(o))
                && note.as_ref().is_none_or(|n| sys.note.as_ref() == Some(n))
            {
                return Err(Refusal::Unchanged {
                    what: "that system",
                    value: status.to_string(),
                });
            }
            Ok(())
        }
        Op::Depend { system, on } => {
            check_system_name(system)?;
            check_system_name(on)?;
            if system == on {
                return Err(Refusal::SelfDependency {
                    system: system.clone(),
                });
            }
            if inc
                .systems
                .get(system)
                .is_some_and(|s| s.depends_on.contains(on))
            {
                return Err(Refusal::Unchanged {
                    what: "that dependency",
                    value: "recorded".into(),
                });
            }
            Ok(())
        }
        Op::Undepend { system, on } => {
            if inc
                .systems
                .get(system)
                .is_some_and(|s| s.depends_on.contains(on))
            {
                Ok(())
            } else {
                Err(Refusal::NoSuchDependency {
                    system: system.clone(),
                    on: on.clone(),
                })
            }
        }
        Op::ImportSystems { systems, .. } => {
            if systems.is_empty() {
                return Err(Refusal::Empty {
                    field: "service map",
                });
            }
            for spec in systems {
                check_system_name(&spec.name)?;
                for dep in &spec.depends_on {
                    check_system_name(dep)?;
                }
            }
            Ok(())
        }
        Op::Assume { text, source } => {
            check_text("assumption", text)?;
            match source {
                Some(s) => check_text("source", s),
                None => Ok(()),
            }
        }
        Op::Verify { id, evidence } | Op::Refute { id, evidence } => {
            let Some(a) = id
                .checked_sub(1)
                .and_then(|i| inc.assumptions.get(i as usize))
            else {
                return Err(Refusal::NoSuchAssumption { id: *id });
            };
            if a.state != AssumptionState::Unverified {
                let state = if a.state == AssumptionState::Verified {
                    "verified"
                } else {
                    "refuted"
                };
                return Err(Refusal::AssumptionClosed { id: *id, state });
            }
            check_evidence(inc, evidence)
        }
        Op::SetImpact { text } => check_text("impact", text),
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
                    what: "deploys",
                    value: format!("frozen since {} by {}", f.since.format("%H:%M UTC"), f.by),
                });
            }
            match reason {
                Some(r) => check_text("reason", r),
                None => Ok(()),
            }
        }
        Op::Unfreeze => {
            if inc.freeze.is_none() {
                return Err(Refusal::Unchanged {
                    what: "deploys",
                    value: "not frozen".into(),
                });
            }
            commander_or_none(inc, who, "lift the deploy freeze")
        }
        Op::ApplyTemplate { sections, .. } => {
            if inc.document.sections.values().any(|t| t.version > 0) {
                return Err(Refusal::DocumentTouched);
            }
            for s in sections {
                if s.text.len() > MAX_TEXT {
                    return Err(Refusal::TooLong {
                        field: "template text",
                        len: s.text.len(),
                        max: MAX_TEXT,
                        unit: "bytes",
                    });
                }
            }
            Ok(())
        }
        Op::EditSection {
            section,
            text,
            base,
        } => {
            comms_or_commander(inc, who, "rewrite the document")?;
            if text.len() > MAX_TEXT {
                return Err(Refusal::TooLong {
                    field: "section",
                    len: text.len(),
                    max: MAX_TEXT,
                    unit: "bytes",
                });
            }
            let current = inc
                .document
                .sections
                .get(section)
                .cloned()
                .unwrap_or_default();
            if current.version != *base {
                return Err(Refusal::EditConflict {
                    section: *section,
                    base: *base,
                    current: current.version,
                    by: current.by.unwrap_or_default(),
                    theirs: current.text,
                });
            }
            if current.text == *text {
                return Err(Refusal::Unchanged {
                    what: "that section",
                    value: "the same text".into(),
                });
            }
            Ok(())
        }
        Op::AppendSection { text, .. } => check_text("text", text),
        Op::AddSnippet { title, text, entry } => {
            check_text("title", title)?;
            check_text("snippet", text)?;
            if let Some(e) = entry
                && (*e == 0 || *e as usize > inc.log.len())
            {
                return Err(Refusal::NoSuchEntry { entry: *e });
            }
            Ok(())
        }
        Op::Pin { entry } | Op::Unpin { entry } => {
            if *entry == 0 || *entry as usize > inc.log.len() {
                return Err(Refusal::NoSuchEntry { entry: *entry });
            }
            let pinned = inc.document.pinned.contains(entry);
            match (&rec.op, pinned) {
                (Op::Pin { .. }, true) => Err(Refusal::Unchanged {
                    what: "that entry",
                    value: "on the timeline".into(),
                }),
                (Op::Unpin { .. }, false) => Err(Refusal::Unchanged {
                    what: "that entry",
                    value: "not pinned".into(),
                }),
                _ => Ok(()),
            }
        }
        Op::PostUpdate { text, .. } => {
            comms_or_commander(inc, who, "send status updates")?;
            check_text("update", text)
        }
        Op::SetUpdateCadence { minutes } => {
            if !(5..=240).contains(minutes) {
                return Err(Refusal::BadCadence { minutes: *minutes });
            }
            comms_or_commander(inc, who, "set the update cadence")
        }
        Op::StartBreak {
            kind,
            minutes,
            reason,
        } => {
            if !(1..=120).contains(minutes) {
                return Err(Refusal::BadBreak { minutes: *minutes });
            }
            if let Some(b) = inc.break_at(rec.at) {
                return Err(Refusal::BreakRunning {
                    until: b.ends_at.format("%H:%M UTC").to_string(),
                });
            }
            if *kind == BreakKind::Team {
                commander_or_none(inc, who, "call a team break")?;
            }
            match reason {
                Some(r) => check_text("reason", r),
                None => Ok(()),
            }
        }
        Op::EndBreak => {
            if inc.break_at(rec.at).is_none() {
                return Err(Refusal::NoBreak);
            }
            commander_or_none(inc, who, "end a break early")
        }
        Op::OrderFood { note } => match note {
            Some(n) => check_text("note", n),
            None => Ok(()),
        },
        Op::Detach { user, note } => {
            check_user(user)?;
            commander_or_none(inc, who, "stand people down")?;
            if let Some((role, _)) = inc.roles.iter().find(|(_, h)| h.user == *user) {
                return Err(Refusal::HoldsRole {
                    user: user.clone(),
                    role: *role,
                });
            }
            if inc.detached.contains_key(user) {
                return Err(Refusal::Unchanged {
                    what: "that person",
                    value: "stood down".into(),
                });
            }
            match note {
                Some(n) => check_text("note", n),
                None => Ok(()),
            }
        }
        Op::SetHumanSettings { settings } => {
            let s = settings;
            let sane = (1..=120).contains(&s.team_break_minutes)
                && (1..=30).contains(&s.procedure_pause_minutes)
                && (30..=1440).contains(&s.food_after_minutes)
                && (30..=1440).contains(&s.food_every_minutes)
                && (30..=1440).contains(&s.fatigue_warn_minutes)
                && s.fatigue_warn_minutes <= s.fatigue_alert_minutes
                && s.fatigue_alert_minutes <= 2880;
            if !sane {
                return Err(Refusal::BadSettings);
            }
            commander_or_none(inc, who, "change break and fatigue settings")
        }
        Op::Paged {
            key,
            title,
            source,
            state,
            ..
        } => {
            check_text("alert key", key)?;
            check_text("alert title", title)?;
            check_text("alert source", source)?;
            check_text("alert state", state)
        }
        Op::Ran { evidence, request } => {
            check_text("command", &evidence.command)?;
            if let Some(id) = request
                && inc.request(*id).is_none()
            {
                return Err(Refusal::NoSuchRequest { id: *id });
            }
            Ok(())
        }
    }
}

/// The document and updates belong to communications; the commander may
/// step in, and anyone may while the role is empty.
fn comms_or_commander(inc: &Incident, who: &str, action: &'static str) -> Result<(), Refusal> {
    match inc.holder(Role::Communications) {
        Some(c) if c != who && !inc.is_commander(who) => Err(Refusal::NotCommunications {
            action,
            holder: c.to_string(),
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

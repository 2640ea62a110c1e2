//! Who may do what, and what is valid: the one place for the rules.
//!
//! - Anyone may write to the log, claim an empty role, step down from a
//!   role they hold, and announce what they are about to do.
//! - The commander assigns and reassigns roles, changes severity and status,
//!   adds optional roles, and answers clearance requests. When there is no
//!   commander, anyone may do those (someone has to start).
//! - Command itself never moves silently: the holder (or the commander, for
//!   other roles) offers a role, and only the person offered can accept.

use super::{MAX_TEXT, MAX_TITLE, MAX_USER, Op, Record, Refusal};
use crate::model::{Incident, RequestState, Role};

/// Judge `rec` against the current state of `inc`.
pub fn check(inc: &Incident, rec: &Record) -> Result<(), Refusal> {
    let who = rec.by.who();
    match &rec.op {
        Op::Declare { .. } => Err(Refusal::AlreadyDeclared),
        Op::Log { kind, text } => {
            if !kind.is_user_writable() {
                return Err(Refusal::KindNotWritable { kind: *kind });
            }
            check_text("log text", text)
        }
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
        Op::Announce { text } => check_text("announcement", text),
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

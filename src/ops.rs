//! Operations: the only way an incident changes.
//!
//! Every change, whether typed in the TUI, run from the CLI or sent by a
//! script, becomes one [`Op`], stored as one line of the incident file and
//! applied by [`apply`]. [`check`] is the single home of the rules: what is
//! valid and who may do what. Replaying a file ([`replay`]) applies the
//! effects without re-judging them, because each line was judged against
//! exactly the state it was written on.

use crate::model::{Actor, Incident, LogEntry, LogKind, Role, RoleHolder, Severity, Status};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest title accepted, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest log text accepted, in bytes.
pub const MAX_TEXT: usize = 64 * 1024;
/// Longest user name accepted, in bytes.
pub const MAX_USER: usize = 64;

/// One change to an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// The first operation of every incident.
    Declare {
        title: String,
        severity: Severity,
    },
    /// Append an entry to the action log.
    Log {
        kind: LogKind,
        text: String,
    },
    SetStatus {
        status: Status,
    },
    SetSeverity {
        severity: Severity,
    },
    /// Give a role to a user, or empty it with `user: None`.
    SetRole {
        role: Role,
        user: Option<String>,
    },
}

impl Op {
    /// The stored name of every operation (the `op` field of a line).
    pub const NAMES: &'static [&'static str] =
        &["declare", "log", "set_status", "set_severity", "set_role"];
}

/// An operation as stored: who did it, and when (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub at: DateTime<Utc>,
    pub by: Actor,
    #[serde(flatten)]
    pub op: Op,
}

/// Why an operation was not applied. Rendered to people as is, so each
/// message says what is wrong and what to do instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{field} is empty: write some text")]
    Empty { field: &'static str },
    #[error(
        "{field} is too long ({len} {unit}; the limit is {max}): shorten it or attach it as a file"
    )]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
        unit: &'static str,
    },
    #[error(
        "'{kind}' entries are written by the tool itself: use note, action, decision or announcement"
    )]
    KindNotWritable { kind: LogKind },
    #[error("{what} is already {value}: nothing to change")]
    Unchanged { what: &'static str, value: String },
    #[error(
        "'{given}' is not a valid user name: use a login name such as 'alice' (no spaces or control characters)"
    )]
    InvalidUser { given: String },
    #[error("the incident is already declared: declare a new one instead")]
    AlreadyDeclared,
    #[error("this incident has no declaration yet")]
    NotDeclared,
}

/// Judge `rec` against the current state. The rules live here and only here.
pub fn check(incident: &Incident, rec: &Record) -> Result<(), Refusal> {
    match &rec.op {
        Op::Declare { .. } => Err(Refusal::AlreadyDeclared),
        Op::Log { kind, text } => {
            if !kind.is_user_writable() {
                return Err(Refusal::KindNotWritable { kind: *kind });
            }
            check_text("log text", text)
        }
        Op::SetStatus { status } => unchanged("status", incident.status, *status),
        Op::SetSeverity { severity } => unchanged("severity", incident.severity, *severity),
        Op::SetRole { role, user } => {
            if let Some(user) = user {
                check_user(user)?;
            }
            let current = incident.holder(*role);
            if current == user.as_deref() {
                return Err(Refusal::Unchanged {
                    what: role.as_str(),
                    value: current
                        .map(|u| format!("held by {u}"))
                        .unwrap_or_else(|| "empty".into()),
                });
            }
            Ok(())
        }
    }
}

/// Check, then apply. This is what every writer calls.
pub fn apply(incident: &mut Incident, rec: &Record) -> Result<(), Refusal> {
    check(incident, rec)?;
    replay(incident, rec);
    Ok(())
}

/// Build the incident from its declaring record (the first operation).
pub fn genesis(id: &str, rec: &Record) -> Result<Incident, Refusal> {
    let Op::Declare { title, severity } = &rec.op else {
        return Err(Refusal::NotDeclared);
    };
    check_title(title)?;
    Ok(declare(id, title, *severity, rec))
}

/// Build the incident from its declaring record without judging it (replay).
pub fn replay_genesis(id: &str, rec: &Record) -> Option<Incident> {
    match &rec.op {
        Op::Declare { title, severity } => Some(declare(id, title, *severity, rec)),
        _ => None,
    }
}

fn declare(id: &str, title: &str, severity: Severity, rec: &Record) -> Incident {
    let mut inc = Incident::declared(id, title, severity, rec.at, &rec.by.user);
    inc.revision = 1;
    push(
        &mut inc,
        rec,
        LogKind::Declared,
        format!("declared {severity} \"{title}\""),
    );
    inc
}

/// Apply the effect of a record already judged when it was written.
pub fn replay(incident: &mut Incident, rec: &Record) {
    incident.revision += 1;
    incident.updated_at = rec.at;
    match &rec.op {
        Op::Declare { title, .. } => {
            // Only reachable through a hand-edited file; keep it visible.
            push(
                incident,
                rec,
                LogKind::Note,
                format!("(repeated declaration \"{title}\" ignored)"),
            );
        }
        Op::Log { kind, text } => push(incident, rec, *kind, text.clone()),
        Op::SetStatus { status } => {
            let text = format!("status {} → {}", incident.status, status);
            incident.status = *status;
            push(incident, rec, LogKind::StatusChange, text);
        }
        Op::SetSeverity { severity } => {
            let text = format!("severity {} → {}", incident.severity, severity);
            incident.severity = *severity;
            push(incident, rec, LogKind::SeverityChange, text);
        }
        Op::SetRole { role, user } => {
            let previous = incident.roles.remove(role).map(|h| h.user);
            let text = match (user, &previous) {
                (Some(u), Some(p)) => format!("{u} is now {role} (was {p})"),
                (Some(u), None) => format!("{u} is now {role}"),
                (None, Some(p)) => format!("{role} is now empty (was {p})"),
                (None, None) => format!("{role} is now empty"),
            };
            if let Some(u) = user {
                incident.roles.insert(
                    *role,
                    RoleHolder {
                        user: u.clone(),
                        since: rec.at,
                    },
                );
            }
            push(incident, rec, LogKind::RoleChange, text);
        }
    }
}

fn push(incident: &mut Incident, rec: &Record, kind: LogKind, text: String) {
    let seq = incident.log.len() as u64 + 1;
    incident.log.push(LogEntry {
        seq,
        at: rec.at,
        by: rec.by.user.clone(),
        kind,
        text,
    });
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

fn check_text(field: &'static str, text: &str) -> Result<(), Refusal> {
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

fn check_user(user: &str) -> Result<(), Refusal> {
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

impl Refusal {
    /// True when the operation itself was malformed (bad text, bad name),
    /// as opposed to refused by the state of the incident.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Refusal::Empty { .. }
                | Refusal::TooLong { .. }
                | Refusal::KindNotWritable { .. }
                | Refusal::InvalidUser { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn rec(user: &str, op: Op) -> Record {
        Record {
            at: Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap(),
            by: Actor::named(user),
            op,
        }
    }

    fn declared() -> Incident {
        genesis(
            "INC-1",
            &rec(
                "alice",
                Op::Declare {
                    title: "Checkout errors".into(),
                    severity: Severity::Sev2,
                },
            ),
        )
        .unwrap()
    }

    #[test]
    fn declaration_is_the_first_log_entry() {
        let inc = declared();
        assert_eq!(inc.log.len(), 1);
        assert_eq!(inc.log[0].kind, LogKind::Declared);
        assert!(inc.log[0].text.contains("SEV2"));
        assert_eq!(inc.status, Status::Investigating);
    }

    #[test]
    fn empty_and_oversized_text_is_refused() {
        let mut inc = declared();
        let empty = rec(
            "bob",
            Op::Log {
                kind: LogKind::Note,
                text: "  ".into(),
            },
        );
        assert!(matches!(
            apply(&mut inc, &empty),
            Err(Refusal::Empty { .. })
        ));
        let big = rec(
            "bob",
            Op::Log {
                kind: LogKind::Note,
                text: "x".repeat(MAX_TEXT + 1),
            },
        );
        assert!(matches!(
            apply(&mut inc, &big),
            Err(Refusal::TooLong { .. })
        ));
        assert_eq!(inc.log.len(), 1, "refused operations leave no trace");
    }

    #[test]
    fn tool_written_kinds_cannot_be_forged() {
        let mut inc = declared();
        let forged = rec(
            "bob",
            Op::Log {
                kind: LogKind::StatusChange,
                text: "resolved".into(),
            },
        );
        assert!(matches!(
            apply(&mut inc, &forged),
            Err(Refusal::KindNotWritable { .. })
        ));
    }

    #[test]
    fn status_change_is_logged_and_repeating_it_is_refused() {
        let mut inc = declared();
        let op = rec(
            "alice",
            Op::SetStatus {
                status: Status::Mitigated,
            },
        );
        apply(&mut inc, &op).unwrap();
        assert_eq!(inc.status, Status::Mitigated);
        assert_eq!(
            inc.log.last().unwrap().text,
            "status investigating → mitigated"
        );
        assert!(matches!(
            apply(&mut inc, &op),
            Err(Refusal::Unchanged { .. })
        ));
    }

    #[test]
    fn role_change_names_the_previous_holder() {
        let mut inc = declared();
        let set = |u: &str| {
            rec(
                "alice",
                Op::SetRole {
                    role: Role::Commander,
                    user: Some(u.into()),
                },
            )
        };
        apply(&mut inc, &set("alice")).unwrap();
        apply(&mut inc, &set("bob")).unwrap();
        assert_eq!(inc.commander(), Some("bob"));
        assert_eq!(
            inc.log.last().unwrap().text,
            "bob is now commander (was alice)"
        );
        assert!(apply(&mut inc, &set("bob")).is_err());
        let bad = rec(
            "alice",
            Op::SetRole {
                role: Role::Scribe,
                user: Some("a b\u{1b}".into()),
            },
        );
        assert!(matches!(
            apply(&mut inc, &bad),
            Err(Refusal::InvalidUser { .. })
        ));
    }

    #[test]
    fn every_operation_name_is_known() {
        let samples = [
            Op::Declare {
                title: "t".into(),
                severity: Severity::Sev1,
            },
            Op::Log {
                kind: LogKind::Note,
                text: "t".into(),
            },
            Op::SetStatus {
                status: Status::Resolved,
            },
            Op::SetSeverity {
                severity: Severity::Sev1,
            },
            Op::SetRole {
                role: Role::Scribe,
                user: None,
            },
        ];
        assert_eq!(samples.len(), Op::NAMES.len());
        for op in samples {
            let v = serde_json::to_value(&op).unwrap();
            assert!(Op::NAMES.contains(&v["op"].as_str().unwrap()), "{v}");
        }
    }

    #[test]
    fn records_round_trip_through_json_as_flat_lines() {
        let r = rec(
            "alice",
            Op::Log {
                kind: LogKind::Decision,
                text: "roll back".into(),
            },
        );
        let line = serde_json::to_string(&r).unwrap();
        assert!(line.contains(r#""op":"log""#), "{line}");
        assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), r);
    }
}

//! The incident itself: declaring, the log, status, severity, pages.

use super::*;

pub(super) fn check(inc: &Incident, rec: &Record, who: &str) -> Result<(), Refusal> {
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
        other => Err(Refusal::Misrouted { op: other.name() }),
    }
}

//! The incident itself: declaring, the log, status, severity, pages.

use super::*;
use crate::model::Status;

pub(super) fn check(inc: &Incident, rec: &Record, who: &str) -> Result<(), Refusal> {
    match &rec.op {
        Op::Declare { .. } => Err(Refusal::AlreadyDeclared),
        Op::Log { kind, text } => check_log(*kind, text),
        Op::SetStatus {
            status,
            force,
            keep_freeze,
        } => {
            commander_or_none(inc, who, "change the status")?;
            unchanged("status", inc.status, *status)?;
            if *force {
                return Ok(());
            }
            // The lifecycle checks itself: mitigated means nothing is
            // failing any more, resolved means nothing is left open.
            match status {
                Status::Mitigated => {
                    let systems = inc.failing_systems();
                    if systems.is_empty() {
                        Ok(())
                    } else {
                        Err(Refusal::StillFailing { systems })
                    }
                }
                Status::Resolved => {
                    let items = inc.still_open(*keep_freeze);
                    if items.is_empty() {
                        Ok(())
                    } else {
                        Err(Refusal::StillOpen {
                            items,
                            frozen: !*keep_freeze && inc.freeze.is_some(),
                        })
                    }
                }
                Status::Investigating => Ok(()),
            }
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

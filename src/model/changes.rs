//! What counts as a change to an incident, decided in one place from the
//! kind of each log entry (never its words): the catch-up lists every
//! change since a moment by these kinds, the brief tells what stopped the
//! bleeding from them, and the export's curated timeline keeps the
//! decisions and holds they name. A new kind of entry is a change or not
//! here, once, for every summary.

use super::{Incident, LogEntry, LogKind};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A kind of change a person coming back needs to hear about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// A role given, taken over, offered, accepted or left.
    Role,
    /// Investigating → mitigated → resolved (and back).
    Status,
    Severity,
    /// Closed as a duplicate or a false alarm: the incident was called off.
    Closed,
    /// A system's status set.
    System,
    /// An assumption made, verified or refuted.
    Assumption,
    /// A new impact estimate.
    Impact,
    /// A mitigation proposed, started, done or failed.
    Mitigation,
    /// Deploys frozen or the freeze lifted.
    Freeze,
    /// An update communications sent.
    Update,
    Decision,
    /// The commander held a request, with why.
    Hold,
    /// Another incident merged into this one, or this one linked to
    /// another (a duplicate, a recurrence).
    Merge,
}

impl Change {
    /// The change `e` records, if it is one. Retracted entries are not:
    /// their author took them back.
    pub fn of(e: &LogEntry) -> Option<Change> {
        if e.retracted.is_some() {
            return None;
        }
        Some(match e.kind {
            LogKind::RoleChange | LogKind::Takeover => Change::Role,
            LogKind::StatusChange => Change::Status,
            LogKind::SeverityChange => Change::Severity,
            LogKind::Closed => Change::Closed,
            LogKind::System => Change::System,
            LogKind::Assumption => Change::Assumption,
            LogKind::Impact => Change::Impact,
            LogKind::Mitigation => Change::Mitigation,
            LogKind::Freeze => Change::Freeze,
            LogKind::Update => Change::Update,
            LogKind::Decision => Change::Decision,
            LogKind::Answer if e.is_hold() => Change::Hold,
            LogKind::Related => Change::Merge,
            _ => return None,
        })
    }
}

/// Every change in `inc` after `since` (all of them with `None`), in log
/// order. (Every entry is looked at: boxes' clocks differ, so the log is
/// not strictly in time order.)
pub fn changes(
    inc: &Incident,
    since: Option<DateTime<Utc>>,
) -> impl Iterator<Item = (Change, &LogEntry)> {
    inc.log
        .iter()
        .filter(move |e| since.is_none_or(|t| e.at > t))
        .filter_map(|e| Change::of(e).map(|c| (c, e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;
    use crate::model::fixture::{apply, declared, t};
    use crate::ops::Op;

    #[test]
    fn notes_and_runs_are_not_changes_decisions_and_holds_are() {
        let mut inc = declared(Severity::Sev2);
        for (m, kind, text) in [
            (1, LogKind::Note, "looking at the dashboards"),
            (2, LogKind::Decision, "roll back first"),
        ] {
            let text = text.into();
            apply(&mut inc, m, "alice", Op::Log { kind, text });
        }
        let kinds: Vec<Change> = changes(&inc, Some(t(0))).map(|(c, _)| c).collect();
        assert_eq!(kinds, [Change::Decision]);
    }
}

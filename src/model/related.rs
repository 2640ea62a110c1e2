//! How an incident stands beside others and beside the pages that opened
//! it: closed as a duplicate or a false alarm (no longer active, never
//! resolved), a recurrence of an earlier one, and the runbook, dashboard
//! and bridge links the pager sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Why an incident was closed without being resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseKind {
    /// The same problem as another incident, where the work goes on.
    Duplicate,
    /// Nothing was wrong.
    FalseAlarm,
}

/// An incident closed without being resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Closure {
    pub kind: CloseKind,
    /// The incident it duplicates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub into: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
    pub by: String,
}

impl Closure {
    /// "duplicate of INC-1" or "false alarm", for headers and lists.
    pub fn label(&self) -> String {
        match (self.kind, &self.into) {
            (CloseKind::Duplicate, Some(into)) => format!("duplicate of {into}"),
            (CloseKind::Duplicate, None) => "duplicate".into(),
            (CloseKind::FalseAlarm, _) => "false alarm".into(),
        }
    }
}

/// How another incident relates to this one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// This incident is the same alert firing again after that one was
    /// resolved.
    RecurrenceOf,
    /// That incident is this one's alert firing again after it was resolved.
    RecurredAs,
    /// This incident was closed as a duplicate of that one.
    DuplicateOf,
    /// That incident was closed as a duplicate of this one.
    HasDuplicate,
}

impl Relation {
    /// "recurrence of INC-1", "has duplicate INC-3", ...
    pub fn describe(self, other: &str) -> String {
        match self {
            Relation::RecurrenceOf => format!("recurrence of {other}"),
            Relation::RecurredAs => format!("recurred as {other}"),
            Relation::DuplicateOf => format!("duplicate of {other}"),
            Relation::HasDuplicate => format!("has duplicate {other}"),
        }
    }
}

/// Another incident linked to this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Related {
    pub relation: Relation,
    pub incident: String,
    pub at: DateTime<Utc>,
}

/// A link a page carried that responders need at hand: a runbook, a
/// dashboard, a conference bridge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageLink {
    /// `runbook`, `dashboard` or `bridge`.
    pub label: String,
    pub url: String,
}

/// Where the page stands at its source once someone there answered it:
/// acknowledged (by whom), then re-triggered or resolved there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PagerAck {
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub at: DateTime<Utc>,
    pub state: PagerState,
}

/// The page's state at its source, as its last event said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PagerState {
    Acknowledged,
    /// Firing again after it was acknowledged.
    #[serde(rename = "re-triggered")]
    Retriggered,
    Resolved,
}

impl PagerAck {
    /// "acknowledged in PagerDuty by dana", "re-triggered in PagerDuty at
    /// 03:41", "resolved in PagerDuty at 04:02".
    pub fn describe(&self) -> String {
        match self.state {
            PagerState::Acknowledged => format!(
                "acknowledged in {}{}",
                self.source,
                self.by
                    .as_ref()
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default()
            ),
            PagerState::Retriggered => format!(
                "re-triggered in {} at {} (after an ack)",
                self.source,
                self.at.format("%H:%M")
            ),
            PagerState::Resolved => {
                format!("resolved in {} at {}", self.source, self.at.format("%H:%M"))
            }
        }
    }
}

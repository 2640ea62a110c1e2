//! What the post-mortem says: one [`PostMortem`], sanitized, that both
//! formats render ([`super::markdown`], [`super::json`]).

use crate::model::{FollowupKind, LogKind, Milestone, Role};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Everything the post-mortem says, sanitized, in a fixed order. Its
/// serialized form is the JSON export.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PostMortem {
    pub id: String,
    pub title: String,
    pub severity: String,
    pub status: String,
    pub declared_at: DateTime<Utc>,
    pub impact_ceased_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    /// Closed without being resolved: a duplicate or a false alarm.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<ClosedPart>,
    /// Other incidents linked to this one ("recurrence of INC-1").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// Everyone who wrote to the log, sorted.
    pub authors: Vec<String>,
    pub commander: Option<String>,
    pub communications: Option<String>,
    pub summary: Option<String>,
    pub executive_summary: Option<String>,
    pub impact: ImpactPart,
    pub root_causes: RootCauses,
    pub resolution: Resolution,
    pub action_items: Vec<ActionItem>,
    pub timeline: Vec<TimelineEntry>,
    pub appendix: Vec<AppendixEntry>,
    /// Every command run with `incident run`, oldest first.
    pub runs: Vec<Run>,
    /// How it came to light: the page, or who declared it.
    pub detection: Detection,
    /// Impact started, detected, acknowledged, declared, mitigated,
    /// resolved: each known one, and how it is known.
    pub milestones: Vec<MilestonePart>,
    /// Time to detect, acknowledge, mitigate and resolve, in seconds.
    pub durations: DurationsPart,
    /// Every status update sent, oldest first.
    pub updates: Vec<UpdatePart>,
    /// Decisions, every go and hold with its reason, every run with its
    /// outcome, in log order.
    pub decisions: Vec<LogLine>,
    /// Who held which role, from when until when.
    pub roles: Vec<RoleTermPart>,
    /// Follow-ups: the work that outlives the incident.
    pub followups: Vec<FollowupPart>,
    /// The complete action log: every entry, oldest first.
    pub log: Vec<LogLine>,
    /// A drill's debrief; absent for a real incident.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drill: Option<crate::drill::debrief::Debrief>,
}

/// The page that started it (when one did) and the declaration.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Detection {
    pub declared_at: DateTime<Utc>,
    pub declared_by: String,
    /// The pager it came from ("Alertmanager"), when it was paged.
    pub source: Option<String>,
    pub alert: Option<String>,
    pub service: Option<String>,
    /// Detected: when the alert started, as the pager says (or when the
    /// page arrived, if it did not say or was not believed).
    pub fired_at: Option<DateTime<Utc>>,
    /// When the first page arrived.
    pub arrived_at: Option<DateTime<Utc>>,
    /// The ack's own time at the pager.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// When that acknowledgement arrived.
    pub acknowledged_arrived_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<String>,
    /// Times the pager gave that were not believed, and what was used.
    pub notes: Vec<String>,
    /// With no page: the first log entry.
    #[serde(skip)]
    pub first_entry: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct MilestonePart {
    pub name: Milestone,
    pub at: DateTime<Utc>,
    /// "set" by hand, or "recorded" by the tool as it happened.
    pub how: &'static str,
    /// Who set it by hand.
    pub by: Option<String>,
    pub note: Option<String>,
    /// How it is known, as people say it.
    pub known_from: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DurationsPart {
    pub to_detect_secs: Option<i64>,
    pub to_acknowledge_secs: Option<i64>,
    pub to_mitigate_secs: Option<i64>,
    pub to_resolve_secs: Option<i64>,
    /// What the clock for mitigating and resolving starts at.
    pub measured_from: Option<Milestone>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct UpdatePart {
    pub at: DateTime<Utc>,
    pub by: String,
    /// "internal" or "external".
    pub audience: &'static str,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RoleTermPart {
    pub role: Role,
    pub user: String,
    pub from: DateTime<Utc>,
    /// None while still held.
    pub until: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct FollowupPart {
    pub id: u64,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: FollowupKind,
    pub owner: Option<String>,
    /// "open" or "done".
    pub status: &'static str,
    pub by: String,
    pub at: DateTime<Utc>,
    /// The investigation task it was carried over from.
    pub from_task: Option<u64>,
}

/// One entry of the action log, as it stands.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LogLine {
    /// #N.
    pub entry: u64,
    pub at: DateTime<Utc>,
    pub by: String,
    pub kind: LogKind,
    /// What it says now: the corrected text, else as written. A run's
    /// entry says what ran and how it ended.
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amended: Option<Amended>,
    /// The clearance request it belongs to (R3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<u64>,
    /// On a correction or retraction: the entry it amends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amends: Option<u64>,
    /// A run's exit code, when it exited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    /// A run's output, as the incident kept it (its first and last lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

/// How an incident was closed without being resolved.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClosedPart {
    /// `duplicate` or `false_alarm`.
    #[serde(rename = "as")]
    pub kind: crate::model::CloseKind,
    /// "duplicate of INC-1", "false alarm".
    pub label: String,
    pub into: Option<String>,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
    pub by: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ImpactPart {
    pub text: Option<String>,
    /// Oldest first, as the estimate was revised.
    pub estimates: Vec<Estimate>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Estimate {
    pub at: DateTime<Utc>,
    pub text: String,
    pub by: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RootCauses {
    /// What the responders established: the suspect someone named, then
    /// the systems verified assumptions blame (`systems::cause`).
    pub causes: Vec<CausePart>,
    pub verified: Vec<Checked>,
    pub refuted: Vec<Checked>,
    /// The dependency graph's guess, where nobody established better:
    /// a guess, not a finding.
    pub graph_guess: Vec<Suspected>,
}

/// A cause the responders established, and on what grounds.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CausePart {
    pub system: String,
    /// Its status when this was written.
    pub status: String,
    /// `named` (someone named it) or `verified` (a verified assumption
    /// blames it).
    pub basis: &'static str,
    pub by: Option<String>,
    pub at: Option<DateTime<Utc>>,
    /// "A1 (verified): the payments deploy caused the 5xx", "#12: ...".
    pub reason: Option<String>,
}

/// An assumption closed one way or the other, and how it was checked.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Checked {
    pub id: u64,
    pub text: String,
    pub source: Option<String>,
    pub checked_by: Option<String>,
    pub checked_at: Option<DateTime<Utc>>,
    pub evidence: Option<String>,
}

/// A likely source of the trouble, from the dependency graph.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Suspected {
    pub system: String,
    pub status: String,
    pub checked_by: Option<String>,
    pub checked_at: Option<DateTime<Utc>>,
    pub evidence: Option<String>,
    /// Dependencies nobody checked: the suspicion holds only if they are fine.
    pub unknown_dependencies: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Resolution {
    /// In the order they were finished.
    pub done: Vec<Fix>,
    pub failed: Vec<Fix>,
    /// Still being tried when this was written.
    pub in_progress: Vec<NotTried>,
    /// Proposed and never started (or dropped): not action items.
    pub not_tried: Vec<NotTried>,
}

/// A mitigation that was not carried through.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct NotTried {
    pub id: u64,
    pub text: String,
    pub kind: String,
    pub owner: Option<String>,
    /// "proposed", "abandoned" or "in_progress".
    pub status: String,
}

/// A finished mitigation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Fix {
    pub id: u64,
    pub text: String,
    pub kind: String,
    pub owner: Option<String>,
    pub result: Option<String>,
    pub finished_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ActionItem {
    pub item: String,
    #[serde(rename = "type")]
    pub kind: ActionType,
    pub owner: Option<String>,
    pub status: String,
}

/// A follow-up's type, or an investigation still open that was never
/// carried over as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum ActionType {
    Prevent,
    Mitigate,
    Process,
    Other,
    Investigate,
}

impl ActionType {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionType::Prevent => "prevent",
            ActionType::Mitigate => "mitigate",
            ActionType::Process => "process",
            ActionType::Other => "other",
            ActionType::Investigate => "investigate",
        }
    }
}

impl From<FollowupKind> for ActionType {
    fn from(k: FollowupKind) -> Self {
        match k {
            FollowupKind::Prevent => ActionType::Prevent,
            FollowupKind::Mitigate => ActionType::Mitigate,
            FollowupKind::Process => ActionType::Process,
            FollowupKind::Other => ActionType::Other,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub by: String,
    /// What it says now: the corrected text, else as written.
    pub text: String,
    pub marker: Option<Marker>,
    /// Corrected or retracted by its author: what it said before, and
    /// how it was amended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amended: Option<Amended>,
}

/// How a timeline entry was amended by its author.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Amended {
    /// "corrected" or "retracted".
    pub how: &'static str,
    pub by: String,
    pub at: DateTime<Utc>,
    /// What it said before.
    pub was: String,
    /// Why it was retracted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The turning points the SRE-book timeline highlights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Marker {
    IncidentBegins,
    Mitigated,
    Resolved,
}

impl Marker {
    pub fn label(self) -> &'static str {
        match self {
            Marker::IncidentBegins => "INCIDENT BEGINS",
            Marker::Mitigated => "MITIGATED",
            Marker::Resolved => "RESOLVED",
        }
    }
}

/// A command run with `incident run`: how it ended and how it was
/// cleared with the commander.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Run {
    /// Its log entry (#N).
    pub entry: u64,
    pub at: DateTime<Utc>,
    pub by: String,
    pub command: String,
    pub duration_ms: u64,
    pub exit: Option<i32>,
    pub signal: Option<i32>,
    /// A non-zero exit, a signal, or it never started.
    pub failed: bool,
    /// "exit 0", "FAILED exit 2", "FAILED killed by signal 9".
    pub outcome: String,
    /// The request whose go (or the commander's own announcement) cleared
    /// it; null when it ran without go.
    pub cleared_by_request: Option<u64>,
    /// The commander who cleared it.
    pub cleared_by: Option<String>,
    /// "cleared by alice's go (R3)", "ran without go".
    pub clearance: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AppendixEntry {
    pub id: u64,
    pub title: String,
    pub text: String,
}

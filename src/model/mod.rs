//! The incident domain: plain types, no I/O.
//!
//! An [`Incident`] is never edited directly: it is the result of applying
//! operations in order (see [`crate::ops`]).

mod aging;
pub mod arrival;
pub mod away;
mod bleeding;
pub mod brief;
pub mod catchup;
pub mod changes;
pub mod delivery;
mod document;
pub mod draft;
mod drill;
mod enums;
pub mod escalation;
#[cfg(test)]
pub(crate) mod fixture;
mod human;
mod identity;
mod milestones;
mod mitigation;
pub mod outline;
pub mod refs;
mod related;
pub mod reminders;
pub mod when;

pub use aging::{ImpactNow, ImpactSaid, TaskState};
pub use bleeding::{
    Assumption, AssumptionState, CauseLink, Evidence, Impact, NamedSuspect, System, SystemStatus,
};
pub use document::{CommsUpdate, Document, Section, SectionText, Snippet, change, gist};
pub use drill::{Drill, DrillStep};
pub use enums::{FollowupKind, LogKind, Milestone, ParseError, Role, Severity, Status};
pub use milestones::{Detection, Durations, MilestoneSet, PagerTimes};
pub mod milestone {
    //! How a milestone's time is known, and the helpers for times.
    pub use super::milestones::{
        PAGER_CLOCK_SKEW, PAGER_MAX_AGE, Source, from_the_pager, human, parse_time, spoken,
    };
}
pub use human::{Break, BreakKind, Detached, HumanSettings};
pub use identity::{ASSISTANT, Actor, TOOL, assistant_for, is_assistant, is_tool, short_name};
pub use mitigation::{
    Followup, Freeze, Mitigation, MitigationKind, MitigationStatus, Risk, Speed, Task,
};
pub use related::{CloseKind, Closure, PageLink, PagerAck, PagerState, Related, Relation};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One entry of the append-only action log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Position in the log, starting at 1; stable forever because the log is
    /// append-only.
    pub seq: u64,
    pub at: DateTime<Utc>,
    /// The user name of the author.
    pub by: String,
    pub kind: LogKind,
    pub text: String,
    /// The clearance request this entry belongs to (announce, answer, run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<u64>,
    /// A key event for the timeline (declared, severity, roles, status,
    /// mitigations done or failed, freeze, breaks).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub milestone: bool,
    /// What `incident run` recorded: the command, its outcome and the last
    /// lines of its output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Box<RunEvidence>>,
    /// An act of authority made under a display name from an account (and
    /// machine) that name had not used before in this incident: "ops on
    /// jump1". Also written into `text`, so every surface shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// (Rare fields are boxed: a log of 50,000 entries is kept in memory
    /// more than once, and each inline field costs every entry.)
    pub unfamiliar: Option<Box<str>>,
    /// Its author's correction (the latest, if corrected more than once):
    /// `text` stays as first written, struck through where it is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected: Option<Box<Amendment>>,
    /// Its author took it back, with why (`Amendment::text`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retracted: Option<Box<Amendment>>,
    /// On a correction or retraction entry: the entry it amends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amends: Option<u64>,
}

/// A correction or retraction of a log entry by its author: the new text
/// (or the reason for taking it back), who, and when.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Amendment {
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

impl LogEntry {
    /// What the entry says now: the corrected text, else as written (a
    /// retracted entry still says what it said; see [`Self::plain_text`]).
    pub fn current_text(&self) -> &str {
        self.corrected.as_ref().map_or(&self.text, |c| &c.text)
    }

    /// Corrected or retracted: what it first said is no longer its word.
    pub fn is_amended(&self) -> bool {
        self.corrected.is_some() || self.retracted.is_some()
    }

    /// The commander's hold on a request (an answer that was not a go).
    pub fn is_hold(&self) -> bool {
        self.kind == LogKind::Answer && self.text.starts_with("hold for ")
    }

    /// The entry for a plain-text surface (`incident show`, `tail`, the
    /// document's timeline), not sanitized: "[corrected] new — was: old",
    /// "[retracted: reason] — was: old", or the text as written.
    /// The entry as the timeline tells it: the corrected text, never the
    /// wrong form, marked "(corrected)".
    pub fn timeline_text(&self) -> String {
        match &self.corrected {
            Some(c) => format!("{} (corrected)", c.text),
            None => self.text.clone(),
        }
    }

    pub fn plain_text(&self) -> String {
        if let Some(r) = &self.retracted {
            format!("[retracted: {}] — was: {}", r.text, self.current_text())
        } else if let Some(c) = &self.corrected {
            format!("[corrected] {} — was: {}", c.text, self.text)
        } else {
            self.text.clone()
        }
    }
}

/// A command run for the incident, as `incident run` recorded it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunEvidence {
    pub command: String,
    pub started_at: DateTime<Utc>,
    pub duration_ms: u64,
    /// Exit status, when the command exited normally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit: Option<i32>,
    /// The signal that ended it, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
    /// The last lines of its output (bounded).
    #[serde(default)]
    pub output: String,
    /// Earlier output was dropped to keep within the bound.
    #[serde(default)]
    pub truncated: bool,
    /// It ran at once because the team's `run_without_go` pattern (this
    /// one) calls it read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// It ran for this mitigation (`incident run --for M1`), under the go
    /// given for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigation: Option<u64>,
}

impl RunEvidence {
    /// It failed: a non-zero exit, killed by a signal, or never started.
    pub fn failed(&self) -> bool {
        self.exit != Some(0)
    }

    /// "exit 0", "FAILED exit 2", "FAILED killed by signal 9", "FAILED did
    /// not start": how the log, `incident tail` and the export say it ended.
    pub fn outcome(&self) -> String {
        let how = match (self.exit, self.signal) {
            (Some(code), _) => format!("exit {code}"),
            (None, Some(sig)) => format!("killed by signal {sig}"),
            (None, None) => "did not start".to_string(),
        };
        if self.failed() {
            format!("FAILED {how}")
        } else {
            how
        }
    }
}

/// How a command run with `incident run` was cleared with the commander.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clearance {
    /// The commander (`by`) answered go to request `request` (the go
    /// given for mitigation `mitigation`, when run with `--for`).
    Go {
        request: u64,
        by: String,
        mitigation: Option<u64>,
    },
    /// Read-only by the team's rule `rule` (`run_without_go`): no go needed.
    ReadOnly { rule: String },
    /// The commander (`by`) ran it and announced it as request `request`.
    Commander { request: u64, by: String },
    /// Nobody cleared it: run with `--no-clear`, while nobody commanded, or
    /// against a request that never got a go (`request`, in `state`).
    WithoutGo {
        request: Option<(u64, RequestState)>,
    },
}

impl Clearance {
    /// The request it was cleared by, if it was.
    pub fn request(&self) -> Option<u64> {
        match self {
            Clearance::Go { request, .. } | Clearance::Commander { request, .. } => Some(*request),
            Clearance::WithoutGo { .. } | Clearance::ReadOnly { .. } => None,
        }
    }

    /// Who cleared it (the commander), if anyone did.
    pub fn by(&self) -> Option<&str> {
        match self {
            Clearance::Go { by, .. } | Clearance::Commander { by, .. } => Some(by),
            Clearance::WithoutGo { .. } | Clearance::ReadOnly { .. } => None,
        }
    }
}

impl std::fmt::Display for Clearance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Clearance::Go {
                request,
                by,
                mitigation: None,
            } => write!(f, "cleared by {by}'s go (R{request})"),
            Clearance::Go {
                request,
                by,
                mitigation: Some(m),
            } => write!(f, "cleared by {by}'s go for M{m} (R{request})"),
            Clearance::ReadOnly { rule } => write!(f, "read-only by team rule ({rule})"),
            Clearance::Commander { request, by } => {
                write!(f, "announced by {by}, the commander (R{request})")
            }
            Clearance::WithoutGo { request: None } => write!(f, "ran without go"),
            Clearance::WithoutGo {
                request: Some((id, state)),
            } => {
                let state = match state {
                    RequestState::Pending => "still pending",
                    RequestState::Hold => "on hold",
                    RequestState::Withdrawn => "withdrawn",
                    RequestState::Go | RequestState::Announced => "answered",
                };
                write!(f, "ran without go (R{id} was {state})")
            }
        }
    }
}

/// A role offered to someone, waiting for them to accept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    pub from: String,
    pub to: String,
    pub at: DateTime<Utc>,
}

/// Where a clearance request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Waiting for the commander.
    Pending,
    /// Made by the commander: announced, needs no answer.
    Announced,
    /// The commander said go.
    Go,
    /// The commander said hold.
    Hold,
    /// Its asker stopped waiting (Ctrl-C, SIGTERM, a dropped session)
    /// before an answer: nobody is waiting on it any more.
    Withdrawn,
}

/// "About to: TEXT": an action announced before it is taken, to be cleared
/// by the commander.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: u64,
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
    pub state: RequestState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Request {
    /// How people refer to it: "R3".
    pub fn label(&self) -> String {
        format!("R{}", self.id)
    }
}

/// One term of a role: who held it, from when, until when, and the log
/// entries that began and ended it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleTerm {
    pub role: Role,
    pub user: String,
    pub from: DateTime<Utc>,
    /// None while it is still held.
    pub until: Option<DateTime<Utc>>,
    /// The log entry that gave the role to `user`.
    pub entry: u64,
    /// The log entry that ended the term (a successor or an emptied role).
    pub ended_by_entry: Option<u64>,
}

/// A change of severity, as applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SeverityChange {
    pub entry: u64,
    pub at: DateTime<Utc>,
    pub from: Severity,
    pub to: Severity,
}

/// A role given to someone and moved on within this long, or a severity
/// flip reverted within it, is noise to the curated timeline.
pub const NOISE_WITHIN: chrono::Duration = chrono::Duration::minutes(5);

/// The current holder of a role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleHolder {
    pub user: String,
    pub since: DateTime<Utc>,
}

/// The state of one incident, as of some revision of its file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub status: Status,
    pub declared_at: DateTime<Utc>,
    pub declared_by: String,
    /// Roles currently held. A role absent from the map is empty.
    pub roles: BTreeMap<Role, RoleHolder>,
    /// Optional roles added to this incident (shown even when empty).
    pub extra_roles: Vec<Role>,
    /// Roles offered in a handover, waiting for acceptance.
    pub offers: BTreeMap<Role, Offer>,
    /// Clearance requests, oldest first; `id` is the position plus one.
    pub requests: Vec<Request>,
    /// Systems involved, by name.
    pub systems: BTreeMap<String, System>,
    /// Assumptions, oldest first; `id` is the position plus one.
    pub assumptions: Vec<Assumption>,
    /// Impact estimates, oldest first; the last is the current one.
    pub impacts: Vec<Impact>,
    /// The cause a person named (`incident system suspect`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspect: Option<NamedSuspect>,
    /// When a suspect was last named or cleared.
    #[serde(skip)]
    pub suspect_changed_at: Option<DateTime<Utc>>,
    /// Mitigations; `id` is the position plus one.
    pub mitigations: Vec<Mitigation>,
    /// Investigation tasks; `id` is the position plus one.
    pub tasks: Vec<Task>,
    /// Set while deploys are frozen.
    pub freeze: Option<Freeze>,
    /// When the status last became mitigated: production impact ceased.
    pub impact_ceased_at: Option<DateTime<Utc>>,
    /// When it was resolved (cleared on reopening).
    pub resolved_at: Option<DateTime<Utc>>,
    /// The incident document.
    pub document: Document,
    /// Breaks, oldest first.
    pub breaks: Vec<Break>,
    /// When food was ordered.
    pub food: Vec<DateTime<Utc>>,
    /// People stood down by the commander.
    pub detached: BTreeMap<String, Detached>,
    /// Break lengths, food and fatigue thresholds for this incident.
    pub human: HumanSettings,
    /// De-duplication keys of the pages that belong to this incident: a
    /// re-fired alert with one of them joins it instead of declaring anew.
    pub pager_keys: BTreeSet<String>,
    /// Delivery ids of the pages logged here (`Alert::delivery_id`): the
    /// same delivery again is a redelivery, answered and not logged twice.
    #[serde(skip_serializing_if = "BTreeSet::is_empty")]
    pub pager_deliveries: BTreeSet<String>,
    /// Milestones set by hand (the others come from the record; see
    /// `Incident::milestone`).
    pub milestones: BTreeMap<Milestone, MilestoneSet>,
    /// The first page, and its acknowledgement.
    pub detection: Option<Detection>,
    /// Follow-ups (action items); `id` is the position plus one.
    pub followups: Vec<Followup>,
    /// Set on a drill: practice, never the real thing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drill: Option<Drill>,
    /// Where its updates went (`[[notify]]` targets, the PagerDuty resolve).
    #[serde(default, skip_serializing_if = "delivery::Notices::is_empty")]
    pub notices: delivery::Notices,
    /// The OS accounts each name has made acts of authority from, so one
    /// under a display name from a new account stands out.
    #[serde(skip)]
    pub accounts: BTreeMap<String, BTreeSet<String>>,
    /// Closed without being resolved: a duplicate or a false alarm.
    pub closed: Option<Closure>,
    /// Other incidents linked to this one (recurrences, duplicates).
    pub related: Vec<Related>,
    /// Runbook, dashboard and bridge links the pages carried.
    pub links: Vec<PageLink>,
    /// The latest acknowledgement at the pager, if any.
    pub pager_ack: Option<PagerAck>,
    /// Every term of every role, in the order they began.
    #[serde(skip)]
    pub role_history: Vec<RoleTerm>,
    /// Every severity change, oldest first.
    #[serde(skip)]
    pub severity_changes: Vec<SeverityChange>,
    /// Empty essential roles whose nudge has been logged (once each time
    /// the role becomes empty).
    #[serde(skip)]
    pub nudged: BTreeSet<Role>,
    /// Since when each empty role has been empty.
    #[serde(skip)]
    pub vacant_since: BTreeMap<Role, DateTime<Utc>>,
    pub log: Vec<LogEntry>,
    /// Number of operations applied; strictly increases with every append.
    pub revision: u64,
    /// The revision at which `systems` may last have changed: any
    /// operation but a log entry counts. Work derived from the systems
    /// alone (what is bleeding) is kept until this moves.
    #[serde(skip)]
    pub systems_revision: u64,
    /// Time of the last applied operation.
    pub updated_at: DateTime<Utc>,
}

impl Incident {
    /// A freshly declared incident, before any operation beyond the declaration.
    pub fn declared(
        id: &str,
        title: &str,
        severity: Severity,
        at: DateTime<Utc>,
        by: &str,
    ) -> Self {
        Incident {
            id: id.to_string(),
            title: title.to_string(),
            severity,
            status: Status::Investigating,
            declared_at: at,
            declared_by: by.to_string(),
            roles: BTreeMap::new(),
            extra_roles: Vec::new(),
            offers: BTreeMap::new(),
            requests: Vec::new(),
            systems: BTreeMap::new(),
            assumptions: Vec::new(),
            impacts: Vec::new(),
            suspect: None,
            suspect_changed_at: None,
            mitigations: Vec::new(),
            tasks: Vec::new(),
            freeze: None,
            impact_ceased_at: None,
            resolved_at: None,
            document: Document::default(),
            breaks: Vec::new(),
            food: Vec::new(),
            detached: BTreeMap::new(),
            human: HumanSettings::default(),
            pager_keys: BTreeSet::new(),
            pager_deliveries: BTreeSet::new(),
            accounts: BTreeMap::new(),
            closed: None,
            related: Vec::new(),
            links: Vec::new(),
            pager_ack: None,
            role_history: Vec::new(),
            severity_changes: Vec::new(),
            milestones: BTreeMap::new(),
            detection: None,
            followups: Vec::new(),
            drill: None,
            notices: delivery::Notices::default(),
            nudged: BTreeSet::new(),
            vacant_since: Role::ESSENTIAL.iter().map(|r| (*r, at)).collect(),
            log: Vec::new(),
            revision: 0,
            systems_revision: 0,
            updated_at: at,
        }
    }

    /// Neither resolved nor closed (as a duplicate or a false alarm).
    pub fn is_active(&self) -> bool {
        self.status != Status::Resolved && self.closed.is_none()
    }

    /// Resolved, and still so: a closed incident never counts.
    pub fn is_resolved(&self) -> bool {
        self.status == Status::Resolved && self.closed.is_none()
    }

    /// The status as people should read it: "investigating", or "duplicate
    /// of INC-1" / "false alarm" once closed.
    pub fn state_label(&self) -> String {
        match &self.closed {
            Some(c) => c.label(),
            None => self.status.to_string(),
        }
    }

    /// Whether `user` has done anything in this incident: written to its
    /// log (every change is logged) or held a role.
    pub fn has_taken_part(&self, user: &str) -> bool {
        self.log.iter().any(|e| e.by == user) || self.roles.values().any(|h| h.user == user)
    }

    pub fn holder(&self, role: Role) -> Option<&str> {
        self.roles.get(&role).map(|h| h.user.as_str())
    }

    pub fn commander(&self) -> Option<&str> {
        self.holder(Role::Commander)
    }

    /// True when `who` is the commander.
    pub fn is_commander(&self, who: &str) -> bool {
        self.commander() == Some(who)
    }

    /// Roles to show: the essential ones, those added to this incident, and
    /// any other that is held.
    pub fn shown_roles(&self) -> Vec<Role> {
        Role::ALL
            .iter()
            .copied()
            .filter(|r| {
                Role::ESSENTIAL.contains(r)
                    || self.extra_roles.contains(r)
                    || self.roles.contains_key(r)
            })
            .collect()
    }

    /// The timeline, curated: key events (milestones: declared, severity,
    /// roles, status, mitigations done or failed, freeze, closing), the
    /// page and its acknowledgement, milestones set by hand, decisions,
    /// holds, failed runs and entries pinned by hand, in log order. It
    /// leaves out noise: a role given to a name that never wrote anything
    /// and moved on within [`NOISE_WITHIN`] (a mistyped name), a severity
    /// flip reverted within it, and retracted entries. The document view,
    /// `incident doc show` and the export all read this one list.
    pub fn timeline(&self) -> impl Iterator<Item = &LogEntry> {
        let noise = self.timeline_noise();
        // The page entries are where the page and its ack arrived (the
        // pager's own times may be earlier).
        let detected = self.detection.as_ref().map(|d| d.arrived_at);
        let acked = self
            .detection
            .as_ref()
            .and_then(|d| d.acknowledged_arrived_at);
        self.log.iter().filter(move |e| {
            if noise.contains(&e.seq) || e.retracted.is_some() {
                return false;
            }
            e.milestone
                || self.document.pinned.contains(&e.seq)
                || e.is_hold()
                || e.evidence.as_ref().is_some_and(|ev| ev.failed())
                || matches!(e.kind, LogKind::Decision | LogKind::Milestone)
                || (e.kind == LogKind::Page && (Some(e.at) == detected || Some(e.at) == acked))
        })
    }

    /// Log entries the curated timeline leaves out as noise (see
    /// [`Self::timeline`]). Pinned entries are never noise.
    fn timeline_noise(&self) -> BTreeSet<u64> {
        let mut noise = BTreeSet::new();
        for t in &self.role_history {
            let Some(until) = t.until else { continue };
            let mistyped =
                until - t.from <= NOISE_WITHIN && !self.log.iter().any(|e| e.by == t.user);
            if !mistyped {
                continue;
            }
            noise.insert(t.entry);
            // Emptied again rather than given to the right name: the
            // emptying is part of the slip.
            if let Some(end) = t.ended_by_entry
                && !self.role_history.iter().any(|n| n.entry == end)
            {
                noise.insert(end);
            }
        }
        let flips = &self.severity_changes;
        let mut i = 0;
        while i + 1 < flips.len() {
            let (a, b) = (flips[i], flips[i + 1]);
            if b.to == a.from && b.from == a.to && b.at - a.at <= NOISE_WITHIN {
                noise.insert(a.entry);
                noise.insert(b.entry);
                i += 2;
            } else {
                i += 1;
            }
        }
        noise.retain(|seq| !self.document.pinned.contains(seq));
        noise
    }

    /// Whether this incident counts in `incident stats`: the one place
    /// that decides. Duplicates and false alarms (closed) never count;
    /// drills are left out too.
    pub fn counts_in_stats(&self) -> bool {
        self.closed.is_none() && !self.is_drill()
    }

    /// The title as every surface shows it: a drill's starts "DRILL ·".
    pub fn shown_title(&self) -> std::borrow::Cow<'_, str> {
        if self.is_drill() {
            format!("DRILL · {}", self.title).into()
        } else {
            self.title.as_str().into()
        }
    }

    /// A drill: practice, marked DRILL everywhere.
    pub fn is_drill(&self) -> bool {
        self.drill.is_some()
    }

    /// Active and real: what `incident active`, the login hint and a real
    /// page look for. A drill never is.
    pub fn is_live(&self) -> bool {
        self.is_active() && !self.is_drill()
    }

    /// Deploys frozen by this incident for the real world: a drill's
    /// freeze holds only inside the drill.
    pub fn freezes_deploys(&self) -> bool {
        self.deploy_freeze().is_some() && !self.is_drill()
    }

    /// Minutes between comms updates: as set for this incident, else by
    /// severity (20 for the two most severe levels, 60 otherwise).
    pub fn update_every(&self) -> u32 {
        self.document.update_every.unwrap_or(match self.severity {
            Severity::Sev1 | Severity::Sev2 => 20,
            Severity::Sev3 | Severity::Sev4 => 60,
        })
    }

    /// When the next comms update is due (none once resolved).
    pub fn next_update_due(&self) -> Option<DateTime<Utc>> {
        if !self.is_active() {
            return None;
        }
        let last = self
            .document
            .updates
            .last()
            .map(|u| u.at)
            .unwrap_or(self.declared_at);
        Some(last + chrono::Duration::minutes(i64::from(self.update_every())))
    }

    /// The break running at `now`, if any.
    pub fn break_at(&self, now: DateTime<Utc>) -> Option<&Break> {
        self.breaks.iter().rev().find(|b| b.is_running(now))
    }

    /// When the commander should next be asked about food: after the first
    /// interval from declaring, then every interval after the last order
    /// (or the last time it was due).
    pub fn food_due(&self) -> Option<DateTime<Utc>> {
        if !self.is_active() {
            return None;
        }
        let first =
            self.declared_at + chrono::Duration::minutes(i64::from(self.human.food_after_minutes));
        Some(match self.food.last() {
            Some(last) => (*last
                + chrono::Duration::minutes(i64::from(self.human.food_every_minutes)))
            .max(first),
            None => first,
        })
    }

    /// When `who` started on the incident: their first log entry.
    pub fn first_seen(&self, who: &str) -> Option<DateTime<Utc>> {
        self.log.iter().find(|e| e.by == who).map(|e| e.at)
    }

    /// Requests still waiting for the commander.
    pub fn pending_requests(&self) -> impl Iterator<Item = &Request> {
        self.requests
            .iter()
            .filter(|r| r.state == RequestState::Pending)
    }

    pub fn request(&self, id: u64) -> Option<&Request> {
        id.checked_sub(1)
            .and_then(|i| self.requests.get(i as usize))
    }

    /// How the run recorded in `entry` was cleared with the commander
    /// (None for an entry that is not a run).
    pub fn clearance(&self, entry: &LogEntry) -> Option<Clearance> {
        let ev = entry.evidence.as_ref()?;
        if let Some(rule) = &ev.rule {
            return Some(Clearance::ReadOnly { rule: rule.clone() });
        }
        let Some(req) = entry.request.and_then(|id| self.request(id)) else {
            return Some(Clearance::WithoutGo { request: None });
        };
        let by = || req.answered_by.clone().unwrap_or_else(|| req.by.clone());
        Some(match req.state {
            RequestState::Go => Clearance::Go {
                request: req.id,
                by: by(),
                mitigation: ev.mitigation,
            },
            RequestState::Announced => Clearance::Commander {
                request: req.id,
                by: req.by.clone(),
            },
            state => Clearance::WithoutGo {
                request: Some((req.id, state)),
            },
        })
    }

    /// Mitigation `Mn` by its number.
    pub fn mitigation(&self, id: u64) -> Option<&crate::model::Mitigation> {
        id.checked_sub(1)
            .and_then(|i| self.mitigations.get(i as usize))
    }

    /// The deploy freeze this incident holds, whatever its status: a
    /// freeze kept past the resolution (`--keep-freeze`) still holds.
    pub fn deploy_freeze(&self) -> Option<&Freeze> {
        self.freeze.as_ref()
    }

    /// What the banner on every screen and `incident freeze status` both
    /// say about the freeze, from the one state they share: "since T by
    /// U: reason", with `time` showing T. None while deploys are not
    /// frozen by this incident.
    pub fn freeze_notice(&self, time: impl Fn(DateTime<Utc>) -> String) -> Option<String> {
        let f = self.deploy_freeze()?;
        let why = f
            .reason
            .as_deref()
            .map(|r| format!(": {}", crate::sanitize::line(r)))
            .unwrap_or_default();
        let kept = match (&self.closed, self.is_active()) {
            (_, true) => "",
            (Some(_), false) => " (kept after the incident was closed)",
            (None, false) => " (kept after the incident was resolved)",
        };
        Some(format!(
            "since {} by {}{why}{kept}",
            time(f.since),
            crate::sanitize::line(&f.by)
        ))
    }

    /// Systems still failing, by name.
    pub fn failing_systems(&self) -> Vec<String> {
        self.systems
            .values()
            .filter(|s| s.status == SystemStatus::Failing)
            .map(|s| s.name.clone())
            .collect()
    }

    /// What is still open, as people say it: mitigations in progress,
    /// unverified assumptions, systems degraded or failing, and the deploy
    /// freeze (unless it is to be kept). Resolving asks about these first.
    pub fn still_open(&self, keep_freeze: bool) -> Vec<String> {
        let mut open: Vec<String> = self
            .mitigations
            .iter()
            .filter(|m| m.status == MitigationStatus::InProgress)
            .map(|m| format!("M{} in progress", m.id))
            .collect();
        open.extend(
            self.assumptions
                .iter()
                .filter(|a| a.state == AssumptionState::Unverified)
                .map(|a| format!("A{} unverified", a.id)),
        );
        open.extend(
            self.systems
                .values()
                .filter(|s| s.status.is_bleeding())
                .map(|s| format!("{} {}", s.name, s.status)),
        );
        if !keep_freeze && self.freeze.is_some() {
            open.push("deploys frozen".into());
        }
        open
    }

    /// When the incident's clock stopped: its resolution, while resolved.
    pub fn ended_at(&self) -> Option<DateTime<Utc>> {
        if self.is_active() {
            None
        } else {
            self.resolved_at.or(self.closed.as_ref().map(|c| c.at))
        }
    }
}

/// Whether two incident titles probably describe the same problem: most of
/// their words are shared ("Checkout errors" and "checkout 5xx errors").
pub fn similar_titles(a: &str, b: &str) -> bool {
    fn words(s: &str) -> BTreeSet<String> {
        const FILLER: &[&str] = &[
            "the", "a", "an", "on", "in", "of", "for", "and", "is", "are", "to",
        ];
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .filter(|w| !FILLER.contains(&w.as_str()))
            .collect()
    }
    let (a, b) = (words(a), words(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let shared = a.intersection(&b).count();
    let smaller = a.len().min(b.len());
    // All of the shorter title's words, or at least half of all words.
    shared == smaller || shared * 2 >= a.union(&b).count()
}

#[cfg(test)]
mod tests {
    use super::similar_titles;

    #[test]
    fn similar_titles_are_spotted() {
        assert!(similar_titles("Checkout errors", "checkout 5xx errors"));
        assert!(similar_titles("Checkout errors", "Errors on checkout"));
        assert!(similar_titles("payments down", "Payments"));
        assert!(!similar_titles("Checkout errors", "Search latency"));
        assert!(!similar_titles("Checkout errors", ""));
    }
}

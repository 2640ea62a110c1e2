//! What someone coming back missed: everything that changed in an
//! incident since a moment (when they left), as a plain value that the
//! live view's overlay and `incident catchup` (text and JSON) both render.
//! Derived from the structured record where there is one (systems,
//! assumptions, mitigations, updates, requests carry their own times) and
//! from the log entries after that moment for the rest (role, status and
//! severity changes, decisions), never by reading their words.

use super::changes::{Change, changes};
use super::{AssumptionState, Incident, LogEntry, MitigationStatus, Severity, Status};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A log entry as a catch-up lists it: what it says now (corrected text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub by: String,
    pub text: String,
}

impl Entry {
    fn of(e: &LogEntry) -> Entry {
        Entry {
            seq: e.seq,
            at: e.at,
            by: e.by.clone(),
            text: e.current_text().to_string(),
        }
    }
}

/// A system whose status was set since: where it stands now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemNow {
    pub name: String,
    pub status: super::SystemStatus,
    pub by: Option<String>,
    pub at: Option<DateTime<Utc>>,
    /// Checked, with evidence (an alert's word is not a check).
    pub verified: bool,
    /// How it was checked, or which pager reported it.
    pub how: Option<String>,
}

impl SystemNow {
    pub(super) fn of(s: &super::System) -> SystemNow {
        let how = match (&s.reported_by, &s.evidence) {
            (Some(source), _) => Some(format!("reported by {source}, not verified")),
            (None, Some(ev)) if !ev.text.trim().is_empty() => Some(ev.text.clone()),
            (None, Some(ev)) => ev.entry.map(|n| format!("see #{n}")),
            (None, None) => None,
        };
        SystemNow {
            name: s.name.clone(),
            status: s.status,
            by: s.changed_by.clone(),
            at: s.changed_at,
            verified: s.is_verified(),
            how,
        }
    }
}

/// An assumption checked since: true or false, by whom, how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Settled {
    pub id: u64,
    pub text: String,
    pub verified: bool,
    pub by: String,
    pub at: DateTime<Utc>,
    pub evidence: String,
}

/// A mitigation that worked or failed since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finished {
    pub id: u64,
    pub text: String,
    pub status: MitigationStatus,
    pub result: Option<String>,
    pub owner: Option<String>,
    pub at: DateTime<Utc>,
}

/// A status update communications sent since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sent {
    pub at: DateTime<Utc>,
    pub by: String,
    pub external: bool,
    pub text: String,
}

/// What waits for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Wait {
    /// A request waiting for the commander's go (`what`: "R3").
    Go,
    /// A role offered, waiting for its taker (`what`: the role).
    Offer,
    /// An assumption nobody has checked yet (`what`: "A2").
    Check,
}

/// Something waiting; `for_me` when the one who must answer is the reader
/// (the commander for a request, the taker for an offer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Waiting {
    pub kind: Wait,
    pub what: String,
    /// Who asked (the requester, the one offering, the one assuming).
    pub by: String,
    /// Who must answer: the commander (none while nobody commands), the
    /// one offered the role; none for an assumption (anyone may check).
    pub to: Option<String>,
    /// What is asked (empty for an offer).
    pub text: String,
    pub at: DateTime<Utc>,
    pub for_me: bool,
}

/// Requests and offers waiting, in the order they were made.
pub(super) fn waiting(inc: &Incident, me: &str) -> Vec<Waiting> {
    let mut out: Vec<Waiting> = inc
        .pending_requests()
        .map(|r| Waiting {
            kind: Wait::Go,
            what: r.label(),
            by: r.by.clone(),
            to: inc.commander().map(str::to_string),
            text: r.text.clone(),
            at: r.at,
            for_me: inc.is_commander(me),
        })
        .collect();
    out.extend(inc.offers.iter().map(|(role, o)| Waiting {
        kind: Wait::Offer,
        what: role.to_string(),
        by: o.from.clone(),
        to: Some(o.to.clone()),
        text: String::new(),
        at: o.at,
        for_me: o.to == me,
    }));
    out.sort_by_key(|w| w.at);
    out
}

/// Everything that changed in an incident since `since`, for `me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CatchUp {
    pub id: String,
    pub title: String,
    pub me: String,
    pub since: DateTime<Utc>,
    /// `since` is when `me` left (not a time they asked for).
    pub left: bool,
    pub now: DateTime<Utc>,
    /// Where it stands now.
    pub severity: Severity,
    pub status: Status,
    /// The status as people read it ("false alarm" once closed).
    pub state: String,
    /// Role changes, takeovers and offers.
    pub roles: Vec<Entry>,
    /// Status and severity changes, and closing.
    pub status_changes: Vec<Entry>,
    pub systems: Vec<SystemNow>,
    /// What caused it, as the room says now, when that changed since:
    /// a suspect named or cleared, or an assumption settled that a cause
    /// rests on (`systems::cause`).
    pub cause: Option<crate::systems::cause::Suspicion>,
    pub assumptions: Vec<Settled>,
    pub decisions: Vec<Entry>,
    pub mitigations: Vec<Finished>,
    /// Deploys frozen, the freeze lifted.
    pub freeze: Vec<Entry>,
    /// New impact estimates; `impact_now` says how it reads now.
    pub impact: Vec<Entry>,
    /// How the impact reads now, when it changed or ceased since.
    pub impact_now: Option<super::aging::ImpactSaid>,
    /// The commander's holds, with why.
    pub holds: Vec<Entry>,
    /// Incidents merged into this one, and links to others.
    pub merges: Vec<Entry>,
    pub updates: Vec<Sent>,
    /// Requests and offers waiting for `me` to answer, and `me`'s own
    /// requests still waiting for the commander.
    pub waiting: Vec<Waiting>,
    /// Tasks and follow-ups given to `me` by someone else since, still
    /// open ("T2 bob: find the root cause", "F1 alice: prevent …").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<Entry>,
    /// Log entries written since, all kinds.
    pub entries: usize,
}

impl CatchUp {
    /// Nothing a person needs to hear about changed.
    pub fn is_quiet(&self) -> bool {
        self.roles.is_empty()
            && self.status_changes.is_empty()
            && self.systems.is_empty()
            && self.cause.is_none()
            && self.assumptions.is_empty()
            && self.decisions.is_empty()
            && self.mitigations.is_empty()
            && self.freeze.is_empty()
            && self.impact.is_empty()
            && self.holds.is_empty()
            && self.merges.is_empty()
            && self.updates.is_empty()
            && self.waiting.is_empty()
            && self.given.is_empty()
    }
}

/// What changed in `inc` after `since`, as `me` needs to hear it at `now`;
/// `left` says `since` is when `me` left.
pub fn catch_up(
    inc: &Incident,
    since: DateTime<Utc>,
    left: bool,
    me: &str,
    now: DateTime<Utc>,
) -> CatchUp {
    // (Every entry is looked at: boxes' clocks differ, so the log is not
    // strictly in time order.)
    let after = inc.log.iter().filter(|e| e.at > since).count();
    let changed: Vec<(Change, &LogEntry)> = changes(inc, Some(since)).collect();
    let entries = |kinds: &[Change]| -> Vec<Entry> {
        changed
            .iter()
            .filter(|(c, _)| kinds.contains(c))
            .map(|(_, e)| Entry::of(e))
            .collect()
    };
    let impact = entries(&[Change::Impact]);
    let ceased_since = inc.impact_ended_at().is_some_and(|t| t > since);
    let impact_now = inc
        .impact_now()
        .filter(|_| !impact.is_empty() || ceased_since)
        .as_ref()
        .map(super::aging::ImpactSaid::of);
    let mut systems: Vec<SystemNow> = inc
        .systems
        .values()
        .filter(|s| s.changed_at.is_some_and(|t| t > since))
        .map(SystemNow::of)
        .collect();
    systems.sort_by_key(|s| s.at);
    let assumptions = inc
        .assumptions
        .iter()
        .filter(|a| a.state != AssumptionState::Unverified)
        .filter_map(|a| {
            let at = a.closed_at.filter(|t| *t > since)?;
            Some(Settled {
                id: a.id,
                text: a.text.clone(),
                verified: a.state == AssumptionState::Verified,
                by: a.closed_by.clone().unwrap_or_default(),
                at,
                evidence: a.evidence.as_ref().map(describe).unwrap_or_default(),
            })
        })
        .collect();
    let mitigations = finished(inc, Some(since));
    let updates = inc
        .document
        .updates
        .iter()
        .filter(|u| u.at > since)
        .map(|u| Sent {
            at: u.at,
            by: u.by.clone(),
            external: u.external,
            text: u.text.clone(),
        })
        .collect();
    let cause = Some(crate::systems::cause::suspicion(inc)).filter(|s| {
        use crate::systems::cause::Basis;
        let after = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t > since);
        let settled = |id: u64| {
            after(
                id.checked_sub(1)
                    .and_then(|i| inc.assumptions.get(i as usize))
                    .and_then(|a| a.closed_at),
            )
        };
        after(inc.suspect_changed_at)
            || s.causes.iter().any(|c| match &c.basis {
                Basis::Verified { at, .. } => after(*at),
                Basis::Named { because, .. } => because
                    .as_ref()
                    .and_then(|r| r.assumption)
                    .is_some_and(settled),
            })
    });
    let waiting = waiting(inc, me)
        .into_iter()
        .filter(|w| w.for_me || (w.kind == Wait::Go && w.by == me))
        .collect();
    let given = given_to(inc, me, since);
    CatchUp {
        id: inc.id.clone(),
        title: inc.title.clone(),
        me: me.to_string(),
        since,
        left,
        now,
        severity: inc.severity,
        status: inc.status,
        state: inc.state_label(),
        roles: entries(&[Change::Role]),
        status_changes: entries(&[Change::Status, Change::Severity, Change::Closed]),
        systems,
        cause,
        assumptions,
        decisions: entries(&[Change::Decision]),
        mitigations,
        freeze: entries(&[Change::Freeze]),
        impact,
        impact_now,
        holds: entries(&[Change::Hold]),
        merges: entries(&[Change::Merge]),
        updates,
        waiting,
        given,
        entries: after,
    }
}

/// Open tasks and follow-ups someone else gave `me` after `since`.
fn given_to(inc: &Incident, me: &str, since: DateTime<Utc>) -> Vec<Entry> {
    // (what, done, owner, by, at) of each task and follow-up.
    let tasks = inc.tasks.iter().map(|t| {
        let what = format!("task T{}: {}", t.id, t.text);
        (what, t.done, &t.owner, &t.by, t.at)
    });
    let followups = inc.followups.iter().map(|f| {
        let what = format!("follow-up F{}: {}", f.id, f.text);
        (what, f.done, &f.owner, &f.by, f.at)
    });
    let mut out: Vec<Entry> = tasks
        .chain(followups)
        .filter(|(_, done, owner, by, at)| {
            !done && owner.as_deref() == Some(me) && by.as_str() != me && *at > since
        })
        .map(|(text, _, _, by, at)| Entry {
            seq: 0,
            at,
            by: by.clone(),
            text,
        })
        .collect();
    out.sort_by_key(|e| e.at);
    out
}

/// Mitigations done or failed (after `since`, if given), in the order
/// they finished. A finished mitigation never changes again: its last
/// change is when it finished.
pub(super) fn finished(inc: &Incident, since: Option<DateTime<Utc>>) -> Vec<Finished> {
    let mut out: Vec<Finished> = inc
        .mitigations
        .iter()
        .filter(|m| matches!(m.status, MitigationStatus::Done | MitigationStatus::Failed))
        .filter(|m| since.is_none_or(|t| m.updated_at > t))
        .map(|m| Finished {
            id: m.id,
            text: m.text.clone(),
            status: m.status,
            result: m.result.clone(),
            owner: m.owner.clone(),
            at: m.updated_at,
        })
        .collect();
    out.sort_by_key(|f| f.at);
    out
}

fn describe(ev: &super::Evidence) -> String {
    match (ev.text.trim(), ev.entry) {
        ("", Some(seq)) => format!("see #{seq}"),
        (t, Some(seq)) => format!("{t}, see #{seq}"),
        (t, None) => t.to_string(),
    }
}

#[cfg(test)]
mod tests;

//! What ended reads as history. The impact estimate stops being news when
//! impact ceases (mitigated, resolved, closed): from then on every surface
//! says what it *was* and until when, unless communications restated it
//! after that moment. An investigation task carried over as a follow-up at
//! resolve has left the open list. One answer per question, so the pane,
//! the header, `incident bleeding`, `show`, the brief, the catch-up, the
//! onlookers' page and a drafted update cannot disagree.

use super::{Impact, Incident, LogKind, Milestone, Status, Task};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// The latest impact estimate as the room should read it now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImpactNow<'a> {
    pub estimate: &'a Impact,
    /// When impact ceased, if it has and the estimate predates it: the
    /// estimate is history ("impact was ... until 03:41").
    pub ended: Option<DateTime<Utc>>,
    /// Written after impact ceased: communications' restatement, current.
    pub restated: bool,
}

impl ImpactNow<'_> {
    pub fn is_history(&self) -> bool {
        self.ended.is_some()
    }

    /// The label a surface puts before the text: "Impact" or "Impact was"
    /// (capitalised as given by `cap`).
    pub fn label(&self, cap: bool) -> &'static str {
        label(self.is_history(), self.restated, cap)
    }

    /// The text with its end, for one line: "all checkouts failing, ~14%
    /// until 03:41" (the time as `time` formats it). Not sanitized.
    pub fn text(&self, time: impl Fn(DateTime<Utc>) -> String) -> String {
        match self.ended {
            Some(t) => format!("{} until {}", self.estimate.text, time(t)),
            None => self.estimate.text.clone(),
        }
    }

    /// "impact was: X until 03:41" / "impact: X".
    pub fn line(&self, time: impl Fn(DateTime<Utc>) -> String) -> String {
        format!("{}: {}", self.label(false), self.text(time))
    }
}

/// The impact as a summary carries it (the brief, the catch-up): the
/// estimate, who gave it when, and whether it is history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImpactSaid {
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
    /// Impact ceased then, after this estimate: it is history.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended: Option<DateTime<Utc>>,
    /// Written after impact ceased.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub restated: bool,
}

impl ImpactSaid {
    pub fn of(now: &ImpactNow) -> ImpactSaid {
        ImpactSaid {
            text: now.estimate.text.clone(),
            by: now.estimate.by.clone(),
            at: now.estimate.at,
            ended: now.ended,
            restated: now.restated,
        }
    }

    /// "Impact was: X until 03:41", "Impact (restated): X", "Impact: X";
    /// not sanitized.
    pub fn line(&self, time: impl Fn(DateTime<Utc>) -> String) -> String {
        let label = label(self.ended.is_some(), self.restated, true);
        match self.ended {
            Some(t) => format!("{label}: {} until {}", self.text, time(t)),
            None => format!("{label}: {}", self.text),
        }
    }
}

/// "Impact", "Impact was" (history) or "Impact (restated)", capitalised
/// with `cap`: one wording for every surface.
fn label(history: bool, restated: bool, cap: bool) -> &'static str {
    match (history, restated, cap) {
        (true, _, true) => "Impact was",
        (true, _, false) => "impact was",
        (false, true, true) => "Impact (restated)",
        (false, true, false) => "impact (restated)",
        (false, false, true) => "Impact",
        (false, false, false) => "impact",
    }
}

/// Where an investigation task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskState {
    Open,
    Done,
    /// Still open at resolve: carried over as this follow-up.
    CarriedOver(u64),
}

impl Incident {
    /// When production impact ceased, while it still has: the mitigated
    /// milestone (set by hand or from the status change), else the
    /// resolution or the closing. None while the incident is investigating.
    pub fn impact_ended_at(&self) -> Option<DateTime<Utc>> {
        let ended = self.status != Status::Investigating || self.closed.is_some();
        if !ended {
            return None;
        }
        self.milestone(Milestone::Mitigated)
            .map(|(t, _)| t)
            .or_else(|| self.milestone(Milestone::Resolved).map(|(t, _)| t))
            .or_else(|| self.closed.as_ref().map(|c| c.at))
    }

    /// When the status last changed (or the incident was closed): what was
    /// written before then describes a moment that has passed.
    pub fn status_changed_at(&self) -> Option<DateTime<Utc>> {
        self.log
            .iter()
            .rev()
            .find(|e| matches!(e.kind, LogKind::StatusChange | LogKind::Closed))
            .map(|e| e.at)
    }

    /// The latest impact estimate, and whether it is history now.
    pub fn impact_now(&self) -> Option<ImpactNow<'_>> {
        let estimate = self.impacts.last()?;
        let ceased = self.impact_ended_at();
        let restated = ceased.is_some_and(|t| estimate.at > t);
        Some(ImpactNow {
            estimate,
            ended: ceased.filter(|_| !restated),
            restated,
        })
    }

    /// Open, done, or carried over as a follow-up.
    pub fn task_state(&self, t: &Task) -> TaskState {
        if t.done {
            return TaskState::Done;
        }
        match self.followups.iter().find(|f| f.from_task == Some(t.id)) {
            Some(f) => TaskState::CarriedOver(f.id),
            None => TaskState::Open,
        }
    }

    /// Investigation tasks still open in this incident (not done, not
    /// carried over as follow-ups).
    pub fn open_tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks
            .iter()
            .filter(|t| self.task_state(t) == TaskState::Open)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::fixture::{self, declared, t};
    use crate::model::{Incident, Milestone, Severity, Status};
    use crate::ops::Op;
    use chrono::{DateTime, Utc};

    fn apply(inc: &mut Incident, min: i64, op: Op) {
        fixture::apply(inc, min, "alice", op);
    }

    fn hhmm(at: DateTime<Utc>) -> String {
        at.format("%H:%M").to_string()
    }

    #[test]
    fn impact_is_news_until_it_ceases_then_history_until_restated() {
        let mut inc = declared(Severity::Sev1);
        assert!(inc.impact_now().is_none());
        apply(
            &mut inc,
            2,
            Op::SetImpact {
                text: "all card checkouts failing, ~14%".into(),
            },
        );
        let now = inc.impact_now().unwrap();
        assert_eq!(now.line(hhmm), "impact: all card checkouts failing, ~14%");
        apply(
            &mut inc,
            41,
            Op::SetStatus {
                status: Status::Mitigated,
                force: true,
                keep_freeze: false,
            },
        );
        assert_eq!(
            inc.impact_now().unwrap().line(hhmm),
            "impact was: all card checkouts failing, ~14% until 03:41"
        );
        // The truth known later moves the end with it.
        apply(
            &mut inc,
            45,
            Op::SetMilestone {
                milestone: Milestone::Mitigated,
                happened_at: t(38),
                note: None,
            },
        );
        assert_eq!(
            inc.impact_now().unwrap().line(hhmm),
            "impact was: all card checkouts failing, ~14% until 03:38"
        );
        // Back to investigating: news again.
        apply(
            &mut inc,
            50,
            Op::SetStatus {
                status: Status::Investigating,
                force: true,
                keep_freeze: false,
            },
        );
        assert!(!inc.impact_now().unwrap().is_history());
        apply(
            &mut inc,
            55,
            Op::SetStatus {
                status: Status::Resolved,
                force: true,
                keep_freeze: false,
            },
        );
        assert!(inc.impact_now().unwrap().is_history());
        // Restated after it ceased: current, marked as a restatement.
        apply(
            &mut inc,
            60,
            Op::SetImpact {
                text: "1,200 orders failed; none now".into(),
            },
        );
        let now = inc.impact_now().unwrap();
        assert!(!now.is_history() && now.restated);
        assert_eq!(
            now.line(hhmm),
            "impact (restated): 1,200 orders failed; none now"
        );
    }
}

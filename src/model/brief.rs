//! The handover brief for someone opening an incident for the first
//! time: the shape of an incident-state document. What it is (summary,
//! status), who holds which role, what is bleeding, what is being tried,
//! and what is waiting. A plain value, rendered by the live view's overlay
//! and by `incident catchup`.

use super::catchup::{SystemNow, Waiting, waiting};
use super::{AssumptionState, Incident, MitigationStatus, Role, Section, Severity, Status};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A role shown on the incident and who holds it, if anyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holder {
    pub role: Role,
    pub user: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

/// Work under way: a mitigation being applied or proposed, or an
/// investigation task still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trying {
    /// "M2", "T1".
    pub what: String,
    pub text: String,
    /// "in_progress", "proposed", "open".
    pub state: String,
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brief {
    pub id: String,
    pub title: String,
    pub me: String,
    pub now: DateTime<Utc>,
    pub severity: Severity,
    pub status: Status,
    /// The status as people read it ("false alarm" once closed).
    pub state: String,
    pub declared_at: DateTime<Utc>,
    pub declared_by: String,
    /// When it was resolved or closed: its clock stopped there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<DateTime<Utc>>,
    /// The document's summary and current status, as communications
    /// wrote them (none while empty).
    pub summary: Option<String>,
    pub current_status: Option<String>,
    /// The latest impact estimate, history once impact ceased.
    pub impact: Option<super::aging::ImpactSaid>,
    /// When production impact ceased (mitigated, resolved, closed).
    pub impact_stopped_at: Option<DateTime<Utc>>,
    /// Mitigations done or failed, in the order they finished: what
    /// stopped the bleeding (or was tried and did not).
    pub done: Vec<super::catchup::Finished>,
    pub roles: Vec<Holder>,
    /// Teams called for help, when and by whom, and their answer
    /// ("db-team paged 06:41 by alice — acked 06:44 by dana (PagerDuty)").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub called: Vec<String>,
    /// Systems failing or degraded.
    pub bleeding: Vec<SystemNow>,
    /// What caused it: named or verified by people first, then the
    /// dependency graph's guess (`systems::cause`).
    pub suspected: crate::systems::cause::Suspicion,
    pub trying: Vec<Trying>,
    /// Deploys are frozen: since when, by whom, why.
    pub freeze: Option<String>,
    /// Requests for go, role offers, assumptions nobody checked yet.
    pub waiting: Vec<Waiting>,
}

fn written(inc: &Incident, s: Section) -> Option<String> {
    let t = inc.document.text(s).trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The handover brief of `inc` for `me` at `now`.
pub fn brief(inc: &Incident, me: &str, now: DateTime<Utc>) -> Brief {
    let roles = inc
        .shown_roles()
        .into_iter()
        .map(|role| {
            let h = inc.roles.get(&role);
            Holder {
                role,
                user: h.map(|h| h.user.clone()),
                since: h.map(|h| h.since),
            }
        })
        .collect();
    let bleeding = inc
        .systems
        .values()
        .filter(|s| s.status.is_bleeding())
        .map(SystemNow::of)
        .collect();
    let suspected = crate::systems::cause::suspicion(inc);
    let mut trying: Vec<Trying> = inc
        .mitigations
        .iter()
        .filter(|m| m.status.is_open())
        .map(|m| Trying {
            what: format!("M{}", m.id),
            text: m.text.clone(),
            state: m.status.to_string(),
            owner: m.owner.clone(),
        })
        .collect();
    // Being applied first, then the ideas.
    trying.sort_by_key(|t| t.state != MitigationStatus::InProgress.as_str());
    trying.extend(inc.open_tasks().map(|t| Trying {
        what: format!("T{}", t.id),
        text: t.text.clone(),
        state: "open".into(),
        owner: t.owner.clone(),
    }));
    let mut waiting = waiting(inc, me);
    waiting.extend(
        inc.assumptions
            .iter()
            .filter(|a| a.state == AssumptionState::Unverified)
            .map(|a| Waiting {
                kind: super::catchup::Wait::Check,
                what: format!("A{}", a.id),
                by: a.by.clone(),
                to: None,
                text: a.text.clone(),
                at: a.at,
                for_me: false,
            }),
    );
    Brief {
        id: inc.id.clone(),
        title: inc.shown_title().into_owned(),
        me: me.to_string(),
        now,
        severity: inc.severity,
        status: inc.status,
        state: inc.state_label(),
        declared_at: inc.declared_at,
        ended_at: inc.ended_at(),
        declared_by: inc.declared_by.clone(),
        summary: written(inc, Section::Summary),
        current_status: written(inc, Section::Status),
        impact: inc.impact_now().as_ref().map(super::aging::ImpactSaid::of),
        impact_stopped_at: inc.impact_ended_at(),
        done: super::catchup::finished(inc, None),
        roles,
        called: crate::notify::report::called(inc),
        bleeding,
        suspected,
        trying,
        freeze: inc.freeze_notice(|t| t.format("%H:%M UTC").to_string()),
        waiting,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, Evidence, MitigationKind, Risk, Speed, SystemStatus};
    use crate::ops::{Op, Record};
    use chrono::{Duration, TimeZone};

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn apply(inc: &mut Incident, min: i64, who: &str, op: Op) {
        let r = Record {
            at: t(min),
            by: Actor::named(who),
            op,
        };
        crate::ops::apply(inc, &r).unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn the_brief_says_who_holds_what_what_bleeds_what_is_tried_and_what_waits() {
        let decl = Record {
            at: t(0),
            by: Actor::named("alice"),
            op: Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        };
        let mut inc = crate::ops::genesis("INC-7", &decl).unwrap();
        apply(
            &mut inc,
            1,
            "alice",
            Op::ClaimRole {
                role: Role::Commander,
            },
        );
        let set = |name: &str, status| Op::SetSystem {
            name: name.into(),
            status,
            evidence: Some(Evidence {
                text: "curl".into(),
                entry: None,
            }),
            owner: None,
            note: None,
        };
        apply(&mut inc, 2, "carol", set("postgres", SystemStatus::Ok));
        apply(&mut inc, 3, "carol", set("payments", SystemStatus::Failing));
        apply(
            &mut inc,
            4,
            "carol",
            Op::Depend {
                system: "payments".into(),
                on: "postgres".into(),
            },
        );
        apply(
            &mut inc,
            5,
            "carol",
            Op::ProposeMitigation {
                text: "roll back payments".into(),
                kind: MitigationKind::Custom,
                risk: Risk::Low,
                speed: Speed::Quick,
                system: None,
                owner: None,
            },
        );
        apply(
            &mut inc,
            6,
            "carol",
            Op::ProposeMitigation {
                text: "restart payments".into(),
                kind: MitigationKind::Custom,
                risk: Risk::Low,
                speed: Speed::Quick,
                system: None,
                owner: None,
            },
        );
        apply(&mut inc, 7, "carol", Op::StartMitigation { id: 2 });
        apply(
            &mut inc,
            8,
            "bob",
            Op::AddTask {
                text: "find the bad deploy".into(),
                owner: Some("bob".into()),
            },
        );
        apply(
            &mut inc,
            9,
            "bob",
            Op::Assume {
                text: "the CDN is fine".into(),
                source: None,
            },
        );
        apply(
            &mut inc,
            10,
            "carol",
            Op::Announce {
                text: "drain eu-east".into(),
                mitigation: None,
            },
        );
        apply(
            &mut inc,
            11,
            "alice",
            Op::AppendSection {
                section: Section::Summary,
                text: "Card payments fail since 02:50.".into(),
            },
        );
        apply(
            &mut inc,
            12,
            "alice",
            Op::SetImpact {
                text: "~1200 customers/hour".into(),
            },
        );

        let b = brief(&inc, "erin", t(30));
        assert_eq!(
            b.summary.as_deref(),
            Some("Card payments fail since 02:50.")
        );
        assert_eq!(
            b.impact.as_ref().map(|i| i.text.as_str()),
            Some("~1200 customers/hour")
        );
        let roles: Vec<_> = b
            .roles
            .iter()
            .map(|h| (h.role, h.user.as_deref()))
            .collect();
        assert_eq!(
            roles,
            [
                (Role::Commander, Some("alice")),
                (Role::Communications, None)
            ]
        );
        let bleeding: Vec<_> = b.bleeding.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(bleeding, ["payments"]);
        assert_eq!(b.suspected.leading(), ["payments"]);
        // Being applied first, then the ideas, then the investigation.
        let trying: Vec<_> = b
            .trying
            .iter()
            .map(|t| (t.what.as_str(), t.state.as_str()))
            .collect();
        assert_eq!(
            trying,
            [("M2", "in_progress"), ("M1", "proposed"), ("T1", "open")]
        );
        let waiting: Vec<_> = b
            .waiting
            .iter()
            .map(|w| (w.kind, w.what.as_str()))
            .collect();
        assert_eq!(
            waiting,
            [
                (crate::model::catchup::Wait::Go, "R1"),
                (crate::model::catchup::Wait::Check, "A1")
            ]
        );
        assert!(b.waiting.iter().all(|w| !w.for_me), "erin commands nothing");
    }
}

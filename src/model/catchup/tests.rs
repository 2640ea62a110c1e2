//! The catch-up computed from the record: each kind of change since a
//! moment, and nothing from before it.

use super::*;
use crate::model::{Actor, Evidence, LogKind, MitigationKind, Risk, Role, Speed, SystemStatus};
use crate::ops::{Op, Record};
use chrono::{Duration, TimeZone};

fn t(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap() + Duration::minutes(min)
}

struct Fx(Incident);

impl Fx {
    fn new() -> Fx {
        let decl = Record {
            at: t(0),
            by: Actor::named("alice"),
            op: Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        };
        Fx(crate::ops::genesis("INC-7", &decl).unwrap())
    }

    fn at(&mut self, min: i64, who: &str, op: Op) -> &mut Fx {
        let r = Record {
            at: t(min),
            by: Actor::named(who),
            op,
        };
        crate::ops::apply(&mut self.0, &r).unwrap_or_else(|e| panic!("{e}"));
        self
    }
}

fn ev(text: &str) -> Evidence {
    Evidence {
        text: text.into(),
        entry: None,
    }
}

/// bob was in until 03:12; everything after is what he missed.
fn night() -> Incident {
    let mut f = Fx::new();
    f.at(
        1,
        "alice",
        Op::ClaimRole {
            role: Role::Commander,
        },
    )
    .at(
        2,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "looking at payments".into(),
        },
    )
    .at(
        3,
        "alice",
        Op::Assume {
            text: "db is fine".into(),
            source: None,
        },
    )
    .at(
        4,
        "alice",
        Op::Log {
            kind: LogKind::Decision,
            text: "old decision".into(),
        },
    )
    .at(
        5,
        "carol",
        Op::SetSystem {
            name: "search".into(),
            status: SystemStatus::Ok,
            evidence: None,
            owner: None,
            note: None,
        },
    )
    .at(
        6,
        "carol",
        Op::ProposeMitigation {
            text: "roll back payments".into(),
            kind: MitigationKind::Custom,
            risk: Risk::Low,
            speed: Speed::Quick,
            system: None,
            owner: None,
        },
    )
    .at(
        7,
        "carol",
        Op::ProposeMitigation {
            text: "restart payments".into(),
            kind: MitigationKind::Custom,
            risk: Risk::Low,
            speed: Speed::Quick,
            system: None,
            owner: None,
        },
    )
    .at(
        12,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "off to sleep".into(),
        },
    )
    // After bob left:
    .at(
        15,
        "alice",
        Op::SetSeverity {
            severity: Severity::Sev1,
        },
    )
    .at(
        16,
        "alice",
        Op::SetRole {
            role: Role::Communications,
            user: Some("dave".into()),
        },
    )
    .at(
        17,
        "carol",
        Op::SetSystem {
            name: "payments".into(),
            status: SystemStatus::Failing,
            evidence: Some(ev("curl /health: 503")),
            owner: None,
            note: None,
        },
    )
    .at(
        18,
        "alice",
        Op::Verify {
            id: 1,
            evidence: ev("psql select 1"),
        },
    )
    .at(
        19,
        "alice",
        Op::Log {
            kind: LogKind::Decision,
            text: "fail over to eu-west".into(),
        },
    )
    .at(20, "carol", Op::StartMitigation { id: 1 })
    .at(
        25,
        "carol",
        Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Failed,
            result: Some("no change".into()),
        },
    )
    .at(
        26,
        "carol",
        Op::FinishMitigation {
            id: 2,
            status: MitigationStatus::Abandoned,
            result: None,
        },
    )
    .at(
        30,
        "dave",
        Op::PostUpdate {
            text: "We are failing over".into(),
            external: true,
        },
    )
    .at(
        31,
        "carol",
        Op::Announce {
            text: "drain eu-east".into(),
            mitigation: None,
        },
    )
    .at(
        32,
        "alice",
        Op::SetStatus {
            status: Status::Mitigated,
            force: true,
            keep_freeze: false,
        },
    );
    f.0
}

#[test]
fn each_kind_of_change_since_leaving_is_there_and_nothing_from_before() {
    let inc = night();
    let c = catch_up(&inc, t(12), true, "bob", t(59));
    assert_eq!(c.severity, Severity::Sev1);
    assert_eq!(c.status, Status::Mitigated);
    let texts = |v: &[Entry]| v.iter().map(|e| e.text.clone()).collect::<Vec<_>>();
    assert_eq!(
        texts(&c.roles),
        ["dave is now communications (set by alice)"]
    );
    assert_eq!(
        texts(&c.status_changes),
        [
            "severity SEV2 → SEV1",
            "status investigating → mitigated; impact ceased at 03:32 UTC"
        ]
    );
    // search was set before bob left: not news.
    let systems: Vec<_> = c
        .systems
        .iter()
        .map(|s| (s.name.as_str(), s.status, s.verified))
        .collect();
    assert_eq!(systems, [("payments", SystemStatus::Failing, true)]);
    assert_eq!(c.systems[0].how.as_deref(), Some("curl /health: 503"));
    assert_eq!(c.assumptions.len(), 1);
    assert!(c.assumptions[0].verified && c.assumptions[0].evidence == "psql select 1");
    assert_eq!(texts(&c.decisions), ["fail over to eu-west"]);
    // Abandoned is not done or failed.
    let mits: Vec<_> = c.mitigations.iter().map(|m| (m.id, m.status)).collect();
    assert_eq!(mits, [(1, MitigationStatus::Failed)]);
    assert_eq!(c.updates.len(), 1);
    assert!(c.updates[0].external && c.updates[0].by == "dave");
    // carol's request waits for alice, not bob: not bob's to answer.
    assert!(c.waiting.is_empty(), "{:?}", c.waiting);
    assert!(!c.is_quiet());
}

#[test]
fn requests_waiting_are_the_commanders_to_answer_and_the_requesters_to_know() {
    let inc = night();
    let alice = catch_up(&inc, t(12), true, "alice", t(59));
    assert_eq!(alice.waiting.len(), 1);
    let w = &alice.waiting[0];
    assert_eq!(
        (w.kind, w.what.as_str(), w.by.as_str()),
        (Wait::Go, "R1", "carol")
    );
    assert!(w.for_me && w.to.as_deref() == Some("alice"));
    let carol = catch_up(&inc, t(12), true, "carol", t(59));
    assert_eq!(carol.waiting.len(), 1);
    assert!(!carol.waiting[0].for_me, "carol waits on alice");
}

#[test]
fn a_role_offered_to_me_waits_for_me() {
    let mut f = Fx(night());
    f.at(
        40,
        "alice",
        Op::OfferRole {
            role: Role::Commander,
            to: "bob".into(),
        },
    );
    let c = catch_up(&f.0, t(12), true, "bob", t(59));
    let offers: Vec<_> = c.waiting.iter().filter(|w| w.kind == Wait::Offer).collect();
    assert_eq!(offers.len(), 1);
    assert!(offers[0].for_me && offers[0].by == "alice" && offers[0].what == "commander");
    // The offer is a role change too.
    assert!(
        c.roles
            .iter()
            .any(|e| e.text.contains("offered commander to bob"))
    );
}

#[test]
fn a_retracted_decision_is_not_news_and_a_corrected_one_says_what_it_says_now() {
    let mut f = Fx(night());
    f.at(
        41,
        "alice",
        Op::Log {
            kind: LogKind::Decision,
            text: "scale up".into(),
        },
    );
    let seq = f.0.log.last().unwrap().seq;
    f.at(
        42,
        "alice",
        Op::Retract {
            entry: seq,
            reason: "wrong incident".into(),
        },
    );
    let first =
        f.0.log
            .iter()
            .find(|e| e.text == "fail over to eu-west")
            .unwrap()
            .seq;
    f.at(
        43,
        "alice",
        Op::Correct {
            entry: first,
            text: "fail over to eu-central".into(),
        },
    );
    let c = catch_up(&f.0, t(12), true, "bob", t(59));
    let texts: Vec<_> = c.decisions.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, ["fail over to eu-central"]);
}

#[test]
fn nothing_happening_is_quiet_and_counts_the_entries() {
    let inc = night();
    let c = catch_up(&inc, t(32), true, "bob", t(59));
    assert!(c.is_quiet(), "{c:?}");
    assert_eq!(c.entries, 0);
    let c = catch_up(&inc, t(12), true, "bob", t(59));
    assert_eq!(c.entries, inc.log.iter().filter(|e| e.at > t(12)).count());
}

/// A task or follow-up someone gave you while you were away is waiting
/// for you, not "nothing changed" (the trial: carol came back to "4
/// entries: nothing changed" with a follow-up alice had given her); your
/// own, and one already done, are not news.
#[test]
fn work_given_to_you_while_away_is_said() {
    let mut f = Fx::new();
    f.at(
        20,
        "alice",
        Op::AddFollowup {
            text: "prevent pool exhaustion".into(),
            kind: crate::model::FollowupKind::Prevent,
            owner: Some("carol".into()),
        },
    )
    .at(
        21,
        "alice",
        Op::AddTask {
            text: "find the root cause".into(),
            owner: Some("carol".into()),
        },
    )
    .at(
        22,
        "carol",
        Op::AddTask {
            text: "her own note to self".into(),
            owner: Some("carol".into()),
        },
    );
    let c = catch_up(&f.0, t(10), true, "carol", t(30));
    assert!(!c.is_quiet());
    let said: Vec<&str> = c.given.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(
        said,
        [
            "follow-up F1: prevent pool exhaustion",
            "task T1: find the root cause"
        ]
    );
    let text = crate::model::arrival::Arrival::Catchup(c)
        .outline(&|t| t.format("%H:%M").to_string())
        .to_text();
    assert!(text.contains("Given to you"), "{text}");
    assert!(!text.contains("Nothing changed"), "{text}");
    // Before it was given, or for someone else: nothing.
    assert!(catch_up(&f.0, t(25), true, "carol", t(30)).given.is_empty());
    assert!(catch_up(&f.0, t(10), true, "bob", t(30)).given.is_empty());
}

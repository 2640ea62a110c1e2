//! The rules, one test each: what is valid and who may do what.

use super::*;
use crate::model::{MitigationKind, MitigationStatus, RequestState, Risk, Speed};
use chrono::TimeZone;

fn rec(who: &str, op: Op) -> Record {
    Record {
        at: Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap(),
        by: Actor::named(who),
        op,
    }
}

fn declared() -> Incident {
    genesis(
        "INC-1",
        &rec(
            "alice",
            Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        ),
    )
    .unwrap()
}

/// Declared, with alice as commander.
fn commanded() -> Incident {
    let mut inc = declared();
    apply(
        &mut inc,
        &rec(
            "alice",
            Op::ClaimRole {
                role: Role::Commander,
            },
        ),
    )
    .unwrap();
    inc
}

fn ok(inc: &mut Incident, who: &str, op: Op) {
    apply(inc, &rec(who, op.clone())).unwrap_or_else(|e| panic!("{who} {op:?}: {e}"));
}

fn refused(inc: &mut Incident, who: &str, op: Op) -> Refusal {
    let before = inc.clone();
    let e =
        apply(inc, &rec(who, op.clone())).expect_err(&format!("{who} {op:?} should be refused"));
    assert_eq!(*inc, before, "a refused operation leaves no trace");
    e
}

fn last_of(inc: &Incident, kind: LogKind) -> &str {
    &inc.log
        .iter()
        .rev()
        .find(|e| e.kind == kind)
        .expect("an entry of that kind")
        .text
}

fn last(inc: &Incident) -> &str {
    &inc.log.last().unwrap().text
}

#[test]
fn declaration_is_the_first_log_entry() {
    let inc = declared();
    assert_eq!(inc.log.len(), 1);
    assert_eq!(inc.log[0].kind, LogKind::Declared);
    assert!(inc.log[0].text.contains("SEV2"));
    assert_eq!(inc.status, Status::Investigating);
}

#[test]
fn declared_roles_are_shown_from_the_start() {
    let inc = genesis(
        "INC-1",
        &rec(
            "alice",
            Op::Declare {
                title: "t".into(),
                severity: Severity::Sev3,
                roles: vec![Role::Scribe, Role::Commander],
            },
        ),
    )
    .unwrap();
    assert_eq!(
        inc.shown_roles(),
        [Role::Commander, Role::Communications, Role::Scribe]
    );
}

#[test]
fn empty_and_oversized_text_is_refused() {
    let mut inc = declared();
    let e = refused(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "  ".into(),
        },
    );
    assert!(matches!(e, Refusal::Empty { .. }));
    let e = refused(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "x".repeat(MAX_TEXT + 1),
        },
    );
    assert!(matches!(e, Refusal::TooLong { .. }));
}

#[test]
fn tool_written_kinds_cannot_be_forged() {
    let mut inc = declared();
    let e = refused(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::StatusChange,
            text: "resolved".into(),
        },
    );
    assert!(matches!(e, Refusal::KindNotWritable { .. }));
}

#[test]
fn anyone_changes_status_and_severity_while_there_is_no_commander() {
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::SetSeverity {
            severity: Severity::Sev1,
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::SetStatus {
            status: Status::Mitigated,
        },
    );
    assert_eq!(
        last_of(&inc, LogKind::StatusChange),
        "status investigating → mitigated; impact ceased at 14:00 UTC"
    );
    let e = refused(
        &mut inc,
        "bob",
        Op::SetStatus {
            status: Status::Mitigated,
        },
    );
    assert!(matches!(e, Refusal::Unchanged { .. }));
}

#[test]
fn only_the_commander_changes_status_and_severity() {
    let mut inc = commanded();
    let e = refused(
        &mut inc,
        "bob",
        Op::SetStatus {
            status: Status::Resolved,
        },
    );
    assert_eq!(
        e.to_string(),
        "only the commander (alice) can change the status: ask alice in the log"
    );
    refused(
        &mut inc,
        "bob",
        Op::SetSeverity {
            severity: Severity::Sev1,
        },
    );
    ok(
        &mut inc,
        "alice",
        Op::SetSeverity {
            severity: Severity::Sev1,
        },
    );
}

#[test]
fn claiming_an_empty_role_is_immediate_and_a_held_one_is_refused() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    assert_eq!(inc.holder(Role::Communications), Some("bob"));
    assert_eq!(last(&inc), "bob claimed communications");
    let e = refused(
        &mut inc,
        "carol",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    assert!(
        e.to_string().contains("held by bob") && e.to_string().contains(":handover"),
        "{e}"
    );
}

#[test]
fn the_commander_assigns_roles_and_others_may_not() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "alice",
        Op::SetRole {
            role: Role::Scribe,
            user: Some("dave".into()),
        },
    );
    assert_eq!(last(&inc), "dave is now scribe (set by alice)");
    ok(
        &mut inc,
        "alice",
        Op::SetRole {
            role: Role::Scribe,
            user: Some("erin".into()),
        },
    );
    assert_eq!(last(&inc), "erin is now scribe (was dave; set by alice)");
    let e = refused(
        &mut inc,
        "bob",
        Op::SetRole {
            role: Role::Scribe,
            user: Some("bob".into()),
        },
    );
    assert!(
        e.to_string()
            .contains("only the commander (alice) can assign roles"),
        "{e}"
    );
    // But anyone may take an empty role for themselves through `set`.
    ok(
        &mut inc,
        "bob",
        Op::SetRole {
            role: Role::Communications,
            user: Some("bob".into()),
        },
    );
}

#[test]
fn anyone_assigns_roles_while_there_is_no_commander() {
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::SetRole {
            role: Role::Commander,
            user: Some("alice".into()),
        },
    );
    assert_eq!(inc.commander(), Some("alice"));
}

#[test]
fn command_is_never_reassigned_silently() {
    let mut inc = commanded();
    let e = refused(
        &mut inc,
        "alice",
        Op::SetRole {
            role: Role::Commander,
            user: Some("bob".into()),
        },
    );
    assert!(matches!(e, Refusal::HandoverRequired { .. }), "{e}");
}

#[test]
fn anyone_may_step_down_from_their_own_role_only() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    let e = refused(
        &mut inc,
        "carol",
        Op::StepDown {
            role: Role::Communications,
        },
    );
    assert_eq!(e.to_string(), "you do not hold communications (bob does)");
    ok(
        &mut inc,
        "bob",
        Op::StepDown {
            role: Role::Communications,
        },
    );
    assert_eq!(inc.holder(Role::Communications), None);
    ok(
        &mut inc,
        "alice",
        Op::StepDown {
            role: Role::Commander,
        },
    );
    assert_eq!(inc.commander(), None);
}

#[test]
fn handover_moves_the_role_only_when_accepted() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Commander,
            to: "bob".into(),
        },
    );
    assert_eq!(
        inc.commander(),
        Some("alice"),
        "alice keeps it until bob accepts"
    );
    assert!(last(&inc).contains("alice keeps it until bob accepts"));
    let e = refused(
        &mut inc,
        "carol",
        Op::AcceptRole {
            role: Role::Commander,
        },
    );
    assert!(e.to_string().contains("offered to bob, not to you"), "{e}");
    ok(
        &mut inc,
        "bob",
        Op::AcceptRole {
            role: Role::Commander,
        },
    );
    assert_eq!(inc.commander(), Some("bob"));
    assert!(inc.offers.is_empty());
    assert_eq!(last(&inc), "bob accepted commander from alice (was alice)");
}

#[test]
fn offers_can_be_declined_or_withdrawn() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Commander,
            to: "bob".into(),
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::DeclineRole {
            role: Role::Commander,
        },
    );
    assert_eq!(inc.commander(), Some("alice"));
    assert!(last(&inc).contains("declined"));
    ok(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Commander,
            to: "carol".into(),
        },
    );
    let e = refused(
        &mut inc,
        "dave",
        Op::WithdrawOffer {
            role: Role::Commander,
        },
    );
    assert!(matches!(e, Refusal::CannotWithdraw { .. }));
    ok(
        &mut inc,
        "alice",
        Op::WithdrawOffer {
            role: Role::Commander,
        },
    );
    assert!(inc.offers.is_empty());
    let e = refused(
        &mut inc,
        "carol",
        Op::AcceptRole {
            role: Role::Commander,
        },
    );
    assert!(matches!(e, Refusal::NoOffer { .. }));
}

#[test]
fn only_the_holder_hands_over_command_but_the_commander_may_offer_other_roles() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    let e = refused(
        &mut inc,
        "bob",
        Op::OfferRole {
            role: Role::Commander,
            to: "bob".into(),
        },
    );
    assert!(matches!(e, Refusal::CannotOffer { .. }));
    ok(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Communications,
            to: "carol".into(),
        },
    );
    let e = refused(
        &mut inc,
        "carol",
        Op::OfferRole {
            role: Role::Scribe,
            to: "dave".into(),
        },
    );
    assert!(matches!(e, Refusal::RoleEmpty { .. }));
    let e = refused(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Communications,
            to: "bob".into(),
        },
    );
    assert!(matches!(e, Refusal::OfferToHolder { .. }));
}

#[test]
fn a_role_change_settles_a_pending_offer() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::OfferRole {
            role: Role::Communications,
            to: "carol".into(),
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::StepDown {
            role: Role::Communications,
        },
    );
    assert!(inc.offers.is_empty());
}

#[test]
fn optional_roles_are_added_by_the_commander() {
    let mut inc = commanded();
    let e = refused(&mut inc, "bob", Op::AddRole { role: Role::Scribe });
    assert!(matches!(e, Refusal::NotCommander { .. }));
    ok(&mut inc, "alice", Op::AddRole { role: Role::Scribe });
    assert!(inc.shown_roles().contains(&Role::Scribe));
    let e = refused(&mut inc, "alice", Op::AddRole { role: Role::Scribe });
    assert!(matches!(e, Refusal::RoleAlreadyShown { .. }));
}

#[test]
fn a_nudge_is_logged_once_per_vacancy() {
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::Nudge {
            role: Role::Commander,
        },
    );
    assert_eq!(inc.log.last().unwrap().kind, LogKind::Nudge);
    refused(
        &mut inc,
        "carol",
        Op::Nudge {
            role: Role::Commander,
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    refused(
        &mut inc,
        "carol",
        Op::Nudge {
            role: Role::Commander,
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::StepDown {
            role: Role::Commander,
        },
    );
    ok(
        &mut inc,
        "carol",
        Op::Nudge {
            role: Role::Commander,
        },
    );
}

#[test]
fn announcements_wait_for_the_commander_except_the_commanders_own() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "restart db-2".into(),
            mitigation: None,
        },
    );
    assert_eq!(inc.requests[0].state, RequestState::Pending);
    assert_eq!(inc.log.last().unwrap().request, Some(1));
    assert!(last(&inc).starts_with("about to: restart db-2"));
    ok(
        &mut inc,
        "alice",
        Op::Announce {
            text: "fail over search".into(),
            mitigation: None,
        },
    );
    assert_eq!(inc.requests[1].state, RequestState::Announced);
    assert_eq!(inc.pending_requests().count(), 1);
}

#[test]
fn only_the_commander_answers_and_only_once() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "restart db-2".into(),
            mitigation: None,
        },
    );
    let e = refused(
        &mut inc,
        "carol",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    assert!(e.to_string().contains("only the commander (alice)"), "{e}");
    ok(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: false,
            reason: Some("replica lag first".into()),
        },
    );
    let req = &inc.requests[0];
    assert_eq!(
        (req.state, req.reason.as_deref()),
        (RequestState::Hold, Some("replica lag first"))
    );
    assert!(
        last(&inc).starts_with("hold for carol: R1"),
        "{}",
        last(&inc)
    );
    let e = refused(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    assert!(matches!(e, Refusal::AlreadyAnswered { .. }));
    let e = refused(
        &mut inc,
        "alice",
        Op::Answer {
            request: 9,
            go: true,
            reason: None,
        },
    );
    assert!(matches!(e, Refusal::NoSuchRequest { id: 9 }));
}

#[test]
fn without_a_commander_nobody_can_clear_a_request() {
    let mut inc = declared();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "restart db-2".into(),
            mitigation: None,
        },
    );
    let e = refused(
        &mut inc,
        "bob",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    assert!(matches!(e, Refusal::NoCommanderToAnswer { .. }));
}

#[test]
fn a_run_is_logged_with_its_evidence() {
    let mut inc = declared();
    let evidence = Box::new(RunEvidence {
        command: "systemctl restart nginx".into(),
        started_at: Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap(),
        duration_ms: 1200,
        exit: Some(0),
        signal: None,
        output: "ok\n".into(),
        truncated: false,
    });
    ok(
        &mut inc,
        "bob",
        Op::Ran {
            evidence,
            request: None,
        },
    );
    let e = inc.log.last().unwrap();
    assert_eq!(e.text, "ran: systemctl restart nginx  exit 0  (1.2s)");
    assert_eq!(e.evidence.as_ref().unwrap().output, "ok\n");
}

#[test]
fn display_names_act_for_the_person_and_keep_the_account() {
    let mut inc = declared();
    let r = Record {
        by: Actor {
            name: Some("bob".into()),
            ..Actor::named("oncall")
        },
        ..rec(
            "x",
            Op::ClaimRole {
                role: Role::Commander,
            },
        )
    };
    apply(&mut inc, &r).unwrap();
    assert_eq!(inc.commander(), Some("bob"));
    assert_eq!(inc.log.last().unwrap().by, "bob");
}

#[test]
fn every_operation_name_is_known() {
    for name in Op::NAMES {
        // Each stored name parses back as an operation of that name (with
        // whatever fields it needs missing, the error is about fields).
        let line = format!(r#"{{"op":"{name}"}}"#);
        let err = serde_json::from_str::<Op>(&line)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!err.contains("unknown variant"), "{name}: {err}");
    }
}

#[test]
fn records_round_trip_through_json_as_flat_lines() {
    let r = rec(
        "alice",
        Op::Log {
            kind: LogKind::Decision,
            text: "roll back".into(),
        },
    );
    let line = serde_json::to_string(&r).unwrap();
    assert!(line.contains(r#""op":"log""#), "{line}");
    assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), r);
    let r = rec(
        "alice",
        Op::Declare {
            title: "t".into(),
            severity: Severity::Sev1,
            roles: vec![],
        },
    );
    let line = serde_json::to_string(&r).unwrap();
    assert!(
        !line.contains("roles"),
        "empty lists are not written: {line}"
    );
}

fn sys(name: &str, status: crate::model::SystemStatus, evidence: Option<&str>) -> Op {
    Op::SetSystem {
        name: name.into(),
        status,
        evidence: evidence.map(|t| Evidence {
            text: t.into(),
            entry: None,
        }),
        owner: None,
        note: None,
    }
}

#[test]
fn anyone_sets_system_status_with_evidence_and_it_is_logged() {
    use crate::model::SystemStatus::*;
    let mut inc = commanded();
    ok(&mut inc, "carol", sys("payments", Failing, Some("5xx 12%")));
    let s = &inc.systems["payments"];
    assert_eq!(
        (s.status, s.changed_by.as_deref()),
        (Failing, Some("carol"))
    );
    assert!(s.is_verified());
    assert_eq!(last(&inc), "payments unknown → failing (5xx 12%)");
    // The same status again needs new evidence to be worth a line.
    let e = refused(&mut inc, "dave", sys("payments", Failing, None));
    assert!(matches!(e, Refusal::Unchanged { .. }));
    ok(
        &mut inc,
        "dave",
        sys("payments", Failing, Some("still 5xx")),
    );
    assert_eq!(last(&inc), "payments still failing (still 5xx)");
    let e = refused(&mut inc, "dave", sys("pay ments", Ok, None));
    assert!(matches!(e, Refusal::InvalidSystemName { .. }));
}

#[test]
fn evidence_may_cite_a_run_but_only_a_real_one() {
    use crate::model::SystemStatus::*;
    let mut inc = declared();
    let cite = |entry| Op::SetSystem {
        name: "db".into(),
        status: Ok,
        evidence: Some(Evidence {
            text: String::new(),
            entry: Some(entry),
        }),
        owner: None,
        note: None,
    };
    let e = refused(&mut inc, "bob", cite(1));
    assert!(e.to_string().contains("#1 is not a command run"), "{e}");
    let evidence = Box::new(RunEvidence {
        command: "psql -c 'select 1'".into(),
        started_at: Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap(),
        duration_ms: 30,
        exit: Some(0),
        signal: None,
        output: "1\n".into(),
        truncated: false,
    });
    ok(
        &mut inc,
        "bob",
        Op::Ran {
            evidence,
            request: None,
        },
    );
    ok(&mut inc, "bob", cite(2));
    assert_eq!(last(&inc), "db unknown → ok (see #2)");
}

#[test]
fn dependencies_create_systems_and_refuse_nonsense() {
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::Depend {
            system: "checkout".into(),
            on: "payments".into(),
        },
    );
    assert!(inc.systems["checkout"].depends_on.contains("payments"));
    assert_eq!(
        inc.systems["payments"].status,
        crate::model::SystemStatus::Unknown
    );
    refused(
        &mut inc,
        "bob",
        Op::Depend {
            system: "checkout".into(),
            on: "payments".into(),
        },
    );
    refused(
        &mut inc,
        "bob",
        Op::Depend {
            system: "a".into(),
            on: "a".into(),
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::Undepend {
            system: "checkout".into(),
            on: "payments".into(),
        },
    );
    let e = refused(
        &mut inc,
        "bob",
        Op::Undepend {
            system: "checkout".into(),
            on: "payments".into(),
        },
    );
    assert!(matches!(e, Refusal::NoSuchDependency { .. }));
}

#[test]
fn an_import_lands_whole_or_not_at_all() {
    let mut inc = declared();
    let spec = |n: &str, deps: &[&str]| crate::systems::SystemSpec {
        name: n.into(),
        owner: Some("team".into()),
        note: None,
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
    };
    let bad = Op::ImportSystems {
        source: "map.toml".into(),
        systems: vec![spec("ok", &[]), spec("bad name", &[])],
    };
    refused(&mut inc, "bob", bad);
    let good = Op::ImportSystems {
        source: "map.toml".into(),
        systems: vec![spec("web", &["api"]), spec("api", &["db"])],
    };
    ok(&mut inc, "bob", good);
    assert_eq!(inc.systems.len(), 3);
    assert_eq!(
        last(&inc),
        "imported 2 systems and 2 dependencies from map.toml"
    );
}

#[test]
fn assumptions_stay_unverified_until_closed_with_evidence() {
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::Assume {
            text: "the vendor API is fine".into(),
            source: Some("vendor support".into()),
        },
    );
    assert_eq!(
        inc.assumptions[0].state,
        crate::model::AssumptionState::Unverified
    );
    assert!(last(&inc).contains("according to vendor support"));
    let no_evidence = Op::Verify {
        id: 1,
        evidence: Evidence {
            text: " ".into(),
            entry: None,
        },
    };
    assert!(matches!(
        refused(&mut inc, "carol", no_evidence),
        Refusal::Empty { .. }
    ));
    let refute = Op::Refute {
        id: 1,
        evidence: Evidence {
            text: "curl gets 503".into(),
            entry: None,
        },
    };
    ok(&mut inc, "carol", refute.clone());
    let a = &inc.assumptions[0];
    assert_eq!(
        (a.state, a.closed_by.as_deref()),
        (crate::model::AssumptionState::Refuted, Some("carol"))
    );
    assert!(last(&inc).starts_with("REFUTED A1"));
    assert!(matches!(
        refused(&mut inc, "carol", refute),
        Refusal::AssumptionClosed { .. }
    ));
    let missing = Op::Verify {
        id: 7,
        evidence: Evidence {
            text: "x".into(),
            entry: None,
        },
    };
    assert!(matches!(
        refused(&mut inc, "carol", missing),
        Refusal::NoSuchAssumption { id: 7 }
    ));
}

#[test]
fn impact_keeps_its_history_and_reads_the_number() {
    let mut inc = declared();
    ok(
        &mut inc,
        "erin",
        Op::SetImpact {
            text: "EU card payments ~1200 customers/hour".into(),
        },
    );
    ok(
        &mut inc,
        "erin",
        Op::SetImpact {
            text: "all card payments ~3k customers/hour".into(),
        },
    );
    assert_eq!(inc.impacts.len(), 2);
    let now = inc.impacts.last().unwrap();
    assert_eq!(
        (now.count, now.unit.as_deref()),
        (Some(3000.0), Some("customers/hour"))
    );
}

fn propose(text: &str, kind: MitigationKind, risk: Risk) -> Op {
    Op::ProposeMitigation {
        text: text.into(),
        kind,
        risk,
        speed: Speed::Quick,
        system: None,
        owner: None,
    }
}

#[test]
fn mitigations_move_from_proposed_to_an_outcome_and_are_logged() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        propose("Freeze deploys", MitigationKind::FreezeDeploys, Risk::Low),
    );
    assert_eq!(
        last(&inc),
        "proposed M1: Freeze deploys (freeze_deploys, low risk, quick)"
    );
    ok(&mut inc, "carol", Op::StartMitigation { id: 1 });
    assert_eq!(inc.mitigations[0].status, MitigationStatus::InProgress);
    assert_eq!(
        inc.mitigations[0].owner.as_deref(),
        Some("carol"),
        "starting it makes you the owner"
    );
    let e = refused(
        &mut inc,
        "dave",
        Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Done,
            result: None,
        },
    );
    assert!(e.to_string().contains("belongs to carol"), "{e}");
    let e = refused(
        &mut inc,
        "carol",
        Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Proposed,
            result: None,
        },
    );
    assert!(matches!(e, Refusal::NotAnOutcome { .. }));
    ok(
        &mut inc,
        "carol",
        Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Failed,
            result: Some("no change".into()),
        },
    );
    assert_eq!(last(&inc), "M1 FAILED: Freeze deploys — no change");
    let e = refused(&mut inc, "carol", Op::StartMitigation { id: 1 });
    assert!(matches!(e, Refusal::Unchanged { .. }));
    let e = refused(
        &mut inc,
        "carol",
        Op::OwnMitigation {
            id: 1,
            owner: Some("dave".into()),
        },
    );
    assert!(matches!(e, Refusal::MitigationClosed { .. }));
}

#[test]
fn destructive_mitigations_start_only_after_the_commanders_go() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        propose("Restart payments", MitigationKind::Restart, Risk::Medium),
    );
    let e = refused(&mut inc, "carol", Op::StartMitigation { id: 1 });
    assert!(matches!(e, Refusal::NeedsClearance { id: 1 }), "{e}");
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "start M1: Restart payments".into(),
            mitigation: Some(1),
        },
    );
    assert_eq!(inc.mitigations[0].request, Some(1));
    refused(&mut inc, "carol", Op::StartMitigation { id: 1 });
    ok(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    ok(&mut inc, "carol", Op::StartMitigation { id: 1 });
    // The commander's own start needs no clearance; neither does a
    // non-destructive, non-high-risk one.
    ok(
        &mut inc,
        "dave",
        propose("Fail over search", MitigationKind::Failover, Risk::High),
    );
    ok(&mut inc, "alice", Op::StartMitigation { id: 2 });
    ok(
        &mut inc,
        "dave",
        propose("Page the vendor", MitigationKind::Custom, Risk::Low),
    );
    ok(&mut inc, "dave", Op::StartMitigation { id: 3 });
    ok(
        &mut inc,
        "dave",
        propose("Custom but risky", MitigationKind::Custom, Risk::High),
    );
    assert!(matches!(
        refused(&mut inc, "dave", Op::StartMitigation { id: 4 }),
        Refusal::NeedsClearance { .. }
    ));
}

#[test]
fn owners_take_unowned_work_and_the_commander_reassigns() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        propose("Roll back", MitigationKind::Rollback, Risk::Low),
    );
    ok(
        &mut inc,
        "dave",
        Op::OwnMitigation {
            id: 1,
            owner: Some("dave".into()),
        },
    );
    assert_eq!(last(&inc), "dave took M1: Roll back");
    let e = refused(
        &mut inc,
        "erin",
        Op::OwnMitigation {
            id: 1,
            owner: Some("erin".into()),
        },
    );
    assert!(e.to_string().contains("belongs to dave"), "{e}");
    ok(
        &mut inc,
        "alice",
        Op::OwnMitigation {
            id: 1,
            owner: Some("erin".into()),
        },
    );
    assert_eq!(inc.mitigations[0].owner.as_deref(), Some("erin"));
    ok(
        &mut inc,
        "bob",
        Op::AddTask {
            text: "Find the root cause".into(),
            owner: None,
        },
    );
    ok(
        &mut inc,
        "frank",
        Op::OwnTask {
            id: 1,
            owner: Some("frank".into()),
        },
    );
    refused(
        &mut inc,
        "bob",
        Op::FinishTask {
            id: 1,
            result: None,
        },
    );
    ok(
        &mut inc,
        "frank",
        Op::FinishTask {
            id: 1,
            result: Some("pool size default changed".into()),
        },
    );
    assert!(inc.tasks[0].done);
    assert!(matches!(
        refused(
            &mut inc,
            "frank",
            Op::FinishTask {
                id: 1,
                result: None
            }
        ),
        Refusal::TaskDone { .. }
    ));
}

#[test]
fn anyone_freezes_deploys_and_the_commander_lifts_the_freeze() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Freeze {
            reason: Some("bad deploy suspected".into()),
        },
    );
    assert_eq!(inc.freeze.as_ref().unwrap().by, "carol");
    assert!(matches!(
        refused(&mut inc, "dave", Op::Freeze { reason: None }),
        Refusal::Unchanged { .. }
    ));
    let e = refused(&mut inc, "carol", Op::Unfreeze);
    assert!(
        e.to_string()
            .contains("only the commander (alice) can lift the deploy freeze"),
        "{e}"
    );
    ok(&mut inc, "alice", Op::Unfreeze);
    assert!(inc.freeze.is_none());
}

#[test]
fn the_lifecycle_records_when_impact_ceased_and_can_reopen() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "alice",
        Op::SetStatus {
            status: Status::Mitigated,
        },
    );
    assert!(inc.impact_ceased_at.is_some());
    assert!(
        last_of(&inc, LogKind::StatusChange).contains("impact ceased at 14:00 UTC"),
        "{}",
        last(&inc)
    );
    ok(
        &mut inc,
        "alice",
        Op::SetStatus {
            status: Status::Resolved,
        },
    );
    assert!(!inc.is_active() && inc.resolved_at.is_some());
    // The log stays writable after resolving (post-incident notes).
    ok(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "follow-up ticket filed".into(),
        },
    );
    ok(
        &mut inc,
        "alice",
        Op::SetStatus {
            status: Status::Investigating,
        },
    );
    assert!(
        last(&inc).starts_with("reopened (was resolved at"),
        "{}",
        last(&inc)
    );
    assert!(inc.is_active() && inc.resolved_at.is_none());
}

#[test]
fn crossing_edits_are_refused_not_lost() {
    use crate::model::Section;
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::EditSection {
            section: Section::Summary,
            text: "Checkout 5xx".into(),
            base: 0,
        },
    );
    assert_eq!(inc.document.version(Section::Summary), 1);
    assert!(
        last(&inc).starts_with("edited Summary: “” → “Checkout 5xx”"),
        "{}",
        last(&inc)
    );
    // alice (commander... none yet) started from version 0 too: refused,
    // told who saved and given their text.
    ok(
        &mut inc,
        "alice",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    let e = refused(
        &mut inc,
        "alice",
        Op::EditSection {
            section: Section::Summary,
            text: "Payments down".into(),
            base: 0,
        },
    );
    match e {
        Refusal::EditConflict {
            current,
            by,
            theirs,
            ..
        } => {
            assert_eq!(
                (current, by.as_str(), theirs.as_str()),
                (1, "bob", "Checkout 5xx")
            );
        }
        other => panic!("expected a conflict, got {other}"),
    }
    ok(
        &mut inc,
        "alice",
        Op::EditSection {
            section: Section::Summary,
            text: "Checkout 5xx: payments down".into(),
            base: 1,
        },
    );
    assert_eq!(
        inc.document.text(Section::Summary),
        "Checkout 5xx: payments down"
    );
}

#[test]
fn communications_owns_the_document_but_anyone_may_add_to_it() {
    use crate::model::Section;
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    let e = refused(
        &mut inc,
        "carol",
        Op::EditSection {
            section: Section::Impact,
            text: "x".into(),
            base: 0,
        },
    );
    assert!(
        e.to_string()
            .contains("only communications (bob) or the commander"),
        "{e}"
    );
    ok(
        &mut inc,
        "carol",
        Op::AppendSection {
            section: Section::Impact,
            text: "EU only".into(),
        },
    );
    ok(
        &mut inc,
        "carol",
        Op::AppendSection {
            section: Section::Impact,
            text: "cards only".into(),
        },
    );
    assert_eq!(inc.document.text(Section::Impact), "EU only\ncards only");
    ok(
        &mut inc,
        "alice",
        Op::EditSection {
            section: Section::Impact,
            text: "EU cards".into(),
            base: 2,
        },
    );
    assert!(matches!(
        refused(
            &mut inc,
            "carol",
            Op::PostUpdate {
                text: "x".into(),
                external: false
            }
        ),
        Refusal::NotCommunications { .. }
    ));
    ok(
        &mut inc,
        "bob",
        Op::PostUpdate {
            text: "Investigating checkout errors".into(),
            external: true,
        },
    );
    assert_eq!(inc.document.updates.len(), 1);
}

#[test]
fn the_timeline_has_milestones_and_pinned_entries() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "noise".into(),
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "the graph shows the deploy at 13:55".into(),
        },
    );
    ok(
        &mut inc,
        "alice",
        Op::SetSeverity {
            severity: Severity::Sev1,
        },
    );
    let texts = |inc: &Incident| inc.timeline().map(|e| e.text.clone()).collect::<Vec<_>>();
    assert_eq!(
        texts(&inc),
        [
            "declared SEV2 \"Checkout errors\"",
            "alice claimed commander",
            "severity SEV2 → SEV1"
        ]
    );
    ok(&mut inc, "bob", Op::Pin { entry: 4 });
    assert!(texts(&inc).contains(&"the graph shows the deploy at 13:55".to_string()));
    assert!(matches!(
        refused(&mut inc, "bob", Op::Pin { entry: 4 }),
        Refusal::Unchanged { .. }
    ));
    assert!(matches!(
        refused(&mut inc, "bob", Op::Pin { entry: 99 }),
        Refusal::NoSuchEntry { .. }
    ));
    ok(&mut inc, "bob", Op::Unpin { entry: 4 });
    assert!(!texts(&inc).contains(&"the graph shows the deploy at 13:55".to_string()));
}

#[test]
fn the_update_cadence_follows_severity_unless_set() {
    let mut inc = declared(); // SEV2, declared 14:00
    let at = |h, m| Utc.with_ymd_and_hms(2026, 11, 26, h, m, 0).unwrap();
    assert_eq!(inc.next_update_due(), Some(at(14, 20)));
    ok(
        &mut inc,
        "alice",
        Op::SetSeverity {
            severity: Severity::Sev3,
        },
    );
    assert_eq!(inc.next_update_due(), Some(at(15, 0)));
    ok(&mut inc, "alice", Op::SetUpdateCadence { minutes: 30 });
    assert_eq!(inc.next_update_due(), Some(at(14, 30)));
    assert!(matches!(
        refused(&mut inc, "alice", Op::SetUpdateCadence { minutes: 1 }),
        Refusal::BadCadence { .. }
    ));
    ok(
        &mut inc,
        "alice",
        Op::SetStatus {
            status: Status::Resolved,
        },
    );
    assert_eq!(inc.next_update_due(), None, "no updates due once resolved");
}

#[test]
fn a_template_only_fills_an_untouched_document() {
    use crate::model::Section;
    let mut inc = declared();
    let t = crate::template::built_in();
    ok(
        &mut inc,
        "alice",
        Op::ApplyTemplate {
            name: "built-in".into(),
            sections: t.clone(),
        },
    );
    assert_eq!(
        inc.document.prompt(Section::Summary),
        Section::Summary.default_prompt()
    );
    ok(
        &mut inc,
        "alice",
        Op::EditSection {
            section: Section::Summary,
            text: "x".into(),
            base: 0,
        },
    );
    assert!(matches!(
        refused(
            &mut inc,
            "alice",
            Op::ApplyTemplate {
                name: "x".into(),
                sections: t
            }
        ),
        Refusal::DocumentTouched
    ));
}

#[test]
fn titles_are_one_plain_line() {
    let r = rec(
        "alice",
        Op::Declare {
            title: "a\nb".into(),
            severity: Severity::Sev1,
            roles: vec![],
        },
    );
    assert!(matches!(
        genesis("INC-1", &r),
        Err(Refusal::TitleNotOneLine)
    ));
}

#[test]
fn impact_ceasing_starts_a_team_break_everyone_sees() {
    use crate::model::BreakKind;
    let mut inc = commanded();
    let at = |m| Utc.with_ymd_and_hms(2026, 11, 26, 14, m, 0).unwrap();
    ok(
        &mut inc,
        "alice",
        Op::SetStatus {
            status: Status::Mitigated,
        },
    );
    let b = inc.break_at(at(5)).expect("a break is running");
    assert_eq!((b.kind, b.ends_at), (BreakKind::Team, at(15)));
    assert!(
        last(&inc).starts_with("team break until 14:15 UTC (15 min)"),
        "{}",
        last(&inc)
    );
    assert!(inc.break_at(at(15)).is_none(), "over at its end");
    // Only the commander ends it early.
    let early = Record {
        at: at(5),
        by: Actor::named("bob"),
        op: Op::EndBreak,
    };
    assert!(matches!(
        apply(&mut inc, &early),
        Err(Refusal::NotCommander { .. })
    ));
    let early = Record {
        at: at(5),
        by: Actor::named("alice"),
        op: Op::EndBreak,
    };
    apply(&mut inc, &early).unwrap();
    assert!(inc.break_at(at(6)).is_none());
}

#[test]
fn breaks_by_hand_and_the_pause_before_a_procedure() {
    use crate::model::BreakKind;
    let mut inc = commanded();
    let team = Op::StartBreak {
        kind: BreakKind::Team,
        minutes: 20,
        reason: Some("long night".into()),
    };
    assert!(matches!(
        refused(&mut inc, "bob", team.clone()),
        Refusal::NotCommander { .. }
    ));
    ok(&mut inc, "alice", team);
    assert!(matches!(
        refused(
            &mut inc,
            "alice",
            Op::StartBreak {
                kind: BreakKind::Team,
                minutes: 5,
                reason: None
            }
        ),
        Refusal::BreakRunning { .. }
    ));
    ok(&mut inc, "alice", Op::EndBreak);
    // Anyone starting a procedure calls the short pause; the commander may skip it.
    ok(
        &mut inc,
        "carol",
        Op::StartBreak {
            kind: BreakKind::Procedure,
            minutes: 2,
            reason: Some("recovery of db cluster".into()),
        },
    );
    ok(&mut inc, "alice", Op::EndBreak);
    assert_eq!(last(&inc), "pause before the procedure skipped by alice");
    assert!(matches!(
        refused(
            &mut inc,
            "alice",
            Op::StartBreak {
                kind: BreakKind::Team,
                minutes: 0,
                reason: None
            }
        ),
        Refusal::BadBreak { .. }
    ));
}

#[test]
fn food_and_standing_people_down() {
    let mut inc = commanded();
    let h = |hh, mm| Utc.with_ymd_and_hms(2026, 11, 26, hh, mm, 0).unwrap();
    assert_eq!(inc.food_due(), Some(h(17, 0)), "3 hours after declaring");
    let food = Record {
        at: h(17, 5),
        by: Actor::named("alice"),
        op: Op::OrderFood { note: None },
    };
    apply(&mut inc, &food).unwrap();
    assert_eq!(inc.food_due(), Some(h(21, 5)), "then every 4 hours");
    assert!(last(&inc).contains("food ordered by alice — expense it"));
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    let e = refused(
        &mut inc,
        "alice",
        Op::Detach {
            user: "bob".into(),
            note: None,
        },
    );
    assert!(
        e.to_string().contains("bob still holds communications"),
        "{e}"
    );
    ok(
        &mut inc,
        "bob",
        Op::StepDown {
            role: Role::Communications,
        },
    );
    assert!(matches!(
        refused(
            &mut inc,
            "carol",
            Op::Detach {
                user: "bob".into(),
                note: None
            }
        ),
        Refusal::NotCommander { .. }
    ));
    ok(
        &mut inc,
        "alice",
        Op::Detach {
            user: "bob".into(),
            note: Some("go sleep".into()),
        },
    );
    assert!(inc.detached.contains_key("bob"));
}

#[test]
fn no_operation_field_collides_with_the_records_own() {
    // Operations are flattened into the record's JSON object: a field named
    // like the record's (`at`, `by`, `op`) would write a line that cannot be
    // read back. Serialize one of each with every optional field set.
    let ev = Evidence {
        text: "t".into(),
        entry: Some(1),
    };
    let samples = vec![
        Op::Paged {
            source: "s".into(),
            key: "k".into(),
            state: "acknowledged".into(),
            acked_by: Some("x".into()),
            title: "t".into(),
        },
        Op::Answer {
            request: 1,
            go: false,
            reason: Some("r".into()),
        },
        Op::SetSystem {
            name: "a".into(),
            status: crate::model::SystemStatus::Ok,
            evidence: Some(ev.clone()),
            owner: Some("o".into()),
            note: Some("n".into()),
        },
        Op::Assume {
            text: "t".into(),
            source: Some("s".into()),
        },
        Op::Verify {
            id: 1,
            evidence: ev,
        },
        Op::ProposeMitigation {
            text: "t".into(),
            kind: MitigationKind::Custom,
            risk: Risk::Low,
            speed: Speed::Quick,
            system: Some("s".into()),
            owner: Some("o".into()),
        },
        Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Done,
            result: Some("r".into()),
        },
        Op::AddTask {
            text: "t".into(),
            owner: Some("o".into()),
        },
        Op::AddSnippet {
            title: "t".into(),
            text: "x".into(),
            entry: Some(1),
        },
        Op::PostUpdate {
            text: "t".into(),
            external: true,
        },
        Op::StartBreak {
            kind: crate::model::BreakKind::Team,
            minutes: 5,
            reason: Some("r".into()),
        },
        Op::Detach {
            user: "u".into(),
            note: Some("n".into()),
        },
        Op::OrderFood {
            note: Some("n".into()),
        },
        Op::Announce {
            text: "t".into(),
            mitigation: Some(1),
        },
    ];
    for op in samples {
        let v = serde_json::to_value(&op).unwrap();
        for reserved in ["at", "by"] {
            assert!(
                v.get(reserved).is_none(),
                "{op:?} has a field named {reserved}"
            );
        }
        let r = rec("alice", op);
        let line = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), r, "{line}");
    }
}

#[test]
fn starting_a_procedure_pauses_everyone_first() {
    use crate::model::BreakKind;
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        propose("Recover the db cluster", MitigationKind::Custom, Risk::Low),
    );
    ok(&mut inc, "carol", Op::MarkProcedure { id: 1 });
    assert!(matches!(
        refused(&mut inc, "carol", Op::MarkProcedure { id: 1 }),
        Refusal::Unchanged { .. }
    ));
    ok(&mut inc, "carol", Op::StartMitigation { id: 1 });
    let b = inc.breaks.last().expect("a pause");
    assert_eq!(
        (b.kind, b.reason.as_deref()),
        (BreakKind::Procedure, Some("before: Recover the db cluster"))
    );
    assert_eq!(b.ends_at - b.starts_at, chrono::Duration::minutes(2));
    ok(&mut inc, "alice", Op::EndBreak);
    assert_eq!(last(&inc), "pause before the procedure skipped by alice");
}

/// What is bleeding is worked out again only when the systems may have
/// changed: a log entry leaves their revision alone, a system change
/// moves it.
#[test]
fn only_operations_beyond_a_log_entry_move_the_systems_revision() {
    let mut inc = declared();
    let log = |text: &str| {
        rec(
            "bob",
            Op::Log {
                kind: LogKind::Note,
                text: text.into(),
            },
        )
    };
    let before = inc.systems_revision;
    apply(&mut inc, &log("db-1 looks slow")).unwrap();
    assert_eq!(
        inc.systems_revision, before,
        "a note is not a system change"
    );
    apply(
        &mut inc,
        &rec(
            "bob",
            Op::SetSystem {
                name: "db-1".into(),
                status: SystemStatus::Failing,
                evidence: None,
                owner: None,
                note: None,
            },
        ),
    )
    .unwrap();
    assert_eq!(
        inc.systems_revision, inc.revision,
        "a system change moves it"
    );
    let moved = inc.systems_revision;
    apply(&mut inc, &log("failing over")).unwrap();
    assert_eq!(inc.systems_revision, moved);
}

//! Pages that fit the picture (a worse re-trigger raises the severity,
//! links for the main screen, the pager's ack) and closing without
//! resolving (a duplicate, a false alarm), with links between incidents.

use super::*;
use crate::model::{CloseKind, PageLink, Relation};

fn page(state: &str, severity: Severity) -> Op {
    Op::Paged {
        source: "Alertmanager".into(),
        key: "alertmanager:g".into(),
        state: state.into(),
        acked_by: None,
        title: "PaymentsLatencyHigh".into(),
        severity: Some(severity),
        links: vec![PageLink {
            label: "runbook".into(),
            url: "https://runbooks.example/p".into(),
        }],
        events_key: None,
        started_at: None,
        occurred_at: None,
    }
}

fn false_alarm(reason: &str) -> Op {
    Op::Close {
        kind: CloseKind::FalseAlarm,
        into: None,
        reason: Some(reason.into()),
    }
}

fn duplicate_of(into: &str) -> Op {
    Op::Close {
        kind: CloseKind::Duplicate,
        into: Some(into.into()),
        reason: None,
    }
}

#[test]
fn a_worse_retrigger_raises_the_severity_and_a_milder_one_never_lowers_it() {
    let mut inc = declared(); // SEV2
    ok(&mut inc, "pager", page("triggered", Severity::Sev3));
    assert_eq!(
        inc.severity,
        Severity::Sev2,
        "a milder page never lowers it"
    );
    ok(&mut inc, "pager", page("triggered", Severity::Sev1));
    assert_eq!(inc.severity, Severity::Sev1);
    assert_eq!(
        last_of(&inc, LogKind::SeverityChange),
        "severity SEV2 → SEV1: Alertmanager re-triggered the alert at SEV1"
    );
    // An acknowledgement carrying a severity is not a re-trigger.
    let mut inc = declared();
    ok(&mut inc, "pager", page("acknowledged", Severity::Sev1));
    assert_eq!(inc.severity, Severity::Sev2);
}

#[test]
fn page_links_are_kept_once_and_the_ack_is_remembered() {
    let mut inc = declared();
    ok(&mut inc, "pager", page("triggered", Severity::Sev2));
    ok(&mut inc, "pager", page("triggered", Severity::Sev2));
    assert_eq!(inc.links.len(), 1, "the same URL twice is one link");
    ok(
        &mut inc,
        "pager",
        Op::Paged {
            source: "PagerDuty".into(),
            key: "pagerduty:P1".into(),
            state: "acknowledged".into(),
            acked_by: Some("dana".into()),
            title: "t".into(),
            severity: None,
            links: vec![],
            events_key: None,
            started_at: None,
            occurred_at: None,
        },
    );
    let ack = inc.pager_ack.as_ref().expect("acknowledged");
    assert_eq!(ack.describe(), "acknowledged in PagerDuty by dana");
}

#[test]
fn a_false_alarm_is_closed_by_the_commander_and_is_neither_active_nor_resolved() {
    let mut inc = commanded();
    let e = refused(&mut inc, "bob", false_alarm("load test"));
    assert!(matches!(e, Refusal::NotCommander { .. }), "{e}");
    assert!(e.to_string().contains("alice"), "{e}");
    let e = refused(
        &mut inc,
        "alice",
        Op::Close {
            kind: CloseKind::FalseAlarm,
            into: None,
            reason: None,
        },
    );
    assert!(e.to_string().contains("reason"), "{e}");
    ok(&mut inc, "alice", false_alarm("it was the load test"));
    assert!(!inc.is_active());
    assert!(!inc.is_resolved());
    assert_eq!(inc.state_label(), "false alarm");
    assert_eq!(
        last_of(&inc, LogKind::Closed),
        "closed as a false alarm: it was the load test"
    );
    assert!(inc.timeline().any(|e| e.kind == LogKind::Closed));
    assert_eq!(inc.next_update_due(), None, "no updates owed any more");
}

#[test]
fn anyone_closes_while_nobody_commands() {
    let mut inc = declared();
    ok(&mut inc, "bob", false_alarm("synthetic check misfired"));
    assert!(inc.closed.is_some());
}

#[test]
fn a_closed_incident_takes_notes_and_links_but_no_more_response() {
    let mut inc = commanded();
    ok(&mut inc, "alice", duplicate_of("INC-7"));
    assert_eq!(inc.state_label(), "duplicate of INC-7");
    assert_eq!(inc.related[0].relation, Relation::DuplicateOf);
    let e = refused(&mut inc, "alice", Op::set_status(Status::Resolved));
    assert!(
        e.to_string()
            .contains("closed as a duplicate of INC-7 by alice: the work goes on in INC-7"),
        "{e}"
    );
    let e = refused(&mut inc, "alice", false_alarm("twice"));
    assert!(matches!(e, Refusal::Closed { .. }), "{e}");
    ok(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "joining INC-7".into(),
        },
    );
}

#[test]
fn a_duplicate_names_another_incident_and_a_resolved_one_is_not_closed() {
    let mut inc = declared(); // INC-1
    let e = refused(&mut inc, "alice", duplicate_of("INC-1"));
    assert_eq!(e, Refusal::DuplicateOfItself);
    assert!(e.is_bad_input());
    let e = refused(&mut inc, "alice", duplicate_of("checkout"));
    assert!(
        e.to_string().contains("'checkout' is not an incident id"),
        "{e}"
    );
    ok(&mut inc, "alice", Op::set_status(Status::Resolved));
    let e = refused(&mut inc, "alice", false_alarm("x"));
    assert_eq!(e, Refusal::CloseResolved);
}

#[test]
fn related_incidents_are_recorded_once_and_bring_their_pager_keys() {
    let mut inc = declared();
    let merged = Op::Relate {
        relation: Relation::HasDuplicate,
        incident: "INC-3".into(),
        keys: vec!["alertmanager:dup".into()],
    };
    ok(&mut inc, "alice", merged.clone());
    assert!(inc.pager_keys.contains("alertmanager:dup"));
    assert_eq!(
        last_of(&inc, LogKind::Related),
        "INC-3 was merged into this incident as a duplicate: its alerts now come here"
    );
    let e = refused(&mut inc, "alice", merged);
    assert!(matches!(e, Refusal::Unchanged { .. }), "{e}");
    let e = refused(
        &mut inc,
        "alice",
        Op::Relate {
            relation: Relation::DuplicateOf,
            incident: "INC-3".into(),
            keys: vec![],
        },
    );
    assert_eq!(e, Refusal::UseMerge);
    // A resolved incident still takes the link to its recurrence.
    ok(&mut inc, "alice", Op::set_status(Status::Resolved));
    ok(
        &mut inc,
        "pager",
        Op::Relate {
            relation: Relation::RecurredAs,
            incident: "INC-5".into(),
            keys: vec![],
        },
    );
    assert_eq!(last(&inc), "recurred as INC-5: the same alert fired again");
}

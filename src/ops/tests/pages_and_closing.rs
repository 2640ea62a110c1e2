//! Pages that fit the picture (a worse re-trigger raises the severity,
//! links for the main screen, the pager's ack) and closing without
//! resolving (a duplicate, a false alarm), with links between incidents.

use super::*;
use crate::model::{CloseKind, PageLink, Relation};
use chrono::{DateTime, TimeZone, Utc};

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
        times: None,
        delivery: None,
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
            times: None,
            delivery: None,
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

/// A page of alert `key` in `state`, with the pager's own times, applied
/// at `arrived`.
fn timed_page(
    inc: &mut Incident,
    arrived: DateTime<Utc>,
    key: &str,
    state: &str,
    started_at: Option<DateTime<Utc>>,
    occurred_at: Option<DateTime<Utc>>,
) {
    let op = Op::Paged {
        source: "PagerDuty".into(),
        key: key.into(),
        state: state.into(),
        acked_by: (state == "acknowledged").then(|| "dana".into()),
        title: "Checkout 5xx".into(),
        severity: None,
        links: vec![],
        events_key: None,
        times: crate::model::PagerTimes::boxed(started_at, occurred_at),
        delivery: None,
    };
    apply(
        inc,
        &Record {
            at: arrived,
            by: Actor::named("pager"),
            op,
        },
    )
    .unwrap();
}

#[test]
fn detected_and_acknowledged_are_the_pagers_own_times_never_moved_later() {
    let t = |h, m, s| Utc.with_ymd_and_hms(2026, 11, 26, h, m, s).unwrap();
    let mut inc = declared();
    // Started 03:34, delivered 03:41.
    timed_page(
        &mut inc,
        t(3, 41, 0),
        "pd:1",
        "triggered",
        Some(t(3, 34, 0)),
        None,
    );
    let d = inc.detection.clone().unwrap();
    assert_eq!((d.at, d.arrived_at), (t(3, 34, 0), t(3, 41, 0)));
    assert_eq!(
        last_of(&inc, LogKind::Page),
        "paged by PagerDuty: Checkout 5xx (the alert started 03:34:00 UTC, 7 minutes before the page)"
    );
    // A re-trigger that started later does not move it.
    timed_page(
        &mut inc,
        t(3, 50, 0),
        "pd:1",
        "triggered",
        Some(t(3, 49, 0)),
        None,
    );
    assert_eq!(inc.detection.as_ref().unwrap().at, t(3, 34, 0));
    // A page of another alert that started earlier does not either.
    timed_page(
        &mut inc,
        t(3, 51, 0),
        "pd:2",
        "triggered",
        Some(t(3, 0, 0)),
        None,
    );
    assert_eq!(inc.detection.as_ref().unwrap().at, t(3, 34, 0));
    // The same alert, known to have started earlier, does.
    timed_page(
        &mut inc,
        t(3, 52, 0),
        "pd:1",
        "triggered",
        Some(t(3, 30, 0)),
        None,
    );
    assert_eq!(inc.detection.as_ref().unwrap().at, t(3, 30, 0));
    // Acknowledged at 03:36 at the pager, delivered late at 03:55.
    timed_page(
        &mut inc,
        t(3, 55, 0),
        "pd:1",
        "acknowledged",
        Some(t(3, 30, 0)),
        Some(t(3, 36, 0)),
    );
    let d = inc.detection.clone().unwrap();
    assert_eq!(d.acknowledged_at, Some(t(3, 36, 0)));
    assert_eq!(d.acknowledged_arrived_at, Some(t(3, 55, 0)));
    assert_eq!(inc.pager_ack.as_ref().unwrap().at, t(3, 36, 0));
    assert_eq!(
        inc.durations().to_acknowledge,
        Some(chrono::Duration::minutes(6))
    );
    assert!(
        last_of(&inc, LogKind::Page)
            .contains("acknowledged there at 03:36:00 UTC, 19 minutes before it arrived"),
        "{}",
        last_of(&inc, LogKind::Page)
    );
    // The curated timeline still finds both entries where they arrived.
    let page_entries: Vec<&str> = inc
        .timeline()
        .filter(|e| e.kind == LogKind::Page)
        .map(|e| e.text.as_str())
        .collect();
    assert!(
        page_entries.iter().any(|t| t.starts_with("paged by")),
        "{page_entries:?}"
    );
    assert!(
        page_entries
            .iter()
            .any(|t| t.starts_with("acknowledged in")),
        "{page_entries:?}"
    );
}

#[test]
fn pager_times_in_the_future_or_long_past_are_clamped_to_the_arrival_with_a_note() {
    let t = |y, h, m| Utc.with_ymd_and_hms(y, 11, 26, h, m, 0).unwrap();
    let mut inc = declared();
    timed_page(
        &mut inc,
        t(2026, 3, 41),
        "pd:1",
        "triggered",
        Some(t(2031, 0, 0)),
        None,
    );
    let d = inc.detection.clone().unwrap();
    assert_eq!(d.at, t(2026, 3, 41), "the arrival, not 2031");
    let note =
        "the alert's start time 2031-11-26 00:00:00 UTC is in the future; using the arrival time";
    assert_eq!(d.notes, vec![note.to_string()]);
    assert!(last_of(&inc, LogKind::Page).contains(note));
    // An ack claimed long before the page is not believed either.
    timed_page(
        &mut inc,
        t(2026, 3, 45),
        "pd:1",
        "acknowledged",
        None,
        Some(t(2025, 3, 0)),
    );
    let d = inc.detection.clone().unwrap();
    assert_eq!(d.acknowledged_at, Some(t(2026, 3, 45)));
    assert!(
        d.notes[1].starts_with(
            "the acknowledgement's time 2025-11-26 03:00:00 UTC is more than 7 days before"
        ),
        "{:?}",
        d.notes
    );
    // A start a little ahead is clock skew: the arrival, quietly.
    let mut inc = declared();
    let skewed = t(2026, 3, 41) + chrono::Duration::minutes(3);
    timed_page(
        &mut inc,
        t(2026, 3, 41),
        "pd:1",
        "triggered",
        Some(skewed),
        None,
    );
    assert_eq!(inc.detection.as_ref().unwrap().at, t(2026, 3, 41));
    assert_eq!(
        last_of(&inc, LogKind::Page),
        "paged by PagerDuty: Checkout 5xx"
    );
}

#[test]
fn a_page_records_its_delivery_and_a_file_written_before_deliveries_still_loads() {
    let mut inc = declared();
    let mut op = page("triggered", Severity::Sev2);
    if let Op::Paged { delivery, .. } = &mut op {
        *delivery = Some("alertmanager:0123abcd".into());
    }
    ok(&mut inc, "pager", op);
    assert!(inc.pager_deliveries.contains("alertmanager:0123abcd"));
    // A Paged line from before delivery ids: no field, no delivery.
    let old = r#"{"op":"paged","source":"Alertmanager","key":"alertmanager:g","state":"triggered","title":"T"}"#;
    let op: Op = serde_json::from_str(old).unwrap();
    assert!(matches!(op, Op::Paged { delivery: None, .. }), "{op:?}");
    // And a page without one is written as before.
    let line = serde_json::to_string(&page("triggered", Severity::Sev2)).unwrap();
    assert!(!line.contains("delivery"), "{line}");
}

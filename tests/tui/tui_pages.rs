//! Pages and closing in the live view: the links line under the header
//! (runbook, dashboard, bridge, the pager's ack, related incidents), the
//! header of a closed incident, and `:merge INC-N` / `:cancel REASON`.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Actor, CloseKind, Incident, PageLink, Relation, Severity};
use incident::ops::Op;
use incident::store::Store;
use incident::tui::app::{App, Effect, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::session::Session;
use incident::tui::theme::Theme;

fn t0() -> DateTime<Utc> {
    crate::common::fixture_t0()
}

fn paged_incident() -> Incident {
    let mut f = crate::common::Fixture::declared("INC-4", t0());
    f.apply(
        0,
        "pager",
        Op::Paged {
            source: "PagerDuty".into(),
            key: "pagerduty:Q1".into(),
            state: "triggered".into(),
            acked_by: None,
            title: "Checkout API 5xx".into(),
            severity: Some(Severity::Sev2),
            links: vec![
                PageLink {
                    label: "runbook".into(),
                    url: "https://runbooks.example/checkout-5xx".into(),
                },
                PageLink {
                    label: "bridge".into(),
                    url: "https://meet.example/checkout".into(),
                },
            ],
            events_key: None,
            times: None,
            delivery: None,
        },
    );
    f.apply(
        0,
        "pager",
        Op::Relate {
            relation: Relation::RecurrenceOf,
            incident: "INC-1".into(),
            keys: vec![],
        },
    );
    f.apply(
        2,
        "pager",
        Op::Paged {
            source: "PagerDuty".into(),
            key: "pagerduty:Q1".into(),
            state: "acknowledged".into(),
            acked_by: Some("dana".into()),
            title: "Checkout API 5xx".into(),
            severity: None,
            links: vec![],
            events_key: None,
            times: None,
            delivery: None,
        },
    );
    f.incident
}

fn app_on(inc: Incident) -> App {
    App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(inc))),
    )
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    to_text(&draw(
        app,
        &Theme::built_in("mono").unwrap(),
        t0() + Duration::minutes(5),
        w,
        h,
    ))
}

fn typ(app: &mut App, text: &str) -> Option<Effect> {
    for c in text.chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), t0());
    }
    app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), t0())
}

#[test]
fn links_line_80x24() {
    let text = screen(&mut app_on(paged_incident()), 80, 24);
    // Under the header, before any pane: the links first.
    let top: Vec<&str> = text.lines().skip(1).take(3).collect();
    assert_eq!(
        top[0].trim(),
        "runbook https://runbooks.example/checkout-5xx"
    );
    let top = top.join("\n");
    for item in [
        "bridge https://meet.example/checkout",
        "recurrence of INC-1",
        "acknowledged in PagerDuty by dana",
    ] {
        assert!(top.contains(item), "{item}: {text}");
    }
    insta::assert_snapshot!(text);
}

#[test]
fn the_links_line_fits_every_width_and_gives_way_on_tiny_screens() {
    let mut app = app_on(paged_incident());
    for w in [40u16, 60, 100, 200] {
        let text = screen(&mut app, w, 24);
        assert!(text.contains("runbook"), "{w}: {text}");
        for line in text.lines() {
            assert!(line.chars().count() <= w as usize, "{w}: {line}");
        }
    }
    // Below 16 rows the band and the links give the log its room.
    let text = screen(&mut app, 80, 12);
    assert!(!text.contains("runbook"), "{text}");
}

#[test]
fn a_closed_incident_says_so_in_the_header() {
    let mut f = crate::common::Fixture::declared("INC-3", t0());
    f.apply(
        1,
        "alice",
        Op::Close {
            kind: CloseKind::Duplicate,
            into: Some("INC-1".into()),
            reason: None,
        },
    );
    let text = screen(&mut app_on(f.incident), 80, 24);
    let header = text.lines().next().unwrap();
    assert!(header.contains("CLOSED: duplicate of INC-1"), "{header}");
    assert!(!header.contains("investigating"), "{header}");
}

#[test]
fn merge_and_cancel_are_typed_in_the_command_bar() {
    let mut app = app_on(paged_incident());
    assert_eq!(
        typ(&mut app, ":merge 1"),
        Some(Effect::Commit(Op::Close {
            kind: CloseKind::Duplicate,
            into: Some("INC-1".into()),
            reason: None,
        }))
    );
    assert_eq!(
        typ(&mut app, ":cancel the load test"),
        Some(Effect::Commit(Op::Close {
            kind: CloseKind::FalseAlarm,
            into: None,
            reason: Some("the load test".into()),
        }))
    );
    assert_eq!(typ(&mut app, ":merge checkout"), None);
    let m = app.message.clone().unwrap().text;
    assert!(m.contains("checkout") && m.contains(":merge INC-N"), "{m}");
    app.room_mut().unwrap().input.line.reset();
    assert_eq!(typ(&mut app, ":cancel"), None);
    let m = app.message.clone().unwrap().text;
    assert!(m.contains(":cancel REASON"), "{m}");
}

#[test]
fn merging_from_the_live_view_closes_this_incident_and_the_other_records_it() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    store
        .declare(&alice, "Checkout errors", Severity::Sev2)
        .unwrap();
    store
        .declare(&alice, "Checkout 500s", Severity::Sev2)
        .unwrap();

    let mut s = Session::new(store.clone(), alice.clone());
    let opened = s.open("INC-2").unwrap();
    let mut a = App::new(alice.clone(), opened);
    let effect = typ(&mut a, ":merge INC-1").expect("a commit");
    s.perform(effect, &mut a);
    s.settle(&mut a, std::time::Duration::from_secs(10));
    let m = a.message.clone().unwrap().text;
    assert!(m.contains("Closed as a duplicate of INC-1"), "{m}");

    let two = store.open("INC-2").unwrap().incident().clone();
    assert_eq!(two.state_label(), "duplicate of INC-1");
    assert!(!two.is_active());
    let one = store.open("INC-1").unwrap().incident().clone();
    assert_eq!(one.related[0].relation, Relation::HasDuplicate);
    assert_eq!(one.related[0].incident, "INC-2");

    // The open view shows it at once, and takes no more status changes.
    let header = screen(&mut a, 80, 24).lines().next().unwrap().to_string();
    assert!(header.contains("CLOSED: duplicate of INC-1"), "{header}");
    let effect = typ(&mut a, ":status mitigated").expect("a commit");
    s.perform(effect, &mut a);
    s.settle(&mut a, std::time::Duration::from_secs(10));
    let m = a.message.clone().unwrap().text;
    assert!(m.contains("the work goes on in INC-1"), "{m}");
}

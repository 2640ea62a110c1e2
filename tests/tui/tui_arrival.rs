//! Opening an incident after time away shows what changed since ("Since
//! you left at 14:12 (47m ago)"); opening one for the first time shows the
//! handover brief. Any key closes either (it is not typed, never
//! an answer), a question waiting below stays in sight, and both fit 80x24.

use crate::common::{Fixture, fixture_t0};
use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::arrival::{self, Arrival};
use incident::model::{Actor, Evidence, LogKind, Role, Section, SystemStatus};
use incident::ops::Op;
use incident::store::Store;
use incident::tui::app::{App, Overlay, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::session::Session;
use incident::tui::theme::Theme;

fn at(min: i64) -> DateTime<Utc> {
    fixture_t0() + Duration::minutes(min)
}

/// alice commands; bob wrote at 14:12 and left; then a night's work, and
/// carol asked alice for go at 14:50.
fn night() -> Fixture {
    let mut f = Fixture::declared("INC-7", fixture_t0());
    f.apply(
        1,
        "alice",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    f.apply(
        12,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "off to sleep".into(),
        },
    );
    f.apply(
        15,
        "alice",
        Op::SetSeverity {
            severity: incident::model::Severity::Sev1,
        },
    );
    f.apply(
        16,
        "alice",
        Op::SetRole {
            role: Role::Communications,
            user: Some("dave".into()),
        },
    );
    f.apply(
        17,
        "carol",
        Op::SetSystem {
            name: "payments".into(),
            status: SystemStatus::Failing,
            evidence: Some(Evidence {
                text: "curl /health 503".into(),
                entry: None,
            }),
            owner: None,
            note: None,
        },
    );
    f.apply(
        19,
        "alice",
        Op::Log {
            kind: LogKind::Decision,
            text: "fail over to eu-west".into(),
        },
    );
    f.apply(
        30,
        "dave",
        Op::PostUpdate {
            text: "We are failing over".into(),
            external: true,
        },
    );
    f.apply(
        50,
        "carol",
        Op::Announce {
            text: "drain eu-east".into(),
            mitigation: None,
        },
    );
    f
}

/// `who`'s view opening at `now`, greeted as the live view greets.
fn opened(f: &Fixture, who: &str, left: Option<DateTime<Utc>>, now: DateTime<Utc>) -> App {
    let mut room = Room::new(f.incident.clone());
    room.left_at = left;
    room.arrival = arrival::on_opening(&f.incident, who, false, left, now).map(Box::new);
    let mut app = App::new(Actor::named(who), Screen::Room(Box::new(room)));
    app.now = now;
    app.greet();
    app
}

fn screen(app: &mut App, now: DateTime<Utc>, w: u16, h: u16) -> String {
    let theme = Theme::built_in("default").unwrap();
    to_text(&draw(app, &theme, now, w, h))
}

fn key(app: &mut App, code: KeyCode, now: DateTime<Utc>) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE), now);
}

#[test]
fn back_after_47_minutes_the_catch_up_shows_first_and_the_question_stays_in_sight() {
    let f = night();
    let mut app = opened(&f, "alice", Some(at(12)), at(59));
    let s = screen(&mut app, at(59), 80, 24);
    assert!(s.contains("Since you left at 14:12 (47m ago)"), "{s}");
    for want in [
        "dave is now communications",
        "severity SEV2 → SEV1",
        "payments failing (carol 14:17) · checked: curl /health 503",
        "fail over to eu-west",
        "external: We are failing over",
        "R1 carol: drain eu-east — waiting for your go since 14:50",
    ] {
        assert!(s.contains(want), "missing {want:?} in\n{s}");
    }
    // The request's own prompt is still on screen, below the overlay.
    assert!(s.contains("R1 carol is about to: drain eu-east"), "{s}");
    insta::assert_snapshot!("catch_up_80x24", s);
}

#[test]
fn a_first_visit_gets_the_handover_brief() {
    let mut f = night();
    f.apply(
        52,
        "dave",
        Op::AppendSection {
            section: Section::Summary,
            text: "Card payments fail in eu-east since 13:50.".into(),
        },
    );
    let mut app = opened(&f, "erin", None, at(59));
    let s = screen(&mut app, at(59), 80, 24);
    assert!(
        s.contains("Handover brief — INC-7 · SEV1 · investigating · 59m in"),
        "{s}"
    );
    // Once resolved its clock stops, as the header's does: how long it
    // lasted, not how long ago it began (the trial read "13m in" beside
    // "lasted 00:01:50").
    {
        let mut f = night();
        f.apply(
            55,
            "alice",
            Op::SetStatus {
                status: incident::model::Status::Resolved,
                force: true,
                keep_freeze: false,
            },
        );
        let mut later = opened(&f, "erin", None, at(80));
        let s = screen(&mut later, at(80), 120, 35);
        assert!(
            s.contains("Handover brief — INC-7 · SEV1 · resolved · lasted 55m"),
            "{s}"
        );
        assert!(s.contains("lasted 00:55:00"), "the header agrees: {s}");
    }
    for want in [
        "Card payments fail in eu-east since 13:50.",
        "Commander      alice (since 14:01)",
        "Comms          dave (since 14:16)",
        "payments failing",
        "R1 carol: drain eu-east — waiting for alice's go since 14:50",
    ] {
        assert!(s.contains(want), "missing {want:?} in\n{s}");
    }
    insta::assert_snapshot!("handover_brief_80x24", s);
}

#[test]
fn too_much_to_show_at_80x24_says_how_many_more() {
    let mut f = night();
    for i in 0..30 {
        f.apply(
            20 + i / 3,
            "alice",
            Op::Log {
                kind: LogKind::Decision,
                text: format!("decision {i}"),
            },
        );
    }
    let mut app = opened(&f, "alice", Some(at(12)), at(59));
    let s = screen(&mut app, at(59), 80, 24);
    assert!(s.contains("Decisions  … "), "{s}");
    // And where the rest is: for this incident, from the same moment
    // (the command line's own defaults may pick another incident, or the
    // time this view opened).
    let since = at(12).format("%Y-%m-%dT%H:%MZ").to_string();
    assert!(
        s.contains(&format!(
            "the rest: incident catchup -i INC-7 --since {since}"
        )),
        "{s}"
    );
    assert!(
        s.contains("R1 carol: drain eu-east"),
        "every part keeps a row: {s}"
    );
    assert_eq!(s.lines().count(), 24);
}

#[test]
fn esc_closes_it_and_any_other_key_closes_it_never_typed_never_an_answer() {
    let f = night();
    let mut app = opened(&f, "alice", Some(at(12)), at(59));
    key(&mut app, KeyCode::Esc, at(59));
    assert!(app.overlay.is_none());
    assert_eq!(
        app.room().unwrap().input.line.value(),
        "",
        "Esc only closes it"
    );

    let mut app = opened(&f, "alice", Some(at(12)), at(59));
    let effect = app.handle_key(
        KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE),
        at(59),
    );
    assert!(app.overlay.is_none());
    assert_eq!(effect, None, "a y that closes it does not clear R1");
    assert_eq!(
        app.room().unwrap().input.line.value(),
        "",
        "nor is it typed"
    );
}

#[test]
fn away_less_than_ten_minutes_or_never_in_a_young_incident_goes_straight_in() {
    let f = night();
    let app = opened(&f, "alice", Some(at(50)), at(59));
    assert!(app.overlay.is_none());
    let young = Fixture::declared("INC-8", fixture_t0());
    let app = opened(&young, "erin", None, at(5));
    assert!(app.overlay.is_none());
}

#[test]
fn back_to_no_news_says_so_in_one_line_and_catchup_shows_it_all_again() {
    let f = night();
    // bob left at 14:52, after everything: nothing for him.
    let mut app = opened(&f, "bob", Some(at(52)), at(70));
    assert!(app.overlay.is_none());
    let m = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        m.contains("Since you left at 14:52 (18m ago)") && m.contains("nothing changed"),
        "{m}"
    );
    // :catchup 14:10 shows everything since then.
    type_line(&mut app, ":catchup 14:10", at(70));
    let s = screen(&mut app, at(70), 80, 24);
    assert!(
        s.contains("Since 14:10 (1h00m ago)") && s.contains("fail over to eu-west"),
        "{s}"
    );
    key(&mut app, KeyCode::Esc, at(70));
    // :catchup with no time: since he left.
    type_line(&mut app, ":catchup", at(70));
    assert!(
        matches!(&app.overlay, Some(Overlay::Arrival(a)) if matches!(**a, Arrival::Catchup(ref c) if c.left && c.since == at(52)))
    );
    key(&mut app, KeyCode::Esc, at(70));
    type_line(&mut app, ":brief", at(70));
    assert!(matches!(&app.overlay, Some(Overlay::Arrival(a)) if matches!(**a, Arrival::Brief(_))));
    key(&mut app, KeyCode::Esc, at(70));
    type_line(&mut app, ":catchup soon", at(70));
    let m = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(
        m.contains("'soon' is not a time") && m.contains("05:38"),
        "{m}"
    );
    assert!(app.overlay.is_none());
}

fn type_line(app: &mut App, text: &str, now: DateTime<Utc>) {
    for c in text.chars() {
        key(app, KeyCode::Char(c), now);
    }
    key(app, KeyCode::Enter, now);
}

/// On a real store: when bob left is read before his view joins, and a
/// second view of his, opened while the first is open, has nothing to
/// catch up on.
#[test]
fn the_session_reads_when_you_left_before_your_view_joins() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let id = {
        let f = store
            .declare_as(
                &Actor::named("alice"),
                "Checkout errors",
                incident::model::Severity::Sev2,
                Default::default(),
            )
            .unwrap();
        f.incident().id.clone()
    };
    // bob's last view closed 30 minutes ago.
    let seen = Utc::now() - Duration::minutes(30);
    // (Its sign of life, in the incident's presence folder.)
    std::fs::create_dir_all(tmp.path().join(".here").join(&id)).unwrap();
    std::fs::write(
        tmp.path().join(".here").join(&id).join("bob.seen"),
        format!(r#"{{"who":"bob","at":"{}"}}"#, seen.to_rfc3339()),
    )
    .unwrap();
    let mut first = Session::new(store.clone(), Actor::named("bob"));
    let Screen::Room(room) = first.open(&id).unwrap() else {
        panic!("a room")
    };
    assert_eq!(room.left_at, Some(seen));
    match room.arrival.as_deref() {
        Some(Arrival::Catchup(c)) => assert!(c.left && c.since == seen && c.entries == 1),
        other => panic!("expected a catch-up, got {other:?}"),
    }
    let mut second = Session::new(store.clone(), Actor::named("bob"));
    let Screen::Room(room) = second.open(&id).unwrap() else {
        panic!("a room")
    };
    assert!(
        room.arrival.is_none(),
        "bob never left: his first view is open"
    );
}

/// The catch-up and the brief at the other sizes of [22]'s trial (80x24
/// is above, with what each must say).
#[test]
fn the_catch_up_and_the_brief_at_120x35_and_200x50() {
    for (w, h) in [(120, 35), (200, 50)] {
        let f = night();
        let s = screen(&mut opened(&f, "alice", Some(at(12)), at(59)), at(59), w, h);
        assert!(s.contains("Since you left at 14:12 (47m ago)"), "{s}");
        assert!(!s.contains("… more") || s.contains(" more ("), "{s}");
        insta::assert_snapshot!(format!("catch_up_{w}x{h}"), s);
        let s = screen(&mut opened(&f, "erin", None, at(59)), at(59), w, h);
        assert!(s.contains("Handover brief — INC-7"), "{s}");
        insta::assert_snapshot!(format!("handover_brief_{w}x{h}"), s);
    }
}

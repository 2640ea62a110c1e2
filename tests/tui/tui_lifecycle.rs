//! The lifecycle checks itself, in the live view on a real store: the
//! status asks before it leaves something open, the freeze banner and
//! the clock follow the resolution, and "verified" means evidence.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{
    Actor, BreakKind, Evidence, MitigationKind, Risk, Role, Severity, Speed, Status, SystemStatus,
};
use incident::ops::Op;
use incident::store::Store;
use incident::tui::app::{App, Msg, Overlay};
use incident::tui::headless::{draw, to_text};
use incident::tui::session::Session;
use incident::tui::theme::Theme;

/// An incident on disk commanded by alice, her view of it open.
fn open(ops: &[(&str, Op)]) -> (tempfile::TempDir, Store, Session, App) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    store
        .declare(&alice, "Checkout errors", Severity::Sev2)
        .unwrap();
    store
        .append(
            Some("INC-1"),
            &alice,
            Op::ClaimRole {
                role: Role::Commander,
            },
        )
        .unwrap();
    for (who, op) in ops {
        store
            .append(Some("INC-1"), &Actor::named(who), op.clone())
            .unwrap_or_else(|e| panic!("{who} {op:?}: {e}"));
    }
    let mut s = Session::new(store.clone(), alice.clone());
    let screen = s.open("INC-1").unwrap();
    let mut app = App::new(alice, screen);
    app.size = (100, 30);
    (tmp, store, s, app)
}

fn failing(name: &str) -> Op {
    Op::SetSystem {
        name: name.into(),
        status: SystemStatus::Failing,
        evidence: Some(Evidence {
            text: "5xx on the dashboard".into(),
            entry: None,
        }),
        owner: None,
        note: None,
    }
}

fn press(s: &mut Session, app: &mut App, code: KeyCode) {
    let effects = app.update(Msg::Key(
        KeyEvent::new(code, KeyModifiers::NONE),
        Utc::now(),
    ));
    s.perform_all(effects, app);
    s.settle(app, std::time::Duration::from_secs(10));
}

fn send(s: &mut Session, app: &mut App, line: &str) {
    for c in line.chars() {
        press(s, app, KeyCode::Char(c));
    }
    press(s, app, KeyCode::Enter);
}

fn screen(app: &mut App, now: DateTime<Utc>) -> String {
    screen_of(app, now, 100)
}

fn screen_of(app: &mut App, now: DateTime<Utc>, width: u16) -> String {
    to_text(&draw(
        app,
        &Theme::built_in("default").unwrap(),
        now,
        width,
        30,
    ))
}

fn on_disk(store: &Store) -> incident::model::Incident {
    store.open("INC-1").unwrap().incident().clone()
}

fn question(app: &App) -> Option<&str> {
    match &app.overlay {
        Some(Overlay::Confirm { question, .. }) => Some(question),
        _ => None,
    }
}

#[test]
fn mitigated_while_systems_fail_asks_first_and_the_break_waits_for_yes() {
    let (_tmp, store, mut s, mut app) =
        open(&[("carol", failing("stripe-gw")), ("carol", failing("cart"))]);
    send(&mut s, &mut app, ":status mitigated");
    assert_eq!(
        question(&app),
        Some("cart, stripe-gw still failing: mitigated anyway? y/n")
    );
    let shown = screen(&mut app, Utc::now());
    assert!(
        shown.contains("cart, stripe-gw still failing: mitigated anyway? y/n"),
        "{shown}"
    );
    let inc = on_disk(&store);
    assert_eq!(inc.status, Status::Investigating, "nothing written yet");
    assert!(
        inc.breaks.is_empty(),
        "no break before it is really mitigated"
    );

    // No: nothing changes, and it says so.
    press(&mut s, &mut app, KeyCode::Char('n'));
    assert!(app.overlay.is_none());
    assert!(app.message.as_ref().unwrap().text.contains("Not changed"));
    assert_eq!(on_disk(&store).status, Status::Investigating);
    assert!(on_disk(&store).breaks.is_empty());

    // Asked again, yes: mitigated, and then the team break starts.
    send(&mut s, &mut app, ":status mitigated");
    press(&mut s, &mut app, KeyCode::Char('y'));
    let inc = on_disk(&store);
    assert_eq!(inc.status, Status::Mitigated);
    assert_eq!(inc.breaks.len(), 1);
    assert_eq!(inc.breaks[0].kind, BreakKind::Team);
    assert_eq!(app.room().unwrap().incident.status, Status::Mitigated);
}

#[test]
fn nothing_failing_means_nothing_to_ask() {
    let (_tmp, store, mut s, mut app) = open(&[]);
    send(&mut s, &mut app, ":status mitigated");
    assert!(app.overlay.is_none());
    assert_eq!(on_disk(&store).status, Status::Mitigated);
}

#[test]
fn resolving_lists_what_is_open_and_yes_lifts_the_freeze() {
    let (_tmp, store, mut s, mut app) = open(&[
        ("carol", failing("cart")),
        (
            "carol",
            Op::Assume {
                text: "the cache is warm".into(),
                source: None,
            },
        ),
        (
            "carol",
            Op::ProposeMitigation {
                text: "Freeze payments deploys".into(),
                kind: MitigationKind::FreezeDeploys,
                risk: Risk::Low,
                speed: Speed::Quick,
                system: None,
                owner: None,
            },
        ),
        ("carol", Op::StartMitigation { id: 1 }),
    ]);
    // Starting the freeze mitigation froze deploys: the banner says so.
    let shown = screen(&mut app, Utc::now());
    assert!(
        shown.contains("DEPLOYS FROZEN since")
            && shown.contains("by carol: Freeze payments deploys"),
        "{shown}"
    );
    send(&mut s, &mut app, ":status resolved");
    assert_eq!(
        question(&app),
        Some(
            "still open: M1 in progress, A1 unverified, cart failing, deploys frozen: resolved anyway? y/n (this lifts the deploy freeze; :status resolved --keep-freeze keeps it)"
        )
    );
    press(&mut s, &mut app, KeyCode::Char('y'));
    let inc = on_disk(&store);
    assert_eq!(inc.status, Status::Resolved);
    assert!(inc.deploy_freeze().is_none());
    assert!(
        inc.log
            .iter()
            .any(|e| e.text == "freeze lifted: incident resolved")
    );
    let shown = screen(&mut app, Utc::now());
    assert!(!shown.contains("DEPLOYS FROZEN"), "{shown}");
    let (code, answer) = incident::cli::freeze_answer(&store.list().unwrap());
    assert_eq!((code, answer.as_str()), (0, "no deploy freeze"));
}

#[test]
fn a_kept_freeze_outlives_the_incident_on_screen_and_in_freeze_status() {
    let (_tmp, store, mut s, mut app) = open(&[(
        "carol",
        Op::Freeze {
            reason: Some("bad deploy".into()),
        },
    )]);
    send(&mut s, &mut app, ":status resolved --keep-freeze");
    assert!(
        app.overlay.is_none(),
        "the freeze is kept on purpose: nothing to ask"
    );
    let inc = on_disk(&store);
    assert_eq!(inc.status, Status::Resolved);
    let shown = screen(&mut app, Utc::now());
    assert!(
        shown.contains("DEPLOYS FROZEN since")
            && shown.contains("by carol: bad deploy (kept after the incident was resolved)"),
        "{shown}"
    );
    let (code, answer) = incident::cli::freeze_answer(&store.list().unwrap());
    assert_eq!(code, 1);
    assert!(
        answer.starts_with("INC-1 deploys frozen since")
            && answer.ends_with("by carol: bad deploy (kept after the incident was resolved)"),
        "{answer}"
    );
}

#[test]
fn the_document_view_keeps_the_freeze_banner() {
    let (_tmp, _store, mut s, mut app) = open(&[("carol", Op::Freeze { reason: None })]);
    send(&mut s, &mut app, ":doc");
    assert!(app.room().unwrap().doc.is_some());
    let shown = screen(&mut app, Utc::now());
    assert!(shown.contains("DEPLOYS FROZEN since"), "{shown}");
}

#[test]
fn after_resolving_the_clock_stops_and_the_impact_is_history() {
    let (_tmp, store, mut s, mut app) = open(&[(
        "carol",
        Op::SetImpact {
            text: "EU card payments ~1200 customers/hour".into(),
        },
    )]);
    let now = Utc::now();
    let live = screen_of(&mut app, now + Duration::minutes(5), 160);
    assert!(live.contains("impact: EU card payments"), "{live}");
    send(&mut s, &mut app, ":status resolved");
    let inc = on_disk(&store);
    assert_eq!(inc.status, Status::Resolved);
    let lasted = incident::tui::clock::Clock::span(inc.declared_at, inc.resolved_at.unwrap());
    for later in [Duration::minutes(5), Duration::hours(3)] {
        let shown = screen_of(&mut app, now + later, 160);
        let head = shown.lines().next().unwrap();
        assert!(head.contains(&format!("lasted {lasted}")), "{head}");
        assert!(
            head.contains("impact was: EU card payments") && !head.contains(" impact: "),
            "{head}"
        );
    }
}

#[test]
fn a_role_given_to_a_name_nobody_has_seen_warns() {
    let (_tmp, store, mut s, mut app) = open(&[(
        "bob",
        Op::Log {
            kind: incident::model::LogKind::Note,
            text: "here".into(),
        },
    )]);
    send(&mut s, &mut app, ":role comms bbo");
    assert_eq!(
        on_disk(&store).holder(Role::Communications),
        Some("bbo"),
        "given"
    );
    let m = app.message.as_ref().expect("a note");
    assert!(
        m.text
            .contains("Gave communications to bbo, who has not opened or written to this incident: check the name"),
        "{}",
        m.text
    );
    send(&mut s, &mut app, ":role scribe bob");
    assert!(
        app.message
            .as_ref()
            .is_none_or(|m| !m.text.contains("check the name")),
        "{:?}",
        app.message
    );
}

#[test]
fn verified_means_evidence_and_the_pager_only_reports() {
    let (_tmp, _store, _s, mut app) = open(&[
        (
            "pager",
            Op::ReportSystem {
                name: "payments".into(),
                status: SystemStatus::Failing,
                source: "PagerDuty".into(),
            },
        ),
        (
            "carol",
            Op::SetSystem {
                name: "cart".into(),
                status: SystemStatus::Degraded,
                evidence: None,
                owner: None,
                note: None,
            },
        ),
        (
            "carol",
            Op::Depend {
                system: "cart".into(),
                on: "payments".into(),
            },
        ),
        (
            "carol",
            Op::Depend {
                system: "admin".into(),
                on: "cart".into(),
            },
        ),
    ]);
    let shown = screen(&mut app, Utc::now());
    assert!(shown.contains("reported by pager"), "{shown}");
    assert!(shown.contains("unverified ("), "{shown}");
    assert!(
        !shown.contains(" verified "),
        "nothing here was checked:\n{shown}"
    );
    let hurt = shown
        .lines()
        .find(|l| l.contains("Will hurt"))
        .unwrap_or_else(|| panic!("no Will hurt line:\n{shown}"));
    assert!(hurt.contains("admin") && !hurt.contains("cart"), "{hurt}");
}

/// The same, at fixed times: declared 14:00, resolved 14:47, looked at
/// three hours later.
#[test]
fn the_header_shows_how_long_it_lasted() {
    let mut f = crate::common::Fixture::declared("INC-1", crate::common::fixture_t0());
    f.apply(
        0,
        "alice",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    f.apply(47, "alice", Op::set_status(Status::Resolved));
    let t0 = f.t0;
    let mut app = App::new(
        Actor::named("alice"),
        incident::tui::app::Screen::Room(Box::new(incident::tui::app::Room::new(f.incident))),
    );
    let head = screen_of(&mut app, t0 + Duration::hours(3), 120);
    let head = head.lines().next().unwrap();
    assert!(
        head.contains("resolved · lasted 00:47:00 · IC alice"),
        "{head}"
    );
}

/// The question before marking it mitigated, as drawn at 80x24.
#[test]
fn the_question_before_mitigated_80x24() {
    let mut f = crate::common::Fixture::declared("INC-1", crate::common::fixture_t0());
    f.apply(
        0,
        "alice",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    f.apply(3, "carol", failing("stripe-gw"));
    f.apply(4, "carol", failing("cart"));
    let t0 = f.t0;
    let mut app = App::new(
        Actor::named("alice"),
        incident::tui::app::Screen::Room(Box::new(incident::tui::app::Room::new(f.incident))),
    );
    for c in ":status mitigated".chars() {
        app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), t0);
    }
    assert_eq!(
        app.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), t0),
        None,
        "nothing is written before the answer"
    );
    let shown = to_text(&draw(
        &mut app,
        &Theme::built_in("default").unwrap(),
        t0 + Duration::minutes(10),
        80,
        24,
    ));
    insta::assert_snapshot!(shown);
    // y writes the status with the question answered.
    assert_eq!(
        app.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE), t0),
        Some(incident::tui::app::Effect::Commit(Op::SetStatus {
            status: Status::Mitigated,
            force: true,
            keep_freeze: false,
        }))
    );
}

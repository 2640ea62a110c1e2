//! The human element with an injectable clock: team breaks everyone sees
//! the same, food and fatigue prompts at their times, breathing, standing
//! people down.

use crate::common::*;
use chrono::{Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Actor, Role, Severity, Status};
use incident::ops::Op;
use incident::store::Store;
use incident::store::presence::Here;
use incident::tui::app::{App, Effect, Overlay, Prompt};
use incident::tui::headless::{draw, to_text};
use incident::tui::session::Session;
use incident::tui::theme::Theme;

fn setup() -> (tempfile::TempDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    store
        .declare(&Actor::named("alice"), "Checkout errors", Severity::Sev2)
        .unwrap();
    let mut f = store.open("INC-1").unwrap();
    f.commit(
        &Actor::named("alice"),
        Op::ClaimRole {
            role: Role::Commander,
        },
    )
    .unwrap();
    f.commit(
        &Actor::named("erin"),
        Op::ClaimRole {
            role: Role::Communications,
        },
    )
    .unwrap();
    (tmp, store)
}

fn session(store: &Store, who: &str) -> (Session, App) {
    let mut s = Session::new(store.clone(), Actor::named(who));
    let screen = s.open("INC-1").unwrap();
    (s, App::new(Actor::named(who), screen))
}

fn screen(app: &mut App, now: chrono::DateTime<Utc>, w: u16, h: u16) -> String {
    to_text(&draw(app, &Theme::built_in("default").unwrap(), now, w, h))
}

#[test]
fn two_processes_see_the_same_break_countdown_and_both_hear_it_end() {
    let (_tmp, store) = setup();
    let mut f = store.open("INC-1").unwrap();
    f.commit(&Actor::named("alice"), Op::set_status(Status::Mitigated))
        .unwrap();
    let b = f.incident().breaks[0].clone();
    let mid = b.starts_at + Duration::minutes(5) + Duration::seconds(30);
    let (mut s1, mut a1) = session(&store, "bob");
    let (mut s2, mut a2) = session(&store, "carol");
    let v1 = screen(&mut a1, mid, 80, 24);
    let v2 = screen(&mut a2, mid, 80, 24);
    let banner = |v: &str| {
        v.lines()
            .find(|l| l.contains("TEAM BREAK"))
            .map(str::to_string)
    };
    assert_eq!(banner(&v1), banner(&v2), "identical on both");
    assert!(banner(&v1).unwrap().contains("09:30 left"), "{v1}");
    assert!(
        banner(&v1).unwrap().contains("automatic: impact ceased"),
        "{v1}"
    );
    // Ticking through the end: each says so and rings.
    assert!(!s1.tick(&mut a1, mid));
    assert!(!s2.tick(&mut a2, mid));
    let after = b.ends_at + Duration::seconds(1);
    assert!(s1.tick(&mut a1, after), "rings the bell");
    assert!(s2.tick(&mut a2, after));
    assert!(
        a1.message
            .as_ref()
            .unwrap()
            .text
            .contains("The break is over")
    );
    assert!(!screen(&mut a1, after, 80, 24).contains("TEAM BREAK"));
    // Switched off: no bell, still the message.
    let (mut s3, mut a3) = session(&store, "dave");
    s3.bell = false;
    s3.tick(&mut a3, mid);
    assert!(!s3.tick(&mut a3, after));
}

#[test]
fn the_commander_is_asked_about_food_at_its_time() {
    let (_tmp, store) = setup();
    let declared = store.open("INC-1").unwrap().incident().declared_at;
    let (mut s, mut a) = session(&store, "alice");
    s.tick(&mut a, declared + Duration::minutes(170));
    a.now = declared + Duration::minutes(170);
    assert!(a.prompt().is_none(), "not yet");
    let due = declared + Duration::minutes(181);
    s.tick(&mut a, due);
    a.now = due;
    assert!(
        matches!(a.prompt(), Some(Prompt::Food { .. })),
        "{:?}",
        a.prompt()
    );
    assert!(screen(&mut a, due, 100, 30).contains("order food now"));
    let e = a.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE), due);
    assert_eq!(e, Some(Effect::Commit(Op::OrderFood { note: None })));
    // Others are not asked.
    let (mut s2, mut b) = session(&store, "bob");
    s2.tick(&mut b, due);
    b.now = due;
    assert!(b.prompt().is_none());
}

#[test]
fn the_commander_is_told_who_has_been_on_too_long_and_stands_them_down() {
    let (_tmp, store) = setup();
    let mut f = store.open("INC-1").unwrap();
    f.commit(
        &Actor::named("bob"),
        Op::Log {
            kind: incident::model::LogKind::Note,
            text: "on it".into(),
        },
    )
    .unwrap();
    let start = f.incident().declared_at;
    let (mut s, mut a) = session(&store, "alice");
    let here = |who: &str| Here {
        actor: Actor::named(who),
        joined_at: start,
        pid: 1,
    };
    a.room_mut().unwrap().around.here = vec![here("alice"), here("bob")];
    s.tick(&mut a, start + Duration::hours(2));
    assert!(a.message.is_none());
    let late = start + Duration::hours(6) + Duration::minutes(1);
    s.tick(&mut a, late);
    let m = a.message.clone().unwrap().text;
    assert!(
        m.contains("bob") && m.contains("over 6h") && m.contains(":detach"),
        "{m}"
    );
    // Said once per person.
    a.message = None;
    s.tick(&mut a, late + Duration::minutes(1));
    assert!(a.message.is_none());
    // The break pane shows time on the incident, highlighted.
    let v = screen(&mut a, late, 120, 30);
    assert!(v.contains("bob 6h01m"), "{v}");

    // Standing bob down: his screen says so, calmly, once.
    f.commit(
        &Actor::named("alice"),
        Op::Detach {
            user: "bob".into(),
            note: Some("sleep".into()),
        },
    )
    .unwrap();
    let (_sb, mut b) = session(&store, "bob");
    let v = screen(&mut b, late, 100, 30);
    assert!(
        v.contains("alice stood you down") && v.contains("rest"),
        "{v}"
    );
    b.handle_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE), late);
    assert!(!screen(&mut b, late, 100, 30).contains("stood you down"));
    // The key that closed it only closed it: nothing lands in the bar.
    assert_eq!(b.room().unwrap().input.line.value(), "");
}

#[test]
fn breathing_is_shown_for_ten_seconds_and_any_key_skips_it() {
    let (_tmp, store) = setup();
    let (_s, mut a) = session(&store, "bob");
    let t = Utc::now();
    a.overlay = Some(Overlay::Breathe { since: t });
    let v = screen(&mut a, t + Duration::seconds(1), 80, 24);
    assert!(
        v.contains("Breathe in") && v.contains("9s · any key skips"),
        "{v}"
    );
    let v = screen(&mut a, t + Duration::seconds(5), 80, 24);
    assert!(v.contains("Breathe out"), "{v}");
    a.end_breathing(t + Duration::seconds(9));
    assert!(a.overlay.is_some());
    a.end_breathing(t + Duration::seconds(10));
    assert!(a.overlay.is_none(), "over after ten seconds");
    a.overlay = Some(Overlay::Breathe { since: t });
    assert_eq!(
        a.handle_key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE), t),
        None
    );
    assert!(
        a.overlay.is_none() && !a.quit,
        "a key skips it and is not acted on"
    );
    // ... nor typed: the key that skips it lands nowhere.
    assert_eq!(a.room().unwrap().input.line.value(), "");
    // Space skips it too, and leaves no invisible leading space.
    a.overlay = Some(Overlay::Breathe { since: t });
    a.handle_key(KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE), t);
    assert!(a.overlay.is_none());
    assert_eq!(a.room().unwrap().input.line.value(), "");
}

#[test]
fn a_colon_typed_into_a_screen_on_top_begins_the_command_never_a_note() {
    // bob types `:break 15m lunch` and Enter as the breathing pause comes
    // up: the colon closes it, and the rest must be the command he meant,
    // not a note "break 15m lunch" to everyone.
    let (_tmp, store) = setup();
    let (_s, mut a) = session(&store, "bob");
    let t = Utc::now();
    for top in [
        Overlay::Breathe { since: t },
        Overlay::Help(0),
        Overlay::Responders,
    ] {
        a.overlay = Some(top);
        for c in ":break 15m lunch".chars() {
            a.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), t);
        }
        assert!(a.overlay.is_none());
        assert_eq!(a.room().unwrap().input.line.value(), ":break 15m lunch");
        let effect = a.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), t);
        match effect {
            Some(Effect::Commit(Op::Log { text, .. })) => panic!("sent as a note: {text:?}"),
            Some(Effect::Commit(_)) => {}
            other => panic!("not the command: {other:?} {:?}", a.message),
        }
        a.room_mut().unwrap().input.sending = None;
    }
    // Any other key still only closes it.
    a.overlay = Some(Overlay::Breathe { since: t });
    a.handle_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE), t);
    assert_eq!(a.room().unwrap().input.line.value(), "");
}

#[test]
fn a_leading_space_is_trimmed_before_deciding_note_or_command() {
    let (_tmp, store) = setup();
    let (_s, mut a) = session(&store, "alice");
    let t = Utc::now();
    for c in " :cadence 15 ".chars() {
        a.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), t);
    }
    let effect = a.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), t);
    match effect {
        Some(Effect::Commit(Op::Log { text, .. })) => panic!("sent as a note: {text:?}"),
        Some(Effect::Commit(_)) => {}
        other => panic!("not the command: {other:?} {:?}", a.message),
    }
    // A note is sent without the blanks around it.
    for c in "  checking db-2  ".chars() {
        a.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), t);
    }
    let effect = a.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), t);
    assert!(
        matches!(effect, Some(Effect::Commit(Op::Log { ref text, .. })) if text == "checking db-2"),
        "{effect:?}"
    );
}

#[test]
fn a_key_that_closes_a_screen_never_answers_a_prompt_behind_it() {
    let (_tmp, store) = setup();
    let mut f = store
        .declare(&Actor::named("alice"), "Checkout errors", Severity::Sev2)
        .unwrap();
    f.commit(
        &Actor::named("alice"),
        Op::ClaimRole {
            role: Role::Commander,
        },
    )
    .unwrap();
    f.commit(
        &Actor::named("carol"),
        Op::Announce {
            text: "restart payments-1".into(),
            mitigation: None,
        },
    )
    .unwrap();
    let (_s, mut a) = session(&store, "alice");
    let t = Utc::now();
    a.overlay = Some(Overlay::Breathe { since: t });
    // alice presses y to get past the breathing screen: R1 is not cleared.
    let effect = a.handle_key(KeyEvent::new(KeyCode::Char('y'), KeyModifiers::NONE), t);
    assert_eq!(effect, None);
    assert!(a.overlay.is_none());
    assert_eq!(a.room().unwrap().input.line.value(), "", "nor typed");
    a.overlay = Some(Overlay::Responders);
    a.handle_key(KeyEvent::new(KeyCode::Char('e'), KeyModifiers::NONE), t);
    assert!(a.overlay.is_none());
    assert_eq!(a.room().unwrap().input.line.value(), "");
    a.overlay = Some(Overlay::Assumptions);
    a.handle_key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE), t);
    assert!(a.overlay.is_none());
    assert_eq!(a.room().unwrap().input.line.value(), "");
    a.overlay = Some(Overlay::Help(0));
    a.handle_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE), t);
    assert!(a.overlay.is_none());
    assert_eq!(a.room().unwrap().input.line.value(), "");
}

#[test]
fn breaks_food_and_stand_downs_from_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(
        dir.join("incident.toml"),
        "[human]\nteam_break = 20\nprocedure_pause = 1\n",
    )
    .unwrap();
    let id = declare(dir, "Search down");
    let as_ = |who: &'static str, args: &[&'static str]| [&["--name", who][..], args].concat();
    ok(dir, &as_("alice", &["role", "claim", "ic"]));
    ok(dir, &as_("alice", &["status", "mitigated"]));
    let shown = show_json(dir, &id);
    let b = &shown["breaks"][0];
    assert_eq!(
        (b["kind"].as_str(), b["started_by"].as_str()),
        (Some("team"), Some("alice"))
    );
    let starts: chrono::DateTime<Utc> = b["starts_at"].as_str().unwrap().parse().unwrap();
    let ends: chrono::DateTime<Utc> = b["ends_at"].as_str().unwrap().parse().unwrap();
    assert_eq!(
        ends - starts,
        Duration::minutes(20),
        "the team's configured length"
    );
    assert!(b["reason"].as_str().unwrap().contains("impact ceased"));

    let err = fails(dir, &as_("bob", &["break", "end"]), 1);
    assert!(err.contains("only the commander (alice)"), "{err}");
    ok(dir, &as_("alice", &["break", "end"]));
    ok(dir, &as_("alice", &["break", "10m", "long", "night"]));
    assert_eq!(show_json(dir, &id)["breaks"][1]["reason"], "long night");
    ok(dir, &as_("alice", &["break", "end"]));
    assert!(fails(dir, &as_("alice", &["break", "soon"]), 2).contains("15m"));

    // A procedure pauses everyone first; the commander can skip the pause.
    let mut run = cmd(dir)
        .args(as_(
            "carol",
            &["run", "--procedure", "--", "sh", "-c", "echo recovering"],
        ))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    // While alice commands, it asks for her go first.
    let pending = loop {
        let shown = show_json(dir, &id);
        if let Some(r) = shown["requests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["state"] == "pending")
        {
            break r["id"].as_u64().unwrap();
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "no go was asked for"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!(show_json(dir, &id)["breaks"].as_array().unwrap().len(), 2);
    let pending = format!("R{pending}");
    ok(dir, &["--name", "alice", "answer", &pending, "go"]);
    while show_json(dir, &id)["breaks"].as_array().unwrap().len() < 3 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "no pause was called"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(show_json(dir, &id)["breaks"][2]["kind"], "procedure");
    assert!(
        run.try_wait().unwrap().is_none(),
        "the command waits for the pause"
    );
    ok(dir, &as_("alice", &["break", "end"]));
    assert!(run.wait().unwrap().success());
    assert!(
        texts(&show_json(dir, &id))
            .iter()
            .any(|t| t == "pause before the procedure skipped by alice")
    );

    ok(dir, &as_("bob", &["food", "pizza", "for", "six"]));
    assert!(
        texts(&show_json(dir, &id))
            .iter()
            .any(|t| t.starts_with("food ordered by bob — expense it"))
    );
    ok(
        dir,
        &as_("alice", &["detach", "bob", "get", "some", "sleep"]),
    );
    assert_eq!(
        show_json(dir, &id)["detached"]["bob"]["note"],
        "get some sleep"
    );
}

/// `:detach bob` shows on bob's own screen as it happens: the notice
/// naming who stood him down and what it means, and the message bar says
/// it in place of the stale line it held.
#[test]
fn a_responder_stood_down_sees_it_on_his_own_screen() {
    use incident::tui::app::{Msg, Room, Screen};
    let t0 = fixture_t0();
    let mut inc = Fixture::declared("INC-7", t0).incident;
    apply_to(
        &mut inc,
        t0,
        1,
        "alice",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    let mut b = App::new(
        Actor::named("bob"),
        Screen::Room(Box::new(Room::new(inc.clone()))),
    );
    b.info("R1 go from alice: \"restart payments-1\"");
    apply_to(
        &mut inc,
        t0,
        5,
        "alice",
        Op::Detach {
            user: "bob".into(),
            note: Some("get some sleep".into()),
        },
    );
    b.update(Msg::Incident(&inc));
    let said = b.message.clone().unwrap().text;
    assert!(
        said.starts_with("alice stood you down") && said.contains("off this incident"),
        "{said}"
    );
    let now = t0 + Duration::minutes(6);
    for (w, h) in [(80, 24), (120, 35), (200, 50)] {
        let v = screen(&mut b, now, w, h);
        assert!(
            v.contains("alice stood you down at") && !v.contains("restart payments-1"),
            "{w}x{h}: {v}"
        );
        insta::assert_snapshot!(format!("stood_down_{w}x{h}"), v);
    }
    // Any key closes the notice (and is not typed).
    b.handle_key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE), now);
    assert!(!screen(&mut b, now, 80, 24).contains("stood you down at"));
    assert_eq!(b.room().unwrap().input.line.value(), "");
}

#[test]
fn a_colon_into_the_pause_begins_the_command_when_the_brief_comes_up_after_it() {
    // bob, paged in an hour into the incident, types `:break 15m lunch`
    // as the breathing pause comes up; the pause gives way to his brief
    // (he was never here, and it has been going a while). The
    // colon began the command: the brief is not put on top of it, so the
    // 'b' that follows is typed, not swallowed closing the brief (which
    // left ':reak 15m lunch').
    let (_tmp, store) = setup();
    let (_s, mut a) = session(&store, "bob");
    let t = Utc::now() + chrono::Duration::hours(1);
    {
        let room = a.room_mut().unwrap();
        room.arrival = incident::model::arrival::on_opening(&room.incident, "bob", false, None, t)
            .map(Box::new);
        assert!(room.arrival.is_some(), "bob has a brief to read");
    }
    a.overlay = Some(Overlay::Breathe { since: t });
    for c in ":break 15m lunch".chars() {
        a.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE), t);
    }
    assert_eq!(a.room().unwrap().input.line.value(), ":break 15m lunch");
    // The brief is still to be read, once the command is out of the way.
    assert!(a.overlay.is_none() && a.room().unwrap().arrival.is_some());
    a.update(incident::tui::app::Msg::Tick(t));
    assert!(a.overlay.is_none(), "the brief came up over the line");
    a.room_mut().unwrap().input.line = Default::default();
    a.update(incident::tui::app::Msg::Tick(t));
    assert!(
        matches!(a.overlay, Some(Overlay::Arrival(_))),
        "{:?}",
        a.overlay
    );
}

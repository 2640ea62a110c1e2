//! The live view's file side: nudges for empty roles, on a real store.

use chrono::{Duration, Utc};
use incident::model::{Actor, LogKind, Severity};
use incident::store::Store;
use incident::tui::app::App;
use incident::tui::session::Session;

#[test]
fn an_empty_commander_role_is_nudged_on_screen_and_logged_once() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    store
        .declare(&alice, "Checkout errors", Severity::Sev2)
        .unwrap();
    let t0 = Utc::now();

    // Two responders have it open.
    let mut sessions: Vec<(Session, App)> = ["alice", "bob"]
        .into_iter()
        .map(|who| {
            let mut s = Session::new(store.clone(), Actor::named(who));
            let screen = s.open("INC-1").unwrap();
            (s, App::new(Actor::named(who), screen))
        })
        .collect();

    for (s, app) in &mut sessions {
        s.tick(app, t0 + Duration::seconds(30));
        assert!(app.message.is_none(), "too early to nag");
    }
    for (s, app) in &mut sessions {
        s.refresh(app);
        // Read off the view's loop: wait for it as the view would.
        s.settle(app, std::time::Duration::from_secs(10));
        s.tick(app, t0 + Duration::minutes(3));
        // The nudge is written off the loop; wait for it as a view would.
        s.settle(app, std::time::Duration::from_secs(10));
        let m = app.message.as_ref().expect("nudged on screen");
        assert!(
            m.text.contains("no commander")
                && m.text.contains(":claim ic")
                && m.text.contains(":claim comms"),
            "{}",
            m.text
        );
    }
    let nudges = |store: &Store| {
        let f = store.open("INC-1").unwrap();
        f.incident()
            .log
            .iter()
            .filter(|e| e.kind == LogKind::Nudge)
            .count()
    };
    // commander and communications, once each, though two copies ticked.
    assert_eq!(nudges(&store), 2);
    // Signed by the tool, not by whoever's view wrote them; the record
    // keeps whose view that was, for the audit.
    let f = store.open("INC-1").unwrap();
    for e in f.incident().log.iter().filter(|e| e.kind == LogKind::Nudge) {
        assert_eq!(e.by, "incident", "{e:?}");
    }
    let raw = std::fs::read_to_string(f.path()).unwrap();
    let signed: Vec<serde_json::Value> = raw
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["op"] == "nudge")
        .map(|v| v["by"].clone())
        .collect();
    assert_eq!(signed.len(), 2);
    for by in &signed {
        assert_eq!(by["name"], "incident", "{by}");
        assert!(by["user"] == "alice" || by["user"] == "bob", "{by}");
    }
    // Nobody wrote anything themselves: alice's last sign of life is
    // still her declaration, not a nudge her view wrote.
    assert_eq!(
        incident::model::away::last_write(f.incident(), "alice"),
        Some(f.incident().declared_at)
    );

    // Later ticks do not add to the log; the screen reminder repeats.
    let (s, app) = &mut sessions[0];
    app.message = None;
    s.tick(app, t0 + Duration::minutes(4));
    assert!(app.message.is_none(), "not every second");
    s.tick(app, t0 + Duration::minutes(6));
    assert!(app.message.is_some(), "again after five minutes");
    s.settle(app, std::time::Duration::from_secs(10));
    assert_eq!(nudges(&store), 2);
}

/// Opening with a broken playbook and a section edit cut short last time:
/// both are said, the kept edit first.
#[test]
fn a_broken_playbook_does_not_hide_that_an_edit_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    store
        .declare(&alice, "Checkout errors", Severity::Sev2)
        .unwrap();
    std::fs::write(tmp.path().join("playbooks.toml"), "this is [not toml").unwrap();
    let mut s = Session::new(store, alice);
    s.state_dir = Some(state.path().to_path_buf());
    incident::tui::history::save_doc_draft(
        s.mine().as_deref(),
        "INC-1",
        Some(("summary", 0, "EU cards fail at checkout".into())),
    );
    s.open("INC-1").unwrap();
    let said = s.startup_error.take().expect("something to say");
    let (back, broken) = (said.find("Summary edit"), said.find("playbooks.toml"));
    assert!(
        matches!((back, broken), (Some(b), Some(p)) if b < p),
        "{said}"
    );
}

/// A key of `incident.toml` this version does not know is said once in
/// the message bar (with what it may have meant), and the view opens.
#[test]
fn an_unknown_team_setting_is_said_once_and_the_view_opens() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    store
        .declare(&alice, "Checkout errors", Severity::Sev2)
        .unwrap();
    store
        .declare(&alice, "Payments latency", Severity::Sev3)
        .unwrap();
    std::fs::write(
        tmp.path().join("incident.toml"),
        "takeover_after = 9\n[human]\nbreathng = false\n",
    )
    .unwrap();
    let mut s = Session::new(store, alice);
    s.open("INC-1").unwrap();
    let said = s.startup_error.take().expect("something to say");
    assert!(
        said.contains("unknown key 'human.breathng' is ignored (did you mean 'human.breathing'?)"),
        "{said}"
    );
    // Opening another incident in the same view does not say it again.
    s.open("INC-2").unwrap();
    assert_eq!(s.startup_error, None);
}

/// The welcome form declares the way the command line does: the team's
/// service map beside the incidents is in the new incident; a broken one
/// declares nothing and says why.
#[test]
fn declaring_from_the_form_loads_the_teams_service_map() {
    use incident::tui::app::Effect;
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/systems/systems.toml"
        ),
        tmp.path().join("systems.toml"),
    )
    .unwrap();
    let mut s = Session::new(store.clone(), Actor::named("alice"));
    let screen = s.initial_screen(None).unwrap();
    let mut app = App::new(Actor::named("alice"), screen);
    s.perform(
        Effect::Declare {
            title: "Checkout errors".into(),
            severity: Severity::Sev2,
            force: false,
        },
        &mut app,
    );
    // Declared off the view's loop: wait for it as the view would.
    s.settle(&mut app, std::time::Duration::from_secs(10));
    let inc = store.open("INC-1").unwrap().incident().clone();
    assert!(!inc.systems.is_empty(), "the team's map was loaded");

    std::fs::write(tmp.path().join("systems.toml"), "[[system]\nbroken").unwrap();
    s.perform(
        Effect::Declare {
            title: "Something else entirely".into(),
            severity: Severity::Sev3,
            force: true,
        },
        &mut app,
    );
    s.settle(&mut app, std::time::Duration::from_secs(10));
    let m = app.message.as_ref().expect("told why");
    assert!(m.text.contains("systems.toml"), "{}", m.text);
    assert!(store.open("INC-2").is_err(), "nothing declared");
}

#[test]
fn a_freeze_another_incident_holds_is_on_this_incidents_banner_too() {
    use incident::model::{Role, Status};
    use incident::ops::Op;
    use incident::store::watch::Change;
    use incident::tui::headless::{draw, to_text};
    use incident::tui::theme::Theme;
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    let mut first = store
        .declare(&alice, "Checkout errors", Severity::Sev2)
        .unwrap();
    for op in [
        Op::ClaimRole {
            role: Role::Commander,
        },
        Op::Freeze {
            reason: Some("checkout rollback in flight".into()),
        },
        Op::SetStatus {
            status: Status::Resolved,
            force: true,
            keep_freeze: true,
        },
    ] {
        first.commit(&alice, op).unwrap();
    }
    let second = store
        .declare(&alice, "Search latency", Severity::Sev3)
        .unwrap();
    let second_id = second.incident().id.clone();
    let mut s = Session::new(store.clone(), Actor::named("bob"));
    let screen = s.open(&second_id).unwrap();
    let mut app = App::new(Actor::named("bob"), screen);
    let theme = Theme::built_in("default").unwrap();
    let shown = |app: &mut App| to_text(&draw(app, &theme, Utc::now(), 120, 35));
    let v = shown(&mut app);
    let banner = v.lines().nth(1).unwrap();
    assert!(
        banner.contains("DEPLOYS FROZEN by INC-1")
            && banner.contains("checkout rollback in flight")
            && banner.contains("kept after the incident was resolved"),
        "{v}"
    );
    // Lifting it there takes it off here, as `freeze status` would say.
    first.commit(&alice, Op::Unfreeze).unwrap();
    s.refresh_others(&mut app, &[Change::File(first.path().to_path_buf())]);
    // Looked at off the view's loop: wait for it as the view would.
    s.settle(&mut app, std::time::Duration::from_secs(10));
    let v = shown(&mut app);
    assert!(!v.contains("DEPLOYS FROZEN"), "{v}");
}

/// The disk is slow (the team's playbook is a pipe nobody has written to
/// yet, so reading it waits): opening an incident waits off the view's
/// loop, keys keep landing meanwhile, and the war room shows once the
/// read is done.
#[test]
fn a_slow_disk_never_holds_up_keys_while_an_incident_opens() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use incident::tui::app::{Effect, Msg, Screen};
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    store
        .declare(&alice, "Checkout errors", Severity::Sev2)
        .unwrap();
    store
        .declare(&alice, "Search slow", Severity::Sev3)
        .unwrap();
    let mut s = Session::new(store.clone(), alice.clone());
    let screen = s.initial_screen(None).unwrap();
    let mut app = App::new(alice, screen);
    assert!(matches!(app.screen, Screen::Picker(_)));
    let pipe = tmp.path().join("playbooks.toml");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .expect("mkfifo(1) from coreutils");
    assert!(made.success());
    // The disk answers (an empty playbook) after a second and a half: a
    // view that waited for it would fail the first check below, not hang.
    let answer = {
        let pipe = pipe.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(1500));
            std::fs::write(&pipe, "").unwrap();
        })
    };

    let asked = std::time::Instant::now();
    s.perform(Effect::Open("INC-1".into()), &mut app);
    assert!(
        asked.elapsed() < std::time::Duration::from_millis(500),
        "the open waited on the loop: {:?}",
        asked.elapsed()
    );
    let m = app.message.as_ref().map(|m| m.text.clone());
    assert_eq!(m.as_deref(), Some("Opening INC-1…"));
    // Keys land while the read waits.
    for _ in 0..3 {
        let key = KeyEvent::new(KeyCode::Down, KeyModifiers::NONE);
        let effects = app.update(Msg::Key(key, chrono::Utc::now()));
        s.perform_all(effects, &mut app);
        s.apply_outcomes(&mut app);
    }
    std::thread::sleep(std::time::Duration::from_millis(200));
    s.apply_outcomes(&mut app);
    match &app.screen {
        Screen::Picker(p) => assert_eq!(p.selected, 1, "the keys moved the picker"),
        _ => panic!("opened before the playbook could be read"),
    }

    // Once the disk has answered, the war room shows.
    answer.join().unwrap();
    s.settle(&mut app, std::time::Duration::from_secs(10));
    match &app.screen {
        Screen::Room(room) => assert_eq!(room.incident.id, "INC-1"),
        _ => panic!("the incident did not open: {:?}", app.message),
    }
    assert!(app.message.is_none(), "{:?}", app.message);
}

/// A draft typed in INC-1 of one incident directory (a drill's) is never
/// offered in INC-1 of another (the team's): state is kept per directory.
#[test]
fn a_draft_in_one_directory_is_not_offered_in_another() {
    let state = tempfile::tempdir().unwrap();
    let (drill, team) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let bob = Actor::named("bob");
    let open = |dir: &std::path::Path| {
        let store = Store::new(dir);
        if store.open("INC-1").is_err() {
            store
                .declare(&bob, "Checkout errors", Severity::Sev2)
                .unwrap();
        }
        let mut s = Session::new(store, bob.clone());
        s.state_dir = Some(state.path().to_path_buf());
        let screen = s.open("INC-1").unwrap();
        (s, App::new(bob.clone(), screen))
    };
    let (s, mut a) = open(drill.path());
    a.room_mut().unwrap().input.line = tui_input::Input::new("drill: pretend db-2".to_string());
    s.save_draft(&a);
    let (s, b) = open(team.path());
    assert!(b.room().unwrap().kept.is_empty());
    assert_eq!(s.startup_error, None);
    let (s, a) = open(drill.path());
    assert_eq!(
        a.room().unwrap().kept.note.as_deref(),
        Some("drill: pretend db-2")
    );
    assert!(s.startup_error.unwrap_or_default().contains(":resume"));
}

/// The picker puts the worst incident first, then the oldest of equal
/// severity: a newer SEV3 is never pre-selected above a SEV1.
#[test]
fn the_picker_orders_by_severity_then_age() {
    use incident::tui::app::Screen;
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    for (title, sev) in [
        ("Search slow", Severity::Sev3),
        ("Payments down", Severity::Sev1),
        ("Login errors", Severity::Sev3),
        ("Checkout errors", Severity::Sev2),
    ] {
        store.declare(&alice, title, sev).unwrap();
        // Declared apart, so age is not a tie.
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut s = Session::new(store.clone(), alice.clone());
    let screen = s.initial_screen(None).unwrap();
    let app = App::new(alice, screen);
    let Screen::Picker(p) = &app.screen else {
        panic!("two or more active incidents open the picker");
    };
    let order: Vec<&str> = p.items.iter().map(|i| i.incident.id.as_str()).collect();
    assert_eq!(order, ["INC-2", "INC-4", "INC-1", "INC-3"]);
    assert_eq!(p.selected, 0, "the worst is pre-selected");
}

/// A second incident declared in the same directory shows on the first
/// one's view once the view looks again (as its watcher makes it within a
/// second): id, severity, status, the system both share, and `:merge`
/// offered. A drill failing the same system is left out.
#[test]
fn another_incident_declared_shows_on_the_open_view_naming_what_it_shares() {
    use incident::model::SystemStatus;
    use incident::ops::Op;
    use incident::store::Intro;
    use incident::store::watch::Change;
    use incident::tui::headless::{draw, to_text};
    use incident::tui::theme::Theme;
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    let failing = |name: &str| Op::ReportSystem {
        name: name.into(),
        status: SystemStatus::Failing,
        source: "PagerDuty".into(),
    };
    let with = |ops: Vec<Op>| Intro {
        skip_broken_map: true,
        then: ops,
        ..Default::default()
    };
    store
        .declare_as(
            &alice,
            "Checkout errors",
            Severity::Sev2,
            with(vec![failing("payments")]),
        )
        .unwrap();
    let mut s = Session::new(store.clone(), Actor::named("bob"));
    let screen = s.open("INC-1").unwrap();
    let mut app = App::new(Actor::named("bob"), screen);
    let theme = Theme::built_in("default").unwrap();
    let shown = |app: &mut App| to_text(&draw(app, &theme, Utc::now(), 120, 35));
    assert!(!shown(&mut app).contains("Others:"));

    // A drill on the same system, then a real incident.
    let drill = store
        .declare_as(
            &alice,
            "Drill: payments down",
            Severity::Sev1,
            with(vec![
                Op::StartDrill {
                    scenario: "payments".into(),
                    speed: 1,
                },
                failing("payments"),
            ]),
        )
        .unwrap();
    assert!(drill.incident().is_drill());
    let second = store
        .declare_as(
            &alice,
            "Payments latency",
            Severity::Sev1,
            with(vec![failing("payments"), failing("ledger")]),
        )
        .unwrap();
    s.refresh_others(
        &mut app,
        &[
            Change::File(drill.path().to_path_buf()),
            Change::File(second.path().to_path_buf()),
        ],
    );
    s.settle(&mut app, std::time::Duration::from_secs(10));
    let v = shown(&mut app);
    let line = v
        .lines()
        .find(|l| l.contains("Others:"))
        .unwrap_or_else(|| panic!("no line for INC-3:\n{v}"));
    assert!(
        line.contains("INC-3 SEV1 investigating, shares payments :merge INC-3"),
        "{line}"
    );
    assert!(!v.contains("INC-2"), "the drill is left out:\n{v}");

    // A rescan (the watcher lost track) finds it too, on a fresh view.
    let mut s2 = Session::new(store.clone(), Actor::named("carol"));
    let screen = s2.open("INC-1").unwrap();
    let mut app2 = App::new(Actor::named("carol"), screen);
    s2.refresh_others(&mut app2, &[Change::Rescan]);
    s2.settle(&mut app2, std::time::Duration::from_secs(10));
    let v = shown(&mut app2);
    assert!(v.contains("INC-3 SEV1 investigating"), "{v}");
    assert!(!v.contains("INC-2"), "{v}");

    // Once it is resolved, the line goes.
    let mut second = second;
    for op in [
        Op::ClaimRole {
            role: incident::model::Role::Commander,
        },
        Op::SetStatus {
            status: incident::model::Status::Resolved,
            force: true,
            keep_freeze: false,
        },
    ] {
        second.commit(&alice, op).unwrap();
    }
    s.refresh_others(&mut app, &[Change::File(second.path().to_path_buf())]);
    s.settle(&mut app, std::time::Duration::from_secs(10));
    let v = shown(&mut app);
    assert!(!v.contains("Others:"), "{v}");
}

/// The disk is slow while the open incident is read again after someone
/// else wrote to it (the read waits until the disk answers, a second and
/// a half on): the change is read off the view's loop, keys keep landing
/// and frames keep drawing meanwhile, changes arriving while the read is
/// out (another's writes, and this view's own) make one more read after
/// it (not one each, and none lost), and the new entries show once the
/// disk has answered, in the order written.
#[test]
fn a_slow_disk_never_holds_up_keys_while_the_incident_is_read_again() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use incident::ops::Op;
    use incident::tui::app::Msg;
    use incident::tui::headless::{draw, to_text};
    use incident::tui::theme::Theme;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Condvar, Mutex};
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    let mut theirs = store
        .declare(&alice, "Checkout errors", Severity::Sev2)
        .unwrap();
    let mut s = Session::new(store.clone(), Actor::named("bob"));
    let screen = s.open("INC-1").unwrap();
    let mut app = App::new(Actor::named("bob"), screen);
    let theme = Theme::built_in("default").unwrap();

    // Every read of the incident waits until the disk has answered.
    let answered = Arc::new((Mutex::new(false), Condvar::new()));
    let reads = Arc::new(AtomicUsize::new(0));
    {
        let (answered, reads) = (answered.clone(), reads.clone());
        s.before_read = Some(Arc::new(move || {
            reads.fetch_add(1, Ordering::SeqCst);
            let (lock, cv) = &*answered;
            let mut done = lock.lock().unwrap();
            while !*done {
                done = cv.wait(done).unwrap();
            }
        }));
    }
    // A view that read on its loop would fail the first check below
    // after a second and a half, not hang.
    let answer = {
        let answered = answered.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(1500));
            *answered.0.lock().unwrap() = true;
            answered.1.notify_all();
        })
    };
    let note = |text: &str| Op::Log {
        kind: incident::model::LogKind::Note,
        text: text.into(),
    };

    theirs
        .commit(&alice, note("pool exhausted on db-2"))
        .unwrap();
    let asked = std::time::Instant::now();
    s.refresh(&mut app);
    assert!(
        asked.elapsed() < std::time::Duration::from_millis(500),
        "the read waited on the loop: {:?}",
        asked.elapsed()
    );
    // Keys land and frames draw while the read waits.
    let press = |s: &mut Session, app: &mut App, code: KeyCode| {
        let effects = app.update(Msg::Key(
            KeyEvent::new(code, KeyModifiers::NONE),
            Utc::now(),
        ));
        s.perform_all(effects, app);
        s.apply_outcomes(app);
    };
    for c in "bob on db-3".chars() {
        press(&mut s, &mut app, KeyCode::Char(c));
    }
    assert_eq!(app.room().unwrap().input.line.value(), "bob on db-3");
    let frame = to_text(&draw(&mut app, &theme, Utc::now(), 120, 35));
    assert!(!frame.contains("pool exhausted"), "{frame}");
    // More is written while the read is out: each change event asks again.
    theirs.commit(&alice, note("failing over to db-3")).unwrap();
    s.refresh(&mut app);
    theirs.commit(&alice, note("error rate falling")).unwrap();
    s.refresh(&mut app);
    // And this view writes too: its own entry shows after the read.
    press(&mut s, &mut app, KeyCode::Enter);
    assert_eq!(app.room().unwrap().input.line.value(), "");
    assert!(
        asked.elapsed() < std::time::Duration::from_millis(1000),
        "the reads waited on the loop: {:?}",
        asked.elapsed()
    );

    // Once the disk has answered, every entry shows, in the order written.
    answer.join().unwrap();
    s.settle(&mut app, std::time::Duration::from_secs(10));
    let frame = to_text(&draw(&mut app, &theme, Utc::now(), 120, 35));
    let at = |text: &str| {
        frame
            .find(text)
            .unwrap_or_else(|| panic!("{text:?} not shown:\n{frame}"))
    };
    assert!(at("pool exhausted") < at("failing over to db-3"), "{frame}");
    assert!(
        at("failing over to db-3") < at("error rate falling"),
        "{frame}"
    );
    assert!(at("error rate falling") < at("bob on db-3"), "{frame}");
    assert_eq!(s.sending(), 0);
    theirs.refresh().unwrap();
    assert_eq!(
        app.room().unwrap().incident.revision,
        theirs.incident().revision
    );
    // The first read, and one more for all that arrived while it was out.
    assert_eq!(reads.load(Ordering::SeqCst), 2);
    assert!(app.message.is_none(), "{:?}", app.message);
}

/// This view's write is reported while the open incident is out being
/// read (a slow disk), and another incident is opened before the read is
/// back: how the write went is still said (here, refused: the text comes
/// back to fix), not held until the new incident happens to change.
#[test]
fn a_write_reported_while_a_read_is_out_is_said_when_another_incident_opens() {
    use incident::tui::app::Msg;
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let mut first = store
        .declare(&Actor::named("alice"), "Checkout errors", Severity::Sev2)
        .unwrap();
    store
        .declare(&Actor::named("alice"), "Search is slow", Severity::Sev3)
        .unwrap();
    let mut s = Session::new(store.clone(), Actor::named("bob"));
    let mut app = App::new(Actor::named("bob"), s.open("INC-1").unwrap());
    // This view's call for a team nobody set up is refused by the writer.
    let disk = refused_while_a_read_is_held(&mut s, &mut app, &mut first, ":escalate dba help");
    // Another incident opens before the read is back.
    let screen = Box::new(s.open("INC-2").unwrap());
    s.tell(&mut app, Msg::Show { screen, said: None });
    disk.answer();
    s.settle(&mut app, std::time::Duration::from_secs(10));
    let m = app.message.as_ref().expect("how the write went is said");
    assert!(m.text.contains("no responder team 'dba'"), "{}", m.text);
    assert_eq!(app.room().unwrap().input.line.value(), ":escalate dba help");
}

/// A refused write whose outcome waits for a read held up by the disk,
/// then Ctrl-C: the text is kept as the draft (the next view offers it),
/// not lost with the read that never came back.
#[test]
fn a_refused_write_waiting_on_a_stalled_read_is_kept_when_the_view_closes() {
    let state = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let mut first = store
        .declare(&Actor::named("alice"), "Checkout errors", Severity::Sev2)
        .unwrap();
    let mut s = Session::new(store.clone(), Actor::named("bob"));
    s.state_dir = Some(state.path().to_path_buf());
    let mut app = App::new(Actor::named("bob"), s.open("INC-1").unwrap());
    let typed = ":escalate dba please look at db-2";
    let disk = refused_while_a_read_is_held(&mut s, &mut app, &mut first, typed);
    // The read is still out (the disk holds it): the view closes now.
    assert_eq!(app.room().unwrap().input.line.value(), "");
    s.save_draft(&app);
    disk.answer();
    drop(s);
    let mut again = Session::new(store, Actor::named("bob"));
    again.state_dir = Some(state.path().to_path_buf());
    let back = App::new(Actor::named("bob"), again.open("INC-1").unwrap());
    assert_eq!(back.room().unwrap().kept.note.as_deref(), Some(typed));
}

/// A disk that holds every read of the open incident until it answers.
struct HeldDisk(std::sync::Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>);

impl HeldDisk {
    fn answer(&self) {
        let (lock, cv) = &*self.0;
        *lock.lock().unwrap() = true;
        cv.notify_all();
    }
}

/// alice writes (the view's read of it goes out and the disk holds it),
/// then this view sends `typed`, which the writer refuses; returns once
/// the refusal is reported, the read still held.
fn refused_while_a_read_is_held(
    s: &mut Session,
    app: &mut App,
    first: &mut incident::store::IncidentFile,
    typed: &str,
) -> HeldDisk {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use incident::tui::app::Msg;
    let answered = std::sync::Arc::new((std::sync::Mutex::new(false), std::sync::Condvar::new()));
    let held = answered.clone();
    s.before_read = Some(std::sync::Arc::new(move || {
        let (lock, cv) = &*held;
        let mut done = lock.lock().unwrap();
        while !*done {
            done = cv.wait(done).unwrap();
        }
    }));
    first
        .commit(
            &Actor::named("alice"),
            incident::ops::Op::Log {
                kind: LogKind::Note,
                text: "pool exhausted".into(),
            },
        )
        .unwrap();
    s.refresh(app);
    let keys = typed.chars().map(KeyCode::Char).chain([KeyCode::Enter]);
    for code in keys {
        let effects = app.update(Msg::Key(
            KeyEvent::new(code, KeyModifiers::NONE),
            Utc::now(),
        ));
        s.perform_all(effects, app);
    }
    let until = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while s.sending() > 0 {
        assert!(
            std::time::Instant::now() < until,
            "the write was not reported"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        s.apply_outcomes(app);
    }
    HeldDisk(answered)
}

/// A read off the loop that breaks (a bug: it panics) is not left
/// unsaid with the view frozen on what it last read: the session notes
/// why and the view closes, for the terminal to be given back and what
/// was typed kept (the event loop does both, see tests/e2e_tmux.rs).
#[test]
fn a_read_that_breaks_off_the_loop_closes_the_view_and_says_why() {
    use incident::ops::Op;
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let alice = Actor::named("alice");
    let mut theirs = store
        .declare(&alice, "Checkout errors", Severity::Sev2)
        .unwrap();
    let mut s = Session::new(store.clone(), Actor::named("bob"));
    let screen = s.open("INC-1").unwrap();
    let mut app = App::new(Actor::named("bob"), screen);
    s.before_read = Some(std::sync::Arc::new(|| {
        panic!("the disk's answer made no sense")
    }));
    theirs
        .commit(
            &alice,
            Op::Log {
                kind: LogKind::Note,
                text: "pool exhausted".into(),
            },
        )
        .unwrap();
    s.refresh(&mut app);
    assert!(!app.quit, "the read is off the loop");
    s.settle(&mut app, std::time::Duration::from_secs(10));
    assert!(app.quit, "the view closes");
    let broke = s.broke.as_deref().unwrap_or_default();
    assert!(broke.contains("the disk's answer made no sense"), "{broke}");
}

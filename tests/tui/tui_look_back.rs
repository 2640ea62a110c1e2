//! Looking back in the live view, on a real store: `[` and `]` step
//! through the log, `:at` jumps to a moment, Esc returns to now. Every pane
//! shows the incident as it stood then under an AS OF banner, nothing is
//! sent meanwhile, and what others write still arrives.

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Actor, LogKind, Role, Severity, Status, SystemStatus};
use incident::ops::{Op, Record};
use incident::store::Store;
use incident::tui::app::{App, Msg};
use incident::tui::headless::{draw, to_text};
use incident::tui::session::Session;
use incident::tui::theme::Theme;
use std::io::Write;
use std::path::Path;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 3, 0, 0).unwrap()
}

/// The view's clock: the morning after, so every time shown is fixed.
fn now() -> DateTime<Utc> {
    t0() + Duration::hours(2)
}

/// INC-1, written at fixed times: payments failing from 03:05, bob
/// commanding, mitigated at 03:30, payments ok at 03:45.
fn write_incident(dir: &Path) {
    let rec = |min: i64, by: &str, op: Op| Record {
        at: t0() + Duration::minutes(min),
        by: Actor::named(by),
        op,
    };
    let note = |text: &str| Op::Log {
        kind: LogKind::Note,
        text: text.into(),
    };
    let system = |status| Op::SetSystem {
        name: "payments".into(),
        status,
        evidence: None,
        owner: None,
        note: None,
    };
    let records = [
        rec(
            0,
            "alice",
            Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        ),
        rec(
            1,
            "bob",
            Op::ClaimRole {
                role: Role::Commander,
            },
        ),
        rec(5, "carol", system(SystemStatus::Failing)),
        rec(10, "carol", note("payments p99 at 4s, pool exhausted")),
        rec(20, "carol", note("rolling back payments to v41")),
        rec(30, "bob", Op::set_status(Status::Mitigated)),
        rec(40, "carol", note("error rate back to baseline")),
        rec(45, "carol", system(SystemStatus::Ok)),
    ];
    let mut f = std::fs::File::create(dir.join("INC-1.jsonl")).unwrap();
    writeln!(
        f,
        r#"{{"schema":1,"id":"INC-1","created_at":"2026-11-26T03:00:00Z","created_by":{{"user":"alice"}}}}"#
    )
    .unwrap();
    for r in records {
        writeln!(f, "{}", serde_json::to_string(&r).unwrap()).unwrap();
    }
}

fn view(dir: &Path, who: &str) -> (Session, App) {
    let mut s = Session::new(Store::new(dir), Actor::named(who));
    let screen = s.open("INC-1").unwrap();
    (s, App::new(Actor::named(who), screen))
}

fn press(s: &mut Session, a: &mut App, code: KeyCode) {
    let effects = a.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE), now()));
    s.perform_all(effects, a);
    // The moment is found off the view's loop: wait for it as the view would.
    s.settle(a, std::time::Duration::from_secs(10));
}

fn type_line(s: &mut Session, a: &mut App, line: &str) {
    for c in line.chars() {
        press(s, a, KeyCode::Char(c));
    }
    press(s, a, KeyCode::Enter);
    s.settle(a, std::time::Duration::from_secs(10));
}

fn screen(a: &mut App, w: u16, h: u16) -> String {
    let theme = Theme::built_in("mono").unwrap();
    to_text(&draw(a, &theme, now(), w, h))
}

fn message(a: &App) -> String {
    a.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

#[test]
fn brackets_step_back_entry_by_entry_and_every_pane_shows_then() {
    let tmp = tempfile::tempdir().unwrap();
    write_incident(tmp.path());
    let (mut s, mut a) = view(tmp.path(), "dave");
    let live = screen(&mut a, 80, 24);
    assert!(!live.contains("AS OF"), "{live}");
    assert!(live.contains("mitigated"), "{live}");

    // #9 is the newest (payments ok); one back is #8. The status change
    // wrote #6 and #7 (the break it calls): they come and go together.
    press(&mut s, &mut a, KeyCode::Char('['));
    let one = screen(&mut a, 80, 24);
    assert!(
        one.contains(" AS OF 03:40 · #8 of 9 · read-only — Esc returns to now"),
        "{one}"
    );
    assert!(one.contains("error rate back to baseline"), "{one}");
    assert!(
        !one.contains("│#9 "),
        "the newest entry is not shown yet: {one}"
    );
    // As of 03:40 the break called at 03:30 had five minutes to run.
    assert!(one.contains("TEAM BREAK 05:00 left"), "{one}");
    press(&mut s, &mut a, KeyCode::Char('['));
    assert!(screen(&mut a, 80, 24).contains("AS OF 03:30 · #7 of 9"));
    press(&mut s, &mut a, KeyCode::Char('['));
    let before = screen(&mut a, 80, 24);
    assert!(before.contains("AS OF 03:20 · #5 of 9"), "{before}");
    // Still investigating then, with payments failing, and the first
    // update was due just then (20 minutes after declaring a SEV2).
    assert!(before.contains("investigating"), "{before}");
    assert!(!before.contains("mitigated"), "{before}");
    assert!(before.contains("payments FAILING"), "{before}");
    assert!(before.contains("update due now"), "{before}");
    assert!(!before.contains("error rate back to baseline"), "{before}");
    insta::assert_snapshot!("as_of_03_20_80x24", before);

    // ] steps forward; onto the newest entry is now again.
    press(&mut s, &mut a, KeyCode::Char(']'));
    assert!(screen(&mut a, 80, 24).contains("AS OF 03:30 · #7 of 9"));
    press(&mut s, &mut a, KeyCode::Char(']'));
    assert!(screen(&mut a, 80, 24).contains("AS OF 03:40 · #8 of 9"));
    press(&mut s, &mut a, KeyCode::Char(']'));
    let back = screen(&mut a, 80, 24);
    assert!(!back.contains("AS OF") && !back.contains("⊘"), "{back}");
    assert!(message(&a).contains("Back to now"), "{}", message(&a));
    a.message = None;
    assert_eq!(screen(&mut a, 80, 24), live, "now is drawn as before");
}

#[test]
fn nothing_is_sent_while_looking_back_and_esc_returns_to_now() {
    let tmp = tempfile::tempdir().unwrap();
    write_incident(tmp.path());
    let path = tmp.path().join("INC-1.jsonl");
    let (mut s, mut a) = view(tmp.path(), "dave");
    press(&mut s, &mut a, KeyCode::Char('['));
    let file = std::fs::read_to_string(&path).unwrap();

    // A command that writes is stopped, whoever may run it.
    type_line(&mut s, &mut a, ":freeze deploys during the rollback");
    assert!(message(&a).contains("nothing was sent"), "{}", message(&a));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), file);
    a.room_mut().unwrap().input.line = Default::default();

    type_line(&mut s, &mut a, "checking the payments pool");
    let m = message(&a);
    assert!(
        m.contains("Looking back (AS OF 03:40): nothing was sent")
            && m.contains("Esc returns to now"),
        "{m}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        file,
        "nothing written"
    );
    let room = a.room().unwrap();
    assert_eq!(
        room.input.line.value(),
        "checking the payments pool",
        "kept to send later"
    );
    let shown = screen(&mut a, 80, 24);
    assert!(
        shown.contains(" ⊘ checking the payments pool") && shown.contains("AS OF"),
        "{shown}"
    );

    // Esc: now again, with what was typed still there to send.
    press(&mut s, &mut a, KeyCode::Esc);
    let now_again = screen(&mut a, 80, 24);
    assert!(!now_again.contains("AS OF"), "{now_again}");
    assert_eq!(
        a.room().unwrap().input.line.value(),
        "checking the payments pool"
    );
    press(&mut s, &mut a, KeyCode::Enter);
    s.settle(&mut a, std::time::Duration::from_secs(10));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("checking the payments pool"),
        "sent once back at now: {}",
        message(&a)
    );
}

#[test]
fn at_jumps_to_a_moment_and_a_bad_one_says_what_to_type() {
    let tmp = tempfile::tempdir().unwrap();
    write_incident(tmp.path());
    let (mut s, mut a) = view(tmp.path(), "dave");
    type_line(&mut s, &mut a, ":at 03:12");
    let at = screen(&mut a, 120, 35);
    assert!(at.contains("AS OF 03:12 · #4 of 9"), "{at}");
    assert!(at.contains("payments p99 at 4s"), "{at}");
    assert!(!at.contains("rolling back payments"), "{at}");

    // Another :at while looking back moves there; #N is an entry.
    type_line(&mut s, &mut a, ":at #2");
    assert!(screen(&mut a, 120, 35).contains("AS OF 03:01 · #2 of 9"));
    type_line(&mut s, &mut a, ":at -90m");
    assert!(screen(&mut a, 120, 35).contains("AS OF 03:30 · #7 of 9"));

    for (bad, says) in [
        (":at half past three", "use #123 (an entry), 03:40"),
        (
            ":at 2026-11-26T02:00Z",
            "before the incident was declared (2026-11-26 03:00:00 UTC)",
        ),
        (":at #99", "There is no entry #99: the log has 9"),
    ] {
        type_line(&mut s, &mut a, bad);
        let m = message(&a);
        assert!(m.contains(says), "{bad}: {m}");
        a.room_mut().unwrap().input.line = Default::default();
    }
    // Still where it was.
    assert!(screen(&mut a, 120, 35).contains("AS OF 03:30 · #7 of 9"));
}

#[test]
fn what_others_write_arrives_but_the_moment_shown_stays() {
    let tmp = tempfile::tempdir().unwrap();
    write_incident(tmp.path());
    let (mut s, mut a) = view(tmp.path(), "dave");
    press(&mut s, &mut a, KeyCode::Char('['));
    Store::new(tmp.path())
        .append(
            Some("INC-1"),
            &Actor::named("erin"),
            Op::Log {
                kind: LogKind::Note,
                text: "written while dave looks back".into(),
            },
        )
        .unwrap();
    s.refresh(&mut a);
    // Read off the view's loop: wait for it as the view would.
    s.settle(&mut a, std::time::Duration::from_secs(10));
    let shown = screen(&mut a, 100, 30);
    assert!(shown.contains("AS OF 03:40 · #8 of 10"), "{shown}");
    assert!(!shown.contains("written while dave looks back"), "{shown}");
    // Forward now goes one further than before, to the newest entry: now.
    press(&mut s, &mut a, KeyCode::Char(']'));
    assert!(screen(&mut a, 100, 30).contains("AS OF 03:45 · #9 of 10"));
    press(&mut s, &mut a, KeyCode::Char(']'));
    let now_again = screen(&mut a, 100, 30);
    assert!(!now_again.contains("AS OF"), "{now_again}");
    assert!(
        now_again.contains("written while dave looks back"),
        "{now_again}"
    );
}

#[test]
fn a_bracket_in_a_note_is_text_and_help_lists_looking_back() {
    let tmp = tempfile::tempdir().unwrap();
    write_incident(tmp.path());
    let (mut s, mut a) = view(tmp.path(), "dave");
    for c in "see [1".chars() {
        press(&mut s, &mut a, KeyCode::Char(c));
    }
    assert_eq!(a.room().unwrap().input.line.value(), "see [1");
    assert!(a.as_of().is_none(), "typing is not looking back");

    let help: Vec<String> = incident::tui::panes::help::lines(&Theme::built_in("mono").unwrap())
        .iter()
        .map(|l| l.to_string())
        .collect();
    let help = help.join("\n");
    for want in [
        "Looking back",
        "[         one entry further back",
        "]         one entry forward (past the newest: back to now)",
        ":at TIME",
    ] {
        assert!(help.contains(want), "help lacks {want:?}:\n{help}");
    }
}

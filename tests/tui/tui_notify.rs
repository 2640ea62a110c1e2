//! Updates leaving the box, as a live view shows and does it: an update
//! typed in the view is sent by the view's own sender (off the draw
//! loop), and one that keeps failing is shown on every screen.

use crate::common::receiver::Receiver;
use crate::common::*;
use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::Actor;
use incident::store::Store;
use incident::tui::app::{App, Msg};
use incident::tui::headless::{draw, to_text};
use incident::tui::session::Session;
use incident::tui::theme::Theme;
use std::time::{Duration, Instant};

fn open(dir: &std::path::Path) -> (Session, App) {
    let alice = Actor::named("alice");
    let mut s = Session::new(Store::new(dir), alice.clone());
    let screen = s.open("INC-1").unwrap();
    let app = App::new(alice, screen);
    (s, app)
}

fn shown(app: &mut App, w: u16, h: u16) -> String {
    app.size = (w, h);
    to_text(&draw(
        app,
        &Theme::built_in("default").unwrap(),
        Utc::now(),
        w,
        h,
    ))
}

fn press(s: &mut Session, app: &mut App, code: KeyCode) {
    let effects = app.update(Msg::Key(
        KeyEvent::new(code, KeyModifiers::NONE),
        Utc::now(),
    ));
    s.perform_all(effects, app);
    s.settle(app, Duration::from_secs(10));
}

fn send(s: &mut Session, app: &mut App, line: &str) {
    for c in line.chars() {
        press(s, app, KeyCode::Char(c));
    }
    press(s, app, KeyCode::Enter);
}

/// INC-1, whose first update failed to reach Slack three times.
fn failing_three_times(dir: &std::path::Path) {
    let mut lines = vec![
        header_line("INC-1", 1),
        declare_line("Checkout errors"),
        r#"{"at":"2026-11-26T14:01:00Z","by":{"user":"alice"},"op":"post_update","text":"Investigating","external":false}"#.to_string(),
    ];
    for i in 1..=3 {
        let m = 1 + i * 5;
        lines.push(format!(r#"{{"at":"2026-11-26T14:{m:02}:00Z","by":{{"user":"alice"}},"op":"claim_delivery","update":1,"target":"slack#0","attempt":{i}}}"#));
        lines.push(format!(r#"{{"at":"2026-11-26T14:{m:02}:01Z","by":{{"user":"alice"}},"op":"delivery_failed","update":1,"target":"slack#0","error":"HTTP 500","next_try_at":"2026-11-26T14:{m:02}:06Z"}}"#));
    }
    write_lines(&file_of(dir, "INC-1"), &lines);
}

#[test]
fn an_update_that_keeps_failing_is_on_every_screen() {
    let tmp = tempfile::tempdir().unwrap();
    failing_three_times(tmp.path());
    let (mut s, mut app) = open(tmp.path());
    for (w, h) in [(80, 24), (120, 35)] {
        let text = shown(&mut app, w, h);
        let banner = text.lines().nth(1).unwrap_or_default();
        assert!(
            banner.contains("UPDATES NOT GOING OUT: U1 to slack#0"),
            "{w}x{h}:\n{text}"
        );
    }
    send(&mut s, &mut app, ":doc");
    assert!(app.room().unwrap().doc.is_some());
    let text = shown(&mut app, 100, 30);
    assert!(text.contains("UPDATES NOT GOING OUT"), "{text}");
    // The document's updates say where each went.
    for _ in 0..20 {
        press(&mut s, &mut app, KeyCode::Char('j'));
    }
    let text = shown(&mut app, 100, 30);
    assert!(
        text.contains("→ slack#0 failed 3x: HTTP 500, retrying"),
        "{text}"
    );
}

#[test]
fn an_update_typed_in_the_view_is_sent_by_the_view() {
    let tmp = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    let url_file = tmp.path().join("slack-url");
    std::fs::write(&url_file, format!("{}/slack", rx.url)).unwrap();
    std::fs::write(
        tmp.path().join("incident.toml"),
        format!(
            "[[notify]]\nkind = \"slack\"\nurl_file = \"{}\"\n",
            url_file.display()
        ),
    )
    .unwrap();
    Store::new(tmp.path())
        .declare(
            &Actor::named("alice"),
            "Checkout errors",
            incident::model::Severity::Sev2,
        )
        .unwrap();
    let (mut s, mut app) = open(tmp.path());
    send(&mut s, &mut app, ":update Rolled back payments");
    let until = Instant::now() + Duration::from_secs(15);
    while rx.at("/slack").is_empty() {
        assert!(Instant::now() < until, "the view never sent the update");
        std::thread::sleep(Duration::from_millis(100));
    }
    let got = rx.at("/slack");
    assert!(
        got[0].body["text"]
            .as_str()
            .unwrap()
            .ends_with("— Rolled back payments"),
        "{got:?}"
    );
    // Recorded as sent; the view shows nothing failing.
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let inc = Store::new(tmp.path())
            .open("INC-1")
            .unwrap()
            .incident()
            .clone();
        if inc
            .notices
            .get(1, "slack#0")
            .is_some_and(|d| d.sent_at.is_some())
        {
            break;
        }
        assert!(Instant::now() < until, "never recorded as sent");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(rx.at("/slack").len(), 1);
}

#[test]
fn the_incident_list_names_an_incident_whose_updates_keep_failing() {
    let tmp = tempfile::tempdir().unwrap();
    failing_three_times(tmp.path());
    Store::new(tmp.path())
        .declare(
            &Actor::named("bob"),
            "Search slow",
            incident::model::Severity::Sev3,
        )
        .unwrap();
    let alice = Actor::named("alice");
    let mut s = Session::new(Store::new(tmp.path()), alice.clone());
    let screen = s.initial_screen(None).unwrap();
    let mut app = App::new(alice, screen);
    let text = shown(&mut app, 120, 35);
    let head = text.lines().next().unwrap();
    assert!(head.contains("UPDATES NOT GOING OUT from INC-1"), "{text}");
}

/// A call for help that keeps failing is named as one in the list of
/// incidents (it is not an update), whole at 80 columns.
#[test]
fn the_incident_list_names_a_call_for_help_that_keeps_failing_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    let mut lines = vec![
        header_line("INC-1", 1),
        declare_line("Checkout errors"),
        r#"{"at":"2026-11-26T14:01:00Z","by":{"user":"alice"},"op":"escalate","team":"net-team","kind":"pagerduty"}"#.to_string(),
    ];
    for i in 1..=5 {
        let m = 1 + i * 5;
        lines.push(format!(r#"{{"at":"2026-11-26T14:{m:02}:00Z","by":{{"user":"alice"}},"op":"claim_delivery","update":1,"target":"page:net-team","attempt":{i}}}"#));
        lines.push(format!(r#"{{"at":"2026-11-26T14:{m:02}:01Z","by":{{"user":"alice"}},"op":"delivery_failed","update":1,"target":"page:net-team","error":"connection refused","next_try_at":"2026-11-26T14:{m:02}:06Z"}}"#));
    }
    write_lines(&file_of(tmp.path(), "INC-1"), &lines);
    Store::new(tmp.path())
        .declare(
            &Actor::named("bob"),
            "Search slow",
            incident::model::Severity::Sev3,
        )
        .unwrap();
    let alice = Actor::named("alice");
    let mut s = Session::new(Store::new(tmp.path()), alice.clone());
    let screen = s.initial_screen(None).unwrap();
    let mut app = App::new(alice, screen);
    for w in [80, 120] {
        let text = shown(&mut app, w, 24);
        let head = text.lines().next().unwrap();
        assert!(
            head.contains("CALL FOR HELP NOT GOING OUT from INC-1"),
            "{w}:\n{text}"
        );
        assert!(!head.contains("UPDATES"), "{w}:\n{text}");
    }
}

/// A page that keeps failing, in the narrow Roles pane (something is
/// bleeding, 80 columns): the line says it failed and how often, whole,
/// not "not sent:…".
#[test]
fn a_failing_page_says_so_whole_in_a_narrow_roles_pane() {
    let tmp = tempfile::tempdir().unwrap();
    let mut lines = vec![
        header_line("INC-1", 1),
        declare_line("Checkout errors"),
        r#"{"at":"2026-11-26T14:01:00Z","by":{"user":"alice"},"op":"report_system","name":"payments","status":"failing","source":"check"}"#.to_string(),
        r#"{"at":"2026-11-26T14:01:00Z","by":{"user":"alice"},"op":"escalate","team":"net-team","kind":"pagerduty"}"#.to_string(),
    ];
    for i in 1..=5 {
        let m = 1 + i * 5;
        lines.push(format!(r#"{{"at":"2026-11-26T14:{m:02}:00Z","by":{{"user":"alice"}},"op":"claim_delivery","update":1,"target":"page:net-team","attempt":{i}}}"#));
        lines.push(format!(r#"{{"at":"2026-11-26T14:{m:02}:01Z","by":{{"user":"alice"}},"op":"delivery_failed","update":1,"target":"page:net-team","error":"connection refused","next_try_at":"2026-11-26T14:{m:02}:06Z"}}"#));
    }
    write_lines(&file_of(tmp.path(), "INC-1"), &lines);
    let (_s, mut app) = open(tmp.path());
    let text = shown(&mut app, 80, 24);
    assert!(text.contains("What is bleeding"), "{text}");
    let row = text
        .lines()
        .find(|l| l.contains("Paged"))
        .unwrap_or_default()
        .to_string();
    assert!(row.contains("Paged net-team · failed 5x"), "{text}");
}

/// An update failing and two maintenance windows holding back pages for
/// systems bleeding here: the banner names both, a row each when one row
/// cannot hold them, at every size (before, at 80x24 and 120x35 the
/// maintenance window was past the cut of "UPDATES NOT GOING OUT …", and
/// at 200x50 the second window read "search unti…").
#[test]
fn the_maintenance_banner_is_never_pushed_out_by_another_banner() {
    let tmp = tempfile::tempdir().unwrap();
    failing_three_times(tmp.path());
    let dir = tmp.path();
    ok(
        dir,
        &["--name", "bob", "system", "set", "payments-db", "failing"],
    );
    ok(
        dir,
        &["--name", "bob", "system", "set", "search", "degraded"],
    );
    ok(
        dir,
        &[
            "--name",
            "bob",
            "maintenance",
            "add",
            "payments-db",
            "--for",
            "1h",
            "PostgreSQL 16 upgrade",
        ],
    );
    ok(
        dir,
        &[
            "--name",
            "bob",
            "maintenance",
            "add",
            "search",
            "--for",
            "2h",
            "reindex",
        ],
    );
    let (_s, mut app) = open(dir);
    for (w, h) in [(80, 24), (120, 35), (200, 50)] {
        let text = shown(&mut app, w, h);
        let top: Vec<&str> = text.lines().take(4).collect();
        let top = top.join("\n");
        assert!(top.contains("UPDATES NOT GOING OUT"), "{w}x{h}:\n{text}");
        assert!(
            top.contains("MAINTENANCE payments-db until"),
            "{w}x{h}:\n{text}"
        );
        // The second window: named whole, or counted with where to see it.
        assert!(
            top.contains("search until") && top.contains("(W2, 0")
                || top.contains("+1 more (:maintenance list)"),
            "{w}x{h}:\n{text}"
        );
        assert!(!top.contains("unti…"), "{w}x{h}:\n{text}");
        // Never a window's own brackets cut open ("(W1, 0 held…").
        assert!(!top.contains("held…"), "{w}x{h}:\n{text}");
    }
}

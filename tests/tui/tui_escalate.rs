//! Calling for help from the view: `:escalate TEAM MESSAGE` pages the
//! team through the view's own sender, the Roles pane lists who was
//! paged, and the team's acknowledgement, once the pager sends it back,
//! shows there too.

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
use std::path::Path;
use std::time::{Duration, Instant};

fn open(dir: &Path) -> (Session, App) {
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

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let until = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A team file naming db-team, paged through PagerDuty at `rx`.
fn db_team(dir: &Path, rx: &Receiver) {
    let key = dir.join("pd-key");
    std::fs::write(&key, "R0UTING\n").unwrap();
    std::fs::write(
        dir.join("incident.toml"),
        format!(
            "[[responders]]\nname = \"db-team\"\nkind = \"pagerduty\"\nrouting_key_file = \"{}\"\nevents_url = \"{}/enqueue\"\n",
            key.display(),
            rx.url
        ),
    )
    .unwrap();
}

#[test]
fn escalate_in_the_bar_pages_the_team_and_the_roles_pane_shows_the_ack() {
    let tmp = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    db_team(tmp.path(), &rx);
    Store::new(tmp.path())
        .declare(
            &Actor::named("alice"),
            "Checkout errors",
            incident::model::Severity::Sev1,
        )
        .unwrap();
    let (mut s, mut app) = open(tmp.path());
    // No team named: the teams that can be called are named (read from
    // the team file as the call is written, off the view's loop).
    send(&mut s, &mut app, ":escalate");
    let text = shown(&mut app, 140, 40);
    assert!(
        text.contains("say which team to call (`:escalate TEAM MESSAGE`): the teams are db-team"),
        "{text}"
    );
    for _ in ":escalate".chars() {
        press(&mut s, &mut app, KeyCode::Backspace);
    }
    // An unknown team is refused with the teams there are.
    send(&mut s, &mut app, ":escalate dba help");
    let text = shown(&mut app, 140, 40);
    assert!(
        text.contains("no responder team 'dba' (the teams are db-team)"),
        "{text}"
    );
    // A refusal is said as one (not "Not saved: refused:"), and Enter
    // alone would only be refused again: change the text first.
    assert!(
        text.contains("Refused: no responder team 'dba'")
            && text.contains("(your text is kept: change it, then Enter)"),
        "{text}"
    );
    let small = shown(&mut app, 80, 24);
    assert!(small.contains("change it, then Enter)"), "{small}");
    // The refused text is kept in the bar: take it away.
    for _ in ":escalate dba help".chars() {
        press(&mut s, &mut app, KeyCode::Backspace);
    }
    send(
        &mut s,
        &mut app,
        ":escalate db-team replica lag, need a DBA",
    );
    wait_for("the view to send the page", || {
        !rx.at("/enqueue").is_empty()
    });
    let got = rx.at("/enqueue");
    assert_eq!(got[0].body["event_action"], "trigger");
    assert_eq!(got[0].body["payload"]["severity"], "critical");
    assert!(
        got[0].body["payload"]["summary"]
            .as_str()
            .unwrap()
            .ends_with("— replica lag, need a DBA"),
        "{got:?}"
    );
    let mut last = String::new();
    let until = Instant::now() + Duration::from_secs(20);
    while !last.contains("no ack yet") {
        assert!(Instant::now() < until, "never shown as sent:\n{last}");
        std::thread::sleep(Duration::from_millis(100));
        s.refresh(&mut app);
        // Read off the view's loop: wait for it as the view would.
        s.settle(&mut app, std::time::Duration::from_secs(10));
        last = shown(&mut app, 140, 40);
    }
    let text = shown(&mut app, 140, 40);
    let row = text
        .lines()
        .find(|l| l.contains("Paged"))
        .unwrap_or_default()
        .to_string();
    assert!(
        row.contains("db-team") && row.contains("by alice") && row.contains("no ack yet"),
        "{text}"
    );
    // Dana acknowledges in PagerDuty; its webhook is filed as the
    // listener files it.
    let ack = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pager/pagerduty-v3-acknowledged.json"),
    )
    .unwrap()
    .replace("checkout-5xx-rate", "incident/INC-1/db-team");
    let o = run_with_stdin(tmp.path(), &["page"], ack.as_bytes());
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    assert_eq!(paged_id(&o), "INC-1");
    wait_for("the ack in the Roles pane", || {
        s.refresh(&mut app);
        // Read off the view's loop: wait for it as the view would.
        s.settle(&mut app, std::time::Duration::from_secs(10));
        shown(&mut app, 140, 40).contains("acked")
    });
    let text = shown(&mut app, 140, 40);
    let row = text
        .lines()
        .find(|l| l.contains("Paged"))
        .unwrap_or_default()
        .to_string();
    assert!(row.contains("by Dana Oncall"), "{text}");
    assert!(!row.contains("no ack yet"), "{text}");
    // Exactly one page went out.
    assert_eq!(rx.at("/enqueue").len(), 1);
}

/// Three roles held and a team called: the Roles pane grows a row for
/// the "Paged" line instead of hiding it behind "… 2 more (:brief)".
#[test]
fn the_paged_line_has_its_own_row_beside_three_roles() {
    let tmp = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    db_team(tmp.path(), &rx);
    declare(tmp.path(), "Checkout errors");
    ok(
        tmp.path(),
        &["--name", "alice", "role", "claim", "commander"],
    );
    ok(tmp.path(), &["--name", "bob", "role", "claim", "ops_lead"]);
    ok(
        tmp.path(),
        &["--name", "alice", "escalate", "db-team", "replica lag"],
    );
    let (_s, mut app) = open(tmp.path());
    for (w, h) in [(80, 24), (120, 35), (160, 48)] {
        let text = shown(&mut app, w, h);
        assert!(
            text.lines()
                .any(|l| l.contains("Paged") && l.contains("db-team")),
            "{w}x{h}:\n{text}"
        );
        assert!(text.contains("Ops lead"), "{w}x{h}:\n{text}");
        assert!(!text.contains("more (:brief)"), "{w}x{h}:\n{text}");
    }
}

/// At 80x24 with something bleeding, the Roles pane is 30 columns wide:
/// the Paged line still says whether the team answered, whole (before,
/// "acked 03:13 by Dana Oncall" was cut to "acked 0", with no "…").
#[test]
fn the_paged_line_keeps_its_answer_in_a_narrow_roles_pane() {
    let tmp = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    db_team(tmp.path(), &rx);
    declare(tmp.path(), "Checkout errors");
    ok(
        tmp.path(),
        &["--name", "alice", "role", "claim", "commander"],
    );
    ok(
        tmp.path(),
        &["--name", "bob", "system", "set", "payments", "failing"],
    );
    ok(
        tmp.path(),
        &["--name", "alice", "escalate", "db-team", "replica lag"],
    );
    let (mut s, mut app) = open(tmp.path());
    wait_for("the page to be sent", || {
        s.refresh(&mut app);
        // Read off the view's loop: wait for it as the view would.
        s.settle(&mut app, std::time::Duration::from_secs(10));
        shown(&mut app, 80, 24).contains("no ack yet")
    });
    let ack = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/pager/pagerduty-v3-acknowledged.json"),
    )
    .unwrap()
    .replace("checkout-5xx-rate", "incident/INC-1/db-team");
    let o = run_with_stdin(tmp.path(), &["page"], ack.as_bytes());
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    wait_for("the ack in the Roles pane", || {
        s.refresh(&mut app);
        // Read off the view's loop: wait for it as the view would.
        s.settle(&mut app, std::time::Duration::from_secs(10));
        shown(&mut app, 80, 24).contains("acked")
    });
    let text = shown(&mut app, 80, 24);
    let row = text
        .lines()
        .find(|l| l.contains("Paged"))
        .unwrap_or_default()
        .to_string();
    // "acked HH:MM" whole, inside the pane's border.
    let after = row.split("acked ").nth(1).unwrap_or_default();
    let hm: String = after.chars().take(5).collect();
    assert!(
        hm.len() == 5
            && hm.as_bytes()[2] == b':'
            && hm.chars().filter(char::is_ascii_digit).count() == 4,
        "{text}"
    );
}

/// A view opened while the team file named nobody to send to (so it
/// started no sender) still sends the page of a call for help made from
/// it once a team is added: the call does not sit unsent.
#[test]
fn a_view_opened_before_any_team_was_set_up_sends_its_call_for_help() {
    let tmp = tempfile::tempdir().unwrap();
    let rx = Receiver::start();
    Store::new(tmp.path())
        .declare(
            &Actor::named("alice"),
            "Checkout errors",
            incident::model::Severity::Sev1,
        )
        .unwrap();
    let (mut s, mut app) = open(tmp.path());
    db_team(tmp.path(), &rx);
    send(&mut s, &mut app, ":escalate db-team replica lag");
    wait_for("the view to send the page", || {
        !rx.at("/enqueue").is_empty()
    });
    assert_eq!(rx.at("/enqueue").len(), 1);
}

/// The teams Tab offers after `:escalate` follow the team file as the
/// view reads it again (with the takeover setting, off the loop), not
/// only as it stood when the view opened.
#[test]
fn tab_offers_the_teams_read_again_while_the_view_is_open() {
    let tmp = tempfile::tempdir().unwrap();
    Store::new(tmp.path())
        .declare(
            &Actor::named("alice"),
            "Checkout errors",
            incident::model::Severity::Sev1,
        )
        .unwrap();
    let (mut s, mut app) = open(tmp.path());
    for c in ":escalate d".chars() {
        press(&mut s, &mut app, KeyCode::Char(c));
    }
    press(&mut s, &mut app, KeyCode::Tab);
    assert_eq!(app.room().unwrap().input.line.value(), ":escalate d");
    let effects = app.update(Msg::Teams(vec!["db-team".into(), "net".into()]));
    s.perform_all(effects, &mut app);
    press(&mut s, &mut app, KeyCode::Tab);
    assert_eq!(app.room().unwrap().input.line.value(), ":escalate db-team ");
}

/// Several teams called, one with a long name, none answering: every
/// "Paged" row keeps its answer whole ("failed 1x", "not sent: failed
/// 1x", "sending"), at 80x24 with and without something bleeding and at
/// 120x35; the time, the caller and then the team's name give way first
/// (before, "db-team 05:15:14 by carol · not …" and "network-oncall-team
/// …" lost the answer, the point of the line).
#[test]
fn every_paged_row_keeps_its_answer_whole_when_the_pane_is_narrow() {
    let tmp = tempfile::tempdir().unwrap();
    let url = tmp.path().join("url");
    // Nothing listens on port 9: each page fails at once.
    std::fs::write(&url, "http://127.0.0.1:9/hook\n").unwrap();
    let teams = [
        "db-team",
        "network-oncall-team",
        "payments-sre",
        "vendor-support",
    ];
    let toml: String = teams
        .iter()
        .map(|t| {
            format!(
                "[[responders]]\nname = \"{t}\"\nkind = \"webhook\"\nurl_file = \"{}\"\n",
                url.display()
            )
        })
        .collect();
    std::fs::write(tmp.path().join("incident.toml"), toml).unwrap();
    declare(tmp.path(), "Checkout errors");
    ok(
        tmp.path(),
        &["--name", "alice", "role", "claim", "commander"],
    );
    for t in teams {
        ok(tmp.path(), &["--name", "carol", "escalate", t, "help"]);
    }
    let check = |text: &str, what: &str| {
        let rows: Vec<&str> = text.lines().filter(|l| l.contains("Paged")).collect();
        assert_eq!(rows.len(), teams.len(), "{what}:\n{text}");
        // One form for all: the rows line up.
        let wide = rows.iter().filter(|r| r.contains(" by carol")).count();
        assert!(wide == 0 || wide == rows.len(), "{what}:\n{text}");
        for row in rows {
            // The Roles pane's cell: between its borders.
            let cell = row.split('│').nth(1).unwrap_or_default().trim_end();
            let answer = cell.rsplit(" · ").next().unwrap_or_default();
            assert!(
                !answer.contains('…')
                    && ["sending", "failed ", "not sent", "no ack yet"]
                        .iter()
                        .any(|s| answer.starts_with(s)),
                "{what}: {cell:?}\n{text}"
            );
        }
    };
    let (mut s, mut app) = open(tmp.path());
    s.refresh(&mut app);
    s.settle(&mut app, std::time::Duration::from_secs(10));
    check(&shown(&mut app, 80, 24), "80x24");
    ok(
        tmp.path(),
        &["--name", "bob", "system", "set", "payments", "failing"],
    );
    s.refresh(&mut app);
    s.settle(&mut app, std::time::Duration::from_secs(10));
    for (w, h) in [(80, 24), (120, 35)] {
        check(&shown(&mut app, w, h), &format!("{w}x{h}, bleeding"));
    }
}

//! Runs in the live view's log: the go that cleared them, and a failed run
//! drawn as a failure (the theme's alert style), a good one not.

use crate::common::Fixture;
use incident::model::{Actor, Role, RunEvidence};
use incident::ops::Op;
use incident::tui::app::{App, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::theme::Theme;

fn ran(
    command: &str,
    exit: Option<i32>,
    request: Option<u64>,
    t0: chrono::DateTime<chrono::Utc>,
) -> Op {
    Op::Ran {
        evidence: Box::new(RunEvidence {
            command: command.into(),
            started_at: t0,
            duration_ms: 1200,
            exit,
            signal: None,
            output: String::new(),
            truncated: false,
            ..Default::default()
        }),
        request,
    }
}

fn room() -> App {
    let mut fx = Fixture::declared("INC-7", crate::common::fixture_t0());
    let t0 = fx.t0;
    fx.apply(
        0,
        "alice",
        Op::SetRole {
            role: Role::Commander,
            user: Some("alice".into()),
        },
    );
    fx.apply(
        1,
        "carol",
        Op::Announce {
            text: "run: kubectl rollout undo deploy/payments".into(),
            mitigation: None,
        },
    );
    fx.apply(
        2,
        "alice",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    fx.apply(
        3,
        "carol",
        ran("kubectl rollout undo deploy/payments", Some(0), Some(1), t0),
    );
    fx.apply(4, "dave", ran("pg_isready -h db-2", Some(2), None, t0));
    App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(fx.incident))),
    )
}

/// The row of the screen holding `needle`.
fn row_of(buf: &ratatui::buffer::Buffer, needle: &str) -> u16 {
    let text = to_text(buf);
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?}:\n{text}")) as u16
}

/// Whether any drawn character of row `y` is in colour `fg`.
fn row_has_fg(buf: &ratatui::buffer::Buffer, y: u16, fg: Option<ratatui::style::Color>) -> bool {
    (0..buf.area.width).any(|x| Some(buf[(x, y)].fg) == fg && buf[(x, y)].symbol() != " ")
}

#[test]
fn the_log_names_the_go_and_draws_a_failed_run_as_a_failure() {
    let theme = Theme::built_in("default").unwrap();
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(5);
    let buf = draw(&mut room(), &theme, now, 140, 30);
    let text = to_text(&buf);
    assert!(
        text.contains(
            "ran: kubectl rollout undo deploy/payments  exit 0  (1.2s) · cleared by alice's go (R1)"
        ),
        "{text}"
    );
    assert!(
        text.contains("ran: pg_isready -h db-2  FAILED exit 2  (1.2s) · ran without go"),
        "{text}"
    );
    let alert = theme.alert.fg;
    assert!(alert.is_some(), "the default theme colours alerts");
    let failed = row_of(&buf, "pg_isready");
    assert!(
        row_has_fg(&buf, failed, alert),
        "the failed run is in the alert colour"
    );
    let good = row_of(&buf, "rollout undo deploy/payments  exit 0");
    assert!(!row_has_fg(&buf, good, alert), "a good run is not");
}

/// carol ran a command with six lines of output (one with a raw escape,
/// as an older file may hold), and has a request pending.
fn room_with_output() -> App {
    let mut fx = Fixture::declared("INC-7", crate::common::fixture_t0());
    let t0 = fx.t0;
    fx.apply(
        0,
        "alice",
        Op::SetRole {
            role: Role::Commander,
            user: Some("alice".into()),
        },
    );
    fx.apply(
        1,
        "carol",
        Op::Ran {
            evidence: Box::new(RunEvidence {
                command: "kubectl get pods -n payments".into(),
                started_at: t0,
                duration_ms: 300,
                exit: Some(0),
                output: "NAME READY\nline 2\nline 3\npayments-1 1/1\npayments-2 \u{1b}[31m0/1\npayments-3 1/1\n"
                    .into(),
                rule: Some("kubectl get *".into()),
                ..Default::default()
            }),
            request: None,
        },
    );
    App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(fx.incident))),
    )
}

fn press(app: &mut App, code: crossterm::event::KeyCode) {
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(5);
    app.handle_key(
        crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE),
        now,
    );
}

#[test]
fn a_run_shows_its_last_lines_of_output_dimmed_and_sanitized() {
    let theme = Theme::built_in("default").unwrap();
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(5);
    let mut app = room_with_output();
    let buf = draw(&mut app, &theme, now, 120, 30);
    let text = to_text(&buf);
    assert!(
        text.contains("ran: kubectl get pods -n payments  exit 0  (0.3s) · read-only by team rule (kubectl get *)"),
        "{text}"
    );
    // The last three lines, each on its own row under the entry.
    let entry = row_of(&buf, "ran: kubectl get pods");
    for (i, line) in [
        "│ payments-1 1/1",
        "│ payments-2 ␛[31m0/1",
        "│ payments-3 1/1",
    ]
    .iter()
    .enumerate()
    {
        let y = row_of(&buf, line);
        assert_eq!(y, entry + 1 + i as u16, "{text}");
        assert!(row_has_fg(&buf, y, theme.muted.fg), "dimmed: {line}");
    }
    assert!(!text.contains("line 3"), "only the last three: {text}");
    assert!(!text.contains('\u{1b}'), "never a raw escape");
    // Under them, how much more there is and how to read it.
    let more = row_of(&buf, "│ … 3 earlier lines: Tab to the log, then o");
    assert_eq!(more, entry + 4, "{text}");
    assert!(row_has_fg(&buf, more, theme.muted.fg), "dimmed");
}

#[test]
fn o_on_a_run_reads_its_whole_output_and_any_key_closes_it() {
    let theme = Theme::built_in("default").unwrap();
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(5);
    let mut app = room_with_output();
    app.room_mut().unwrap().focus = incident::tui::app::Focus::Log;
    press(&mut app, crossterm::event::KeyCode::Char('o'));
    assert!(
        matches!(
            app.overlay,
            Some(incident::tui::app::Overlay::Output { seq: 3, top: 0 })
        ),
        "{:?}",
        app.overlay
    );
    let s = to_text(&draw(&mut app, &theme, now, 80, 24));
    assert!(s.contains("NAME READY") && s.contains("line 2"), "{s}");
    insta::assert_snapshot!("run_output_overlay_80x24", s);
    // j scrolls; any other key closes it, and is not typed.
    press(&mut app, crossterm::event::KeyCode::Char('j'));
    let s = to_text(&draw(&mut app, &theme, now, 80, 24));
    assert!(!s.contains("NAME READY") && s.contains("line 2"), "{s}");
    press(&mut app, crossterm::event::KeyCode::Char('x'));
    assert!(app.overlay.is_none());
    assert_eq!(app.room().unwrap().input.line.value(), "");
}

#[test]
fn a_stale_request_is_shown_as_such_and_never_put_to_the_commander() {
    let theme = Theme::built_in("default").unwrap();
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(5);
    let mut fx = Fixture::declared("INC-7", crate::common::fixture_t0());
    fx.apply(
        0,
        "alice",
        Op::SetRole {
            role: Role::Commander,
            user: Some("alice".into()),
        },
    );
    fx.apply(
        1,
        "carol",
        Op::Announce {
            text: "run: kubectl get pods".into(),
            mitigation: None,
        },
    );
    let mut room = Room::new(fx.incident);
    room.set_roster(incident::store::presence::Roster {
        waits: vec![(1, true)],
        ..Default::default()
    });
    let mut app = App::new(Actor::named("alice"), Screen::Room(Box::new(room)));
    assert!(app.prompt().is_some(), "carol still waits: alice is asked");
    // carol's waiting process is gone.
    app.room_mut()
        .unwrap()
        .set_roster(incident::store::presence::Roster {
            waits: vec![(1, false)],
            ..Default::default()
        });
    assert!(app.prompt().is_none(), "nobody waits: no go/hold prompt");
    let s = to_text(&draw(&mut app, &theme, now, 120, 30));
    assert!(
        s.contains(" · stale: carol stopped waiting") && s.contains("R1 run: kub"),
        "{s}"
    );
    // Nobody waits on it, so it is no reason to take over from an away
    // commander.
    assert!(
        !s.contains("no view open") && !s.contains(":takeover"),
        "a stale request asks for no takeover: {s}"
    );
}

/// A run with a long command and lines wider than the screen, read with
/// `o` at 80x24: every word of a line is on screen (wrapped, not cut
/// with "…"), and how to scroll and close stays in sight whatever the
/// command's length.
#[test]
fn the_output_overlay_wraps_long_lines_and_keeps_its_keys_in_sight() {
    let theme = Theme::built_in("default").unwrap();
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(5);
    let mut fx = Fixture::declared("INC-7", crate::common::fixture_t0());
    let t0 = fx.t0;
    let long = "payments-7d9f 0/1 CrashLoopBackOff 12 (3m ago) node-a7 last error: connection refused to payments-db.internal:5432 TAILWORD";
    fx.apply(
        0,
        "carol",
        Op::Ran {
            evidence: Box::new(RunEvidence {
                command: "kubectl get pods -n payments -o wide --sort-by=.status.startTime --field-selector=status.phase!=Running".into(),
                started_at: t0,
                duration_ms: 300,
                exit: Some(0),
                output: format!("NAME READY\n{long}\n"),
                ..Default::default()
            }),
            request: None,
        },
    );
    let mut app = App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(fx.incident))),
    );
    app.room_mut().unwrap().focus = incident::tui::app::Focus::Log;
    press(&mut app, crossterm::event::KeyCode::Char('o'));
    let s = to_text(&draw(&mut app, &theme, now, 80, 24));
    assert!(s.contains("TAILWORD"), "the end of a long line: {s}");
    assert!(s.contains("j/k scroll"), "how to scroll: {s}");
}

/// The commander reads the whole command in the clearance prompt at
/// 80x24: a long one wraps in the box instead of being cut with "…".
#[test]
fn the_clearance_prompt_wraps_a_long_command_whole() {
    let theme = Theme::built_in("default").unwrap();
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(5);
    let mut fx = Fixture::declared("INC-7", crate::common::fixture_t0());
    fx.apply(
        0,
        "alice",
        Op::SetRole {
            role: Role::Commander,
            user: Some("alice".into()),
        },
    );
    fx.apply(
        1,
        "carol",
        Op::Announce {
            text: "run: kubectl rollout restart deploy/payments -n payments --context prod-eu-west-1 TAILWORD".into(),
            mitigation: None,
        },
    );
    let mut app = App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(fx.incident))),
    );
    assert!(app.prompt().is_some());
    let s = to_text(&draw(&mut app, &theme, now, 80, 24));
    let box_rows: Vec<&str> = s
        .lines()
        .skip_while(|l| !l.contains("┌ Clearance"))
        .take_while(|l| !l.starts_with('└'))
        .collect();
    let shown = box_rows.join("\n");
    assert!(shown.contains("TAILWORD"), "{s}");
    assert!(shown.contains("y go · n hold"), "{s}");
}

/// The output overlay at the other sizes of [22]'s trial (80x24 above).
#[test]
fn the_output_overlay_at_120x35_and_200x50() {
    let theme = Theme::built_in("default").unwrap();
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(5);
    for (w, h) in [(120, 35), (200, 50)] {
        let mut app = room_with_output();
        app.room_mut().unwrap().focus = incident::tui::app::Focus::Log;
        press(&mut app, crossterm::event::KeyCode::Char('o'));
        let s = to_text(&draw(&mut app, &theme, now, w, h));
        assert!(s.contains("NAME READY") && s.contains("line 2"), "{s}");
        insta::assert_snapshot!(format!("run_output_overlay_{w}x{h}"), s);
    }
}

/// At 80x24 with a tall Roles pane the log has a few rows, fewer than a
/// run with a long command and its output takes: its first row is out of
/// sight, yet it fills the log. Tab to the log, then o (as the entry
/// itself says) opens its output; before, o said "Select a run ($) with
/// j/k" until k had scrolled its first row into sight.
#[test]
fn o_opens_a_run_taller_than_the_log() {
    let theme = Theme::built_in("default").unwrap();
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(5);
    let mut fx = Fixture::declared("INC-7", crate::common::fixture_t0());
    let t0 = fx.t0;
    for (i, team) in [
        "db-team",
        "network",
        "payments-sre",
        "storage",
        "security",
        "vendor",
        "dns",
        "cdn",
    ]
    .iter()
    .enumerate()
    {
        fx.apply(
            i as i64,
            "carol",
            Op::Escalate {
                team: team.to_string(),
                kind: "webhook".into(),
                message: None,
            },
        );
    }
    let output: String = (1..=40)
        .map(|i| format!("payments-7f9c-{i} 0/1 CrashLoopBackOff restarts={i}\n"))
        .collect();
    fx.apply(
        6,
        "carol",
        Op::Ran {
            evidence: Box::new(RunEvidence {
                command: "sh -c 'for pod in $(kubectl get pods -n payments -o name); do kubectl describe -n payments $pod | grep -A3 Events; done; kubectl get events -n payments --sort-by=.lastTimestamp'".into(),
                started_at: t0,
                duration_ms: 300,
                exit: Some(0),
                output,
                ..Default::default()
            }),
            request: None,
        },
    );
    let mut app = App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(fx.incident))),
    );
    app.size = (80, 24);
    let s = to_text(&draw(&mut app, &theme, now, 80, 24));
    assert!(s.contains("Tab to the log, then o"), "{s}");
    assert!(
        !s.contains("ran: sh -c"),
        "the run's first row is out of sight: {s}"
    );
    press(&mut app, crossterm::event::KeyCode::Tab);
    assert_eq!(
        app.room().unwrap().focus,
        incident::tui::app::Focus::Log,
        "{s}"
    );
    press(&mut app, crossterm::event::KeyCode::Char('o'));
    assert!(
        matches!(
            app.overlay,
            Some(incident::tui::app::Overlay::Output { seq: 10, .. })
        ),
        "{:?} {:?}",
        app.overlay,
        app.message
    );
}

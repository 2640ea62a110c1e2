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

//! Frames of the war room at 160x48, each beside a baseline in the same
//! run, drawn the way the live view draws them: into one terminal that
//! keeps the previous frame and writes only what changed.
//!
//! - `redraw`: a frame with nothing new, `log_10000_entries` against the
//!   `log_100_entries` baseline (a log that just fills the pane, so both
//!   frames draw the same number of rows);
//! - `new_entry`: a new entry arriving (the live case), appended and then
//!   drawn, both timed, at the same two sizes; each iteration adds one
//!   more entry, as the live log grows;
//! - `page_up_50000_entries`: paging back through a 50,000-entry log, the
//!   PageUp key and then the frame (budget 5 ms), to compare with
//!   `redraw::log_100_entries`.
//!
//! `cargo bench --bench render` measures with divan (100 samples each;
//! divan's own options such as `--sample-count` override that); under
//! `cargo test` (no `--bench` argument) divan runs each benchmark once as
//! a smoke test.

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use divan::Bencher;
use incident::model::{Actor, LogKind, Severity};
use incident::ops::{self, Op, Record};
use incident::tui::app::{App, Focus, Room, Screen};
use incident::tui::theme::Theme;
use incident::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const W: u16 = 160;
const H: u16 = 48;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap()
}

fn entry(i: usize) -> Record {
    Record {
        at: t0() + Duration::seconds(i as i64),
        by: Actor::named("bob"),
        op: Op::Log {
            kind: LogKind::Note,
            text: format!(
                "entry {i}: payments p99 {}ms, pool {}/500, rolling back the canary and watching the error budget",
                i % 900,
                i % 500
            ),
        },
    }
}

fn app(entries: usize) -> App {
    let declare = Record {
        at: t0(),
        by: Actor::named("bob"),
        op: Op::Declare {
            title: "Checkout errors".into(),
            severity: Severity::Sev2,
            roles: vec![],
        },
    };
    let mut inc = ops::genesis("INC-1", &declare).unwrap();
    for i in 0..entries {
        ops::replay(&mut inc, &entry(i));
    }
    let mut app = App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(inc))),
    );
    app.size = (W, H);
    app
}

/// A live view: the app and the terminal it draws into.
struct Live {
    app: App,
    term: Terminal<TestBackend>,
    theme: Theme,
}

impl Live {
    fn new(entries: usize) -> Self {
        let mut live = Live {
            app: app(entries),
            term: Terminal::new(TestBackend::new(W, H)).unwrap(),
            theme: Theme::built_in("default").unwrap(),
        };
        live.frame();
        live
    }

    /// Draw one frame into the terminal that holds the previous one.
    fn frame(&mut self) {
        let now = t0() + Duration::hours(4);
        self.app.now = now;
        let (app, theme) = (&self.app, &self.theme);
        self.term
            .draw(|f| view::render(f, app, theme, now))
            .unwrap();
    }

    /// A new entry lands, then the frame that shows it.
    fn arrival(&mut self) {
        let room = self.app.room_mut().unwrap();
        let i = room.incident.log.len();
        ops::replay(&mut room.incident, &entry(i));
        self.frame();
    }
}

fn bench_redraw(bencher: Bencher, entries: usize) {
    let mut live = Live::new(entries);
    bencher.bench_local(|| live.frame());
}

fn bench_arrival(bencher: Bencher, entries: usize) {
    let mut live = Live::new(entries);
    let before = live.app.room().unwrap().incident.log.len();
    bencher.bench_local(|| live.arrival());
    assert!(
        live.app.room().unwrap().incident.log.len() > before,
        "the entries arrived"
    );
}

/// A frame with nothing new since the last one.
#[divan::bench_group]
mod redraw {
    use divan::Bencher;

    /// The baseline: a log that just fills the pane.
    #[divan::bench]
    fn log_100_entries(bencher: Bencher) {
        super::bench_redraw(bencher, 100);
    }

    #[divan::bench]
    fn log_10000_entries(bencher: Bencher) {
        super::bench_redraw(bencher, 10_000);
    }
}

/// A new entry appended to the log, then the frame that shows it.
#[divan::bench_group]
mod new_entry {
    use divan::Bencher;

    /// The baseline: a log that just fills the pane.
    #[divan::bench]
    fn log_100_entries(bencher: Bencher) {
        super::bench_arrival(bencher, 100);
    }

    #[divan::bench]
    fn log_10000_entries(bencher: Bencher) {
        super::bench_arrival(bencher, 10_000);
    }
}

/// Paging back through 50,000 entries: the PageUp key handled, then the
/// frame that shows the page. Budget 5 ms.
#[divan::bench]
fn page_up_50000_entries(bencher: Bencher) {
    let mut huge = Live::new(50_000);
    huge.app.room_mut().unwrap().focus = Focus::Log;
    let page_up = KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE);
    bencher.bench_local(|| {
        let now = huge.app.now;
        let effect = huge.app.handle_key(page_up, now);
        assert!(effect.is_none(), "paging has no side effect");
        huge.frame();
    });
    assert!(
        huge.app.room().unwrap().log.anchor.is_some(),
        "the view scrolled back"
    );
}

fn main() {
    divan::Divan::default()
        .sample_count(100)
        .config_with_args()
        .main();
}

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
//!   `redraw::log_100_entries`;
//! - `time_travel`: a step on a 50,000-entry incident (`[` or `]` handled,
//!   the state found from the nearest copy, then the frame: budget 50 ms)
//!   against `now_50000_entries`, the live view drawn at now; and, for
//!   the record, the first look back, which reads the file once.
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
use incident::tui::app::{App, Focus, Msg, Room, Screen};
use incident::tui::session::Session;
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
        huge.app.room().unwrap().log.scroll.anchor.is_some(),
        "the view scrolled back"
    );
}

/// A live view on a 50,000-entry incident file, for looking back.
struct Looking {
    _dir: tempfile::TempDir,
    session: Session,
    live: Live,
    /// Stepping back (else forward): turned at either end.
    back: bool,
}

impl Looking {
    fn new(entries: usize) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("INC-1.jsonl");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        use std::io::Write;
        writeln!(
            out,
            r#"{{"schema":1,"id":"INC-1","created_at":"2026-11-26T14:00:00Z","created_by":{{"user":"bob"}}}}"#
        )
        .unwrap();
        let declare = Record {
            at: t0(),
            by: Actor::named("bob"),
            op: Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        };
        for rec in std::iter::once(declare).chain((0..entries).map(entry)) {
            serde_json::to_writer(&mut out, &rec).unwrap();
            out.write_all(b"\n").unwrap();
        }
        out.flush().unwrap();
        drop(out);
        let mut session = Session::new(
            incident::store::Store::new(dir.path()),
            Actor::named("alice"),
        );
        let screen = session.open("INC-1").unwrap();
        let mut app = App::new(Actor::named("alice"), screen);
        app.size = (W, H);
        let mut live = Live {
            app,
            term: Terminal::new(TestBackend::new(W, H)).unwrap(),
            theme: Theme::built_in("default").unwrap(),
        };
        live.frame();
        Looking {
            _dir: dir,
            session,
            live,
            back: true,
        }
    }

    fn key(&mut self, code: KeyCode) {
        let now = self.live.app.now;
        let effects = self
            .live
            .app
            .update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE), now));
        self.session.perform_all(effects, &mut self.live.app);
        // The moment is found off the view's loop: the step is measured
        // until it is back, as the person sees it.
        self.session
            .settle(&mut self.live.app, std::time::Duration::from_secs(10));
    }

    /// One step, `[` or `]`, then the frame that shows it.
    fn step(&mut self) {
        let shown = self.live.app.as_of().map(|a| a.point.entry);
        match shown {
            Some(n) if n < 10 => self.back = false,
            None => self.back = true,
            _ => {}
        }
        self.key(KeyCode::Char(if self.back { '[' } else { ']' }));
        self.live.frame();
    }
}

/// Looking back on a 50,000-entry incident.
#[divan::bench_group]
mod time_travel {
    use super::*;

    /// The baseline: the live view drawn at now, nothing new.
    #[divan::bench]
    fn now_50000_entries(bencher: Bencher) {
        let mut looking = Looking::new(50_000);
        bencher.bench_local(|| looking.live.frame());
    }

    /// A step: `[` (or `]`) handled and the frame drawn. Budget 50 ms.
    #[divan::bench]
    fn step_50000_entries(bencher: Bencher) {
        let mut looking = Looking::new(50_000);
        looking.step();
        bencher.bench_local(|| looking.step());
        let shown = looking.live.app.as_of().map(|a| a.point.entry);
        assert!(shown.is_some_and(|n| n < 50_000), "looking back: {shown:?}");
    }

    /// The first `[`: the file read once for looking back, then the step.
    #[divan::bench]
    fn first_look_back_50000_entries(bencher: Bencher) {
        let mut looking = Looking::new(50_000);
        bencher.bench_local(|| {
            looking.key(KeyCode::Esc);
            looking.key(KeyCode::Char('['));
            looking.live.frame();
        });
        assert!(looking.live.app.as_of().is_some(), "looking back");
    }
}

fn main() {
    divan::Divan::default()
        .sample_count(100)
        .config_with_args()
        .main();
}

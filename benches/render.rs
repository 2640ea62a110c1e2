//! Frames of the war room at 160x48, each beside a baseline in the same
//! run, drawn the way the live view draws them: into one terminal that
//! keeps the previous frame and writes only what changed.
//!
//! - a redraw with nothing new: 10,000-entry log against a 10-entry one;
//! - a new entry arriving (the live case): the same two sizes;
//! - paging back through a 50,000-entry log: the key, then the frame
//!   (budget 5 ms).
//!
//! `cargo bench --bench render` measures; under `cargo test` (no `--bench`
//! argument) it runs a few iterations as a smoke test.

use chrono::{DateTime, Duration, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Actor, LogKind, Severity};
use incident::ops::{self, Op, Record};
use incident::tui::app::{App, Focus, Room, Screen};
use incident::tui::theme::Theme;
use incident::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::time::Instant;

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

    /// Draw one frame; its time in milliseconds.
    fn frame(&mut self) -> f64 {
        let now = t0() + Duration::hours(4);
        self.app.now = now;
        let t = Instant::now();
        let (app, theme) = (&self.app, &self.theme);
        self.term
            .draw(|f| view::render(f, app, theme, now))
            .unwrap();
        t.elapsed().as_secs_f64() * 1e3
    }

    /// A new entry lands, then the frame that shows it; the time of both.
    fn arrival(&mut self) -> f64 {
        let room = self.app.room_mut().unwrap();
        let i = room.incident.log.len();
        let t = Instant::now();
        ops::replay(&mut room.incident, &entry(i));
        let applied = t.elapsed().as_secs_f64() * 1e3;
        applied + self.frame()
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let n = if measuring { 400 } else { 5 };
    let mut small = Live::new(10);
    let mut big = Live::new(10_000);
    // Interleave rounds so machine noise hits both alike.
    let (mut a, mut b, mut c, mut d) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..4 {
        for _ in 0..n / 4 + 1 {
            a.push(small.frame());
            b.push(big.frame());
            c.push(small.arrival());
            d.push(big.arrival());
        }
    }
    let (ma, mb, mc, md) = (median(a), median(b), median(c), median(d));
    println!("redraw 160x48, nothing new, 10-entry log (baseline): median {ma:.3} ms");
    println!(
        "redraw 160x48, nothing new, 10,000-entry log:        median {mb:.3} ms  ({:.2}x baseline)",
        mb / ma
    );
    println!("new entry arrives, 10-entry log (baseline):          median {mc:.3} ms");
    println!(
        "new entry arrives, 10,000-entry log:                 median {md:.3} ms  ({:.2}x baseline)",
        md / mc
    );

    // Paging back through 50,000 entries: the PageUp key handled, then
    // the frame that shows the page.
    let mut huge = Live::new(50_000);
    huge.app.room_mut().unwrap().focus = Focus::Log;
    let mut scroll = Vec::new();
    let page_up = KeyEvent::new(KeyCode::PageUp, KeyModifiers::NONE);
    for _ in 0..n {
        let now = huge.app.now;
        let t = Instant::now();
        let effect = huge.app.handle_key(page_up, now);
        assert!(effect.is_none(), "paging has no side effect");
        let key = t.elapsed().as_secs_f64() * 1e3;
        scroll.push(key + huge.frame());
    }
    assert!(
        huge.app.room().unwrap().log.anchor.is_some(),
        "the view scrolled back"
    );
    let ms = median(scroll);
    println!(
        "PageUp through a 50,000-entry log, key and frame: median {ms:.3} ms  ({:.2}x the 10-entry redraw; budget 5 ms)",
        ms / ma
    );
}

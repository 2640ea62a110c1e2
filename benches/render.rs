//! One frame of the war room at 160x48 with a 10,000-entry log, against a
//! baseline in the same run: the same frame with a 10-entry log. Drawing
//! lays out only visible rows, so the two should be close.
//!
//! `cargo bench --bench render` measures; under `cargo test` (no `--bench`
//! argument) it runs a few iterations as a smoke test.

use chrono::{Duration, TimeZone, Utc};
use incident::model::{Actor, LogKind, Severity};
use incident::ops::{self, Op, Record};
use incident::tui::app::{App, Room, Screen};
use incident::tui::headless::draw;
use incident::tui::theme::Theme;
use std::time::Instant;

fn app(entries: usize) -> App {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap();
    let rec = |i: i64, op| Record {
        at: t0 + Duration::seconds(i),
        by: Actor::named("bob"),
        op,
    };
    let mut inc = ops::genesis(
        "INC-1",
        &rec(
            0,
            Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        ),
    )
    .unwrap();
    for i in 0..entries {
        let text = format!(
            "entry {i}: payments p99 {}ms, pool {}/500, rolling back the canary and watching the error budget",
            i % 900,
            i % 500
        );
        ops::replay(
            &mut inc,
            &rec(
                i as i64,
                Op::Log {
                    kind: LogKind::Note,
                    text,
                },
            ),
        );
    }
    App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(inc))),
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn time_frames(app: &mut App, theme: &Theme, n: usize) -> Vec<f64> {
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 18, 0, 0).unwrap();
    (0..n)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(draw(app, theme, now, 160, 48));
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect()
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let n = if measuring { 400 } else { 5 };
    let theme = Theme::built_in("default").unwrap();
    let mut small = app(10);
    let mut big = app(10_000);
    // Interleave rounds so machine noise hits both alike.
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..4 {
        a.extend(time_frames(&mut small, &theme, n / 4 + 1));
        b.extend(time_frames(&mut big, &theme, n / 4 + 1));
    }
    let (ma, mb) = (median(a), median(b));
    println!("frame 160x48, 10-entry log (baseline): median {ma:.3} ms");
    println!(
        "frame 160x48, 10,000-entry log:        median {mb:.3} ms  ({:.2}x baseline)",
        mb / ma
    );

    // Scrolled back to the middle of the log costs the same.
    let mut mid = app(10_000);
    if let Some(room) = mid.room_mut() {
        room.log.anchor = Some((5_000, 0));
    }
    let mm = median(time_frames(&mut mid, &theme, n));
    println!(
        "frame 160x48, 10,000-entry log, scrolled to the middle: median {mm:.3} ms  ({:.2}x baseline)",
        mm / ma
    );
}

//! The "what is bleeding" analysis on 1,000 systems with 5,000 dependency
//! edges (a tenth of them failing or degraded), `analyse_1000_systems`,
//! and a whole 160x48 frame with that graph on screen,
//! `frame::with_1000_systems`, beside a baseline frame measured in the
//! same run, `frame::no_systems` (the same war room with no systems); and
//! the same two with a log entry landing before each frame
//! (`new_entry_frame`), which makes the pane analyse the graph again, as
//! in the live view when someone writes. Each frame is drawn as the live
//! view draws it, into one terminal that keeps the previous frame. A
//! frame's budget is ~16 ms.
//!
//! `cargo bench --bench bleeding` measures with divan (100 samples each;
//! divan's own options such as `--sample-count` override that); under
//! `cargo test` (no `--bench` argument) divan runs each benchmark once as
//! a smoke test.

use chrono::{TimeZone, Utc};
use divan::Bencher;
use incident::model::{Actor, Evidence, Incident, Severity, SystemStatus};
use incident::ops::{self, Op, Record};
use incident::systems::{SystemSpec, analysis};
use incident::tui::app::{App, Room, Screen};
use incident::tui::theme::Theme;
use incident::tui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn incident(systems: usize, edges_each: usize) -> Incident {
    let t0 = Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap();
    let rec = |op| Record {
        at: t0,
        by: Actor::named("bob"),
        op,
    };
    let decl = Op::Declare {
        title: "Checkout errors".into(),
        severity: Severity::Sev1,
        roles: vec![],
    };
    let mut inc = ops::genesis("INC-1", &rec(decl)).unwrap();
    if systems == 0 {
        return inc;
    }
    // A layered graph: each system depends on `edges_each` systems in
    // later layers, pseudo-randomly, so there are chains, diamonds and fan-out.
    let mut seed = 0x2545_f491_u64;
    let mut next = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    let specs: Vec<SystemSpec> = (0..systems)
        .map(|i| SystemSpec {
            name: format!("svc-{i:04}"),
            owner: None,
            note: None,
            depends_on: (0..edges_each)
                .filter_map(|_| {
                    let j = i + 1 + next(systems / 4 + 1);
                    (j < systems).then(|| format!("svc-{j:04}"))
                })
                .collect(),
        })
        .collect();
    ops::apply(
        &mut inc,
        &rec(Op::ImportSystems {
            source: "bench".into(),
            systems: specs,
        }),
    )
    .unwrap();
    for i in 0..systems {
        let status = match next(10) {
            0 => SystemStatus::Failing,
            1 => SystemStatus::Degraded,
            2..=5 => SystemStatus::Ok,
            _ => continue,
        };
        let op = Op::SetSystem {
            name: format!("svc-{i:04}"),
            status,
            evidence: Some(Evidence {
                text: "bench".into(),
                entry: None,
            }),
            owner: None,
            note: None,
        };
        ops::apply(&mut inc, &rec(op)).unwrap();
    }
    inc
}

/// A whole frame of the war room around `inc`, at 160x48, drawn as the
/// live view draws: into one terminal that keeps the previous frame. With
/// `arriving`, a log entry lands before each frame, as when someone
/// writes: the incident's revision moves, so the bleeding pane analyses
/// the graph again instead of reusing its last tree.
fn bench_frame(bencher: Bencher, inc: Incident, arriving: bool) {
    let theme = Theme::built_in("default").unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 15, 0, 0).unwrap();
    let mut app = App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(inc))),
    );
    app.size = (160, 48);
    app.now = now;
    let mut term = Terminal::new(TestBackend::new(160, 48)).unwrap();
    let before = app.room().unwrap().incident.revision;
    bencher.bench_local(|| {
        if arriving {
            let room = app.room_mut().unwrap();
            let entry = Record {
                at: now,
                by: Actor::named("bob"),
                op: Op::Log {
                    kind: incident::model::LogKind::Note,
                    text: "db-1 replication lag back under a second".into(),
                },
            };
            ops::replay(&mut room.incident, &entry);
        }
        term.draw(|f| view::render(f, &app, &theme, now)).unwrap();
    });
    let after = app.room().unwrap().incident.revision;
    assert_eq!(after > before, arriving, "entries arrived only when asked");
}

#[divan::bench]
fn analyse_1000_systems(bencher: Bencher) {
    let big = incident(1_000, 6);
    bencher.bench_local(|| analysis::analyse(&big.systems));
}

/// A frame with nothing new (the bleeding pane reuses its tree).
#[divan::bench_group]
mod frame {
    use divan::Bencher;

    /// The baseline: the same war room with no systems.
    #[divan::bench]
    fn no_systems(bencher: Bencher) {
        super::bench_frame(bencher, super::incident(0, 0), false);
    }

    #[divan::bench]
    fn with_1000_systems(bencher: Bencher) {
        super::bench_frame(bencher, super::incident(1_000, 6), false);
    }
}

/// A log entry lands, then the frame: the graph is analysed again.
#[divan::bench_group]
mod new_entry_frame {
    use divan::Bencher;

    /// The baseline: the same war room with no systems.
    #[divan::bench]
    fn no_systems(bencher: Bencher) {
        super::bench_frame(bencher, super::incident(0, 0), true);
    }

    #[divan::bench]
    fn with_1000_systems(bencher: Bencher) {
        super::bench_frame(bencher, super::incident(1_000, 6), true);
    }
}

fn main() {
    divan::Divan::default()
        .sample_count(100)
        .config_with_args()
        .main();
}

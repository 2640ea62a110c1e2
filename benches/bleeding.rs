//! The "what is bleeding" analysis on 1,000 systems with 5,000 dependency
//! edges (a tenth of them failing or degraded), and a whole frame with
//! that graph on screen, beside a baseline frame measured in the same run
//! (the same war room with no systems). A frame's budget is ~16 ms.
//!
//! `cargo bench --bench bleeding` measures; under `cargo test` it runs a
//! few iterations as a smoke test.

use chrono::{TimeZone, Utc};
use incident::model::{Actor, Evidence, Incident, Severity, SystemStatus};
use incident::ops::{self, Op, Record};
use incident::systems::{SystemSpec, analysis};
use incident::tui::app::{App, Room, Screen};
use incident::tui::headless::draw;
use incident::tui::theme::Theme;
use std::time::Instant;

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

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn time(n: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect(),
    )
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let n = if measuring { 200 } else { 3 };
    let big = incident(1_000, 6);
    let edges: usize = big.systems.values().map(|s| s.depends_on.len()).sum();
    let theme = Theme::built_in("default").unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 15, 0, 0).unwrap();

    let analyse = time(n, || {
        std::hint::black_box(analysis::analyse(&big.systems));
    });
    let mut plain = App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(incident(0, 0)))),
    );
    let mut with_graph = App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(big.clone()))),
    );
    let (mut base, mut graph) = (Vec::new(), Vec::new());
    for _ in 0..4 {
        base.push(time(n / 4 + 1, || {
            std::hint::black_box(draw(&mut plain, &theme, now, 160, 48));
        }));
        graph.push(time(n / 4 + 1, || {
            std::hint::black_box(draw(&mut with_graph, &theme, now, 160, 48));
        }));
    }
    let (base, graph) = (median(base), median(graph));
    println!(
        "analysis, {} systems / {edges} edges: median {analyse:.3} ms ({:.1}% of a 16.7 ms frame)",
        big.systems.len(),
        analyse / 16.7 * 100.0
    );
    println!("frame 160x48, no systems (baseline):  median {base:.3} ms");
    println!(
        "frame 160x48, that graph on screen:   median {graph:.3} ms  ({:.2}x baseline)",
        graph / base
    );
}

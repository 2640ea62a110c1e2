//! Opening an incident in the live view (`Session::open`: the file, the
//! team's settings, the playbook, who is here, the other incidents'
//! freezes, last time's draft) on a 10,000-entry incident, beside the
//! floor measured in the same run: reading the same file and parsing
//! every line into owned values, nothing more. Budget: 2x the floor.
//!
//! The directory is a team's: its settings, a playbook, and twenty other
//! incidents, one of which froze deploys.
//!
//! `cargo bench --bench open` measures (41 rounds each, medians); under
//! `cargo test` it runs three rounds as a smoke test.

use incident::model::{Actor, Severity};
use incident::ops::Op;
use incident::store::Store;
use incident::tui::session::Session;
use std::path::Path;
use std::time::Instant;

#[path = "support/incident_file.rs"]
mod incident_file;
use incident_file::{parse_only, write_incident};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

fn time_ms(rounds: usize, mut f: impl FnMut()) -> f64 {
    let samples = (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    median(samples)
}

/// A team's directory: settings, a playbook, twenty other incidents (one
/// holding a deploy freeze) and INC-100 with `entries` entries.
fn team_dir(dir: &Path, entries: usize) -> Store {
    let store = Store::new(dir);
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("incident.toml"),
        "takeover_after = 10\n\n[human]\nprocedure_pause = 2\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("playbooks.toml"),
        "[[play]]\nsystem = \"payments\"\ntext = \"Fail payments over to the standby region\"\nkind = \"failover\"\nrisk = \"high\"\nspeed = \"slow\"\n",
    )
    .unwrap();
    let bob = Actor::named("bob");
    for i in 0..20 {
        store
            .declare(&bob, &format!("Older incident {i}"), Severity::Sev3)
            .unwrap();
    }
    store
        .append(
            Some("INC-3"),
            &bob,
            Op::Freeze {
                reason: Some("release weekend".into()),
            },
        )
        .unwrap();
    write_incident(dir, "INC-100", entries, 0);
    store
}

fn main() {
    let measuring = std::env::args().any(|a| a == "--bench");
    let rounds = if measuring { 41 } else { 3 };
    let tmp = tempfile::tempdir().unwrap();
    let state = tempfile::tempdir().unwrap();
    let store = team_dir(tmp.path(), 10_000);
    let path = store.path_of("INC-100");
    // Warm the page cache and the allocator for both.
    parse_only(&path);
    let floor = time_ms(rounds, || parse_only(&path));
    let open = time_ms(rounds, || {
        let mut s = Session::new(store.clone(), Actor::named("alice"));
        s.state_dir = Some(state.path().to_path_buf());
        let screen = s.open("INC-100").expect("opens");
        std::hint::black_box(screen);
    });
    let ratio = open / floor;
    println!(
        "open in the live view, 10,000 entries: Session::open {open:.2} ms vs read+parse only {floor:.2} ms ({ratio:.2}x; budget 2x)"
    );
}

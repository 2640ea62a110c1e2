//! The directory index (`.index/`) against the incident files, as users
//! see it: what `incident active` names is exactly what the files say is
//! active, and `incident doctor` finds nothing that could hide one. Shared
//! by the local-disk and the GlusterFS tests.

use super::*;
use std::collections::BTreeSet;
use std::os::unix::process::ExitStatusExt;
use std::time::Duration;

/// The ids `active` names, seen from `dir`.
pub fn active_ids(dir: &Path) -> BTreeSet<String> {
    let o = run(dir, &["active", "--short"]);
    assert!(
        o.status.success() || o.status.code() == Some(1),
        "{}",
        describe(&["active", "--short"], &o)
    );
    stdout(&o)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// The ids the files say are active (and not drills), read from every file.
pub fn truly_active(dir: &Path) -> BTreeSet<String> {
    let all: Value = serde_json::from_str(&ok(dir, &["list", "--all", "--json"])).unwrap();
    all.as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] != "resolved" && i["closed"].is_null() && i["drill"] != true)
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

/// `active` agrees with the files on every box, and `doctor` exits 0
/// (no difference that could hide an incident).
pub fn index_agrees(boxes: &[&Path]) {
    let truth = truly_active(boxes[0]);
    for dir in boxes {
        assert_eq!(active_ids(dir), truth, "active on {}", dir.display());
        let o = run(dir, &["doctor"]);
        assert!(o.status.success(), "{}", describe(&["doctor"], &o));
        assert!(
            stdout(&o).contains("index (.index/): agrees") || stdout(&o).contains("(harmless)"),
            "{}",
            stdout(&o)
        );
    }
}

/// Writers on both boxes at once, each on incidents of its own: declare,
/// page, resolve, reopen, resolve again; then the index agrees with the
/// files, and a late page for each resolved incident's alert finds it.
pub fn writers_on_both_boxes_keep_the_index_true(boxes: [&Path; 2], per_box: usize) {
    let threads: Vec<_> = (0..2 * per_box)
        .map(|w| {
            let dir = boxes[w % 2].to_path_buf();
            std::thread::spawn(move || {
                let id = declare(&dir, &format!("writer {w}"));
                for (n, status) in ["resolved", "investigating", "resolved"].iter().enumerate() {
                    if w % 3 == 0 && n == 2 {
                        break; // some stay reopened
                    }
                    ok(&dir, &["status", status, "-i", &id, "--force"]);
                }
                id
            })
        })
        .collect();
    let ids: Vec<String> = threads
        .into_iter()
        .map(|t| t.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        .collect();
    assert_eq!(
        ids.iter().collect::<BTreeSet<_>>().len(),
        ids.len(),
        "{ids:?}"
    );
    index_agrees(&boxes);
}

/// Status flips on one incident by writers SIGKILLed at 0–15 ms, from
/// either box: whatever each left, `active` still agrees with the file.
pub fn writers_killed_mid_update_leave_the_index_true(boxes: [&Path; 2], rounds: u64) {
    let id = declare(boxes[0], "Killed while ending");
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut killed = 0;
    let mut slowest = Duration::ZERO;
    for i in 0..rounds {
        let status = if i % 2 == 0 {
            "resolved"
        } else {
            "investigating"
        };
        let mut child = cmd(boxes[(i % 2) as usize])
            .args(["status", status, "-i", &id, "--force"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        std::thread::sleep(Duration::from_micros((state >> 33) % 15_001));
        let _ = child.kill();
        let st = child.wait().unwrap();
        if st.signal() == Some(9) {
            killed += 1;
        }
        // The box that wrote agrees at once; the other once the shared file
        // system shows it the new index. A GlusterFS client caches a name's
        // lookup and a file's attributes about a second each, so a file
        // renamed over from the other box can read old for two of those,
        // more on a loaded machine (CI saw over 1.5 s once); it must come
        // right, and the slowest is printed.
        let writer = boxes[(i % 2) as usize];
        let truth = truly_active(writer).contains(&id);
        assert_eq!(
            active_ids(writer).contains(&id),
            truth,
            "round {i} on {}: active disagrees with the file",
            writer.display()
        );
        let began = std::time::Instant::now();
        for dir in boxes {
            while active_ids(dir).contains(&id) != truth {
                assert!(
                    began.elapsed() < Duration::from_secs(5),
                    "round {i} on {}: active disagrees with the file after 5 s",
                    dir.display()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        slowest = slowest.max(began.elapsed());
    }
    eprintln!(
        "{rounds} status changes, {killed} writers killed; the other box agreed within {slowest:.0?} at worst"
    );
    index_agrees(&boxes);
}

/// A year's worth of closed incidents written as an older version left
/// them (no index), then the first command builds the index, and `page`
/// of an old alert is logged on its ended incident, not declared anew.
pub fn a_directory_from_before_the_index_is_read_right(dir: &Path, closed: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pager/alertmanager-v4-firing.json");
    let mut payload: Value = serde_json::from_slice(&std::fs::read(fixture).unwrap()).unwrap();
    payload["groupKey"] = Value::from("{}:{alertname=\"a-year-ago\"}");
    let body = serde_json::to_vec(&payload).unwrap();
    let o = run_with_stdin(dir, &["page", "--json", "-"], &body);
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    let first: Value = serde_json::from_slice(&o.stdout).unwrap();
    let old = first["incident"].as_str().unwrap().to_string();
    ok(dir, &["status", "resolved", "-i", &old, "--force"]);
    // Copies of other ended incidents, and no index: as an older version.
    let text = std::fs::read_to_string(file_of(dir, &old)).unwrap();
    let n0: usize = old.trim_start_matches("INC-").parse().unwrap();
    for n in n0 + 1..=n0 + closed {
        let copy = text
            .replacen(
                &format!("\"id\":\"{old}\""),
                &format!("\"id\":\"INC-{n}\""),
                1,
            )
            .replace("a-year-ago", &format!("closed-{n}"));
        std::fs::write(dir.join(format!("INC-{n}.jsonl")), copy).unwrap();
    }
    std::fs::remove_dir_all(dir.join(".index")).unwrap();
    assert!(active_ids(dir).is_empty());
    // The same alert resolving, late: logged on the incident it opened.
    payload["status"] = Value::from("resolved");
    if let Some(alerts) = payload["alerts"].as_array_mut() {
        for a in alerts {
            a["status"] = Value::from("resolved");
        }
    }
    let o = run_with_stdin(
        dir,
        &["page", "--json", "-"],
        &serde_json::to_vec(&payload).unwrap(),
    );
    let late: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(late["incident"], old.as_str(), "{late}");
    assert_eq!(late["outcome"], "logged", "{late}");
    // The next incident takes the number after the year.
    let next = declare(dir, "The next one");
    assert_eq!(next, format!("INC-{}", n0 + closed + 1));
    index_agrees(&[dir]);
}

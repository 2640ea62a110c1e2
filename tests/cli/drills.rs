//! Drills end to end on the built binary: the scenarios, a drill played
//! headless, kept apart from the real incidents, and its debrief.

use crate::common::*;
use std::io::Read;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Wait until `incident show --json` of `id` satisfies `ok`.
fn wait_for(dir: &Path, id: &str, what: &str, ok: impl Fn(&serde_json::Value) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let shown = show_json(dir, id);
        if ok(&shown) {
            return;
        }
        assert!(Instant::now() < deadline, "never {what}: {shown:#}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn drill_list_shows_the_built_ins_and_the_teams_own() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir_all(dir.join("drills")).unwrap();
    std::fs::write(
        dir.join("drills/dns.toml"),
        "title = \"DNS answers NXDOMAIN\"\nseverity = \"SEV2\"\nabout = \"Our own: DNS\"\n\
         [[event]]\nat = \"0s\"\nsystem = { name = \"dns\", status = \"failing\", evidence = \"dig fails\" }\n",
    )
    .unwrap();
    std::fs::write(dir.join("drills/broken.toml"), "title = 3").unwrap();
    let o = run(dir, &["drill", "--list"]);
    let out = stdout(&o);
    for name in ["bad-deploy", "vendor-outage", "long-night", "dns"] {
        assert!(out.contains(&format!("  {name} ")), "{name}: {out}");
    }
    assert!(out.contains("Our own: DNS"), "{out}");
    assert!(
        stderr(&o).contains("broken.toml"),
        "a file that does not read is named"
    );
    let err = fails(dir, &["drill", "fire-drill"], 2);
    assert!(
        err.contains("no drill scenario called 'fire-drill': choose one of bad-deploy, vendor-outage, long-night, dns"),
        "{err}"
    );
}

#[test]
fn a_drill_plays_apart_from_the_real_incidents_and_ends_with_a_debrief() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut child = cmd(dir)
        .args([
            "--name",
            "alice",
            "drill",
            "bad-deploy",
            "--speed",
            "120",
            "--no-open",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The id comes first, so a facilitator can hand it round.
    let mut out = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while out.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let id = String::from_utf8(first).unwrap();
    assert!(id.starts_with("INC-"), "{id}");

    // Two minutes of scenario at 120x: a second. The deploy at 6m lands
    // (nobody froze deploys) and payments fails.
    wait_for(dir, &id, "the deploy", |v| {
        texts(v)
            .iter()
            .any(|t| t == "deployed payments v43 (deploys were not frozen)")
    });
    let shown = show_json(dir, &id);
    assert_eq!(shown["drill"]["scenario"], "bad-deploy");
    assert_eq!(
        shown["declared_by"], "alice",
        "--name is the person, not the scenario"
    );
    assert_eq!(shown["systems"]["payments"]["status"], "failing");
    assert!(
        texts(&shown)
            .iter()
            .any(|t| t.starts_with("customers report card payments failing")),
        "{:?}",
        texts(&shown)
    );

    // Kept apart: no active incident, no freeze, nothing in the stats; a
    // real page with the drill's alert declares a real incident.
    ok(
        dir,
        &["--name", "alice", "freeze", "on", "-i", &id, "drill freeze"],
    );
    let active = run(dir, &["active"]);
    assert_eq!(active.status.code(), Some(1), "{}", stdout(&active));
    let frozen = run(dir, &["freeze", "status"]);
    assert_eq!(frozen.status.code(), Some(0), "{}", stdout(&frozen));
    assert!(
        ok(dir, &["stats"]).starts_with("0 incidents counted, 0 still open (left out: 1 drill)")
    );
    let list = ok(dir, &["list", "--all"]);
    assert!(
        list.contains("DRILL · Checkout errors after a payments deploy"),
        "{list}"
    );
    let show = ok(dir, &["show", "-i", &id]);
    assert!(show.contains("DRILL"), "{show}");
    let mut tail = cmd(dir)
        .args(["tail", "-i", &id, "-n", "1"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut tail_out = tail.stdout.take().unwrap();
    let mut line = Vec::new();
    while tail_out.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    let _ = tail.kill();
    let _ = tail.wait();
    assert!(
        String::from_utf8(line.clone())
            .unwrap()
            .starts_with("DRILL #"),
        "{}",
        String::from_utf8_lossy(&line)
    );
    let screen = ok(dir, &["screen", "-i", &id, "--size", "100x30"]);
    assert!(
        screen.lines().next().unwrap().contains(" DRILL "),
        "{screen}"
    );

    // The commander takes over, rolls back, payments recovers; resolving
    // ends the drill and the runner prints the debrief.
    ok(dir, &["--name", "alice", "role", "claim", "ic", "-i", &id]);
    ok(
        dir,
        &[
            "--name",
            "alice",
            "mitigation",
            "add",
            "-i",
            &id,
            "--kind",
            "rollback",
            "--system",
            "payments",
            "Roll back payments",
        ],
    );
    ok(
        dir,
        &["--name", "alice", "mitigation", "start", "-i", &id, "M1"],
    );
    ok(
        dir,
        &[
            "--name",
            "alice",
            "mitigation",
            "done",
            "-i",
            &id,
            "M1",
            "rolled back",
        ],
    );
    wait_for(dir, &id, "payments recovering", |v| {
        v["systems"]["payments"]["status"] == "ok"
    });
    ok(
        dir,
        &[
            "--name", "alice", "status", "resolved", "--force", "-i", &id,
        ],
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the runner never stopped");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    assert!(
        rest.contains("page from Alertmanager: checkout 5xx rate above 5% for 5 minutes"),
        "{rest}"
    );
    assert!(rest.contains("payments recovers after M1"), "{rest}");
    assert!(
        rest.contains(&format!(
            "DRILL debrief — {id} (scenario bad-deploy, played at 120x: every time below is on the scenario's clock)"
        )),
        "{rest}"
    );
    // She claimed it after the deploy at 6m on the scenario's clock: late
    // on the clock the drill is judged by, however few seconds it was.
    assert!(
        rest.contains("✗ commander: alice took commander "),
        "{rest}"
    );
    assert!(
        rest.contains(
            " in, late. The practice: someone holds commander within the first 5 minutes."
        ),
        "{rest}"
    );
    assert!(
        rest.contains("✗ communications: Nobody took communications"),
        "{rest}"
    );
    assert!(
        rest.contains("✗ deploy freeze: A deploy landed in the middle of the incident"),
        "{rest}"
    );

    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["drill", "debrief", &id, "--json"])).unwrap();
    assert_eq!(json["scenario"], "bad-deploy");
    let topics: Vec<&str> = json["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["topic"].as_str().unwrap())
        .collect();
    assert_eq!(
        topics,
        [
            "commander",
            "communications",
            "first mitigation",
            "go before destructive actions",
            "assumptions checked",
            "deploy freeze",
            "break",
            "updates on cadence"
        ]
    );
    let md = ok(dir, &["export", "-i", &id]);
    assert!(
        md.starts_with("# DRILL · Checkout errors after a payments deploy — post-mortem (draft)"),
        "{md}"
    );
    assert!(
        md.contains("## Drill debrief\n\nThis was a drill (scenario bad-deploy)"),
        "{md}"
    );
    assert!(
        md.contains("- ✗ **deploy freeze:** A deploy landed"),
        "{md}"
    );
    let real = declare(dir, "Real outage");
    let err = fails(dir, &["drill", "debrief", &real], 1);
    assert!(err.contains("is not a drill"), "{err}");
}

#[test]
fn a_real_page_never_joins_a_drill() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = cmd(dir)
        .args(["drill", "bad-deploy", "--speed", "1000", "--no-open"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut child = o;
    let mut out = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while out.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let drill = String::from_utf8(first).unwrap();
    wait_for(dir, &drill, "the page", |v| {
        v["pager_keys"].as_array().is_some_and(|k| !k.is_empty())
    });
    // The same alert, for real.
    let payload = r#"{"version":"4","groupKey":"drill:{alertname=\"CheckoutErrorRate\"}","status":"firing","receiver":"incident",
      "groupLabels":{"alertname":"CheckoutErrorRate"},"commonLabels":{"alertname":"CheckoutErrorRate","severity":"critical","service":"checkout"},
      "commonAnnotations":{"summary":"checkout 5xx rate above 5% for 5 minutes"},"externalURL":"http://am:9093",
      "alerts":[{"status":"firing","labels":{"alertname":"CheckoutErrorRate","service":"checkout"},"annotations":{},
      "startsAt":"2026-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","fingerprint":"x"}]}"#;
    let path = dir.join("page.json");
    std::fs::write(&path, payload).unwrap();
    let real = verdict_id(&ok(dir, &["page", path.to_str().unwrap()]));
    assert_ne!(real, drill, "a real page declares a real incident");
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_readmes_example_scenario_reads() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let drills = &readme[readme.find("## Drills").expect("a Drills section")..];
    let start = drills.find("```toml\n").expect("an example") + "```toml\n".len();
    let example = &drills[start..start + drills[start..].find("```").unwrap()];
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("drills")).unwrap();
    std::fs::write(tmp.path().join("drills/dns.toml"), example).unwrap();
    let o = run(tmp.path(), &["drill", "--list"]);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
    assert!(stdout(&o).contains("  dns  "), "{}", stdout(&o));
}

/// Start `incident drill ARGS` headless: the child, its output after the
/// first line, and the id that line gives.
fn start_drill(
    dir: &Path,
    args: &[&str],
) -> (std::process::Child, std::process::ChildStdout, String) {
    let mut child = cmd(dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while out.read(&mut byte).unwrap() == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let id = String::from_utf8(first).unwrap();
    assert!(id.starts_with("INC-"), "{id}");
    (child, out, id)
}

/// "1h05m", "35m", "5m20s", "40s" in seconds.
fn seconds(figure: &str) -> i64 {
    let mut total = 0;
    let mut n = String::new();
    for c in figure.chars() {
        match c {
            '0'..='9' => n.push(c),
            'h' | 'm' | 's' => {
                let mult = match c {
                    'h' => 3600,
                    'm' => 60,
                    _ => 1,
                };
                total += n.parse::<i64>().unwrap_or_else(|_| panic!("{figure}")) * mult;
                n.clear();
            }
            _ => panic!("not a duration: {figure}"),
        }
    }
    total
}

#[test]
fn the_debrief_judges_what_happened_on_the_scenarios_clock() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (mut child, mut out, id) = start_drill(
        dir,
        &[
            "--name",
            "alice",
            "drill",
            "bad-deploy",
            "--speed",
            "300",
            "--no-open",
        ],
    );
    let as_ = |who: &str, args: &[&str]| {
        let mut all = vec!["--name", who];
        all.extend_from_slice(args);
        all.extend_from_slice(&["-i", &id]);
        ok(dir, &all)
    };
    // One person commands and communicates.
    as_("alice", &["role", "claim", "ic"]);
    as_("alice", &["role", "claim", "comms"]);
    // bob's rollback waits for the commander's go.
    as_(
        "bob",
        &[
            "mitigation",
            "add",
            "--kind",
            "rollback",
            "--system",
            "payments",
            "Roll back payments",
        ],
    );
    let asked = run(
        dir,
        &["--name", "bob", "mitigation", "start", "-i", &id, "M1"],
    );
    assert!(
        format!("{}{}", stdout(&asked), stderr(&asked))
            .contains("asked the commander for go as R1"),
        "{}{}",
        stdout(&asked),
        stderr(&asked)
    );
    as_("alice", &["answer", "R1", "go"]);
    as_("bob", &["mitigation", "start", "M1"]);
    as_("bob", &["mitigation", "done", "M1", "rolled back"]);
    wait_for(dir, &id, "payments recovering", |v| {
        v["systems"]["payments"]["status"] == "ok"
    });
    // Impact stops: the tool starts a team break by itself.
    as_("alice", &["status", "mitigated", "--force"]);
    as_(
        "alice",
        &["update", "payments recovered after the rollback"],
    );
    std::thread::sleep(Duration::from_millis(600));
    wait_for(dir, &id, "the deploy at 6m", |v| {
        texts(v)
            .iter()
            .any(|t| t == "deployed payments v43 (deploys were not frozen)")
    });
    as_("alice", &["status", "resolved", "--force"]);
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the runner never stopped");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    // The runner's lines are on the scenario's clock too: the deploy
    // due at 6m says so, though a second or two of wall time had passed.
    let deploy = rest
        .lines()
        .find(|l| l.ends_with(" deployed payments v43 (deploys were not frozen)"))
        .unwrap_or_else(|| panic!("{rest}"));
    let minutes: i64 = deploy[1..deploy.find(':').unwrap()].parse().unwrap();
    assert!(minutes >= 6, "{deploy}");
    assert!(
        rest.contains(&format!(
            "DRILL debrief — {id} (scenario bad-deploy, played at 300x: every time below is on the scenario's clock), ended after"
        )),
        "{rest}"
    );
    assert!(
        rest.contains("✓ go before destructive actions: 1 destructive action taken, every one cleared: M1 \"Roll back payments\" (rollback) after alice's go on R1."),
        "{rest}"
    );
    assert!(
        rest.contains("break: A team break started automatically when impact stopped ("),
        "{rest}"
    );
    assert!(rest.contains("nobody called one"), "{rest}");
    assert!(!rest.contains("called a team break"), "{rest}");
    assert!(
        rest.contains("✗ communications: alice held commander and communications at once from"),
        "{rest}"
    );
    assert!(!rest.contains("✓ communications"), "{rest}");

    // The gaps between updates are on the same clock as the drill's length
    // and the cadence: at 300x a second of wall time is five minutes.
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["drill", "debrief", &id, "--json"])).unwrap();
    let ran = json["scenario_seconds"].as_i64().unwrap();
    let updates = json["points"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["topic"] == "updates on cadence")
        .unwrap()["text"]
        .as_str()
        .unwrap()
        .to_string();
    let figure = updates
        .split("the longest stretch without one was ")
        .nth(1)
        .and_then(|s| s.split(" against a cadence of 20 minutes").next())
        .unwrap_or_else(|| panic!("{updates}"));
    let longest = seconds(figure);
    assert!(
        // (Each figure is rounded to whole scenario seconds, and at 300x
        // a millisecond of wall time is 0.3 s: allow them a few.)
        ran >= 180 && (longest + 3) * 2 >= ran && longest <= ran,
        "one update splits a {ran}s drill in two; the longer part is {longest}s: {updates}"
    );
    let text = ok(dir, &["drill", "debrief", &id]);
    assert!(
        text.contains(&format!("ended after {}", {
            let s = ran;
            if s >= 3600 {
                format!("{}h{:02}m", s / 3600, s / 60 % 60)
            } else if s % 60 == 0 {
                format!("{}m", s / 60)
            } else {
                format!("{}m{:02}s", s / 60, s % 60)
            }
        })),
        "{text}"
    );
}

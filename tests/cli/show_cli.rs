//! `incident show` prints the state as the war room shows it (roles,
//! what is bleeding, impact, mitigations, waiting requests, the freeze,
//! updates, then the log), and `--json` carries the same; `incident list`
//! marks an away commander; what a view writes by itself is the tool's.

use crate::common::*;

/// The first `n` lines `incident tail -n N` prints (it then follows; it
/// is stopped once they are read).
fn tail_lines(dir: &std::path::Path, n: usize) -> Vec<String> {
    use std::io::BufRead;
    let mut child = cmd(dir)
        .args(["tail", "-n", &n.to_string()])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let out = std::io::BufReader::new(child.stdout.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let lines = (0..n)
        .map(|_| {
            rx.recv_timeout(std::time::Duration::from_secs(10))
                .expect("a line from tail")
        })
        .collect();
    let _ = child.kill();
    let _ = child.wait();
    lines
}

/// The part of `incident show` under `heading`, up to the next heading.
fn part<'a>(shown: &'a str, heading: &str) -> &'a str {
    let start = shown
        .find(&format!("\n{heading}"))
        .unwrap_or_else(|| panic!("no {heading} in:\n{shown}"));
    let rest = &shown[start + 1..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    &rest[..end]
}

#[test]
fn show_prints_the_state_and_it_moves_with_the_incident() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    ok(dir, &["--name", "alice", "role", "claim", "ic"]);
    ok(dir, &["--name", "bob", "role", "claim", "comms"]);
    ok(
        dir,
        &[
            "--name", "carol", "system", "depend", "checkout", "payments",
        ],
    );
    ok(
        dir,
        &["--name", "carol", "system", "depend", "payments", "stripe"],
    );
    ok(
        dir,
        &[
            "--name",
            "carol",
            "system",
            "set",
            "payments",
            "failing",
            "--evidence",
            "5xx 14%",
        ],
    );
    ok(
        dir,
        &["--name", "carol", "system", "set", "stripe", "degraded"],
    );
    ok(
        dir,
        &[
            "--name",
            "carol",
            "impact",
            "all card checkouts failing, ~14%",
        ],
    );
    ok(
        dir,
        &[
            "--name",
            "carol",
            "mitigation",
            "add",
            "--kind",
            "rollback",
            "--risk",
            "low",
            "roll back payments",
        ],
    );
    ok(dir, &["--name", "carol", "announce", "restart payments-1"]);
    ok(dir, &["--name", "alice", "freeze", "on", "bad deploy"]);
    ok(
        dir,
        &[
            "--name",
            "bob",
            "update",
            "We are investigating checkout errors",
        ],
    );

    let shown = ok(dir, &["show"]);
    // In the order the screen reads, the log last.
    let order = [
        "\nRoles",
        "\nWhat is bleeding",
        "\nMitigations",
        "\nWaiting",
        "\nDeploy freeze",
        "\nUpdates (every 20m)",
        "\nAction log",
    ];
    let at: Vec<usize> = order
        .iter()
        .map(|h| {
            shown
                .find(h)
                .unwrap_or_else(|| panic!("no {h} in:\n{shown}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{shown}");
    assert!(
        part(&shown, "Roles").contains("alice  (away <1m"),
        "{shown}"
    );
    let bleeding = part(&shown, "What is bleeding");
    assert!(
        bleeding.contains("payments             failing   verified")
            && bleeding.contains("stripe               degraded  unverified")
            && !bleeding.contains("checkout             ")
            && bleeding.contains("Impact: all card checkouts failing, ~14% (carol"),
        "{bleeding}"
    );
    // The suspect as `incident bleeding` says it, word for word.
    let said = ok(dir, &["bleeding"]);
    let suspect = said
        .lines()
        .find(|l| l.starts_with("Suspected source"))
        .unwrap();
    assert!(bleeding.contains(suspect), "{bleeding}\n---\n{said}");
    let mitigations = part(&shown, "Mitigations");
    assert!(
        mitigations.contains("M1   proposed") && mitigations.contains("roll back payments"),
        "{mitigations}"
    );
    let waiting = part(&shown, "Waiting");
    assert!(
        waiting.contains("R1 carol: restart payments-1") && waiting.contains("alice's go or hold"),
        "{waiting}"
    );
    assert!(
        part(&shown, "Deploy freeze").contains("DEPLOYS FROZEN since")
            && part(&shown, "Deploy freeze").contains("by alice: bad deploy"),
        "{shown}"
    );
    let updates = part(&shown, "Updates");
    assert!(
        updates.contains("last   U1")
            && updates.contains("by bob: We are investigating")
            && updates.contains("next   due")
            && (updates.contains("(in 19m)") || updates.contains("(in 20m)")),
        "{updates}"
    );

    let json = show_json(dir, &id);
    // What it printed before is all still there.
    assert_eq!(json["roles"]["commander"]["user"], "alice");
    assert!(json["log"].is_array() && json["mitigations"].is_array());
    // And the state beside it.
    assert_eq!(json["role_holders"]["commander"]["user"], "alice");
    assert_eq!(json["role_holders"]["commander"]["away_minutes"], 0);
    let bleeding_json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["bleeding", "--json"])).unwrap();
    assert_eq!(json["bleeding"], bleeding_json);
    assert_eq!(json["hurting"].as_array().unwrap().len(), 2, "{json}");
    assert_eq!(json["impact"]["text"], "all card checkouts failing, ~14%");
    assert_eq!(json["waiting"][0]["id"], 1);
    assert_eq!(json["deploys_frozen"], true);
    assert_eq!(json["updates"]["count"], 1);
    assert_eq!(json["updates"]["every_minutes"], 20);
    assert!(json["updates"]["next_due"].is_string());

    // The incident moves: go, the rollback done, the freeze lifted,
    // payments back, mitigated.
    ok(dir, &["--name", "alice", "answer", "R1", "go"]);
    // A rollback changes production: it asks for go first (R2).
    fails(dir, &["--name", "carol", "mitigation", "start", "M1"], 1);
    ok(dir, &["--name", "alice", "answer", "R2", "go"]);
    ok(dir, &["--name", "carol", "mitigation", "start", "M1"]);
    ok(
        dir,
        &[
            "--name",
            "carol",
            "mitigation",
            "done",
            "M1",
            "5xx back to 0.1%",
        ],
    );
    ok(
        dir,
        &[
            "--name",
            "carol",
            "system",
            "set",
            "payments",
            "ok",
            "--evidence",
            "5xx 0.1%",
        ],
    );
    ok(dir, &["--name", "carol", "system", "set", "stripe", "ok"]);
    ok(dir, &["--name", "alice", "freeze", "off"]);
    ok(dir, &["--name", "alice", "status", "mitigated"]);

    let shown = ok(dir, &["show"]);
    assert!(
        shown.starts_with(&format!("{id} · SEV2 · Checkout errors · mitigated")),
        "{shown}"
    );
    let bleeding = part(&shown, "What is bleeding");
    assert!(
        bleeding.contains("No system failing or degraded (3 recorded)")
            && bleeding.contains("Suspected source: none"),
        "{bleeding}"
    );
    let mitigations = part(&shown, "Mitigations");
    assert!(
        mitigations.contains("M1   done") && mitigations.contains("5xx back to 0.1%"),
        "{mitigations}"
    );
    assert!(
        part(&shown, "Waiting").contains("Nothing waiting for an answer"),
        "{shown}"
    );
    assert!(
        part(&shown, "Deploy freeze").contains("not frozen"),
        "{shown}"
    );
    let json = show_json(dir, &id);
    assert_eq!(json["status"], "mitigated");
    assert_eq!(json["hurting"].as_array().unwrap().len(), 0);
    assert_eq!(json["waiting"].as_array().unwrap().len(), 0);
    assert_eq!(json["deploys_frozen"], false);

    // Resolved: no next update is due.
    ok(dir, &["--name", "alice", "status", "resolved"]);
    let shown = ok(dir, &["show", "-i", &id]);
    assert!(
        part(&shown, "Updates").contains("none due: the incident is over"),
        "{shown}"
    );
    assert!(show_json(dir, &id)["updates"]["next_due"].is_null());
    // As it stood before, with the same state fields.
    let then: serde_json::Value =
        serde_json::from_str(&ok(dir, &["show", "-i", &id, "--json", "--at", "#12"])).unwrap();
    assert_eq!(then["deploys_frozen"], true, "{then}");
    assert!(then["as_of"].is_object());
}

#[test]
fn an_overdue_update_is_said() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    write_lines(
        &path,
        &[header_line("INC-1", 1), declare_line("Checkout errors")],
    );
    let shown = ok(dir, &["show"]);
    let updates = part(&shown, "Updates (every 20m)");
    assert!(
        updates.contains("last   none yet")
            && updates.contains("next   OVERDUE since 2026-11-26 14:20Z"),
        "{updates}"
    );
    assert_eq!(show_json(dir, "INC-1")["updates"]["overdue"], true);
}

#[test]
fn list_marks_a_commander_who_is_away() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "Checkout errors");
    let listed = ok(dir, &["list"]);
    assert!(listed.contains(" -  "), "nobody commands yet:\n{listed}");
    ok(dir, &["--name", "bob", "role", "claim", "ic"]);
    // bob has no view open: away since he claimed it.
    let listed = ok(dir, &["list"]);
    let row = listed.lines().find(|l| l.starts_with("INC-1")).unwrap();
    assert!(row.contains("bob · away <1m"), "{listed}");
    // The columns still line up under the heading.
    let head = listed.lines().next().unwrap();
    let here_col = head.chars().position(|c| c == 'H').unwrap();
    let row_chars: Vec<char> = row.chars().collect();
    assert_eq!(row_chars[here_col + 3], '0', "{listed}");
    // Once resolved, nobody needs the commander's view open.
    ok(dir, &["--name", "bob", "status", "resolved", "--force"]);
    let listed = ok(dir, &["list", "--all"]);
    assert!(!listed.contains("away"), "{listed}");
}

#[test]
fn what_a_view_wrote_by_itself_is_signed_by_the_tool_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = file_of(dir, "INC-1");
    // alice's view on jump1 wrote the nudge; the tool signs it.
    write_lines(
        &path,
        &[
            header_line("INC-1", 1),
            declare_line("Checkout errors"),
            r#"{"at":"2026-11-26T14:03:00Z","by":{"user":"alice","host":"jump1","name":"incident"},"op":"nudge","role":"commander"}"#.into(),
            note_line(4, "looking at payments"),
        ],
    );
    let shown = ok(dir, &["show"]);
    let line = shown
        .lines()
        .find(|l| l.contains("still no commander"))
        .unwrap();
    assert!(
        line.contains(" incident ") && !line.contains("alice"),
        "{line}"
    );
    let tail = tail_lines(dir, 3);
    let line = tail
        .iter()
        .find(|l| l.contains("still no commander"))
        .unwrap();
    assert!(
        line.contains(" incident ") && !line.contains("alice"),
        "{tail:?}"
    );
    let json = show_json(dir, "INC-1");
    let nudge = log_of(&json).iter().find(|e| e["kind"] == "nudge").unwrap();
    assert_eq!(nudge["by"], "incident");
    // The post-mortem names the people who responded, not the tool; its
    // log says who wrote the nudge: the tool.
    let out = tmp.path().join("pm.md");
    ok(dir, &["export", "-o", out.to_str().unwrap()]);
    let pm = std::fs::read_to_string(&out).unwrap();
    let authors = pm.lines().find(|l| l.starts_with("**Authors:**")).unwrap();
    assert!(
        authors.contains("alice") && authors.contains("bob"),
        "{authors}"
    );
    assert!(!authors.contains("incident"), "{authors}");
    assert!(
        pm.lines()
            .any(|l| l.contains("incident") && l.contains("still no commander")),
        "{pm}"
    );
    // Nobody acts under the tool's name, or is given a role as it.
    let e = fails(dir, &["--name", "incident", "role", "claim", "ic"], 2);
    assert!(e.contains("the tool's own name"), "{e}");
    let e = fails(dir, &["role", "set", "commander", "incident"], 2);
    assert!(e.contains("the tool's own name"), "{e}");
}

//! The lifecycle checks itself, on the built binary: `status` refuses
//! while systems fail or work is open (unless `--force`), resolving lifts
//! the freeze (unless `--keep-freeze`), `freeze status` agrees with the
//! screen, and "verified" means evidence.

use crate::common::*;
use std::path::Path;

fn as_<'a>(who: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    [&["--name", who][..], args].concat()
}

/// An incident commanded by alice; returns its id.
fn commanded(dir: &Path) -> String {
    let id = declare(dir, "Checkout errors");
    ok(dir, &as_("alice", &["role", "claim", "ic"]));
    id
}

fn freeze_status(dir: &Path) -> (i32, String) {
    let o = run(dir, &["freeze", "status"]);
    (o.status.code().unwrap(), stdout(&o).trim().to_string())
}

#[test]
fn mitigated_is_refused_while_systems_fail_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = commanded(dir);
    ok(
        dir,
        &as_("carol", &["system", "set", "stripe-gw", "failing"]),
    );
    ok(dir, &as_("carol", &["system", "set", "cart", "failing"]));
    ok(dir, &as_("carol", &["system", "set", "db", "degraded"]));
    let err = fails(dir, &as_("alice", &["status", "mitigated"]), 1);
    assert!(
        err.contains("cart, stripe-gw still failing")
            && err.contains("`incident system set NAME ok --evidence TEXT`")
            && err.contains("`incident status mitigated --force`"),
        "{err}"
    );
    let shown = show_json(dir, &id);
    assert_eq!(shown["status"], "investigating");
    assert_eq!(shown["breaks"], serde_json::json!([]), "no break yet");

    ok(dir, &as_("alice", &["status", "mitigated", "--force"]));
    let shown = show_json(dir, &id);
    assert_eq!(shown["status"], "mitigated");
    assert_eq!(shown["breaks"][0]["kind"], "team", "the break starts now");

    // --keep-freeze belongs to resolving only.
    let err = fails(
        dir,
        &as_("alice", &["status", "investigating", "--keep-freeze"]),
        2,
    );
    assert!(err.contains("only applies when resolving"), "{err}");
}

#[test]
fn resolving_lists_what_is_open_and_lifts_the_freeze() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = commanded(dir);
    ok(dir, &as_("carol", &["system", "set", "cart", "degraded"]));
    ok(
        dir,
        &as_("carol", &["assume", "the", "cache", "is", "warm"]),
    );
    ok(
        dir,
        &as_(
            "carol",
            &[
                "mitigation",
                "add",
                "--kind",
                "freeze_deploys",
                "Freeze",
                "payments",
                "deploys",
            ],
        ),
    );
    ok(dir, &as_("carol", &["mitigation", "start", "M1"]));
    // Starting a freeze mitigation froze deploys, with its text as the reason.
    let (code, answer) = freeze_status(dir);
    assert_eq!(code, 1, "{answer}");
    assert!(
        answer.starts_with(&format!("{id} deploys frozen since"))
            && answer.ends_with("by carol: Freeze payments deploys"),
        "{answer}"
    );
    let screen = ok(dir, &["screen", "--size", "100x30"]);
    assert!(
        screen.contains("DEPLOYS FROZEN since")
            && screen.contains("by carol: Freeze payments deploys"),
        "{screen}"
    );
    // Done, it stays frozen.
    ok(dir, &as_("carol", &["mitigation", "done", "M1"]));
    assert_eq!(freeze_status(dir).0, 1);

    ok(
        dir,
        &as_("carol", &["mitigation", "add", "Restart", "cart"]),
    );
    ok(dir, &as_("carol", &["mitigation", "start", "M2"]));
    let err = fails(dir, &as_("alice", &["status", "resolved"]), 1);
    assert!(
        err.contains(
            "still open: M2 in progress, A1 unverified, cart degraded, deploys frozen: close them first, or resolve anyway (`incident status resolved --force`) (that lifts the freeze; --keep-freeze keeps it)"
        ),
        "{err}"
    );
    assert_eq!(show_json(dir, &id)["status"], "investigating");

    ok(dir, &as_("alice", &["status", "resolved", "--force"]));
    let shown = show_json(dir, &id);
    assert_eq!(shown["status"], "resolved");
    assert!(shown["freeze"].is_null());
    assert!(
        texts(&shown)
            .iter()
            .any(|t| t == "freeze lifted: incident resolved"),
        "{:?}",
        texts(&shown)
    );
    assert_eq!(freeze_status(dir), (0, "no deploy freeze".into()));
    let screen = ok(dir, &["screen", "-i", &id, "--size", "100x30"]);
    assert!(!screen.contains("DEPLOYS FROZEN"), "{screen}");
    let text = ok(dir, &["show", "-i", &id]);
    assert!(
        text.contains("\nresolved ") && text.contains(" after "),
        "{text}"
    );
}

#[test]
fn a_kept_freeze_outlives_the_incident_until_lifted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = commanded(dir);
    ok(dir, &as_("carol", &["freeze", "on", "bad", "deploy"]));
    ok(dir, &as_("alice", &["status", "resolved", "--keep-freeze"]));
    let shown = show_json(dir, &id);
    assert_eq!(shown["status"], "resolved");
    let (code, answer) = freeze_status(dir);
    assert_eq!(code, 1, "deploy scripts still stop");
    assert!(
        answer.starts_with(&format!("{id} deploys frozen since"))
            && answer.ends_with("by carol: bad deploy (kept after the incident was resolved)"),
        "{answer}"
    );
    let screen = ok(dir, &["screen", "-i", &id, "--size", "100x30"]);
    assert!(
        screen.contains("DEPLOYS FROZEN")
            && screen.contains("kept after the incident was resolved"),
        "{screen}"
    );
    assert!(
        ok(dir, &["show", "-i", &id]).contains("DEPLOYS FROZEN since"),
        "show says so too"
    );
    // The commander lifts it later, and then both agree it is gone.
    ok(dir, &as_("alice", &["freeze", "off", "-i", &id]));
    assert_eq!(freeze_status(dir), (0, "no deploy freeze".into()));
    let screen = ok(dir, &["screen", "-i", &id, "--size", "100x30"]);
    assert!(!screen.contains("DEPLOYS FROZEN"), "{screen}");
}

#[test]
fn the_clock_stops_at_the_resolution() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = commanded(dir);
    ok(
        dir,
        &as_(
            "carol",
            &[
                "impact",
                "EU",
                "card",
                "payments",
                "~1200",
                "customers/hour",
            ],
        ),
    );
    ok(dir, &as_("alice", &["status", "resolved"]));
    let screen = ok(dir, &["screen", "-i", &id, "--size", "160x30"]);
    let head = screen.lines().next().unwrap();
    assert!(head.contains("resolved · lasted 00:00:"), "{head}");
    assert!(head.contains("impact was: EU card payments"), "{head}");
}

#[test]
fn verified_means_evidence_and_the_pager_only_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pager/alertmanager-v4-firing.json");
    let o = run_with_stdin(dir, &["page"], &std::fs::read(path).unwrap());
    assert!(o.status.success(), "{}", describe(&["page"], &o));
    let id = paged_id(&o);
    let table = ok(dir, &["system", "list", "-i", &id]);
    let payments = table.lines().find(|l| l.starts_with("payments")).unwrap();
    assert!(payments.contains("reported by pager"), "{table}");
    assert!(!payments.contains(" verified"), "{table}");
    let shown = show_json(dir, &id);
    assert_eq!(shown["systems"]["payments"]["status"], "failing");
    assert!(shown["systems"]["payments"]["evidence"].is_null());

    ok(dir, &as_("carol", &["system", "set", "cart", "degraded"]));
    ok(
        dir,
        &as_(
            "carol",
            &["system", "set", "db", "ok", "--evidence", "select 1 in 2ms"],
        ),
    );
    let table = ok(dir, &["system", "list", "-i", &id]);
    let line = |name: &str| {
        table
            .lines()
            .find(|l| l.starts_with(name))
            .unwrap()
            .to_string()
    };
    assert!(
        line("cart").contains("unverified") && line("cart").contains("carol"),
        "{table}"
    );
    assert!(
        line("db").contains("verified") && !line("db").contains("unverified"),
        "{table}"
    );
    // Checked now, with evidence: verified, no longer the pager's word.
    ok(
        dir,
        &as_(
            "carol",
            &[
                "system",
                "set",
                "payments",
                "failing",
                "--evidence",
                "5xx at 12%",
            ],
        ),
    );
    let table = ok(dir, &["system", "list", "-i", &id]);
    let payments = table.lines().find(|l| l.starts_with("payments")).unwrap();
    assert!(
        payments.contains("verified") && !payments.contains("pager"),
        "{table}"
    );
}

#[test]
fn will_hurt_lists_only_systems_not_yet_bleeding() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    commanded(dir);
    ok(dir, &["system", "set", "db", "failing"]);
    ok(dir, &["system", "set", "cart", "degraded"]);
    ok(dir, &["system", "depend", "cart", "db"]);
    ok(dir, &["system", "depend", "shop", "cart"]);
    ok(dir, &["system", "depend", "admin", "db"]);
    let b: serde_json::Value = serde_json::from_str(&ok(dir, &["bleeding", "--json"])).unwrap();
    assert_eq!(b["blast_radius"], serde_json::json!(["admin", "shop"]));
}

#[test]
fn a_role_set_for_a_name_nobody_has_seen_warns() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = commanded(dir);
    ok(dir, &as_("bob", &["log", "here"]));
    let o = run(dir, &as_("alice", &["role", "set", "comms", "bbo"]));
    assert!(o.status.success(), "{}", describe(&["role", "set"], &o));
    assert!(
        stderr(&o).contains("Gave communications to bbo, who has not opened or written to this incident: check the name"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        show_json(dir, &id)["roles"]["communications"]["user"],
        "bbo"
    );
    let o = run(dir, &as_("alice", &["role", "set", "scribe", "bob"]));
    assert!(o.status.success());
    assert!(!stderr(&o).contains("check the name"), "{}", stderr(&o));
}

//! What is bleeding, end to end on the built binary: systems, dependencies,
//! the analysis, assumptions, impact, service-map imports.

use crate::common::*;
use serde_json::Value;

fn bleeding(dir: &std::path::Path) -> Value {
    serde_json::from_str(&ok(dir, &["bleeding", "--json"])).unwrap()
}

#[test]
fn systems_and_dependencies_drive_the_analysis() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    ok(dir, &["system", "depend", "checkout", "payments"]);
    ok(dir, &["system", "depend", "payments", "postgres"]);
    ok(dir, &["system", "depend", "payments", "redis"]);
    ok(dir, &["system", "depend", "admin", "payments"]);
    ok(
        dir,
        &[
            "system",
            "set",
            "checkout",
            "failing",
            "--evidence",
            "5xx at 12%",
        ],
    );
    ok(
        dir,
        &[
            "system",
            "set",
            "payments",
            "down",
            "--evidence",
            "p99 8s",
            "--owner",
            "team-payments",
        ],
    );
    ok(
        dir,
        &[
            "system",
            "set",
            "postgres",
            "ok",
            "--evidence",
            "psql select 1",
        ],
    );

    let b = bleeding(dir);
    assert_eq!(b["suspected"][0]["name"], "payments");
    assert_eq!(
        b["suspected"][0]["unknown_dependencies"],
        serde_json::json!(["redis"])
    );
    assert_eq!(b["check_next"][0]["name"], "redis");
    assert_eq!(b["check_next"][0]["bleeding_above"], 2);
    assert_eq!(b["blast_radius"], serde_json::json!(["admin"]));
    assert_eq!(b["cycles"], serde_json::json!([]));

    let text = ok(dir, &["bleeding"]);
    assert!(
        text.contains(
            "Suspected source (graph's guess): payments (failing) — but redis is unknown"
        ),
        "{text}"
    );
    assert!(
        text.contains("Check next: redis (2 bleeding above)"),
        "{text}"
    );

    let list: Value = serde_json::from_str(&ok(dir, &["system", "list", "--json"])).unwrap();
    let payments = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "payments")
        .unwrap();
    assert_eq!(payments["status"], "failing");
    assert_eq!(payments["owner"], "team-payments");
    assert_eq!(payments["evidence"]["text"], "p99 8s");
    let table = ok(dir, &["system", "list"]);
    assert!(
        table.contains("payments") && table.contains("failing") && table.contains("verified"),
        "{table}"
    );

    // A cycle is reported, not looped on.
    ok(dir, &["system", "depend", "redis", "checkout"]);
    let b = bleeding(dir);
    assert_eq!(
        b["cycles"][0],
        serde_json::json!(["checkout", "payments", "redis"])
    );
    let shown = show_json(dir, &id);
    assert!(
        shown["systems"]["checkout"]["depends_on"]
            .as_array()
            .unwrap()
            .contains(&Value::from("payments"))
    );
}

#[test]
fn bad_system_input_is_refused_with_what_to_do() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    declare(dir, "x");
    let err = fails(dir, &["system", "set", "payments", "sad"], 2);
    assert!(err.contains("unknown, ok, degraded, failing"), "{err}");
    let err = fails(dir, &["system", "set", "pay ments", "failing"], 2);
    assert!(err.contains("not a valid system name"), "{err}");
    let err = fails(dir, &["system", "depend", "a", "a"], 1);
    assert!(err.contains("cannot depend on itself"), "{err}");
    let err = fails(dir, &["system", "set", "db", "ok", "--run", "1"], 1);
    assert!(err.contains("#1 is not a command run"), "{err}");
}

#[test]
fn assumptions_are_verified_or_refuted_with_evidence_including_a_run() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Search latency");
    ok(
        dir,
        &[
            "assume",
            "--source",
            "vendor support",
            "their",
            "API",
            "is",
            "fine",
        ],
    );
    ok(dir, &["assume", "the", "cache", "is", "warm"]);
    let o = run(dir, &["run", "--", "sh", "-c", "echo HIT ratio 0.97"]);
    assert!(o.status.success(), "{}", describe(&["run"], &o));
    let shown = show_json(dir, &id);
    let ran_seq = log_of(&shown).last().unwrap()["seq"].as_u64().unwrap();
    let seq = format!("#{ran_seq}");
    ok(
        dir,
        &["verify", "A2", "--run", &seq, "hit", "ratio", "0.97"],
    );
    let err = fails(dir, &["refute", "1"], 2);
    assert!(err.contains("evidence is empty"), "{err}");
    ok(
        dir,
        &["refute", "1", "curl", "api.vendor.example", "gives", "503"],
    );

    let shown = show_json(dir, &id);
    let a = shown["assumptions"].as_array().unwrap();
    assert_eq!(
        (a[0]["state"].as_str(), a[0]["source"].as_str()),
        (Some("refuted"), Some("vendor support"))
    );
    assert_eq!(a[1]["state"], "verified");
    assert_eq!(a[1]["evidence"]["entry"], ran_seq);
    let texts = texts(&shown);
    assert!(
        texts.iter().any(|t| t.starts_with("REFUTED A1")),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.contains(&format!(
            "verified A2 \"the cache is warm\": hit ratio 0.97, see {seq}"
        ))),
        "{texts:?}"
    );

    let err = fails(dir, &["verify", "A2", "again"], 1);
    assert!(err.contains("already verified"), "{err}");
}

#[test]
fn impact_is_kept_with_its_history_and_shown_in_the_header() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Cards");
    ok(
        dir,
        &[
            "impact",
            "EU",
            "card",
            "payments",
            "~1200",
            "customers/hour",
        ],
    );
    ok(
        dir,
        &[
            "impact",
            "all",
            "card",
            "payments",
            "~3000",
            "customers/hour",
        ],
    );
    let shown = show_json(dir, &id);
    let i = shown["impacts"].as_array().unwrap();
    assert_eq!(i.len(), 2);
    assert_eq!(
        (i[1]["count"].as_f64(), i[1]["unit"].as_str()),
        (Some(3000.0), Some("customers/hour"))
    );
    let screen = ok(dir, &["screen", "--size", "160x40"]);
    assert!(
        screen
            .lines()
            .next()
            .unwrap()
            .contains("impact: all card payments ~3000 customers/hour"),
        "{screen}"
    );
}

#[test]
fn declare_loads_a_service_map_or_nothing_at_all() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let map = dir.join("map.toml");
    std::fs::write(&map, "[[systems]]\nname = \"web\"\ndepends_on = [\"api\"]\n\n[[systems]]\nname = \"api\"\nowner = \"team-api\"\n").unwrap();
    let id = ok(
        dir,
        &[
            "declare",
            "--title",
            "Web down",
            "--systems",
            map.to_str().unwrap(),
        ],
    )
    .trim()
    .to_string();
    let shown = show_json(dir, &id);
    assert_eq!(shown["systems"]["api"]["owner"], "team-api");
    assert!(
        texts(&shown)
            .iter()
            .any(|t| t == "imported 2 systems and 1 dependencies from map.toml")
    );

    // A broken map declares nothing and says what is wrong where.
    std::fs::write(&map, "[[systems]]\nname = \"web\"\ndepends = [\"api\"]\n").unwrap();
    let before = std::fs::read_dir(dir).unwrap().count();
    let err = fails(
        dir,
        &[
            "declare",
            "--title",
            "Other",
            "--systems",
            map.to_str().unwrap(),
            "--force",
        ],
        2,
    );
    assert!(err.contains("map.toml") && err.contains("depends"), "{err}");
    assert_eq!(
        std::fs::read_dir(dir).unwrap().count(),
        before,
        "no incident declared"
    );

    // The team's default map in the directory is used when none is given.
    std::fs::write(
        dir.join("systems.json"),
        r#"{"systems":[{"name":"edge","depends_on":["origin"]}]}"#,
    )
    .unwrap();
    let id = ok(dir, &["declare", "--title", "Edge errors"])
        .trim()
        .to_string();
    assert!(show_json(dir, &id)["systems"]["edge"].is_object());
}

#[test]
fn import_a_backstage_catalog() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Catalog");
    let catalog = dir.join("catalog-info.yaml");
    std::fs::write(
        &catalog,
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: checkout\n  description: Checkout web flow\nspec:\n  type: service\n  owner: group:default/team-web\n  dependsOn:\n    - component:payments\n    - resource:default/orders-db\n---\napiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: shop\n",
    )
    .unwrap();
    ok(dir, &["system", "import", catalog.to_str().unwrap()]);
    let shown = show_json(dir, &id);
    assert_eq!(shown["systems"]["checkout"]["owner"], "team-web");
    assert_eq!(
        shown["systems"]["checkout"]["depends_on"],
        serde_json::json!(["orders-db", "payments"])
    );
    assert!(
        shown["systems"].get("shop").is_none(),
        "System entities are not imported"
    );
}

/// The first line of `incident bleeding` that starts with `prefix`'s
/// position: where each line stands, to check what leads.
fn line_of(text: &str, want: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(want))
        .unwrap_or_else(|| panic!("no line starting {want:?} in\n{text}"))
}

#[test]
fn a_named_or_verified_cause_outranks_the_graph_guess_as_the_incident_moves() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    let as_ = |who: &str, args: &[&str]| ok(dir, &[&["--name", who][..], args].concat());
    ok(dir, &["system", "depend", "checkout", "payments"]);
    ok(dir, &["system", "depend", "payments", "stripe"]);
    for (s, st, ev) in [
        ("checkout", "failing", "5xx 12%"),
        ("payments", "failing", "5xx from payments"),
        ("stripe", "degraded", "3% timeouts"),
    ] {
        ok(dir, &["system", "set", s, st, "--evidence", ev]);
    }
    ok(dir, &["assume", "the payments deploy caused the 5xx"]);
    ok(dir, &["assume", "a bad stripe SDK release"]);

    // Nothing established yet: the graph's guess, labelled as one.
    let text = ok(dir, &["bleeding"]);
    assert!(
        text.contains("Suspected source (graph's guess): stripe (degraded)"),
        "{text}"
    );
    assert!(!text.contains("Suspected cause"), "{text}");

    // Bad input says what is wrong and where to look.
    let err = fails(dir, &["system", "suspect", "paymnts"], 1);
    assert!(
        err.contains("no system 'paymnts'")
            && err.contains("checkout, payments, stripe")
            && err.contains("incident system list"),
        "{err}"
    );
    let err = fails(
        dir,
        &["system", "suspect", "payments", "--because", "A9"],
        1,
    );
    assert!(err.contains("no assumption A9"), "{err}");
    let err = fails(
        dir,
        &["system", "suspect", "payments", "--because", "#999"],
        1,
    );
    assert!(err.contains("#999 does not exist"), "{err}");
    let err = fails(dir, &["system", "suspect", "payments", "--because", "5"], 2);
    assert!(
        err.contains("give an assumption (A2) or a log entry (#12)"),
        "{err}"
    );
    let err = fails(dir, &["system", "suspect", "--clear"], 1);
    assert!(err.contains("no suspect is named"), "{err}");
    fails(dir, &["system", "suspect"], 2);

    // A1 verified: payments leads, stripe is the graph's guess below it.
    as_(
        "bob",
        &[
            "verify", "A1", "deploy", "at", "14:02,", "5xx", "from", "14:03",
        ],
    );
    let text = ok(dir, &["bleeding"]);
    let cause = line_of(
        &text,
        "Suspected cause: payments (failing) — A1 verified by bob",
    );
    let guess = line_of(&text, "Graph's guess: stripe (degraded)");
    assert!(cause < guess, "{text}");

    // Named by hand, with a reason: it leads, and the log says who and why.
    as_("carol", &["system", "suspect", "Stripe", "--because", "A2"]);
    let shown = show_json(dir, &id);
    assert!(
        texts(&shown).iter().any(|t| t
            == "named stripe as the suspected cause, because A2 (unverified): a bad stripe SDK release"),
        "{:?}",
        texts(&shown)
    );
    assert_eq!(log_of(&shown).last().unwrap()["by"], "carol");
    let text = ok(dir, &["bleeding"]);
    let named = line_of(&text, "Suspected cause: stripe (degraded) — named by carol");
    assert!(
        named < line_of(&text, "Suspected cause: payments"),
        "{text}"
    );
    assert!(
        !text.contains("Graph's guess"),
        "stripe is named, not guessed: {text}"
    );
    let json: Value = serde_json::from_str(&ok(dir, &["bleeding", "--json"])).unwrap();
    assert_eq!(json["cause"]["causes"][0]["system"], "stripe");
    assert_eq!(json["cause"]["causes"][0]["basis"], "named");
    assert_eq!(json["cause"]["causes"][0]["because"]["what"], "A2");
    assert_eq!(json["cause"]["causes"][1]["basis"], "verified");
    assert_eq!(
        json["suspected"][0]["name"], "stripe",
        "the graph's own answer stays"
    );

    // The reason refuted: the room says so beside the name.
    ok(dir, &["refute", "A2", "same", "SDK", "for", "a", "month"]);
    let text = ok(dir, &["bleeding"]);
    assert!(text.contains("because A2 (since refuted)"), "{text}");

    // Cleared: the verified cause leads again, the guess is back as one.
    as_("carol", &["system", "suspect", "--clear"]);
    let text = ok(dir, &["bleeding"]);
    assert!(line_of(&text, "Suspected cause: payments") < line_of(&text, "Graph's guess: stripe"));
    assert!(!text.contains("named by"), "{text}");
    assert!(
        texts(&show_json(dir, &id))
            .iter()
            .any(|t| t.starts_with("cleared the suspected cause (stripe)")),
    );

    // Systems recover: the guess goes, the cause stays the cause.
    ok(
        dir,
        &["system", "set", "stripe", "ok", "--evidence", "0% timeouts"],
    );
    let text = ok(dir, &["bleeding"]);
    assert!(!text.contains("guess"), "{text}");
    assert!(
        text.contains("Suspected cause: payments (failing)"),
        "{text}"
    );
    for s in ["checkout", "payments"] {
        ok(
            dir,
            &["system", "set", s, "ok", "--evidence", "rolled back"],
        );
    }
    as_(
        "carol",
        &["system", "suspect", "payments", "--because", "A1"],
    );
    ok(dir, &["status", "resolved", "--force"]);
    let text = ok(dir, &["bleeding", "-i", &id]);
    assert!(
        text.starts_with("Suspected cause: payments (ok) — named by carol")
            && text.contains("because A1 (verified): the payments deploy caused the 5xx"),
        "{text}"
    );

    // The post-mortem leads with what was established.
    let md = ok(dir, &["export", "-i", &id]);
    let at = |s: &str| md.find(s).unwrap_or_else(|| panic!("no {s:?} in\n{md}"));
    assert!(at("**Cause**") < at("**Verified:**"), "{md}");
    assert!(at("**Verified:**") < at("**Ruled out:**"), "{md}");
    assert!(
        md.contains("- **payments** — named by carol at ")
            && md.contains("; because A1 (verified): the payments deploy caused the 5xx"),
        "{md}"
    );
    assert!(
        !md.contains("Graph's guess"),
        "nothing is bleeding at the end: {md}"
    );
}

//! `incident.toml` across versions: a key this version does not know is a
//! warning naming it, never a refusal; a bad value of a known key is.

use crate::common::*;

#[test]
fn unknown_keys_warn_once_and_the_command_works() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("incident.toml"),
        "takeover_after = 9\nescalation_policy = \"db\"\n\n[human]\nbel = false\n",
    )
    .unwrap();
    let o = run(
        dir.path(),
        &["declare", "--title", "Checkout errors", "--no-open"],
    );
    assert!(o.status.success(), "{}", describe(&["declare"], &o));
    let e = stderr(&o);
    assert_eq!(e.matches("escalation_policy").count(), 1, "named once: {e}");
    assert!(
        e.contains("incident.toml: line 2: unknown key 'escalation_policy' is ignored"),
        "{e}"
    );
    assert!(
        e.contains("unknown key 'human.bel' is ignored (did you mean 'human.bell'?)"),
        "{e}"
    );
    assert_eq!(e.matches("human.bel'").count(), 1, "named once: {e}");
    let id = stdout(&o).trim().to_string();
    let o = run(dir.path(), &["log", "-i", &id, "still works"]);
    assert!(o.status.success(), "{}", describe(&["log"], &o));
    assert!(
        texts(&show_json(dir.path(), &id))
            .iter()
            .any(|t| t == "still works")
    );
}

#[test]
fn a_bad_value_of_a_known_key_is_still_refused_with_file_line_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("incident.toml"),
        "newer_thing = 1\n[human]\nteam_break = \"soon\"\n",
    )
    .unwrap();
    let e = fails(
        dir.path(),
        &["declare", "--title", "Checkout errors", "--no-open"],
        1,
    );
    assert!(
        e.contains("incident.toml") && e.contains("line 3") && e.contains("Fix the file"),
        "{e}"
    );
}

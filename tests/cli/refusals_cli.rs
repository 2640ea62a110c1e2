//! Refusals on the command line name the way out as an `incident ...`
//! command, never the live view's `:` form.

use crate::clearance::{as_, ok_as};
use crate::common::*;

/// `who` runs `args`, is refused (exit 1), and is told `way_out`.
fn refused_with(dir: &std::path::Path, who: &str, args: &[&str], way_out: &str) {
    let o = as_(who, dir, args);
    assert_eq!(o.status.code(), Some(1), "{}", describe(args, &o));
    let err = stderr(&o);
    assert!(err.contains(way_out), "{args:?}: {err}");
    assert!(!err.contains("`:"), "{args:?} names a `:` command: {err}");
}

#[test]
fn refusals_on_the_command_line_name_the_command_line_form() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Checkout errors");
    ok_as("carol", dir, &["announce", "restart", "db-2"]);
    // Nobody commands: answering needs command first.
    refused_with(
        dir,
        "alice",
        &["answer", "R1", "go"],
        "nobody can answer R1: claim command first (`incident role claim commander`)",
    );
    refused_with(
        dir,
        "alice",
        &["role", "handover", "comms", "bob"],
        "nobody holds communications: claim it (`incident role claim communications`)",
    );
    ok_as("alice", dir, &["role", "claim", "commander"]);
    refused_with(
        dir,
        "bob",
        &["role", "claim", "commander"],
        "ask alice to hand it over (`incident role handover commander you`)",
    );
    refused_with(
        dir,
        "alice",
        &["role", "set", "commander", "bob"],
        "alice offers it (`incident role handover commander NAME`) and NAME accepts",
    );
    ok_as("bob", dir, &["role", "claim", "comms"]);
    refused_with(
        dir,
        "alice",
        &["detach", "bob"],
        "bob still holds communications: it must be handed over first (`incident role handover communications NAME`)",
    );
    refused_with(
        dir,
        "carol",
        &["mitigation", "done", "M9"],
        "there is no mitigation M9: `incident mitigation list` shows them",
    );
    refused_with(
        dir,
        "carol",
        &["verify", "A9", "looked", "at", "it"],
        "there is no assumption A9: `incident show` lists them",
    );
    refused_with(
        dir,
        "carol",
        &["task", "done", "T9"],
        "there is no task T9: `incident task list` shows them",
    );
    refused_with(
        dir,
        "alice",
        &["answer", "R9", "go"],
        "there is no request R9: `incident show` lists them",
    );
    // Nothing refused was written.
    let shown = show_json(dir, &id);
    assert_eq!(shown["roles"]["commander"]["user"], "alice");
    assert!(shown["mitigations"].as_array().is_none_or(|m| m.is_empty()));
}

//! One grammar on two surfaces: the same words build the same operation
//! on the command line and in the bar; the short forms and the command
//! line's words both work in the bar.

use super::{Act, Built, Said, bar};
use crate::cli::Cli;
use clap::Parser;

/// What `incident WORDS` builds.
fn cli(words: &str) -> Act {
    let args = std::iter::once("incident").chain(words.split(' '));
    let cli = Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{words}: {e}"));
    match super::build(cli.command.expect("a verb"), "alice", &Said::Cli) {
        Built::Act(_, act) => act,
        other => panic!("{words}: {other:?}"),
    }
}

fn typed(line: &str) -> Act {
    bar::parse(line, "alice").unwrap_or_else(|e| panic!(":{line}: {e}"))
}

#[test]
fn the_same_words_build_the_same_operation_on_both_surfaces() {
    for words in [
        "log --kind decision roll back payments",
        "role claim ic",
        "role handover ic bob",
        "role accept commander",
        "role decline comms",
        "role withdraw ic",
        "role stepdown comms",
        "role add scribe",
        "role set scribe bob",
        "role clear scribe",
        "role takeover ic",
        "announce restart db-2",
        "answer R1 go",
        "answer 3 hold replica lag first",
        "status mitigated",
        "status resolved --force --keep-freeze",
        "severity SEV1",
        "system set payments failing --evidence x",
        "system set payments failing pool exhausted #42",
        "system depend checkout payments",
        "system undepend checkout payments",
        "system suspect payments --because A1",
        "system suspect --clear",
        "assume the cache is warm",
        "verify A1 psql select 1 ok",
        "verify A1 --run 42 hit ratio 0.97",
        "refute 2 curl gives 503",
        "impact EU card payments",
        "mitigation add --kind rollback --risk low Roll back payments",
        "mitigation take M1",
        "mitigation give M1 bob",
        "mitigation start M1",
        "mitigation done M1 it worked",
        "mitigation failed 2 no change",
        "mitigation abandon M3",
        "task add Find the root cause",
        "task take T1",
        "task give T1 carol",
        "task done T1 found it",
        "followup add --type prevent --owner bob Alert on saturation",
        "followup take F1",
        "followup give F1 carol",
        "followup done F1",
        "freeze on bad deploy",
        "freeze off",
        "break 15m lunch",
        "break end",
        "food pizza",
        "detach bob long night",
        "update We are investigating",
        "update --external We are investigating",
        "update --every 30",
        "pin 4",
        "unpin #4",
        "doc append summary more words",
        "milestone detected 05:38 --note first",
        "cancel the load test",
        "correct 2 payments, not checkout",
        "retract #2 wrong incident",
    ] {
        assert_eq!(cli(words), typed(words), "{words}");
    }
}

#[test]
fn the_short_forms_are_the_command_lines_words() {
    for (short, long) in [
        ("endbreak", "break end"),
        ("unfreeze", "freeze off"),
        ("freeze bad deploy", "freeze on bad deploy"),
        ("go R1", "answer R1 go"),
        ("hold R1 not yet", "answer R1 hold not yet"),
        (
            "mit low quick Roll back",
            "mitigation add --risk low --speed quick Roll back",
        ),
        (
            "mit rollback Roll back",
            "mitigation add --kind rollback Roll back",
        ),
        ("verify A1 #42 hit ratio", "verify A1 --run 42 hit ratio"),
        (
            "sys payments failing pool exhausted",
            "system set payments failing --evidence \"pool exhausted\"",
        ),
        (
            "sys payments failing pool exhausted",
            "system set payments failing pool exhausted",
        ),
        ("claim ic", "role claim ic"),
        ("role ic bob", "role set ic bob"),
        ("role ic -", "role clear ic"),
        ("takeover ic", "role takeover ic"),
        ("sev 1", "severity SEV1"),
        ("dep a -> b", "system depend a b"),
        ("suspect clear", "system suspect --clear"),
        (
            "suspect payments A1",
            "system suspect payments --because A1",
        ),
        ("done M1 ok", "mitigation done M1 ok"),
        ("done T1", "task done T1"),
        ("done F1", "followup done F1"),
        ("take T2", "task take T2"),
        ("give F1 bob", "followup give F1 bob"),
        ("task Find it", "task add Find it"),
        (
            "followup @bob prevent Alert",
            "followup add --owner bob --type prevent Alert",
        ),
        ("cadence 1h", "update --every 60"),
        ("decision roll back", "log --kind decision roll back"),
        ("note hello", "log hello"),
        ("about restart db-2", "announce restart db-2"),
        (
            "milestone detected 05:38 first page",
            "milestone detected 05:38 --note \"first page\"",
        ),
        ("catchup 03:12", "catchup --since 03:12"),
        ("snippet #4 GC log", "snippet add \"GC log\" --entry 4"),
        (
            "append impact EU cards only",
            "doc append impact EU cards only",
        ),
    ] {
        assert_eq!(typed(short), typed(long), ":{short} and :{long}");
    }
    // The command line also takes the bar's evidence words and aliases.
    assert_eq!(
        cli("verify A1 #42 hit ratio"),
        typed("verify A1 --run 42 hit ratio")
    );
    assert_eq!(cli("sev SEV2"), typed("severity SEV2"));
}

#[test]
fn free_text_is_taken_as_typed() {
    let text = |line: &str| match typed(line) {
        Act::Op(crate::ops::Op::Log { text, .. }) => text,
        Act::Op(crate::ops::Op::Correct { text, .. }) => text,
        other => panic!("{other:?}"),
    };
    // An apostrophe, a lone quote or a quoted word is never mis-split.
    assert_eq!(
        text("note don't restart it's fine"),
        "don't restart it's fine"
    );
    assert_eq!(
        text("note it's 5\" wide and 'odd"),
        "it's 5\" wide and 'odd"
    );
    assert_eq!(
        text("note the 'payments' pods  again"),
        "the 'payments' pods  again"
    );
    assert_eq!(text("log --kind note users' sessions"), "users' sessions");
    // :correct keeps the spacing.
    assert_eq!(
        text("correct #2 payments,  not   checkout"),
        "payments,  not   checkout"
    );
    // Letters beyond ASCII, and quotes that are not ASCII, are text too.
    assert_eq!(text("note café «naïve»  ok — 'x"), "café «naïve»  ok — 'x");
    // Dashes in free text are text.
    assert_eq!(
        text("note -- is not a flag --really"),
        "-- is not a flag --really"
    );
}

#[test]
fn a_mistake_is_one_line_with_the_nearest_verb() {
    for (line, wants) in [
        ("stauts resolved", "did you mean `:status`?"),
        ("mitigaton add x", "did you mean `:mitigation`?"),
        ("endbrek", "did you mean `:endbreak`?"),
        ("log --help", "usage: :log"),
        ("role", "usage: :role"),
        ("role frob ic", "frob"),
        ("status resolved --frob", "usage: :status"),
        ("list", "is for a shell"),
        ("log -i INC-2 hello", "the view acts on its own incident"),
        ("sys payments sad", "failing"),
        // Parsed as the command line's words: not taken for the view's :doc.
        ("doc set summary x", "is for a shell"),
        ("mitigation add --procedure x", "is for a shell"),
        // `:freeze on` works in the bar: only `status` is for a shell.
        (
            "freeze status",
            "`:freeze status` is for a shell: run `incident freeze status` there",
        ),
        ("", ":help"),
    ] {
        let e = bar::parse(line, "alice").unwrap_err();
        assert!(e.contains(wants), ":{line}: {e}");
        assert!(!e.contains('\n'), ":{line} is one line: {e}");
    }
}

#[test]
fn help_and_tab_come_from_the_definitions() {
    let listed = super::complete::listing();
    for usage in [
        ":endbreak",
        ":role claim ROLE",
        ":freeze on|off|status [REASON...]",
        ":system set NAME",
    ] {
        assert!(
            listed.iter().any(|(u, _)| u.starts_with(usage)),
            "{usage} not in {listed:?}"
        );
    }
    // What the view has its own way to is not offered.
    assert!(!listed.iter().any(|(u, _)| u.starts_with(":system list")));
    // Every verb says what it does (no subcommand borrows -i's help).
    assert!(
        listed
            .iter()
            .all(|(_, h)| !h.is_empty() && !h.starts_with("Which incident")),
        "{listed:?}"
    );
    assert_eq!(typed("mitigation list"), Act::Mitigations);
    assert_eq!(typed("doc show"), Act::Doc);
    let known = super::complete::Known::default();
    let c = |s: &str| super::complete::complete_with(s, &known);
    assert_eq!(c(":role cl").1, ["claim", "clear"]);
    assert_eq!(c(":freeze o").1, ["on", "off"]);
    assert_eq!(c(":mitigation st").0, ":mitigation start ");
    assert_eq!(c(":answer R1 g").0, ":answer R1 go ");
    assert_eq!(c(":append s").1, ["summary", "status"]);
    assert_eq!(c(":append ne").0, ":append next_steps ");
}

/// `:append` is the command line's `incident doc append`, defined once:
/// the same operation, its text as typed, listed in the help.
#[test]
fn append_adds_to_a_section_on_both_surfaces() {
    use crate::model::Section;
    use crate::ops::Op;
    assert_eq!(
        typed("append next_steps page the DBA,  then roll back"),
        Act::Op(Op::AppendSection {
            section: Section::NextSteps,
            text: "page the DBA,  then roll back".into(),
        })
    );
    assert_eq!(
        typed("append impact EU cards"),
        cli("doc append impact EU cards")
    );
    let e = bar::parse("append", "alice").unwrap_err();
    assert!(e.contains("usage: :append SECTION TEXT"), "{e}");
    let e = bar::parse("append summary", "alice").unwrap_err();
    assert!(e.contains("usage: :append SECTION TEXT"), "{e}");
    let e = bar::parse("append sumary x", "alice").unwrap_err();
    assert!(e.contains("summary"), "names the sections: {e}");
    assert!(
        super::complete::listing()
            .iter()
            .any(|(u, h)| u == ":append SECTION TEXT" && h.contains("doc append")),
        "listed in the help"
    );
}

/// The grammar's files stay readable: no file over 900 lines before its
/// tests, no function over 200.
#[test]
fn the_grammars_files_stay_small() {
    let root = env!("CARGO_MANIFEST_DIR");
    for path in [
        "src/cli/args.rs",
        "src/cli/mod.rs",
        "src/cli/write.rs",
        "src/cli/completion.rs",
        "src/cli/manual.rs",
        "src/tui/command.rs",
        "src/tui/app/submit.rs",
        "src/tui/panes/help.rs",
        "src/verbs/mod.rs",
        "src/verbs/bar.rs",
        "src/verbs/complete.rs",
        "src/verbs/shorts.rs",
        "src/verbs/roles.rs",
        "src/verbs/systems.rs",
        "src/verbs/work.rs",
    ] {
        let text = std::fs::read_to_string(format!("{root}/{path}")).unwrap();
        let lines: Vec<&str> = text
            .lines()
            .take_while(|l| !l.starts_with("#[cfg(test)]"))
            .collect();
        assert!(lines.len() <= 900, "{path}: {} lines", lines.len());
        let mut open: Option<(usize, usize, &str)> = None;
        for (i, l) in lines.iter().enumerate() {
            let indent = l.len() - l.trim_start().len();
            let t = l.trim_start();
            if open.is_none()
                && (t.starts_with("fn ")
                    || t.starts_with("pub fn ")
                    || t.starts_with("pub(super) fn ")
                    || t.starts_with("pub(crate) fn "))
            {
                open = Some((i, indent, t));
            } else if let Some((start, at, name)) = open
                && indent == at
                && t.starts_with('}')
            {
                assert!(i - start <= 200, "{path}: {name} is {} lines", i - start);
                open = None;
            }
        }
    }
}

#[test]
fn maintenance_is_one_verb_on_both_surfaces() {
    use super::maintenance::Maintenance;
    for words in [
        "maintenance add payments-db --for 2h database upgrade",
        "maintenance add payments-db --until 06:00 database upgrade",
        "maintenance end W1",
        "maintenance list",
    ] {
        assert_eq!(cli(words), typed(words), "{words}");
    }
    assert_eq!(
        typed("maintenance add payments-db --for 2h database upgrade"),
        Act::Maintenance(Maintenance::Add {
            service: "payments-db".into(),
            for_: Some("2h".into()),
            until: None,
            reason: "database upgrade".into(),
        })
    );
    // Refusals name what to type on the surface they were typed on.
    let tmp = tempfile::tempdir().unwrap();
    let now = chrono::Utc::now();
    let bar = Said::Bar {
        line: "",
        toks: &[],
    };
    let m = Maintenance::Add {
        service: "db".into(),
        for_: None,
        until: None,
        reason: "x".into(),
    };
    let e = super::maintenance::run(tmp.path(), "alice", &m, now, &bar)
        .unwrap_err()
        .to_string();
    assert!(e.contains(":maintenance add SERVICE --for 2h"), "{e}");
    let e = super::maintenance::run(tmp.path(), "alice", &m, now, &Said::Cli)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("incident maintenance add SERVICE --for 2h"),
        "{e}"
    );
}

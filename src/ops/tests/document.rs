use super::*;

#[test]
fn crossing_edits_are_refused_not_lost() {
    use crate::model::Section;
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::EditSection {
            section: Section::Summary,
            text: "Checkout 5xx".into(),
            base: 0,
        },
    );
    assert_eq!(inc.document.version(Section::Summary), 1);
    assert!(
        last(&inc).starts_with("edited Summary: “” → “Checkout 5xx”"),
        "{}",
        last(&inc)
    );
    // alice (commander... none yet) started from version 0 too: refused,
    // told who saved and given their text.
    ok(
        &mut inc,
        "alice",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    let e = refused(
        &mut inc,
        "alice",
        Op::EditSection {
            section: Section::Summary,
            text: "Payments down".into(),
            base: 0,
        },
    );
    match e {
        Refusal::EditConflict {
            current,
            by,
            theirs,
            ..
        } => {
            assert_eq!(
                (current, by.as_str(), theirs.as_str()),
                (1, "bob", "Checkout 5xx")
            );
        }
        other => panic!("expected a conflict, got {other}"),
    }
    ok(
        &mut inc,
        "alice",
        Op::EditSection {
            section: Section::Summary,
            text: "Checkout 5xx: payments down".into(),
            base: 1,
        },
    );
    assert_eq!(
        inc.document.text(Section::Summary),
        "Checkout 5xx: payments down"
    );
}

#[test]
fn communications_owns_the_document_but_anyone_may_add_to_it() {
    use crate::model::Section;
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    let e = refused(
        &mut inc,
        "carol",
        Op::EditSection {
            section: Section::Impact,
            text: "x".into(),
            base: 0,
        },
    );
    assert!(
        e.to_string()
            .contains("only communications (bob) or the commander"),
        "{e}"
    );
    ok(
        &mut inc,
        "carol",
        Op::AppendSection {
            section: Section::Impact,
            text: "EU only".into(),
        },
    );
    ok(
        &mut inc,
        "carol",
        Op::AppendSection {
            section: Section::Impact,
            text: "cards only".into(),
        },
    );
    assert_eq!(inc.document.text(Section::Impact), "EU only\ncards only");
    ok(
        &mut inc,
        "alice",
        Op::EditSection {
            section: Section::Impact,
            text: "EU cards".into(),
            base: 2,
        },
    );
    assert!(matches!(
        refused(
            &mut inc,
            "carol",
            Op::PostUpdate {
                text: "x".into(),
                external: false
            }
        ),
        Refusal::NotCommunications { .. }
    ));
    ok(
        &mut inc,
        "bob",
        Op::PostUpdate {
            text: "Investigating checkout errors".into(),
            external: true,
        },
    );
    assert_eq!(inc.document.updates.len(), 1);
}

#[test]
fn the_timeline_has_milestones_and_pinned_entries() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "noise".into(),
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "the graph shows the deploy at 13:55".into(),
        },
    );
    ok(
        &mut inc,
        "alice",
        Op::SetSeverity {
            severity: Severity::Sev1,
        },
    );
    let texts = |inc: &Incident| inc.timeline().map(|e| e.text.clone()).collect::<Vec<_>>();
    assert_eq!(
        texts(&inc),
        [
            "declared SEV2 \"Checkout errors\"",
            "alice claimed commander",
            "severity SEV2 → SEV1"
        ]
    );
    ok(&mut inc, "bob", Op::Pin { entry: 4 });
    assert!(texts(&inc).contains(&"the graph shows the deploy at 13:55".to_string()));
    assert!(matches!(
        refused(&mut inc, "bob", Op::Pin { entry: 4 }),
        Refusal::Unchanged { .. }
    ));
    assert!(matches!(
        refused(&mut inc, "bob", Op::Pin { entry: 99 }),
        Refusal::NoSuchEntry { .. }
    ));
    ok(&mut inc, "bob", Op::Unpin { entry: 4 });
    assert!(!texts(&inc).contains(&"the graph shows the deploy at 13:55".to_string()));
}

#[test]
fn the_update_cadence_follows_severity_unless_set() {
    let mut inc = declared(); // SEV2, declared 14:00
    let at = |h, m| Utc.with_ymd_and_hms(2026, 11, 26, h, m, 0).unwrap();
    assert_eq!(inc.next_update_due(), Some(at(14, 20)));
    ok(
        &mut inc,
        "alice",
        Op::SetSeverity {
            severity: Severity::Sev3,
        },
    );
    assert_eq!(inc.next_update_due(), Some(at(15, 0)));
    ok(&mut inc, "alice", Op::SetUpdateCadence { minutes: 30 });
    assert_eq!(inc.next_update_due(), Some(at(14, 30)));
    assert!(matches!(
        refused(&mut inc, "alice", Op::SetUpdateCadence { minutes: 1 }),
        Refusal::BadCadence { .. }
    ));
    ok(&mut inc, "alice", Op::set_status(Status::Resolved));
    assert_eq!(inc.next_update_due(), None, "no updates due once resolved");
}

#[test]
fn a_template_only_fills_an_untouched_document() {
    use crate::model::Section;
    let mut inc = declared();
    let t = crate::template::built_in();
    ok(
        &mut inc,
        "alice",
        Op::ApplyTemplate {
            name: "built-in".into(),
            sections: t.clone(),
        },
    );
    assert_eq!(
        inc.document.prompt(Section::Summary),
        Section::Summary.default_prompt()
    );
    ok(
        &mut inc,
        "alice",
        Op::EditSection {
            section: Section::Summary,
            text: "x".into(),
            base: 0,
        },
    );
    assert!(matches!(
        refused(
            &mut inc,
            "alice",
            Op::ApplyTemplate {
                name: "x".into(),
                sections: t
            }
        ),
        Refusal::DocumentTouched
    ));
}

/// Who may rewrite a section is asked before anyone types: the same
/// rules as the save, with nothing written, and the refusal names the
/// people who may and the way that applies (adding to it).
#[test]
fn who_may_rewrite_a_section_is_known_before_writing() {
    use crate::model::Section;
    use crate::ops::{CommsWrite, Render, Surface, may_set_section};
    let mut inc = commanded();
    // Nobody holds communications: anyone may.
    assert_eq!(may_set_section(&inc, "carol", Section::Summary), Ok(()));
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::EditSection {
            section: Section::Summary,
            text: "Checkout 5xx".into(),
            base: 0,
        },
    );
    let before = inc.clone();
    for (who, may) in [("bob", true), ("alice", true), ("carol", false)] {
        for s in Section::ALL {
            let asked = may_set_section(&inc, who, *s);
            assert_eq!(asked.is_ok(), may, "{who} {s}: {asked:?}");
            // The dry run says what the real save would.
            let mut real = inc.clone();
            let saved = apply(
                &mut real,
                &rec(
                    who,
                    Op::EditSection {
                        section: *s,
                        text: "new text".into(),
                        base: inc.document.version(*s),
                    },
                ),
            );
            assert_eq!(saved, asked, "{who} {s}");
        }
    }
    assert_eq!(inc, before, "asking writes nothing");
    let e = may_set_section(&inc, "carol", Section::NextSteps).unwrap_err();
    assert_eq!(
        e,
        Refusal::NotCommunications {
            what: CommsWrite::Section(Section::NextSteps),
            holder: "bob".into(),
            commander: Some("alice".into()),
        }
    );
    assert_eq!(
        e.render(Surface::View),
        "only communications (bob) or the commander (alice) can rewrite Next steps: add to it instead (`:append next_steps TEXT`), or ask bob"
    );
    assert!(
        e.render(Surface::Cli)
            .contains("(`incident doc append next_steps TEXT`)")
    );
}

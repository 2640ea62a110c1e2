use super::*;

#[test]
fn declaration_is_the_first_log_entry() {
    let inc = declared();
    assert_eq!(inc.log.len(), 1);
    assert_eq!(inc.log[0].kind, LogKind::Declared);
    assert!(inc.log[0].text.contains("SEV2"));
    assert_eq!(inc.status, Status::Investigating);
}

#[test]
fn declared_roles_are_shown_from_the_start() {
    let inc = genesis(
        "INC-1",
        &rec(
            "alice",
            Op::Declare {
                title: "t".into(),
                severity: Severity::Sev3,
                roles: vec![Role::Scribe, Role::Commander],
            },
        ),
    )
    .unwrap();
    assert_eq!(
        inc.shown_roles(),
        [Role::Commander, Role::Communications, Role::Scribe]
    );
}

#[test]
fn empty_and_oversized_text_is_refused() {
    let mut inc = declared();
    let e = refused(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "  ".into(),
        },
    );
    assert!(matches!(e, Refusal::Empty { .. }));
    let e = refused(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "x".repeat(MAX_TEXT + 1),
        },
    );
    assert!(matches!(e, Refusal::TooLong { .. }));
}

#[test]
fn tool_written_kinds_cannot_be_forged() {
    let mut inc = declared();
    let e = refused(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::StatusChange,
            text: "resolved".into(),
        },
    );
    assert!(matches!(e, Refusal::KindNotWritable { .. }));
}

#[test]
fn anyone_changes_status_and_severity_while_there_is_no_commander() {
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::SetSeverity {
            severity: Severity::Sev1,
        },
    );
    ok(&mut inc, "bob", Op::set_status(Status::Mitigated));
    assert_eq!(
        last_of(&inc, LogKind::StatusChange),
        "status investigating → mitigated; impact ceased at 14:00 UTC"
    );
    let e = refused(&mut inc, "bob", Op::set_status(Status::Mitigated));
    assert!(matches!(e, Refusal::Unchanged { .. }));
}

#[test]
fn only_the_commander_changes_status_and_severity() {
    let mut inc = commanded();
    let e = refused(&mut inc, "bob", Op::set_status(Status::Resolved));
    assert_eq!(
        e.to_string(),
        "only the commander (alice) can change the status: ask alice in the log"
    );
    refused(
        &mut inc,
        "bob",
        Op::SetSeverity {
            severity: Severity::Sev1,
        },
    );
    ok(
        &mut inc,
        "alice",
        Op::SetSeverity {
            severity: Severity::Sev1,
        },
    );
}

#[test]
fn display_names_act_for_the_person_and_keep_the_account() {
    let mut inc = declared();
    let r = Record {
        by: Actor {
            name: Some("bob".into()),
            ..Actor::named("oncall")
        },
        ..rec(
            "x",
            Op::ClaimRole {
                role: Role::Commander,
            },
        )
    };
    apply(&mut inc, &r).unwrap();
    assert_eq!(inc.commander(), Some("bob"));
    assert_eq!(inc.log.last().unwrap().by, "bob");
}

#[test]
fn every_operation_name_is_known() {
    for name in Op::NAMES {
        // Each stored name parses back as an operation of that name (with
        // whatever fields it needs missing, the error is about fields).
        let line = format!(r#"{{"op":"{name}"}}"#);
        let err = serde_json::from_str::<Op>(&line)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!err.contains("unknown variant"), "{name}: {err}");
    }
}

#[test]
fn records_round_trip_through_json_as_flat_lines() {
    let r = rec(
        "alice",
        Op::Log {
            kind: LogKind::Decision,
            text: "roll back".into(),
        },
    );
    let line = serde_json::to_string(&r).unwrap();
    assert!(line.contains(r#""op":"log""#), "{line}");
    assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), r);
    let r = rec(
        "alice",
        Op::Declare {
            title: "t".into(),
            severity: Severity::Sev1,
            roles: vec![],
        },
    );
    let line = serde_json::to_string(&r).unwrap();
    assert!(
        !line.contains("roles"),
        "empty lists are not written: {line}"
    );
}

#[test]
fn the_lifecycle_records_when_impact_ceased_and_can_reopen() {
    let mut inc = commanded();
    ok(&mut inc, "alice", Op::set_status(Status::Mitigated));
    assert!(inc.impact_ceased_at.is_some());
    assert!(
        last_of(&inc, LogKind::StatusChange).contains("impact ceased at 14:00 UTC"),
        "{}",
        last(&inc)
    );
    ok(&mut inc, "alice", Op::set_status(Status::Resolved));
    assert!(!inc.is_active() && inc.resolved_at.is_some());
    // The log stays writable after resolving (post-incident notes).
    ok(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "follow-up ticket filed".into(),
        },
    );
    ok(&mut inc, "alice", Op::set_status(Status::Investigating));
    assert!(
        last(&inc).starts_with("reopened (was resolved at"),
        "{}",
        last(&inc)
    );
    assert!(inc.is_active() && inc.resolved_at.is_none());
}

#[test]
fn titles_are_one_plain_line() {
    let r = rec(
        "alice",
        Op::Declare {
            title: "a\nb".into(),
            severity: Severity::Sev1,
            roles: vec![],
        },
    );
    assert!(matches!(
        genesis("INC-1", &r),
        Err(Refusal::TitleNotOneLine)
    ));
}

#[test]
fn no_operation_field_collides_with_the_records_own() {
    // Operations are flattened into the record's JSON object: a field named
    // like the record's (`at`, `by`, `op`) would write a line that cannot be
    // read back. Serialize one of each with every optional field set.
    let ev = Evidence {
        text: "t".into(),
        entry: Some(1),
    };
    let samples = vec![
        Op::Paged {
            source: "s".into(),
            key: "k".into(),
            state: "acknowledged".into(),
            acked_by: Some("x".into()),
            title: "t".into(),
            severity: Some(Severity::Sev1),
            links: vec![crate::model::PageLink {
                label: "runbook".into(),
                url: "https://r.example".into(),
            }],
            events_key: None,
            times: None,
            delivery: None,
        },
        Op::Close {
            kind: crate::model::CloseKind::Duplicate,
            into: Some("INC-2".into()),
            reason: Some("r".into()),
        },
        Op::Relate {
            relation: crate::model::Relation::HasDuplicate,
            incident: "INC-2".into(),
            keys: vec!["k".into()],
        },
        Op::Answer {
            request: 1,
            go: false,
            reason: Some("r".into()),
        },
        Op::SetSystem {
            name: "a".into(),
            status: crate::model::SystemStatus::Ok,
            evidence: Some(ev.clone()),
            owner: Some("o".into()),
            note: Some("n".into()),
        },
        Op::Assume {
            text: "t".into(),
            source: Some("s".into()),
        },
        Op::Verify {
            id: 1,
            evidence: ev,
        },
        Op::ProposeMitigation {
            text: "t".into(),
            kind: MitigationKind::Custom,
            risk: Risk::Low,
            speed: Speed::Quick,
            system: Some("s".into()),
            owner: Some("o".into()),
        },
        Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Done,
            result: Some("r".into()),
        },
        Op::AddTask {
            text: "t".into(),
            owner: Some("o".into()),
        },
        Op::AddSnippet {
            title: "t".into(),
            text: "x".into(),
            entry: Some(1),
        },
        Op::PostUpdate {
            text: "t".into(),
            external: true,
        },
        Op::StartBreak {
            kind: crate::model::BreakKind::Team,
            minutes: 5,
            reason: Some("r".into()),
        },
        Op::Detach {
            user: "u".into(),
            note: Some("n".into()),
        },
        Op::OrderFood {
            note: Some("n".into()),
        },
        Op::Announce {
            text: "t".into(),
            mitigation: Some(1),
        },
        Op::SetStatus {
            status: Status::Resolved,
            force: true,
            keep_freeze: true,
        },
        Op::ReportSystem {
            name: "a".into(),
            status: crate::model::SystemStatus::Failing,
            source: "PagerDuty".into(),
        },
    ];
    for op in samples {
        let v = serde_json::to_value(&op).unwrap();
        for reserved in ["at", "by"] {
            assert!(
                v.get(reserved).is_none(),
                "{op:?} has a field named {reserved}"
            );
        }
        let r = rec("alice", op);
        let line = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Record>(&line).unwrap(), r, "{line}");
    }
}

/// What is bleeding is worked out again only when the systems may have
/// changed: a log entry leaves their revision alone, a system change
/// moves it.
#[test]
fn only_operations_beyond_a_log_entry_move_the_systems_revision() {
    let mut inc = declared();
    let log = |text: &str| {
        rec(
            "bob",
            Op::Log {
                kind: LogKind::Note,
                text: text.into(),
            },
        )
    };
    let before = inc.systems_revision;
    apply(&mut inc, &log("db-1 looks slow")).unwrap();
    assert_eq!(
        inc.systems_revision, before,
        "a note is not a system change"
    );
    apply(
        &mut inc,
        &rec(
            "bob",
            Op::SetSystem {
                name: "db-1".into(),
                status: SystemStatus::Failing,
                evidence: None,
                owner: None,
                note: None,
            },
        ),
    )
    .unwrap();
    assert_eq!(
        inc.systems_revision, inc.revision,
        "a system change moves it"
    );
    let moved = inc.systems_revision;
    apply(&mut inc, &log("failing over")).unwrap();
    assert_eq!(inc.systems_revision, moved);
}

pub(super) fn failing(name: &str) -> Op {
    Op::SetSystem {
        name: name.into(),
        status: SystemStatus::Failing,
        evidence: None,
        owner: None,
        note: None,
    }
}

#[test]
fn mitigated_while_systems_still_fail_is_refused_with_their_names_unless_forced() {
    let mut inc = commanded();
    ok(&mut inc, "carol", failing("stripe-gw"));
    ok(&mut inc, "carol", failing("cart"));
    let e = refused(&mut inc, "alice", Op::set_status(Status::Mitigated));
    assert!(
        e.to_string().starts_with("cart, stripe-gw still failing: ")
            && e.to_string().contains("--force"),
        "{e}"
    );
    // Refused: no team break started either.
    assert!(inc.breaks.is_empty());
    ok(
        &mut inc,
        "alice",
        Op::SetStatus {
            status: Status::Mitigated,
            force: true,
            keep_freeze: false,
        },
    );
    assert_eq!(inc.status, Status::Mitigated);
    assert_eq!(
        inc.breaks.len(),
        1,
        "the team break starts once it is really mitigated"
    );
}

#[test]
fn resolving_lists_what_is_still_open_unless_forced() {
    let mut inc = commanded();
    ok(&mut inc, "carol", failing("cart"));
    ok(
        &mut inc,
        "carol",
        Op::Assume {
            text: "the cache is warm".into(),
            source: None,
        },
    );
    ok(
        &mut inc,
        "carol",
        super::mitigations::propose("Roll back", MitigationKind::Custom, Risk::Low),
    );
    ok(&mut inc, "carol", Op::StartMitigation { id: 1 });
    ok(&mut inc, "carol", Op::Freeze { reason: None });
    let e = refused(&mut inc, "alice", Op::set_status(Status::Resolved));
    assert_eq!(
        e.to_string(),
        "still open: M1 in progress, A1 unverified, cart failing, deploys frozen: close them first, or resolve anyway (`:status resolved --force`) (that lifts the freeze; --keep-freeze keeps it)"
    );
    // Keeping the freeze takes it off the list; the rest stays.
    let e = refused(
        &mut inc,
        "alice",
        Op::SetStatus {
            status: Status::Resolved,
            force: false,
            keep_freeze: true,
        },
    );
    assert!(
        e.to_string()
            .starts_with("still open: M1 in progress, A1 unverified, cart failing: "),
        "{e}"
    );
    // With nothing open, resolving asks nothing.
    let mut quiet = commanded();
    ok(&mut quiet, "alice", Op::set_status(Status::Resolved));
}

#[test]
fn resolving_lifts_the_freeze_unless_the_commander_keeps_it() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Freeze {
            reason: Some("bad deploy".into()),
        },
    );
    ok(
        &mut inc,
        "alice",
        Op::SetStatus {
            status: Status::Resolved,
            force: true,
            keep_freeze: false,
        },
    );
    assert!(inc.deploy_freeze().is_none());
    assert_eq!(last(&inc), "freeze lifted: incident resolved");
    assert!(inc.log.last().unwrap().milestone, "on the timeline");

    let mut kept = commanded();
    ok(
        &mut kept,
        "carol",
        Op::Freeze {
            reason: Some("bad deploy".into()),
        },
    );
    ok(
        &mut kept,
        "alice",
        Op::SetStatus {
            status: Status::Resolved,
            force: false,
            keep_freeze: true,
        },
    );
    assert_eq!(kept.status, Status::Resolved);
    assert_eq!(kept.deploy_freeze().unwrap().by, "carol");
    assert!(
        last(&kept).starts_with("deploy freeze kept after the incident"),
        "{}",
        last(&kept)
    );
    let notice = kept
        .freeze_notice(|t| t.format("%H:%M").to_string())
        .unwrap();
    assert_eq!(
        notice,
        "since 14:00 by carol: bad deploy (kept after the incident was resolved)"
    );
    // It is lifted later, as any freeze.
    ok(&mut kept, "alice", Op::Unfreeze);
    assert!(kept.freeze_notice(|t| t.to_string()).is_none());
}

#[test]
fn the_clock_stops_at_the_resolution_and_runs_again_on_reopening() {
    let mut inc = commanded();
    assert_eq!(inc.ended_at(), None);
    ok(&mut inc, "alice", Op::set_status(Status::Resolved));
    assert_eq!(inc.ended_at(), inc.resolved_at);
    assert!(inc.ended_at().is_some());
    ok(&mut inc, "alice", Op::set_status(Status::Investigating));
    assert_eq!(inc.ended_at(), None);
}

fn note(text: &str) -> Op {
    Op::Log {
        kind: LogKind::Note,
        text: text.into(),
    }
}

#[test]
fn an_author_corrects_their_entry_and_it_keeps_what_it_first_said() {
    let mut inc = declared();
    ok(&mut inc, "carol", note("checkout is down"));
    let seq = inc.log.last().unwrap().seq;
    ok(
        &mut inc,
        "carol",
        Op::Correct {
            entry: seq,
            text: "payments is down, not checkout".into(),
        },
    );
    let e = &inc.log[seq as usize - 1];
    assert_eq!(e.text, "checkout is down", "the original is kept");
    assert_eq!(e.current_text(), "payments is down, not checkout");
    assert_eq!(e.corrected.as_ref().unwrap().by, "carol");
    assert_eq!(
        e.plain_text(),
        "[corrected] payments is down, not checkout — was: checkout is down"
    );
    // The log says it happened, pointing at the entry.
    let said = inc.log.last().unwrap();
    assert_eq!(said.kind, LogKind::Correction);
    assert_eq!(said.amends, Some(seq));
    assert_eq!(
        said.text,
        format!("corrected #{seq}: payments is down, not checkout")
    );
    // Corrected again: the latest correction, the original still kept.
    ok(
        &mut inc,
        "carol",
        Op::Correct {
            entry: seq,
            text: "payments-api is down".into(),
        },
    );
    let e = &inc.log[seq as usize - 1];
    assert_eq!(
        (e.text.as_str(), e.current_text()),
        ("checkout is down", "payments-api is down")
    );
    // The same text again changes nothing.
    let r = refused(
        &mut inc,
        "carol",
        Op::Correct {
            entry: seq,
            text: "payments-api is down".into(),
        },
    );
    assert!(matches!(r, Refusal::Unchanged { .. }), "{r}");
}

#[test]
fn a_retracted_entry_says_why_and_cannot_be_corrected_after() {
    let mut inc = declared();
    ok(&mut inc, "carol", note("rolling back payments"));
    let seq = inc.log.last().unwrap().seq;
    ok(
        &mut inc,
        "carol",
        Op::Retract {
            entry: seq,
            reason: "wrong incident".into(),
        },
    );
    let e = &inc.log[seq as usize - 1];
    assert_eq!(e.retracted.as_ref().unwrap().text, "wrong incident");
    assert_eq!(
        e.plain_text(),
        "[retracted: wrong incident] — was: rolling back payments"
    );
    assert_eq!(last(&inc), format!("retracted #{seq}: wrong incident"));
    for op in [
        Op::Retract {
            entry: seq,
            reason: "again".into(),
        },
        Op::Correct {
            entry: seq,
            text: "something else".into(),
        },
    ] {
        let r = refused(&mut inc, "carol", op);
        assert!(
            matches!(r, Refusal::AlreadyRetracted { .. }) && r.to_string().contains("`:note TEXT`"),
            "{r}"
        );
    }
}

#[test]
fn only_the_author_amends_an_entry_and_never_one_the_tool_wrote() {
    let mut inc = commanded();
    ok(&mut inc, "carol", note("db looks fine"));
    let seq = inc.log.last().unwrap().seq;
    // Not even the commander: it is carol's word.
    for who in ["alice", "bob"] {
        let r = refused(
            &mut inc,
            who,
            Op::Retract {
                entry: seq,
                reason: "not true".into(),
            },
        );
        assert_eq!(
            r.render(Surface::Cli),
            format!(
                "#{seq} was written by carol: only carol can correct or retract it; ask carol, or add a note of your own (`incident log TEXT`)"
            )
        );
    }
    // Status changes, role changes, the declaration: the record of what
    // happened, whoever wrote them.
    ok(&mut inc, "alice", Op::set_status(Status::Mitigated));
    let status = inc
        .log
        .iter()
        .find(|e| e.kind == LogKind::StatusChange)
        .unwrap()
        .seq;
    for entry in [1, 2, status] {
        let r = refused(
            &mut inc,
            "alice",
            Op::Correct {
                entry,
                text: "x".into(),
            },
        );
        assert!(matches!(r, Refusal::NotCorrectable { .. }), "{r}");
        assert!(r.to_string().contains("written by the tool itself"), "{r}");
    }
    // A correction entry is the tool's too.
    ok(
        &mut inc,
        "carol",
        Op::Correct {
            entry: seq,
            text: "db is fine (checked replicas)".into(),
        },
    );
    let said = inc.log.last().unwrap().seq;
    let r = refused(
        &mut inc,
        "carol",
        Op::Retract {
            entry: said,
            reason: "x".into(),
        },
    );
    assert!(matches!(r, Refusal::NotCorrectable { .. }), "{r}");
    // No such entry, and empty text, are named.
    let r = refused(
        &mut inc,
        "carol",
        Op::Correct {
            entry: 999,
            text: "x".into(),
        },
    );
    assert_eq!(r.to_string(), "log entry #999 does not exist");
    let r = refused(
        &mut inc,
        "carol",
        Op::Correct {
            entry: seq,
            text: "  ".into(),
        },
    );
    assert!(matches!(r, Refusal::Empty { .. }), "{r}");
}

#[test]
fn corrections_go_on_in_a_closed_incident_and_leave_the_systems_alone() {
    let mut inc = declared();
    ok(&mut inc, "carol", note("false alarm: synthetic check"));
    let seq = inc.log.last().unwrap().seq;
    ok(
        &mut inc,
        "alice",
        Op::Close {
            kind: crate::model::CloseKind::FalseAlarm,
            into: None,
            reason: Some("synthetic check".into()),
        },
    );
    let systems = inc.systems_revision;
    ok(
        &mut inc,
        "carol",
        Op::Correct {
            entry: seq,
            text: "false alarm: the synthetic checkout check".into(),
        },
    );
    assert_eq!(inc.systems_revision, systems);
}

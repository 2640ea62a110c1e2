//! The questions a surface asks before writing are the rules' own
//! answers: a dry run of the one check (or a rule beside it), never a
//! second copy of it.

use super::incident::failing;
use super::*;

/// A few incidents the status questions differ on: nobody commanding,
/// alice commanding with nothing open, a failing system, open work and a
/// freeze, already mitigated, closed as a false alarm.
fn states() -> Vec<(&'static str, Incident)> {
    let mut failing_one = commanded();
    ok(&mut failing_one, "carol", failing("cart"));
    let mut open_work = commanded();
    ok(
        &mut open_work,
        "carol",
        super::mitigations::propose("Roll back", MitigationKind::Custom, Risk::Low),
    );
    ok(&mut open_work, "carol", Op::StartMitigation { id: 1 });
    ok(&mut open_work, "carol", Op::Freeze { reason: None });
    let mut mitigated = failing_one.clone();
    ok(
        &mut mitigated,
        "alice",
        Op::SetStatus {
            status: Status::Mitigated,
            force: true,
            keep_freeze: false,
        },
    );
    let mut closed = commanded();
    ok(
        &mut closed,
        "alice",
        Op::Close {
            kind: CloseKind::FalseAlarm,
            into: None,
            reason: Some("a test page".into()),
        },
    );
    vec![
        ("declared", declared()),
        ("commanded", commanded()),
        ("failing", failing_one),
        ("open work", open_work),
        ("mitigated", mitigated),
        ("closed", closed),
    ]
}

#[test]
fn the_lifecycle_question_is_what_the_one_check_says() {
    let mut asked = 0;
    for (name, inc) in states() {
        for who in ["alice", "bob"] {
            for status in [Status::Investigating, Status::Mitigated, Status::Resolved] {
                for keep_freeze in [false, true] {
                    let op = Op::SetStatus {
                        status,
                        force: false,
                        keep_freeze,
                    };
                    let question = lifecycle_question(&inc, who, &op);
                    let verdict = check(&inc, &rec(who, op.clone()));
                    let case = format!("{name}, {who}, {op:?}: {question:?} / {verdict:?}");
                    match &verdict {
                        Err(r @ (Refusal::StillFailing { .. } | Refusal::StillOpen { .. })) => {
                            assert_eq!(question.as_ref(), Some(r), "{case}");
                            // "Anyway" is then writable: forcing passes.
                            let forced = Op::SetStatus {
                                status,
                                force: true,
                                keep_freeze,
                            };
                            assert_eq!(check(&inc, &rec(who, forced)), Ok(()), "{case}");
                            asked += 1;
                        }
                        // Written as is, or refused for a reason no
                        // question helps with (the write says it).
                        _ => assert_eq!(question, None, "{case}"),
                    }
                    // Forced, there is never a question.
                    let forced = Op::SetStatus {
                        status,
                        force: true,
                        keep_freeze,
                    };
                    assert_eq!(lifecycle_question(&inc, who, &forced), None, "{case}");
                }
            }
        }
    }
    // The states above do ask, several times (not a test of nothing).
    assert!(asked >= 4, "{asked}");
    // Only a status change is ever asked about.
    assert_eq!(
        lifecycle_question(&commanded(), "alice", &Op::Freeze { reason: None }),
        None
    );
}

#[test]
fn whether_a_run_needs_a_go_is_the_flag_or_else_the_team_and_a_commander() {
    for (inc, commands) in [(declared(), false), (commanded(), true)] {
        for team_says in [false, true] {
            assert!(run_needs_go(&inc, Clear::Always, team_says));
            assert!(!run_needs_go(&inc, Clear::Never, team_says));
            assert_eq!(
                run_needs_go(&inc, Clear::Default, team_says),
                team_says && commands,
                "commander: {commands}, team: {team_says}"
            );
        }
    }
}

#[test]
fn a_freeze_is_lifted_where_it_is_held() {
    let mut frozen = commanded();
    ok(&mut frozen, "alice", Op::Freeze { reason: None });
    // Held here: the one check judges the lift as usual.
    assert_eq!(unfreeze_here(&frozen, vec!["INC-2".into()]), Ok(()));
    // Held by another incident only: say where.
    let other = vec!["INC-2".into()];
    assert_eq!(
        unfreeze_here(&commanded(), other.clone()),
        Err(Refusal::FrozenElsewhere { ids: other })
    );
    // Held nowhere: the one check's refusal stands.
    assert_eq!(unfreeze_here(&commanded(), vec![]), Ok(()));
    assert_eq!(
        check(&commanded(), &rec("alice", Op::Unfreeze)),
        Err(Refusal::NoFreezeHere)
    );
}

#[test]
fn a_takeover_asked_for_is_never_written_unjudged() {
    // What a surface sends names no holder and no time away: written as
    // is, the one check refuses it; the writer fills both in from the
    // presence files and judges it then (`store::workflow::act`).
    let inc = commanded();
    let asked = Op::take_over(Role::Commander);
    assert!(
        matches!(
            check(&inc, &rec("bob", asked)),
            Err(Refusal::HolderChanged { .. })
        ),
        "an unfilled takeover must not pass"
    );
}

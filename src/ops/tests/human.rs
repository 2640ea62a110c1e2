use super::mitigations::propose;
use super::*;

#[test]
fn impact_ceasing_starts_a_team_break_everyone_sees() {
    use crate::model::BreakKind;
    let mut inc = commanded();
    let at = |m| Utc.with_ymd_and_hms(2026, 11, 26, 14, m, 0).unwrap();
    ok(&mut inc, "alice", Op::set_status(Status::Mitigated));
    let b = inc.break_at(at(5)).expect("a break is running");
    assert_eq!((b.kind, b.ends_at), (BreakKind::Team, at(15)));
    assert!(
        last(&inc).starts_with("automatic team break until 14:15 UTC (15 min)"),
        "{}",
        last(&inc)
    );
    assert!(b.automatic && b.caller() == "automatic", "nobody called it");
    assert!(inc.break_at(at(15)).is_none(), "over at its end");
    // Only the commander ends it early.
    let early = Record {
        at: at(5),
        by: Actor::named("bob"),
        op: Op::EndBreak,
    };
    assert!(matches!(
        apply(&mut inc, &early),
        Err(Refusal::NotCommander { .. })
    ));
    let early = Record {
        at: at(5),
        by: Actor::named("alice"),
        op: Op::EndBreak,
    };
    apply(&mut inc, &early).unwrap();
    assert!(inc.break_at(at(6)).is_none());
}

#[test]
fn breaks_by_hand_and_the_pause_before_a_procedure() {
    use crate::model::BreakKind;
    let mut inc = commanded();
    let team = Op::StartBreak {
        kind: BreakKind::Team,
        minutes: 20,
        reason: Some("long night".into()),
    };
    assert!(matches!(
        refused(&mut inc, "bob", team.clone()),
        Refusal::NotCommander { .. }
    ));
    ok(&mut inc, "alice", team);
    assert!(matches!(
        refused(
            &mut inc,
            "alice",
            Op::StartBreak {
                kind: BreakKind::Team,
                minutes: 5,
                reason: None
            }
        ),
        Refusal::BreakRunning { .. }
    ));
    ok(&mut inc, "alice", Op::EndBreak);
    // Anyone starting a procedure calls the short pause; the commander may skip it.
    ok(
        &mut inc,
        "carol",
        Op::StartBreak {
            kind: BreakKind::Procedure,
            minutes: 2,
            reason: Some("recovery of db cluster".into()),
        },
    );
    ok(&mut inc, "alice", Op::EndBreak);
    assert_eq!(last(&inc), "pause before the procedure skipped by alice");
    assert!(matches!(
        refused(
            &mut inc,
            "alice",
            Op::StartBreak {
                kind: BreakKind::Team,
                minutes: 0,
                reason: None
            }
        ),
        Refusal::BadBreak { .. }
    ));
}

#[test]
fn food_and_standing_people_down() {
    let mut inc = commanded();
    let h = |hh, mm| Utc.with_ymd_and_hms(2026, 11, 26, hh, mm, 0).unwrap();
    assert_eq!(inc.food_due(), Some(h(17, 0)), "3 hours after declaring");
    let food = Record {
        at: h(17, 5),
        by: Actor::named("alice"),
        op: Op::OrderFood { note: None },
    };
    apply(&mut inc, &food).unwrap();
    assert_eq!(inc.food_due(), Some(h(21, 5)), "then every 4 hours");
    assert!(last(&inc).contains("food ordered by alice — expense it"));
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    let e = refused(
        &mut inc,
        "alice",
        Op::Detach {
            user: "bob".into(),
            note: None,
        },
    );
    assert!(
        e.to_string().contains("bob still holds communications"),
        "{e}"
    );
    ok(
        &mut inc,
        "bob",
        Op::StepDown {
            role: Role::Communications,
        },
    );
    assert!(matches!(
        refused(
            &mut inc,
            "carol",
            Op::Detach {
                user: "bob".into(),
                note: None
            }
        ),
        Refusal::NotCommander { .. }
    ));
    ok(
        &mut inc,
        "alice",
        Op::Detach {
            user: "bob".into(),
            note: Some("go sleep".into()),
        },
    );
    assert!(inc.detached.contains_key("bob"));
}

#[test]
fn starting_a_procedure_pauses_everyone_first() {
    use crate::model::BreakKind;
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        propose("Recover the db cluster", MitigationKind::Custom, Risk::Low),
    );
    ok(&mut inc, "carol", Op::MarkProcedure { id: 1 });
    assert!(matches!(
        refused(&mut inc, "carol", Op::MarkProcedure { id: 1 }),
        Refusal::Unchanged { .. }
    ));
    ok(&mut inc, "carol", Op::StartMitigation { id: 1 });
    let b = inc.breaks.last().expect("a pause");
    assert_eq!(
        (b.kind, b.reason.as_deref()),
        (BreakKind::Procedure, Some("before: Recover the db cluster"))
    );
    assert_eq!(b.ends_at - b.starts_at, chrono::Duration::minutes(2));
    ok(&mut inc, "alice", Op::EndBreak);
    assert_eq!(last(&inc), "pause before the procedure skipped by alice");
}

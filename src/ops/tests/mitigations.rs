use super::*;

pub(super) fn propose(text: &str, kind: MitigationKind, risk: Risk) -> Op {
    Op::ProposeMitigation {
        text: text.into(),
        kind,
        risk,
        speed: Speed::Quick,
        system: None,
        owner: None,
    }
}

#[test]
fn mitigations_move_from_proposed_to_an_outcome_and_are_logged() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        propose("Freeze deploys", MitigationKind::FreezeDeploys, Risk::Low),
    );
    assert_eq!(
        last(&inc),
        "proposed M1: Freeze deploys (freeze_deploys, low risk, quick)"
    );
    ok(&mut inc, "carol", Op::StartMitigation { id: 1 });
    assert_eq!(inc.mitigations[0].status, MitigationStatus::InProgress);
    assert_eq!(
        inc.mitigations[0].owner.as_deref(),
        Some("carol"),
        "starting it makes you the owner"
    );
    let e = refused(
        &mut inc,
        "dave",
        Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Done,
            result: None,
        },
    );
    assert!(e.to_string().contains("belongs to carol"), "{e}");
    let e = refused(
        &mut inc,
        "carol",
        Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Proposed,
            result: None,
        },
    );
    assert!(matches!(e, Refusal::NotAnOutcome { .. }));
    ok(
        &mut inc,
        "carol",
        Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Failed,
            result: Some("no change".into()),
        },
    );
    assert_eq!(last(&inc), "M1 FAILED: Freeze deploys — no change");
    let e = refused(&mut inc, "carol", Op::StartMitigation { id: 1 });
    assert!(matches!(e, Refusal::Unchanged { .. }));
    let e = refused(
        &mut inc,
        "carol",
        Op::OwnMitigation {
            id: 1,
            owner: Some("dave".into()),
        },
    );
    assert!(matches!(e, Refusal::MitigationClosed { .. }));
}

#[test]
fn destructive_mitigations_start_only_after_the_commanders_go() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        propose("Restart payments", MitigationKind::Restart, Risk::Medium),
    );
    let e = refused(&mut inc, "carol", Op::StartMitigation { id: 1 });
    assert!(matches!(e, Refusal::NeedsClearance { id: 1 }), "{e}");
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "start M1: Restart payments".into(),
            mitigation: Some(1),
        },
    );
    assert_eq!(inc.mitigations[0].request, Some(1));
    refused(&mut inc, "carol", Op::StartMitigation { id: 1 });
    ok(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    ok(&mut inc, "carol", Op::StartMitigation { id: 1 });
    // The commander's own start needs no clearance; neither does a
    // non-destructive, non-high-risk one.
    ok(
        &mut inc,
        "dave",
        propose("Fail over search", MitigationKind::Failover, Risk::High),
    );
    ok(&mut inc, "alice", Op::StartMitigation { id: 2 });
    ok(
        &mut inc,
        "dave",
        propose("Page the vendor", MitigationKind::Custom, Risk::Low),
    );
    ok(&mut inc, "dave", Op::StartMitigation { id: 3 });
    ok(
        &mut inc,
        "dave",
        propose("Custom but risky", MitigationKind::Custom, Risk::High),
    );
    assert!(matches!(
        refused(&mut inc, "dave", Op::StartMitigation { id: 4 }),
        Refusal::NeedsClearance { .. }
    ));
}

#[test]
fn owners_take_unowned_work_and_the_commander_reassigns() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        propose("Roll back", MitigationKind::Rollback, Risk::Low),
    );
    ok(
        &mut inc,
        "dave",
        Op::OwnMitigation {
            id: 1,
            owner: Some("dave".into()),
        },
    );
    assert_eq!(last(&inc), "dave took M1: Roll back");
    let e = refused(
        &mut inc,
        "erin",
        Op::OwnMitigation {
            id: 1,
            owner: Some("erin".into()),
        },
    );
    assert!(e.to_string().contains("belongs to dave"), "{e}");
    ok(
        &mut inc,
        "alice",
        Op::OwnMitigation {
            id: 1,
            owner: Some("erin".into()),
        },
    );
    assert_eq!(inc.mitigations[0].owner.as_deref(), Some("erin"));
    ok(
        &mut inc,
        "bob",
        Op::AddTask {
            text: "Find the root cause".into(),
            owner: None,
        },
    );
    ok(
        &mut inc,
        "frank",
        Op::OwnTask {
            id: 1,
            owner: Some("frank".into()),
        },
    );
    refused(
        &mut inc,
        "bob",
        Op::FinishTask {
            id: 1,
            result: None,
        },
    );
    ok(
        &mut inc,
        "frank",
        Op::FinishTask {
            id: 1,
            result: Some("pool size default changed".into()),
        },
    );
    assert!(inc.tasks[0].done);
    assert!(matches!(
        refused(
            &mut inc,
            "frank",
            Op::FinishTask {
                id: 1,
                result: None
            }
        ),
        Refusal::TaskDone { .. }
    ));
}

#[test]
fn anyone_freezes_deploys_and_the_commander_lifts_the_freeze() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Freeze {
            reason: Some("bad deploy suspected".into()),
        },
    );
    assert_eq!(inc.freeze.as_ref().unwrap().by, "carol");
    assert!(matches!(
        refused(&mut inc, "dave", Op::Freeze { reason: None }),
        Refusal::Unchanged { .. }
    ));
    let e = refused(&mut inc, "carol", Op::Unfreeze);
    assert!(
        e.to_string()
            .contains("only the commander (alice) can lift the deploy freeze"),
        "{e}"
    );
    ok(&mut inc, "alice", Op::Unfreeze);
    assert!(inc.freeze.is_none());
}

#[test]
fn starting_a_freeze_deploys_mitigation_freezes_deploys() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        propose(
            "Freeze payments deploys",
            MitigationKind::FreezeDeploys,
            Risk::Low,
        ),
    );
    assert!(inc.deploy_freeze().is_none(), "proposing freezes nothing");
    ok(&mut inc, "carol", Op::StartMitigation { id: 1 });
    let f = inc.deploy_freeze().expect("started: deploys are frozen");
    assert_eq!(
        (f.by.as_str(), f.reason.as_deref()),
        ("carol", Some("Freeze payments deploys"))
    );
    assert_eq!(last(&inc), "deploys FROZEN: Freeze payments deploys (M1)");
    // Done, it stays frozen until someone lifts it.
    ok(
        &mut inc,
        "carol",
        Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Done,
            result: None,
        },
    );
    assert!(inc.deploy_freeze().is_some());
    // A second one while frozen keeps the first freeze as it was.
    ok(
        &mut inc,
        "dave",
        propose("Freeze again", MitigationKind::FreezeDeploys, Risk::Low),
    );
    ok(&mut inc, "dave", Op::StartMitigation { id: 2 });
    assert_eq!(inc.deploy_freeze().unwrap().by, "carol");
    assert_eq!(last(&inc), "started M2: Freeze again");
    // Other kinds freeze nothing.
    let mut other = commanded();
    ok(
        &mut other,
        "carol",
        propose("Scale down", MitigationKind::ScaleDown, Risk::Low),
    );
    ok(&mut other, "alice", Op::StartMitigation { id: 1 });
    assert!(other.deploy_freeze().is_none());
}

use super::*;

#[test]
fn claiming_an_empty_role_is_immediate_and_a_held_one_is_refused() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    assert_eq!(inc.holder(Role::Communications), Some("bob"));
    assert_eq!(last(&inc), "bob claimed communications");
    let e = refused(
        &mut inc,
        "carol",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    assert!(
        e.to_string().contains("held by bob") && e.to_string().contains(":handover"),
        "{e}"
    );
}

#[test]
fn the_commander_assigns_roles_and_others_may_not() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "alice",
        Op::SetRole {
            role: Role::Scribe,
            user: Some("dave".into()),
        },
    );
    assert_eq!(last(&inc), "dave is now scribe (set by alice)");
    ok(
        &mut inc,
        "alice",
        Op::SetRole {
            role: Role::Scribe,
            user: Some("erin".into()),
        },
    );
    assert_eq!(last(&inc), "erin is now scribe (was dave; set by alice)");
    let e = refused(
        &mut inc,
        "bob",
        Op::SetRole {
            role: Role::Scribe,
            user: Some("bob".into()),
        },
    );
    assert!(
        e.to_string()
            .contains("only the commander (alice) can assign roles"),
        "{e}"
    );
    // But anyone may take an empty role for themselves through `set`.
    ok(
        &mut inc,
        "bob",
        Op::SetRole {
            role: Role::Communications,
            user: Some("bob".into()),
        },
    );
}

#[test]
fn anyone_assigns_roles_while_there_is_no_commander() {
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::SetRole {
            role: Role::Commander,
            user: Some("alice".into()),
        },
    );
    assert_eq!(inc.commander(), Some("alice"));
}

#[test]
fn command_is_never_reassigned_silently() {
    let mut inc = commanded();
    let e = refused(
        &mut inc,
        "alice",
        Op::SetRole {
            role: Role::Commander,
            user: Some("bob".into()),
        },
    );
    assert!(matches!(e, Refusal::HandoverRequired { .. }), "{e}");
}

#[test]
fn anyone_may_step_down_from_their_own_role_only() {
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
        Op::StepDown {
            role: Role::Communications,
        },
    );
    assert_eq!(e.to_string(), "you do not hold communications (bob does)");
    ok(
        &mut inc,
        "bob",
        Op::StepDown {
            role: Role::Communications,
        },
    );
    assert_eq!(inc.holder(Role::Communications), None);
    ok(
        &mut inc,
        "alice",
        Op::StepDown {
            role: Role::Commander,
        },
    );
    assert_eq!(inc.commander(), None);
}

#[test]
fn handover_moves_the_role_only_when_accepted() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Commander,
            to: "bob".into(),
        },
    );
    assert_eq!(
        inc.commander(),
        Some("alice"),
        "alice keeps it until bob accepts"
    );
    assert!(last(&inc).contains("alice keeps it until bob accepts"));
    let e = refused(
        &mut inc,
        "carol",
        Op::AcceptRole {
            role: Role::Commander,
        },
    );
    assert!(e.to_string().contains("offered to bob, not to you"), "{e}");
    ok(
        &mut inc,
        "bob",
        Op::AcceptRole {
            role: Role::Commander,
        },
    );
    assert_eq!(inc.commander(), Some("bob"));
    assert!(inc.offers.is_empty());
    assert_eq!(last(&inc), "bob accepted commander from alice (was alice)");
}

#[test]
fn offers_can_be_declined_or_withdrawn() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Commander,
            to: "bob".into(),
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::DeclineRole {
            role: Role::Commander,
        },
    );
    assert_eq!(inc.commander(), Some("alice"));
    assert!(last(&inc).contains("declined"));
    ok(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Commander,
            to: "carol".into(),
        },
    );
    let e = refused(
        &mut inc,
        "dave",
        Op::WithdrawOffer {
            role: Role::Commander,
        },
    );
    assert!(matches!(e, Refusal::CannotWithdraw { .. }));
    ok(
        &mut inc,
        "alice",
        Op::WithdrawOffer {
            role: Role::Commander,
        },
    );
    assert!(inc.offers.is_empty());
    let e = refused(
        &mut inc,
        "carol",
        Op::AcceptRole {
            role: Role::Commander,
        },
    );
    assert!(matches!(e, Refusal::NoOffer { .. }));
}

#[test]
fn only_the_holder_hands_over_command_but_the_commander_may_offer_other_roles() {
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
        "bob",
        Op::OfferRole {
            role: Role::Commander,
            to: "bob".into(),
        },
    );
    assert!(matches!(e, Refusal::CannotOffer { .. }));
    ok(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Communications,
            to: "carol".into(),
        },
    );
    let e = refused(
        &mut inc,
        "carol",
        Op::OfferRole {
            role: Role::Scribe,
            to: "dave".into(),
        },
    );
    assert!(matches!(e, Refusal::RoleEmpty { .. }));
    let e = refused(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Communications,
            to: "bob".into(),
        },
    );
    assert!(matches!(e, Refusal::OfferToHolder { .. }));
}

#[test]
fn a_role_change_settles_a_pending_offer() {
    let mut inc = commanded();
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
        Op::OfferRole {
            role: Role::Communications,
            to: "carol".into(),
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::StepDown {
            role: Role::Communications,
        },
    );
    assert!(inc.offers.is_empty());
}

#[test]
fn optional_roles_are_added_by_the_commander() {
    let mut inc = commanded();
    let e = refused(&mut inc, "bob", Op::AddRole { role: Role::Scribe });
    assert!(matches!(e, Refusal::NotCommander { .. }));
    ok(&mut inc, "alice", Op::AddRole { role: Role::Scribe });
    assert!(inc.shown_roles().contains(&Role::Scribe));
    let e = refused(&mut inc, "alice", Op::AddRole { role: Role::Scribe });
    assert!(matches!(e, Refusal::RoleAlreadyShown { .. }));
}

#[test]
fn a_nudge_is_logged_once_per_vacancy() {
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::Nudge {
            role: Role::Commander,
        },
    );
    assert_eq!(inc.log.last().unwrap().kind, LogKind::Nudge);
    refused(
        &mut inc,
        "carol",
        Op::Nudge {
            role: Role::Commander,
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    refused(
        &mut inc,
        "carol",
        Op::Nudge {
            role: Role::Commander,
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::StepDown {
            role: Role::Commander,
        },
    );
    ok(
        &mut inc,
        "carol",
        Op::Nudge {
            role: Role::Commander,
        },
    );
}

fn at_minute(who: &str, minute: i64, op: Op) -> Record {
    let mut r = rec(who, op);
    r.at += chrono::Duration::minutes(minute);
    r
}

fn takeover_op(from: &str, away_since_minute: i64, after: u32) -> Op {
    Op::TakeOver {
        role: Role::Commander,
        from: from.into(),
        away_since: rec(from, Op::Unfreeze).at + chrono::Duration::minutes(away_since_minute),
        after,
    }
}

#[test]
fn a_commander_away_long_enough_is_taken_over_loudly_and_requests_wait_for_the_new_one() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "restart payments-1".into(),
            mitigation: None,
        },
    );
    // alice's last write is her claim at 14:00; she has been away since.
    apply(&mut inc, &at_minute("carol", 7, takeover_op("alice", 0, 5))).unwrap();
    assert_eq!(inc.commander(), Some("carol"));
    let e = inc.log.last().unwrap();
    assert_eq!(e.text, "carol took over commander from alice, away 7m");
    assert!(e.milestone && e.kind == LogKind::Takeover);
    // The waiting request is now carol's to answer.
    assert_eq!(inc.pending_requests().count(), 1);
    apply(
        &mut inc,
        &at_minute(
            "carol",
            8,
            Op::Answer {
                request: 1,
                go: true,
                reason: None,
            },
        ),
    )
    .unwrap();
}

#[test]
fn a_takeover_too_soon_says_how_long_to_wait() {
    let mut inc = commanded();
    let e = apply(&mut inc, &at_minute("carol", 3, takeover_op("alice", 0, 5))).unwrap_err();
    assert!(
        e.to_string().contains("away 3m") && e.to_string().contains("in 2m"),
        "{e}"
    );
    assert_eq!(inc.commander(), Some("alice"));
    // 0 means as soon as they have no view open.
    apply(&mut inc, &at_minute("carol", 0, takeover_op("alice", 0, 0))).unwrap();
    assert_eq!(inc.commander(), Some("carol"));
}

#[test]
fn a_holder_who_wrote_since_is_back_and_keeps_the_role() {
    let mut inc = commanded();
    apply(
        &mut inc,
        &at_minute(
            "alice",
            4,
            Op::Log {
                kind: LogKind::Note,
                text: "still here, on the phone".into(),
            },
        ),
    )
    .unwrap();
    let e = apply(
        &mut inc,
        &at_minute("carol", 10, takeover_op("alice", 0, 5)),
    )
    .unwrap_err();
    assert!(matches!(e, Refusal::HolderBack { .. }), "{e}");
    assert!(e.to_string().contains("14:04 UTC"), "{e}");
    // A takeover judged on a holder who has since changed is refused too.
    let e = apply(&mut inc, &at_minute("carol", 10, takeover_op("bob", 0, 5))).unwrap_err();
    assert!(e.to_string().contains("held by alice, not bob"), "{e}");
    let e = apply(
        &mut inc,
        &at_minute("alice", 10, takeover_op("alice", 4, 5)),
    )
    .unwrap_err();
    assert!(e.to_string().contains("held by you"), "{e}");
}

#[test]
fn a_takeover_while_the_holder_is_here_names_the_handover() {
    let inc = commanded();
    let now = rec("carol", Op::Unfreeze).at + chrono::Duration::minutes(30);
    let e = takeover(
        &inc,
        Role::Commander,
        "carol",
        crate::model::away::Away::Here,
        Some("jump1"),
        5,
        now,
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("alice has this incident open (on jump1)") && msg.contains("handover"),
        "{msg}"
    );
    let e = takeover(
        &inc,
        Role::Communications,
        "carol",
        crate::model::away::Away::Here,
        None,
        5,
        now,
    )
    .unwrap_err();
    assert!(e.to_string().contains(":claim"), "{e}");
    let since = rec("alice", Op::Unfreeze).at;
    let op = takeover(
        &inc,
        Role::Commander,
        "carol",
        crate::model::away::Away::Since(since),
        None,
        5,
        now,
    )
    .unwrap();
    assert_eq!(op, takeover_op("alice", 0, 5));
}

#[test]
fn a_role_given_to_a_name_nobody_has_seen_gets_a_note_after_it_is_given() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::Log {
            kind: LogKind::Note,
            text: "here".into(),
        },
    );
    let typo = Op::SetRole {
        role: Role::Communications,
        user: Some("bbo".into()),
    };
    ok(&mut inc, "alice", typo.clone());
    // Judged on the state after the change, where bbo now holds the role.
    assert_eq!(
        typo.stranger_note(&inc, &[]).as_deref(),
        Some(
            "Gave communications to bbo, who has not opened or written to this incident: check the name"
        )
    );
    assert_eq!(typo.stranger_note(&inc, &["bbo"]), None, "present is seen");
    let known = Op::SetRole {
        role: Role::Scribe,
        user: Some("bob".into()),
    };
    ok(&mut inc, "alice", known.clone());
    assert_eq!(known.stranger_note(&inc, &[]), None);
}

#[test]
fn the_tool_signs_a_nudge_but_is_never_a_person_holding_a_role() {
    let mut inc = declared();
    // What bob's view writes by itself is the tool's.
    let nudge = Record {
        by: crate::model::Actor::tool_for(&crate::model::Actor::named("bob")),
        ..rec(
            "bob",
            Op::Nudge {
                role: Role::Commander,
            },
        )
    };
    apply(&mut inc, &nudge).unwrap();
    assert_eq!(inc.log.last().unwrap().by, "incident");
    // The tool cannot take a role, answer or own work, whatever account
    // runs it.
    for op in [
        Op::ClaimRole {
            role: Role::Commander,
        },
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
        Op::SetStatus {
            status: crate::model::Status::Mitigated,
            force: false,
            keep_freeze: false,
        },
    ] {
        let e = refused(&mut inc, "incident", op);
        assert!(
            matches!(e, Refusal::ToolIsNotAPerson { .. }) && e.to_string().contains("not a person"),
            "{e}"
        );
    }
    assert_eq!(inc.holder(Role::Commander), None);
    // Nor can a person hand it one.
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
        Op::SetRole {
            role: Role::Communications,
            user: Some("incident".into()),
        },
    );
    assert!(matches!(e, Refusal::ToolName { .. }), "{e}");
    let e = refused(
        &mut inc,
        "alice",
        Op::OfferRole {
            role: Role::Commander,
            to: "incident".into(),
        },
    );
    assert!(matches!(e, Refusal::ToolName { .. }), "{e}");
}

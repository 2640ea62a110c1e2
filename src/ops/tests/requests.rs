use super::*;
use crate::model::Clearance;

#[test]
fn announcements_wait_for_the_commander_except_the_commanders_own() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "restart db-2".into(),
            mitigation: None,
        },
    );
    assert_eq!(inc.requests[0].state, RequestState::Pending);
    assert_eq!(inc.log.last().unwrap().request, Some(1));
    assert!(last(&inc).starts_with("about to: restart db-2"));
    ok(
        &mut inc,
        "alice",
        Op::Announce {
            text: "fail over search".into(),
            mitigation: None,
        },
    );
    assert_eq!(inc.requests[1].state, RequestState::Announced);
    assert_eq!(inc.pending_requests().count(), 1);
}

#[test]
fn only_the_commander_answers_and_only_once() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "restart db-2".into(),
            mitigation: None,
        },
    );
    let e = refused(
        &mut inc,
        "carol",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    assert!(e.to_string().contains("only the commander (alice)"), "{e}");
    ok(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: false,
            reason: Some("replica lag first".into()),
        },
    );
    let req = &inc.requests[0];
    assert_eq!(
        (req.state, req.reason.as_deref()),
        (RequestState::Hold, Some("replica lag first"))
    );
    assert!(
        last(&inc).starts_with("hold for carol: R1"),
        "{}",
        last(&inc)
    );
    let e = refused(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    assert!(matches!(e, Refusal::AlreadyAnswered { .. }));
    let e = refused(
        &mut inc,
        "alice",
        Op::Answer {
            request: 9,
            go: true,
            reason: None,
        },
    );
    assert!(matches!(e, Refusal::NoSuchRequest { id: 9 }));
}

#[test]
fn without_a_commander_nobody_can_clear_a_request() {
    let mut inc = declared();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "restart db-2".into(),
            mitigation: None,
        },
    );
    let e = refused(
        &mut inc,
        "bob",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    assert!(matches!(e, Refusal::NoCommanderToAnswer { .. }));
}

#[test]
fn a_run_is_logged_with_its_evidence() {
    let mut inc = declared();
    let evidence = Box::new(RunEvidence {
        command: "systemctl restart nginx".into(),
        started_at: Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap(),
        duration_ms: 1200,
        exit: Some(0),
        signal: None,
        output: "ok\n".into(),
        truncated: false,
        ..Default::default()
    });
    ok(
        &mut inc,
        "bob",
        Op::Ran {
            evidence,
            request: None,
        },
    );
    let e = inc.log.last().unwrap();
    assert_eq!(
        e.text,
        "ran: systemctl restart nginx  exit 0  (1.2s) · ran without go"
    );
    assert_eq!(e.evidence.as_ref().unwrap().output, "ok\n");
}

pub(super) fn ran(exit: Option<i32>, signal: Option<i32>) -> Box<RunEvidence> {
    Box::new(RunEvidence {
        command: "kubectl rollout undo deploy/payments".into(),
        started_at: Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap(),
        duration_ms: 300,
        exit,
        signal,
        output: String::new(),
        truncated: false,
        ..Default::default()
    })
}

#[test]
fn a_run_names_the_go_that_cleared_it() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "run: kubectl rollout undo deploy/payments".into(),
            mitigation: None,
        },
    );
    ok(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    ok(
        &mut inc,
        "carol",
        Op::Ran {
            evidence: ran(Some(0), None),
            request: Some(1),
        },
    );
    let e = inc.log.last().unwrap();
    assert!(
        e.text
            .ends_with("exit 0  (0.3s) · cleared by alice's go (R1)"),
        "{}",
        e.text
    );
    assert_eq!(
        inc.clearance(e),
        Some(Clearance::Go {
            request: 1,
            by: "alice".into(),
            mitigation: None,
        })
    );
    // The commander's own announcement clears it too, and says so.
    ok(
        &mut inc,
        "alice",
        Op::Announce {
            text: "run: true".into(),
            mitigation: None,
        },
    );
    ok(
        &mut inc,
        "alice",
        Op::Ran {
            evidence: ran(Some(0), None),
            request: Some(2),
        },
    );
    assert!(
        last(&inc).ends_with("announced by alice, the commander (R2)"),
        "{}",
        last(&inc)
    );
    // A run recorded against a request still waiting was not cleared.
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "run: false".into(),
            mitigation: None,
        },
    );
    ok(
        &mut inc,
        "carol",
        Op::Ran {
            evidence: ran(Some(0), None),
            request: Some(3),
        },
    );
    assert!(
        last(&inc).ends_with("ran without go (R3 was still pending)"),
        "{}",
        last(&inc)
    );
    assert_eq!(inc.clearance(&inc.log[0]), None, "not a run");
}

#[test]
fn a_failed_run_says_failed() {
    let mut inc = declared();
    for (exit, signal, said) in [
        (Some(2), None, "FAILED exit 2"),
        (None, Some(9), "FAILED killed by signal 9"),
        (None, None, "FAILED did not start"),
        (Some(0), None, "  exit 0  "),
    ] {
        let evidence = ran(exit, signal);
        assert_eq!(evidence.failed(), exit != Some(0));
        ok(
            &mut inc,
            "bob",
            Op::Ran {
                evidence,
                request: None,
            },
        );
        assert!(last(&inc).contains(said), "{}", last(&inc));
    }
    assert!(!last(&inc).contains("FAILED"));
}

#[test]
fn a_go_under_a_borrowed_name_from_a_new_account_shows_the_account() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "restart payments-1".into(),
            mitigation: None,
        },
    );
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "drain eu-west".into(),
            mitigation: None,
        },
    );
    // Someone on the shared account "ops" says they are alice.
    let mut spoof = Actor::named("ops");
    spoof.host = "jump1".into();
    spoof.name = Some("alice".into());
    let note = Record {
        by: spoof.clone(),
        ..rec(
            "x",
            Op::Log {
                kind: LogKind::Note,
                text: "hi".into(),
            },
        )
    };
    apply(&mut inc, &note).unwrap();
    assert_eq!(last(&inc), "hi", "a note is not an act of authority");
    let go = |request| Record {
        by: spoof.clone(),
        ..rec(
            "x",
            Op::Answer {
                request,
                go: true,
                reason: None,
            },
        )
    };
    apply(&mut inc, &go(1)).unwrap();
    let e = inc.log.last().unwrap();
    assert!(e.text.ends_with("— alice (as ops on jump1)"), "{}", e.text);
    assert_eq!(e.unfamiliar.as_deref(), Some("ops on jump1"));
    // Once that account has acted under the name, it is no longer news.
    apply(&mut inc, &go(2)).unwrap();
    assert!(!last(&inc).contains("(as ops"), "{}", last(&inc));
    // alice's own account never is.
    assert!(!inc.log[1].text.contains("(as "), "{}", inc.log[1].text);
}

#[test]
fn only_its_asker_withdraws_a_pending_request_and_it_leaves_waiting() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "run: kubectl get pods -n payments".into(),
            mitigation: None,
        },
    );
    let e = refused(&mut inc, "alice", Op::WithdrawRequest { request: 1 });
    assert!(matches!(e, Refusal::OwnedBySomeoneElse { .. }), "{e}");
    ok(&mut inc, "carol", Op::WithdrawRequest { request: 1 });
    assert_eq!(inc.requests[0].state, RequestState::Withdrawn);
    assert_eq!(inc.pending_requests().count(), 0);
    assert_eq!(
        last(&inc),
        "withdrawn: carol stopped waiting: R1 \"run: kubectl get pods -n payments\""
    );
    assert_eq!(inc.log.last().unwrap().request, Some(1));
    // Nothing left to answer or withdraw.
    let e = refused(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    assert!(
        e.to_string()
            .contains("R1 was withdrawn (its asker stopped waiting)"),
        "{e}"
    );
    refused(&mut inc, "carol", Op::WithdrawRequest { request: 1 });
    refused(&mut inc, "carol", Op::WithdrawRequest { request: 9 });
}

#[test]
fn a_mitigations_go_covers_its_runs_while_young_enough() {
    use crate::model::{MitigationKind, Risk};
    use crate::ops::{GoFor, RunDecision, RunTeam, RunWithoutGo, decide_run, go_for_mitigation};
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        super::mitigations::propose("Roll back payments", MitigationKind::Rollback, Risk::High),
    );
    let t0 = Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap();
    let valid = chrono::Duration::minutes(15);
    let none = RunWithoutGo::default();
    let team = RunTeam {
        needs_go: true,
        without_go: &none,
        go_valid_for: valid,
    };
    let argv: Vec<String> = ["kubectl", "rollout", "undo", "deploy/payments"]
        .map(String::from)
        .to_vec();
    let decide =
        |inc: &Incident, at| decide_run(inc, &argv, Clear::Default, team, Some(1), at).unwrap();
    // No go yet: it asks, saying why.
    assert_eq!(
        decide(&inc, t0),
        RunDecision::Ask {
            note: Some("M1 has no go yet".into())
        }
    );
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "start M1: Roll back payments".into(),
            mitigation: Some(1),
        },
    );
    assert!(matches!(
        go_for_mitigation(&inc, 1, valid, t0).unwrap(),
        GoFor::Ask(why) if why.contains("still waiting")
    ));
    ok(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    // Ten minutes on, the go still covers it.
    assert_eq!(
        decide(&inc, t0 + chrono::Duration::minutes(10)),
        RunDecision::UnderGo {
            request: 1,
            mitigation: 1,
            by: "alice".into()
        }
    );
    // Twenty minutes on, it is too old: ask anew.
    match decide(&inc, t0 + chrono::Duration::minutes(20)) {
        RunDecision::Ask { note: Some(n) } => {
            assert!(n.contains("20m old") && n.contains("valid for 15m"), "{n}")
        }
        other => panic!("{other:?}"),
    }
    // --clear asks anyway; --no-clear never; another mitigation is refused.
    assert!(matches!(
        decide_run(&inc, &argv, Clear::Always, team, Some(1), t0),
        Ok(RunDecision::Ask { .. })
    ));
    assert!(decide_run(&inc, &argv, Clear::Default, team, Some(7), t0).is_err());
    // The run records the go and the mitigation.
    let mut ev = ran(Some(0), None);
    ev.mitigation = Some(1);
    ok(
        &mut inc,
        "carol",
        Op::Ran {
            evidence: ev,
            request: Some(1),
        },
    );
    assert!(
        last(&inc).ends_with("· cleared by alice's go for M1 (R1)"),
        "{}",
        last(&inc)
    );
}

#[test]
fn a_read_only_rule_runs_at_once_and_is_logged_as_such() {
    use crate::ops::{RunDecision, RunTeam, RunWithoutGo, decide_run};
    let inc = commanded();
    let rules = RunWithoutGo::parse(&["kubectl get *".to_string()]).unwrap();
    let team = RunTeam {
        needs_go: true,
        without_go: &rules,
        go_valid_for: chrono::Duration::minutes(15),
    };
    let now = Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap();
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        decide_run(
            &inc,
            &words(&["kubectl", "get", "pods"]),
            Clear::Default,
            team,
            None,
            now
        ),
        Ok(RunDecision::ReadOnly {
            rule: "kubectl get *".into()
        })
    );
    // A `;` cannot smuggle a restart past it; --clear still asks.
    for argv in [
        words(&[
            "kubectl", "get", "pods;", "kubectl", "rollout", "restart", "x",
        ]),
        words(&["sh", "-c", "kubectl get pods"]),
    ] {
        assert_eq!(
            decide_run(&inc, &argv, Clear::Default, team, None, now),
            Ok(RunDecision::Ask { note: None }),
            "{argv:?}"
        );
    }
    assert_eq!(
        decide_run(
            &inc,
            &words(&["kubectl", "get", "pods"]),
            Clear::Always,
            team,
            None,
            now
        ),
        Ok(RunDecision::Ask { note: None })
    );
    let mut inc = inc;
    let mut ev = ran(Some(0), None);
    ev.rule = Some("kubectl get *".into());
    ok(
        &mut inc,
        "carol",
        Op::Ran {
            evidence: ev,
            request: None,
        },
    );
    assert!(
        last(&inc).ends_with("· read-only by team rule (kubectl get *)"),
        "{}",
        last(&inc)
    );
}

#[test]
fn a_request_is_stale_when_its_waiting_process_is_gone() {
    let mut inc = commanded();
    for _ in 0..3 {
        ok(
            &mut inc,
            "carol",
            Op::Announce {
                text: "run: x".into(),
                mitigation: None,
            },
        );
    }
    ok(
        &mut inc,
        "alice",
        Op::Answer {
            request: 3,
            go: true,
            reason: None,
        },
    );
    // R1: its waiter died; R2: one of two waiters still waits; R3: answered.
    let stale = crate::ops::stale_requests(&inc, [(1, false), (2, false), (2, true), (3, false)]);
    assert_eq!(stale.into_iter().collect::<Vec<_>>(), vec![1]);
}

#[test]
fn answering_a_withdrawn_request_says_it_was_withdrawn_not_answered() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "restart db-2".into(),
            mitigation: None,
        },
    );
    ok(&mut inc, "carol", Op::WithdrawRequest { request: 1 });
    let e = refused(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: false,
            reason: Some("wait for the db team".into()),
        },
    );
    assert_eq!(
        e.to_string(),
        "R1 was withdrawn (its asker stopped waiting): nothing to answer"
    );
}

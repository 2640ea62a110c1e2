//! An assistant acting for a person: notes, assumptions, checks and
//! proposals; a run only of its own proposal after the commander's go;
//! nothing else.

use super::requests::ran;
use super::*;

const AI: &str = "assistant (for carol)";

fn propose(inc: &mut Incident) {
    ok(
        inc,
        AI,
        Op::Announce {
            text: "run: kubectl get pods".into(),
            mitigation: None,
        },
    );
}

fn run_of(request: u64) -> Op {
    Op::Ran {
        evidence: ran(Some(0), None),
        request: Some(request),
    }
}

#[test]
fn an_assistant_writes_notes_assumptions_checks_and_proposals() {
    let mut inc = commanded();
    ok(
        &mut inc,
        AI,
        Op::Log {
            kind: LogKind::Note,
            text: "error rate doubled at 14:02".into(),
        },
    );
    assert_eq!(inc.log.last().unwrap().by, AI);
    ok(
        &mut inc,
        AI,
        Op::Assume {
            text: "the deploy at 14:00 caused it".into(),
            source: None,
        },
    );
    ok(
        &mut inc,
        AI,
        Op::Refute {
            id: 1,
            evidence: Evidence {
                text: "errors began before the deploy".into(),
                entry: None,
            },
        },
    );
    propose(&mut inc);
    // Even acting for the commander, its proposal waits for a go.
    assert_eq!(inc.requests[0].state, RequestState::Pending);
    assert_eq!(inc.requests[0].by, AI);
}

#[test]
fn an_assistant_cannot_clear_its_own_proposal_nor_run_before_the_go() {
    let mut inc = commanded();
    propose(&mut inc);
    let e = refused(
        &mut inc,
        AI,
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    assert!(
        e.to_string().contains("may not clear its own proposals"),
        "{e}"
    );
    let e = refused(&mut inc, AI, run_of(1));
    assert!(
        e.to_string()
            .contains("waits for the commander (alice) to answer go"),
        "{e}"
    );
    let e = refused(
        &mut inc,
        AI,
        Op::Ran {
            evidence: ran(Some(0), None),
            request: None,
        },
    );
    assert!(matches!(e, Refusal::AssistantMayNot { .. }), "{e}");
    ok(
        &mut inc,
        "alice",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    assert_eq!(may_run(&inc, AI, 1), Ok(()));
    ok(&mut inc, AI, run_of(1));
    // Once: a second run needs a second proposal.
    let e = refused(&mut inc, AI, run_of(1));
    assert!(matches!(e, Refusal::AlreadyRan { id: 1, .. }), "{e}");
}

#[test]
fn an_assistant_runs_only_its_own_proposals_and_not_on_hold() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::Announce {
            text: "run: reboot".into(),
            mitigation: None,
        },
    );
    propose(&mut inc);
    for (request, go) in [(1, true), (2, false)] {
        ok(
            &mut inc,
            "alice",
            Op::Answer {
                request,
                go,
                reason: Some("not now".into()),
            },
        );
    }
    let e = refused(&mut inc, AI, run_of(1));
    assert!(matches!(e, Refusal::NotYourProposal { id: 1, .. }), "{e}");
    let e = refused(&mut inc, AI, run_of(2));
    assert_eq!(
        e.to_string(),
        "R2 is on hold (alice): not now: it does not run"
    );
}

#[test]
fn an_assistant_holds_no_role_and_changes_nothing_the_people_decide() {
    let mut inc = declared();
    let forbidden = [
        Op::ClaimRole {
            role: Role::Commander,
        },
        Op::SetStatus {
            status: Status::Mitigated,
            force: true,
            keep_freeze: false,
        },
        Op::SetSeverity {
            severity: Severity::Sev1,
        },
        Op::Freeze { reason: None },
        Op::StartBreak {
            kind: BreakKind::Team,
            minutes: 10,
            reason: None,
        },
        Op::Close {
            kind: CloseKind::FalseAlarm,
            into: None,
            reason: Some("nothing wrong".into()),
        },
        Op::Log {
            kind: LogKind::Decision,
            text: "we roll back".into(),
        },
        Op::Escalate {
            team: "db-team".into(),
            kind: "pagerduty".into(),
            message: Some("need a DBA".into()),
        },
    ];
    for op in forbidden {
        let e = refused(&mut inc, AI, op.clone());
        assert!(matches!(e, Refusal::AssistantMayNot { .. }), "{op:?}: {e}");
    }
    // Judged without the incident too, as a writer may.
    let r = rec(
        AI,
        Op::Log {
            kind: LogKind::Action,
            text: "restarted".into(),
        },
    );
    assert!(matches!(
        check_stateless(&r),
        Some(Err(Refusal::AssistantMayNot { .. }))
    ));
}

#[test]
fn an_assistant_withdraws_only_its_own_unanswered_proposals() {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::Announce {
            text: "run: kubectl rollout restart deploy/api".into(),
            mitigation: None,
        },
    );
    propose(&mut inc);
    let e = refused(&mut inc, AI, Op::WithdrawRequest { request: 1 });
    assert!(matches!(e, Refusal::OwnedBySomeoneElse { .. }), "{e}");
    ok(&mut inc, AI, Op::WithdrawRequest { request: 2 });
    assert_eq!(inc.request(2).unwrap().state, RequestState::Withdrawn);
}

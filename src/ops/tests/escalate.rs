//! Calling for help: anyone in the room may, while the incident is on;
//! the page and the resolve are deliveries like an update's; an
//! acknowledgement is taken only for a team paged.

use super::*;
use crate::model::delivery::RESOLVE;
use crate::model::escalation::target;

fn call(team: &str) -> Op {
    Op::Escalate {
        team: team.into(),
        kind: "pagerduty".into(),
        message: Some("replica lag".into()),
    }
}

#[test]
fn anyone_may_call_for_help_but_not_the_tool_nor_once_it_is_over() {
    let mut inc = commanded();
    // Not the commander: anyone in the room.
    ok(&mut inc, "carol", call("db-team"));
    let e = &inc.notices.escalations[0];
    assert_eq!(
        (e.n, e.team.as_str(), e.by.as_str()),
        (1, "db-team", "carol")
    );
    assert_eq!(
        last_of(&inc, LogKind::Page),
        "called db-team for help (pagerduty): replica lag"
    );
    let e = refused(&mut inc, crate::model::TOOL, call("db-team"));
    assert!(matches!(e, Refusal::ToolIsNotAPerson { .. }), "{e}");
    let e = refused(&mut inc, "carol", call("db team; rm"));
    assert!(matches!(e, Refusal::NoSuchTeam { .. }), "{e}");
    ok(
        &mut inc,
        "alice",
        Op::SetStatus {
            status: Status::Resolved,
            force: true,
            keep_freeze: false,
        },
    );
    let e = refused(&mut inc, "carol", call("db-team"));
    assert!(matches!(e, Refusal::EscalateEnded { .. }), "{e}");
}

#[test]
fn the_page_is_a_delivery_and_its_resolve_exists_once_the_incident_ends() {
    let mut inc = commanded();
    ok(&mut inc, "carol", call("db-team"));
    let claim = |update| Op::ClaimDelivery {
        update,
        target: target("db-team"),
        attempt: 1,
    };
    // No resolve while the incident is on, nor a page never made.
    let e = refused(&mut inc, "view", claim(RESOLVE));
    assert!(matches!(e, Refusal::NoSuchDelivery { .. }), "{e}");
    let e = refused(&mut inc, "view", claim(2));
    assert!(matches!(e, Refusal::NoSuchDelivery { .. }), "{e}");
    ok(&mut inc, "view", claim(1));
    let e = refused(&mut inc, "listener", claim(1));
    assert!(matches!(e, Refusal::DeliveryClaimed { .. }), "{e}");
    ok(
        &mut inc,
        "view",
        Op::Delivered {
            update: 1,
            target: target("db-team"),
            remote_id: None,
        },
    );
    assert_eq!(last_of(&inc, LogKind::Page), "the page to db-team went out");
    ok(
        &mut inc,
        "alice",
        Op::Close {
            kind: crate::model::CloseKind::FalseAlarm,
            into: None,
            reason: Some("test".into()),
        },
    );
    ok(&mut inc, "listener", claim(RESOLVE));
}

#[test]
fn an_ack_is_taken_for_a_team_paged_and_marks_its_calls_answered() {
    let mut inc = commanded();
    let ack = |team: &str| Op::EscalationAcked {
        team: team.into(),
        source: "PagerDuty".into(),
        acked_by: Some("dana".into()),
    };
    let e = refused(&mut inc, "listener", ack("db-team"));
    assert!(matches!(e, Refusal::NotEscalated { .. }), "{e}");
    ok(&mut inc, "carol", call("db-team"));
    ok(&mut inc, "carol", call("db-team"));
    ok(&mut inc, "carol", call("net"));
    ok(&mut inc, "listener", ack("db-team"));
    let acked: Vec<_> = inc
        .notices
        .escalations
        .iter()
        .map(|e| (e.team.as_str(), e.ack.as_ref().and_then(|a| a.by.clone())))
        .collect();
    assert_eq!(
        acked,
        [
            ("db-team", Some("dana".to_string())),
            ("db-team", Some("dana".to_string())),
            ("net", None)
        ]
    );
    assert_eq!(
        last_of(&inc, LogKind::Page),
        "db-team acknowledged the call for help in PagerDuty by dana"
    );
}

#[test]
fn a_team_called_again_after_a_reopen_gets_its_resolve_again_at_the_next_end() {
    let mut inc = commanded();
    let claim = |update, attempt| Op::ClaimDelivery {
        update,
        target: target("db-team"),
        attempt,
    };
    let delivered = |update| Op::Delivered {
        update,
        target: target("db-team"),
        remote_id: None,
    };
    let status = |status| Op::SetStatus {
        status,
        force: true,
        keep_freeze: false,
    };
    ok(&mut inc, "carol", call("db-team"));
    ok(&mut inc, "view", claim(1, 1));
    ok(&mut inc, "view", delivered(1));
    ok(&mut inc, "alice", status(Status::Resolved));
    ok(&mut inc, "view", claim(RESOLVE, 1));
    ok(&mut inc, "view", delivered(RESOLVE));
    // Reopened, and the team called again: the same key opens a new
    // alert at their pager, which the next end must resolve too.
    ok(&mut inc, "alice", status(Status::Investigating));
    ok(&mut inc, "carol", call("db-team"));
    ok(&mut inc, "view", claim(2, 1));
    ok(&mut inc, "view", delivered(2));
    ok(&mut inc, "alice", status(Status::Resolved));
    let team = crate::config::Team {
        responders: vec![crate::notify::responders::Responder {
            name: "db-team".into(),
            kind: crate::notify::responders::Kind::PagerDuty,
            secret_file: "/k".into(),
            api_url: "https://x".into(),
        }],
        ..crate::config::Team::default()
    };
    let now = inc.resolved_at.unwrap() + chrono::Duration::minutes(1);
    let jobs: Vec<String> = crate::notify::plan::due(&inc, &team, now)
        .into_iter()
        .filter_map(|j| match j {
            crate::notify::plan::Job::Send { update, dest } => {
                Some(format!("send {update} {}", dest.name()))
            }
            crate::notify::plan::Job::Skip { .. } => None,
        })
        .collect();
    assert_eq!(jobs, [format!("send {RESOLVE} page:db-team")]);
    ok(&mut inc, "view", claim(RESOLVE, 1));
}

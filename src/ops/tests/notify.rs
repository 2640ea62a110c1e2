//! Deliveries: an update is claimed under the lock before it is sent, so
//! it leaves the box once, however many senders race for it.

use super::*;
use crate::model::delivery::{CLAIM_FOR, FAILING_AFTER};

fn with_update() -> Incident {
    let mut inc = commanded();
    ok(
        &mut inc,
        "alice",
        Op::PostUpdate {
            text: "Investigating".into(),
            external: false,
        },
    );
    inc
}

fn claim(attempt: u32) -> Op {
    Op::ClaimDelivery {
        update: 1,
        target: "slack#0".into(),
        attempt,
    }
}

fn at(who: &str, secs: i64, op: Op) -> Record {
    let mut r = rec(who, op);
    r.at += chrono::Duration::seconds(secs);
    r
}

#[test]
fn a_second_claim_for_the_same_try_is_refused_so_nothing_is_sent_twice() {
    let mut inc = with_update();
    apply(&mut inc, &at("view", 0, claim(1))).unwrap();
    // Another sender read the file before the first claim: its try 1 is stale.
    let e = apply(&mut inc, &at("listener", 1, claim(1))).unwrap_err();
    assert!(matches!(e, Refusal::DeliveryClaimed { .. }), "{e}");
    // After the claim expires, its try number is still stale.
    let late = CLAIM_FOR.num_seconds() + 1;
    let e = apply(&mut inc, &at("listener", late, claim(1))).unwrap_err();
    assert!(matches!(e, Refusal::StaleAttempt { .. }), "{e}");
    apply(&mut inc, &at("listener", late, claim(2))).unwrap();
}

#[test]
fn a_delivered_update_is_never_claimed_again() {
    let mut inc = with_update();
    apply(&mut inc, &at("view", 0, claim(1))).unwrap();
    let sent = Op::Delivered {
        update: 1,
        target: "slack#0".into(),
        remote_id: None,
    };
    apply(&mut inc, &at("view", 1, sent.clone())).unwrap();
    assert!(inc.notices.get(1, "slack#0").unwrap().sent_at.is_some());
    let e = apply(&mut inc, &at("listener", 60, claim(2))).unwrap_err();
    assert!(matches!(e, Refusal::AlreadyDelivered { .. }), "{e}");
    let e = apply(&mut inc, &at("view", 61, sent)).unwrap_err();
    assert!(matches!(e, Refusal::AlreadyDelivered { .. }), "{e}");
}

#[test]
fn a_failure_waits_out_its_backoff_and_three_make_it_failing() {
    let mut inc = with_update();
    let mut t = 0;
    for n in 1..=FAILING_AFTER {
        apply(&mut inc, &at("view", t, claim(n))).unwrap();
        let fail = Op::DeliveryFailed {
            update: 1,
            target: "slack#0".into(),
            error: "HTTP 500".into(),
            next_try_at: rec("view", claim(n)).at,
        };
        apply(&mut inc, &at("view", t, fail)).unwrap();
        let d = inc.notices.get(1, "slack#0").unwrap();
        let wait = (d.next_try_at.unwrap() - at("view", t, claim(n)).at).num_seconds();
        assert_eq!(wait, [5, 15, 45][n as usize - 1]);
        let e = apply(&mut inc, &at("view", t + wait - 1, claim(n + 1))).unwrap_err();
        assert!(matches!(e, Refusal::DeliveryNotDue { .. }), "{e}");
        t += wait;
    }
    let d = inc.notices.get(1, "slack#0").unwrap();
    assert!(d.is_failing());
    assert!(d.state_text().contains("HTTP 500"), "{}", d.state_text());
    assert_eq!(inc.notices.failing().count(), 1);
}

#[test]
fn only_updates_that_exist_are_delivered_and_outcomes_need_a_claim() {
    let mut inc = with_update();
    let e = apply(
        &mut inc,
        &rec(
            "view",
            Op::ClaimDelivery {
                update: 2,
                target: "slack#0".into(),
                attempt: 1,
            },
        ),
    )
    .unwrap_err();
    assert!(matches!(e, Refusal::NoSuchDelivery { .. }), "{e}");
    // The resolve exists only once resolved.
    let e = apply(
        &mut inc,
        &rec(
            "view",
            Op::ClaimDelivery {
                update: 0,
                target: "pagerduty".into(),
                attempt: 1,
            },
        ),
    )
    .unwrap_err();
    assert!(matches!(e, Refusal::NoSuchDelivery { .. }), "{e}");
    let e = apply(
        &mut inc,
        &rec(
            "view",
            Op::Delivered {
                update: 1,
                target: "slack#0".into(),
                remote_id: None,
            },
        ),
    )
    .unwrap_err();
    assert!(matches!(e, Refusal::DeliveryNotClaimed { .. }), "{e}");
}

#[test]
fn a_skipped_delivery_says_why_and_is_done() {
    let mut inc = with_update();
    ok(
        &mut inc,
        "view",
        Op::DeliverySkipped {
            update: 1,
            target: "slack#0".into(),
            reason: "drill".into(),
        },
    );
    let d = inc.notices.get(1, "slack#0").unwrap();
    assert_eq!(d.state_text(), "not sent: drill");
    assert!(matches!(
        refused(&mut inc, "view", claim(1)),
        Refusal::AlreadyDelivered { .. }
    ));
}

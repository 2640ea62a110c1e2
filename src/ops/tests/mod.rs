//! The rules and effects of every operation, by area (as `ops::rules` and
//! `ops::effects` are split), with the helpers they share.

//! The rules, one test each: what is valid and who may do what.

use super::*;
use crate::model::{MitigationKind, MitigationStatus, RequestState, Risk, Speed};
use chrono::TimeZone;

mod assistant;
mod document;
mod dry_runs;
mod escalate;
mod human;
mod incident;
mod mitigations;
mod notify;
mod pages_and_closing;
mod requests;
mod roles;
mod systems;
mod way_outs;

pub(super) fn rec(who: &str, op: Op) -> Record {
    Record {
        at: Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap(),
        by: Actor::named(who),
        op,
    }
}

pub(super) fn declared() -> Incident {
    genesis(
        "INC-1",
        &rec(
            "alice",
            Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        ),
    )
    .unwrap()
}

/// Declared, with alice as commander.
pub(super) fn commanded() -> Incident {
    let mut inc = declared();
    apply(
        &mut inc,
        &rec(
            "alice",
            Op::ClaimRole {
                role: Role::Commander,
            },
        ),
    )
    .unwrap();
    inc
}

pub(super) fn ok(inc: &mut Incident, who: &str, op: Op) {
    apply(inc, &rec(who, op.clone())).unwrap_or_else(|e| panic!("{who} {op:?}: {e}"));
}

pub(super) fn refused(inc: &mut Incident, who: &str, op: Op) -> Refusal {
    let before = inc.clone();
    let e =
        apply(inc, &rec(who, op.clone())).expect_err(&format!("{who} {op:?} should be refused"));
    assert_eq!(*inc, before, "a refused operation leaves no trace");
    e
}

pub(super) fn last_of(inc: &Incident, kind: LogKind) -> &str {
    &inc.log
        .iter()
        .rev()
        .find(|e| e.kind == kind)
        .expect("an entry of that kind")
        .text
}

pub(super) fn last(inc: &Incident) -> &str {
    &inc.log.last().unwrap().text
}

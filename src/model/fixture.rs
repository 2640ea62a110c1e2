//! What the model's tests share: an incident declared by alice at 03:00
//! UTC on 2026-12-01, and operations applied (through the one function
//! that applies them) some minutes later.

use super::{Actor, Incident, Severity};
use crate::ops::{Op, Record};
use chrono::{DateTime, Duration, TimeZone, Utc};

/// `min` minutes after the declaration.
pub fn t(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap() + Duration::minutes(min)
}

/// INC-1 "Checkout errors" at `severity`, declared by alice at `t(0)`.
pub fn declared(severity: Severity) -> Incident {
    let decl = Record {
        at: t(0),
        by: Actor::named("alice"),
        op: Op::Declare {
            title: "Checkout errors".into(),
            severity,
            roles: vec![],
        },
    };
    crate::ops::genesis("INC-1", &decl).unwrap()
}

/// `who` applies `op` at `t(min)`; a refusal fails the test.
pub fn apply(inc: &mut Incident, min: i64, who: &str, op: Op) {
    let r = Record {
        at: t(min),
        by: Actor::named(who),
        op,
    };
    crate::ops::apply(inc, &r).unwrap_or_else(|e| panic!("{e}"));
}

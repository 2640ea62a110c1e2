//! Who may send which update, and when: the one place that keeps an
//! update from leaving the box twice.
//!
//! A sender first writes a claim for one update and one target, under the
//! file's lock, judged against the freshest state. A claim is refused when
//! the delivery is already sent or set aside, while another claim still
//! holds (for [`CLAIM_FOR`](crate::model::delivery::CLAIM_FOR)), before
//! the wait after a failure is over, or when its try number is not the
//! next one (someone else tried in between). Only then does anything go
//! out; the outcome (sent, failed) needs a claim to answer.

use super::*;
use crate::model::delivery::{Delivery, RESOLVE};

pub(super) fn check(inc: &Incident, rec: &Record) -> Result<(), Refusal> {
    match &rec.op {
        Op::ClaimDelivery {
            update,
            target,
            attempt,
        } => {
            let d = known(inc, *update, target)?;
            let what = d.label();
            if d.is_done() {
                return Err(Refusal::AlreadyDelivered { what });
            }
            if let Some(c) = d.live_claim(rec.at) {
                return Err(Refusal::DeliveryClaimed {
                    what,
                    by: c.by.clone(),
                    since: c.at.format("%H:%M:%S").to_string(),
                });
            }
            if let Some(t) = d.next_try_at.filter(|t| *t > rec.at) {
                return Err(Refusal::DeliveryNotDue {
                    what,
                    at: t.format("%H:%M:%S").to_string(),
                });
            }
            if *attempt != d.attempts + 1 {
                return Err(Refusal::StaleAttempt {
                    what,
                    attempts: d.attempts,
                });
            }
            Ok(())
        }
        Op::Delivered { update, target, .. } | Op::DeliveryFailed { update, target, .. } => {
            let d = known(inc, *update, target)?;
            if d.is_done() {
                return Err(Refusal::AlreadyDelivered { what: d.label() });
            }
            if d.claimed.is_none() {
                return Err(Refusal::DeliveryNotClaimed { what: d.label() });
            }
            if let Op::DeliveryFailed { error, .. } = &rec.op {
                check_text("delivery error", error)?;
            }
            Ok(())
        }
        Op::DeliverySkipped {
            update,
            target,
            reason,
        } => {
            let d = known(inc, *update, target)?;
            if d.is_done() {
                return Err(Refusal::AlreadyDelivered { what: d.label() });
            }
            check_text("reason", reason)
        }
        _ => super::escalate::check(inc, rec),
    }
}

/// The delivery as it stands, or a fresh one for an update that exists
/// (the resolve exists once the incident is resolved).
fn known(inc: &Incident, update: u64, target: &str) -> Result<Delivery, Refusal> {
    let exists = if let Some(team) = crate::model::escalation::team_of(target) {
        super::escalate::page_exists(inc, update, team)
    } else if update == RESOLVE {
        inc.resolved_at.is_some()
    } else {
        update as usize <= inc.document.updates.len()
    };
    if !exists || target.is_empty() {
        let d = Delivery::new(update, target);
        return Err(Refusal::NoSuchDelivery { what: d.label() });
    }
    Ok(inc
        .notices
        .get(update, target)
        .cloned()
        .unwrap_or_else(|| Delivery::new(update, target)))
}

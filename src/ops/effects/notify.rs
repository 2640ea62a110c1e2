//! What delivery operations do: the state of each delivery. They write
//! nothing to the action log (a retry every few minutes would bury it);
//! the outcome is shown beside the update and, when it keeps failing, on
//! every screen. (A call for help's page is the exception: see
//! `effects::escalate`.)

use super::*;
use crate::model::delivery::{Claim, backoff};

pub(super) fn replay(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::ClaimDelivery {
            update,
            target,
            attempt,
        } => {
            let d = inc.notices.entry(*update, target);
            d.attempts = *attempt;
            d.claimed = Some(Claim {
                by: who.to_string(),
                at: rec.at,
            });
        }
        Op::Delivered {
            update,
            target,
            remote_id,
        } => {
            let d = inc.notices.entry(*update, target);
            d.claimed = None;
            d.sent_at = Some(rec.at);
            d.next_try_at = None;
            if let Some(id) = remote_id {
                inc.notices.remote_ids.insert(target.clone(), id.clone());
            }
        }
        Op::DeliveryFailed {
            update,
            target,
            error,
            next_try_at,
        } => {
            let d = inc.notices.entry(*update, target);
            d.claimed = None;
            d.failures += 1;
            d.last_error = Some(error.clone());
            // Never sooner than the backoff, whatever the sender asked.
            d.next_try_at = Some((*next_try_at).max(rec.at + backoff(d.failures)));
        }
        Op::DeliverySkipped {
            update,
            target,
            reason,
        } => {
            let d = inc.notices.entry(*update, target);
            d.claimed = None;
            d.skipped = Some(reason.clone());
        }
        _ => {}
    }
    super::escalate::replay(inc, rec, who);
}

//! Send what is due for one incident: claim, send, record.

use super::payload::{self, Request};
use super::plan::{self, Dest, Job};
use super::send;
use crate::config::Team;
use crate::model::Actor;
use crate::model::delivery::{RESOLVE, backoff};
use crate::ops::Op;
use crate::store::IncidentFile;
use chrono::Utc;
use std::time::{Duration, Instant};

/// What one round did, for whoever wants to say so.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// "U1 to slack#0"
    pub sent: Vec<String>,
    /// "U1 to slack#0: HTTP 500"
    pub failed: Vec<String>,
}

/// Send every delivery of `file`'s incident that is due, spending at most
/// `budget` (no request starts after it, and none outlasts it). A claim
/// someone else won is left to them.
pub fn deliver_due(file: &mut IncidentFile, team: &Team, me: &Actor, budget: Duration) -> Round {
    let start = Instant::now();
    let mut round = Round::default();
    if !team.sends_anything() {
        return round;
    }
    if file.refresh().is_err() || file.read_only().is_some() {
        return round;
    }
    let jobs: Vec<Job> = plan::due(file.incident(), team, Utc::now());
    for job in jobs {
        let left = budget.saturating_sub(start.elapsed());
        if left.is_zero() {
            break;
        }
        match job {
            Job::Skip {
                update,
                target,
                reason,
            } => {
                let _ = file.commit(
                    me,
                    Op::DeliverySkipped {
                        update,
                        target,
                        reason: reason.into(),
                    },
                );
            }
            Job::Send { update, dest } => {
                let link = team.public_url.as_deref();
                one(file, me, (update, dest, link), left, &mut round)
            }
        }
    }
    round
}

fn one(
    file: &mut IncidentFile,
    me: &Actor,
    (update, dest, link): (u64, Dest, Option<&str>),
    left: Duration,
    round: &mut Round,
) {
    let target = dest.name();
    let attempt = file
        .incident()
        .notices
        .get(update, &target)
        .map_or(0, |d| d.attempts)
        + 1;
    let claim = Op::ClaimDelivery {
        update,
        target: target.clone(),
        attempt,
    };
    // Refused: someone else is sending it, or already has.
    if file.commit(me, claim).is_err() {
        return;
    }
    let label = file
        .incident()
        .notices
        .get(update, &target)
        .map(|d| d.label())
        .unwrap_or_default();
    let outcome = request(file, update, dest, link).and_then(|req| {
        let reply = send::send(&req, left)?;
        Ok(remote_id(dest, &req, &reply.body))
    });
    let op = match outcome {
        Ok(remote_id) => {
            round.sent.push(label);
            Op::Delivered {
                update,
                target,
                remote_id,
            }
        }
        Err(error) => {
            round.failed.push(format!("{label}: {error}"));
            let failures = file
                .incident()
                .notices
                .get(update, &target)
                .map_or(0, |d| d.failures)
                + 1;
            Op::DeliveryFailed {
                update,
                target,
                error,
                next_try_at: Utc::now() + backoff(failures),
            }
        }
    };
    // If this cannot be written the claim lapses and someone tries again.
    let _ = file.commit(me, op);
}

/// The request for this delivery, reading its secret from its file now
/// (so a rotated URL is picked up, and an unreadable file fails loudly).
fn request(
    file: &IncidentFile,
    update: u64,
    dest: Dest,
    public_url: Option<&str>,
) -> Result<Request, String> {
    let inc = file.incident();
    match dest {
        Dest::Notify(t) => {
            let secret = read_secret(&t.secret_file)?;
            payload::update(inc, update, t, &secret)
                .ok_or_else(|| format!("update U{update} is not in this incident"))
        }
        Dest::PagerDuty(pd) => {
            debug_assert_eq!(update, RESOLVE);
            let key = read_secret(&pd.routing_key_file)?;
            let dedup = inc
                .notices
                .pagerduty_key
                .as_deref()
                .ok_or("no PagerDuty page opened this incident")?;
            Ok(payload::pagerduty_resolve(pd, &key, dedup))
        }
        Dest::Page(r) => {
            let secret = read_secret(&r.secret_file)?;
            if update == RESOLVE {
                return Ok(super::escalate::resolve(inc, r, &secret));
            }
            let call = inc
                .notices
                .escalations
                .iter()
                .find(|e| e.n == update)
                .ok_or_else(|| format!("call {update} is not in this incident"))?;
            let link = super::escalate::page_link(inc, public_url);
            Ok(super::escalate::trigger(
                inc,
                call,
                r,
                &secret,
                link.as_deref(),
            ))
        }
    }
}

pub(super) fn read_secret(path: &std::path::Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = text.trim();
    if text.is_empty() {
        return Err(format!("{} is empty", path.display()));
    }
    Ok(text.to_string())
}

/// Statuspage answers a new incident with its id; later updates PATCH it.
fn remote_id(dest: Dest, req: &Request, body: &str) -> Option<String> {
    match dest {
        Dest::Notify(t)
            if t.kind == super::settings::Kind::Statuspage
                && req.method == payload::Method::Post =>
        {
            serde_json::from_str::<serde_json::Value>(body)
                .ok()?
                .get("id")?
                .as_str()
                .map(str::to_string)
        }
        _ => None,
    }
}

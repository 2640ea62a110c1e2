//! Which deliveries are due now: every update to every target that takes
//! it, the PagerDuty resolve, and the drill's updates to set aside.

use super::settings::{Kind, PagerDuty, Target};
use crate::config::Team;
use crate::model::Incident;
use crate::model::delivery::RESOLVE;
use chrono::{DateTime, Duration, Utc};

/// An update nobody tried to send within this long is left alone: adding
/// a target to the team file does not replay old incidents into it.
pub const MAX_AGE: Duration = Duration::hours(1);

pub const PAGERDUTY: &str = "pagerduty";

#[derive(Debug, Clone, Copy)]
pub enum Dest<'a> {
    Notify(&'a Target),
    PagerDuty(&'a PagerDuty),
    /// A team called for help: its page (the update is the call's
    /// number) or its resolve ([`RESOLVE`]).
    Page(&'a crate::notify::responders::Responder),
}

impl Dest<'_> {
    pub fn name(&self) -> String {
        match self {
            Dest::Notify(t) => t.name.clone(),
            Dest::PagerDuty(_) => PAGERDUTY.to_string(),
            Dest::Page(r) => crate::model::escalation::target(&r.name),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Job<'a> {
    Send {
        update: u64,
        dest: Dest<'a>,
    },
    /// Never to be sent, and why ("drill").
    Skip {
        update: u64,
        target: String,
        reason: &'static str,
    },
}

/// What to do for `inc` at `now`, in order.
pub fn due<'a>(inc: &Incident, team: &'a Team, now: DateTime<Utc>) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    let fresh = |at: DateTime<Utc>, update: u64, target: &str| {
        inc.notices.get(update, target).is_some() || now - at <= MAX_AGE
    };
    for t in &team.notify {
        for (i, u) in inc.document.updates.iter().enumerate() {
            let n = i as u64 + 1;
            if !t.takes(u.external) || !fresh(u.at, n, &t.name) {
                continue;
            }
            let d = inc.notices.get(n, &t.name);
            if d.is_some_and(|d| d.is_done()) {
                continue;
            }
            if inc.is_drill() {
                jobs.push(Job::Skip {
                    update: n,
                    target: t.name.clone(),
                    reason: "drill",
                });
                continue;
            }
            if d.is_none_or(|d| d.is_due(now)) {
                jobs.push(Job::Send {
                    update: n,
                    dest: Dest::Notify(t),
                });
            }
            // Statuspage's incident is made by the first update: the next
            // waits until it is there, or two would be made.
            if t.kind == Kind::Statuspage {
                break;
            }
        }
    }
    if let (Some(pd), Some(_), Some(resolved)) =
        (&team.pagerduty, &inc.notices.pagerduty_key, inc.resolved_at)
        && inc.is_resolved()
        && fresh(resolved, RESOLVE, PAGERDUTY)
    {
        let d = inc.notices.get(RESOLVE, PAGERDUTY);
        if inc.is_drill() {
            if d.is_none() {
                jobs.push(Job::Skip {
                    update: RESOLVE,
                    target: PAGERDUTY.into(),
                    reason: "drill",
                });
            }
        } else if d.is_none_or(|d| d.is_due(now)) {
            jobs.push(Job::Send {
                update: RESOLVE,
                dest: Dest::PagerDuty(pd),
            });
        }
    }
    jobs.extend(super::escalate::due(inc, team, now));
    jobs
}

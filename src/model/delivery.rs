//! Where each status update has gone: one [`Delivery`] per update and
//! target (`slack#0`, the first `[[notify]]` entry), and the PagerDuty
//! resolve, which is delivery 0 (updates count from 1).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// How long a claim holds: a sender that died does not block the delivery
/// for longer (every request it makes times out well before).
pub const CLAIM_FOR: Duration = Duration::seconds(30);

/// Failures after which a delivery is shown as failing on every screen.
pub const FAILING_AFTER: u32 = 3;

/// The delivery numbered 0: the PagerDuty resolve, sent once when the
/// incident resolves.
pub const RESOLVE: u64 = 0;

/// The wait before the next try after `failures` failures: 5 s, 15 s,
/// 45 s, 2 min, then every 5 min.
pub fn backoff(failures: u32) -> Duration {
    match failures {
        0 | 1 => Duration::seconds(5),
        2 => Duration::seconds(15),
        3 => Duration::seconds(45),
        4 => Duration::minutes(2),
        _ => Duration::minutes(5),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The update's number (1 is the first), or [`RESOLVE`].
    pub update: u64,
    /// `kind#index` of the team's `[[notify]]` entry, or `pagerduty`.
    pub target: String,
    /// Claims made so far (each is one try).
    pub attempts: u32,
    /// Tries that failed, in a row.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub failures: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claimed: Option<Claim>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
    /// Why it will never be sent (a drill's updates go nowhere real).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_try_at: Option<DateTime<Utc>>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Someone is sending it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub by: String,
    pub at: DateTime<Utc>,
}

impl Delivery {
    pub fn new(update: u64, target: &str) -> Delivery {
        Delivery {
            update,
            target: target.to_string(),
            attempts: 0,
            failures: 0,
            claimed: None,
            sent_at: None,
            skipped: None,
            last_error: None,
            next_try_at: None,
        }
    }

    /// Sent or skipped: nothing more will happen to it.
    pub fn is_done(&self) -> bool {
        self.sent_at.is_some() || self.skipped.is_some()
    }

    /// The claim that still holds at `now`, if any.
    pub fn live_claim(&self, now: DateTime<Utc>) -> Option<&Claim> {
        self.claimed.as_ref().filter(|c| c.at + CLAIM_FOR > now)
    }

    /// May be claimed at `now`: not done, nobody sending, and its wait
    /// after a failure is over.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        !self.is_done()
            && self.live_claim(now).is_none()
            && self.next_try_at.is_none_or(|t| t <= now)
    }

    /// Kept failing: shown on every screen until it goes through.
    pub fn is_failing(&self) -> bool {
        !self.is_done() && self.failures >= FAILING_AFTER
    }

    /// What became of it, in a few words: "sent 06:41", "failed: HTTP
    /// 500, retrying 06:42", "sending", "not sent: drill", "waiting".
    pub fn state_text(&self) -> String {
        if let Some(at) = self.sent_at {
            return format!("sent {}", at.format("%H:%M"));
        }
        if let Some(why) = &self.skipped {
            return format!("not sent: {why}");
        }
        if self.claimed.is_some() {
            return "sending".into();
        }
        match (&self.last_error, self.next_try_at) {
            (Some(e), Some(t)) => format!(
                "failed {}x: {}, retrying {}",
                self.failures,
                crate::sanitize::line(e),
                t.format("%H:%M:%S")
            ),
            (Some(e), None) => format!("failed: {}", crate::sanitize::line(e)),
            _ => "waiting to be sent".into(),
        }
    }

    /// "U3 to slack#0", or "the resolve to pagerduty"; for a call for
    /// help, "page 2 to db-team" or "the resolve to db-team".
    pub fn label(&self) -> String {
        if let Some(team) = super::escalation::team_of(&self.target) {
            return if self.update == RESOLVE {
                format!("the resolve to {team}")
            } else {
                format!("page {} to {team}", self.update)
            };
        }
        if self.update == RESOLVE {
            format!("the resolve to {}", self.target)
        } else {
            format!("U{} to {}", self.update, self.target)
        }
    }
}

/// Every delivery of one incident, and what the services gave back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notices {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliveries: Vec<Delivery>,
    /// The Statuspage incident created by the first external update, per
    /// target: later updates change it.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub remote_ids: std::collections::BTreeMap<String, String>,
    /// The de-duplication key of the PagerDuty page that opened it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagerduty_key: Option<String>,
    /// Teams paged from the war room (`incident escalate`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalations: Vec<super::escalation::Escalation>,
}

impl Notices {
    pub fn is_empty(&self) -> bool {
        self == &Notices::default()
    }

    pub fn get(&self, update: u64, target: &str) -> Option<&Delivery> {
        self.deliveries
            .iter()
            .find(|d| d.update == update && d.target == target)
    }

    /// The delivery, created when this is the first word about it.
    pub fn entry(&mut self, update: u64, target: &str) -> &mut Delivery {
        let i = match self
            .deliveries
            .iter()
            .position(|d| d.update == update && d.target == target)
        {
            Some(i) => i,
            None => {
                self.deliveries.push(Delivery::new(update, target));
                self.deliveries.len() - 1
            }
        };
        &mut self.deliveries[i]
    }

    /// The deliveries that kept failing.
    pub fn failing(&self) -> impl Iterator<Item = &Delivery> {
        self.deliveries.iter().filter(|d| d.is_failing())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_five_minutes() {
        let waits: Vec<i64> = (1..=7).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(waits, [5, 15, 45, 120, 300, 300, 300]);
    }

    #[test]
    fn a_claim_expires_so_a_dead_sender_blocks_nobody() {
        let t = DateTime::UNIX_EPOCH;
        let mut d = Delivery::new(1, "slack#0");
        assert!(d.is_due(t));
        d.claimed = Some(Claim {
            by: "alice".into(),
            at: t,
        });
        assert!(!d.is_due(t + Duration::seconds(29)));
        assert!(d.is_due(t + CLAIM_FOR));
    }
}

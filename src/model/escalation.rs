//! Calls for help: a team from the `[[responders]]` of `incident.toml`
//! paged from the war room (`incident escalate TEAM`), and its answer.
//!
//! Each call is one [`Escalation`], numbered from 1. Its page is the
//! delivery numbered like it to the target `page:TEAM` (see
//! [`target`]); the resolve sent when the incident ends is delivery
//! [`RESOLVE`](super::delivery::RESOLVE) to that target, once per team.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The delivery target that stands for paging `team`.
pub fn target(team: &str) -> String {
    format!("{PREFIX}{team}")
}

/// The team a delivery target pages, if it is a page.
pub fn team_of(target: &str) -> Option<&str> {
    target.strip_prefix(PREFIX)
}

const PREFIX: &str = "page:";

/// The key the pager knows the call by: PagerDuty's `dedup_key`,
/// Opsgenie's `alias`. The same on every box (the incident's id and the
/// team's name, nothing of the box), so a second sender's trigger is the
/// same alert, the resolve closes it, and an acknowledgement finds it.
pub fn dedup_key(incident: &str, team: &str) -> String {
    format!("incident/{incident}/{team}")
}

/// The incident and team a pager key names, if it is one of ours.
pub fn parse_dedup_key(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("incident/")?;
    let (id, team) = rest.split_once('/')?;
    (!id.is_empty() && !team.is_empty()).then_some((id, team))
}

/// One call for help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Escalation {
    /// 1 for the first call of this incident.
    pub n: u64,
    /// The `[[responders]]` name.
    pub team: String,
    /// How it is paged: pagerduty, opsgenie or webhook.
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
    /// The team's acknowledgement, when it came back through the listener.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack: Option<EscalationAck>,
}

/// Who answered a call, where and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EscalationAck {
    pub source: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    pub at: DateTime<Utc>,
}

impl Escalation {
    /// "db-team paged 06:41 by alice — acked 06:44 by dana (pagerduty)",
    /// with the page's state when it has not been answered.
    pub fn describe(&self, delivery: Option<&super::delivery::Delivery>) -> String {
        let mut s = format!(
            "{} paged {} by {}",
            self.team,
            self.at.format("%H:%M"),
            self.by
        );
        match &self.ack {
            Some(a) => s.push_str(&format!(
                " — acked {}{} ({})",
                a.at.format("%H:%M"),
                a.by.as_ref()
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default(),
                a.source
            )),
            None => {
                let state = match delivery {
                    Some(d) if d.sent_at.is_some() => "not acked yet".to_string(),
                    Some(d) => d.state_text(),
                    None => "waiting to be sent".to_string(),
                };
                s.push_str(&format!(" — {state}"));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_the_incident_and_team_and_reads_back() {
        let k = dedup_key("INC-3", "db-team");
        assert_eq!(k, "incident/INC-3/db-team");
        assert_eq!(parse_dedup_key(&k), Some(("INC-3", "db-team")));
        assert_eq!(parse_dedup_key("incident/INC-3"), None);
        assert_eq!(parse_dedup_key("P123"), None);
        assert_eq!(team_of(&target("db-team")), Some("db-team"));
        assert_eq!(team_of("slack#0"), None);
    }
}

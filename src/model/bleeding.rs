//! What is bleeding: systems and their dependencies, assumptions with how
//! they were checked, and the impact estimate.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

super::enums::vocabulary! {
    /// What is known about a system's health.
    SystemStatus, "system status", "unknown, ok, degraded, failing" {
        Unknown => "unknown" ["?"],
        Ok => "ok" ["up", "healthy", "fine"],
        Degraded => "degraded" ["slow", "partial"],
        Failing => "failing" ["down", "failed", "broken"],
    }
}

impl SystemStatus {
    /// Failing or degraded: part of what is bleeding.
    pub fn is_bleeding(self) -> bool {
        matches!(self, SystemStatus::Failing | SystemStatus::Degraded)
    }
}

/// How a claim was checked: the words, and optionally the log entry of an
/// `incident run` whose output shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// Sequence number of a `ran` log entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<u64>,
}

/// A system taking part in the incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct System {
    pub name: String,
    pub status: SystemStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Who set the status last, and when (none while never checked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
    /// The status came from an alert (this source), not from a check.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_by: Option<String>,
    /// Names of the systems this one depends on.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub depends_on: BTreeSet<String>,
}

impl System {
    pub fn new(name: &str) -> Self {
        System {
            name: name.to_string(),
            status: SystemStatus::Unknown,
            owner: None,
            note: None,
            changed_by: None,
            changed_at: None,
            evidence: None,
            reported_by: None,
            depends_on: BTreeSet::new(),
        }
    }

    /// Its status was set by someone with evidence (an alert's word is
    /// not evidence).
    pub fn is_verified(&self) -> bool {
        self.changed_at.is_some() && self.evidence.is_some() && self.reported_by.is_none()
    }
}

/// Where an assumption stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssumptionState {
    Unverified,
    Verified,
    Refuted,
}

/// Something believed but not (yet) checked: "the database is fine",
/// "vendor says their API is healthy".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assumption {
    pub id: u64,
    pub text: String,
    /// Who said so, when it comes from outside ("vendor support").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
    pub state: AssumptionState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<Evidence>,
}

/// Why a person names a system as the cause: an assumption (`A2`) or a
/// log entry (`#12`) that shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseLink {
    Assumption(u64),
    Entry(u64),
}

impl std::fmt::Display for CauseLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CauseLink::Assumption(id) => write!(f, "A{id}"),
            CauseLink::Entry(seq) => write!(f, "#{seq}"),
        }
    }
}

impl std::str::FromStr for CauseLink {
    type Err = String;

    /// `A2` (an assumption) or `#12` (a log entry); a bare number says
    /// neither, so it is refused.
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if t.starts_with(['A', 'a'])
            && let Ok(r) = t.parse::<super::refs::AssumptionRef>()
        {
            return Ok(CauseLink::Assumption(r.0));
        }
        if t.starts_with('#')
            && let Ok(r) = t.parse::<super::refs::EntryRef>()
        {
            return Ok(CauseLink::Entry(r.0));
        }
        Err(format!(
            "'{}' is not a reason: give an assumption (A2) or a log entry (#12)",
            crate::sanitize::line(s)
        ))
    }
}

/// The system a person named as the cause, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedSuspect {
    pub system: String,
    pub by: String,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub because: Option<CauseLink>,
}

/// An estimate of who is affected and how many.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Impact {
    pub text: String,
    /// The number in the text, when there is one ("~1200").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<f64>,
    /// What follows the number ("customers/hour").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

impl Impact {
    /// Pick the first number and the word after it out of free text:
    /// "EU card payments ~1200 customers/hour" -> (1200, "customers/hour").
    pub fn parse_count(text: &str) -> (Option<f64>, Option<String>) {
        let words: Vec<&str> = text.split_whitespace().collect();
        for (i, w) in words.iter().enumerate() {
            let digits: String = w
                .trim_start_matches(['~', '≈', '>', '<'])
                .trim_end_matches(['+', ','])
                .chars()
                .filter(|c| *c != ',' && *c != '_')
                .collect();
            let (num, suffix) = match digits.strip_suffix(['k', 'K']) {
                Some(n) => (n.to_string(), 1_000.0),
                None => match digits.strip_suffix(['m', 'M']) {
                    Some(n) => (n.to_string(), 1_000_000.0),
                    None => (digits, 1.0),
                },
            };
            if let Ok(n) = num.parse::<f64>()
                && n.is_finite()
            {
                let unit = words.get(i + 1).map(|u| u.to_string());
                return (Some(n * suffix), unit);
            }
        }
        (None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_come_out_of_free_text() {
        assert_eq!(
            Impact::parse_count("EU card payments ~1200 customers/hour"),
            (Some(1200.0), Some("customers/hour".into()))
        );
        assert_eq!(
            Impact::parse_count("about 3k users"),
            (Some(3000.0), Some("users".into()))
        );
        assert_eq!(
            Impact::parse_count("1,500 orders"),
            (Some(1500.0), Some("orders".into()))
        );
        assert_eq!(Impact::parse_count("all of EU"), (None, None));
    }

    #[test]
    fn statuses_parse_from_what_people_say() {
        assert_eq!(
            "down".parse::<SystemStatus>().unwrap(),
            SystemStatus::Failing
        );
        assert_eq!("OK".parse::<SystemStatus>().unwrap(), SystemStatus::Ok);
        assert!(
            "sad"
                .parse::<SystemStatus>()
                .unwrap_err()
                .to_string()
                .contains("failing")
        );
    }
}

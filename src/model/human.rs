//! The human element: shared breaks, food, and who has been on too long.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

super::enums::vocabulary! {
    /// Why a break is held.
    BreakKind, "break kind", "team, procedure" {
        Team => "team" [],
        Procedure => "procedure" ["pause"],
    }
}

/// A break everyone sees the same countdown for: stored in the incident,
/// rendered from the clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Break {
    pub kind: BreakKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub started_by: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Ended early by the commander (or skipped, for a procedure pause).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_by: Option<String>,
    /// Started by the tool when impact ceased, not called by anyone
    /// (`started_by` is whoever changed the status).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub automatic: bool,
}

impl Break {
    /// Who called it, as the room says it: "alice", or "automatic" for
    /// the break the tool starts when impact ceases.
    pub fn caller(&self) -> &str {
        if self.automatic {
            "automatic"
        } else {
            &self.started_by
        }
    }
}

impl Break {
    pub fn is_running(&self, now: DateTime<Utc>) -> bool {
        self.starts_at <= now && now < self.ends_at
    }
}

/// Times and thresholds of the human element, per incident (set from the
/// team's `incident.toml` when declared).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HumanSettings {
    /// Team break when impact ceases.
    pub team_break_minutes: u32,
    /// Pause before a procedure.
    pub procedure_pause_minutes: u32,
    /// First food prompt after declaring, then every so often.
    pub food_after_minutes: u32,
    pub food_every_minutes: u32,
    /// Time on the incident that is highlighted, then that the commander
    /// is nudged about.
    pub fatigue_warn_minutes: u32,
    pub fatigue_alert_minutes: u32,
}

impl Default for HumanSettings {
    fn default() -> Self {
        HumanSettings {
            team_break_minutes: 15,
            procedure_pause_minutes: 2,
            food_after_minutes: 180,
            food_every_minutes: 240,
            fatigue_warn_minutes: 180,
            fatigue_alert_minutes: 360,
        }
    }
}

/// Someone stood down by the commander.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detached {
    pub by: String,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

//! Stopping the bleeding: mitigations (quick routine fixes first), the
//! investigation tasks that run beside them, and the deploy freeze.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

super::enums::vocabulary! {
    /// What a mitigation does.
    MitigationKind, "mitigation kind", "rollback, freeze_deploys, scale_down, noop_endpoint, restart, failover, custom" {
        Rollback => "rollback" ["roll_back", "revert"],
        FreezeDeploys => "freeze_deploys" ["freeze"],
        ScaleDown => "scale_down" ["scale"],
        NoopEndpoint => "noop_endpoint" ["noop", "no_op", "disable", "disable_endpoint"],
        Restart => "restart" ["reboot"],
        Failover => "failover" ["fail_over"],
        Custom => "custom" ["other"],
    }
}

super::enums::vocabulary! {
    /// How much could go wrong doing it.
    Risk, "risk", "low, medium, high" {
        Low => "low" [],
        Medium => "medium" ["med"],
        High => "high" [],
    }
}

super::enums::vocabulary! {
    /// How long it takes to apply.
    Speed, "speed", "quick, slow" {
        Quick => "quick" ["fast"],
        Slow => "slow" [],
    }
}

super::enums::vocabulary! {
    /// Where a mitigation stands.
    MitigationStatus, "mitigation status", "proposed, in_progress, done, failed, abandoned" {
        Proposed => "proposed" [],
        InProgress => "in_progress" ["started", "running"],
        Done => "done" ["worked"],
        Failed => "failed" ["didnt_work"],
        Abandoned => "abandoned" ["dropped"],
    }
}

impl MitigationKind {
    /// Kinds that change production in ways that can hurt: they go
    /// through the commander's clearance before they start.
    pub fn is_destructive(self) -> bool {
        matches!(
            self,
            MitigationKind::Rollback
                | MitigationKind::ScaleDown
                | MitigationKind::NoopEndpoint
                | MitigationKind::Restart
                | MitigationKind::Failover
        )
    }
}

impl MitigationStatus {
    pub fn is_open(self) -> bool {
        matches!(
            self,
            MitigationStatus::Proposed | MitigationStatus::InProgress
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mitigation {
    pub id: u64,
    pub text: String,
    pub kind: MitigationKind,
    pub risk: Risk,
    pub speed: Speed,
    /// The system it is for, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub status: MitigationStatus,
    /// What happened: "error rate back to 0.1%", "no change".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The clearance request asking the commander to start it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<u64>,
    /// A procedure ("recovery of the X cluster"): starting it first gives
    /// everyone a short pause.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub procedure: bool,
}

impl Mitigation {
    /// Needs the commander's go before it starts.
    pub fn needs_clearance(&self) -> bool {
        self.kind.is_destructive() || self.risk == Risk::High
    }

    /// Order for the pane: open ones first, quick and low-risk on top (the
    /// routine fixes), then failed (they stay visible), done, abandoned.
    pub fn sort_key(&self) -> (u8, Speed, Risk, u64) {
        let group = match self.status {
            MitigationStatus::InProgress | MitigationStatus::Proposed => 0,
            MitigationStatus::Failed => 1,
            MitigationStatus::Done => 2,
            MitigationStatus::Abandoned => 3,
        };
        (group, self.speed, self.risk, self.id)
    }
}

/// Investigation work beside the mitigations: root cause, impact analysis.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: u64,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub done: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    pub by: String,
    pub at: DateTime<Utc>,
}

/// Work for after the incident, so it does not happen again: the action
/// items of the post-mortem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Followup {
    pub id: u64,
    pub text: String,
    pub kind: super::FollowupKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    pub done: bool,
    pub by: String,
    pub at: DateTime<Utc>,
    /// The investigation task it was carried over from, at resolve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_task: Option<u64>,
}

impl Followup {
    /// "F3".
    pub fn label(&self) -> String {
        format!("F{}", self.id)
    }
}

/// Deploys are frozen while this is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Freeze {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub by: String,
    pub since: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_low_risk_fixes_sort_first_and_failed_ones_stay_visible() {
        let m = |id, speed, risk, status| Mitigation {
            id,
            text: String::new(),
            kind: MitigationKind::Custom,
            risk,
            speed,
            system: None,
            owner: None,
            status,
            result: None,
            by: "a".into(),
            at: DateTime::UNIX_EPOCH,
            updated_at: DateTime::UNIX_EPOCH,
            request: None,
            procedure: false,
        };
        use MitigationStatus::*;
        let mut v = [
            m(1, Speed::Slow, Risk::Low, Proposed),
            m(2, Speed::Quick, Risk::High, Proposed),
            m(3, Speed::Quick, Risk::Low, Failed),
            m(4, Speed::Quick, Risk::Low, InProgress),
            m(5, Speed::Quick, Risk::Medium, Done),
        ];
        v.sort_by_key(Mitigation::sort_key);
        assert_eq!(v.iter().map(|m| m.id).collect::<Vec<_>>(), [4, 2, 1, 3, 5]);
    }

    #[test]
    fn destructive_kinds_and_high_risk_need_clearance() {
        assert!(MitigationKind::Restart.is_destructive());
        assert!(!MitigationKind::FreezeDeploys.is_destructive());
        assert_eq!(
            "no-op".parse::<MitigationKind>().unwrap(),
            MitigationKind::NoopEndpoint
        );
    }
}

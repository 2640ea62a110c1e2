//! Small closed vocabularies of the incident: severity, status, roles and the
//! kinds of log entry. Each parses from what a human would type.

use serde::{Deserialize, Serialize};

/// A word that is not one of the accepted values; names what was accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} '{given}' is not valid: use one of {accepted}")]
pub struct ParseError {
    pub what: &'static str,
    pub given: String,
    pub accepted: &'static str,
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal, $accepted:literal {
            $($variant:ident => $display:literal [$($alias:literal),*]),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The canonical name, as stored and as shown.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $display),+ }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::model::ParseError;
            fn from_str(s: &str) -> Result<Self, $crate::model::ParseError> {
                let lower = s.trim().to_ascii_lowercase().replace('-', "_");
                $(
                    if lower == $display.to_ascii_lowercase().replace('-', "_")
                        $(|| lower == $alias)* {
                        return Ok($name::$variant);
                    }
                )+
                Err($crate::model::ParseError { what: $what, given: s.to_string(), accepted: $accepted })
            }
        }
    };
}

pub(crate) use vocabulary;

vocabulary! {
    /// How bad it is. SEV1 is the worst.
    Severity, "severity", "SEV1, SEV2, SEV3, SEV4 (SEV1 is the worst)" {
        Sev1 => "SEV1" ["1"],
        Sev2 => "SEV2" ["2"],
        Sev3 => "SEV3" ["3"],
        Sev4 => "SEV4" ["4"],
    }
}

vocabulary! {
    /// Where the incident is in its life.
    Status, "status", "investigating, mitigated, resolved" {
        Investigating => "investigating" [],
        Mitigated => "mitigated" [],
        Resolved => "resolved" [],
    }
}

vocabulary! {
    /// A role in the incident response.
    Role, "role", "commander (ic), communications (comms), scribe, ops_lead, sme, liaison" {
        Commander => "commander" ["ic", "incident_commander"],
        Communications => "communications" ["comms", "cl"],
        Scribe => "scribe" [],
        OpsLead => "ops_lead" ["ops", "opslead"],
        Sme => "sme" ["expert", "subject_matter_expert"],
        Liaison => "liaison" ["customer_liaison"],
    }
}

vocabulary! {
    /// What a log entry records.
    LogKind, "log kind", "note, action, decision, announcement" {
        Note => "note" [],
        Action => "action" [],
        Decision => "decision" [],
        Announcement => "announcement" ["announce"],
        StatusChange => "status_change" [],
        RoleChange => "role_change" [],
        SeverityChange => "severity_change" [],
        Declared => "declared" [],
        Request => "request" [],
        Answer => "answer" [],
        Ran => "ran" [],
        Nudge => "nudge" [],
        System => "system" [],
        Assumption => "assumption" [],
        Impact => "impact" [],
        Mitigation => "mitigation" [],
        Task => "task" [],
        Freeze => "freeze" [],
        Document => "document" [],
        Update => "update" [],
        Break => "break" [],
        Care => "care" [],
        Page => "page" [],
        Takeover => "takeover" [],
        Milestone => "milestone" [],
        Followup => "followup" [],
        Closed => "closed" [],
        Related => "related" [],
        Correction => "correction" [],
    }
}

vocabulary! {
    /// A moment in an incident's life the post-mortem measures from.
    Milestone, "milestone", "impact_started, detected, acknowledged, declared, mitigated, resolved" {
        ImpactStarted => "impact_started" ["impact", "started", "impact-started"],
        Detected => "detected" [],
        Acknowledged => "acknowledged" ["acked", "ack"],
        Declared => "declared" [],
        Mitigated => "mitigated" [],
        Resolved => "resolved" [],
    }
}

vocabulary! {
    /// What a follow-up is for, as post-mortems sort them.
    FollowupKind, "follow-up type", "prevent, mitigate, process, other" {
        Prevent => "prevent" ["prevention"],
        Mitigate => "mitigate" ["mitigation", "detect"],
        Process => "process" [],
        Other => "other" [],
    }
}

impl Role {
    /// The two roles every incident needs; always shown even when empty.
    pub const ESSENTIAL: [Role; 2] = [Role::Commander, Role::Communications];

    /// A short label for narrow panes.
    pub fn label(self) -> &'static str {
        match self {
            Role::Commander => "Commander",
            Role::Communications => "Comms",
            Role::Scribe => "Scribe",
            Role::OpsLead => "Ops lead",
            Role::Sme => "SME",
            Role::Liaison => "Liaison",
        }
    }
}

impl LogKind {
    /// Kinds a person may write directly; the others are recorded by the
    /// operations that cause them.
    pub fn is_user_writable(self) -> bool {
        matches!(
            self,
            LogKind::Note | LogKind::Action | LogKind::Decision | LogKind::Announcement
        )
    }

    /// A one-character marker for the log view.
    pub fn marker(self) -> &'static str {
        match self {
            LogKind::Note => " ",
            LogKind::Action => ">",
            LogKind::Decision => "=",
            LogKind::Announcement => "!",
            LogKind::StatusChange => "*",
            LogKind::RoleChange => "@",
            LogKind::SeverityChange => "*",
            LogKind::Declared => "#",
            LogKind::Request => "?",
            LogKind::Answer => "»",
            LogKind::Ran => "$",
            LogKind::Nudge => "!",
            LogKind::System => "~",
            LogKind::Assumption => "A",
            LogKind::Impact => "%",
            LogKind::Mitigation => "+",
            LogKind::Task => "T",
            LogKind::Freeze => "F",
            LogKind::Document => "D",
            LogKind::Update => "U",
            LogKind::Break => "~",
            LogKind::Care => "♥",
            LogKind::Page => "P",
            LogKind::Takeover => "@",
            LogKind::Milestone => "^",
            LogKind::Followup => "F",
            LogKind::Closed => "x",
            LogKind::Related => "&",
            LogKind::Correction => "^",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!("sev2".parse::<Severity>().unwrap(), Severity::Sev2);
        assert_eq!("2".parse::<Severity>().unwrap(), Severity::Sev2);
        assert_eq!("IC".parse::<Role>().unwrap(), Role::Commander);
        assert_eq!("comms".parse::<Role>().unwrap(), Role::Communications);
        assert_eq!("ops-lead".parse::<Role>().unwrap(), Role::OpsLead);
        assert_eq!("Mitigated".parse::<Status>().unwrap(), Status::Mitigated);
    }

    #[test]
    fn rejection_names_the_accepted_values() {
        let err = "sev9".parse::<Severity>().unwrap_err().to_string();
        assert!(err.contains("sev9") && err.contains("SEV1"), "{err}");
    }

    #[test]
    fn severity_orders_worst_first() {
        assert!(Severity::Sev1 < Severity::Sev4);
    }
}

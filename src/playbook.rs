//! Routine mitigations to suggest when a system is failing: a built-in set,
//! and a team's own playbook kept in the incident directory as
//! `playbooks.toml`:
//!
//! ```toml
//! # Add to the built-in suggestions (set to true to use only yours).
//! replace_builtin = false
//!
//! [[play]]
//! system = "payments"          # or "*" for any failing system
//! text = "Fail payments over to the standby region"
//! kind = "failover"
//! risk = "high"
//! speed = "slow"
//! ```
//!
//! `{system}` in a text is replaced by the failing system's name.

use crate::model::{Incident, MitigationKind, Risk, Speed, SystemStatus};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "playbooks.toml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Play {
    /// A system name, or `*` for any.
    pub system: String,
    pub text: String,
    pub kind: MitigationKind,
    pub risk: Risk,
    pub speed: Speed,
}

/// A mitigation worth proposing now, not yet proposed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Suggestion {
    pub system: Option<String>,
    pub text: String,
    pub kind: MitigationKind,
    pub risk: Risk,
    pub speed: Speed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Playbook {
    pub plays: Vec<Play>,
}

/// A playbook file that could not be used, naming the file, entry and fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {problem}. Fix the file, or move it away to use the built-in suggestions", path.display())]
pub struct PlaybookError {
    pub path: PathBuf,
    pub problem: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    replace_builtin: bool,
    #[serde(default)]
    play: Vec<RawPlay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlay {
    #[serde(default = "any")]
    system: String,
    text: String,
    #[serde(default = "custom")]
    kind: String,
    #[serde(default = "medium")]
    risk: String,
    #[serde(default = "quick")]
    speed: String,
}

fn any() -> String {
    "*".into()
}
fn custom() -> String {
    "custom".into()
}
fn medium() -> String {
    "medium".into()
}
fn quick() -> String {
    "quick".into()
}

fn play(text: &str, kind: MitigationKind, risk: Risk, speed: Speed) -> Play {
    Play {
        system: "*".into(),
        text: text.into(),
        kind,
        risk,
        speed,
    }
}

impl Playbook {
    /// The routine set: roll back, restart, no-op the failing endpoint,
    /// freeze deploys, scale down non-essential work, fail over.
    pub fn built_in() -> Playbook {
        use MitigationKind::*;
        Playbook {
            plays: vec![
                play(
                    "Roll back {system} to the last known good deploy",
                    Rollback,
                    Risk::Low,
                    Speed::Quick,
                ),
                play("Freeze deploys", FreezeDeploys, Risk::Low, Speed::Quick),
                play("Restart {system}", Restart, Risk::Medium, Speed::Quick),
                play(
                    "No-op the failing {system} endpoint to protect critical flows",
                    NoopEndpoint,
                    Risk::Medium,
                    Speed::Quick,
                ),
                play(
                    "Scale down non-essential queues feeding {system}",
                    ScaleDown,
                    Risk::Low,
                    Speed::Quick,
                ),
                play(
                    "Fail {system} over to its standby",
                    Failover,
                    Risk::High,
                    Speed::Slow,
                ),
            ],
        }
    }

    /// The team's playbook in `dir`, or the built-in one without a file.
    pub fn load(dir: &Path) -> Result<Playbook, PlaybookError> {
        let path = dir.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::built_in()),
            Err(e) => Err(PlaybookError {
                path,
                problem: e.to_string(),
            }),
        }
    }

    pub fn parse(path: &Path, text: &str) -> Result<Playbook, PlaybookError> {
        let err = |problem: String| PlaybookError {
            path: path.to_path_buf(),
            problem,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            err(format!(
                "{}{}",
                e.message().trim(),
                line.map(|l| format!(" (line {l})")).unwrap_or_default()
            ))
        })?;
        let mut plays = if raw.replace_builtin {
            Vec::new()
        } else {
            Self::built_in().plays
        };
        for (i, p) in raw.play.into_iter().enumerate() {
            let at = |field: &str, e: String| {
                err(format!("play {} ({:?}): {field}: {e}", i + 1, p.text))
            };
            let kind = p
                .kind
                .parse()
                .map_err(|e: crate::model::ParseError| at("kind", e.to_string()))?;
            let risk = p
                .risk
                .parse()
                .map_err(|e: crate::model::ParseError| at("risk", e.to_string()))?;
            let speed = p
                .speed
                .parse()
                .map_err(|e: crate::model::ParseError| at("speed", e.to_string()))?;
            if p.text.trim().is_empty() {
                return Err(at("text", "is empty".into()));
            }
            if p.system != "*" {
                crate::ops::check_system_name(&p.system)
                    .map_err(|e| at("system", e.to_string()))?;
            }
            plays.push(Play {
                system: p.system,
                text: crate::sanitize::line(&p.text).into_owned(),
                kind,
                risk,
                speed,
            });
        }
        Ok(Playbook { plays })
    }

    /// What to propose now: the plays for each failing system that nobody
    /// has proposed yet (by text), system-specific plays first.
    pub fn suggestions(&self, inc: &Incident) -> Vec<Suggestion> {
        let proposed: BTreeSet<&str> = inc.mitigations.iter().map(|m| m.text.as_str()).collect();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut out = Vec::new();
        let failing: Vec<&str> = inc
            .systems
            .values()
            .filter(|s| s.status == SystemStatus::Failing)
            .map(|s| s.name.as_str())
            .collect();
        for sys in failing {
            let specific = self.plays.iter().filter(|p| p.system == sys);
            let generic = self.plays.iter().filter(|p| p.system == "*");
            for p in specific.chain(generic) {
                if p.kind == MitigationKind::FreezeDeploys && inc.freeze.is_some() {
                    continue;
                }
                let text = p.text.replace("{system}", sys);
                if proposed.contains(text.as_str()) || !seen.insert(text.clone()) {
                    continue;
                }
                let system = p
                    .text
                    .contains("{system}")
                    .then(|| sys.to_string())
                    .or_else(|| (p.system != "*").then(|| sys.to_string()));
                out.push(Suggestion {
                    system,
                    text,
                    kind: p.kind,
                    risk: p.risk,
                    speed: p.speed,
                });
            }
        }
        // The routine, quick and low-risk ideas first, as in the pane.
        out.sort_by_key(|s| (s.speed, s.risk));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_playbook_adds_to_the_routine_set_and_errors_are_named() {
        let p = Path::new("/d/playbooks.toml");
        let book = Playbook::parse(p, "[[play]]\nsystem = \"payments\"\ntext = \"Drain payments-eu\"\nkind = \"scale_down\"\nrisk = \"low\"\n").unwrap();
        assert_eq!(book.plays.len(), Playbook::built_in().plays.len() + 1);
        let only = Playbook::parse(
            p,
            "replace_builtin = true\n[[play]]\ntext = \"Page the DBA\"\n",
        )
        .unwrap();
        assert_eq!(only.plays.len(), 1);
        let e = Playbook::parse(p, "[[play]]\ntext = \"x\"\nkind = \"nuke\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/d/playbooks.toml")
                && e.contains("play 1")
                && e.contains("kind")
                && e.contains("nuke"),
            "{e}"
        );
        let e = Playbook::parse(p, "[[plays]]\ntext = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("plays") && e.contains("line 1"), "{e}");
    }
}

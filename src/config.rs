//! A team's settings, kept in the incident directory as `incident.toml` so
//! everyone on the jump box shares them. Every setting is optional.
//!
//! ```toml
//! # Optional roles every new incident starts with (besides commander and
//! # communications, which are always there).
//! roles = ["scribe", "ops_lead"]
//! ```

use crate::model::Role;
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "incident.toml";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Team {
    pub roles: Vec<Role>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    roles: Vec<String>,
}

/// A team file that could not be used; names the file, the key and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {problem}. Fix the file, or move it away to use the defaults", path.display())]
pub struct ConfigError {
    pub path: PathBuf,
    pub problem: String,
}

impl Team {
    /// The team settings of `dir`, or the defaults when there is no file.
    pub fn load(dir: &Path) -> Result<Team, ConfigError> {
        let path = dir.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Team::default()),
            Err(e) => {
                return Err(ConfigError {
                    path,
                    problem: e.to_string(),
                });
            }
        };
        Self::parse(&path, &text)
    }

    pub fn parse(path: &Path, text: &str) -> Result<Team, ConfigError> {
        let err = |problem: String| ConfigError {
            path: path.to_path_buf(),
            problem,
        };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
            err(format!(
                "{}{}",
                e.message(),
                line.map(|l| format!(" (line {l})")).unwrap_or_default()
            ))
        })?;
        let roles = raw
            .roles
            .iter()
            .map(|r| {
                r.parse::<Role>()
                    .map_err(|e| err(format!("key 'roles': {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Team { roles })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_and_bad_ones_are_named() {
        let p = Path::new("/d/incident.toml");
        assert_eq!(
            Team::parse(p, "roles = [\"scribe\", \"ops\"]")
                .unwrap()
                .roles,
            [Role::Scribe, Role::OpsLead]
        );
        let e = Team::parse(p, "roles = [\"chef\"]")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/d/incident.toml") && e.contains("roles") && e.contains("chef"),
            "{e}"
        );
        let e = Team::parse(p, "rolez = []").unwrap_err().to_string();
        assert!(e.contains("rolez"), "{e}");
    }

    #[test]
    fn no_file_means_defaults() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(Team::load(d.path()).unwrap(), Team::default());
    }
}

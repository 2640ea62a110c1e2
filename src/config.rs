//! A team's settings, kept in the incident directory as `incident.toml` so
//! everyone on the jump box shares them. Every setting is optional.
//!
//! ```toml
//! # Optional roles every new incident starts with (besides commander and
//! # communications, which are always there).
//! roles = ["scribe", "ops_lead"]
//!
//! # Minutes a role's holder must have been away (no view open, nothing
//! # written) before someone else may take the role over (0: as soon as
//! # they have no view open).
//! takeover_after = 5
//! # While someone commands, `incident run -- CMD` asks for the
//! # commander's go and waits for it (`--no-clear` skips it, on the
//! # record as "ran without go"). false: it only asks with `--clear`.
//! run_needs_go = true
//! # Commands that run at once, without the commander's go, logged
//! # "read-only by team rule": whole words, `*` last for any further
//! # words. A shell metacharacter (; | & $ ` > quotes) or a wrapping shell
//! # (sh -c, bash -c, sudo, env) never matches.
//! run_without_go = ["kubectl get *", "kubectl describe *", "kubectl logs *"]
//! # Minutes a mitigation's go covers `incident run --for M1 -- CMD`.
//! go_valid_for = 15
//!
//! [human]                       # the human element (minutes)
//! team_break = 15               # when impact ceases
//! procedure_pause = 2           # before a procedure
//! food_after = 180              # first food prompt after declaring
//! food_every = 240              # then every
//! fatigue_warn = 180            # time on the incident that is highlighted
//! fatigue_alert = 360           # and the commander is nudged about
//! bell = true                   # ring when a break ends
//! breathing = true              # the breathing screen when paged
//! ```
//!
//! Each person may override `bell` and `breathing` in their own
//! `~/.config/incident/config.toml` (same `[human]` table).

use crate::model::{HumanSettings, Role};
use serde::Deserialize;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "incident.toml";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    pub roles: Vec<Role>,
    pub human: HumanSettings,
    /// Ring the terminal bell when a break ends.
    pub bell: bool,
    /// Show the breathing screen when paged.
    pub breathing: bool,
    /// Minutes a holder must be away before their role may be taken over.
    pub takeover_after: u32,
    /// `incident run` waits for the commander's go unless told not to.
    pub run_needs_go: bool,
    /// Commands that are read-only by team rule: they run without go.
    pub run_without_go: crate::ops::RunWithoutGo,
    /// Minutes a mitigation's go covers `incident run --for M1`.
    pub go_valid_for: u32,
    /// Where updates go (`[[notify]]`, see [`crate::notify::settings`]).
    pub notify: Vec<crate::notify::settings::Target>,
    /// `[pagerduty] resolve_on_resolve`: resolve the page on resolving.
    pub pagerduty: Option<crate::notify::settings::PagerDuty>,
    /// Keys this version does not know (a newer version's setting, or a
    /// typo): ignored, each named with what it may have meant.
    pub warnings: Vec<String>,
}

/// `takeover_after` when the team file does not say.
pub const TAKEOVER_AFTER: u32 = 5;

/// `go_valid_for` when the team file does not say.
pub const GO_VALID_FOR: u32 = 15;

impl Default for Team {
    fn default() -> Self {
        Team {
            roles: Vec::new(),
            human: HumanSettings::default(),
            bell: true,
            breathing: true,
            takeover_after: TAKEOVER_AFTER,
            run_needs_go: true,
            run_without_go: crate::ops::RunWithoutGo::default(),
            go_valid_for: GO_VALID_FOR,
            notify: Vec::new(),
            pagerduty: None,
            warnings: Vec::new(),
        }
    }
}

// Unknown keys are not refused (a newer version's setting must not stop
// an older box): they are collected by [`unknown_keys`] and warned about.
#[derive(Debug, Default, Deserialize)]
struct Raw {
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    human: RawHuman,
    takeover_after: Option<u32>,
    run_needs_go: Option<bool>,
    #[serde(default)]
    run_without_go: Vec<String>,
    go_valid_for: Option<u32>,
    #[serde(default)]
    notify: Vec<crate::notify::settings::RawTarget>,
    pagerduty: Option<crate::notify::settings::RawPagerDuty>,
}

#[derive(Debug, Default, Deserialize)]
struct RawHuman {
    team_break: Option<u32>,
    procedure_pause: Option<u32>,
    food_after: Option<u32>,
    food_every: Option<u32>,
    fatigue_warn: Option<u32>,
    fatigue_alert: Option<u32>,
    bell: Option<bool>,
    breathing: Option<bool>,
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
        let d = HumanSettings::default();
        let h = &raw.human;
        let human = HumanSettings {
            team_break_minutes: h.team_break.unwrap_or(d.team_break_minutes),
            procedure_pause_minutes: h.procedure_pause.unwrap_or(d.procedure_pause_minutes),
            food_after_minutes: h.food_after.unwrap_or(d.food_after_minutes),
            food_every_minutes: h.food_every.unwrap_or(d.food_every_minutes),
            fatigue_warn_minutes: h.fatigue_warn.unwrap_or(d.fatigue_warn_minutes),
            fatigue_alert_minutes: h.fatigue_alert.unwrap_or(d.fatigue_alert_minutes),
        };
        let roles = raw
            .roles
            .iter()
            .map(|r| {
                r.parse::<Role>()
                    .map_err(|e| err(format!("key 'roles': {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        // The same rule as the operation that will carry these settings.
        let check = crate::ops::Record {
            at: chrono::DateTime::UNIX_EPOCH,
            by: crate::model::Actor::named("config"),
            op: crate::ops::Op::SetHumanSettings {
                settings: human.clone(),
            },
        };
        let probe = crate::model::Incident::declared(
            "INC-0",
            "probe",
            crate::model::Severity::Sev4,
            check.at,
            "config",
        );
        crate::ops::check(&probe, &check).map_err(|e| err(format!("[human]: {e}")))?;
        let takeover_after = raw.takeover_after.unwrap_or(TAKEOVER_AFTER);
        if takeover_after > 24 * 60 {
            return Err(err(format!(
                "key 'takeover_after': {takeover_after} minutes is not sensible: use 0 to 1440"
            )));
        }
        let go_valid_for = raw.go_valid_for.unwrap_or(GO_VALID_FOR);
        if go_valid_for > 24 * 60 {
            return Err(err(format!(
                "key 'go_valid_for': {go_valid_for} minutes is not sensible: use 0 to 1440"
            )));
        }
        let run_without_go = crate::ops::RunWithoutGo::parse(&raw.run_without_go)
            .map_err(|e| err(format!("key 'run_without_go': {e}")))?;
        let notify = crate::notify::settings::targets(&raw.notify).map_err(err)?;
        let pagerduty = crate::notify::settings::pagerduty(raw.pagerduty.as_ref()).map_err(err)?;
        Ok(Team {
            warnings: unknown_keys(text)
                .into_iter()
                .map(|w| format!("{}: {w}", path.display()))
                .collect(),
            notify,
            pagerduty,
            takeover_after,
            roles,
            human,
            bell: raw.human.bell.unwrap_or(true),
            breathing: raw.human.breathing.unwrap_or(true),
            run_needs_go: raw.run_needs_go.unwrap_or(true),
            run_without_go,
            go_valid_for,
        })
    }
}

// The keys this version reads, per table: what is not here is warned
// about, not refused. A new setting is added here and to its Raw struct.
const TOP_KEYS: &[&str] = &[
    "roles",
    "human",
    "takeover_after",
    "run_needs_go",
    "run_without_go",
    "go_valid_for",
    "notify",
    "pagerduty",
];
const HUMAN_KEYS: &[&str] = &[
    "team_break",
    "procedure_pause",
    "food_after",
    "food_every",
    "fatigue_warn",
    "fatigue_alert",
    "bell",
    "breathing",
];
const NOTIFY_KEYS: &[&str] = &[
    "kind",
    "url_file",
    "api_key_file",
    "external",
    "page_id",
    "api_url",
    "url",
    "api_key",
];
const PAGERDUTY_KEYS: &[&str] = &[
    "resolve_on_resolve",
    "routing_key_file",
    "events_url",
    "routing_key",
];

/// One line per key of `text` this version does not know: where it is,
/// that it is ignored, and the known key it may have meant.
fn unknown_keys(text: &str) -> Vec<String> {
    let Ok(table) = text.parse::<toml::Table>() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in &table {
        match key.as_str() {
            "human" => unknown_in(text, "human.", value, HUMAN_KEYS, &mut out),
            "pagerduty" => unknown_in(text, "pagerduty.", value, PAGERDUTY_KEYS, &mut out),
            "notify" => {
                for entry in value.as_array().into_iter().flatten() {
                    unknown_in(text, "notify.", entry, NOTIFY_KEYS, &mut out);
                }
            }
            k if TOP_KEYS.contains(&k) => {}
            k => out.push(unknown_line(text, "", k, TOP_KEYS)),
        }
    }
    out.dedup();
    out
}

fn unknown_in(
    text: &str,
    prefix: &str,
    value: &toml::Value,
    known: &[&str],
    out: &mut Vec<String>,
) {
    for key in value.as_table().into_iter().flat_map(|t| t.keys()) {
        if !known.contains(&key.as_str()) {
            out.push(unknown_line(text, prefix, key, known));
        }
    }
}

fn unknown_line(text: &str, prefix: &str, key: &str, known: &[&str]) -> String {
    // The first line that sets it (tables lose their lines once parsed).
    let line = text.lines().position(|l| {
        let l = l.trim_start().trim_start_matches('[').trim_start();
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(['=', '.', ']']))
    });
    let near = known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(k, key), *k))
        .filter(|(d, k)| *d <= (k.len() / 3).max(1))
        .min()
        .map(|(_, k)| format!(" (did you mean '{prefix}{k}'?)"))
        .unwrap_or_default();
    format!(
        "{}unknown key '{prefix}{key}' is ignored{near}: a setting of a newer version, or a typo",
        line.map(|l| format!("line {}: ", l + 1))
            .unwrap_or_default()
    )
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
        // An unknown key is no longer refused (see the warning tests).
        let t = Team::parse(p, "rolez = []").unwrap();
        assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
        assert!(t.warnings[0].contains("'rolez'"), "{:?}", t.warnings);
    }

    #[test]
    fn unknown_keys_warn_with_what_they_may_have_meant_and_are_ignored() {
        let p = Path::new("/d/incident.toml");
        let text = "takeover_after = 7\nrolez = [\"scribe\"]\nstatus_page_theme = \"dark\"\n\n[human]\nbel = false\nteam_break = 20\n\n[pagerduty]\nrouting_key_file = \"/k\"\nevents_ur = \"https://x\"\n\n[[notify]]\nkind = \"slack\"\nurl_file = \"/u\"\nchannel = \"#inc\"\n\n[responders_v9]\nname = \"db\"\n";
        let t = Team::parse(p, text).unwrap();
        assert_eq!(
            (t.takeover_after, t.human.team_break_minutes, t.bell),
            (7, 20, true),
            "known keys still read; the unknown ones change nothing"
        );
        let w = t.warnings.join("\n");
        for want in [
            "line 2: unknown key 'rolez' is ignored (did you mean 'roles'?)",
            "line 3: unknown key 'status_page_theme' is ignored: a setting of a newer version",
            "line 6: unknown key 'human.bel' is ignored (did you mean 'human.bell'?)",
            "unknown key 'pagerduty.events_ur' is ignored (did you mean 'pagerduty.events_url'?)",
            "unknown key 'notify.channel' is ignored:",
            "line 18: unknown key 'responders_v9' is ignored",
        ] {
            assert!(w.contains(want), "missing {want:?} in:\n{w}");
        }
        assert_eq!(t.warnings.len(), 6, "{w}");
        assert!(
            t.warnings
                .iter()
                .all(|l| l.starts_with("/d/incident.toml: ")),
            "{w}"
        );
        assert!(Team::parse(p, "roles = []\n").unwrap().warnings.is_empty());
    }

    #[test]
    fn a_bad_value_of_a_known_key_is_still_refused_with_file_and_line() {
        let p = Path::new("/d/incident.toml");
        let e = Team::parse(p, "unknown_thing = 1\n[human]\nbell = \"loud\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/d/incident.toml") && e.contains("line 3") && e.contains("Fix the file"),
            "{e}"
        );
    }

    #[test]
    fn takeover_after_defaults_to_five_and_bad_values_are_named() {
        let p = Path::new("/d/incident.toml");
        assert_eq!(Team::parse(p, "").unwrap().takeover_after, 5);
        assert_eq!(
            Team::parse(p, "takeover_after = 0").unwrap().takeover_after,
            0
        );
        let e = Team::parse(p, "takeover_after = 99999")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("takeover_after") && e.contains("0 to 1440"),
            "{e}"
        );
        let e = Team::parse(p, "takeover_after = \"soon\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("soon") && e.contains("line 1"), "{e}");
    }

    #[test]
    fn human_settings_parse_and_bad_ones_are_named() {
        let p = Path::new("/d/incident.toml");
        let t = Team::parse(p, "[human]\nteam_break = 20\nbell = false\n").unwrap();
        assert_eq!(
            (t.human.team_break_minutes, t.bell, t.breathing),
            (20, false, true)
        );
        let e = Team::parse(p, "[human]\nteam_break = 0\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/d/incident.toml") && e.contains("[human]") && e.contains("1-120"),
            "{e}"
        );
        // A misspelt key is a warning now, with the key it may have meant.
        let t = Team::parse(p, "[human]\nteambreak = 5\n").unwrap();
        assert_eq!(t.human.team_break_minutes, 15);
        assert!(
            t.warnings[0].contains("'human.teambreak'")
                && t.warnings[0].contains("'human.team_break'"),
            "{:?}",
            t.warnings
        );
    }

    #[test]
    fn run_needs_go_is_on_unless_the_team_turns_it_off() {
        let p = Path::new("/d/incident.toml");
        assert!(Team::parse(p, "").unwrap().run_needs_go);
        assert!(
            !Team::parse(p, "run_needs_go = false\n")
                .unwrap()
                .run_needs_go
        );
        let e = Team::parse(p, "run_needs_go = \"no\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/d/incident.toml") && e.contains("line 1"),
            "{e}"
        );
    }

    #[test]
    fn run_without_go_and_go_valid_for_parse_and_bad_ones_are_named() {
        let p = Path::new("/d/incident.toml");
        let d = Team::parse(p, "").unwrap();
        assert!(d.run_without_go.is_empty());
        assert_eq!(d.go_valid_for, GO_VALID_FOR);
        let t = Team::parse(
            p,
            "run_without_go = [\"kubectl get *\", \"kubectl logs *\"]\ngo_valid_for = 5\n",
        )
        .unwrap();
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
        assert_eq!(t.go_valid_for, 5);
        let argv: Vec<String> = ["kubectl", "get", "pods"].map(String::from).to_vec();
        assert_eq!(t.run_without_go.matching(&argv), Some("kubectl get *"));
        let e = Team::parse(p, "run_without_go = [\"sh -c *\"]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/d/incident.toml")
                && e.contains("'run_without_go'")
                && e.contains("sh -c *"),
            "{e}"
        );
        let e = Team::parse(p, "go_valid_for = 100000\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("'go_valid_for'"), "{e}");
    }

    #[test]
    fn notify_targets_parse_and_an_inline_secret_is_refused_naming_url_file() {
        let p = Path::new("/d/incident.toml");
        let t = Team::parse(
            p,
            "[[notify]]\nkind = \"slack\"\nurl_file = \"/s\"\n\n[[notify]]\nkind = \"statuspage\"\npage_id = \"pg\"\napi_key_file = \"/k\"\n",
        )
        .unwrap();
        let names: Vec<_> = t
            .notify
            .iter()
            .map(|t| (t.name.as_str(), t.external))
            .collect();
        assert_eq!(names, [("slack#0", false), ("statuspage#1", true)]);
        let e = Team::parse(p, "[[notify]]\nkind = \"slack\"\nurl = \"https://hooks\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/d/incident.toml") && e.contains("url_file") && e.contains("entry 1"),
            "{e}"
        );
        let e = Team::parse(p, "[[notify]]\nkind = \"irc\"\nurl_file = \"/s\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("irc") && e.contains("slack, mattermost"), "{e}");
        let e = Team::parse(p, "[pagerduty]\nresolve_on_resolve = true\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("routing_key_file"), "{e}");
    }

    #[test]
    fn no_file_means_defaults() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(Team::load(d.path()).unwrap(), Team::default());
    }
}

/// One person's preferences, in `~/.config/incident/config.toml`:
/// `[human]` with `bell` and `breathing`, overriding the team's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Personal {
    pub bell: Option<bool>,
    pub breathing: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPersonal {
    #[serde(default)]
    human: RawPersonalHuman,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPersonalHuman {
    bell: Option<bool>,
    breathing: Option<bool>,
}

impl Personal {
    pub fn path() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("INCIDENT_CONFIG").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p));
        }
        dirs::config_dir().map(|d| d.join("incident").join("config.toml"))
    }

    /// The user's preferences, or none when there is no file.
    pub fn load() -> Result<Personal, ConfigError> {
        let Some(path) = Self::path() else {
            return Ok(Personal::default());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let raw: RawPersonal = toml::from_str(&text).map_err(|e| ConfigError {
                    path: path.clone(),
                    problem: e.message().trim().to_string(),
                })?;
                Ok(Personal {
                    bell: raw.human.bell,
                    breathing: raw.human.breathing,
                })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Personal::default()),
            Err(e) => Err(ConfigError {
                path,
                problem: e.to_string(),
            }),
        }
    }
}

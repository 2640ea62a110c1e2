//! Drills: practice incidents played from a scenario. A scenario is a
//! timeline of events (pages in the real payload formats, systems changing
//! status, messages from bystanders, a deploy attempted during a freeze)
//! and reactions to what the responders do (a rollback of payments makes
//! it recover; a restart does not). Three scenarios are built in; a team
//! adds its own as `drills/NAME.toml` beside the incidents.

pub mod debrief;
pub mod runner;

use crate::model::{MitigationKind, Severity, SystemStatus};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The built-in scenarios, in the order `incident drill --list` shows them.
const BUILT_IN: &[(&str, &str)] = &[
    ("bad-deploy", include_str!("scenarios/bad-deploy.toml")),
    (
        "vendor-outage",
        include_str!("scenarios/vendor-outage.toml"),
    ),
    ("long-night", include_str!("scenarios/long-night.toml")),
];

/// A scenario as written in its TOML file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// The incident's title when the drill starts.
    pub title: String,
    pub severity: Severity,
    /// One line: what it practises.
    pub about: String,
    /// Dependencies to start with: `[["checkout", "payments"], ...]`.
    #[serde(default)]
    pub depends: Vec<(String, String)>,
    #[serde(default, rename = "event")]
    pub events: Vec<Event>,
    #[serde(default, rename = "reaction")]
    pub reactions: Vec<Reaction>,
    /// Set when loaded: the file name without `.toml`.
    #[serde(skip)]
    pub name: String,
    /// Where it came from: "built in" or its path.
    #[serde(skip)]
    pub origin: String,
}

/// Something that happens `at` a time on the scenario's clock: exactly one
/// of a page, a system's status, a message, a deploy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// On the scenario's clock: "0s", "90s", "4m", "1.5h".
    pub at: Offset,
    pub page: Option<Page>,
    pub system: Option<SystemChange>,
    pub message: Option<Message>,
    pub deploy: Option<Deploy>,
}

/// A page, in a pager's own payload format (as `incident page` reads it).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Page {
    /// alertmanager, grafana, pagerduty or opsgenie; else told from the payload.
    pub source: Option<String>,
    /// The payload, verbatim JSON.
    pub payload: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemChange {
    pub name: String,
    pub status: SystemStatus,
    /// What a responder would see ("p99 30s on the payments dashboard").
    pub evidence: String,
}

/// A bystander says something in the log ("support: customers report
/// double charges").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Message {
    pub from: String,
    pub text: String,
}

/// Someone's deploy pipeline tries to ship: blocked if deploys are frozen;
/// otherwise it lands, and if `breaks`, the system fails.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deploy {
    pub system: String,
    pub version: String,
    #[serde(default)]
    pub breaks: bool,
}

/// When a mitigation of `kind` on `system` is done, after `after` on the
/// scenario's clock the system recovers, or the scenario says the easy fix
/// fails.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reaction {
    pub kind: MitigationKind,
    pub system: String,
    #[serde(default)]
    pub after: Offset,
    pub outcome: Outcome,
    /// What a responder would see ("error rate back to 0.1%").
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Recovers,
    Fails,
}

/// A time on the scenario's clock, in seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Offset(pub u32);

impl Offset {
    pub fn duration(self) -> chrono::Duration {
        chrono::Duration::seconds(i64::from(self.0))
    }
}

impl std::str::FromStr for Offset {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().to_ascii_lowercase();
        let bad =
            || format!("'{s}' is not a time on the scenario's clock: use 0s, 90s, 4m or 1.5h");
        let (num, mult) = if let Some(n) = t.strip_suffix('h') {
            (n, 3600.0)
        } else if let Some(n) = t.strip_suffix('m') {
            (n, 60.0)
        } else if let Some(n) = t.strip_suffix('s') {
            (n, 1.0)
        } else {
            return Err(bad());
        };
        let v: f64 = num.trim().parse().map_err(|_| bad())?;
        let secs = (v * mult).round();
        if !v.is_finite() || !(0.0..=86_400.0).contains(&secs) {
            return Err(bad());
        }
        Ok(Offset(secs as u32))
    }
}

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl Scenario {
    /// Parse and check a scenario: every event is exactly one thing, and
    /// every page is a payload the pager module reads.
    pub fn parse(name: &str, origin: &str, text: &str) -> Result<Scenario, String> {
        let mut s: Scenario = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
        s.name = name.to_string();
        s.origin = origin.to_string();
        crate::ops::check_title(&s.title).map_err(|e| format!("{origin}: title: {e}"))?;
        for (i, e) in s.events.iter().enumerate() {
            let n = i + 1;
            let kinds = [
                e.page.is_some(),
                e.system.is_some(),
                e.message.is_some(),
                e.deploy.is_some(),
            ]
            .iter()
            .filter(|k| **k)
            .count();
            if kinds != 1 {
                return Err(format!(
                    "{origin}: event {n} (at {}s) has {kinds} of page, system, message, deploy: give exactly one",
                    e.at.0
                ));
            }
            if let Some(p) = &e.page {
                p.alert()
                    .map_err(|err| format!("{origin}: event {n}: the page: {err}"))?;
            }
        }
        if s.events.is_empty() {
            return Err(format!(
                "{origin}: no [[event]]: a scenario needs at least a page or a system failing"
            ));
        }
        Ok(s)
    }

    /// The events in the order they happen (stable for equal times).
    pub fn timeline(&self) -> Vec<(u32, &Event)> {
        let mut v: Vec<(u32, &Event)> = self
            .events
            .iter()
            .enumerate()
            .map(|(i, e)| (i as u32, e))
            .collect();
        v.sort_by_key(|(i, e)| (e.at, *i));
        v
    }

    /// How long its timeline runs, on its own clock.
    pub fn length(&self) -> Offset {
        self.events.iter().map(|e| e.at).max().unwrap_or_default()
    }
}

impl Page {
    pub fn alert(&self) -> Result<crate::pager::Alert, String> {
        let source = match self.source.as_deref() {
            Some(s) => Some(
                s.parse::<crate::pager::Source>()
                    .map_err(|e| e.to_string())?,
            ),
            None => None,
        };
        crate::pager::parse(source, self.payload.as_bytes()).map_err(|e| e.to_string())
    }
}

/// `drills/` beside the incidents: the team's own scenarios.
pub fn team_dir(incidents: &Path) -> PathBuf {
    incidents.join("drills")
}

/// Every scenario: the built-in ones, then the team's own (by name). A
/// team file with a built-in's name replaces it. Files that do not parse
/// are returned apart, each with what is wrong.
pub fn all(incidents: &Path) -> (Vec<Scenario>, Vec<String>) {
    let mut out: Vec<Scenario> = BUILT_IN
        .iter()
        .map(|(name, text)| {
            Scenario::parse(name, "built in", text).expect("built-in scenarios parse")
        })
        .collect();
    let mut broken = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(team_dir(incidents))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    for path in files {
        let Some(name) = path
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let origin = path.display().to_string();
        match std::fs::read_to_string(&path)
            .map_err(|e| format!("{origin}: {e}"))
            .and_then(|text| Scenario::parse(&name, &origin, &text))
        {
            Ok(s) => {
                out.retain(|o| o.name != s.name);
                out.push(s);
            }
            Err(e) => broken.push(e),
        }
    }
    (out, broken)
}

/// The scenario called `name`, or what to do instead.
pub fn find(incidents: &Path, name: &str) -> Result<Scenario, String> {
    let (all, broken) = all(incidents);
    if let Some(s) = all.into_iter().find(|s| s.name == name) {
        return Ok(s);
    }
    if let Some(b) = broken.iter().find(|b| b.contains(&format!("{name}.toml"))) {
        return Err(format!("the scenario {name} does not read: {b}"));
    }
    let names: Vec<String> = self::all(incidents).0.into_iter().map(|s| s.name).collect();
    Err(format!(
        "no drill scenario called '{}': choose one of {} (incident drill --list), or add {}/{}.toml",
        crate::sanitize::line(name),
        names.join(", "),
        team_dir(incidents).display(),
        crate::sanitize::line(name)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_parse_and_each_starts_with_a_page() {
        let (all, broken) = all(Path::new("/nonexistent"));
        assert!(broken.is_empty(), "{broken:?}");
        assert_eq!(
            all.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
            ["bad-deploy", "vendor-outage", "long-night"]
        );
        for s in &all {
            let (_, first) = s.timeline()[0];
            assert!(first.page.is_some(), "{} starts with a page", s.name);
        }
    }

    #[test]
    fn offsets_read_as_people_write_them() {
        assert_eq!("90s".parse::<Offset>(), Ok(Offset(90)));
        assert_eq!("4m".parse::<Offset>(), Ok(Offset(240)));
        assert_eq!("1.5h".parse::<Offset>(), Ok(Offset(5400)));
        assert!("soon".parse::<Offset>().is_err());
        assert!("4".parse::<Offset>().is_err());
    }

    #[test]
    fn an_event_must_be_exactly_one_thing() {
        let text = r#"
title = "t"
severity = "SEV2"
about = "a"
[[event]]
at = "0s"
message = { from = "support", text = "hi" }
system = { name = "x", status = "failing", evidence = "e" }
"#;
        let err = Scenario::parse("x", "x.toml", text).unwrap_err();
        assert!(
            err.contains("event 1 (at 0s) has 2 of page, system, message, deploy"),
            "{err}"
        );
    }
}

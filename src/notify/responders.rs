//! Teams that can be called for help (`incident escalate TEAM`), from the
//! team's `incident.toml`:
//!
//! ```toml
//! [[responders]]
//! name = "db-team"
//! kind = "pagerduty"              # pagerduty | opsgenie | webhook
//! routing_key_file = "/etc/incident/db-team-key"
//! # events_url = "https://events.pagerduty.com/v2/enqueue"
//!
//! [[responders]]
//! name = "network"
//! kind = "opsgenie"
//! api_key_file = "/etc/incident/opsgenie-key"   # a GenieKey
//! # api_url = "https://api.eu.opsgenie.com"     # the EU instance
//!
//! [[responders]]
//! name = "vendor"
//! kind = "webhook"
//! url_file = "/etc/incident/vendor-url"
//!
//! # The onlookers' page as people reach it (incident listen serves it):
//! # pages link to public_url/INC-7.
//! public_url = "https://incident.example.com"
//! ```
//!
//! Secrets are read from files when sent, never kept in the team file.

use serde::Deserialize;
use std::path::PathBuf;

pub const OPSGENIE_API: &str = "https://api.opsgenie.com";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    PagerDuty,
    Opsgenie,
    Webhook,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PagerDuty => "pagerduty",
            Kind::Opsgenie => "opsgenie",
            Kind::Webhook => "webhook",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        [Kind::PagerDuty, Kind::Opsgenie, Kind::Webhook]
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// One `[[responders]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Responder {
    pub name: String,
    pub kind: Kind,
    /// The routing key (PagerDuty), the API key (Opsgenie) or the URL
    /// (webhook).
    pub secret_file: PathBuf,
    /// PagerDuty's Events API, Opsgenie's API base (unused for a webhook,
    /// whose URL is its secret).
    pub api_url: String,
}

// Unknown keys are warned about by crate::config, not refused.
#[derive(Debug, Deserialize)]
pub(crate) struct RawResponder {
    name: Option<String>,
    kind: Option<String>,
    routing_key_file: Option<PathBuf>,
    api_key_file: Option<PathBuf>,
    url_file: Option<PathBuf>,
    events_url: Option<String>,
    api_url: Option<String>,
    // Accepted only to be refused by name: secrets never sit in the file.
    routing_key: Option<toml::Value>,
    api_key: Option<toml::Value>,
    url: Option<toml::Value>,
}

/// The keys a `[[responders]]` entry may have (the rest are warned about).
pub const KEYS: &[&str] = &[
    "name",
    "kind",
    "routing_key_file",
    "api_key_file",
    "url_file",
    "events_url",
    "api_url",
    "routing_key",
    "api_key",
    "url",
];

/// The teams, or what is wrong with `[[responders]]` entry number N.
pub(crate) fn responders(raw: &[RawResponder]) -> Result<Vec<Responder>, String> {
    let mut out: Vec<Responder> = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let at = |e: String| format!("[[responders]] entry {}: {e}", i + 1);
        let one = responder(r).map_err(at)?;
        if out.iter().any(|o| o.name == one.name) {
            return Err(at(format!(
                "the name '{}' is used twice: give each team its own name",
                one.name
            )));
        }
        out.push(one);
    }
    Ok(out)
}

fn responder(r: &RawResponder) -> Result<Responder, String> {
    let name = r.name.as_deref().map(str::trim).unwrap_or_default();
    if name.is_empty() {
        return Err("name is missing: the name people type (incident escalate NAME), such as name = \"db-team\"".into());
    }
    if name.len() > 64
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(format!(
            "name '{name}' is not a plain name: use letters, digits, '-', '_' or '.' (such as \"db-team\")"
        ));
    }
    let kind_text = r.kind.as_deref().unwrap_or_default();
    let kind = Kind::parse(kind_text).ok_or_else(|| {
        format!("kind '{kind_text}' is not known: use pagerduty, opsgenie or webhook")
    })?;
    use super::settings::{check_url, inline_secret};
    inline_secret(r.routing_key.is_some(), "routing_key", "routing_key_file")?;
    inline_secret(r.api_key.is_some(), "api_key", "api_key_file")?;
    inline_secret(r.url.is_some(), "url", "url_file")?;
    let (secret_file, api_url) = match kind {
        Kind::PagerDuty => (
            r.routing_key_file.clone().ok_or(
                "pagerduty needs routing_key_file (a file holding the service's Events API v2 integration key)",
            )?,
            r.events_url
                .clone()
                .unwrap_or_else(|| super::settings::PAGERDUTY_EVENTS.to_string()),
        ),
        Kind::Opsgenie => (
            r.api_key_file
                .clone()
                .ok_or("opsgenie needs api_key_file (a file holding an API integration's key)")?,
            r.api_url
                .clone()
                .unwrap_or_else(|| OPSGENIE_API.to_string()),
        ),
        Kind::Webhook => (
            r.url_file
                .clone()
                .ok_or("webhook needs url_file (a file holding the URL to POST to)")?,
            String::new(),
        ),
    };
    match kind {
        Kind::PagerDuty => check_url(&api_url, "events_url")?,
        Kind::Opsgenie => check_url(&api_url, "api_url")?,
        Kind::Webhook => {}
    }
    Ok(Responder {
        name: name.to_string(),
        kind,
        secret_file,
        api_url: api_url.trim_end_matches('/').to_string(),
    })
}

/// The call for help to `team` as written: the team read from the team
/// file beside the incident `path` just now (how it is paged filled in),
/// or refused naming the teams there are and where to add one.
pub fn escalate_op(
    path: &std::path::Path,
    team: String,
    message: Option<String>,
) -> Result<crate::ops::Op, crate::store::StoreError> {
    let dir = path.parent().unwrap_or_else(|| std::path::Path::new("."));
    let config = crate::config::Team::load(dir).map_err(crate::store::StoreError::Config)?;
    if team.trim().is_empty() {
        return Err(crate::store::StoreError::Refused(
            crate::ops::Refusal::NoTeamNamed {
                known: config.responders.iter().map(|r| r.name.clone()).collect(),
                file: dir.join(crate::config::FILE_NAME).display().to_string(),
            },
        ));
    }
    let Some(r) = config.responders.iter().find(|r| r.name == team) else {
        return Err(crate::store::StoreError::Refused(
            crate::ops::Refusal::NoSuchTeam {
                team: crate::sanitize::line(&team).into_owned(),
                known: config.responders.iter().map(|r| r.name.clone()).collect(),
                file: dir.join(crate::config::FILE_NAME).display().to_string(),
            },
        ));
    };
    // Refused now rather than failing on every retry: nobody would be
    // paged while the room believes help is coming.
    if let Err(why) = super::deliver::read_secret(&r.secret_file) {
        return Err(crate::store::StoreError::Refused(
            crate::ops::Refusal::TeamKeyUnreadable {
                team,
                file: r.secret_file.display().to_string(),
                why,
            },
        ));
    }
    Ok(crate::ops::Op::Escalate {
        team,
        kind: r.kind.as_str().to_string(),
        message,
    })
}

/// `public_url`, checked: the onlookers' page as people reach it.
pub(crate) fn public_url(raw: Option<&str>) -> Result<Option<String>, String> {
    let Some(u) = raw.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    if !(u.starts_with("https://") || u.starts_with("http://")) {
        return Err(format!(
            "key 'public_url': '{u}' is not an http(s) URL (the address of the onlookers' page, such as \"https://incident.example.com\")"
        ));
    }
    Ok(Some(u.trim_end_matches('/').to_string()))
}

#[cfg(test)]
mod tests {
    use crate::config::Team;
    use std::path::Path;

    #[test]
    fn responders_parse_and_mistakes_are_named_with_the_fix() {
        let p = Path::new("/d/incident.toml");
        let t = Team::parse(
            p,
            "[[responders]]\nname = \"db-team\"\nkind = \"pagerduty\"\nrouting_key_file = \"/k\"\n\n[[responders]]\nname = \"net\"\nkind = \"Opsgenie\"\napi_key_file = \"/o\"\n\n[[responders]]\nname = \"vendor\"\nkind = \"webhook\"\nurl_file = \"/u\"\n",
        )
        .unwrap();
        assert!(t.warnings.is_empty(), "{:?}", t.warnings);
        let got: Vec<_> = t
            .responders
            .iter()
            .map(|r| (r.name.as_str(), r.kind.as_str(), r.api_url.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "db-team",
                    "pagerduty",
                    "https://events.pagerduty.com/v2/enqueue"
                ),
                ("net", "opsgenie", "https://api.opsgenie.com"),
                ("vendor", "webhook", ""),
            ]
        );
        for (text, want) in [
            (
                "[[responders]]\nname = \"db\"\nkind = \"pagerduty\"\n",
                "routing_key_file",
            ),
            (
                "[[responders]]\nname = \"db\"\nkind = \"pagerduty\"\nrouting_key = \"abc\"\n",
                "secrets are read from files",
            ),
            (
                "[[responders]]\nname = \"db\"\nkind = \"victorops\"\nurl_file = \"/u\"\n",
                "pagerduty, opsgenie or webhook",
            ),
            (
                "[[responders]]\nkind = \"webhook\"\nurl_file = \"/u\"\n",
                "name is missing",
            ),
            (
                "[[responders]]\nname = \"db team\"\nkind = \"webhook\"\nurl_file = \"/u\"\n",
                "not a plain name",
            ),
            (
                "[[responders]]\nname = \"db\"\nkind = \"webhook\"\nurl_file = \"/u\"\n[[responders]]\nname = \"db\"\nkind = \"webhook\"\nurl_file = \"/v\"\n",
                "entry 2: the name 'db' is used twice",
            ),
            ("public_url = \"incident.example.com\"\n", "public_url"),
        ] {
            let e = Team::parse(p, text).unwrap_err().to_string();
            assert!(
                e.contains("/d/incident.toml") && e.contains(want) && e.contains("Fix the file"),
                "{text}: {e}"
            );
        }
        // A wrong type is refused with its line, as every key's is.
        let e = Team::parse(p, "\n[[responders]]\nname = 7\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3"), "{e}");
        let t = Team::parse(
            p,
            "public_url = \"https://i.example.com/\"\n[[responders]]\nname = \"db\"\nkind = \"webhook\"\nurl_file = \"/u\"\npager = 1\n",
        )
        .unwrap();
        assert_eq!(t.public_url.as_deref(), Some("https://i.example.com"));
        assert!(
            t.warnings
                .iter()
                .any(|w| w.contains("unknown key 'responders.pager'")),
            "{:?}",
            t.warnings
        );
    }
}

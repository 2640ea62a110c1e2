//! Where updates go, from the team's `incident.toml`:
//!
//! ```toml
//! [[notify]]
//! kind = "slack"                  # slack | mattermost | teams | webhook | statuspage
//! url_file = "/etc/incident/slack-url"   # secrets from files, never inline
//! external = false                # false: every update; true: only --external ones
//!
//! [[notify]]
//! kind = "statuspage"
//! page_id = "kctbh9vrtdwd"
//! api_key_file = "/etc/incident/statuspage-key"
//! # api_url = "https://api.statuspage.io/v1"
//!
//! [pagerduty]
//! resolve_on_resolve = true       # send the Events API v2 resolve
//! routing_key_file = "/etc/incident/pagerduty-key"
//! # events_url = "https://events.pagerduty.com/v2/enqueue"
//! ```

use serde::Deserialize;
use std::path::PathBuf;

pub const STATUSPAGE_API: &str = "https://api.statuspage.io/v1";
pub const PAGERDUTY_EVENTS: &str = "https://events.pagerduty.com/v2/enqueue";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Slack,
    Mattermost,
    Teams,
    Webhook,
    Statuspage,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Slack => "slack",
            Kind::Mattermost => "mattermost",
            Kind::Teams => "teams",
            Kind::Webhook => "webhook",
            Kind::Statuspage => "statuspage",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Slack,
            Kind::Mattermost,
            Kind::Teams,
            Kind::Webhook,
            Kind::Statuspage,
        ]
        .into_iter()
        .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
    }
}

/// One `[[notify]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `kind#index`: the index among the `[[notify]]` entries, so two Slack
    /// channels are two targets.
    pub name: String,
    pub kind: Kind,
    /// Where the webhook URL (or, for Statuspage, the API key) is kept.
    pub secret_file: PathBuf,
    /// Only updates sent with `--external` (otherwise every update).
    pub external: bool,
    /// Statuspage: the page, and the API's base (overridable for tests).
    pub page_id: Option<String>,
    pub api_url: String,
}

impl Target {
    /// Does update `external` go here?
    pub fn takes(&self, external: bool) -> bool {
        external || !self.external
    }
}

/// `[pagerduty]`: resolve the page when the incident resolves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagerDuty {
    pub routing_key_file: PathBuf,
    pub events_url: String,
}

// Unknown keys are warned about by crate::config, not refused.
#[derive(Debug, Deserialize)]
pub(crate) struct RawTarget {
    kind: String,
    url_file: Option<PathBuf>,
    api_key_file: Option<PathBuf>,
    external: Option<bool>,
    page_id: Option<String>,
    api_url: Option<String>,
    // Accepted only to be refused by name: secrets never sit in the file.
    url: Option<toml::Value>,
    api_key: Option<toml::Value>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct RawPagerDuty {
    #[serde(default)]
    resolve_on_resolve: bool,
    routing_key_file: Option<PathBuf>,
    events_url: Option<String>,
    routing_key: Option<toml::Value>,
}

/// The targets, or what is wrong with entry `[[notify]]` number N.
pub(crate) fn targets(raw: &[RawTarget]) -> Result<Vec<Target>, String> {
    raw.iter()
        .enumerate()
        .map(|(i, r)| target(i, r).map_err(|e| format!("[[notify]] entry {}: {e}", i + 1)))
        .collect()
}

fn target(i: usize, r: &RawTarget) -> Result<Target, String> {
    let kind = Kind::parse(&r.kind).ok_or_else(|| {
        format!(
            "kind '{}' is not known: use slack, mattermost, teams, webhook or statuspage",
            r.kind
        )
    })?;
    inline_secret(r.url.is_some(), "url", "url_file")?;
    inline_secret(r.api_key.is_some(), "api_key", "api_key_file")?;
    let secret_file = if kind == Kind::Statuspage {
        if r.page_id.as_deref().is_none_or(str::is_empty) {
            return Err("statuspage needs page_id (the page's id in Statuspage)".into());
        }
        r.api_key_file
            .clone()
            .ok_or("statuspage needs api_key_file (a file holding the API key)")?
    } else {
        r.url_file
            .clone()
            .ok_or("url_file is missing: name the file that holds the webhook URL")?
    };
    let api_url = r
        .api_url
        .clone()
        .unwrap_or_else(|| STATUSPAGE_API.to_string());
    check_url(&api_url, "api_url")?;
    Ok(Target {
        name: format!("{}#{i}", kind.as_str()),
        kind,
        secret_file,
        external: r.external.unwrap_or(kind == Kind::Statuspage),
        page_id: r.page_id.clone(),
        api_url: api_url.trim_end_matches('/').to_string(),
    })
}

pub(crate) fn pagerduty(raw: Option<&RawPagerDuty>) -> Result<Option<PagerDuty>, String> {
    let Some(r) = raw else { return Ok(None) };
    inline_secret(r.routing_key.is_some(), "routing_key", "routing_key_file")
        .map_err(|e| format!("[pagerduty]: {e}"))?;
    if !r.resolve_on_resolve {
        return Ok(None);
    }
    let routing_key_file = r.routing_key_file.clone().ok_or(
        "[pagerduty]: resolve_on_resolve needs routing_key_file (a file holding the Events API v2 routing key)",
    )?;
    let events_url = r
        .events_url
        .clone()
        .unwrap_or_else(|| PAGERDUTY_EVENTS.to_string());
    check_url(&events_url, "[pagerduty] events_url")?;
    Ok(Some(PagerDuty {
        routing_key_file,
        events_url,
    }))
}

/// A secret written into the team file (`given`, under `key`) is refused
/// by name: secrets are read from files, named with `file`.
pub(crate) fn inline_secret(given: bool, key: &str, file: &str) -> Result<(), String> {
    if given {
        return Err(format!(
            "'{key}' is refused: secrets are read from files. Put it in a file readable by the incident group and name it with {file}"
        ));
    }
    Ok(())
}

/// `url`, given under `key`, is an http(s) URL.
pub(crate) fn check_url(url: &str, key: &str) -> Result<(), String> {
    if url.starts_with("https://") || url.starts_with("http://") {
        Ok(())
    } else {
        Err(format!("{key} '{url}' is not an http(s) URL"))
    }
}

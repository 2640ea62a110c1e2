//! Taking a page in: a parsed alert either joins the active incident with
//! the same de-duplication key, or declares a new one. Shared by
//! `incident page` and `incident listen`.

use crate::model::{Actor, SystemStatus};
use crate::ops::Op;
use crate::pager::{Alert, AlertState};
use crate::store::{Listed, Store, StoreError};

/// What happened to a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "action", content = "incident", rename_all = "snake_case")]
pub enum Outcome {
    /// A new incident was declared for it.
    Declared(String),
    /// It joined this active incident (re-triggered, acknowledged, resolved).
    Appended(String),
    /// Nothing to do: it resolves an alert no active incident knows.
    Ignored(String),
}

impl Outcome {
    pub fn incident(&self) -> Option<&str> {
        match self {
            Outcome::Declared(id) | Outcome::Appended(id) => Some(id),
            Outcome::Ignored(_) => None,
        }
    }
}

fn state_word(s: &AlertState) -> (String, Option<String>) {
    match s {
        AlertState::Triggered => ("triggered".into(), None),
        AlertState::Acknowledged { by } => ("acknowledged".into(), by.clone()),
        AlertState::Resolved => ("resolved".into(), None),
        AlertState::Other { what } => (what.clone(), None),
    }
}

/// File `alert` into `store` as `me`.
pub fn receive(store: &Store, me: &Actor, alert: &Alert) -> Result<Outcome, StoreError> {
    let (state, by) = state_word(&alert.state);
    // Keys are only unique within one source: Grafana's group keys look
    // like Alertmanager's.
    let key = format!("{}:{}", alert.source.as_str(), alert.dedup_key);
    let paged = Op::Paged {
        source: alert.source.label().to_string(),
        key: key.clone(),
        state: state.clone(),
        acked_by: by,
        title: alert.title.clone(),
    };
    // An active incident that already has this key gets the page.
    let existing = store.list()?.into_iter().find_map(|l| match l {
        Listed::Ok(inc) if inc.is_active() && inc.pager_keys.contains(&key) => Some(inc.id.clone()),
        _ => None,
    });
    if let Some(id) = existing {
        store.open(&id)?.commit(me, paged)?;
        return Ok(Outcome::Appended(id));
    }
    // A resolution or a side event (a note, a priority change) for an
    // alert no active incident has is no reason to declare one.
    match &alert.state {
        AlertState::Resolved => {
            return Ok(Outcome::Ignored(format!(
                "{} says \"{}\" resolved, and no active incident has that alert",
                alert.source.label(),
                alert.title
            )));
        }
        AlertState::Other { what } => {
            return Ok(Outcome::Ignored(format!(
                "{} sent \"{what}\" for an alert no active incident has",
                alert.source.label()
            )));
        }
        _ => {}
    }
    // A new incident: the page, the failing service, the links and what
    // fired all land in its first write.
    let mut first = vec![paged];
    if let Some(service) = &alert.service {
        // The alert's word, not a check: shown as reported by the pager.
        first.push(Op::ReportSystem {
            name: service.clone(),
            status: SystemStatus::Failing,
            source: alert.source.label().to_string(),
        });
    }
    let mut text = String::new();
    for (label, url) in &alert.links {
        text.push_str(&format!("{label}: {url}\n"));
    }
    if !alert.details.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&alert.details);
    }
    if !text.trim().is_empty() {
        first.push(Op::AddSnippet {
            title: format!("{} alert", alert.source.label()),
            text,
            entry: None,
        });
    }
    let intro = crate::store::Intro {
        skip_broken_map: true,
        then: first,
        ..Default::default()
    };
    let file = store.declare_as(me, &alert.title, alert.severity, intro)?;
    Ok(Outcome::Declared(file.incident().id.clone()))
}

//! What each service is sent: pure functions of the incident, the update
//! and the target, so the shapes are tested without a network.

use super::settings::{Kind, PagerDuty, Target};
use crate::model::{Incident, Status};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Post,
    Patch,
}

/// One HTTP request, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Value,
}

/// "INC-7 SEV2 investigating — Checkout is recovering" (DRILL first for
/// a drill, though a drill's updates are never sent).
pub fn line(inc: &Incident, text: &str) -> String {
    let drill = if inc.is_drill() { "DRILL " } else { "" };
    format!(
        "{drill}{} {} {} — {text}",
        inc.id,
        inc.severity,
        inc.state_label()
    )
}

/// The request that delivers update `n` (1-based) of `inc` to `target`.
/// `secret`: the webhook URL, or Statuspage's API key.
pub fn update(inc: &Incident, n: u64, target: &Target, secret: &str) -> Option<Request> {
    let u = inc.document.updates.get((n as usize).checked_sub(1)?)?;
    let text = line(inc, &u.text);
    let post = |body: Value| Request {
        method: Method::Post,
        url: secret.to_string(),
        headers: Vec::new(),
        body,
    };
    Some(match target.kind {
        Kind::Slack | Kind::Mattermost => post(json!({ "text": text })),
        Kind::Teams => post(teams_card(&text)),
        Kind::Webhook => {
            let mut r = post(json!({
                "incident": {
                    "id": inc.id,
                    "title": inc.title,
                    "severity": inc.severity.to_string(),
                    "status": inc.state_label(),
                    "declared_at": inc.declared_at,
                    "drill": inc.is_drill(),
                },
                "update": {
                    "number": n,
                    "text": u.text,
                    "by": u.by,
                    "at": u.at,
                    "external": u.external,
                },
                "text": text,
            }));
            r.headers
                .push(("Idempotency-Key", idempotency_key(inc, n, target)));
            r
        }
        Kind::Statuspage => statuspage(inc, &u.text, target, secret),
    })
}

/// `INC-7-U3-webhook#2`: the same for every try of one delivery.
pub fn idempotency_key(inc: &Incident, n: u64, target: &Target) -> String {
    format!("{}-U{n}-{}", inc.id, target.name)
}

/// Microsoft Teams' "post to a channel when a webhook request is
/// received" workflow: a message with one Adaptive Card attachment.
fn teams_card(text: &str) -> Value {
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": [{ "type": "TextBlock", "text": text, "wrap": true }],
            },
        }],
    })
}

/// Statuspage: the first update creates the page's incident, later ones
/// change it (its id is kept in the incident file).
fn statuspage(inc: &Incident, text: &str, target: &Target, key: &str) -> Request {
    let page = target.page_id.as_deref().unwrap_or_default();
    let status = match inc.status {
        Status::Investigating => "investigating",
        Status::Mitigated => "monitoring",
        Status::Resolved => "resolved",
    };
    let base = format!("{}/pages/{page}/incidents", target.api_url);
    let (method, url, body) = match inc.notices.remote_ids.get(&target.name) {
        Some(id) => (
            Method::Patch,
            format!("{base}/{id}"),
            json!({ "incident": { "status": status, "body": text } }),
        ),
        None => (
            Method::Post,
            base,
            json!({ "incident": { "name": inc.title, "status": status, "body": text } }),
        ),
    };
    Request {
        method,
        url,
        headers: vec![("Authorization", format!("OAuth {key}"))],
        body,
    }
}

/// PagerDuty Events API v2: resolve the alert `dedup_key`.
pub fn pagerduty_resolve(pd: &PagerDuty, routing_key: &str, dedup_key: &str) -> Request {
    Request {
        method: Method::Post,
        url: pd.events_url.clone(),
        headers: Vec::new(),
        body: json!({
            "routing_key": routing_key,
            "event_action": "resolve",
            "dedup_key": dedup_key,
        }),
    }
}

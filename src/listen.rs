//! `incident listen`: pager webhooks over HTTP, filed like `incident page`.
//!
//! Safe by default: binds loopback; off loopback a bearer token (read from
//! a file) is required; PagerDuty's `X-PagerDuty-Signature` (v1, HMAC-SHA256
//! of the body) and Grafana's `X-Grafana-Alerting-Signature` (hex
//! HMAC-SHA256 of the body) are verified when a secret is configured;
//! bodies are limited; a malformed or unauthorised request gets a 4xx with
//! the reason and writes nothing. Every well-formed event gets a 2xx with
//! the verdict ([`intake::report`]), and every request one line on
//! standard error ([`journal`]).
//!
//! It also serves the read-only pages for onlookers ([`crate::web`]): open
//! on loopback, behind the viewer token (`--viewer-token-file`, separate
//! from the webhook token) when one is given; off loopback without one the
//! pages are off and only webhooks are served.
//!
//! And the deploy freeze for scripts on other machines: `GET /freeze`
//! answers 423 while deploys are frozen, 200 otherwise, with the object
//! `incident freeze status --json` prints, behind the webhook token.

use crate::intake;
use crate::model::Actor;
use crate::pager::{self, Source};
use crate::store::watch::WatchMode;
use crate::store::{Store, StoreError};
use crate::web;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

pub struct Options {
    pub addr: String,
    pub token_file: Option<PathBuf>,
    pub pagerduty_secret_file: Option<PathBuf>,
    pub grafana_secret_file: Option<PathBuf>,
    pub max_body: usize,
    pub viewer_token_file: Option<PathBuf>,
    pub watch_mode: WatchMode,
    /// Seconds for a request's headers (and an idle keep-alive connection).
    pub header_timeout: u64,
    /// Seconds for a webhook's body to arrive and be answered.
    pub request_timeout: u64,
    /// Connections open at once, at most (lowered to fit the file limit).
    pub max_connections: usize,
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
}

mod door;
mod tls;

/// Why the listener would not start, with the exit status.
pub struct ListenError {
    pub message: String,
    pub code: i32,
}

fn usage(message: impl Into<String>) -> ListenError {
    ListenError {
        message: message.into(),
        code: 2,
    }
}

struct Shared {
    store: Store,
    me: Actor,
    token: Option<String>,
    pagerduty_secret: Option<Vec<u8>>,
    grafana_secret: Option<Vec<u8>>,
}

/// A secret from a file: trimmed, and refused when empty.
fn read_secret(path: &PathBuf, what: &str) -> Result<String, ListenError> {
    let s = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("{what} {}: {e}", path.display())))?;
    let s = s.trim().to_string();
    if s.is_empty() {
        return Err(usage(format!("{what} {} is empty", path.display())));
    }
    Ok(s)
}

pub fn run(store: Store, me: Actor, opts: Options) -> Result<(), ListenError> {
    // First of all: a reload (SIGHUP, `systemctl reload`) while it starts
    // must not end the listener, so its handler is in place before
    // anything slow (reading files, binding, watching).
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ListenError {
            message: format!("cannot start: {e}"),
            code: 1,
        })?;
    let hangup = {
        let _in = rt.enter();
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).map_err(|e| {
            ListenError {
                message: format!("cannot start: {e}"),
                code: 1,
            }
        })?
    };
    let addr: SocketAddr = opts.addr.parse().map_err(|_| {
        usage(format!(
            "'{}' is not an address: use HOST:PORT, e.g. 127.0.0.1:9095",
            crate::sanitize::line(&opts.addr)
        ))
    })?;
    let token = opts
        .token_file
        .as_ref()
        .map(|p| read_secret(p, "token file"))
        .transpose()?;
    if !addr.ip().is_loopback() && token.is_none() {
        return Err(usage(format!(
            "{addr} is reachable from other machines: give --token-file FILE so only callers with the token can page, or bind 127.0.0.1"
        )));
    }
    let viewer = opts
        .viewer_token_file
        .as_ref()
        .map(|p| read_secret(p, "viewer token file"))
        .transpose()?;
    if let (Some(v), Some(t)) = (&viewer, &token)
        && same(v.as_bytes(), t.as_bytes())
    {
        return Err(usage(
            "the viewer token is the webhook token: a viewer could page. Give --viewer-token-file a token of its own",
        ));
    }
    let access = match viewer {
        Some(v) => Some(web::Access::Token(web::Viewer::new(v))),
        None if addr.ip().is_loopback() => Some(web::Access::Open),
        None => None,
    };
    let pagerduty_secret = opts
        .pagerduty_secret_file
        .as_ref()
        .map(|p| read_secret(p, "PagerDuty secret file").map(String::into_bytes))
        .transpose()?;
    let grafana_secret = opts
        .grafana_secret_file
        .as_ref()
        .map(|p| read_secret(p, "Grafana secret file").map(String::into_bytes))
        .transpose()?;
    let tls = match (&opts.tls_cert, &opts.tls_key) {
        (Some(cert), Some(key)) => Some(Arc::new(door::Tls::load(cert, key).map_err(usage)?)),
        (None, None) => None,
        (Some(_), None) => {
            return Err(usage(
                "--tls-cert needs --tls-key FILE, the certificate's private key",
            ));
        }
        (None, Some(_)) => {
            return Err(usage(
                "--tls-key needs --tls-cert FILE, the certificate it belongs to",
            ));
        }
    };
    if opts.header_timeout == 0 || opts.request_timeout == 0 || opts.max_connections == 0 {
        return Err(usage(
            "--header-timeout, --request-timeout and --max-connections must be at least 1",
        ));
    }
    let (connections, file_limit) = door::fit_to_file_limit(opts.max_connections);
    let limits = door::Limits {
        header: std::time::Duration::from_secs(opts.header_timeout),
        request: std::time::Duration::from_secs(opts.request_timeout),
        connections,
    };
    crate::store::fs::ensure_dir(store.dir()).map_err(|e| ListenError {
        message: e.to_string(),
        code: 1,
    })?;
    // Updates leave the box from here too, when no view is open.
    crate::notify::sweep::spawn_directory(store.clone(), me.clone());
    let shared = Arc::new(Shared {
        store,
        me,
        token,
        pagerduty_secret,
        grafana_secret,
    });
    rt.block_on(async move {
        let (stop, stopping) = tokio::sync::watch::channel(false);
        let pages = match access {
            Some(access) => {
                let feed = web::Feed::start(shared.store.dir(), opts.watch_mode, stopping)
                    .map_err(|e| ListenError {
                        message: format!("cannot watch {}: {e}", shared.store.dir().display()),
                        code: 1,
                    })?;
                web::router(shared.store.clone(), access, feed)
            }
            None => web::switched_off(),
        };
        let app = door::with_deadline(router(shared, opts.max_body), limits.request)
            .merge(pages)
            .layer(axum::middleware::from_fn(journal));
        let listener = door::bind(addr, limits.connections)
            .map_err(|e| ListenError { message: format!("cannot listen on {addr}: {e}"), code: 1 })?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        eprintln!("incident listen: receiving pages on {scheme}://{addr}/{{pagerduty,alertmanager,opsgenie,jsm,grafana}}");
        eprintln!("incident listen: the deploy freeze for scripts on {scheme}://{addr}/freeze");
        if addr.ip().is_loopback() || opts.viewer_token_file.is_some() {
            eprintln!("incident listen: read-only page for onlookers on {scheme}://{addr}/");
        } else {
            eprintln!("incident listen: the read-only page is off: beyond loopback it needs --viewer-token-file FILE");
        }
        eprintln!(
            "incident listen: at most {connections} connections at once{}; headers within {} s, a webhook within {} s",
            file_limit.map(|l| format!(" (file limit {l})")).unwrap_or_default(),
            opts.header_timeout,
            opts.request_timeout,
        );
        // SIGHUP reads the certificate and key again (they renew).
        let mut hangup = hangup;
        let reload = tls.clone();
        tokio::spawn(async move {
            while hangup.recv().await.is_some() {
                match &reload {
                    Some(tls) => match tls.reload() {
                        Ok(()) => eprintln!("incident listen: SIGHUP: certificate and key read again"),
                        Err(e) => eprintln!("incident listen: SIGHUP: {e}; still serving the certificate loaded before"),
                    },
                    None => eprintln!("incident listen: SIGHUP: no --tls-cert to read again"),
                }
            }
        });
        door::serve(listener, app, limits, tls, async move {
            let _ = tokio::signal::ctrl_c().await;
            // Open live pages end their streams, or shutdown would wait on them.
            let _ = stop.send(true);
        })
        .await;
        Ok(())
    })
}

fn router(shared: Arc<Shared>, max_body: usize) -> Router {
    let route = |source: Source| post(move |st, headers, body| receive(st, headers, body, source));
    Router::new()
        .route("/pagerduty", route(Source::PagerDuty))
        .route("/alertmanager", route(Source::Alertmanager))
        .route("/opsgenie", route(Source::Opsgenie))
        .route("/grafana", route(Source::Grafana))
        .route("/jsm", route(Source::Jsm))
        .route("/freeze", get(freeze))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(shared)
}

/// Compare without stopping at the first difference, so a caller cannot
/// learn a token byte by byte from timing.
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The hex HMAC-SHA256 of `parts`, one after the other, under `secret`.
fn hmac_hex(secret: &[u8], parts: &[&[u8]]) -> Option<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).ok()?;
    for p in parts {
        mac.update(p);
    }
    Some(hex::encode(mac.finalize().into_bytes()))
}

/// PagerDuty signs the body with HMAC-SHA256 and sends `v1=<hex>` (several,
/// comma-separated, while a secret is being rotated: any one matching
/// will do). Hex in either case.
pub fn pagerduty_signature_ok(secret: &[u8], body: &[u8], header: &str) -> bool {
    let Some(expected) = hmac_hex(secret, &[body]) else {
        return false;
    };
    header
        .split(',')
        .filter_map(|s| s.trim().strip_prefix("v1="))
        .any(|sig| {
            same(
                sig.trim().to_ascii_lowercase().as_bytes(),
                expected.as_bytes(),
            )
        })
}

/// Grafana signs the body with HMAC-SHA256 and sends the bare hex in
/// `X-Grafana-Alerting-Signature`; when its contact point also names a
/// timestamp header, what is signed is `TIMESTAMP:BODY`.
pub fn grafana_signature_ok(
    secret: &[u8],
    body: &[u8],
    header: &str,
    timestamp: Option<&str>,
) -> bool {
    let sig = header.trim().to_ascii_lowercase();
    let signed = |parts: &[&[u8]]| {
        hmac_hex(secret, parts).is_some_and(|expected| same(sig.as_bytes(), expected.as_bytes()))
    };
    signed(&[body])
        || timestamp
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .is_some_and(|t| signed(&[t.as_bytes(), b":", body]))
}

/// Every value of a header, joined with commas (a header may be sent more
/// than once); empty when absent or not text.
fn header_values(headers: &HeaderMap, name: &str) -> String {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",")
}

/// What the journal line of a request says beyond its route and status:
/// attached to the answer by the webhook handler, written by [`journal`].
#[derive(Debug, Clone, Default)]
pub(crate) struct Entry {
    source: Option<Source>,
    event: Option<String>,
    outcome: &'static str,
    incident: Option<String>,
}

/// One line per request on standard error (the journal, under systemd):
/// when, the method and route (never the query, which may hold a viewer
/// token), the source, the sender's event, what was done, the status and
/// the incident. Never a header, a token, a secret or the body.
async fn journal(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = journal_word(req.uri().path(), 80);
    let resp = next.run(req).await;
    let entry = resp
        .extensions()
        .get::<Entry>()
        .cloned()
        .unwrap_or_default();
    let outcome = Some(entry.outcome).filter(|o| !o.is_empty());
    write_journal(
        Some((method.as_str(), &route)),
        entry.source.map(Source::as_str),
        entry.event.as_deref(),
        outcome,
        resp.status().as_u16(),
        entry.incident.as_deref(),
    );
    resp
}

/// Write one journal line: when, the method and route (`- -` for a
/// connection refused before it was a request), the source, the sender's
/// event, the outcome, the status and the incident, `-` for each unknown.
/// One write, so lines from concurrent requests never interleave.
pub(crate) fn write_journal(
    request: Option<(&str, &str)>,
    source: Option<&str>,
    event: Option<&str>,
    outcome: Option<&str>,
    status: u16,
    incident: Option<&str>,
) {
    let (method, route) = request.unwrap_or(("-", "-"));
    let dash = |s: Option<&str>| s.unwrap_or("-").to_string();
    let line = format!(
        "{} {method} {route} source={} event={} outcome={} status={status} incident={}\n",
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ"),
        dash(source),
        dash(event),
        dash(outcome),
        dash(incident),
    );
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
}

/// A word from a request fit for the journal: letters, digits and
/// `/._:-` only, at most `max` characters; anything else makes it `?`.
fn journal_word(s: &str, max: usize) -> String {
    let ok = |c: char| c.is_ascii_alphanumeric() || "/._:-".contains(c);
    let mut w: String = s
        .chars()
        .take(max)
        .map(|c| if ok(c) { c } else { '?' })
        .collect();
    if s.chars().count() > max {
        w.push_str("...");
    }
    if w.is_empty() { "-".into() } else { w }
}

/// The sender's own name for the event, from the payload: PagerDuty's
/// `event.event_type`, Opsgenie's `action`, Alertmanager's and Grafana's
/// `status`.
fn event_of(source: Source, v: &serde_json::Value) -> Option<String> {
    let word = match source {
        Source::PagerDuty => v.get("event")?.get("event_type")?,
        Source::Opsgenie | Source::Jsm => v.get("action")?,
        Source::Alertmanager | Source::Grafana => v.get("status")?,
    };
    Some(journal_word(word.as_str()?, 48))
}

/// An answer with its journal entry.
fn answer(code: StatusCode, body: String, entry: Entry) -> Response {
    let mut resp = (code, body).into_response();
    if code == StatusCode::SERVICE_UNAVAILABLE {
        resp.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            "5".parse().expect("a number"),
        );
    }
    resp.extensions_mut().insert(entry);
    resp
}

/// A refusal: the reason in one line, and the journal's word for it.
fn refuse(code: StatusCode, why: &str, outcome: &'static str, mut entry: Entry) -> Response {
    entry.outcome = outcome;
    answer(code, format!("{}\n", crate::sanitize::line(why)), entry)
}

/// The webhook token, when one is set (always, off loopback), as
/// `Authorization: Bearer TOKEN`.
fn bearer_ok(shared: &Shared, headers: &HeaderMap) -> bool {
    let Some(token) = &shared.token else {
        return true;
    };
    let given = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    given.is_some_and(|g| same(g.trim().as_bytes(), token.as_bytes()))
}

/// `GET /freeze`, for deploy scripts on other machines: `423 Locked` with
/// the JSON `incident freeze status --json` prints while deploys are
/// frozen, `200` with `{"frozen": false}` otherwise. Behind the webhook
/// token, as the webhooks are.
async fn freeze(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let mut entry = Entry::default();
    if !bearer_ok(&shared, &headers) {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "missing or wrong bearer token",
            "unauthorised",
            entry,
        );
    }
    let store = shared.store.clone();
    match tokio::task::spawn_blocking(move || store.list_active()).await {
        Ok(Ok(listed)) => {
            let status = crate::store::freeze::freeze_status(&listed);
            let (code, word) = if status.frozen() {
                (StatusCode::LOCKED, "frozen")
            } else {
                (StatusCode::OK, "not_frozen")
            };
            entry.outcome = word;
            let body = serde_json::to_string(&status.json()).unwrap_or_default();
            let mut resp = answer(code, format!("{body}\n"), entry);
            resp.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static("application/json"),
            );
            resp
        }
        // A deploy script cannot tell: it should wait, not go ahead.
        Ok(Err(e)) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!("cannot tell whether deploys are frozen: {e}; try again"),
            "failed",
            entry,
        ),
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot tell whether deploys are frozen: an internal error",
            "failed",
            entry,
        ),
    }
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
    source: Source,
) -> Response {
    let mut entry = Entry {
        source: Some(source),
        ..Entry::default()
    };
    if !bearer_ok(&shared, &headers) {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "missing or wrong bearer token",
            "unauthorised",
            entry,
        );
    }
    let body = match body {
        Ok(b) => b,
        Err(rejection) => {
            let code = rejection.status();
            let outcome = if code == StatusCode::PAYLOAD_TOO_LARGE {
                "too_large"
            } else {
                "malformed"
            };
            return refuse(code, &rejection.body_text(), outcome, entry);
        }
    };
    if source == Source::PagerDuty
        && let Some(secret) = &shared.pagerduty_secret
    {
        let header = header_values(&headers, "x-pagerduty-signature");
        if header.trim().is_empty() {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "missing X-PagerDuty-Signature",
                "unauthorised",
                entry,
            );
        }
        if !pagerduty_signature_ok(secret, &body, &header) {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "X-PagerDuty-Signature does not match the body",
                "unauthorised",
                entry,
            );
        }
    }
    if source == Source::Grafana
        && let Some(secret) = &shared.grafana_secret
    {
        let header = header_values(&headers, "x-grafana-alerting-signature");
        if header.trim().is_empty() {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "missing X-Grafana-Alerting-Signature: set the HMAC secret in the Grafana contact point",
                "unauthorised",
                entry,
            );
        }
        let timestamp = [
            "x-grafana-alerting-timestamp",
            "x-grafana-alerting-signature-timestamp",
        ]
        .iter()
        .map(|h| header_values(&headers, h))
        .find(|t| !t.trim().is_empty());
        if !grafana_signature_ok(secret, &body, &header, timestamp.as_deref()) {
            return refuse(
                StatusCode::UNAUTHORIZED,
                "X-Grafana-Alerting-Signature does not match the body",
                "unauthorised",
                entry,
            );
        }
    }
    let json: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    entry.event = json.as_ref().and_then(|v| event_of(source, v));
    let route = source.as_str();
    // Posted to the wrong route: say where it belongs (over HTTP the route
    // is the source; there is no option to give).
    if let Some(seen) = json.as_ref().and_then(pager::detect)
        && !source.sends(seen)
    {
        let why = format!(
            "this looks like a {} webhook, posted to /{route}: send it to /{}",
            seen.label(),
            seen.as_str()
        );
        return refuse(StatusCode::BAD_REQUEST, &why, "malformed", entry);
    }
    let mut alert = match pager::parse(Some(source), &body) {
        Ok(a) => a,
        Err(e) => {
            // Well-formed but about no alert: 2xx, so the sender keeps the
            // subscription that carries the real pages.
            if let Some(outcome) = intake::ignorable(&e) {
                entry.outcome = outcome.word();
                let body = intake::report(&outcome, Some(source), &[]);
                return answer(StatusCode::OK, format!("{body}\n"), entry);
            }
            let why = format!(
                "{}. /{route} takes {} webhooks, as JSON",
                e.problem,
                source.label()
            );
            return refuse(StatusCode::BAD_REQUEST, &why, "malformed", entry);
        }
    };
    // PagerDuty says which delivery this is in a header too, when the
    // event does not (its retries carry the same X-Webhook-Id).
    if source == Source::PagerDuty && alert.delivery_id.is_none() {
        let id = header_values(&headers, "x-webhook-id");
        if !id.trim().is_empty() {
            alert.delivery_id = Some(pager::delivery_id(source, &["x-webhook-id", id.trim()]));
        }
    }
    // File it off the async threads: it takes file locks and syncs.
    let result =
        tokio::task::spawn_blocking(move || intake::take(&shared.store, &shared.me, &alert)).await;
    match result {
        Ok(Ok(received)) => {
            let outcome = &received.outcome;
            let code = if matches!(outcome, intake::Outcome::Declared(_)) {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            // The journal tells a redelivery from a follow-up.
            entry.outcome = match outcome {
                intake::Outcome::Redelivered(_) => "redelivery",
                other => other.word(),
            };
            entry.incident = outcome.incident().map(str::to_string);
            let body = intake::report(outcome, Some(source), &received.notes);
            answer(code, format!("{body}\n"), entry)
        }
        // What the page says cannot be written: the sender should not
        // send it again as it is.
        Ok(Err(StoreError::Refused(r))) if r.is_bad_input() => {
            refuse(StatusCode::BAD_REQUEST, &r.to_string(), "malformed", entry)
        }
        // Another page held the directory too long: the sender retries.
        Ok(Err(e @ StoreError::LockTimeout { .. })) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!("{e}; try again"),
            "failed",
            entry,
        ),
        Ok(Err(e)) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("the page could not be recorded: {e}"),
            "failed",
            entry,
        ),
        Err(_) => refuse(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the page could not be recorded: an internal error",
            "failed",
            entry,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagerduty_signatures_are_checked() {
        let body = br#"{"event":{}}"#;
        let mut mac = Hmac::<Sha256>::new_from_slice(b"s3cret").unwrap();
        mac.update(body);
        let good = format!("v1={}", hex::encode(mac.finalize().into_bytes()));
        assert!(pagerduty_signature_ok(b"s3cret", body, &good));
        assert!(
            pagerduty_signature_ok(b"s3cret", body, &format!("v1=00, {good}")),
            "rotation: any one matches"
        );
        assert!(!pagerduty_signature_ok(b"other", body, &good));
        assert!(!pagerduty_signature_ok(b"s3cret", b"tampered", &good));
        assert!(!pagerduty_signature_ok(b"s3cret", body, "v0=abc"));
        // Rotation with the new secret first, hex in capitals.
        let upper = good.to_uppercase().replacen("V1=", "v1=", 1);
        assert!(pagerduty_signature_ok(
            b"s3cret",
            body,
            &format!("v1=abcd,{upper}")
        ));
        assert!(!pagerduty_signature_ok(b"s3cret", body, "v1=,v1=00"));
    }

    #[test]
    fn grafana_signatures_are_checked() {
        let body = br#"{"alerts":[]}"#;
        let plain = hmac_hex(b"g-secret", &[body]).unwrap();
        assert!(grafana_signature_ok(b"g-secret", body, &plain, None));
        assert!(grafana_signature_ok(
            b"g-secret",
            body,
            &plain.to_uppercase(),
            None
        ));
        assert!(!grafana_signature_ok(b"other", body, &plain, None));
        assert!(!grafana_signature_ok(b"g-secret", b"{}", &plain, None));
        assert!(!grafana_signature_ok(b"g-secret", body, "", None));
        // With a timestamp header: TIMESTAMP:BODY is signed.
        let stamped = hmac_hex(b"g-secret", &[b"1735000000", b":", body]).unwrap();
        assert!(grafana_signature_ok(
            b"g-secret",
            body,
            &stamped,
            Some("1735000000")
        ));
        assert!(!grafana_signature_ok(
            b"g-secret",
            body,
            &stamped,
            Some("1735000001")
        ));
    }
}

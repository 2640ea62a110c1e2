//! One HTTP request, with a timeout, over `ureq` (blocking: every sender
//! runs on its own thread, never on a view's draw loop).

use super::payload::{Method, Request};
use std::time::Duration;

/// The longest any one request may take. Well under a claim's 30 s, so a
/// claim never lapses while its sender is still waiting.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// What a service said to a request it took (2xx).
#[derive(Debug)]
pub struct Reply {
    pub body: String,
}

/// Send `req`, waiting at most `timeout`. An error says what went wrong
/// in a few words: "HTTP 500", "timed out", "connection refused".
pub fn send(req: &Request, timeout: Duration) -> Result<Reply, String> {
    let config = ureq::Agent::config_builder()
        .timeout_global(Some(timeout.min(TIMEOUT)))
        .http_status_as_error(false);
    // macOS builds use the system's TLS (see Cargo.toml), which ureq
    // never picks by itself.
    #[cfg(target_os = "macos")]
    let config = config.tls_config(
        ureq::tls::TlsConfig::builder()
            .provider(ureq::tls::TlsProvider::NativeTls)
            .build(),
    );
    let agent: ureq::Agent = config.build().into();
    let body = req.body.to_string();
    let result = match req.method {
        Method::Post => with_headers(agent.post(&req.url), req).send(&body),
        Method::Patch => with_headers(agent.patch(&req.url), req).send(&body),
    };
    // The URL is a secret (a webhook's URL is its key): never recorded.
    let mut resp = result.map_err(|e| describe(&e).replace(&req.url, "(the URL)"))?;
    let status = resp.status().as_u16();
    let text = resp
        .body_mut()
        .with_config()
        .limit(64 * 1024)
        .read_to_string()
        .unwrap_or_default();
    if (200..300).contains(&status) {
        Ok(Reply { body: text })
    } else {
        let said = crate::sanitize::line(text.trim());
        let said: String = said.chars().take(80).collect();
        Err(if said.is_empty() {
            format!("HTTP {status}")
        } else {
            format!("HTTP {status}: {said}")
        })
    }
}

fn with_headers<B>(mut b: ureq::RequestBuilder<B>, req: &Request) -> ureq::RequestBuilder<B> {
    b = b.header("Content-Type", "application/json");
    for (k, v) in &req.headers {
        b = b.header(*k, v);
    }
    b
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timed out".into(),
        ureq::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

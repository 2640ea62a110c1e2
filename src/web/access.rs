//! Who may read the pages: on loopback anyone on the box; otherwise only a
//! browser that was given the viewer token once (`?token=`) and keeps it
//! as an HttpOnly, SameSite=Strict cookie.

use crate::listen::same;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::Arc;

const COOKIE: &str = "incident_viewer";

/// How the pages are guarded.
pub enum Access {
    /// Bound to loopback and no viewer token given: anyone on the box.
    Open,
    /// The viewer token is needed.
    Token(Viewer),
}

/// The viewer token, and the cookie value it stands for.
pub struct Viewer {
    token: String,
    cookie: String,
}

impl Viewer {
    pub fn new(token: String) -> Self {
        // The cookie holds a value derived from the token, not the token,
        // so a cookie read off a disk is not a link to hand on.
        let mut mac = Hmac::<Sha256>::new_from_slice(token.as_bytes()).expect("any key length");
        mac.update(b"incident viewer cookie");
        let cookie = hex::encode(mac.finalize().into_bytes());
        Viewer { token, cookie }
    }
}

/// `token=` from a query string, as given: no percent-decoding, so a
/// token pasted into the address bar matches as it is (hex tokens, as the
/// README makes them, never need encoding).
fn token_in(query: &str) -> Option<&str> {
    query.split('&').find_map(|kv| kv.strip_prefix("token="))
}

fn cookie_in(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

fn refused() -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Missing or wrong viewer token: open the link you were given, with ?token=, once.\n",
    )
        .into_response()
}

/// The guard in front of every page.
pub async fn check(State(access): State<Arc<Access>>, req: Request, next: Next) -> Response {
    let Access::Token(viewer) = &*access else {
        return next.run(req).await;
    };
    if let Some(given) = req.uri().query().and_then(token_in) {
        if !same(given.as_bytes(), viewer.token.as_bytes()) {
            return refused();
        }
        // Keep the token out of the address bar, history and logs.
        // Only ever back to this site: "//host" would leave it.
        let path = match req.uri().path() {
            p if p.starts_with("//") => "/",
            p => p,
        };
        let cookie = format!(
            "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
            viewer.cookie
        );
        let mut resp = (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, path.to_string())],
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            resp.headers_mut().insert(header::SET_COOKIE, v);
        }
        return resp;
    }
    match cookie_in(req.headers()) {
        Some(c) if same(c.as_bytes(), viewer.cookie.as_bytes()) => next.run(req).await,
        _ => refused(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_and_cookie_are_found_where_browsers_put_them() {
        assert_eq!(token_in("a=1&token=xyz"), Some("xyz"));
        assert_eq!(token_in("tokens=1"), None);
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            "other=1; incident_viewer=abc".parse().unwrap(),
        );
        assert_eq!(cookie_in(&h), Some("abc"));
        let v = Viewer::new("letmein".into());
        assert_ne!(v.cookie, "letmein");
        assert_eq!(v.cookie, Viewer::new("letmein".into()).cookie);
    }
}

//! The read-only live page for onlookers, served by `incident listen`:
//! `GET /` the active incidents, `GET /INC-7` one incident, each updating
//! in the browser within a second of a write (server-sent events) and
//! refreshing every 15 s with scripts off.
//!
//! Nothing here can change an incident: every route is a GET, and the
//! pages carry no forms. Text is escaped on the server ([`html`]); the
//! Content-Security-Policy allows only the page's own script and style.

mod access;
pub mod html;
mod maintenance;
mod sse;

pub use access::{Access, Viewer};
pub use sse::Feed;

use crate::store::{Listed, Store, StoreError};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use html::Page;
use std::sync::Arc;

/// The one script and the one style sheet, served from the binary.
const APP_JS: &str = include_str!("app.js");
const PAGE_CSS: &str = include_str!("page.css");

/// No inline script or style, nothing from elsewhere, no forms, no frames.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; \
     frame-ancestors 'none'";

struct Web {
    store: Store,
    feed: Feed,
}

/// The pages' routes, all GET, behind `access`.
pub fn router(store: Store, access: Access, feed: Feed) -> Router {
    let web = Arc::new(Web { store, feed });
    Router::new()
        .route("/", get(list_page))
        .route("/fragment", get(list_fragment))
        .route("/events", get(list_events))
        .route("/app.js", get(app_js))
        .route("/page.css", get(page_css))
        .route("/{id}", get(incident_page))
        .route("/{id}/fragment", get(incident_fragment))
        .route("/{id}/events", get(incident_events))
        .with_state(web)
        .layer(middleware::from_fn_with_state(
            Arc::new(access),
            access::check,
        ))
        .layer(middleware::map_response(guard_headers))
}

/// Off loopback without a viewer token the pages are not served; say so
/// rather than a bare 404.
pub fn switched_off() -> Router {
    Router::new().fallback(get(|| async {
        (
            StatusCode::NOT_FOUND,
            "The read-only pages are off: incident listen binds beyond loopback without --viewer-token-file.\n",
        )
    }))
}

async fn guard_headers(mut resp: Response) -> Response {
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The first link carries the token: never pass it on.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    resp
}

fn html_response(code: StatusCode, body: String) -> Response {
    (
        code,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// Read off the async threads: opening a file may wait on its lock.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Response> {
    tokio::task::spawn_blocking(f).await.map_err(|_| {
        html_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal error.\n".into(),
        )
    })
}

async fn list_body(web: &Arc<Web>) -> Result<String, Response> {
    let web = web.clone();
    let listed = blocking(move || {
        let windows = crate::store::maintenance::active(web.store.dir(), now());
        (web.store.list_active(), windows)
    })
    .await?;
    let (listed, windows) = listed;
    let listed = match listed {
        Ok(l) => l,
        // A directory that is not there yet holds no incidents.
        Err(StoreError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            Vec::new()
        }
        Err(e) => return Err(problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string())),
    };
    let mut active = Vec::new();
    let mut broken = Vec::new();
    for l in listed {
        match l {
            Listed::Ok(inc) if inc.is_active() => active.push(*inc),
            Listed::Ok(_) => {}
            Listed::Broken { path, error } => broken.push(html::Unreadable {
                id: path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                problem: error.to_string(),
            }),
        }
    }
    let now = now();
    let mut body = html::list_fragment(&active, &broken, now);
    match windows {
        Ok(ws) => body.push_str(&maintenance::fragment(&ws, now)),
        Err(e) => body.push_str(&format!(
            "<p class=\"broken\">The maintenance windows cannot be read: {}</p>\n",
            html::esc(&e.to_string())
        )),
    }
    Ok(body)
}

fn problem(code: StatusCode, text: &str) -> Response {
    html_response(
        code,
        format!("<p class=\"broken\">{}</p>\n", html::esc(text)),
    )
}

async fn list_page(State(web): State<Arc<Web>>) -> Response {
    match list_body(&web).await {
        Ok(body) => html_response(
            StatusCode::OK,
            html::document(Page::List, "Active incidents", &body),
        ),
        Err(r) => r,
    }
}

async fn list_fragment(State(web): State<Arc<Web>>) -> Response {
    match list_body(&web).await {
        Ok(body) => html_response(StatusCode::OK, body),
        Err(r) => r,
    }
}

async fn list_events(State(web): State<Arc<Web>>) -> Response {
    web.feed.stream(None).into_response()
}

/// The incident `given` names, rendered; its canonical id.
async fn incident_body(web: &Arc<Web>, given: &str) -> Result<(String, String), Response> {
    let id = crate::store::parse_id(given)
        .map_err(|e| problem(StatusCode::NOT_FOUND, &e.to_string()))?;
    let w = web.clone();
    let id2 = id.clone();
    let opened = blocking(move || w.store.open(&id2)).await?;
    match opened {
        Ok(file) => Ok((id, html::incident_fragment(file.incident(), now()))),
        Err(StoreError::NotFound { id, .. }) => Err(problem(
            StatusCode::NOT_FOUND,
            &format!("There is no incident {id}. All active incidents are listed at /."),
        )),
        Err(e) => Err(problem(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string())),
    }
}

async fn incident_page(State(web): State<Arc<Web>>, Path(given): Path<String>) -> Response {
    match incident_body(&web, &given).await {
        Ok((id, body)) => html_response(
            StatusCode::OK,
            html::document(Page::Incident(&id), &id, &body),
        ),
        Err(r) => r,
    }
}

async fn incident_fragment(State(web): State<Arc<Web>>, Path(given): Path<String>) -> Response {
    match incident_body(&web, &given).await {
        Ok((_, body)) => html_response(StatusCode::OK, body),
        Err(r) => r,
    }
}

async fn incident_events(State(web): State<Arc<Web>>, Path(given): Path<String>) -> Response {
    match crate::store::parse_id(&given) {
        Ok(id) => web
            .feed
            .stream(Some(web.store.path_of(&id)))
            .into_response(),
        Err(e) => problem(StatusCode::NOT_FOUND, &e.to_string()),
    }
}

async fn app_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        APP_JS,
    )
        .into_response()
}

async fn page_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        PAGE_CSS,
    )
        .into_response()
}

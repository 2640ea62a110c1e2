//! The listener's door: its own accept loop on hyper, so the stack's own
//! limits apply to every connection. Headers (and, over TLS, the
//! handshake) must arrive within [`Limits::header`]; an idle keep-alive
//! connection is closed after the same time (hyper's header read timeout
//! runs while it waits for the next request); a webhook must be received
//! and answered within [`Limits::request`] (tower's timeout: a stalled
//! body gets 408 and its connection is closed); and at most
//! [`Limits::connections`] connections are open at once: the next one is
//! answered 503 and closed at once, never queued.

use axum::Router;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

pub use super::tls::Tls;

/// How long each part of a request may take, and how many connections
/// may be open at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header: Duration,
    pub request: Duration,
    pub connections: usize,
}

/// File descriptors kept back from the connection cap: standard streams,
/// the listening socket, the runtime's poller, the directory watchers and
/// the files a page is filed through, and the one a refused connection
/// needs for the moment it takes to refuse it.
pub const RESERVED_FDS: u64 = 20;

/// The connection cap that fits the process's file limit: the soft limit
/// is first raised to the hard one (systemd's default is 1,024 soft and
/// far more hard), then `wanted` is lowered to what it leaves.
pub fn fit_to_file_limit(wanted: usize) -> (usize, Option<u64>) {
    use nix::sys::resource::{Resource, getrlimit, setrlimit};
    let Ok((soft, hard)) = getrlimit(Resource::RLIMIT_NOFILE) else {
        return (wanted, None);
    };
    let soft = if hard > soft && setrlimit(Resource::RLIMIT_NOFILE, hard, hard).is_ok() {
        hard
    } else {
        soft
    };
    let room = soft.saturating_sub(RESERVED_FDS).max(1);
    (
        wanted.min(usize::try_from(room).unwrap_or(usize::MAX)),
        Some(soft),
    )
}

/// The listening socket, its queue as long as the connection cap (up to
/// the kernel's own cap), so a burst of connections waits there to be
/// taken (and, over the cap, refused) rather than being dropped and sent
/// again a second later.
pub fn bind(addr: std::net::SocketAddr, connections: usize) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(u32::try_from(connections.clamp(1024, 65_535)).unwrap_or(1024))
}

/// Gives the webhook routes their deadline: a request whose body has not
/// arrived (or whose page is not filed) in time is answered 408.
pub fn with_deadline(router: Router, limit: Duration) -> Router {
    use axum::error_handling::HandleErrorLayer;
    use tower::ServiceBuilder;
    router.layer(
        ServiceBuilder::new()
            .layer(HandleErrorLayer::new(move |_: axum::BoxError| async move {
                let mut resp = (
                    StatusCode::REQUEST_TIMEOUT,
                    format!(
                        "the request was not received and answered within {} s; send it again whole\n",
                        limit.as_secs()
                    ),
                )
                    .into_response();
                resp.headers_mut().insert(
                    axum::http::header::CONNECTION,
                    axum::http::HeaderValue::from_static("close"),
                );
                resp.extensions_mut().insert(super::Entry {
                    outcome: "timed_out",
                    ..super::Entry::default()
                });
                resp
            }))
            .timeout(limit),
    )
}

/// One journal line for what never reached the router.
fn journal_refusal(outcome: &str, status: u16) {
    super::write_journal(None, None, None, Some(outcome), status, None);
}

/// A request hyper refused before it reached the router (it answered 400,
/// or 431 for headers too large) gets its journal line too. Timeouts and
/// closes do not: an idle keep-alive ends the same way.
fn journal_broken(ended: Result<(), hyper::Error>) {
    if let Err(e) = ended {
        if e.is_parse_too_large() {
            journal_refusal("too_large", 431);
        } else if e.is_parse() {
            journal_refusal("malformed", 400);
        }
    }
}

/// Accept and serve until `stop` resolves; then let open requests finish
/// (for at most a few seconds).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    tls: Option<Arc<Tls>>,
    stop: impl std::future::Future<Output = ()>,
) {
    let open = Arc::new(Semaphore::new(limits.connections));
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header)
        .keep_alive(true);
    let busy = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{}",
        BUSY.len(),
        BUSY
    );
    tokio::pin!(stop);
    loop {
        let (socket, _peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of files or a connection reset before it was
                    // taken: go on at once, or after a breath when out of
                    // files (no spin).
                    if matches!(e.raw_os_error(), Some(code) if code == nix::libc::EMFILE || code == nix::libc::ENFILE) {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                    }
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            // Over the cap: refused at once, not queued. A plain-HTTP
            // caller is told why; over TLS the close says it.
            if tls.is_none() {
                let _ = socket.try_write(busy.as_bytes());
            }
            drop(socket);
            journal_refusal("busy", 503);
            continue;
        };
        let _ = socket.set_nodelay(true);
        let app = app.clone();
        let builder = builder.clone();
        let tls = tls.clone();
        let watcher = graceful.watcher();
        let header = limits.header;
        tokio::spawn(async move {
            let _permit = permit;
            let service = TowerToHyperService::new(app);
            match tls {
                None => {
                    let conn = builder.serve_connection(TokioIo::new(socket), service);
                    journal_broken(watcher.watch(conn).await);
                }
                Some(tls) => {
                    let Ok(Ok(stream)) = tokio::time::timeout(header, tls.accept(socket)).await
                    else {
                        return;
                    };
                    let conn = builder.serve_connection(TokioIo::new(stream), service);
                    journal_broken(watcher.watch(conn).await);
                }
            }
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
}

const BUSY: &str =
    "the listener has as many connections open as it takes; try again in a few seconds\n";

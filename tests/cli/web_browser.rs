//! The onlookers' page in a real browser: Debian's headless `chromium`
//! driven over WebDriver (`chromedriver`) loads an incident, the test
//! writes an update with `incident update`, and the page shows it without
//! a reload; the viewer token is given once in the link and the cookie
//! carries the live feed from then on. Screenshots are left in the target
//! directory to look at.
//!
//! `.ci/run` installs `chromium` and `chromium-driver`; without them this
//! test fails and says what to install.

use crate::common::*;
use crate::listener::{Listener, free_port, listen};
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running chromedriver on a loopback port, stopped on drop.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromedriver() -> Driver {
    packages::need(
        "the browser test of the onlookers' page",
        &[
            ("chromium", "chromium"),
            ("chromedriver", "chromium-driver"),
        ],
    );
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start chromedriver ({e}): apt-get install chromium chromium-driver")
        });
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "chromedriver did not come up on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { child, port }
}

async fn browser(driver: &Driver, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            // CI runs as root, where Chromium's sandbox cannot start.
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--window-size=1280,800",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("chromedriver started no chromium session")
}

async fn script(c: &Client, js: &str) -> serde_json::Value {
    c.execute(js, vec![]).await.expect(js)
}

/// Wait until `js` returns true, polling, for at most `within`.
async fn until(c: &Client, js: &str, within: Duration) -> bool {
    let end = Instant::now() + within;
    loop {
        if script(c, js).await == serde_json::Value::Bool(true) {
            return true;
        }
        if Instant::now() > end {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// target/tmp -> target/NAME
fn screenshot_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .unwrap()
        .join(name)
}

async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    let path = screenshot_path(name);
    std::fs::write(&path, png).unwrap();
    eprintln!("web: screenshot in {}", path.display());
}

/// An incident worth looking at: roles, impact, systems, an update.
fn incident(dir: &Path) -> String {
    let id = declare(dir, "Checkout errors <EU card payments>");
    for args in [
        // Communications is whoever runs the test: it sends the updates.
        &["role", "claim", "-i", &id, "comms"][..],
        &["role", "set", "-i", &id, "commander", "alice"],
        &["impact", "-i", &id, "EU card payments ~1200 customers/hour"],
        &["system", "set", "-i", &id, "checkout", "failing"],
        &["system", "set", "-i", &id, "payments", "degraded"],
        &["system", "depend", "-i", &id, "checkout", "payments"],
        &[
            "update",
            "-i",
            &id,
            "Checkout is failing for some EU card payments. We are investigating.",
        ],
    ] {
        ok(dir, args);
    }
    id
}

const TOKEN: &str = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

async fn live_update_without_reload(l: &Listener, dir: &Path, id: &str, c: &Client) {
    // The link as it is handed out: the token once, then the cookie.
    c.goto(&format!("http://127.0.0.1:{}/{id}?token={TOKEN}", l.port))
        .await
        .unwrap();
    let url = c.current_url().await.unwrap();
    assert_eq!(url.path(), format!("/{id}"));
    assert_eq!(url.query(), None, "the token left the address bar: {url}");
    // The script ran (CSP allowed its own file) and the stream is open.
    assert!(
        until(
            c,
            "return document.getElementById('live').classList.contains('on')",
            Duration::from_secs(10)
        )
        .await,
        "the page never went live: {}",
        script(c, "return document.getElementById('live').textContent").await
    );
    let loaded = script(c, "return window.incidentPageLoadedAt").await;
    assert!(loaded.is_number(), "{loaded}");

    let said = "Rolled back payments to v41; error rate falling <fast>.";
    ok(dir, &["update", "-i", id, said]);
    let written = Instant::now();
    let js = format!(
        "return document.getElementById('content').innerText.includes({})",
        serde_json::Value::String(said.into())
    );
    assert!(
        until(c, &js, Duration::from_secs(5)).await,
        "the update never appeared: {}",
        script(c, "return document.getElementById('content').innerText").await
    );
    eprintln!(
        "web: the update appeared {:?} after it was written",
        written.elapsed()
    );
    assert_eq!(
        script(c, "return window.incidentPageLoadedAt").await,
        loaded,
        "the page reloaded instead of updating in place"
    );
    // Shown as text, not markup.
    assert_eq!(
        script(
            c,
            "return document.querySelectorAll('#content fast').length"
        )
        .await,
        serde_json::json!(0)
    );
}

#[test]
fn a_browser_shows_a_new_update_without_reloading() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    let id = incident(&dir);
    let viewer = tmp.path().join("viewer-token");
    std::fs::write(&viewer, TOKEN).unwrap();
    let l = listen(&dir, &["--viewer-token-file", viewer.to_str().unwrap()]);
    let driver = chromedriver();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let c = browser(&driver, &tmp.path().join("chromium")).await;
        live_update_without_reload(&l, &dir, &id, &c).await;
        screenshot(&c, "web-screenshot.png").await;
        c.goto(&format!("http://127.0.0.1:{}/", l.port))
            .await
            .unwrap();
        assert!(
            until(
                &c,
                "return document.body.innerText.includes('Checkout errors <EU card payments>')",
                Duration::from_secs(5)
            )
            .await,
            "the list does not show the incident"
        );
        screenshot(&c, "web-screenshot-list.png").await;
        c.close().await.unwrap();
    });
}

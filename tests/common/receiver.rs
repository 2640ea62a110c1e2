//! A real HTTP receiver on loopback standing in for Slack, Teams,
//! Statuspage, PagerDuty: it records every request, and can be told to
//! fail the next N with HTTP 500.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Got {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: serde_json::Value,
}

impl Got {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    got: Vec<Got>,
    fail_next: usize,
    /// The status line the failures answer with (500 unless told).
    fail_with: Option<&'static str>,
}

#[derive(Clone)]
pub struct Receiver {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl Receiver {
    pub fn start() -> Receiver {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", l.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let s = state.clone();
        std::thread::spawn(move || {
            for conn in l.incoming() {
                let Ok(mut conn) = conn else { continue };
                let s = s.clone();
                std::thread::spawn(move || {
                    let mut r = BufReader::new(conn.try_clone().unwrap());
                    let mut first = String::new();
                    if r.read_line(&mut first).is_err() {
                        return;
                    }
                    let mut parts = first.split_whitespace();
                    let method = parts.next().unwrap_or("").to_string();
                    let path = parts.next().unwrap_or("").to_string();
                    let mut headers = Vec::new();
                    let mut len = 0;
                    loop {
                        let mut line = String::new();
                        if r.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                            break;
                        }
                        if let Some((k, v)) = line.trim_end().split_once(':') {
                            if k.eq_ignore_ascii_case("content-length") {
                                len = v.trim().parse().unwrap_or(0);
                            }
                            headers.push((k.to_string(), v.trim().to_string()));
                        }
                    }
                    let mut body = vec![0; len];
                    let _ = r.read_exact(&mut body);
                    let body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
                    let (fail, fail_with) = {
                        let mut st = s.lock().unwrap();
                        st.got.push(Got {
                            method: method.clone(),
                            path,
                            headers,
                            body,
                        });
                        let fail = st.fail_next > 0;
                        st.fail_next = st.fail_next.saturating_sub(1);
                        (fail, st.fail_with)
                    };
                    let (status, text) = if fail {
                        (
                            fail_with.unwrap_or("500 Internal Server Error"),
                            "{\"error\":\"down\"}".to_string(),
                        )
                    } else if method == "POST" {
                        ("201 Created", "{\"id\":\"sp1\"}".to_string())
                    } else {
                        ("200 OK", "{}".to_string())
                    };
                    let _ = write!(
                        conn,
                        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                        text.len()
                    );
                });
            }
        });
        Receiver { url, state }
    }

    pub fn fail_next(&self, n: usize) {
        self.fail_next_with(n, "500 Internal Server Error");
    }

    /// Fail the next `n` with this status line ("429 Too Many Requests").
    pub fn fail_next_with(&self, n: usize, status: &'static str) {
        let mut st = self.state.lock().unwrap();
        st.fail_next = n;
        st.fail_with = Some(status);
    }

    pub fn got(&self) -> Vec<Got> {
        self.state.lock().unwrap().got.clone()
    }

    /// The requests to `path`.
    pub fn at(&self, path: &str) -> Vec<Got> {
        self.got().into_iter().filter(|g| g.path == path).collect()
    }
}

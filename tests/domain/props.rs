//! Bounded property runs in the normal suite, the same targets as the
//! `cargo fuzz` ones in tests/fuzz: the loader, the pager parsers and the
//! command bar never panic, whatever they are given. (A fixed-seed generator keeps
//! any failure reproducible.)

use incident::store::IncidentFile;
use incident::tui::command;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const VALID: &str = concat!(
    r#"{"schema":1,"id":"INC-1","created_at":"2026-11-26T14:00:00Z","created_by":{"user":"alice"}}"#,
    "\n",
    r#"{"at":"2026-11-26T14:00:00Z","by":{"user":"alice"},"op":"declare","title":"T","severity":"SEV2"}"#,
    "\n",
    r#"{"at":"2026-11-26T14:01:00Z","by":{"user":"bob"},"op":"claim_role","role":"commander"}"#,
    "\n",
    r#"{"at":"2026-11-26T14:02:00Z","by":{"user":"bob"},"op":"log","kind":"note","text":"hello"}"#,
    "\n",
    r#"{"at":"2026-11-26T14:03:00Z","by":{"user":"bob"},"op":"set_system","name":"db","status":"failing"}"#,
    "\n",
    r#"{"at":"2026-11-26T14:04:00Z","by":{"user":"bob"},"op":"pin","entry":3}"#,
    "\n",
    r#"{"at":"2026-11-26T14:05:00Z","by":{"user":"bob"},"op":"answer","request":1,"go":true}"#,
    "\n",
);

#[test]
fn the_loader_never_panics_on_mutated_files() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("INC-1.jsonl");
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let interesting: &[&[u8]] = &[
        b"0",
        b"-1",
        b"18446744073709551615",
        b"\"",
        b"{",
        b"}",
        b"\n",
        b"null",
        b"\xff",
        b"\"op\":\"pin\",\"entry\":0",
        b"1e999",
    ];
    for _ in 0..1500 {
        let mut bytes = VALID.as_bytes().to_vec();
        for _ in 0..1 + rng.below(4) {
            if bytes.is_empty() {
                break;
            }
            let at = rng.below(bytes.len());
            match rng.below(4) {
                0 => bytes[at] = rng.next() as u8,
                1 => {
                    let piece = interesting[rng.below(interesting.len())];
                    bytes.splice(at..at, piece.iter().copied());
                }
                2 => {
                    let end = (at + rng.below(20)).min(bytes.len());
                    bytes.drain(at..end);
                }
                _ => bytes.truncate(at),
            }
        }
        std::fs::write(&path, &bytes).unwrap();
        // Ok or a clear error: either way, no panic.
        if let Ok(mut f) = IncidentFile::open(&path) {
            let _ = f.refresh();
            let _ = serde_json::to_string(f.incident());
        }
    }
}

#[test]
fn the_command_bar_never_panics() {
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    let words = [
        "claim",
        "role",
        "handover",
        "go",
        "hold",
        "sys",
        "dep",
        "->",
        "verify",
        "refute",
        "mit",
        "start",
        "done",
        "failed",
        "take",
        "give",
        "task",
        "freeze",
        "break",
        "procedure",
        "food",
        "detach",
        "pin",
        "snippet",
        "cadence",
        "update",
        "M0",
        "M99999999999999999999",
        "T1",
        "R0",
        "#",
        "#-1",
        "A0",
        "ic",
        "comms",
        "1h",
        "0m",
        "99999h",
        "low",
        "high",
        "quick",
        "rollback",
        "世界",
        "\u{1b}[2J",
        "",
    ];
    for _ in 0..5000 {
        let n = rng.below(6);
        let line: Vec<&str> = (0..n).map(|_| words[rng.below(words.len())]).collect();
        let _ = command::parse(&line.join(" "), "alice");
        let _ = command::complete(
            &format!(":{}", line.join(" ")),
            &["bob".into()],
            &["db".into()],
        );
    }
}

/// Every stored pager fixture, mutated: each parser either reads an alert
/// with a clean one-line title or says what is wrong. Never a panic.
#[test]
fn the_pager_parsers_never_panic_on_mutated_payloads() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pager");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    assert!(
        seeds.len() >= 10,
        "pager fixtures missing from {}",
        dir.display()
    );
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let interesting: &[&[u8]] = &[
        b"null",
        b"[]",
        b"{}",
        b"\"\"",
        b"1e999",
        b"-0",
        b"\"\\u0000\"",
        b"\xff\xfe",
        b"\"\x1b[2J\"",
    ];
    for _ in 0..3000 {
        let mut bytes = seeds[rng.below(seeds.len())].clone();
        for _ in 0..1 + rng.below(3) {
            if bytes.is_empty() {
                break;
            }
            let at = rng.below(bytes.len());
            match rng.below(4) {
                0 => bytes[at] = rng.next() as u8,
                1 => {
                    let piece = interesting[rng.below(interesting.len())];
                    bytes.splice(at..at, piece.iter().copied());
                }
                2 => {
                    let end = (at + rng.below(40)).min(bytes.len());
                    bytes.drain(at..end);
                }
                _ => bytes.truncate(at),
            }
        }
        let mut results = vec![incident::pager::parse(None, &bytes)];
        results.extend(
            incident::pager::Source::ALL
                .iter()
                .map(|s| incident::pager::parse(Some(*s), &bytes)),
        );
        for r in results {
            match r {
                Ok(alert) => {
                    assert!(
                        !alert.title.trim().is_empty(),
                        "an alert with no title from {:?}",
                        String::from_utf8_lossy(&bytes)
                    );
                    assert!(
                        !alert.title.chars().any(char::is_control),
                        "a control character in the title {:?}",
                        alert.title
                    );
                }
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
    }
}

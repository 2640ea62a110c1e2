//! Bounded property runs in the normal suite, the same targets as the
//! `cargo fuzz` ones in tests/fuzz: the loader, the pager parsers and the
//! command bar never panic, whatever they are given; and the deploy
//! freeze shown on screen is the one `freeze status` reports, whatever
//! happens to it. (A fixed-seed generator keeps any failure reproducible.)

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

/// The freeze banner on screen and `incident freeze status` agree in every
/// state, and both follow the freeze's rules: random sequences of
/// freezes, lifts, freeze mitigations started and finished, resolving
/// with and without keeping the freeze, reopening, written to a real
/// store; after each, the view drawn from the file (war room and
/// document view) is compared with the CLI's answer and with what the
/// rules say the freeze should be.
#[test]
fn the_freeze_banner_and_freeze_status_always_agree() {
    use incident::model::{Actor, MitigationKind, MitigationStatus, Risk, Role, Severity, Speed};
    use incident::model::{Status, SystemStatus};
    use incident::ops::Op;
    use incident::store::Store;
    use incident::tui::app::{App, Room, Screen};
    use incident::tui::headless::{draw, to_text};
    use incident::tui::theme::Theme;

    let theme = Theme::built_in("default").unwrap();
    let mut rng = Rng(0x5eed_f00d_0bad_cafe);
    let mut states = 0;
    // How often each interesting state came up: every one must.
    let (mut by_mitigation, mut kept, mut lifted_by_resolve, mut frozen_open) = (0, 0, 0, 0);
    for _ in 0..30 {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let (alice, carol) = (Actor::named("alice"), Actor::named("carol"));
        store
            .declare(&alice, "Checkout errors", Severity::Sev2)
            .unwrap();
        store
            .append(
                Some("INC-1"),
                &alice,
                Op::ClaimRole {
                    role: Role::Commander,
                },
            )
            .unwrap();
        let mut mitigations = 0u64;
        // The oracle: what the rules say the freeze is.
        let mut frozen: Option<String> = None;
        for step in 0..12 {
            let before = store.open("INC-1").unwrap().incident().clone();
            let reason = ["bad deploy", "payments release", "change window"][rng.below(3)];
            let (who, ops): (&Actor, Vec<Op>) = match rng.below(10) {
                0 | 1 => (
                    &carol,
                    vec![Op::Freeze {
                        reason: (rng.below(2) == 0).then(|| reason.to_string()),
                    }],
                ),
                2 => (
                    if rng.below(3) == 0 { &carol } else { &alice },
                    vec![Op::Unfreeze],
                ),
                3 | 4 => {
                    let kind = if rng.below(4) == 0 {
                        MitigationKind::Custom
                    } else {
                        MitigationKind::FreezeDeploys
                    };
                    (
                        &carol,
                        vec![
                            Op::ProposeMitigation {
                                text: format!("Freeze deploys: {reason}"),
                                kind,
                                risk: Risk::Low,
                                speed: Speed::Quick,
                                system: None,
                                owner: None,
                            },
                            Op::StartMitigation {
                                id: mitigations + 1,
                            },
                        ],
                    )
                }
                5 => (
                    &carol,
                    vec![Op::FinishMitigation {
                        id: 1 + rng.below(mitigations.max(1) as usize) as u64,
                        status: [
                            MitigationStatus::Done,
                            MitigationStatus::Failed,
                            MitigationStatus::Abandoned,
                        ][rng.below(3)],
                        result: None,
                    }],
                ),
                6 | 7 => (
                    &alice,
                    vec![Op::SetStatus {
                        status: Status::Resolved,
                        force: rng.below(3) != 0,
                        keep_freeze: rng.below(2) == 0,
                    }],
                ),
                8 => (&alice, vec![Op::set_status(Status::Investigating)]),
                _ => (
                    &carol,
                    vec![Op::SetSystem {
                        name: "cart".into(),
                        status: [SystemStatus::Ok, SystemStatus::Failing][rng.below(2)],
                        evidence: None,
                        owner: None,
                        note: None,
                    }],
                ),
            };
            for op in ops {
                let written = store.append(Some("INC-1"), who, op.clone());
                let Ok((_, rec)) = written else {
                    continue; // Refused: the state is as before.
                };
                if matches!(rec.op, Op::ProposeMitigation { .. }) {
                    mitigations += 1;
                }
                // What the rules say the freeze becomes.
                match &rec.op {
                    Op::Freeze { reason } => {
                        assert!(frozen.is_none(), "a second freeze was accepted");
                        frozen = Some(format!(
                            "by carol{}",
                            reason
                                .as_ref()
                                .map(|r| format!(": {r}"))
                                .unwrap_or_default()
                        ));
                    }
                    Op::Unfreeze => frozen = None,
                    Op::StartMitigation { id } => {
                        let m = store.open("INC-1").unwrap().incident().mitigations
                            [*id as usize - 1]
                            .clone();
                        if m.kind == MitigationKind::FreezeDeploys && frozen.is_none() {
                            frozen = Some(format!("by carol: {}", m.text));
                            by_mitigation += 1;
                        }
                    }
                    Op::SetStatus {
                        status: Status::Resolved,
                        keep_freeze: false,
                        ..
                    } => {
                        lifted_by_resolve += frozen.is_some() as usize;
                        frozen = None
                    }
                    _ => {}
                }
            }
            let inc = store.open("INC-1").unwrap().incident().clone();
            let (code, answer) = incident::cli::freeze_answer(&store.list().unwrap());
            let mut app = App::new(
                alice.clone(),
                Screen::Room(Box::new(Room::new(inc.clone()))),
            );
            let mut screens = vec![to_text(&draw(&mut app, &theme, inc.updated_at, 200, 30))];
            if let Some(room) = app.room_mut() {
                room.doc = Some(Default::default());
            }
            screens.push(to_text(&draw(&mut app, &theme, inc.updated_at, 200, 30)));
            let context = format!(
                "step {step}, status {}, before: {:?}\nanswer ({code}): {answer}\n{}",
                inc.status, before.freeze, screens[0]
            );
            match &frozen {
                None => {
                    assert_eq!(
                        (code, answer.as_str()),
                        (0, "no deploy freeze"),
                        "{context}"
                    );
                    for s in &screens {
                        assert!(!s.contains("DEPLOYS FROZEN"), "{context}\n{s}");
                    }
                }
                Some(expected) => {
                    assert_eq!(code, 1, "{context}");
                    let kept_note = if inc.status == Status::Resolved {
                        kept += 1;
                        " (kept after the incident was resolved)"
                    } else {
                        frozen_open += 1;
                        ""
                    };
                    let tail = format!("{expected}{kept_note}");
                    // The CLI's line and the banner end the same way.
                    assert!(
                        answer.starts_with("INC-1 deploys frozen since ")
                            && answer.ends_with(&tail),
                        "{context}\nwanted …{tail}"
                    );
                    for s in &screens {
                        let banner = s
                            .lines()
                            .find(|l| l.contains("DEPLOYS FROZEN"))
                            .unwrap_or_else(|| panic!("no banner:\n{context}\n{s}"));
                        assert!(banner.trim_end().ends_with(&tail), "{context}\n{banner}");
                    }
                }
            }
            states += 1;
        }
    }
    assert_eq!(states, 30 * 12);
    assert!(
        by_mitigation > 0 && kept > 0 && lifted_by_resolve > 0 && frozen_open > 0,
        "frozen by a mitigation {by_mitigation}, kept past resolving {kept}, lifted by resolving {lifted_by_resolve}, frozen while open {frozen_open}"
    );
}

//! Clearing actions with the commander: `announce`, `answer`, `run`.

use super::{Ctx, Failure, commit_op};
use crate::model::{RequestState, RunEvidence};
use crate::ops::Op;
use crate::store::IncidentFile;
use crate::store::watch;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Post "about to: TEXT"; returns the open file and the request id.
pub fn announce(ctx: &Ctx, id: Option<&str>, text: String) -> Result<(IncidentFile, u64), Failure> {
    let file = commit_op(
        ctx,
        id,
        Op::Announce {
            text,
            mitigation: None,
        },
    )?;
    let req = file
        .incident()
        .requests
        .last()
        .map(|r| r.id)
        .expect("just announced");
    Ok((file, req))
}

/// Wait until request `req` is answered: Ok on go, a failure with status 1
/// on hold and 2 on timeout.
pub fn wait_for_answer(
    ctx: &Ctx,
    file: &mut IncidentFile,
    req: u64,
    timeout: Duration,
) -> Result<(), Failure> {
    let changes = watch::changes(ctx.store.dir(), ctx.watch_mode).map_err(|e| Failure {
        message: format!("cannot watch {}: {e}", ctx.store.dir().display()),
        code: 1,
    })?;
    let deadline = Instant::now() + timeout;
    let mut told = false;
    let mut told_away = false;
    let mut awaited: Option<String> = None;
    let after = crate::config::Team::load(ctx.store.dir())
        .map(|t| t.takeover_after)
        .unwrap_or(crate::config::TAKEOVER_AFTER);
    loop {
        file.refresh()?;
        let inc = file.incident();
        let r = inc.request(req).expect("request exists");
        match r.state {
            RequestState::Go | RequestState::Announced => return Ok(()),
            RequestState::Hold => {
                let reason = r
                    .reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default();
                let by = r.answered_by.as_deref().unwrap_or("the commander");
                return Err(Failure {
                    message: crate::sanitize::line(&format!("R{req} is on hold ({by}){reason}"))
                        .into_owned(),
                    code: 1,
                });
            }
            RequestState::Pending => {}
        }
        // Say who is awaited, and again whenever command changes hands
        // (a takeover): the request is the new commander's to answer.
        let commander = inc.commander().map(str::to_string);
        if !told || commander != awaited {
            let who = match &commander {
                Some(c) => format!("the commander ({})", crate::sanitize::line(c)),
                None => "a commander (nobody holds the role yet)".into(),
            };
            if told {
                eprintln!("R{req}: command changed hands; now waiting for {who}…");
                told_away = false;
            } else {
                eprintln!("R{req}: waiting for {who} to answer go or hold…");
            }
            told = true;
            awaited = commander;
        }
        // A minute without an answer from a commander with no view open:
        // say so, and how to take command (now, or in how long).
        let waited = chrono::Utc::now() - r.at;
        if !told_away
            && waited >= chrono::Duration::seconds(60)
            && let Some(c) = inc.commander()
        {
            let roster = crate::store::presence::roster_everywhere(ctx.store.dir(), &inc.id);
            if let Some(away) = roster.away(inc, c).minutes(chrono::Utc::now()) {
                let wait = i64::from(after) - away;
                let when = if wait > 0 {
                    format!(" in {wait}m (once away {after}m), or ask them to hand over")
                } else {
                    String::new()
                };
                eprintln!(
                    "R{req}: the commander ({}) has no view open, away {away}m: `incident role takeover commander`{when}",
                    crate::sanitize::line(c)
                );
                told_away = true;
            }
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(Failure {
                message: format!(
                    "no answer to R{req} within {}s; it is still pending",
                    timeout.as_secs()
                ),
                code: 2,
            });
        }
        // Whatever changed (or the timeout, or the minute), look again.
        let minute = (chrono::Duration::seconds(60) - waited)
            .to_std()
            .unwrap_or(Duration::from_secs(5));
        let nap = if told_away {
            left
        } else {
            left.min(minute.max(Duration::from_millis(200)))
        };
        changes.recv_timeout(nap);
    }
}

/// How much of a command's output is kept as evidence.
const KEEP_LINES: usize = 40;
const KEEP_BYTES: usize = 8 * 1024;

/// Quote a command for display so it can be pasted back into a shell.
pub fn shell_words(args: &[String]) -> String {
    args.iter()
        .map(|a| {
            let plain = !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
            if plain {
                a.clone()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Keep the last lines of output, within bounds; says whether any was dropped.
fn tail_of(bytes: &[u8]) -> (String, bool) {
    let mut truncated = false;
    let start = bytes.len().saturating_sub(KEEP_BYTES);
    if start > 0 {
        truncated = true;
    }
    let text = String::from_utf8_lossy(&bytes[start..]);
    let lines: Vec<&str> = text.lines().collect();
    let keep = lines.len().saturating_sub(KEEP_LINES);
    if keep > 0 {
        truncated = true;
    }
    let mut out = lines[keep..].join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    (crate::sanitize::text(&out).into_owned(), truncated)
}

pub use crate::ops::Clear;

/// How `incident run` goes about it.
pub struct RunOptions {
    /// Wait for the commander's go first.
    pub clear: Clear,
    /// It starts a procedure: everyone pauses first.
    pub procedure: bool,
    pub timeout: Duration,
    /// Run under this request, already asked for and answered go (an
    /// assistant's proposal, `incident mcp`): nothing is asked again, and
    /// nothing runs unless `ops::may_run` allows it.
    pub cleared: Option<u64>,
}

/// `incident run [--clear|--no-clear] [--procedure] -- CMD...`; returns
/// the command's exit status.
pub fn run(
    ctx: &Ctx,
    id: Option<&str>,
    opts: RunOptions,
    argv: Vec<String>,
) -> Result<i32, Failure> {
    let shown = shell_words(&argv);
    let mut file = ctx.store.resolve(id)?;
    let team_says = match opts.clear {
        Clear::Default => {
            crate::config::Team::load(ctx.store.dir())
                .map_err(crate::store::StoreError::Config)?
                .run_needs_go
        }
        // The flag says; the team's setting is not read.
        Clear::Always | Clear::Never => false,
    };
    let ask = crate::ops::run_needs_go(file.incident(), opts.clear, team_says);
    // Asking, it is a request the commander answers before it runs (the
    // commander's own needs no answer); without, everyone is told what
    // is about to run, and it runs.
    let req = if let Some(req) = opts.cleared {
        crate::ops::may_run(file.incident(), ctx.me.who(), req)
            .map_err(|r| Failure::from(crate::store::StoreError::Refused(r)))?;
        Some(req)
    } else if ask {
        file.commit(
            &ctx.me,
            Op::Announce {
                text: format!("run: {shown}"),
                mitigation: None,
            },
        )?;
        let req = file
            .incident()
            .requests
            .last()
            .map(|r| r.id)
            .expect("just announced");
        if file.incident().request(req).map(|r| r.state) == Some(RequestState::Pending) {
            eprintln!(
                "{}: R{req} asks the commander before running: {} (--no-clear runs it without go)",
                file.incident().id,
                crate::sanitize::line(&shown)
            );
        }
        wait_for_answer(ctx, &mut file, req, opts.timeout)?;
        Some(req)
    } else {
        if opts.clear == Clear::Default && file.incident().commander().is_none() {
            eprintln!(
                "{}: nobody commands, so nobody can clear it: running without go",
                file.incident().id
            );
        }
        let op = Op::Log {
            kind: crate::model::LogKind::Announcement,
            text: format!("about to run: {shown} (without go)"),
        };
        file.commit(&ctx.me, op)?;
        None
    };
    if opts.procedure {
        pause_before_procedure(ctx, &mut file, &shown)?;
    }
    let started_at = chrono::Utc::now();
    let start = Instant::now();
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::inherit())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let (exit, signal, output, truncated, code) = match child {
        Err(e) => {
            eprintln!(
                "incident run: cannot start {}: {e}",
                crate::sanitize::line(&argv[0])
            );
            (None, None, format!("cannot start: {e}\n"), false, 127)
        }
        Ok(mut child) => {
            let captured = std::sync::Arc::new(std::sync::Mutex::new(Vec::<u8>::new()));
            let pumps: Vec<_> = [
                child
                    .stdout
                    .take()
                    .map(|s| Box::new(s) as Box<dyn Read + Send>),
                child
                    .stderr
                    .take()
                    .map(|s| Box::new(s) as Box<dyn Read + Send>),
            ]
            .into_iter()
            .enumerate()
            .filter_map(|(i, s)| s.map(|s| (i, s)))
            .map(|(i, mut src)| {
                let captured = captured.clone();
                std::thread::spawn(move || {
                    let mut buf = [0u8; 8192];
                    while let Ok(n) = src.read(&mut buf) {
                        if n == 0 {
                            break;
                        }
                        // Pass it through as the command wrote it.
                        let _ = if i == 0 {
                            std::io::stdout().write_all(&buf[..n])
                        } else {
                            std::io::stderr().write_all(&buf[..n])
                        };
                        let mut c = captured.lock().expect("no panics while held");
                        c.extend_from_slice(&buf[..n]);
                        if c.len() > 4 * KEEP_BYTES {
                            let cut = c.len() - 2 * KEEP_BYTES;
                            c.drain(..cut);
                        }
                    }
                })
            })
            .collect();
            let status = child.wait().map_err(|e| Failure {
                message: format!("waiting for the command: {e}"),
                code: 1,
            })?;
            for p in pumps {
                let _ = p.join();
            }
            let bytes = captured.lock().expect("pumps finished").clone();
            let (output, truncated) = tail_of(&bytes);
            use std::os::unix::process::ExitStatusExt;
            let code = status
                .code()
                .unwrap_or_else(|| 128 + status.signal().unwrap_or(0));
            (status.code(), status.signal(), output, truncated, code)
        }
    };
    let evidence = RunEvidence {
        command: shown,
        started_at,
        duration_ms: start.elapsed().as_millis() as u64,
        exit,
        signal,
        output,
        truncated,
    };
    file.commit(
        &ctx.me,
        Op::Ran {
            evidence: Box::new(evidence),
            request: req,
        },
    )?;
    // Its number, for `--run #N` evidence and `:snippet #N`.
    let inc = file.incident();
    if let Some(e) = inc
        .log
        .iter()
        .rev()
        .find(|e| e.kind == crate::model::LogKind::Ran && e.by == ctx.me.who())
    {
        eprintln!("{} #{}: {}", inc.id, e.seq, crate::sanitize::line(&e.text));
    }
    Ok(code)
}

/// Everyone gets a short pause before a procedure starts; it ends on its
/// own, or when the commander skips it.
fn pause_before_procedure(ctx: &Ctx, file: &mut IncidentFile, what: &str) -> Result<(), Failure> {
    let minutes = file.incident().human.procedure_pause_minutes;
    let op = Op::StartBreak {
        kind: crate::model::BreakKind::Procedure,
        minutes,
        reason: Some(format!("before: {what}")),
    };
    match file.commit(&ctx.me, op) {
        Ok(_) => {}
        // A break is already running: pause within it.
        Err(crate::store::StoreError::Refused(crate::ops::Refusal::BreakRunning { .. })) => {}
        Err(e) => return Err(e.into()),
    }
    let changes = watch::changes(ctx.store.dir(), ctx.watch_mode).map_err(|e| Failure {
        message: format!("cannot watch {}: {e}", ctx.store.dir().display()),
        code: 1,
    })?;
    let mut told = false;
    loop {
        file.refresh()?;
        let now = chrono::Utc::now();
        let Some(b) = file.incident().break_at(now).cloned() else {
            return Ok(());
        };
        if !told {
            eprintln!(
                "Pause before the procedure until {} UTC: grab some air. (The commander can skip it: incident break end)",
                b.ends_at.format("%H:%M:%S")
            );
            told = true;
        }
        let left = (b.ends_at - now).to_std().unwrap_or_default();
        changes.recv_timeout(left.min(Duration::from_secs(1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_quoted_for_pasting_back() {
        let args: Vec<String> = ["kubectl", "rollout", "undo", "deploy/payments", "it's here"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            shell_words(&args),
            "kubectl rollout undo deploy/payments 'it'\\''s here'"
        );
    }

    #[test]
    fn output_keeps_the_last_lines_sanitized() {
        let many: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let (out, truncated) = tail_of(many.as_bytes());
        assert!(truncated);
        assert_eq!(out.lines().count(), KEEP_LINES);
        assert!(out.ends_with("line 99\n"));
        let (out, _) = tail_of(b"\x1b[31mred\n");
        assert_eq!(out, "␛[31mred\n");
    }
}

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
/// on hold and 2 on timeout. Ctrl-C, SIGTERM or SIGHUP (a dropped SSH
/// session) while waiting withdraws the request ("withdrawn: carol
/// stopped waiting") and fails with 128 + the signal. While it waits, a
/// presence file says so, so a request whose waiting process died is
/// shown as stale.
pub fn wait_for_answer(
    ctx: &Ctx,
    file: &mut IncidentFile,
    req: u64,
    timeout: Duration,
) -> Result<(), Failure> {
    let stop = StopSignals::get();
    // Presence is a courtesy: without it the request is never shown stale.
    let _waiting =
        crate::store::presence::wait_on(ctx.store.dir(), &file.incident().id, &ctx.me, req).ok();
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
    let mut looked_away = Instant::now() - AWAY_EVERY;
    let mut looked_at_minute = false;
    loop {
        if let Some(sig) = stop.and_then(StopSignals::take) {
            return Err(withdraw(ctx, file, req, sig));
        }
        file.refresh()?;
        let inc = file.incident();
        let r = inc.request(req).ok_or_else(|| Failure {
            message: format!("R{req} is no longer in {}", inc.id),
            code: 1,
        })?;
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
            RequestState::Withdrawn => {
                return Err(Failure {
                    message: format!("R{req} was withdrawn"),
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
                say(&format!(
                    "R{req}: command changed hands; now waiting for {who}…"
                ));
                told_away = false;
            } else {
                say(&format!(
                    "R{req}: waiting for {who} to answer go or hold… (Ctrl-C withdraws it)"
                ));
            }
            told = true;
            awaited = commander;
        }
        // A commander with no view open: say so, and how to take command
        // (now, or in how long), as the view's Waiting pane does: once the
        // request has waited a minute, or at once when they have been
        // away a minute already.
        let waited = chrono::Utc::now() - r.at;
        let minute_up = waited >= chrono::Duration::seconds(60);
        if !told_away
            && (looked_away.elapsed() >= AWAY_EVERY || (minute_up && !looked_at_minute))
            && let Some(c) = inc.commander()
        {
            looked_away = Instant::now();
            looked_at_minute |= minute_up;
            let roster = crate::store::presence::roster_everywhere(ctx.store.dir(), &inc.id);
            let away = roster.away(inc, c).minutes(chrono::Utc::now());
            let due = minute_up || away.is_some_and(|m| m >= 1);
            if due && let Some(note) = away_note(inc, c, &roster, after) {
                say(&format!("R{req}: {note}"));
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
        // Whatever changed (or the timeout, or a look at who is away),
        // look again; a stop signal is heard within a fraction of a second.
        let minute = (chrono::Duration::seconds(60) - waited)
            .to_std()
            .unwrap_or(AWAY_EVERY);
        let nap = if told_away {
            left
        } else {
            left.min(AWAY_EVERY.min(minute.max(Duration::from_millis(200))))
        };
        nap_until_change(&changes, stop, nap);
    }
}

/// How often a waiting process looks whether the commander is away.
const AWAY_EVERY: Duration = Duration::from_secs(20);

/// "the commander (carol) has no view open, away 12m: `incident role
/// takeover commander` in 3m (once away 5m), or ask them to hand over";
/// None while the commander has a view open.
pub fn away_note(
    inc: &crate::model::Incident,
    commander: &str,
    roster: &crate::store::presence::Roster,
    takeover_after: u32,
) -> Option<String> {
    let away = roster.away(inc, commander).minutes(chrono::Utc::now())?;
    let wait = i64::from(takeover_after) - away;
    let when = if wait > 0 {
        format!(" in {wait}m (once away {takeover_after}m), or ask them to hand over")
    } else {
        " to answer it yourself".to_string()
    };
    Some(format!(
        "the commander ({}) has no view open, away {}: `incident role takeover commander`{when}",
        crate::sanitize::line(commander),
        crate::model::away::span(away)
    ))
}

/// Wait up to `nap` for a change, waking for a stop signal.
fn nap_until_change(changes: &watch::Changes, stop: Option<&StopSignals>, nap: Duration) {
    let until = Instant::now() + nap;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stop.is_some_and(StopSignals::pending) {
            return;
        }
        if !changes
            .recv_timeout(left.min(Duration::from_millis(200)))
            .is_empty()
        {
            return;
        }
    }
}

/// Write to stderr, never failing (a dropped SSH session has no terminal
/// left to write to).
fn say(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

/// The asker stopped waiting on `req` (signal `sig`): withdraw it, logged,
/// and the failure to end with (128 + the signal, as a shell reports it).
fn withdraw(ctx: &Ctx, file: &mut IncidentFile, req: u64, sig: i32) -> Failure {
    let code = 128 + sig;
    let _ = file.refresh();
    let pending = file.incident().request(req).map(|r| r.state) == Some(RequestState::Pending);
    let message = if !pending {
        format!("stopped waiting for R{req}")
    } else {
        match file.commit(&ctx.me, Op::WithdrawRequest { request: req }) {
            Ok(_) => format!(
                "R{req} withdrawn: you stopped waiting, so the commander is no longer asked"
            ),
            Err(e) => format!(
                "stopped waiting for R{req}, but could not withdraw it ({}): withdraw it by hand or ask the commander to hold it",
                crate::ops::Render::render(&e, crate::ops::Surface::Cli)
            ),
        }
    };
    // A hung-up terminal takes no message.
    let hung_up = sig == nix::sys::signal::Signal::SIGHUP as i32;
    Failure {
        message: if hung_up { String::new() } else { message },
        code,
    }
}

/// Ctrl-C, SIGTERM and SIGHUP, heard by this process from the first
/// wait on: a waiting `run` or `announce --wait` withdraws its request
/// instead of dying with it pending. Once heard, a command `incident run`
/// started gets SIGTERM and SIGHUP passed on (Ctrl-C reaches it from the
/// terminal by itself).
pub struct StopSignals {
    /// The signal heard and not yet taken (0: none).
    heard: std::sync::Arc<std::sync::atomic::AtomicI32>,
    /// The command `incident run` is running (0: none).
    child: std::sync::Arc<std::sync::atomic::AtomicI32>,
}

impl StopSignals {
    /// The process's listener, started on first use; None if signals
    /// cannot be listened for (the process then dies as it always did).
    pub fn get() -> Option<&'static StopSignals> {
        static STOP: std::sync::OnceLock<Option<StopSignals>> = std::sync::OnceLock::new();
        STOP.get_or_init(StopSignals::listen).as_ref()
    }

    fn listen() -> Option<StopSignals> {
        use nix::sys::signal::Signal;
        use std::sync::atomic::Ordering;
        use tokio::signal::unix::{SignalKind, signal};
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .ok()?;
        let heard = std::sync::Arc::new(std::sync::atomic::AtomicI32::new(0));
        let child = std::sync::Arc::new(std::sync::atomic::AtomicI32::new(0));
        let (to_heard, to_child) = (heard.clone(), child.clone());
        // Registered here, before returning, so no signal is missed.
        let (mut int, mut term, mut hup) = rt.block_on(async {
            Some((
                signal(SignalKind::interrupt()).ok()?,
                signal(SignalKind::terminate()).ok()?,
                signal(SignalKind::hangup()).ok()?,
            ))
        })?;
        std::thread::spawn(move || {
            rt.block_on(async move {
                loop {
                    let sig = tokio::select! {
                        _ = int.recv() => Signal::SIGINT,
                        _ = term.recv() => Signal::SIGTERM,
                        _ = hup.recv() => Signal::SIGHUP,
                    };
                    let pid = to_child.load(Ordering::SeqCst);
                    if pid > 0 && sig != Signal::SIGINT {
                        let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), sig);
                    }
                    to_heard.store(sig as i32, Ordering::SeqCst);
                }
            });
        });
        Some(StopSignals { heard, child })
    }

    /// The stop signal heard since last asked, if any.
    pub fn take(&self) -> Option<i32> {
        match self.heard.swap(0, std::sync::atomic::Ordering::SeqCst) {
            0 => None,
            sig => Some(sig),
        }
    }

    /// A stop signal waits to be taken.
    fn pending(&self) -> bool {
        self.heard.load(std::sync::atomic::Ordering::SeqCst) != 0
    }
}

/// How much of a command's output the incident file keeps: its first
/// [`HEAD_LINES`] and last [`TAIL_LINES`] lines, each cut at
/// [`LINE_BYTES`], with a line saying how many were left out between.
pub const HEAD_LINES: usize = 10;
pub const TAIL_LINES: usize = 30;
pub const LINE_BYTES: usize = 400;

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

/// A command's output as it streams in, kept within bounds: the first
/// and last lines, each cut to a length, counting what is left out.
#[derive(Debug, Default)]
pub struct Capture {
    head: Vec<String>,
    tail: std::collections::VecDeque<String>,
    /// Lines left out between head and tail.
    left_out: usize,
    /// Some line was cut short.
    cut: bool,
    /// The line being read (up to LINE_BYTES of it).
    partial: Vec<u8>,
    partial_cut: bool,
}

impl Capture {
    pub fn push(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if b == b'\n' {
                self.end_line();
            } else if self.partial.len() < LINE_BYTES {
                self.partial.push(b);
            } else {
                self.partial_cut = true;
            }
        }
    }

    fn end_line(&mut self) {
        let mut line = String::from_utf8_lossy(&self.partial).into_owned();
        if self.partial_cut {
            line.push('…');
            self.cut = true;
        }
        self.partial.clear();
        self.partial_cut = false;
        if self.head.len() < HEAD_LINES {
            self.head.push(line);
            return;
        }
        self.tail.push_back(line);
        if self.tail.len() > TAIL_LINES {
            self.tail.pop_front();
            self.left_out += 1;
        }
    }

    /// The output as kept (sanitized), and whether any was left out or cut.
    pub fn finish(mut self) -> (String, bool) {
        if !self.partial.is_empty() {
            self.end_line();
        }
        let mut out = String::new();
        for l in &self.head {
            out.push_str(l);
            out.push('\n');
        }
        if self.left_out > 0 {
            out.push_str(&format!(
                "[… {} lines left out: the first {HEAD_LINES} and last {TAIL_LINES} are kept …]\n",
                self.left_out
            ));
        }
        for l in &self.tail {
            out.push_str(l);
            out.push('\n');
        }
        (
            crate::sanitize::text(&out).into_owned(),
            self.left_out > 0 || self.cut,
        )
    }
}

/// Keep the output within bounds (see [`Capture`]); says whether any was
/// left out.
pub fn bounded(bytes: &[u8]) -> (String, bool) {
    let mut c = Capture::default();
    c.push(bytes);
    c.finish()
}

pub use crate::ops::{Clear, RunDecision};

/// How `incident run` goes about it.
pub struct RunOptions {
    /// Wait for the commander's go first.
    pub clear: Clear,
    /// It starts a procedure: everyone pauses first.
    pub procedure: bool,
    pub timeout: Duration,
    /// `--for M1`: run under the go given for this mitigation.
    pub mitigation: Option<u64>,
    /// Pass the command's output through to this process's stdout and
    /// stderr as it comes (the CLI); off, it is only kept (a caller that
    /// speaks a protocol on stdout, like `incident mcp`).
    pub echo: bool,
}

/// What a run came to.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The command's exit status (128 + signal when killed, 127 when it
    /// could not start), as a shell would report it.
    pub code: i32,
    /// What was recorded: the command, how it ended, its output as kept.
    pub evidence: RunEvidence,
    /// The log entry it was recorded as (`#N`, for `:snippet #N`).
    pub entry: Option<u64>,
    /// The request it ran under, if any.
    pub request: Option<u64>,
}

/// How a run is cleared in `file`'s incident, decided from the team's
/// settings, the flag given and `--for`; reads `incident.toml`.
pub fn decide(
    ctx: &Ctx,
    file: &IncidentFile,
    argv: &[String],
    clear: Clear,
    mitigation: Option<u64>,
) -> Result<RunDecision, Failure> {
    let team =
        crate::config::Team::load(ctx.store.dir()).map_err(crate::store::StoreError::Config)?;
    let rules = crate::ops::RunTeam {
        needs_go: team.run_needs_go,
        without_go: &team.run_without_go,
        go_valid_for: chrono::Duration::minutes(i64::from(team.go_valid_for)),
    };
    crate::ops::decide_run(
        file.incident(),
        argv,
        clear,
        rules,
        mitigation,
        chrono::Utc::now(),
    )
    .map_err(|r| crate::store::StoreError::Refused(r).into())
}

/// A request for the commander's go to run `argv` ("run: CMD"), made
/// without waiting; returns its number. (The commander's own is
/// announced and needs no answer.) `mitigation`: the run is for it, and
/// the go will cover its later runs too.
pub fn propose(
    ctx: &Ctx,
    file: &mut IncidentFile,
    argv: &[String],
    mitigation: Option<u64>,
) -> Result<u64, Failure> {
    file.commit(
        &ctx.me,
        Op::Announce {
            text: format!("run: {}", shell_words(argv)),
            mitigation,
        },
    )?;
    Ok(file
        .incident()
        .requests
        .last()
        .map(|r| r.id)
        .unwrap_or_default())
}

/// Whether request `req` clears running `argv` now (the rule:
/// [`crate::ops::request_clears`]). The error says why not (pending, on
/// hold, withdrawn, another command).
pub fn go_given(file: &IncidentFile, req: u64, argv: &[String]) -> Result<(), Failure> {
    use crate::ops::NotCleared;
    let wanted = format!("run: {}", shell_words(argv));
    match crate::ops::request_clears(file.incident(), req, &wanted) {
        Ok(()) => Ok(()),
        Err(NotCleared::NoSuchRequest) => Err(crate::store::StoreError::Refused(
            crate::ops::Refusal::NoSuchRequest { id: req },
        )
        .into()),
        Err(NotCleared::AskedFor(text)) => Err(Failure {
            message: crate::sanitize::line(&format!(
                "R{req} asked for \"{text}\", not \"{wanted}\""
            ))
            .into_owned(),
            code: 1,
        }),
        Err(NotCleared::NoGo(state)) => Err(Failure {
            message: format!(
                "R{req} has no go ({}): it runs only after the commander's go",
                crate::ops::state_name(state)
            ),
            code: 1,
        }),
    }
}

/// Run `argv` under request `req` once its go is given (see [`go_given`]),
/// recorded as cleared by that go. For a caller that proposed the run
/// earlier ([`propose`]) and comes back to run it.
pub fn run_proposed(
    ctx: &Ctx,
    id: Option<&str>,
    req: u64,
    argv: &[String],
    echo: bool,
) -> Result<Outcome, Failure> {
    let mut file = ctx.store.resolve(id)?;
    go_given(&file, req, argv)?;
    let mitigation = file
        .incident()
        .mitigations
        .iter()
        .find(|m| m.request == Some(req))
        .map(|m| m.id);
    execute(
        ctx,
        &mut file,
        argv,
        Recorded {
            request: Some(req),
            rule: None,
            mitigation,
        },
        echo,
    )
}

/// How a run is recorded as cleared.
#[derive(Debug, Clone, Default)]
pub struct Recorded {
    /// The request whose go (or announcement) cleared it.
    pub request: Option<u64>,
    /// The team's read-only pattern it matched.
    pub rule: Option<String>,
    /// The mitigation it ran for.
    pub mitigation: Option<u64>,
}

/// `incident run [--clear|--no-clear] [--for M1] [--procedure] -- CMD...`:
/// decide, ask and wait when it must, run, record; the whole outcome.
pub fn clear_and_run(
    ctx: &Ctx,
    id: Option<&str>,
    opts: &RunOptions,
    argv: &[String],
) -> Result<Outcome, Failure> {
    if argv.is_empty() {
        return Err(Failure::usage("no command given: incident run -- CMD"));
    }
    let shown = shell_words(argv);
    let mut file = ctx.store.resolve(id)?;
    let decision = decide(ctx, &file, argv, opts.clear, opts.mitigation)?;
    let inc_id = file.incident().id.clone();
    let recorded = match decision {
        RunDecision::Ask { note } => {
            if let Some(n) = note {
                say(&format!("{inc_id}: {n}: asking anew"));
            }
            let req = propose(ctx, &mut file, argv, opts.mitigation)?;
            if file.incident().request(req).map(|r| r.state) == Some(RequestState::Pending) {
                say(&format!(
                    "{inc_id}: R{req} asks the commander before running: {} (--no-clear runs it without go)",
                    crate::sanitize::line(&shown)
                ));
            }
            wait_for_answer(ctx, &mut file, req, opts.timeout)?;
            Recorded {
                request: Some(req),
                rule: None,
                mitigation: opts.mitigation,
            }
        }
        RunDecision::ReadOnly { rule } => {
            say(&format!(
                "{inc_id}: read-only by team rule ({}): running without asking",
                crate::sanitize::line(&rule)
            ));
            Recorded {
                request: None,
                rule: Some(rule),
                mitigation: opts.mitigation,
            }
        }
        RunDecision::UnderGo {
            request,
            mitigation,
            by,
        } => {
            say(&format!(
                "{inc_id}: running under {}'s go for M{mitigation} (R{request})",
                crate::sanitize::line(&by)
            ));
            Recorded {
                request: Some(request),
                rule: None,
                mitigation: Some(mitigation),
            }
        }
        RunDecision::Without { nobody_commands } => {
            if nobody_commands {
                say(&format!(
                    "{inc_id}: nobody commands, so nobody can clear it: running without go"
                ));
            }
            let op = Op::Log {
                kind: crate::model::LogKind::Announcement,
                text: format!("about to run: {shown} (without go)"),
            };
            file.commit(&ctx.me, op)?;
            Recorded {
                request: None,
                rule: None,
                mitigation: opts.mitigation,
            }
        }
    };
    if opts.procedure {
        pause_before_procedure(ctx, &mut file, &shown)?;
    }
    execute(ctx, &mut file, argv, recorded, opts.echo)
}

/// `incident run`: [`clear_and_run`], saying the entry it was recorded
/// as; returns the command's exit status.
pub fn run(
    ctx: &Ctx,
    id: Option<&str>,
    opts: RunOptions,
    argv: Vec<String>,
) -> Result<i32, Failure> {
    let outcome = clear_and_run(ctx, id, &opts, &argv)?;
    Ok(outcome.code)
}

/// Run `argv` now and record it in `file` as `recorded` says; the
/// output passes through when `echo`.
pub fn execute(
    ctx: &Ctx,
    file: &mut IncidentFile,
    argv: &[String],
    recorded: Recorded,
    echo: bool,
) -> Result<Outcome, Failure> {
    let shown = shell_words(argv);
    // Listening before the command starts: a SIGTERM or SIGHUP meant for
    // this process reaches the command too, and the run is still recorded.
    let stop = StopSignals::get();
    let started_at = chrono::Utc::now();
    let start = Instant::now();
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(if echo {
            Stdio::inherit()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let (exit, signal, output, truncated, code) = match child {
        Err(e) => {
            say(&format!(
                "incident run: cannot start {}: {e}",
                crate::sanitize::line(&argv[0])
            ));
            (None, None, format!("cannot start: {e}\n"), false, 127)
        }
        Ok(mut child) => {
            if let Some(s) = stop {
                s.child.store(
                    i32::try_from(child.id()).unwrap_or(0),
                    std::sync::atomic::Ordering::SeqCst,
                );
            }
            let captured = std::sync::Arc::new(std::sync::Mutex::new(Capture::default()));
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
                        if echo {
                            let _ = if i == 0 {
                                std::io::stdout().write_all(&buf[..n])
                            } else {
                                std::io::stderr().write_all(&buf[..n])
                            };
                        }
                        if let Ok(mut c) = captured.lock() {
                            c.push(&buf[..n]);
                        }
                    }
                })
            })
            .collect();
            let status = child.wait();
            if let Some(s) = stop {
                s.child.store(0, std::sync::atomic::Ordering::SeqCst);
            }
            let status = status.map_err(|e| Failure {
                message: format!("waiting for the command: {e}"),
                code: 1,
            })?;
            for p in pumps {
                let _ = p.join();
            }
            let capture = match std::sync::Arc::try_unwrap(captured) {
                Ok(m) => m.into_inner().unwrap_or_default(),
                Err(shared) => shared
                    .lock()
                    .map(|mut c| std::mem::take(&mut *c))
                    .unwrap_or_default(),
            };
            let (output, truncated) = capture.finish();
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
        rule: recorded.rule,
        mitigation: recorded.mitigation,
    };
    file.commit(
        &ctx.me,
        Op::Ran {
            evidence: Box::new(evidence.clone()),
            request: recorded.request,
        },
    )?;
    // Its number, for `--run #N` evidence and `:snippet #N`.
    let inc = file.incident();
    let entry = inc
        .log
        .iter()
        .rev()
        .find(|e| e.kind == crate::model::LogKind::Ran && e.by == ctx.me.who())
        .map(|e| {
            say(&format!(
                "{} #{}: {}",
                inc.id,
                e.seq,
                crate::sanitize::line(&e.text)
            ));
            e.seq
        });
    Ok(Outcome {
        code,
        evidence,
        entry,
        request: recorded.request,
    })
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
    fn waiting_says_the_commander_is_away_and_how_to_take_over() {
        let now = chrono::Utc::now();
        let mut inc = crate::model::Incident::declared(
            "INC-1",
            "t",
            crate::model::Severity::Sev2,
            now - chrono::Duration::minutes(10),
            "carol",
        );
        inc.roles.insert(
            crate::model::Role::Commander,
            crate::model::RoleHolder {
                user: "carol".into(),
                since: now - chrono::Duration::minutes(10),
            },
        );
        let nobody = crate::store::presence::Roster::default();
        let note = away_note(&inc, "carol", &nobody, 5).unwrap();
        assert_eq!(
            note,
            "the commander (carol) has no view open, away 10m: `incident role takeover commander` to answer it yourself"
        );
        let note = away_note(&inc, "carol", &nobody, 30).unwrap();
        assert!(
            note.ends_with("`incident role takeover commander` in 20m (once away 30m), or ask them to hand over"),
            "{note}"
        );
        // With a view open, nothing to say.
        let here = crate::store::presence::Roster {
            here: vec![crate::store::presence::Here {
                actor: crate::model::Actor::named("carol"),
                joined_at: now,
                pid: 1,
            }],
            ..Default::default()
        };
        assert_eq!(away_note(&inc, "carol", &here, 5), None);
    }

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
    fn output_keeps_the_first_and_last_lines_sanitized() {
        let many: String = (0..100).map(|i| format!("line {i}\n")).collect();
        let (out, truncated) = bounded(many.as_bytes());
        assert!(truncated);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), HEAD_LINES + 1 + TAIL_LINES);
        assert_eq!(lines[0], "line 0");
        assert_eq!(lines[HEAD_LINES - 1], "line 9");
        assert!(lines[HEAD_LINES].contains("60 lines left out"), "{out}");
        assert!(out.ends_with("line 99\n"));
        let (out, truncated) = bounded(b"\x1b[31mred\n");
        assert_eq!(out, "␛[31mred\n");
        assert!(!truncated);
        // A last line without its newline is kept.
        assert_eq!(bounded(b"a\nb").0, "a\nb\n");
        // A line too long is cut, and said to be.
        let long = vec![b'x'; LINE_BYTES * 3];
        let (out, truncated) = bounded(&long);
        assert!(truncated);
        assert_eq!(out.trim_end().chars().count(), LINE_BYTES + 1);
        // However much comes in, the kept output stays bounded, and so
        // does what is held while it streams.
        let mut c = Capture::default();
        for _ in 0..10_000 {
            c.push(&vec![b'y'; 1000]);
            c.push(b"\n");
        }
        assert!(c.tail.len() <= TAIL_LINES && c.head.len() <= HEAD_LINES);
        let (out, _) = c.finish();
        assert!(out.len() < (HEAD_LINES + TAIL_LINES + 1) * (LINE_BYTES + 8));
    }
}

//! The tools that write, each only what anyone may: built by the shared
//! grammar (`crate::verbs`) as the command line builds them, committed
//! under the assistant's name, and judged by `ops::rules` like any
//! responder's write. Its text is untrusted: sanitized and cut to size
//! first.

use super::words;
use crate::cli::args::{AnnounceArgs, AssumeArgs, LogArgs, RefuteArgs, VerifyArgs, Which};
use crate::cli::clearance;
use crate::cli::{Command, Ctx, Failure, commit_op};
use crate::model::refs::{AssumptionRef, EntryRef, RequestRef};
use crate::model::{LogKind, RequestState};
use crate::ops::Op;
use crate::store::IncidentFile;
use crate::store::presence::WaitGuard;
use crate::verbs::{Act, Built, Said};

/// Longest note, assumption or evidence an assistant writes (bytes;
/// longer is cut, saying so).
pub const MAX_TEXT: usize = 4096;

fn which(id: Option<&str>) -> Which {
    Which {
        id: id.map(str::to_string),
    }
}

fn untrusted(text: &str) -> String {
    crate::sanitize::untrusted(text.trim(), MAX_TEXT, true)
}

/// Build `cmd` with the shared grammar and commit it as the assistant.
fn write(ctx: &Ctx, cmd: Command) -> Result<IncidentFile, Failure> {
    match crate::verbs::build(cmd, ctx.me.who(), &Said::Cli) {
        Built::Act(which, Act::Op(op)) => commit_op(ctx, which.id.as_deref(), op),
        Built::Refused(m) => Err(Failure::usage(m)),
        other => Err(Failure::usage(format!(
            "{other:?}: not a single write (a bug: please report it)"
        ))),
    }
}

/// A note in the log; returns its entry ("#12").
pub fn note(ctx: &Ctx, id: Option<&str>, text: &str) -> Result<String, Failure> {
    let file = write(
        ctx,
        Command::Log(LogArgs {
            which: which(id),
            kind: LogKind::Note,
            text: vec![untrusted(text)],
        }),
    )?;
    let inc = file.incident();
    Ok(format!(
        "{} #{}: noted as {}",
        inc.id,
        inc.log.len(),
        ctx.me.who()
    ))
}

/// An assumption, unverified until checked; returns its id ("A3").
pub fn assume(
    ctx: &Ctx,
    id: Option<&str>,
    text: &str,
    source: Option<&str>,
) -> Result<String, Failure> {
    let file = write(
        ctx,
        Command::Assume(AssumeArgs {
            which: which(id),
            source: source.map(|s| crate::sanitize::untrusted(s.trim(), 200, false)),
            text: vec![untrusted(text)],
        }),
    )?;
    let inc = file.incident();
    Ok(format!(
        "{} A{}: recorded as unverified",
        inc.id,
        inc.assumptions.len()
    ))
}

/// Verify (`holds`) or refute an assumption with evidence, optionally a
/// run's log entry ("#12") that shows it.
pub fn check(
    ctx: &Ctx,
    id: Option<&str>,
    assumption: &str,
    holds: bool,
    evidence: &str,
    run: Option<&str>,
) -> Result<String, Failure> {
    let a: AssumptionRef = assumption.trim().parse().map_err(Failure::usage)?;
    let run: Option<EntryRef> = run
        .map(|r| r.trim().parse().map_err(Failure::usage))
        .transpose()?;
    let check = crate::verbs::Check {
        assumption: a,
        run,
        evidence: vec![untrusted(evidence)],
    };
    let cmd = if holds {
        Command::Verify(VerifyArgs {
            which: which(id),
            check,
        })
    } else {
        Command::Refute(RefuteArgs {
            which: which(id),
            check,
        })
    };
    let file = write(ctx, cmd)?;
    let inc = file.incident();
    let verdict = if holds { "verified" } else { "refuted" };
    Ok(format!("{} A{}: {verdict}", inc.id, a.0))
}

/// Ask the commander's go for `argv`, with `reason`: a request like any
/// other, marked as the assistant's; returns its id ("R4").
pub fn propose(
    ctx: &Ctx,
    id: Option<&str>,
    argv: &[String],
    reason: &str,
    proposals: &Proposals,
) -> Result<String, Failure> {
    let text = words::request_text(argv, reason).map_err(Failure::usage)?;
    let file = write(
        ctx,
        Command::Announce(AnnounceArgs {
            which: which(id),
            wait: false,
            timeout: 0,
            text: vec![text],
        }),
    )?;
    let inc = file.incident();
    let r = inc.requests.last().map(|r| r.id).unwrap_or_default();
    proposals.add(ctx, &inc.id, r);
    let who = match inc.commander() {
        Some(c) => format!("the commander ({c})"),
        None => "a commander (nobody commands yet)".into(),
    };
    Ok(format!(
        "{} R{r}: asked {who} for a go. Call run with request R{r} once it is answered go (state shows the answer).",
        inc.id
    ))
}

/// The proposals of this session, each waited on (as `incident run`
/// waits on its request) while the session lasts: when the assistant's
/// process is gone without a word (killed), its proposals are stale, and
/// when its session ends, those still unanswered are withdrawn, so nobody
/// is asked for a go that nobody would act on.
#[derive(Default)]
pub struct Proposals(std::sync::Mutex<Vec<(String, u64, Option<WaitGuard>)>>);

impl Proposals {
    fn add(&self, ctx: &Ctx, incident: &str, request: u64) {
        let guard = crate::store::presence::wait_on(ctx.store.dir(), incident, &ctx.me, request);
        if let Ok(mut all) = self.0.lock() {
            all.push((incident.to_string(), request, guard.ok()));
        }
    }

    /// The session ended: withdraw each proposal still waiting for an
    /// answer. Returns what could not be withdrawn, said as why.
    pub fn withdraw(&self, ctx: &Ctx) -> Vec<String> {
        let taken = match self.0.lock() {
            Ok(mut all) => std::mem::take(&mut *all),
            Err(_) => return vec!["the session's proposals could not be read".into()],
        };
        let mut problems = Vec::new();
        for (incident, request, guard) in taken {
            let pending = |f: &IncidentFile| {
                f.incident()
                    .request(request)
                    .is_some_and(|r| r.state == RequestState::Pending)
            };
            match ctx.store.open(&incident) {
                Ok(mut f) if pending(&f) => {
                    if let Err(e) = f.commit(&ctx.me, Op::WithdrawRequest { request }) {
                        problems.push(format!("{incident} R{request}: {e}"));
                    }
                }
                Ok(_) => {}
                Err(e) => problems.push(format!("{incident} R{request}: {e}")),
            }
            drop(guard);
        }
        problems
    }
}

/// What `run` returns: the command's exit status and its output as
/// recorded in the log.
pub struct Ran {
    pub text: String,
    pub ok: bool,
}

/// Run proposal `request` after the commander's go, through `incident
/// run`'s own path (recorded as a run under that request). Before the go,
/// or on hold, refused with the reason, and nothing runs.
pub fn run(ctx: &Ctx, id: Option<&str>, request: &str) -> Result<Ran, Failure> {
    let req: RequestRef = request.trim().parse().map_err(Failure::usage)?;
    let req = req.0;
    let file = ctx.store.resolve(id)?;
    let inc = file.incident();
    let inc_id = inc.id.clone();
    crate::ops::may_run(inc, ctx.me.who(), req)
        .map_err(|r| Failure::from(crate::store::StoreError::Refused(r)))?;
    let text = inc.request(req).map(|r| r.text.clone()).unwrap_or_default();
    let Some(argv) = words::command_of(&text) else {
        return Err(Failure::usage(format!(
            "R{req} is not a command proposed with propose: nothing to run"
        )));
    };
    // Its output is kept, not passed through: standard output is the
    // protocol's.
    let outcome = clearance::run_proposed(ctx, Some(&inc_id), req, &argv, false)?;
    let ev = &outcome.evidence;
    let entry = outcome.entry.map(|e| format!(" #{e}")).unwrap_or_default();
    let mut text = format!(
        "{inc_id}{entry}: exit {}\n$ {}\n{}",
        outcome.code,
        ev.command,
        crate::sanitize::text(&ev.output)
    );
    if ev.truncated {
        text.push_str("(some of the output was cut)\n");
    }
    let code = outcome.code;
    Ok(Ran {
        text,
        ok: code == 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, Role, Severity};
    use crate::ops::Op;
    use crate::store::{Intro, Store, watch::WatchMode};

    fn ctx(dir: &std::path::Path, me: Actor) -> Ctx {
        Ctx {
            store: Store::new(dir),
            me,
            watch_mode: WatchMode::Poll(crate::store::watch::DEFAULT_POLL),
            theme: None,
        }
    }

    /// An incident declared in `dir` with alice as its commander: her
    /// context, the file and its id.
    fn commanded(dir: &std::path::Path) -> (Ctx, crate::store::IncidentFile, String) {
        let alice = ctx(dir, Actor::named("alice"));
        let mut file = alice
            .store
            .declare_as(
                &alice.me,
                "Checkout errors",
                Severity::Sev2,
                Intro::default(),
            )
            .unwrap();
        file.commit(
            &alice.me,
            Op::ClaimRole {
                role: Role::Commander,
            },
        )
        .unwrap();
        let id = file.incident().id.clone();
        (alice, file, id)
    }

    #[test]
    fn a_proposal_runs_only_after_the_commanders_go_and_once() {
        let tmp = tempfile::tempdir().unwrap();
        let (alice, mut file, id) = commanded(tmp.path());
        let ai = ctx(tmp.path(), Actor::assistant_for(&Actor::named("alice")));
        let argv: Vec<String> = ["sh", "-c", "echo checked; exit 3"]
            .map(String::from)
            .to_vec();
        let proposals = Proposals::default();
        let said = propose(&ai, Some(&id), &argv, "see what it says", &proposals).unwrap();
        assert!(said.contains("R1: asked the commander (alice)"), "{said}");
        // Acting for the commander is not being the commander.
        let early = run(&ai, Some(&id), "R1").err().unwrap().message;
        assert!(early.contains("R1 has no go yet"), "{early}");
        file.refresh().unwrap();
        file.commit(
            &alice.me,
            Op::Answer {
                request: 1,
                go: true,
                reason: None,
            },
        )
        .unwrap();
        let ran = run(&ai, Some(&id), "1").unwrap();
        assert!(!ran.ok);
        assert!(
            ran.text.contains("exit 3") && ran.text.contains("checked\n"),
            "{}",
            ran.text
        );
        let again = run(&ai, Some(&id), "R1").err().unwrap().message;
        assert!(again.contains("R1 already ran"), "{again}");
        file.refresh().unwrap();
        let last = file.incident().log.last().unwrap();
        assert_eq!(last.by, "assistant (for alice)");
        // Its text is untrusted: sanitized on the way in.
        let n = note(&ai, Some(&id), "a\u{1b}[2Jb").unwrap();
        assert!(n.contains("noted as assistant (for alice)"), "{n}");
        file.refresh().unwrap();
        assert_eq!(file.incident().log.last().unwrap().text, "a␛[2Jb");
    }

    #[test]
    fn what_it_proposed_is_waited_on_and_withdrawn_when_its_session_ends() {
        let tmp = tempfile::tempdir().unwrap();
        let (alice, mut file, id) = commanded(tmp.path());
        let ai = ctx(tmp.path(), Actor::assistant_for(&Actor::named("bob")));
        let proposals = Proposals::default();
        let argv = |w: &str| vec!["kubectl".to_string(), "get".into(), w.into()];
        propose(&ai, Some(&id), &argv("pods"), "see them", &proposals).unwrap();
        propose(&ai, Some(&id), &argv("nodes"), "see them", &proposals).unwrap();
        // While the session lasts, someone waits on each: not stale.
        let waits = crate::store::presence::waits(tmp.path(), &id);
        assert!(
            crate::ops::stale_requests(file.incident(), waits.clone()).is_empty()
                && waits.len() == 2,
            "{waits:?}"
        );
        file.refresh().unwrap();
        file.commit(
            &alice.me,
            Op::Answer {
                request: 1,
                go: true,
                reason: None,
            },
        )
        .unwrap();
        // The session ends: R2, unanswered, is withdrawn; R1 keeps its go.
        assert_eq!(proposals.withdraw(&ai), Vec::<String>::new());
        file.refresh().unwrap();
        let inc = file.incident();
        assert_eq!(inc.request(1).unwrap().state, RequestState::Go);
        assert_eq!(inc.request(2).unwrap().state, RequestState::Withdrawn);
        assert!(
            inc.log
                .last()
                .unwrap()
                .text
                .starts_with("withdrawn: assistant (for bob) stopped waiting: R2"),
            "{}",
            inc.log.last().unwrap().text
        );
        assert!(crate::store::presence::waits(tmp.path(), &id).is_empty());
    }
}

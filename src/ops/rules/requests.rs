//! Requests for go: announcing what you are about to do, the commander answering, and what was run.

use super::*;

pub(super) fn check(inc: &Incident, rec: &Record, who: &str) -> Result<(), Refusal> {
    match &rec.op {
        Op::Announce { text, mitigation } => {
            if let Some(id) = mitigation {
                mitigation_of(inc, *id)?;
            }
            check_text("announcement", text)
        }
        Op::Answer {
            request, reason, ..
        } => {
            let Some(req) = inc.request(*request) else {
                return Err(Refusal::NoSuchRequest { id: *request });
            };
            if req.state != RequestState::Pending {
                return Err(Refusal::AlreadyAnswered {
                    id: *request,
                    state: state_name(req.state),
                });
            }
            match inc.commander() {
                None => return Err(Refusal::NoCommanderToAnswer { id: *request }),
                Some(c) if c != who => {
                    return Err(Refusal::NotCommander {
                        action: "answer requests",
                        commander: c.to_string(),
                    });
                }
                Some(_) => {}
            }
            match reason {
                Some(r) => check_text("reason", r),
                None => Ok(()),
            }
        }
        Op::WithdrawRequest { request } => {
            let Some(req) = inc.request(*request) else {
                return Err(Refusal::NoSuchRequest { id: *request });
            };
            // Only its asker stops waiting for it; the commander answers.
            if req.by != who {
                return Err(Refusal::OwnedBySomeoneElse {
                    owner: req.by.clone(),
                });
            }
            if req.state != RequestState::Pending {
                return Err(Refusal::AlreadyAnswered {
                    id: *request,
                    state: state_name(req.state),
                });
            }
            Ok(())
        }
        Op::Ran { evidence, request } => {
            check_text("command", &evidence.command)?;
            if let Some(id) = request
                && inc.request(*id).is_none()
            {
                return Err(Refusal::NoSuchRequest { id: *id });
            }
            Ok(())
        }
        other => Err(Refusal::Misrouted { op: other.name() }),
    }
}

/// Whether a command run (`incident run`) asks the commander for go first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clear {
    /// `--clear`: always ask and wait, even while nobody commands yet.
    Always,
    /// `--no-clear`: never ask; the run is recorded as without go.
    Never,
    /// Neither: ask while someone commands, unless the team's
    /// `run_needs_go = false` says not to.
    Default,
}

/// Does this run need a go: asked for (`--clear`), waived (`--no-clear`),
/// or else while someone commands `inc` and the team's `run_needs_go`
/// (`team_says`, read only for [`Clear::Default`]) holds. With nobody in
/// command there is nobody to give it.
pub fn run_needs_go(inc: &Incident, clear: Clear, team_says: bool) -> bool {
    match clear {
        Clear::Always => true,
        Clear::Never => false,
        Clear::Default => team_says && inc.commander().is_some(),
    }
}

/// How a command run (`incident run`) is cleared, decided before it runs:
/// the one place that says whether a command needs the commander's go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunDecision {
    /// Ask the commander and wait for the go. `note`: why an earlier go
    /// does not cover it (`--for M1` with a go too old, held, none yet).
    Ask { note: Option<String> },
    /// Read-only by the team's `run_without_go` pattern `rule`: runs at
    /// once, logged as such.
    ReadOnly { rule: String },
    /// Under the go already given for mitigation `mitigation` (request
    /// `request`, by `by`): runs at once, logged with that go.
    UnderGo {
        request: u64,
        mitigation: u64,
        by: String,
    },
    /// Runs without asking: `--no-clear`, the team's `run_needs_go =
    /// false`, or nobody commands (nobody could give it).
    /// `nobody_commands`: no flag was given and nobody commands, which
    /// is said before it runs.
    Without { nobody_commands: bool },
}

/// What the team's `incident.toml` says about runs.
#[derive(Debug, Clone, Copy)]
pub struct RunTeam<'a> {
    /// `run_needs_go`.
    pub needs_go: bool,
    /// `run_without_go`.
    pub without_go: &'a RunWithoutGo,
    /// `go_valid_for`: how long a mitigation's go covers runs for it.
    pub go_valid_for: chrono::Duration,
}

/// Decide how running `argv` in `inc` is cleared (see [`RunDecision`]).
/// `clear` is the flag given; `mitigation` the `--for` given, refused
/// when there is no such mitigation.
pub fn decide_run(
    inc: &Incident,
    argv: &[String],
    clear: Clear,
    team: RunTeam<'_>,
    mitigation: Option<u64>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<RunDecision, Refusal> {
    let mut note = None;
    if let Some(m) = mitigation {
        match go_for_mitigation(inc, m, team.go_valid_for, now)? {
            GoFor::Valid { request, by, .. } if clear != Clear::Always => {
                return Ok(RunDecision::UnderGo {
                    request,
                    mitigation: m,
                    by,
                });
            }
            GoFor::Valid { .. } => {}
            GoFor::Ask(why) => note = Some(why),
        }
    }
    match clear {
        Clear::Always => return Ok(RunDecision::Ask { note }),
        Clear::Never => {
            return Ok(RunDecision::Without {
                nobody_commands: false,
            });
        }
        Clear::Default => {}
    }
    if let Some(rule) = team.without_go.matching(argv) {
        return Ok(RunDecision::ReadOnly {
            rule: rule.to_string(),
        });
    }
    Ok(if run_needs_go(inc, clear, team.needs_go) {
        RunDecision::Ask { note }
    } else {
        RunDecision::Without {
            nobody_commands: inc.commander().is_none(),
        }
    })
}

/// Whether a go already given for a mitigation covers a run for it now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoFor {
    /// Request `request` got its go from `by` at `at` (or was the
    /// commander's own), within the team's `go_valid_for`.
    Valid {
        request: u64,
        by: String,
        at: chrono::DateTime<chrono::Utc>,
    },
    /// It does not: why, in words, to say before asking anew.
    Ask(String),
}

/// Is the go given for mitigation `m` still valid at `now`: answered go
/// (or announced by the commander) less than `valid_for` ago.
pub fn go_for_mitigation(
    inc: &Incident,
    m: u64,
    valid_for: chrono::Duration,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<GoFor, Refusal> {
    let mitigation = mitigation_of(inc, m)?;
    let Some(req) = mitigation.request.and_then(|r| inc.request(r)) else {
        return Ok(GoFor::Ask(format!("M{m} has no go yet")));
    };
    let r = req.id;
    let (by, at) = match req.state {
        RequestState::Go => (
            req.answered_by.clone().unwrap_or_else(|| req.by.clone()),
            req.answered_at.unwrap_or(req.at),
        ),
        RequestState::Announced => (req.by.clone(), req.at),
        RequestState::Pending => {
            return Ok(GoFor::Ask(format!(
                "M{m}'s request R{r} is still waiting for an answer"
            )));
        }
        RequestState::Hold => return Ok(GoFor::Ask(format!("M{m}'s request R{r} is on hold"))),
        RequestState::Withdrawn => {
            return Ok(GoFor::Ask(format!("M{m}'s request R{r} was withdrawn")));
        }
    };
    let age = now - at;
    if age >= valid_for {
        return Ok(GoFor::Ask(format!(
            "the go for M{m} (R{r}) is {}m old; a go is valid for {}m (go_valid_for)",
            age.num_minutes(),
            valid_for.num_minutes()
        )));
    }
    Ok(GoFor::Valid { request: r, by, at })
}

/// How a proposal says why after its command: "run: CMD — why: REASON"
/// (`incident mcp`).
pub const PROPOSED_WHY: &str = " — why: ";

/// Why request `req` does not clear running a command now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotCleared {
    /// There is no such request.
    NoSuchRequest,
    /// It asked for another command: its text.
    AskedFor(String),
    /// It has no go: its state (pending, on hold, withdrawn).
    NoGo(RequestState),
}

/// Whether request `req` clears running the command whose request text is
/// `wanted` ("run: CMD"): a go (or the commander's own announcement) for
/// exactly that command, a proposal's reason after it allowed.
pub fn request_clears(inc: &Incident, req: u64, wanted: &str) -> Result<(), NotCleared> {
    let r = inc.request(req).ok_or(NotCleared::NoSuchRequest)?;
    if r.text != wanted && !r.text.starts_with(&format!("{wanted}{PROPOSED_WHY}")) {
        return Err(NotCleared::AskedFor(r.text.clone()));
    }
    match r.state {
        RequestState::Go | RequestState::Announced => Ok(()),
        state => Err(NotCleared::NoGo(state)),
    }
}

/// Pending requests whose asker's waiting process is gone: each of
/// `waits` is (request, its waiting process still runs), as presence
/// says. A request is stale when someone waited on it and nobody does
/// now; one asked without waiting (`announce` alone, the view) never is.
pub fn stale_requests(
    inc: &Incident,
    waits: impl IntoIterator<Item = (u64, bool)>,
) -> std::collections::BTreeSet<u64> {
    let mut alive = std::collections::BTreeMap::<u64, bool>::new();
    for (req, live) in waits {
        *alive.entry(req).or_default() |= live;
    }
    alive
        .into_iter()
        .filter(|(req, live)| {
            !live && inc.request(*req).map(|r| r.state) == Some(RequestState::Pending)
        })
        .map(|(req, _)| req)
        .collect()
}

/// Programs that run another command given to them (a shell's `-c`,
/// `sudo`, `env`, `xargs`...): a command starting with one never counts
/// as read-only, whatever it wraps.
const WRAPPERS: &[&str] = &[
    "sh", "bash", "zsh", "dash", "ksh", "mksh", "fish", "csh", "tcsh", "ash", "busybox", "env",
    "sudo", "doas", "su", "runuser", "nohup", "setsid", "xargs", "timeout", "watch", "exec",
    "eval", "command", "builtin", "nice", "ionice", "stdbuf", "time", "strace", "ltrace", "chroot",
    "ssh", "script", "parallel", "flock", "unbuffer", "expect", "python", "python3", "perl",
    "ruby", "node", "awk", "find",
];

/// A character a shell would give meaning to, or that does not belong in
/// a plain word: an argument holding one never matches a rule, so a `;`,
/// a pipe, `$(...)` or a redirect cannot smuggle another command past it.
fn is_meta(c: char) -> bool {
    c.is_whitespace() || c.is_control() || ";&|<>$`\\'\"(){}[]*?~!#^".contains(c)
}

/// One `run_without_go` pattern: whole words, `*` last for any further.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pattern {
    text: String,
    words: Vec<String>,
    rest: bool,
}

/// The team's `run_without_go` patterns: commands that run at once,
/// without the commander's go (`["kubectl get *", "kubectl logs *"]`).
/// Whole words; a `*` as the last word matches any further words (or
/// none). A command wrapped in a shell or runner (`sh -c`, `sudo`, `env`)
/// or with a shell metacharacter in any word never matches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunWithoutGo {
    patterns: Vec<Pattern>,
}

/// A `run_without_go` pattern that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("run_without_go pattern '{pattern}': {problem}")]
pub struct RunWithoutGoError {
    pub pattern: String,
    pub problem: &'static str,
}

impl RunWithoutGo {
    /// Check and keep the patterns as the team file gives them.
    pub fn parse(patterns: &[String]) -> Result<RunWithoutGo, RunWithoutGoError> {
        let mut out = Vec::new();
        for p in patterns {
            let err = |problem| RunWithoutGoError {
                pattern: crate::sanitize::line(p).into_owned(),
                problem,
            };
            let mut words: Vec<String> = p.split_whitespace().map(str::to_string).collect();
            let rest = words.last().is_some_and(|w| w == "*");
            if rest {
                words.pop();
            }
            if words.is_empty() {
                return Err(err(
                    "it would match every command: start with the program and its verb, e.g. \"kubectl get *\"",
                ));
            }
            if words.iter().any(|w| w.chars().any(is_meta)) {
                return Err(err(
                    "only whole words, with `*` alone as the last word for any further words (no other * ; | $ quotes or brackets)",
                ));
            }
            if WRAPPERS.contains(&program(&words[0])) {
                return Err(err(
                    "a shell or a program that runs other commands (sh, bash, sudo, env, xargs...) is never read-only",
                ));
            }
            out.push(Pattern {
                text: words
                    .iter()
                    .map(String::as_str)
                    .chain(rest.then_some("*"))
                    .collect::<Vec<_>>()
                    .join(" "),
                words,
                rest,
            });
        }
        Ok(RunWithoutGo { patterns: out })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// The pattern `argv` (the command as run, no shell between) matches,
    /// if any.
    pub fn matching(&self, argv: &[String]) -> Option<&str> {
        let first = argv.first()?;
        if WRAPPERS.contains(&program(first)) || argv.iter().any(|a| a.chars().any(is_meta)) {
            return None;
        }
        self.patterns
            .iter()
            .find(|p| {
                let fixed =
                    argv.len() >= p.words.len() && p.words.iter().zip(argv).all(|(w, a)| w == a);
                fixed && (p.rest || argv.len() == p.words.len())
            })
            .map(|p| p.text.as_str())
    }
}

/// A program's name without its directory: `/bin/sh` is `sh`.
fn program(word: &str) -> &str {
    word.rsplit('/').next().unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RunWithoutGo {
        RunWithoutGo::parse(&[
            "kubectl get *".to_string(),
            "kubectl describe *".into(),
            "kubectl logs *".into(),
            "uptime".into(),
        ])
        .unwrap()
    }

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn whole_words_match_and_star_takes_any_further_words() {
        let r = rules();
        assert_eq!(
            r.matching(&argv(&["kubectl", "get", "pods", "-n", "payments"])),
            Some("kubectl get *")
        );
        assert_eq!(
            r.matching(&argv(&["kubectl", "get"])),
            Some("kubectl get *")
        );
        assert_eq!(
            r.matching(&argv(&["kubectl", "logs", "deploy/payments", "--tail=50"])),
            Some("kubectl logs *")
        );
        assert_eq!(r.matching(&argv(&["uptime"])), Some("uptime"));
        // Without `*`, exactly those words.
        assert_eq!(r.matching(&argv(&["uptime", "-p"])), None);
        // Whole words: not a prefix of a word.
        assert_eq!(r.matching(&argv(&["kubectl", "getaway"])), None);
        assert_eq!(r.matching(&argv(&["kubectl", "get-out"])), None);
        // Everything else asks.
        assert_eq!(r.matching(&argv(&["kubectl", "delete", "pod", "x"])), None);
        assert_eq!(
            r.matching(&argv(&["kubectl", "-n", "x", "delete", "pod"])),
            None
        );
        assert_eq!(
            r.matching(&argv(&["/usr/bin/kubectl", "get", "pods"])),
            None
        );
        assert_eq!(r.matching(&[]), None);
    }

    #[test]
    fn hostile_commands_never_match() {
        let r = rules();
        let hostile: &[&[&str]] = &[
            // A `;` as a word, or inside one.
            &["kubectl", "get", "pods;", "kubectl", "delete", "pod", "x"],
            &[
                "kubectl", "get", "pods", ";", "kubectl", "delete", "pod", "x",
            ],
            &["kubectl", "get", "pods; kubectl delete pod x"],
            // Command substitution, backticks, variables.
            &["kubectl", "get", "$(kubectl delete pod x)"],
            &["kubectl", "get", "`kubectl delete pod x`"],
            &["kubectl", "get", "$POD"],
            &["kubectl", "get", "${POD}"],
            // Pipes, redirects, && and ||, background.
            &["kubectl", "get", "pods", "|", "xargs", "kubectl", "delete"],
            &["kubectl", "get", "pods|sh"],
            &["kubectl", "get", "pods", ">", "/etc/passwd"],
            &["kubectl", "get", "pods>/tmp/x"],
            &["kubectl", "get", "pods", "<", "/tmp/x"],
            &[
                "kubectl", "get", "pods", "&&", "kubectl", "delete", "pod", "x",
            ],
            &["kubectl", "get", "pods&&reboot"],
            &["kubectl", "get", "pods", "||", "reboot"],
            &["kubectl", "get", "pods", "&"],
            // A newline is a command separator too.
            &["kubectl", "get", "pods\nreboot"],
            // Quotes, globs, escapes, history, subshells.
            &["kubectl", "get", "'pods'"],
            &["kubectl", "get", "\"pods\""],
            &["kubectl", "get", "pod*"],
            &["kubectl", "get", "pods\\;reboot"],
            &["kubectl", "get", "!!"],
            &["kubectl", "get", "(pods)"],
            // Wrapping shells and runners.
            &["sh", "-c", "kubectl get pods"],
            &["bash", "-c", "kubectl get pods"],
            &["/bin/sh", "-c", "kubectl get pods"],
            &["sudo", "kubectl", "get", "pods"],
            &["env", "kubectl", "get", "pods"],
            &["xargs", "kubectl", "get", "pods"],
            &["timeout", "5", "kubectl", "get", "pods"],
        ];
        for cmd in hostile {
            assert_eq!(r.matching(&argv(cmd)), None, "{cmd:?} must ask");
        }
    }

    #[test]
    fn patterns_that_cannot_be_used_are_refused_with_why() {
        for bad in [
            "*",
            "",
            "   ",
            "kubectl * pods",
            "kubectl get*",
            "kubectl get pods; *",
            "sh -c *",
            "bash *",
            "/usr/bin/sudo kubectl get *",
            "kubectl get $(x)",
        ] {
            let e = RunWithoutGo::parse(&[bad.to_string()]).unwrap_err();
            assert!(e.to_string().starts_with("run_without_go pattern"), "{e}");
        }
        // Spacing is not significant.
        let r = RunWithoutGo::parse(&["  kubectl   get   * ".to_string()]).unwrap();
        assert_eq!(
            r.matching(&argv(&["kubectl", "get", "pods"])),
            Some("kubectl get *")
        );
        assert!(RunWithoutGo::default().is_empty());
    }
}

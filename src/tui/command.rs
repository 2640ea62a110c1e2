//! The command bar grammar: what `:status mitigated` means. Each command
//! becomes an operation (judged by `ops`) or a view action.

use crate::model::refs::{AssumptionRef, EntryRef, Minutes, MitigationRef, RequestRef, WorkRef};
use crate::model::{
    CloseKind, Evidence, LogKind, MitigationKind, MitigationStatus, Risk, Role, Severity, Speed,
    Status, SystemStatus,
};
use crate::ops::Op;

/// A parsed command-bar line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Op(Op),
    Quit,
    Help,
    ToggleUtc,
    /// Show who has the incident open.
    Who,
    /// Show the assumptions.
    Assumptions,
    /// A drill's debrief.
    Debrief,
    /// Show what changed since `since` (as typed; read against the clock
    /// when the command runs), or since this person left.
    CatchUp {
        since: Option<String>,
    },
    /// Show the handover brief.
    Brief,
    /// Go to the mitigations pane.
    Mitigations,
    /// Open the document view.
    Doc,
    /// Draft a status update into the input bar.
    Draft,
    /// Add log entry `entry` (a run's output) to the appendix.
    Snippet {
        entry: u64,
        title: String,
    },
    /// About to start a procedure: the short pause for everyone.
    Procedure {
        what: String,
    },
    /// Take a role from a holder who has been away long enough.
    Takeover {
        role: Role,
    },
    /// When a milestone really happened; `time` as typed (read against the
    /// clock when the command runs).
    Milestone {
        milestone: crate::model::Milestone,
        time: String,
        note: Option<String>,
    },
    /// Show the incident as it stood at `when`, as typed (read against
    /// the incident and the clock when the command runs).
    At {
        when: String,
    },
}

/// What one typed word is, in the shared vocabulary, or the usage.
fn typed<T: std::str::FromStr>(w: &str, spec: &Spec) -> Result<T, String> {
    w.parse::<T>().map_err(|_| usage(spec))
}

/// Evidence words; a `#42` among them cites the log entry of a run.
fn parse_evidence(words: &[&str]) -> Evidence {
    let entry = words
        .iter()
        .find_map(|w| w.strip_prefix('#').and_then(|n| n.parse::<u64>().ok()));
    let text: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !(w.starts_with('#') && w[1..].parse::<u64>().is_ok()))
        .collect();
    Evidence {
        text: text.join(" "),
        entry,
    }
}

pub struct Spec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub args: &'static str,
    pub help: &'static str,
}

const fn spec(
    name: &'static str,
    aliases: &'static [&'static str],
    args: &'static str,
    help: &'static str,
) -> Spec {
    Spec {
        name,
        aliases,
        args,
        help,
    }
}

pub const COMMANDS: &[Spec] = &[
    spec(
        "claim",
        &[],
        "ROLE",
        "take an empty role yourself (ic, comms, scribe, ...)",
    ),
    spec(
        "handover",
        &["offer"],
        "ROLE USER",
        "offer a role you hold; it moves when they accept",
    ),
    spec("accept", &[], "ROLE", "accept a role offered to you"),
    spec("decline", &[], "ROLE", "decline a role offered to you"),
    spec("withdraw", &[], "ROLE", "withdraw a handover offer"),
    spec("stepdown", &["release"], "ROLE", "leave a role you hold"),
    spec(
        "takeover",
        &[],
        "ROLE",
        "take a role whose holder is away (no view open) for takeover_after minutes",
    ),
    spec(
        "role",
        &["assign"],
        "ROLE USER|-",
        "commander: give a role to someone (- empties it)",
    ),
    spec(
        "addrole",
        &[],
        "ROLE",
        "commander: show an optional role (scribe, ops_lead, sme, liaison)",
    ),
    spec(
        "announce",
        &["about"],
        "TEXT",
        "about to do TEXT: ask the commander for go (same as !TEXT)",
    ),
    spec("go", &["ok"], "R#", "commander: clear a request"),
    spec(
        "hold",
        &[],
        "R# [REASON]",
        "commander: hold a request, saying why",
    ),
    spec(
        "status",
        &[],
        "investigating|mitigated|resolved [--force] [--keep-freeze]",
        "commander: set the incident status (asks first while work is open)",
    ),
    spec(
        "sev",
        &["severity"],
        "SEV1..SEV4",
        "commander: set the severity (SEV1 is the worst)",
    ),
    spec(
        "sys",
        &["system"],
        "NAME STATUS [EVIDENCE]",
        "set a system: unknown, ok, degraded, failing (#42 cites a run)",
    ),
    spec("dep", &["depends"], "A -> B", "record that A depends on B"),
    spec("undep", &[], "A -> B", "remove that dependency"),
    spec(
        "assume",
        &[],
        "TEXT",
        "record an assumption, unverified until checked",
    ),
    spec(
        "verify",
        &[],
        "A# EVIDENCE",
        "an assumption checked and true (#42 cites a run)",
    ),
    spec(
        "refute",
        &[],
        "A# EVIDENCE",
        "an assumption checked and false",
    ),
    spec(
        "impact",
        &[],
        "TEXT",
        "who is affected, how many (e.g. EU card payments ~1200/hour)",
    ),
    spec(
        "suspect",
        &[],
        "NAME [A#|#N] | clear",
        "name the system you suspect caused it, and why (outranks the graph's guess); :suspect clear takes it back",
    ),
    spec(
        "assumptions",
        &["assumed"],
        "",
        "list assumptions, unverified first",
    ),
    spec(
        "debrief",
        &[],
        "",
        "a drill's debrief: how the team did against the practice",
    ),
    spec(
        "mit",
        &["mitigate", "propose"],
        "[KIND] [RISK] [SPEED] TEXT",
        "propose a mitigation (e.g. :mit rollback low quick Roll back payments)",
    ),
    spec(
        "start",
        &[],
        "M#",
        "start a mitigation (asks the commander first if it changes production)",
    ),
    spec(
        "done",
        &[],
        "M#|T# [RESULT]",
        "a mitigation worked / a task is done",
    ),
    spec(
        "failed",
        &["fail"],
        "M# [RESULT]",
        "a mitigation did not work (it stays visible)",
    ),
    spec(
        "abandon",
        &[],
        "M# [RESULT]",
        "not doing that mitigation after all",
    ),
    spec(
        "take",
        &["own"],
        "M#|T#",
        "become the owner of a mitigation or task",
    ),
    spec(
        "give",
        &[],
        "M#|T# USER",
        "hand a mitigation or task to someone",
    ),
    spec(
        "task",
        &[],
        "TEXT",
        "investigation work that needs an owner (root cause, impact)",
    ),
    spec(
        "freeze",
        &[],
        "[REASON]",
        "freeze deploys (every screen shows it)",
    ),
    spec("unfreeze", &[], "", "commander: lift the deploy freeze"),
    spec("mitigations", &["mits"], "", "go to the mitigations pane"),
    spec(
        "followup",
        &["fu"],
        "[@OWNER] [prevent|mitigate|process|other] TEXT",
        "work for after the incident (an action item); :done F1, :give F1 USER",
    ),
    spec(
        "milestone",
        &[],
        "MILESTONE TIME [NOTE]",
        "when impact_started, detected, acknowledged, ... really happened (05:38 UTC)",
    ),
    spec(
        "at",
        &[],
        "TIME",
        "look back: the incident as it stood at 03:40, #123 or -30m (read-only; Esc returns to now)",
    ),
    spec(
        "doc",
        &["document"],
        "",
        "open the incident document (sections, timeline, appendix)",
    ),
    spec(
        "update",
        &[],
        "[--external] TEXT",
        "communications: record a status update and send it to the team's targets (--external: the status page too)",
    ),
    spec(
        "draft",
        &[],
        "",
        "draft a status update from the document into the input bar",
    ),
    spec(
        "cadence",
        &[],
        "MINUTES",
        "minutes between status updates for this incident",
    ),
    spec("pin", &[], "#N", "put log entry N on the timeline"),
    spec("unpin", &[], "#N", "take log entry N off the timeline"),
    spec(
        "snippet",
        &[],
        "#N TITLE",
        "add the output of an `incident run` entry to the appendix",
    ),
    spec(
        "break",
        &[],
        "DURATION [REASON]",
        "commander: a break for the whole team (15m, 1h)",
    ),
    spec("endbreak", &[], "", "commander: end the break early"),
    spec(
        "procedure",
        &[],
        "TEXT",
        "about to start a procedure: everyone pauses first",
    ),
    spec("food", &[], "[NOTE]", "food is ordered (expense it)"),
    spec(
        "detach",
        &["standdown"],
        "USER [NOTE]",
        "commander: stand someone down to rest",
    ),
    spec("decision", &["decide"], "TEXT", "log a decision"),
    spec("action", &["did"], "TEXT", "log an action taken"),
    spec("note", &[], "TEXT", "log a note (same as typing without :)"),
    spec("who", &["here"], "", "who has the incident open"),
    spec(
        "catchup",
        &["since"],
        "[TIME]",
        "what changed since you left (or since TIME: 03:12, 2026-12-01T03:12Z)",
    ),
    spec(
        "brief",
        &["handoverbrief"],
        "",
        "the handover brief: summary, roles, what bleeds, what is tried, what waits",
    ),
    spec("utc", &["time"], "", "switch times between UTC and local"),
    spec("help", &["h"], "", "show keys and commands"),
    spec("quit", &["q"], "", "leave (the incident goes on)"),
    spec(
        "merge",
        &["duplicate"],
        "INC-N",
        "commander: close this incident as a duplicate of INC-N (its alerts go there)",
    ),
    spec(
        "cancel",
        &["falsealarm"],
        "REASON",
        "commander: close this incident as a false alarm (not counted as resolved)",
    ),
    spec(
        "correct",
        &[],
        "#N TEXT",
        "correct your log entry N (it stays, struck through)",
    ),
    spec(
        "retract",
        &[],
        "#N REASON",
        "take back your log entry N, saying why",
    ),
];

fn find(word: &str) -> Option<&'static Spec> {
    let w = word.to_ascii_lowercase();
    COMMANDS
        .iter()
        .find(|c| c.name == w || c.aliases.contains(&w.as_str()))
}

fn usage(spec: &Spec) -> String {
    format!("usage: :{} {}", spec.name, spec.args)
}

/// Parse the text after `:`, typed by `me`.
pub fn parse(line: &str, me: &str) -> Result<Command, String> {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    let Some(spec) = find(word) else {
        let names = COMMANDS
            .iter()
            .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()));
        if let Some(near) = crate::suggest::closest(word, names) {
            let spec = find(near).expect("a command's own name");
            return Err(format!(
                "unknown command ':{}': did you mean `:{}`? ({})",
                crate::sanitize::line(word),
                spec.name,
                usage(spec)
            ));
        }
        return Err(format!(
            "unknown command ':{}': try {}",
            crate::sanitize::line(word),
            COMMANDS
                .iter()
                .map(|c| format!(":{}", c.name))
                .collect::<Vec<_>>()
                .join(" ")
        ));
    };
    let args: Vec<&str> = rest.split_whitespace().collect();
    let text = |kind: LogKind| {
        if rest.is_empty() {
            Err(usage(spec))
        } else {
            Ok(Command::Op(Op::Log {
                kind,
                text: rest.to_string(),
            }))
        }
    };
    match spec.name {
        "claim" | "accept" | "decline" | "withdraw" | "stepdown" | "addrole" => {
            match args.as_slice() {
                [role] => {
                    let role = role.parse::<Role>().map_err(|e| e.to_string())?;
                    Ok(Command::Op(match spec.name {
                        "claim" => Op::ClaimRole { role },
                        "accept" => Op::AcceptRole { role },
                        "decline" => Op::DeclineRole { role },
                        "withdraw" => Op::WithdrawOffer { role },
                        "stepdown" => Op::StepDown { role },
                        _ => Op::AddRole { role },
                    }))
                }
                _ => Err(usage(spec)),
            }
        }
        "milestone" => match args.as_slice() {
            [m, time, note @ ..] => Ok(Command::Milestone {
                milestone: m
                    .parse::<crate::model::Milestone>()
                    .map_err(|e| e.to_string())?,
                time: time.to_string(),
                note: (!note.is_empty()).then(|| note.join(" ")),
            }),
            _ => Err(usage(spec)),
        },
        "takeover" => match args.as_slice() {
            [role] => Ok(Command::Takeover {
                role: role.parse::<Role>().map_err(|e| e.to_string())?,
            }),
            _ => Err(usage(spec)),
        },
        "handover" => match args.as_slice() {
            [role, user] => Ok(Command::Op(Op::OfferRole {
                role: role.parse::<Role>().map_err(|e| e.to_string())?,
                to: user.to_string(),
            })),
            _ => Err(usage(spec)),
        },
        "go" | "hold" => match args.split_first() {
            Some((id, reason)) => {
                let request = typed::<RequestRef>(id, spec)?.0;
                let reason = Some(reason.join(" ")).filter(|r| !r.is_empty());
                Ok(Command::Op(Op::Answer {
                    request,
                    go: spec.name == "go",
                    reason,
                }))
            }
            None => Err(usage(spec)),
        },
        "announce" => {
            if rest.is_empty() {
                Err(usage(spec))
            } else {
                Ok(Command::Op(Op::Announce {
                    text: rest.to_string(),
                    mitigation: None,
                }))
            }
        }
        "at" if !rest.is_empty() => Ok(Command::At {
            when: rest.to_string(),
        }),
        "who" => Ok(Command::Who),
        "catchup" => Ok(Command::CatchUp {
            since: (!rest.is_empty()).then(|| rest.to_string()),
        }),
        "brief" => Ok(Command::Brief),
        "assumptions" => Ok(Command::Assumptions),
        "debrief" => Ok(Command::Debrief),
        "mitigations" => Ok(Command::Mitigations),
        "doc" => Ok(Command::Doc),
        "break" => match args.split_first() {
            Some((d, reason)) => Ok(Command::Op(Op::StartBreak {
                kind: crate::model::BreakKind::Team,
                minutes: d.parse::<Minutes>()?.0,
                reason: Some(reason.join(" ")).filter(|r| !r.is_empty()),
            })),
            None => Err(usage(spec)),
        },
        "endbreak" => Ok(Command::Op(Op::EndBreak)),
        "procedure" if rest.parse::<MitigationRef>().is_ok() => {
            let id = typed::<MitigationRef>(rest, spec)?.0;
            Ok(Command::Op(Op::MarkProcedure { id }))
        }
        "procedure" if !rest.is_empty() => Ok(Command::Procedure {
            what: rest.to_string(),
        }),
        "food" => Ok(Command::Op(Op::OrderFood {
            note: Some(rest.to_string()).filter(|r| !r.is_empty()),
        })),
        "detach" => match args.split_first() {
            Some((user, note)) => Ok(Command::Op(Op::Detach {
                user: user.to_string(),
                note: Some(note.join(" ")).filter(|r| !r.is_empty()),
            })),
            None => Err(usage(spec)),
        },
        "snippet" => match args.split_first() {
            Some((n, title)) if !title.is_empty() => {
                let entry = typed::<EntryRef>(n, spec)?.0;
                Ok(Command::Snippet {
                    entry,
                    title: title.join(" "),
                })
            }
            _ => Err(usage(spec)),
        },
        "draft" => Ok(Command::Draft),
        "update" if !rest.is_empty() => {
            let (external, text) = match rest.strip_prefix("--external") {
                Some(t) if t.is_empty() || t.starts_with(' ') => (true, t.trim_start()),
                _ => (false, rest),
            };
            if text.is_empty() {
                return Err(usage(spec));
            }
            Ok(Command::Op(Op::PostUpdate {
                text: text.to_string(),
                external,
            }))
        }
        "cadence" => match args.as_slice() {
            [m] => Ok(Command::Op(Op::SetUpdateCadence {
                minutes: m.parse::<Minutes>()?.0,
            })),
            _ => Err(usage(spec)),
        },
        "pin" | "unpin" => match args.as_slice() {
            [n] => {
                let entry = typed::<EntryRef>(n, spec)?.0;
                Ok(Command::Op(if spec.name == "pin" {
                    Op::Pin { entry }
                } else {
                    Op::Unpin { entry }
                }))
            }
            _ => Err(usage(spec)),
        },
        "mit" => {
            let mut kind = None;
            let mut risk = None;
            let mut speed = None;
            let mut rest_words = args.as_slice();
            // Leading lowercase words may set the kind, risk and speed, each
            // once; the text is the rest ("Restart payments" stays text).
            while let Some((w, more)) = rest_words.split_first() {
                if *w != w.to_lowercase() {
                    break;
                }
                if kind.is_none()
                    && let Ok(k) = w.parse::<MitigationKind>()
                {
                    kind = Some(k);
                } else if risk.is_none()
                    && let Ok(r) = w.parse::<Risk>()
                {
                    risk = Some(r);
                } else if speed.is_none()
                    && let Ok(sp) = w.parse::<Speed>()
                {
                    speed = Some(sp);
                } else {
                    // A near miss of a kind would silently become text and
                    // a custom mitigation that never asks for go: ask.
                    let kinds = MitigationKind::ALL.iter().map(|k| k.as_str());
                    if kind.is_none()
                        && let Some(near) = crate::suggest::closest(w, kinds)
                    {
                        let w = crate::sanitize::line(w);
                        return Err(format!(
                            "'{w}' is not a kind of mitigation: did you mean `{near}`? (`:mit {near} ...`; to keep '{w}' as text, start with `:mit custom {w} ...`)"
                        ));
                    }
                    break;
                }
                rest_words = more;
            }
            let (kind, risk, speed) = (
                kind.unwrap_or(MitigationKind::Custom),
                risk.unwrap_or(Risk::Medium),
                speed.unwrap_or(Speed::Quick),
            );
            if rest_words.is_empty() {
                return Err(usage(spec));
            }
            Ok(Command::Op(Op::ProposeMitigation {
                text: rest_words.join(" "),
                kind,
                risk,
                speed,
                system: None,
                owner: None,
            }))
        }
        "start" => match args.as_slice() {
            [w] => Ok(Command::Op(Op::StartMitigation {
                id: typed::<MitigationRef>(w, spec)?.0,
            })),
            _ => Err(usage(spec)),
        },
        "done" | "failed" | "abandon" => match args.split_first() {
            Some((w, result)) => {
                let result = Some(result.join(" ")).filter(|r| !r.is_empty());
                match (typed::<WorkRef>(w, spec)?, spec.name) {
                    (WorkRef::Mitigation(id), name) => {
                        let status = match name {
                            "done" => MitigationStatus::Done,
                            "failed" => MitigationStatus::Failed,
                            _ => MitigationStatus::Abandoned,
                        };
                        Ok(Command::Op(Op::FinishMitigation { id, status, result }))
                    }
                    (WorkRef::Task(id), "done") => Ok(Command::Op(Op::FinishTask { id, result })),
                    (WorkRef::Followup(id), "done") => Ok(Command::Op(Op::FinishFollowup { id })),
                    (WorkRef::Task(_) | WorkRef::Followup(_), _) => Err(usage(spec)),
                }
            }
            None => Err(usage(spec)),
        },
        "take" | "give" => {
            let (w, owner) = match (spec.name, args.as_slice()) {
                ("take", [w]) => (*w, None),
                ("give", [w, user]) => (*w, Some(user.to_string())),
                _ => return Err(usage(spec)),
            };
            let owner = owner.unwrap_or_else(|| me.to_string());
            match typed::<WorkRef>(w, spec)? {
                WorkRef::Mitigation(id) => Ok(Command::Op(Op::OwnMitigation {
                    id,
                    owner: Some(owner),
                })),
                WorkRef::Task(id) => Ok(Command::Op(Op::OwnTask {
                    id,
                    owner: Some(owner),
                })),
                WorkRef::Followup(id) => Ok(Command::Op(Op::OwnFollowup {
                    id,
                    owner: Some(owner),
                })),
            }
        }
        "followup" => {
            // [@OWNER] [KIND] TEXT, the first two in either order.
            let mut owner = None;
            let mut kind = None;
            let mut words = args.as_slice();
            while let Some((w, more)) = words.split_first() {
                if owner.is_none()
                    && let Some(o) = w.strip_prefix('@')
                {
                    owner = Some(o.to_string());
                } else if kind.is_none()
                    && let Ok(k) = w.parse::<crate::model::FollowupKind>()
                {
                    kind = Some(k);
                } else {
                    break;
                }
                words = more;
            }
            if words.is_empty() {
                return Err(usage(spec));
            }
            Ok(Command::Op(Op::AddFollowup {
                text: words.join(" "),
                kind: kind.unwrap_or(crate::model::FollowupKind::Other),
                owner,
            }))
        }
        "task" if !rest.is_empty() => Ok(Command::Op(Op::AddTask {
            text: rest.to_string(),
            owner: None,
        })),
        "freeze" => Ok(Command::Op(Op::Freeze {
            reason: Some(rest.to_string()).filter(|r| !r.is_empty()),
        })),
        "unfreeze" => Ok(Command::Op(Op::Unfreeze)),
        "sys" => match args.as_slice() {
            [name, status, evidence @ ..] => Ok(Command::Op(Op::SetSystem {
                name: name.to_string(),
                status: status.parse::<SystemStatus>().map_err(|e| e.to_string())?,
                evidence: (!evidence.is_empty()).then(|| parse_evidence(evidence)),
                owner: None,
                note: None,
            })),
            _ => Err(usage(spec)),
        },
        "dep" | "undep" => {
            let words: Vec<&str> = args.iter().copied().filter(|w| *w != "->").collect();
            match words.as_slice() {
                [a, b] => {
                    let (system, on) = (a.to_string(), b.to_string());
                    Ok(Command::Op(if spec.name == "dep" {
                        Op::Depend { system, on }
                    } else {
                        Op::Undepend { system, on }
                    }))
                }
                _ => Err(usage(spec)),
            }
        }
        "assume" if !rest.is_empty() => Ok(Command::Op(Op::Assume {
            text: rest.to_string(),
            source: None,
        })),
        "verify" | "refute" => match args.split_first() {
            Some((id, evidence)) if !evidence.is_empty() => {
                let id = typed::<AssumptionRef>(id, spec)?.0;
                let evidence = parse_evidence(evidence);
                Ok(Command::Op(if spec.name == "verify" {
                    Op::Verify { id, evidence }
                } else {
                    Op::Refute { id, evidence }
                }))
            }
            _ => Err(format!("{}: say how you checked it", usage(spec))),
        },
        "suspect" => match args.as_slice() {
            ["clear" | "--clear"] => Ok(Command::Op(Op::ClearSuspect)),
            [name] => Ok(Command::Op(Op::NameSuspect {
                system: name.to_string(),
                because: None,
            })),
            [name, why] => Ok(Command::Op(Op::NameSuspect {
                system: name.to_string(),
                because: Some(why.parse::<crate::model::CauseLink>()?),
            })),
            _ => Err(usage(spec)),
        },
        "impact" if !rest.is_empty() => Ok(Command::Op(Op::SetImpact {
            text: rest.to_string(),
        })),
        "role" => match args.as_slice() {
            [role, user] => Ok(Command::Op(Op::SetRole {
                role: role.parse::<Role>().map_err(|e| e.to_string())?,
                user: (*user != "-").then(|| user.to_string()),
            })),
            _ => Err(usage(spec)),
        },
        "status" => {
            // The words of `incident status`: the status, then --force
            // (ask nothing) and, resolving, --keep-freeze.
            let mut status = None;
            let (mut force, mut keep_freeze) = (false, false);
            for a in &args {
                match *a {
                    "--force" => force = true,
                    "--keep-freeze" => keep_freeze = true,
                    s if status.is_none() && !s.starts_with("--") => {
                        status = Some(s.parse::<Status>().map_err(|e| e.to_string())?)
                    }
                    _ => return Err(usage(spec)),
                }
            }
            let status = status.ok_or_else(|| usage(spec))?;
            if keep_freeze && status != Status::Resolved {
                return Err(
                    "--keep-freeze only applies when resolving: :status resolved --keep-freeze"
                        .into(),
                );
            }
            Ok(Command::Op(Op::SetStatus {
                status,
                force,
                keep_freeze,
            }))
        }
        "sev" => match args.as_slice() {
            [s] => Ok(Command::Op(Op::SetSeverity {
                severity: s.parse::<Severity>().map_err(|e| e.to_string())?,
            })),
            _ => Err(usage(spec)),
        },
        "decision" => text(LogKind::Decision),
        "action" => text(LogKind::Action),
        "note" => text(LogKind::Note),
        "utc" => Ok(Command::ToggleUtc),
        "help" => Ok(Command::Help),
        "quit" => Ok(Command::Quit),
        "merge" => match args.as_slice() {
            [into] => Ok(Command::Op(Op::Close {
                kind: CloseKind::Duplicate,
                into: Some(
                    crate::store::parse_id(into).map_err(|e| format!("{e} ({})", usage(spec)))?,
                ),
                reason: None,
            })),
            _ => Err(format!(
                "{}: the incident this one duplicates, e.g. :merge INC-1",
                usage(spec)
            )),
        },
        "correct" | "retract" => match args.split_first() {
            Some((n, words)) if !words.is_empty() => {
                let entry = typed::<EntryRef>(n, spec)?.0;
                // The text as typed after the number, spacing kept.
                let text = rest[n.len()..].trim().to_string();
                Ok(Command::Op(if spec.name == "correct" {
                    Op::Correct { entry, text }
                } else {
                    Op::Retract {
                        entry,
                        reason: text,
                    }
                }))
            }
            _ => Err(format!(
                "{}: the entry's number (shown left of it) and {}",
                usage(spec),
                if spec.name == "correct" {
                    "what it should say, e.g. :correct #12 payments, not checkout"
                } else {
                    "why, e.g. :retract #12 wrong incident"
                }
            )),
        },
        "cancel" if !rest.is_empty() => Ok(Command::Op(Op::Close {
            kind: CloseKind::FalseAlarm,
            into: None,
            reason: Some(rest.to_string()),
        })),
        _ => Err(usage(spec)),
    }
}

/// What the command bar can complete besides its own words: who is
/// around, the systems, and the references (`M3`, `T1`, `R2`, `A1`, `#42`)
/// of what is open in the incident.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub people: Vec<String>,
    pub systems: Vec<String>,
    /// Mitigations (`M1`...), tasks (`T1`...), requests still waiting
    /// (`R1`...), assumptions still open (`A1`...) and recent log entries
    /// (`#1`...), each as typed.
    pub refs: Vec<String>,
}

impl Known {
    /// The references of `inc` worth completing: all mitigations and tasks,
    /// the requests and assumptions still open, the last 50 log entries.
    pub fn refs_of(inc: &crate::model::Incident) -> Vec<String> {
        let mut refs: Vec<String> = Vec::new();
        refs.extend((1..=inc.mitigations.len()).map(|i| format!("M{i}")));
        refs.extend((1..=inc.tasks.len()).map(|i| format!("T{i}")));
        refs.extend(inc.pending_requests().map(|r| format!("R{}", r.id)));
        refs.extend(
            inc.assumptions
                .iter()
                .enumerate()
                .filter(|(_, a)| a.state == crate::model::AssumptionState::Unverified)
                .map(|(i, _)| format!("A{}", i + 1)),
        );
        refs.extend(inc.log.iter().rev().take(50).map(|e| format!("#{}", e.seq)));
        refs
    }
}

/// Complete the word being typed in `input` (which starts with ':').
/// Returns the new input, and the candidates when more than one remains.
pub fn complete(input: &str, people: &[String], systems: &[String]) -> (String, Vec<String>) {
    complete_with(
        input,
        &Known {
            people: people.to_vec(),
            systems: systems.to_vec(),
            refs: Vec::new(),
        },
    )
}

/// The candidates for argument `token` of a command's usage (`ROLE`,
/// `USER`, `M#|T#`, `#N`, ...).
fn by_token(token: &str, known: &Known) -> Vec<String> {
    let token = token.trim_matches(|c| c == '[' || c == ']');
    let mut out = Vec::new();
    let refs = |prefix: char| {
        known
            .refs
            .iter()
            .filter(move |r| r.starts_with(prefix))
            .cloned()
    };
    for part in token.split('|') {
        match part {
            "ROLE" => {
                out.extend(["ic", "comms"].map(String::from));
                out.extend(Role::ALL.iter().map(|r| r.as_str().to_string()));
            }
            "USER" => out.extend(known.people.iter().cloned()),
            "-" => out.push("-".into()),
            "NAME" | "A" | "B" => out.extend(known.systems.iter().cloned()),
            "M#" => out.extend(refs('M')),
            "T#" => out.extend(refs('T')),
            "R#" => out.extend(refs('R')),
            "A#" => out.extend(refs('A')),
            "#N" => out.extend(refs('#')),
            "SEV1..SEV4" => out.extend(Severity::ALL.iter().map(|s| s.as_str().to_string())),
            "investigating" | "mitigated" | "resolved" => out.push(part.to_string()),
            "KIND" => out.extend(MitigationKind::ALL.iter().map(|k| k.as_str().to_string())),
            "MILESTONE" => out.extend(
                crate::model::Milestone::ALL
                    .iter()
                    .map(|k| k.as_str().to_string()),
            ),
            "RISK" => out.extend(Risk::ALL.iter().map(|k| k.as_str().to_string())),
            "SPEED" => out.extend(Speed::ALL.iter().map(|k| k.as_str().to_string())),
            _ => {}
        }
    }
    out
}

/// Complete the word being typed in `input` (which starts with ':') from
/// the command's usage: roles, people, systems, statuses and references.
/// Returns the new input, and the candidates when more than one remains.
pub fn complete_with(input: &str, known: &Known) -> (String, Vec<String>) {
    let body = &input[1..];
    let words: Vec<&str> = body.split(' ').collect();
    let (done, partial) = words.split_at(words.len() - 1);
    let partial = partial[0];
    let candidates: Vec<String> = match done {
        [] => COMMANDS.iter().map(|c| c.name.to_string()).collect(),
        [cmd, _] if find(cmd).is_some_and(|s| s.name == "sys") => SystemStatus::ALL
            .iter()
            .map(|s| s.as_str().to_string())
            .collect(),
        [cmd, _] | [cmd, _, _]
            if find(cmd).is_some_and(|s| s.name == "dep" || s.name == "undep") =>
        {
            known
                .systems
                .iter()
                .cloned()
                .chain(["->".to_string()])
                .collect()
        }
        [cmd, rest @ ..] => match find(cmd) {
            Some(spec) if spec.name == "mit" => {
                // Leading words are the kind, risk and speed, then text.
                ["KIND", "RISK", "SPEED"]
                    .iter()
                    .skip(rest.len())
                    .flat_map(|t| by_token(t, known))
                    .collect()
            }
            Some(spec) => spec
                .args
                .split_whitespace()
                .nth(rest.len())
                .map(|t| by_token(t, known))
                .unwrap_or_default(),
            None => Vec::new(),
        },
    };
    let lower = partial.to_lowercase();
    let hits: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.to_lowercase().starts_with(&lower))
        .collect();
    let prefix = |s: &str| {
        format!(
            ":{}{}",
            done.iter().map(|w| format!("{w} ")).collect::<String>(),
            s
        )
    };
    match hits.as_slice() {
        [] => (input.to_string(), Vec::new()),
        [one] => (prefix(&format!("{one} ")), Vec::new()),
        many => {
            let common = longest_common_prefix(many);
            let next = if common.chars().count() > partial.chars().count() {
                prefix(&common)
            } else {
                input.to_string()
            };
            (next, many.to_vec())
        }
    }
}

fn longest_common_prefix(words: &[String]) -> String {
    let first = &words[0];
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a.eq_ignore_ascii_case(b))
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    first[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Command, String> {
        super::parse(line, "alice")
    }

    #[test]
    fn update_takes_external_for_the_status_page() {
        assert_eq!(
            parse("update --external We are investigating"),
            Ok(Command::Op(Op::PostUpdate {
                text: "We are investigating".into(),
                external: true,
            }))
        );
        assert_eq!(
            parse("update --externals are fine"),
            Ok(Command::Op(Op::PostUpdate {
                text: "--externals are fine".into(),
                external: false,
            }))
        );
        assert!(
            parse("update --external")
                .unwrap_err()
                .contains("[--external] TEXT")
        );
    }

    #[test]
    fn role_commands() {
        assert_eq!(
            parse("takeover ic"),
            Ok(Command::Takeover {
                role: Role::Commander
            })
        );
        assert!(parse("takeover").unwrap_err().contains(":takeover ROLE"));
        let e = parse("stauts resolved").unwrap_err();
        assert!(e.contains("did you mean `:status`?"), "{e}");
        let e = parse("mit rolback low quick Roll back payments").unwrap_err();
        assert!(
            e.contains("did you mean `rollback`?") && e.contains(":mit custom rolback"),
            "{e}"
        );
        assert!(matches!(
            parse("mit custom rolback the flag"),
            Ok(Command::Op(Op::ProposeMitigation {
                kind: MitigationKind::Custom,
                ..
            }))
        ));
        assert_eq!(
            parse("claim ic"),
            Ok(Command::Op(Op::ClaimRole {
                role: Role::Commander
            }))
        );
        assert_eq!(
            parse("handover ic bob"),
            Ok(Command::Op(Op::OfferRole {
                role: Role::Commander,
                to: "bob".into()
            }))
        );
        assert_eq!(
            parse("accept commander"),
            Ok(Command::Op(Op::AcceptRole {
                role: Role::Commander
            }))
        );
        assert_eq!(
            parse("stepdown comms"),
            Ok(Command::Op(Op::StepDown {
                role: Role::Communications
            }))
        );
    }

    #[test]
    fn clearance_commands() {
        assert_eq!(
            parse("announce restart db-2"),
            Ok(Command::Op(Op::Announce {
                text: "restart db-2".into(),
                mitigation: None,
            }))
        );
        assert_eq!(
            parse("go R3"),
            Ok(Command::Op(Op::Answer {
                request: 3,
                go: true,
                reason: None
            }))
        );
        assert_eq!(
            parse("hold 3 replica lag first"),
            Ok(Command::Op(Op::Answer {
                request: 3,
                go: false,
                reason: Some("replica lag first".into())
            }))
        );
        assert!(parse("go").is_err());
    }

    #[test]
    fn role_dash_empties_it() {
        assert_eq!(
            parse("role comms -"),
            Ok(Command::Op(Op::SetRole {
                role: Role::Communications,
                user: None
            }))
        );
    }

    #[test]
    fn status_severity_and_log_kinds() {
        assert_eq!(
            parse("status mitigated"),
            Ok(Command::Op(Op::set_status(Status::Mitigated)))
        );
        assert_eq!(
            parse("status resolved --keep-freeze --force"),
            Ok(Command::Op(Op::SetStatus {
                status: Status::Resolved,
                force: true,
                keep_freeze: true,
            }))
        );
        assert_eq!(
            parse("sev 1"),
            Ok(Command::Op(Op::SetSeverity {
                severity: Severity::Sev1
            }))
        );
        assert_eq!(
            parse("decision roll back payments"),
            Ok(Command::Op(Op::Log {
                kind: LogKind::Decision,
                text: "roll back payments".into()
            }))
        );
    }

    #[test]
    fn errors_say_what_to_type() {
        assert_eq!(
            parse("status").unwrap_err(),
            "usage: :status investigating|mitigated|resolved [--force] [--keep-freeze]"
        );
        assert!(
            parse("status mitigated --keep-freeze")
                .unwrap_err()
                .contains("only applies when resolving")
        );
        assert!(
            parse("status resolved --frobnicate")
                .unwrap_err()
                .starts_with("usage")
        );
        assert!(
            parse("status resolved mitigated")
                .unwrap_err()
                .starts_with("usage")
        );
        assert!(parse("sev 9").unwrap_err().contains("SEV1"));
        assert!(parse("frob").unwrap_err().contains(":claim"));
    }

    fn complete_t(input: &str, people: &[String]) -> (String, Vec<String>) {
        complete(
            input,
            people,
            &["payments".to_string(), "postgres".to_string()],
        )
    }

    #[test]
    fn followups_take_an_owner_and_a_type_before_the_text() {
        assert_eq!(
            parse("followup @bob prevent Alert on pool saturation"),
            Ok(Command::Op(Op::AddFollowup {
                text: "Alert on pool saturation".into(),
                kind: crate::model::FollowupKind::Prevent,
                owner: Some("bob".into()),
            }))
        );
        assert_eq!(
            parse("followup Write the runbook"),
            Ok(Command::Op(Op::AddFollowup {
                text: "Write the runbook".into(),
                kind: crate::model::FollowupKind::Other,
                owner: None,
            }))
        );
        assert!(parse("followup @bob").is_err());
        assert_eq!(
            parse("done F2"),
            Ok(Command::Op(Op::FinishFollowup { id: 2 }))
        );
        assert_eq!(
            parse("give F2 carol"),
            Ok(Command::Op(Op::OwnFollowup {
                id: 2,
                owner: Some("carol".into())
            }))
        );
    }

    #[test]
    fn milestones_are_typed_with_a_time_and_a_note() {
        assert_eq!(
            parse("milestone impact_started 05:38 first 5xx in the LB log"),
            Ok(Command::Milestone {
                milestone: crate::model::Milestone::ImpactStarted,
                time: "05:38".into(),
                note: Some("first 5xx in the LB log".into()),
            })
        );
        assert!(
            parse("milestone impact_started")
                .unwrap_err()
                .contains("MILESTONE TIME")
        );
        assert!(
            parse("milestone lunch 05:38")
                .unwrap_err()
                .contains("impact_started")
        );
    }

    #[test]
    fn tab_completes_references_people_and_systems_where_the_usage_takes_them() {
        let known = Known {
            people: vec!["bob".into(), "carol".into()],
            systems: vec!["payments".into(), "postgres".into()],
            refs: vec![
                "M1".into(),
                "M2".into(),
                "T1".into(),
                "R3".into(),
                "A2".into(),
                "#41".into(),
                "#42".into(),
            ],
        };
        let c = |s: &str| complete_with(s, &known);
        assert_eq!(c(":start M").1, ["M1", "M2"]);
        assert_eq!(c(":go ").0, ":go R3 ");
        assert_eq!(c(":verify ").0, ":verify A2 ");
        assert_eq!(c(":done ").1, ["M1", "M2", "T1"]);
        assert_eq!(c(":give M1 c").0, ":give M1 carol ");
        assert_eq!(c(":detach b").0, ":detach bob ");
        assert_eq!(c(":snippet #4").1, ["#41", "#42"]);
        assert_eq!(c(":sys po").0, ":sys postgres ");
        assert_eq!(c(":sys postgres fa").0, ":sys postgres failing ");
        assert_eq!(c(":mit rollb").0, ":mit rollback ");
        assert_eq!(c(":mit rollback hi").0, ":mit rollback high ");
        assert_eq!(c(":status mi").0, ":status mitigated ");
        // Free text is never completed.
        assert_eq!(c(":announce rest").0, ":announce rest");
    }

    #[test]
    fn system_commands() {
        assert_eq!(
            parse("sys payments down 5xx at 12% #42"),
            Ok(Command::Op(Op::SetSystem {
                name: "payments".into(),
                status: SystemStatus::Failing,
                evidence: Some(Evidence {
                    text: "5xx at 12%".into(),
                    entry: Some(42)
                }),
                owner: None,
                note: None,
            }))
        );
        assert_eq!(
            parse("dep checkout -> payments"),
            Ok(Command::Op(Op::Depend {
                system: "checkout".into(),
                on: "payments".into()
            }))
        );
        assert_eq!(
            parse("verify A2 psql select 1 ok"),
            Ok(Command::Op(Op::Verify {
                id: 2,
                evidence: Evidence {
                    text: "psql select 1 ok".into(),
                    entry: None
                }
            }))
        );
        assert!(
            parse("verify 2")
                .unwrap_err()
                .contains("say how you checked")
        );
        assert!(parse("sys payments sad").unwrap_err().contains("failing"));
        assert_eq!(complete_t(":sys pa", &[]).0, ":sys payments ");
        assert_eq!(
            complete_t(":sys payments fa", &[]).0,
            ":sys payments failing "
        );
        assert_eq!(
            complete_t(":dep checkout -> po", &[]).0,
            ":dep checkout -> postgres "
        );
    }

    #[test]
    fn completes_commands_roles_and_people() {
        assert_eq!(complete_t(":cl", &[]).0, ":claim ");
        assert_eq!(complete_t(":claim co", &[]).0, ":claim comm");
        assert_eq!(complete_t(":claim comm", &[]).0, ":claim comm");
        assert_eq!(complete_t(":claim commu", &[]).0, ":claim communications ");
        assert_eq!(
            complete_t(":role ic b", &["bob".into(), "carol".into()]).0,
            ":role ic bob "
        );
        let (same, many) = complete_t(":s", &[]);
        assert_eq!(same, ":s");
        assert!(many.iter().all(|c| c.starts_with('s')), "{many:?}");
        assert!(
            many.contains(&"status".to_string()) && many.contains(&"sev".to_string()),
            "{many:?}"
        );
    }
}

#[cfg(test)]
mod mitigation_tests {
    use super::*;

    #[test]
    fn the_bar_takes_what_the_command_line_takes() {
        // `incident mitigation start 3` and `incident break 1.5h` work: so do these.
        assert_eq!(
            parse("start 3", "alice"),
            Ok(Command::Op(Op::StartMitigation { id: 3 }))
        );
        let Ok(Command::Op(Op::StartBreak { minutes, .. })) = parse("break 1.5h", "alice") else {
            panic!("a break");
        };
        assert_eq!(minutes, 90);
        let Ok(Command::Op(Op::StartBreak { minutes, .. })) = parse("break 90s", "alice") else {
            panic!("a break");
        };
        assert_eq!(minutes, 2);
        assert_eq!(
            parse("go 4", "alice"),
            Ok(Command::Op(Op::Answer {
                request: 4,
                go: true,
                reason: None
            }))
        );
        assert_eq!(
            parse("cadence 1h", "alice"),
            Ok(Command::Op(Op::SetUpdateCadence { minutes: 60 }))
        );
        let e = parse("break soon", "alice").unwrap_err();
        assert!(e.contains("is not a duration"), "{e}");
    }

    #[test]
    fn mitigation_commands() {
        assert_eq!(
            parse("mit rollback low Roll back payments", "alice"),
            Ok(Command::Op(Op::ProposeMitigation {
                text: "Roll back payments".into(),
                kind: MitigationKind::Rollback,
                risk: Risk::Low,
                speed: Speed::Quick,
                system: None,
                owner: None,
            }))
        );
        assert_eq!(
            parse("start M3", "a"),
            Ok(Command::Op(Op::StartMitigation { id: 3 }))
        );
        assert_eq!(
            parse("failed m3 no change", "a"),
            Ok(Command::Op(Op::FinishMitigation {
                id: 3,
                status: MitigationStatus::Failed,
                result: Some("no change".into())
            }))
        );
        assert_eq!(
            parse("done T2", "a"),
            Ok(Command::Op(Op::FinishTask {
                id: 2,
                result: None
            }))
        );
        assert_eq!(
            parse("take T2", "bob"),
            Ok(Command::Op(Op::OwnTask {
                id: 2,
                owner: Some("bob".into())
            }))
        );
        assert_eq!(
            parse("give M1 carol", "bob"),
            Ok(Command::Op(Op::OwnMitigation {
                id: 1,
                owner: Some("carol".into())
            }))
        );
        assert_eq!(
            parse("freeze bad deploy", "a"),
            Ok(Command::Op(Op::Freeze {
                reason: Some("bad deploy".into())
            }))
        );
        assert!(parse("start T2", "a").is_err());
        assert!(parse("mit low", "a").is_err(), "no text");
    }
}

#[cfg(test)]
mod review_tests {
    use super::*;

    #[test]
    fn mitigation_text_keeps_its_capitalised_first_words() {
        match parse("mit restart medium quick Restart payments pods", "a") {
            Ok(Command::Op(Op::ProposeMitigation { text, kind, .. })) => {
                assert_eq!(
                    (text.as_str(), kind),
                    ("Restart payments pods", MitigationKind::Restart)
                );
            }
            other => panic!("{other:?}"),
        }
        match parse("mit Restart payments pods", "a") {
            Ok(Command::Op(Op::ProposeMitigation { text, .. })) => {
                assert_eq!(text, "Restart payments pods")
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(parse("sys Payments down", "a"), Ok(Command::Op(op)) if matches!(op.clone().normalized(), Op::SetSystem { name, .. } if name == "payments"))
        );
    }
}

//! The write verbs, each defined once: a clap definition (its words, its
//! help, what completes it) and the operation it builds. The command line
//! (`incident status resolved`) and the view's `:` bar (`:status
//! resolved`, or a short form such as `:endbreak`) both parse through
//! these definitions and build through [`build`]; shell completions, Tab
//! in the bar, the help overlay and the manual pages are generated from
//! them.

pub mod bar;
pub mod complete;
mod escalate;
pub mod maintenance;
mod roles;
mod shorts;
mod systems;
mod work;

pub use escalate::EscalateArgs;
pub use roles::RoleAction;
pub use systems::{Check, SystemAction};
pub use work::{FollowupAction, MitigationAction, TaskAction};

use crate::cli::args::*;
use crate::model::refs::{EntryRef, Minutes};
use crate::model::{CloseKind, Evidence, Role, Status};
use crate::ops::Op;

/// What a verb asks for: an operation, or (in the view) something shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Act {
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
    /// Take back the draft kept from the last run (the view offers it).
    Resume,
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
    /// A maintenance window: the team's, not the incident's.
    Maintenance(maintenance::Maintenance),
}

/// What [`build`] made of a parsed command.
// Made once per command and taken apart at once: never stored, so its
// size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Built {
    /// The incident it names (`-i`), and what it asks for.
    Act(Which, Act),
    /// The words parsed but mean nothing: why, in a sentence.
    Refused(String),
    /// Not a single write of the shared grammar (a read, or a surface's
    /// own work such as reading a file or waiting): the caller's to do.
    Other(Box<Command>),
}

/// One word as typed in the bar: its text (quotes taken off) and where it
/// stands in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Where the words came from, for reading free text back: the shell split
/// the command line's already, so they are joined with spaces; the bar's
/// free text is taken as typed (spacing, quotes and apostrophes kept).
pub enum Said<'a> {
    Cli,
    Bar { line: &'a str, toks: &'a [Tok] },
}

impl Said<'_> {
    /// The free text `words` stand for.
    pub fn text(&self, words: Vec<String>) -> String {
        let Said::Bar { line, toks } = self else {
            return words.join(" ");
        };
        let n = words.len();
        if n > 1 && n <= toks.len() {
            let tail = &toks[toks.len() - n..];
            if tail.iter().zip(&words).all(|(t, w)| &t.text == w) {
                return line[tail[0].start..tail[n - 1].end].to_string();
            }
        }
        words.join(" ")
    }

    /// The free text, or nothing when there is none.
    pub fn opt(&self, words: Vec<String>) -> Option<String> {
        Some(self.text(words)).filter(|t| !t.trim().is_empty())
    }

    /// How `words` of the grammar are typed on this surface.
    pub fn typed(&self, words: &str) -> String {
        match self {
            Said::Cli => format!("incident {words}"),
            Said::Bar { .. } => format!(":{words}"),
        }
    }
}

/// Evidence from its words: `--run` (or a `#42` among the words, on either
/// surface) cites the log entry of an `incident run`.
pub fn evidence(said: &Said, words: Vec<String>, run: Option<EntryRef>) -> Evidence {
    let cited = |w: &str| w.strip_prefix('#').and_then(|n| n.parse::<u64>().ok());
    if let Some(run) = run {
        return Evidence {
            text: said.text(words),
            entry: Some(run.0),
        };
    }
    let entry = words.iter().find_map(|w| cited(w));
    if entry.is_none() {
        return Evidence {
            text: said.text(words),
            entry: None,
        };
    }
    let text: Vec<String> = words.into_iter().filter(|w| cited(w).is_none()).collect();
    Evidence {
        text: text.join(" "),
        entry,
    }
}

/// The operation a snippet of log entry `entry` adds to the appendix: the
/// run's command and output, or the entry's text.
pub fn snippet_op(inc: &crate::model::Incident, entry: u64, title: String) -> Result<Op, String> {
    let e = entry
        .checked_sub(1)
        .and_then(|i| inc.log.get(i as usize))
        .ok_or_else(|| format!("There is no log entry #{entry}"))?;
    let text = match &e.evidence {
        Some(ev) => format!("$ {}\n{}", ev.command, ev.output),
        None => e.current_text().to_string(),
    };
    Ok(Op::AddSnippet {
        title,
        text,
        entry: Some(entry),
    })
}

fn op(which: Which, op: Op) -> Built {
    Built::Act(which, Act::Op(op))
}

/// What a parsed command asks for, the same on both surfaces; `me` takes
/// what `take` takes.
pub fn build(cmd: Command, me: &str, said: &Said) -> Built {
    use Command as C;
    match cmd {
        C::Log(LogArgs { which, kind, text }) => op(
            which,
            Op::Log {
                kind,
                text: said.text(text),
            },
        ),
        C::Role(RoleArgs { action }) => roles::build(action),
        C::Announce(AnnounceArgs { which, text, .. }) => op(
            which,
            Op::Announce {
                text: said.text(text),
                mitigation: None,
            },
        ),
        C::Answer(AnswerArgs {
            which,
            request,
            verdict,
            reason,
        }) => op(
            which,
            Op::Answer {
                request: request.0,
                go: verdict == "go",
                reason: said.opt(reason),
            },
        ),
        C::Doc(DocArgs {
            action:
                DocAction::Append {
                    which,
                    section,
                    text,
                },
        }) => op(
            which,
            Op::AppendSection {
                section,
                text: said.text(text),
            },
        ),
        C::Snippet(SnippetArgs {
            action:
                SnippetAction::Add {
                    which,
                    title,
                    file: None,
                    entry: Some(entry),
                },
        }) => Built::Act(
            which,
            Act::Snippet {
                entry: entry.0,
                title,
            },
        ),
        C::Pin(PinArgs { which, entry }) => op(which, Op::Pin { entry: entry.0 }),
        C::Unpin(UnpinArgs { which, entry }) => op(which, Op::Unpin { entry: entry.0 }),
        C::Update(args) => update(args, said),
        C::System(SystemArgs { action }) => systems::build(action, said),
        C::Assume(AssumeArgs {
            which,
            source,
            text,
        }) => op(
            which,
            Op::Assume {
                text: said.text(text),
                source,
            },
        ),
        C::Verify(VerifyArgs { which, check }) => {
            let (id, evidence) = systems::check(check, said);
            op(which, Op::Verify { id, evidence })
        }
        C::Refute(RefuteArgs { which, check }) => {
            let (id, evidence) = systems::check(check, said);
            op(which, Op::Refute { id, evidence })
        }
        C::Impact(ImpactArgs { which, text }) => op(
            which,
            Op::SetImpact {
                text: said.text(text),
            },
        ),
        C::Mitigation(MitigationArgs { action }) => work::mitigation(action, me, said),
        C::Task(TaskArgs { action }) => work::task(action, me, said),
        C::Followup(FollowupArgs { action }) => work::followup(action, me, said),
        C::Maintenance(MaintenanceArgs { action }) => maintenance::build(action, said),
        C::Escalate(args) => escalate::build(args, said),
        other => lifecycle(other, said),
    }
}

/// Status, severity, freeze, breaks, food, detach, closing and amending.
fn lifecycle(cmd: Command, said: &Said) -> Built {
    use Command as C;
    match cmd {
        C::Freeze(FreezeArgs {
            which,
            state,
            reason,
            ..
        }) if state == "on" => op(
            which,
            Op::Freeze {
                reason: said.opt(reason),
            },
        ),
        C::Freeze(FreezeArgs { which, state, .. }) if state == "off" => op(which, Op::Unfreeze),
        C::Break(BreakArgs { which, what, .. }) if what == "end" => op(which, Op::EndBreak),
        C::Break(BreakArgs {
            which,
            what,
            reason,
        }) => match what.parse::<Minutes>() {
            Ok(m) => op(
                which,
                Op::StartBreak {
                    kind: crate::model::BreakKind::Team,
                    minutes: m.0,
                    reason: said.opt(reason),
                },
            ),
            Err(e) => Built::Refused(e),
        },
        C::Food(FoodArgs { which, note }) => op(
            which,
            Op::OrderFood {
                note: said.opt(note),
            },
        ),
        C::Detach(DetachArgs { which, user, note }) => op(
            which,
            Op::Detach {
                user,
                note: said.opt(note),
            },
        ),
        C::Status(StatusArgs {
            keep_freeze: true,
            status,
            ..
        }) if status != Status::Resolved => Built::Refused(format!(
            "--keep-freeze only applies when resolving: {}",
            said.typed("status resolved --keep-freeze")
        )),
        C::Status(StatusArgs {
            which,
            status,
            force,
            keep_freeze,
        }) => op(
            which,
            Op::SetStatus {
                status,
                force,
                keep_freeze,
            },
        ),
        C::Severity(SeverityArgs { which, severity }) => op(which, Op::SetSeverity { severity }),
        C::Cancel(CancelArgs { which, reason }) => op(
            which,
            Op::Close {
                kind: CloseKind::FalseAlarm,
                into: None,
                reason: Some(said.text(reason)),
            },
        ),
        C::Correct(CorrectArgs { which, entry, text }) => op(
            which,
            Op::Correct {
                entry: entry.0,
                text: said.text(text),
            },
        ),
        C::Retract(RetractArgs {
            which,
            entry,
            reason,
        }) => op(
            which,
            Op::Retract {
                entry: entry.0,
                reason: said.text(reason),
            },
        ),
        C::Milestone(MilestoneArgs {
            which,
            milestone: Some(milestone),
            time: Some(time),
            note,
        }) => Built::Act(
            which,
            Act::Milestone {
                milestone,
                time,
                note,
            },
        ),
        other => Built::Other(Box::new(other)),
    }
}

/// `update TEXT` posts, `update --every MIN` sets the cadence; both at
/// once are two writes, the command line's to do.
fn update(args: UpdateArgs, said: &Said) -> Built {
    match (args.every, args.text.is_empty()) {
        (None, false) => op(
            args.which,
            Op::PostUpdate {
                text: said.text(args.text),
                external: args.external,
            },
        ),
        (Some(m), true) if !args.external => op(args.which, Op::SetUpdateCadence { minutes: m.0 }),
        (None, true) => Built::Refused(String::new()),
        _ => Built::Other(Box::new(Command::Update(args))),
    }
}

#[cfg(test)]
mod tests;

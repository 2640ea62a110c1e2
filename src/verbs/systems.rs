//! Systems and assumptions: `incident system set ...`, `incident verify
//! ...`, and the bar's `:sys`, `:dep`, `:suspect`, `:verify A1 #42 ...`.

use super::complete::Bar;
use super::{Act, Built, Said};
use crate::cli::args::{Which, parse};
use crate::model::refs::{AssumptionRef, EntryRef};
use crate::model::{Evidence, SystemStatus};
use crate::ops::Op;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum SystemAction {
    /// Set a system's status: unknown, ok, degraded, failing
    Set {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "NAME", add = Bar::Systems)]
        system: String,
        #[arg(value_parser = parse::<SystemStatus>, add = crate::cli::completion::words(SystemStatus::ALL))]
        status: SystemStatus,
        /// How you know: the command run and what it said
        #[arg(long, value_name = "TEXT", conflicts_with = "said")]
        evidence: Option<String>,
        /// The log entry of an `incident run` that shows it (#42 or 42)
        #[arg(long, value_name = "ENTRY", value_parser = parse::<EntryRef>)]
        run: Option<EntryRef>,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// The evidence, as the last words instead of --evidence (a #42
        /// among them cites that run)
        #[arg(num_args = 0.., value_name = "EVIDENCE")]
        said: Vec<String>,
    },
    /// Record that A depends on B
    Depend {
        #[command(flatten)]
        which: Which,
        #[arg(add = Bar::Systems)]
        a: String,
        #[arg(add = Bar::Systems)]
        b: String,
    },
    /// Remove the record that A depends on B
    Undepend {
        #[command(flatten)]
        which: Which,
        #[arg(add = Bar::Systems)]
        a: String,
        #[arg(add = Bar::Systems)]
        b: String,
    },
    /// List the systems, their status and dependencies
    List {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Load a service map: TOML, JSON or Backstage catalog-info.yaml
    Import {
        #[command(flatten)]
        which: Which,
        file: PathBuf,
    },
    /// Name the system you suspect caused it (outranks the graph's guess), or --clear
    Suspect {
        #[command(flatten)]
        which: Which,
        /// A system of the incident (`incident system list`)
        #[arg(
            value_name = "NAME",
            required_unless_present = "clear",
            conflicts_with = "clear",
            add = Bar::Systems
        )]
        system: Option<String>,
        /// Why: an assumption (A2) or a log entry (#12) that shows it
        #[arg(long, value_name = "A2|#N", value_parser = parse::<crate::model::CauseLink>, conflicts_with = "clear")]
        because: Option<crate::model::CauseLink>,
        /// Take the named suspect back: the graph's guess leads again
        #[arg(long)]
        clear: bool,
    },
}

/// Closing an assumption: which one, and the evidence.
#[derive(Debug, Args, Clone)]
pub struct Check {
    /// The assumption (A2 or 2)
    #[arg(value_parser = parse::<AssumptionRef>, add = Bar::Refs('A'))]
    pub assumption: AssumptionRef,
    /// The log entry of an `incident run` that shows it (#42 or 42; a #42
    /// among the evidence's words does the same)
    #[arg(long, value_name = "ENTRY", value_parser = parse::<EntryRef>)]
    pub run: Option<EntryRef>,
    /// How it was checked: the command run and what it said
    #[arg(num_args = 0.., value_name = "EVIDENCE")]
    pub evidence: Vec<String>,
}

/// The assumption a check closes, and its evidence.
pub fn check(c: Check, said: &Said) -> (u64, Evidence) {
    (c.assumption.0, super::evidence(said, c.evidence, c.run))
}

fn op(which: Which, op: Op) -> Built {
    Built::Act(which, Act::Op(op))
}

/// What a system verb asks for; listing and importing a file are the
/// command line's own.
pub fn build(action: SystemAction, said: &Said) -> Built {
    use SystemAction as A;
    match action {
        A::Set {
            which,
            system,
            status,
            evidence,
            run,
            owner,
            note,
            said: words,
        } => {
            let words = match evidence {
                Some(text) => vec![text],
                None => words,
            };
            let evidence = (!words.is_empty() || run.is_some())
                .then(|| super::evidence(said, words, run))
                .filter(|e: &Evidence| !e.text.trim().is_empty() || e.entry.is_some());
            op(
                which,
                Op::SetSystem {
                    name: system,
                    status,
                    evidence,
                    owner,
                    note,
                },
            )
        }
        A::Depend { which, a, b } => op(which, Op::Depend { system: a, on: b }),
        A::Undepend { which, a, b } => op(which, Op::Undepend { system: a, on: b }),
        A::Suspect { which, clear, .. } if clear => op(which, Op::ClearSuspect),
        A::Suspect {
            which,
            system: Some(system),
            because,
            ..
        } => op(which, Op::NameSuspect { system, because }),
        A::Suspect { .. } => Built::Refused(format!(
            "name the system you suspect ({}), or --clear",
            said.typed("system suspect NAME [--because A2|#N]")
        )),
        other => Built::Other(Box::new(crate::cli::Command::System(
            crate::cli::args::SystemArgs { action: other },
        ))),
    }
}

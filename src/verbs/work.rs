//! Mitigations, investigation tasks and follow-ups: `incident mitigation
//! add ...` and the bar's `:mit`, `:task`, `:done M1`, ...

use super::complete::Bar;
use super::{Act, Built, Said};
use crate::cli::args::{Which, parse};
use crate::model::refs::{FollowupRef, MitigationRef, TaskRef};
use crate::model::{FollowupKind, MitigationKind, MitigationStatus, Risk, Speed};
use crate::ops::Op;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum FollowupAction {
    /// Add a follow-up; prints its id (F2)
    Add {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        owner: Option<String>,
        /// prevent, mitigate, process or other
        #[arg(long = "type", value_parser = parse::<FollowupKind>, default_value = "other")]
        kind: FollowupKind,
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Follow-ups with their type, owner and status
    List {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Take a follow-up yourself
    Take {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<FollowupRef>, add = Bar::Refs('F'))]
        item: FollowupRef,
    },
    /// Give a follow-up to USER
    Give {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<FollowupRef>, add = Bar::Refs('F'))]
        item: FollowupRef,
        #[arg(add = Bar::People)]
        user: String,
    },
    /// A follow-up is done
    Done {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<FollowupRef>, add = Bar::Refs('F'))]
        item: FollowupRef,
    },
}

#[derive(Debug, Subcommand)]
pub enum MitigationAction {
    /// Propose a mitigation; prints its id (M3)
    Add {
        #[command(flatten)]
        which: Which,
        /// rollback, freeze_deploys, scale_down, noop_endpoint, restart, failover, custom
        #[arg(long, default_value = "custom", value_parser = parse::<MitigationKind>)]
        kind: MitigationKind,
        /// low, medium, high
        #[arg(long, default_value = "medium", value_parser = parse::<Risk>)]
        risk: Risk,
        /// quick, slow
        #[arg(long, default_value = "quick", value_parser = parse::<Speed>)]
        speed: Speed,
        /// The system it is for
        #[arg(long, value_name = "NAME")]
        system: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// It is a procedure: starting it gives everyone a short pause first
        #[arg(long)]
        procedure: bool,
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Mitigations in order (quick and low-risk first), and suggestions
    List {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Routine mitigations for the failing systems, not yet proposed
    Suggest {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Take a mitigation yourself
    Take {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<MitigationRef>, add = Bar::Refs('M'))]
        item: MitigationRef,
    },
    /// Give a mitigation to someone
    Give {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<MitigationRef>, add = Bar::Refs('M'))]
        item: MitigationRef,
        #[arg(add = Bar::People)]
        user: String,
    },
    /// Start it; destructive ones ask the commander first (--wait waits for go)
    Start {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<MitigationRef>, add = Bar::Refs('M'))]
        item: MitigationRef,
        #[arg(long)]
        wait: bool,
        #[arg(long, value_name = "SECS", default_value_t = 600)]
        timeout: u64,
    },
    /// It worked
    Done {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<MitigationRef>, add = Bar::Refs('M'))]
        item: MitigationRef,
        #[arg(num_args = 0.., value_name = "RESULT")]
        result: Vec<String>,
    },
    /// It did not work (it stays visible)
    Failed {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<MitigationRef>, add = Bar::Refs('M'))]
        item: MitigationRef,
        #[arg(num_args = 0.., value_name = "RESULT")]
        result: Vec<String>,
    },
    /// Not doing it after all
    Abandon {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<MitigationRef>, add = Bar::Refs('M'))]
        item: MitigationRef,
        #[arg(num_args = 0.., value_name = "RESULT")]
        result: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TaskAction {
    /// Add a task; prints its id (T2)
    Add {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        owner: Option<String>,
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Tasks and their owners
    List {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Take a task yourself
    Take {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<TaskRef>, add = Bar::Refs('T'))]
        item: TaskRef,
    },
    /// Give a task to USER
    Give {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<TaskRef>, add = Bar::Refs('T'))]
        item: TaskRef,
        #[arg(add = Bar::People)]
        user: String,
    },
    /// A task is done
    Done {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID", value_parser = parse::<TaskRef>, add = Bar::Refs('T'))]
        item: TaskRef,
        #[arg(num_args = 0.., value_name = "RESULT")]
        result: Vec<String>,
    },
}

fn op(which: Which, op: Op) -> Built {
    Built::Act(which, Act::Op(op))
}

/// What a mitigation verb asks for; starting with `--wait`, or proposing
/// a procedure (two writes), is the command line's own.
pub fn mitigation(action: MitigationAction, me: &str, said: &Said) -> Built {
    use MitigationAction as A;
    let finish = |which, id: MitigationRef, status, result| {
        op(
            which,
            Op::FinishMitigation {
                id: id.0,
                status,
                result: said.opt(result),
            },
        )
    };
    match action {
        A::Add {
            which,
            kind,
            risk,
            speed,
            system,
            owner,
            procedure: false,
            text,
        } => op(
            which,
            Op::ProposeMitigation {
                text: said.text(text),
                kind,
                risk,
                speed,
                system,
                owner,
            },
        ),
        A::Take { which, item } => op(
            which,
            Op::OwnMitigation {
                id: item.0,
                owner: Some(me.to_string()),
            },
        ),
        A::Give { which, item, user } => op(
            which,
            Op::OwnMitigation {
                id: item.0,
                owner: Some(user),
            },
        ),
        A::Start {
            which,
            item,
            wait: false,
            ..
        } => op(which, Op::StartMitigation { id: item.0 }),
        A::Done {
            which,
            item,
            result,
        } => finish(which, item, MitigationStatus::Done, result),
        A::Failed {
            which,
            item,
            result,
        } => finish(which, item, MitigationStatus::Failed, result),
        A::Abandon {
            which,
            item,
            result,
        } => finish(which, item, MitigationStatus::Abandoned, result),
        other => Built::Other(Box::new(crate::cli::Command::Mitigation(
            crate::cli::args::MitigationArgs { action: other },
        ))),
    }
}

/// What a task verb asks for.
pub fn task(action: TaskAction, me: &str, said: &Said) -> Built {
    use TaskAction as A;
    match action {
        A::Add { which, owner, text } => op(
            which,
            Op::AddTask {
                text: said.text(text),
                owner,
            },
        ),
        A::Take { which, item } => op(
            which,
            Op::OwnTask {
                id: item.0,
                owner: Some(me.to_string()),
            },
        ),
        A::Give { which, item, user } => op(
            which,
            Op::OwnTask {
                id: item.0,
                owner: Some(user),
            },
        ),
        A::Done {
            which,
            item,
            result,
        } => op(
            which,
            Op::FinishTask {
                id: item.0,
                result: said.opt(result),
            },
        ),
        other => Built::Other(Box::new(crate::cli::Command::Task(
            crate::cli::args::TaskArgs { action: other },
        ))),
    }
}

/// What a follow-up verb asks for.
pub fn followup(action: FollowupAction, me: &str, said: &Said) -> Built {
    use FollowupAction as A;
    match action {
        A::Add {
            which,
            owner,
            kind,
            text,
        } => op(
            which,
            Op::AddFollowup {
                text: said.text(text),
                kind,
                owner,
            },
        ),
        A::Take { which, item } => op(
            which,
            Op::OwnFollowup {
                id: item.0,
                owner: Some(me.to_string()),
            },
        ),
        A::Give { which, item, user } => op(
            which,
            Op::OwnFollowup {
                id: item.0,
                owner: Some(user),
            },
        ),
        A::Done { which, item } => op(which, Op::FinishFollowup { id: item.0 }),
        other => Built::Other(Box::new(crate::cli::Command::Followup(
            crate::cli::args::FollowupArgs { action: other },
        ))),
    }
}

//! `incident escalate TEAM [MESSAGE]` and the bar's `:escalate TEAM
//! MESSAGE`: call a team from the team file's `[[responders]]` for help.

use super::complete::Bar;
use super::{Act, Built, Said};
use crate::cli::args::Which;
use crate::ops::Op;
use clap::Args;

// The arguments of `incident escalate`.
#[derive(Debug, Args)]
pub struct EscalateArgs {
    #[command(flatten)]
    pub which: Which,
    /// The team, as named by a [[responders]] entry of incident.toml (left out: says which teams there are)
    #[arg(value_name = "TEAM", add = Bar::Teams)]
    pub team: Option<String>,
    /// What you need from them (it goes in the page)
    #[arg(num_args = 0.., value_name = "MESSAGE")]
    pub message: Vec<String>,
}

/// The call for help; the team is checked against the team file, and how
/// it is paged filled in, just before writing (`store::workflow::act`),
/// which reads the file off the view's loop: a team left out is refused
/// there, naming the teams the file has (or where to add one).
pub fn build(args: EscalateArgs, said: &Said) -> Built {
    Built::Act(
        args.which,
        Act::Op(Op::Escalate {
            team: args.team.unwrap_or_default(),
            kind: String::new(),
            message: said.opt(args.message),
        }),
    )
}

//! `incident role ...` and the bar's `:claim ic`, `:handover ic bob`, ...

use super::complete::Bar;
use super::{Act, Built};
use crate::cli::args::{Which, parse};
use crate::cli::completion::words;
use crate::model::Role;
use crate::ops::Op;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum RoleAction {
    /// Take an empty role yourself
    Claim {
        #[command(flatten)]
        which: Which,
        /// commander (ic), communications (comms), scribe, ops_lead, sme, liaison
        #[arg(value_parser = parse::<Role>, add = words(Role::ALL))]
        role: Role,
    },
    /// Offer a role you hold to USER; it moves when they accept
    Handover {
        #[command(flatten)]
        which: Which,
        /// commander (ic), communications (comms), scribe, ops_lead, sme, liaison
        #[arg(value_parser = parse::<Role>, add = words(Role::ALL))]
        role: Role,
        #[arg(add = Bar::People)]
        user: String,
    },
    /// Accept a role offered to you
    Accept {
        #[command(flatten)]
        which: Which,
        /// commander (ic), communications (comms), scribe, ops_lead, sme, liaison
        #[arg(value_parser = parse::<Role>, add = words(Role::ALL))]
        role: Role,
    },
    /// Decline a role offered to you
    Decline {
        #[command(flatten)]
        which: Which,
        /// commander (ic), communications (comms), scribe, ops_lead, sme, liaison
        #[arg(value_parser = parse::<Role>, add = words(Role::ALL))]
        role: Role,
    },
    /// Withdraw an offer you made
    Withdraw {
        #[command(flatten)]
        which: Which,
        /// commander (ic), communications (comms), scribe, ops_lead, sme, liaison
        #[arg(value_parser = parse::<Role>, add = words(Role::ALL))]
        role: Role,
    },
    /// Leave a role you hold
    Stepdown {
        #[command(flatten)]
        which: Which,
        /// commander (ic), communications (comms), scribe, ops_lead, sme, liaison
        #[arg(value_parser = parse::<Role>, add = words(Role::ALL))]
        role: Role,
    },
    /// Show an optional role (scribe, ops_lead, sme, liaison) on this incident
    Add {
        #[command(flatten)]
        which: Which,
        /// commander (ic), communications (comms), scribe, ops_lead, sme, liaison
        #[arg(value_parser = parse::<Role>, add = words(Role::ALL))]
        role: Role,
    },
    /// Give ROLE to USER (the commander; anyone while there is none)
    Set {
        #[command(flatten)]
        which: Which,
        /// commander (ic), communications (comms), scribe, ops_lead, sme, liaison
        #[arg(value_parser = parse::<Role>, add = words(Role::ALL))]
        role: Role,
        #[arg(add = Bar::People)]
        user: String,
    },
    /// Leave ROLE empty (the commander, or its holder)
    Clear {
        #[command(flatten)]
        which: Which,
        /// commander (ic), communications (comms), scribe, ops_lead, sme, liaison
        #[arg(value_parser = parse::<Role>, add = words(Role::ALL))]
        role: Role,
    },
    /// Take ROLE from a holder who has been away (no view open, nothing
    /// written) for the team's takeover_after minutes (5 by default)
    Takeover {
        #[command(flatten)]
        which: Which,
        /// commander (ic), communications (comms), scribe, ops_lead, sme, liaison
        #[arg(value_parser = parse::<Role>, add = words(Role::ALL))]
        role: Role,
    },
}

/// The operation a role verb asks for; a takeover is judged where the
/// holder's absence is known (the view's presence, or the presence files).
pub fn build(action: RoleAction) -> Built {
    let (which, op) = match action {
        RoleAction::Takeover { which, role } => return Built::Act(which, Act::Takeover { role }),
        RoleAction::Claim { which, role } => (which, Op::ClaimRole { role }),
        RoleAction::Handover { which, role, user } => (which, Op::OfferRole { role, to: user }),
        RoleAction::Accept { which, role } => (which, Op::AcceptRole { role }),
        RoleAction::Decline { which, role } => (which, Op::DeclineRole { role }),
        RoleAction::Withdraw { which, role } => (which, Op::WithdrawOffer { role }),
        RoleAction::Stepdown { which, role } => (which, Op::StepDown { role }),
        RoleAction::Add { which, role } => (which, Op::AddRole { role }),
        RoleAction::Set { which, role, user } => (
            which,
            Op::SetRole {
                role,
                user: Some(user),
            },
        ),
        RoleAction::Clear { which, role } => (which, Op::SetRole { role, user: None }),
    };
    Built::Act(which, Act::Op(op))
}

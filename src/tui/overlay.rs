//! What is shown on top of a screen, the message bar, and the questions
//! put to this responder.

use super::notes::NoteCheck;
use crate::model::Role;
use crate::ops::Op;
use chrono::{DateTime, Utc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// Help, scrolled down by this many lines.
    Help(u16),
    /// Who has the incident open.
    Responders,
    /// Assumptions, unverified first.
    Assumptions,
    /// A drill's debrief.
    Debrief,
    /// Ten seconds of breathing before the war room, when just paged.
    Breathe {
        since: DateTime<Utc>,
    },
    ConfirmQuit,
    /// The whole output of the run recorded as log entry `seq`, scrolled
    /// down by `top` lines.
    Output {
        seq: u64,
        top: u16,
    },
    /// What changed since this person left, or the handover brief: Esc
    /// closes it, and so does any other key (which is not typed).
    Arrival(Box<crate::model::arrival::Arrival>),
    /// A question before a change that leaves something open: `y` commits
    /// `op`; `text` is what was typed, put back if it is not saved.
    Confirm {
        question: String,
        op: Box<Op>,
        text: String,
    },
    /// A note to look at before it is sent: a paste (its lines, sent as
    /// one note), or a note so short or so like a pane key that it may
    /// have been meant for a pane. `y` sends it; any other key puts it
    /// back in the input bar.
    ConfirmNote {
        lines: Vec<String>,
        why: NoteCheck,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub tone: Tone,
}

/// How long the breathing screen lasts.
/// How long the breathing screen lasts.
pub const BREATHE_SECS: i64 = 10;

/// A question put to this responder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Prompt {
    /// A role offered to them.
    Offer { role: Role, from: String },
    /// As commander: a request waiting for go or hold.
    Request { id: u64, by: String, text: String },
    /// As commander: time to order food.
    Food { due: DateTime<Utc> },
}

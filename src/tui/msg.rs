//! What comes into the app ([`Msg`]) and what it asks the session to
//! carry out ([`Effect`]).

use crate::model::{Incident, Severity};
use crate::ops::Op;
use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

/// Something the event loop must do for the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Append this operation to the open incident.
    Commit(Op),
    /// Declare a new incident and open it; `force` even when an active
    /// one has a similar title.
    Declare {
        title: String,
        severity: Severity,
        force: bool,
    },
    /// Open this incident.
    Open(String),
    /// Back to the list of incidents.
    ShowPicker,
    /// Write the input history out (it changed).
    SaveHistory,
    /// Show the incident as it stood at another moment (`[`, `]`, `:at`).
    Look(super::look_back::Look),
    /// Back to now: what was kept for looking back can go.
    BackToNow,
    /// Run a maintenance verb (the team's windows, not this incident's
    /// file), then read the windows again.
    Maintenance(crate::verbs::maintenance::Maintenance),
    /// Leave.
    Quit,
}

/// Everything that can change the app: the one way in (`App::update`).
#[derive(Debug)]
pub enum Msg<'a> {
    /// A key typed at this time (as tests and scripts give it: never
    /// judged a paste; the terminal's keys come as [`Msg::KeyArrived`]).
    Key(KeyEvent, DateTime<Utc>),
    /// Text pasted (bracketed paste).
    Paste(&'a str),
    /// The terminal's new size.
    Resize(u16, u16),
    /// The open incident as it now stands (another copy wrote, or ours).
    Incident(&'a Incident),
    /// Who has the incident open.
    Presence(crate::store::presence::Roster),
    /// How a write went (the worker's report): the text typed for it
    /// comes back if it failed.
    Committed(super::committer::Outcome),
    /// The clock, once a second while one is on screen.
    Tick(DateTime<Utc>),
    /// A key as the terminal delivered it, stamped on arrival: keys
    /// arriving faster than anyone types are a paste (see `burst`), and a
    /// paste never sends a line nor answers a question.
    KeyArrived(KeyEvent, DateTime<Utc>),
    /// The incident at the moment asked for, or `None`: back to now
    /// (stepped forward past the newest entry).
    Looked(Option<Box<super::look_back::Past>>),
    /// The time of the frame about to be drawn: layout depends on it (a
    /// running break shows a banner).
    Now(DateTime<Utc>),
    /// Something the session has to say: an error, or news.
    Notice(super::overlay::Tone, String),
    /// A screen opened (an incident, the picker), and what to say first.
    Show {
        screen: Box<super::app::Screen>,
        said: Option<String>,
    },
    /// The incidents to pick from, listed again: the selection stays.
    Listed(super::panes::picker::Picker),
    /// The open incident stopped loading (a corrupt line appended).
    LoadFailed(String),
    /// Deploy freezes other incidents hold: their id and notice.
    FrozenElsewhere(Vec<(String, String)>),
    /// The other active incidents (no drills), worst first, then oldest.
    OthersActive(Vec<super::room::OtherIncident>),
    /// The team's `takeover_after` minutes, read again.
    TakeoverAfter(u32),
    /// The teams that can be called for help (`[[responders]]`), read again.
    Teams(Vec<String>),
    /// The maintenance windows active now, read again.
    Windows(Vec<crate::store::maintenance::Window>),
    /// Food is due (the commander is asked).
    FoodDue(DateTime<Utc>),
    /// Declaring would probably duplicate this active incident (id, title).
    Similar { id: String, title: String },
    /// The text sent with a write went to the writer with it.
    Handed,
    /// Writes handed to the writer and not yet on disk.
    Sending(usize),
    /// The input history, read.
    History(super::history::History),
    /// The watcher fell back to polling.
    Polling(bool),
    /// Ten seconds of breathing first, from this moment.
    Breathe(DateTime<Utc>),
    /// This is `incident --demo` (see [`super::app::App::set_demo`]).
    Demo(bool),
    /// Leave.
    Quit,
}

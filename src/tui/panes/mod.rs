//! One module per pane. Each renders from state only.

pub mod arrival;
pub mod assumptions;
pub mod bleeding;
pub mod breaks;
pub mod care;
pub mod debrief;
pub mod document;
pub mod header;
pub mod help;
pub mod hints;
pub mod input;
pub mod links;
pub mod log;
pub mod mitigations;
pub mod picker;
pub mod prompt;
pub mod requests;
pub mod responders;
pub mod roles;
pub mod welcome;

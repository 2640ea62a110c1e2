//! The live full-screen view shared by every responder.

pub mod app;
pub mod background;
pub mod burst;
pub mod cells;
pub mod clock;
pub mod command;
pub mod committer;
pub mod doc;
pub mod event_loop;
pub mod headless;
pub mod history;
pub mod keymap;
pub mod look_back;
pub mod msg;
pub mod notes;
pub mod opening;
pub mod overlay;
pub mod panes;
pub mod room;
pub mod session;
pub mod terminal;
pub mod theme;
pub mod ticker;
pub mod view;
pub mod wrap;

//! The live view: keys, panes, snapshots (ratatui TestBackend) and the session on a real store.
//!
//! One test binary per layer, so the suite links the crate a few times,
//! not once per file.

#[path = "../common/mod.rs"]
mod common;

mod human;
mod tui_arrival;
mod tui_away;
mod tui_bleeding;
mod tui_corrections;
mod tui_cutoffs;
mod tui_document;
mod tui_escalate;
mod tui_keys;
mod tui_lifecycle;
mod tui_look_back;
mod tui_maintenance;
mod tui_mitigations;
mod tui_notify;
mod tui_pages;
mod tui_paste;
mod tui_readme;
mod tui_refusals;
mod tui_runs;
mod tui_screens;
mod tui_session;
mod tui_sizes;

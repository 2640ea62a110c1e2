//! The command line on the built binary: every subcommand end to end.
//!
//! One test binary per layer, so the suite links the crate a few times,
//! not once per file.

#[path = "../common/mod.rs"]
mod common;

mod as_of_cli;
mod bleeding_cli;
mod catchup_cli;
mod clearance;
mod cli;
mod closing;
mod corrections;
mod creates;
mod doctor;
mod document_cli;
mod door;
mod drills;
mod escalate;
mod export;
mod followups;
mod freeze_cli;
mod hostile;
mod intake;
mod lifecycle_cli;
mod listener;
mod maintenance_cli;
mod mcp;
mod milestones;
mod mitigation_cli;
mod notify;
mod packaging;
mod pages_fit;
mod paging;
mod refusals_cli;
mod run_go;
mod screen_cli;
mod settings_cli;
mod show_cli;
mod stats;
mod takeover;
mod truth;
mod web_browser;
mod web_page;
mod which_cli;

//! Parsers and rules with no terminal: pager payloads, service maps, bounded property runs.
//!
//! One test binary per layer, so the suite links the crate a few times,
//! not once per file.

#[path = "../common/mod.rs"]
mod common;

mod pager;
mod props;
mod systems_import;
mod timeline;

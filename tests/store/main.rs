//! The store: one file per incident, many processes at once, crashes and disk faults.
//!
//! One test binary per layer, so the suite links the crate a few times,
//! not once per file.

#[path = "../common/mod.rs"]
mod common;

mod faults;
mod index;
mod shared_box;
mod store_concurrency;
mod store_crash;
mod store_errors;
mod stress;

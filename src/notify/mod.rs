//! Updates that leave the box: chat webhooks, a generic JSON webhook,
//! Statuspage, and the PagerDuty resolve.
//!
//! Every live view, `incident listen` and `incident update` send what is
//! due ([`deliver_due`]): each claims one delivery in the incident file
//! under its lock first (the rules in `ops::rules::notify` refuse a second
//! claim), sends it with a timeout, then records how it went.

pub mod acks;
mod deliver;
pub mod escalate;
pub mod payload;
pub mod plan;
pub mod report;
pub mod responders;
pub mod send;
pub mod settings;
pub mod sweep;

pub use deliver::{Round, deliver_due};

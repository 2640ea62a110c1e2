//! A drill: practice on a made-up incident that lives beside the real ones.
//! It is marked DRILL everywhere and is never mistaken for the real thing:
//! it is left out of `incident active`, the login hint, the deploy freeze
//! and the statistics, and real pages never join it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a drill incident carries: its scenario, its clock, and which of
/// the scenario's steps have happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drill {
    /// The scenario's name ("bad-deploy").
    pub scenario: String,
    /// Its clock runs this many times faster than the wall clock.
    pub speed: u32,
    pub started_at: DateTime<Utc>,
    /// The steps already played, so a restarted runner never plays one twice.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub played: BTreeSet<DrillStep>,
}

/// One step of a scenario: an event on its timeline, or a reaction to
/// what the responders did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "step", content = "index", rename_all = "snake_case")]
pub enum DrillStep {
    Event(u32),
    Reaction(u32),
}

impl Drill {
    /// How far into the scenario its clock is at `now`.
    pub fn elapsed(&self, now: DateTime<Utc>) -> chrono::Duration {
        (now - self.started_at).max(chrono::Duration::zero()) * self.speed as i32
    }

    /// The scenario clock's reading `d` of wall time after `since`.
    pub fn scaled(&self, since: DateTime<Utc>, now: DateTime<Utc>) -> chrono::Duration {
        (now - since).max(chrono::Duration::zero()) * self.speed as i32
    }
}

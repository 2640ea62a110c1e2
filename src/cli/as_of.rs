//! `--at TIME` for `incident show` and `incident screen`: the incident as
//! it stood then, for scripts and for the post-mortem meeting. Times are
//! read as the live view's `:at` reads them, in UTC.

use super::Failure;
use crate::model::Incident;
use crate::model::when::{self, Zone};
use crate::store::IncidentFile;
use crate::store::timeline::{Point, Timeline};
use chrono::Utc;

/// The incident at a moment, and how many entries it has now.
pub struct Then {
    pub state: Incident,
    pub point: Point,
    pub entries: u64,
}

/// The incident in `file` as it stood at `at` (as typed).
pub fn then(file: &IncidentFile, at: &str) -> Result<Then, Failure> {
    let declared = file.incident().declared_at;
    let when = when::parse(at, declared, Utc::now(), Zone::Utc)
        .map_err(|e| Failure::usage(format!("--at: {e}")))?;
    let timeline = Timeline::open(file.path())?;
    let point = timeline
        .find(when)
        .map_err(|e| Failure::usage(format!("--at: {e}")))?;
    Ok(Then {
        state: timeline.state_at(point.record)?,
        point,
        entries: timeline.entries(),
    })
}

impl Then {
    /// The first line of `incident show --at`: which moment this is.
    pub fn heading(&self) -> String {
        format!(
            "AS OF {} · #{} of {} · read-only (without --at: as it stands now)",
            self.point.at.format("%Y-%m-%d %H:%M:%S UTC"),
            self.point.entry,
            self.entries
        )
    }

    /// The incident as `incident show --json` gives it, with an `as_of`
    /// object saying when: `at`, `entry` (the newest shown) and `entries`
    /// (how many there are now).
    pub fn json(&self) -> serde_json::Value {
        // Who had a view open then is not recorded.
        let mut v = super::output::show_json(&self.state, self.point.at, |_| None);
        if let Some(map) = v.as_object_mut() {
            map.insert(
                "as_of".into(),
                serde_json::json!({
                    "at": self.point.at,
                    "entry": self.point.entry,
                    "entries": self.entries,
                }),
            );
        }
        v
    }
}

//! A maintenance window for a system bleeding in this incident: its pages
//! are being held back (counted on the window, declaring nothing), which
//! the room should know. Named in the banner row.

use crate::store::maintenance::Window;
use crate::tui::room::Room;
use chrono::{DateTime, Utc};

/// The active windows covering a system failing or degraded here.
pub fn held_back(room: &Room, now: DateTime<Utc>) -> Vec<&Window> {
    room.around
        .maintenance
        .iter()
        .filter(|w| w.is_active(now))
        .filter(|w| {
            room.incident
                .systems
                .iter()
                .any(|(name, s)| s.status.is_bleeding() && w.covers(name))
        })
        .collect()
}

/// ` MAINTENANCE payments until 05:30 (W1, 3 pages held back) `: None
/// while no such window is active. `hm` writes a time of day.
pub fn banner(
    room: &Room,
    now: DateTime<Utc>,
    hm: &dyn Fn(DateTime<Utc>) -> String,
) -> Option<String> {
    let parts: Vec<String> = held_back(room, now)
        .into_iter()
        .map(|w| {
            format!(
                "{} until {} ({}, {} held back; :maintenance end {})",
                crate::sanitize::line(&w.service),
                hm(w.until),
                w.name(),
                match w.suppressed {
                    1 => "1 page".to_string(),
                    n => format!("{n} pages"),
                },
                w.name()
            )
        })
        .collect();
    (!parts.is_empty()).then(|| format!(" MAINTENANCE {} ", parts.join(" · ")))
}

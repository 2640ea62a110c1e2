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

/// ` MAINTENANCE payments until 05:30 (W1, 3 pages held back; :maintenance
/// end W1) `: None while no such window is active. `hm` writes a time of
/// day. Within `width` columns: each window shorter ("payments until
/// 05:30 (W1, 3 held back)"), then the first and how many more, with
/// where to see them.
pub fn banner(
    room: &Room,
    now: DateTime<Utc>,
    hm: &dyn Fn(DateTime<Utc>) -> String,
    width: usize,
) -> Option<String> {
    use crate::tui::wrap::{truncate, width as w};
    let held = held_back(room, now);
    let first = held.first()?;
    let pages = |n: u64, long: bool| match (n, long) {
        (1, true) => "1 page".to_string(),
        (n, true) => format!("{n} pages"),
        (n, false) => n.to_string(),
    };
    let full = |w: &Window| {
        format!(
            "{} until {} ({}, {} held back; :maintenance end {})",
            crate::sanitize::line(&w.service),
            hm(w.until),
            w.name(),
            pages(w.suppressed, true),
            w.name()
        )
    };
    let short = |w: &Window| {
        format!(
            "{} until {} ({}, {} held back)",
            crate::sanitize::line(&w.service),
            hm(w.until),
            w.name(),
            pages(w.suppressed, false)
        )
    };
    let all = |f: &dyn Fn(&Window) -> String| {
        let parts: Vec<String> = held.iter().map(|w| f(w)).collect();
        format!(" MAINTENANCE {} ", parts.join(" · "))
    };
    let long = all(&full);
    if w(&long) <= width {
        return Some(long);
    }
    let brief = all(&short);
    if w(&brief) <= width {
        return Some(brief);
    }
    let more = match held.len() - 1 {
        0 => String::new(),
        n => format!(" · +{n} more (:maintenance list)"),
    };
    // The first window, shorter still before it is cut: its service and
    // end, without the count.
    let room_for = width.saturating_sub(w(&more) + 1);
    let head = [
        format!(" MAINTENANCE {}", short(first)),
        format!(
            " MAINTENANCE {} until {} ({})",
            crate::sanitize::line(&first.service),
            hm(first.until),
            first.name()
        ),
    ]
    .into_iter()
    .find(|h| w(h) <= room_for)
    .unwrap_or_else(|| {
        truncate(
            &format!(
                " MAINTENANCE {} until {}",
                crate::sanitize::line(&first.service),
                hm(first.until)
            ),
            room_for,
        )
    });
    Some(format!("{head}{more} "))
}

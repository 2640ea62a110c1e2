//! A page for a service in a maintenance window: it declares nothing and
//! joins nothing; it is counted on the window (see
//! [`crate::store::maintenance`]).
//!
//! Only a page that fires (a trigger) is held back, or an acknowledgement
//! of an alert no incident has (of a page held back), and only when it
//! names a service: the service, job or component the pager parsers
//! take from the alert (the name it would be shown under as a failing
//! system), matched exactly, case-insensitively, with the window's. An
//! acknowledgement, a resolve or a note still goes to the incident that
//! has the alert. Each delivery counts, a sender's retry too. A drill's
//! scripted pages do not come through here (the drill plays them into
//! its own incident), so a window never holds them back.

use super::{Outcome, Received, key_of};
use crate::pager::{Alert, AlertState};
use crate::store::Store;
use crate::store::maintenance::{self, Suppressed};

/// The verdict on `alert` if a window holds it back (and it is counted
/// there); else None, and it is taken in as usual. When the windows cannot
/// be read or written, the page is taken in as usual too (a page must
/// never be lost to its windows), with a note saying why (the `Err`). So
/// is a group whose alerts name several services when one of them is in
/// no window: a window for `db` never holds back a page for `payments`.
pub fn held_back(store: &Store, alert: &Alert) -> Result<Option<Received>, String> {
    if !matches!(alert.state, AlertState::Triggered) {
        return Ok(None);
    }
    held_back_any(store, alert)
}

/// As [`held_back`], for an acknowledgement no incident has: the page it
/// acknowledges was held back by a window (the on-call silenced their
/// phone), so it declares nothing either.
pub fn held_back_ack(store: &Store, alert: &Alert) -> Result<Option<Received>, String> {
    if !matches!(alert.state, AlertState::Acknowledged { .. }) {
        return Ok(None);
    }
    held_back_any(store, alert)
}

fn held_back_any(store: &Store, alert: &Alert) -> Result<Option<Received>, String> {
    let Some(service) = &alert.service else {
        return Ok(None);
    };
    let now = chrono::Utc::now();
    let unchecked = |e: &dyn std::fmt::Display| {
        format!(
            "the maintenance windows could not be checked ({}), so this page was taken in as usual",
            crate::sanitize::line(&e.to_string())
        )
    };
    if !alert.services.is_empty() {
        let windows = maintenance::active(store.dir(), now).map_err(|e| unchecked(&e))?;
        let outside: Vec<&str> = alert
            .services
            .iter()
            .filter(|s| !windows.iter().any(|w| w.covers(s)))
            .map(String::as_str)
            .collect();
        if !outside.is_empty() {
            let named = || alert.services.iter().chain([service]);
            return match windows.iter().find(|w| named().any(|s| w.covers(s))) {
                Some(w) => Err(format!(
                    "{} is in maintenance ({}), but this page also names {} (in no window): it was taken in as usual",
                    crate::sanitize::line(&w.service),
                    w.name(),
                    outside.join(", ")
                )),
                None => Ok(None),
            };
        }
    }
    let page = Suppressed {
        at: now,
        source: alert.source.label().to_string(),
        key: key_of(alert),
        title: crate::sanitize::line(&alert.title).into_owned(),
    };
    let counted = maintenance::suppress(store.dir(), service, page).map_err(|e| unchecked(&e))?;
    let Some(w) = counted else {
        return Ok(None);
    };
    let until = crate::verbs::maintenance::when(w.until, now);
    Ok(Some(Received {
        outcome: Outcome::Suppressed {
            window: w.name(),
            service: w.service.clone(),
            until: w.until,
            count: w.suppressed,
        },
        notes: vec![format!(
            "{} is in maintenance ({} until {until}: {}, by {}): this {} page declares nothing; {} has {} so far. To end the window early: incident maintenance end {}",
            w.service,
            w.name(),
            w.reason,
            w.by,
            alert.source.label(),
            w.name(),
            w.counted(),
            w.name()
        )],
    }))
}

//! Maintenance windows: `incident maintenance add|list|end` and the bar's
//! `:maintenance ...`, defined once. A window is the team's, not an
//! incident's: it is written to the directory's windows
//! ([`crate::store::maintenance`]), not to an incident file, so the verb
//! runs through [`run`] on both surfaces.

use super::complete::Bar;
use super::{Act, Built, Said};
use crate::ops::maintenance as rules;
use crate::store::maintenance::{self as store, MaintenanceError, Window};
use chrono::{DateTime, Utc};
use clap::Subcommand;
use std::path::Path;

#[derive(Debug, Subcommand)]
pub enum MaintenanceAction {
    /// Put SERVICE in maintenance (--for 2h, or --until 06:00 UTC): its pages declare nothing until then, and are counted; prints the window's id (W1)
    Add {
        /// The service, as a page names it (the failing system it shows)
        #[arg(value_name = "SERVICE", add = Bar::Systems)]
        service: String,
        /// How long: 90s, 45m, 2h, 1h30m, 1d
        #[arg(long = "for", value_name = "DURATION")]
        for_: Option<String>,
        /// Until when: 06:00 (UTC, the next one) or 2026-12-06T06:00Z
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
        #[arg(num_args = 0.., value_name = "REASON")]
        reason: Vec<String>,
    },
    /// The active windows, with what they suppressed (--all: the ended ones of the last 30 days too)
    List {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    /// End a window early (W1)
    End {
        #[arg(value_name = "ID", add = Bar::Refs('W'))]
        window: String,
    },
}

/// What a maintenance verb asks for, as typed (read against the clock
/// when it runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Maintenance {
    Add {
        service: String,
        for_: Option<String>,
        until: Option<String>,
        reason: String,
    },
    List {
        all: bool,
    },
    End {
        window: String,
    },
}

/// The verb as the bar and the command line build it.
pub fn build(action: MaintenanceAction, said: &Said) -> Built {
    let m = match action {
        MaintenanceAction::Add {
            service,
            for_,
            until,
            reason,
        } => Maintenance::Add {
            service,
            for_,
            until,
            reason: said.text(reason),
        },
        MaintenanceAction::List { all, .. } => Maintenance::List { all },
        MaintenanceAction::End { window } => Maintenance::End { window },
    };
    Built::Act(Default::default(), Act::Maintenance(m))
}

/// `W3`, `w3` or `3` as the window's number.
pub fn window_id(word: &str, typed: &dyn Fn(&str) -> String) -> Result<u64, String> {
    let t = word.trim();
    t.strip_prefix(['W', 'w'])
        .unwrap_or(t)
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            format!(
                "'{}' is not a maintenance window: use its id, e.g. {} ({} lists them)",
                crate::sanitize::line(word),
                typed("maintenance end W1"),
                typed("maintenance list")
            )
        })
}

/// What running a maintenance verb did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Added(Window),
    Ended(Window),
    Listed(Vec<Window>),
}

impl Done {
    /// One line (or one per window) for people.
    pub fn text(&self, now: DateTime<Utc>) -> String {
        let fmt = |t: DateTime<Utc>| when(t, now);
        match self {
            Done::Added(w) => format!(
                "{}: {} is in maintenance until {}: its pages declare nothing, and are counted",
                w.name(),
                w.service,
                fmt(w.until)
            ),
            Done::Ended(w) => format!(
                "{} ended: pages for {} declare again ({} while it ran)",
                w.name(),
                crate::sanitize::line(&w.service),
                w.counted()
            ),
            Done::Listed(ws) if ws.is_empty() => "no maintenance window".into(),
            Done::Listed(ws) => ws
                .iter()
                .map(|w| w.line(now, &fmt))
                .collect::<Vec<_>>()
                .join("\n"),
        }
    }
}

/// A time as the windows are shown: `05:30 UTC` today, else with the date.
pub fn when(t: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if t.date_naive() == now.date_naive() {
        t.format("%H:%M UTC").to_string()
    } else {
        t.format("%Y-%m-%d %H:%M UTC").to_string()
    }
}

/// Run `m` on the windows of `dir` as `me`; `said` says how refusals
/// name what to type.
pub fn run(
    dir: &Path,
    me: &str,
    m: &Maintenance,
    now: DateTime<Utc>,
    said: &Said,
) -> Result<Done, MaintenanceError> {
    let typed = |w: &str| said.typed(w);
    let refused = MaintenanceError::Refused;
    match m {
        Maintenance::Add {
            service,
            for_,
            until,
            reason,
        } => {
            let service = rules::service(service, &typed).map_err(refused)?;
            let end =
                rules::end(for_.as_deref(), until.as_deref(), now, &typed).map_err(refused)?;
            let reason = rules::reason(reason, &typed).map_err(refused)?;
            store::add(dir, me, &service, &reason, end, now, &typed).map(Done::Added)
        }
        Maintenance::End { window } => {
            let id = window_id(window, &typed).map_err(refused)?;
            store::end(dir, me, id, now, &typed).map(Done::Ended)
        }
        Maintenance::List { all } => {
            let mut ws = store::all(dir)?;
            if !all {
                ws.retain(|w| w.is_active(now));
            }
            Ok(Done::Listed(ws))
        }
    }
}

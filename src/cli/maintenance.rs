//! `incident maintenance add|list|end`: the verb is defined in
//! `crate::verbs::maintenance`, shared with the bar; this prints.

use super::{Ctx, Failure, emit};
use crate::store::maintenance::{MaintenanceError, Window};
use crate::verbs::maintenance::{self as verb, Done, MaintenanceAction};
use crate::verbs::{Act, Built, Said};
use std::io::Write;

impl From<MaintenanceError> for Failure {
    fn from(e: MaintenanceError) -> Self {
        match e {
            MaintenanceError::Refused(m) => Failure::usage(m),
            MaintenanceError::Store(e) => e.into(),
        }
    }
}

/// Run one maintenance verb: `add` prints the new window's id (W1) and
/// says what it does on standard error; `list` prints a line per window
/// (or a JSON array with --json); `end` says what the window suppressed.
pub fn run(ctx: &Ctx, out: &mut impl Write, action: MaintenanceAction) -> Result<i32, Failure> {
    let json = matches!(action, MaintenanceAction::List { json: true, .. });
    let Built::Act(_, Act::Maintenance(m)) = verb::build(action, &Said::Cli) else {
        return Err(Failure::usage(
            "incident maintenance: add SERVICE --for 2h REASON, list, or end W1",
        ));
    };
    let now = chrono::Utc::now();
    let done = verb::run(ctx.store.dir(), ctx.me.who(), &m, now, &Said::Cli)?;
    match &done {
        Done::Added(w) => {
            emit(out, &w.name())?;
            eprintln!("{}", done.text(now));
        }
        Done::Listed(ws) if json => {
            let v: Vec<serde_json::Value> = ws.iter().map(|w| as_json(w, now)).collect();
            emit(out, &serde_json::Value::from(v).to_string())?;
        }
        Done::Listed(ws) if ws.is_empty() => eprintln!("{}", done.text(now)),
        _ => emit(out, &done.text(now))?,
    }
    Ok(0)
}

/// A window as `maintenance list --json` prints it: its stored fields,
/// with its id as typed (`W1`), whether it is active now, and when it
/// stops suppressing.
pub fn as_json(w: &Window, now: chrono::DateTime<chrono::Utc>) -> serde_json::Value {
    let mut v = serde_json::to_value(w).unwrap_or_default();
    v["window"] = w.name().into();
    v["active"] = w.is_active(now).into();
    v["ends"] = serde_json::to_value(w.end()).unwrap_or_default();
    v
}

/// The active windows, a line each, for `incident list` and the login
/// hint (`incident active`): one small file read. A file that cannot be
/// read is said, not hidden (pages may be held back by it).
pub fn active_lines(dir: &std::path::Path, now: chrono::DateTime<chrono::Utc>) -> Vec<String> {
    match crate::store::maintenance::active(dir, now) {
        Ok(ws) => ws
            .iter()
            .map(|w| {
                format!(
                    "MAINTENANCE {} until {} ({}: {}) · {}",
                    crate::sanitize::line(&w.service),
                    verb::when(w.until, now),
                    w.name(),
                    crate::sanitize::line(&w.reason),
                    w.counted()
                )
            })
            .collect(),
        Err(e) => vec![format!(
            "MAINTENANCE windows cannot be read: {}",
            crate::sanitize::line(&e.to_string())
        )],
    }
}

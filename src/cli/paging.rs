//! `page` and `active`.

use super::{Ctx, Failure, emit, live};
use crate::intake::{self, Outcome};
use crate::pager::{self, Source};
use crate::sanitize;
use crate::store::Listed;
use std::io::{IsTerminal, Read, Write};
use std::path::Path;

/// Read, parse and file a payload; print what was done with it
/// (`declared INC-3`, `joined INC-1`, `logged INC-1`, `ignored: why`), or
/// the same as JSON.
pub fn page(
    ctx: &Ctx,
    source: &str,
    open: bool,
    json: bool,
    file: Option<&Path>,
) -> Result<i32, Failure> {
    let source: Option<Source> = match source {
        "auto" => None,
        s => Some(
            s.parse()
                .map_err(|e: pager::PagerError| Failure::usage(e.to_string()))?,
        ),
    };
    let mut bytes = Vec::new();
    match file {
        Some(p) if p.as_os_str() != "-" => {
            bytes =
                std::fs::read(p).map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?;
        }
        _ => {
            std::io::stdin()
                .take(16 * 1024 * 1024)
                .read_to_end(&mut bytes)
                .map_err(|e| {
                    Failure::usage(format!("cannot read the payload from standard input: {e}"))
                })?;
        }
    }
    let say =
        |outcome: &Outcome, source: Option<Source>, notes: &[String]| -> Result<(), Failure> {
            let mut out = std::io::stdout().lock();
            if json {
                emit(
                    &mut out,
                    &intake::report(outcome, source, notes).to_string(),
                )?;
            } else {
                emit(&mut out, &outcome.line())?;
            }
            Ok(())
        };
    let alert = match pager::parse(source, &bytes) {
        Ok(alert) => alert,
        // Well-formed, but about no alert: answered, as the listener does.
        Err(e) => match intake::ignorable(&e) {
            Some(outcome) => {
                let seen = serde_json::from_slice(&bytes)
                    .ok()
                    .and_then(|v| pager::detect(&v));
                say(&outcome, source.or(seen), &[])?;
                return Ok(0);
            }
            None => return Err(Failure::usage(e.to_string())),
        },
    };
    let received = intake::take(&ctx.store, &ctx.me, &alert)?;
    let outcome = received.outcome;
    say(&outcome, Some(alert.source), &received.notes)?;
    match &outcome {
        Outcome::Declared(id) => {
            let how = match &alert.state {
                pager::AlertState::Acknowledged { by } => format!(
                    " (acknowledged there{}; no incident had that alert)",
                    by.as_deref()
                        .map(|b| format!(" by {}", sanitize::line(b)))
                        .unwrap_or_default()
                ),
                _ => String::new(),
            };
            eprintln!(
                "{id} declared from {}{how}: \"{}\". Join with: incident open {id}",
                alert.source.label(),
                sanitize::line(&alert.title)
            );
        }
        Outcome::Joined(id) => {
            eprintln!(
                "{id}: {} page logged there (same alert). Join with: incident open {id}",
                alert.source.label()
            );
        }
        Outcome::Logged(id) => {
            eprintln!(
                "{id}: {} {} logged there. Join with: incident open {id}",
                alert.source.label(),
                intake::follow_up_noun(&alert.state)
            );
        }
        Outcome::Redelivered(id) => {
            eprintln!(
                "{id}: the same {} {} was taken before; it is logged there once, and nothing was written again",
                alert.source.label(),
                intake::follow_up_noun(&alert.state)
            );
            return Ok(0);
        }
        Outcome::Ignored(_) => return Ok(0),
        Outcome::Suppressed { .. } => {
            for note in &received.notes {
                eprintln!("{}", sanitize::line(note));
            }
            return Ok(0);
        }
    }
    for note in &received.notes {
        eprintln!("{}", sanitize::line(note));
    }
    if open && std::io::stdout().is_terminal() {
        // Just paged: the live view starts with the breathing pause.
        live::open_paged(ctx, outcome.incident().map(str::to_string), true)?;
    }
    Ok(0)
}

/// `active`: one line per active incident, or exit 1; then a line per
/// service in maintenance (not with `--short`).
pub fn active(ctx: &Ctx, out: &mut impl Write, short: bool) -> Result<i32, Failure> {
    let now = chrono::Utc::now();
    let lines: Vec<String> = ctx
        .store
        .list_active()
        .unwrap_or_default()
        .into_iter()
        .filter_map(|l| match l {
            Listed::Ok(inc) if inc.is_live() => Some(inc),
            _ => None,
        })
        .map(|inc| {
            let title = sanitize::line(&inc.title);
            if short {
                format!("{} {} {title}", inc.id, inc.severity)
            } else {
                let ic = inc
                    .commander()
                    .map(|c| format!("IC {}", sanitize::line(c)))
                    .unwrap_or_else(|| "no IC".into());
                let age = super::output::elapsed(inc.declared_at, now);
                format!(
                    "ACTIVE INCIDENT {} {} \"{title}\" · {ic} · {age} old · join: incident open {}",
                    inc.id, inc.severity, inc.id
                )
            }
        })
        .collect();
    // Services in maintenance, after the incidents (not in --short, whose
    // lines are incidents only): one small file.
    let windows = if short {
        Vec::new()
    } else {
        super::maintenance::active_lines(ctx.store.dir(), now)
    };
    let code = if lines.is_empty() { 1 } else { 0 };
    let all: Vec<String> = lines.into_iter().chain(windows).collect();
    if !all.is_empty() {
        emit(out, &all.join("\n"))?;
    }
    Ok(code)
}

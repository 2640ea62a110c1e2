//! `system`, `bleeding`, `assume`, `verify`, `refute`, `impact`.

use super::{Ctx, Failure, emit};
use crate::model::{Incident, System};
use crate::ops::Op;
use crate::sanitize;
use crate::systems::{analysis, cause, import};
use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

/// Read a service map for importing; errors are the user's input (2).
pub fn read_map(path: &Path) -> Result<Op, Failure> {
    let systems = import::load(path).map_err(|e| Failure::usage(e.to_string()))?;
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Op::ImportSystems { source, systems })
}

/// `incident system list`.
pub fn list(
    ctx: &Ctx,
    out: &mut impl Write,
    which: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let file = ctx.store.resolve(which)?;
    let inc = file.incident();
    if json {
        let list: Vec<&System> = inc.systems.values().collect();
        emit(out, &serde_json::to_string_pretty(&list).expect("json"))
    } else {
        emit(out, &system_table(inc))
    }
}

/// How a system's status is known: "verified 14:02Z by alice".
pub fn checked(s: &System) -> String {
    match (&s.changed_by, s.changed_at) {
        (Some(_), Some(at)) if s.reported_by.is_some() => {
            format!("reported by pager {}", at.format("%H:%MZ"))
        }
        (Some(by), Some(at)) => {
            // Verified means evidence; a status given without it is not.
            let how = if s.is_verified() {
                "verified"
            } else {
                "unverified"
            };
            format!("{how} {} by {}", at.format("%H:%MZ"), sanitize::line(by))
        }
        _ => "unchecked".into(),
    }
}

fn system_table(inc: &Incident) -> String {
    if inc.systems.is_empty() {
        return "No systems yet: `incident system set NAME failing` or `incident system import FILE`".into();
    }
    let mut out = format!(
        "{:<24} {:<9} {:<24} {:<16} DEPENDS ON\n",
        "SYSTEM", "STATUS", "CHECKED", "OWNER"
    );
    for s in inc.systems.values() {
        let deps: Vec<&str> = s.depends_on.iter().map(String::as_str).collect();
        let _ = writeln!(
            out,
            "{:<24} {:<9} {:<24} {:<16} {}",
            sanitize::line(&s.name),
            s.status.as_str(),
            checked(s),
            sanitize::line(s.owner.as_deref().unwrap_or("-")),
            deps.join(", ")
        );
    }
    out.pop();
    out
}

pub fn bleeding(
    ctx: &Ctx,
    out: &mut impl Write,
    id: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let file = ctx.store.resolve(id)?;
    let inc = file.incident();
    if json {
        return emit(
            out,
            &serde_json::to_string_pretty(&bleeding_json(inc)).expect("json"),
        );
    }
    emit(out, &bleeding_text(inc))
}

/// What `incident bleeding --json` prints (and `incident show --json`
/// under `bleeding`).
pub fn bleeding_json(inc: &Incident) -> serde_json::Value {
    let b = analysis::analyse(&inc.systems);
    let cause = cause::suspicion_with(inc, &b);
    #[derive(serde::Serialize)]
    struct Out<'a> {
        /// Named or verified by people, above the graph's guess.
        cause: &'a cause::Suspicion,
        #[serde(flatten)]
        graph: &'a analysis::Bleeding,
    }
    serde_json::to_value(Out {
        cause: &cause,
        graph: &b,
    })
    .expect("json")
}

/// What `incident bleeding` says: the suspected source, what to check
/// next, what else will hurt, open assumptions and the impact (`incident
/// show` says the same under "What is bleeding").
pub fn bleeding_text(inc: &Incident) -> String {
    let b = analysis::analyse(&inc.systems);
    let cause = cause::suspicion_with(inc, &b);
    let mut text = String::new();
    if cause.is_empty() {
        let _ = writeln!(
            text,
            "Suspected source: none (no failing or degraded system, or each depends on another)"
        );
    }
    for l in cause.lines(&|t| t.format("%H:%MZ").to_string()) {
        let _ = writeln!(text, "{l}");
    }
    if !b.check_next.is_empty() {
        let list: Vec<String> = b
            .check_next
            .iter()
            .map(|c| {
                format!(
                    "{} ({} bleeding above)",
                    sanitize::line(&c.name),
                    c.bleeding_above
                )
            })
            .collect();
        let _ = writeln!(text, "Check next: {}", list.join(", "));
    }
    if !b.blast_radius.is_empty() {
        let _ = writeln!(
            text,
            "Blast radius (will hurt too): {}",
            sanitize::line(&b.blast_radius.join(", "))
        );
    }
    for c in &b.cycles {
        let _ = writeln!(
            text,
            "Cycle: {} -> {}",
            sanitize::line(&c.join(" -> ")),
            sanitize::line(&c[0])
        );
    }
    let open: Vec<_> = inc
        .assumptions
        .iter()
        .filter(|a| a.state == crate::model::AssumptionState::Unverified)
        .collect();
    if !open.is_empty() {
        let _ = writeln!(text, "Unverified assumptions:");
        for a in open {
            let _ = writeln!(
                text,
                "  A{} {} ({} at {})",
                a.id,
                sanitize::line(&a.text),
                sanitize::line(&a.by),
                a.at.format("%H:%MZ")
            );
        }
    }
    if let Some(now) = inc.impact_now() {
        let i = now.estimate;
        let _ = writeln!(
            text,
            "{}: {} ({} at {})",
            now.label(true),
            sanitize::line(&now.text(|t| t.format("%H:%MZ").to_string())),
            sanitize::line(&i.by),
            i.at.format("%H:%MZ")
        );
    }
    text.pop();
    text
}

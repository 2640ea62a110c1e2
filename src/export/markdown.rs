//! The post-mortem as Markdown, in the shape of the example post-mortem of
//! Google's SRE book: header facts, summary, impact, root causes, trigger,
//! resolution, detection, action items, lessons learned, timeline and
//! supporting information.
//!
//! User text is escaped so it renders as the literal text it is: it can
//! never open a list, a heading, a table cell, a link or raw HTML. Only
//! appendix snippets keep their text verbatim, inside a code fence longer
//! than any backtick run in them.

use super::escape::{blocks, cell, inline, line_text as esc};
use super::{
    ActionItem, Checked, Fix, LogLine, Marker, NotTried, PostMortem, RoleTermPart, Run, Suspected,
    TimelineEntry, UpdatePart,
};
use crate::model::Milestone;
use crate::model::milestone::{human, spoken};
use chrono::{DateTime, NaiveDate, Utc};

/// What the authors have to fill in.
const TO_BE_WRITTEN: &str = "_To be written._";
/// An empty field.
const NONE: &str = "—";

pub(crate) fn render(pm: &PostMortem) -> String {
    let blocks = [
        header(pm),
        summary(pm),
        drill_debrief(pm),
        impact(pm),
        root_causes(pm),
        format!("## Trigger\n\n{TO_BE_WRITTEN}"),
        resolution(pm),
        detection(pm),
        action_items(&pm.action_items),
        lessons_learned(),
        timeline(&pm.timeline),
        milestones(pm),
        communications(&pm.updates),
        decisions(&pm.decisions),
        roles(&pm.roles),
        supporting_information(pm),
        appendix(&pm.log),
    ];
    let mut out = blocks
        .into_iter()
        .filter(|b| !b.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    out.push('\n');
    out
}

fn header(pm: &PostMortem) -> String {
    let date = pm.declared_at.date_naive();
    let mut times = vec![format!("declared {}", time_on(date, pm.declared_at))];
    if let Some(t) = pm.impact_ceased_at {
        times.push(format!("mitigated {}", time_on(date, t)));
    }
    if let Some(t) = pm.resolved_at {
        times.push(format!("resolved {}", time_on(date, t)));
    }
    let roles = format!(
        "commander: {}, communications: {}",
        or_none(pm.commander.as_deref()),
        or_none(pm.communications.as_deref()),
    );
    let authors: Vec<String> = pm.authors.iter().map(|a| esc(a)).collect();
    [
        format!("# {} — post-mortem (draft)", esc(&pm.title)),
        format!("{} · {} · {}", esc(&pm.id), pm.severity, pm.status),
        format!(
            "**Date:** {} — {}",
            date.format("%Y-%m-%d"),
            times.join(", ")
        ),
        format!("**Authors:** {} ({roles})", authors.join(", ")),
        format!(
            "**Status:** draft, fill in the blanks (incident {})",
            pm.status
        ),
    ]
    .into_iter()
    .chain(closed_and_related(pm))
    .collect::<Vec<_>>()
    .join("\n\n")
}

/// A closed incident says how, and that it was not resolved; links to
/// other incidents follow.
fn closed_and_related(pm: &PostMortem) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = &pm.closed {
        let why = c
            .reason
            .as_deref()
            .map(|r| format!(": {}", inline(r, 0)))
            .unwrap_or_default();
        out.push(format!(
            "**Closed as a {}** by {} at {} UTC{why}. Not resolved: it does not count as a resolved incident.",
            esc(&c.label),
            esc(&c.by),
            c.at.format("%Y-%m-%d %H:%M")
        ));
    }
    if !pm.related.is_empty() {
        let related: Vec<String> = pm.related.iter().map(|r| esc(r)).collect();
        out.push(format!("**Related:** {}", related.join(", ")));
    }
    out
}

fn summary(pm: &PostMortem) -> String {
    let mut s = format!("## Summary\n\n{}", or_placeholder(pm.summary.as_deref()));
    if let Some(line) = durations(pm) {
        s.push_str(&format!("\n\n{line}"));
    }
    if let Some(exec) = &pm.executive_summary {
        s.push_str(&format!("\n\n### Executive summary\n\n{}", blocks(exec)));
    }
    s
}

/// A drill's debrief, point by point; nothing for a real incident.
fn drill_debrief(pm: &PostMortem) -> String {
    let Some(d) = &pm.drill else {
        return String::new();
    };
    let items: Vec<String> = d
        .points
        .iter()
        .map(|p| {
            list_item(
                None,
                &format!(
                    "{} **{}:** {}",
                    p.verdict.mark(),
                    esc(p.topic),
                    inline(&p.text, 2)
                ),
            )
        })
        .collect();
    format!(
        "## Drill debrief\n\nThis was a drill (scenario {}): practice, not an outage.\n\n{}",
        esc(&d.scenario),
        items.join("\n")
    )
}

fn impact(pm: &PostMortem) -> String {
    let mut s = format!("## Impact\n\n{}", or_placeholder(pm.impact.text.as_deref()));
    if !pm.impact.estimates.is_empty() {
        let items: Vec<String> = pm
            .impact
            .estimates
            .iter()
            .map(|e| {
                let text = format!("{} ({})", inline(&e.text, 2), esc(&e.by));
                list_item(Some(e.at), &text)
            })
            .collect();
        s.push_str(&format!(
            "\n\nImpact estimates, oldest first:\n\n{}",
            items.join("\n")
        ));
    }
    s
}

fn root_causes(pm: &PostMortem) -> String {
    let rc = &pm.root_causes;
    let mut parts = vec!["## Root causes".to_string()];
    // What the responders established leads; the graph's guess comes
    // last, and says it is one.
    if !rc.causes.is_empty() {
        let items: Vec<String> = rc.causes.iter().map(cause).collect();
        parts.push(format!(
            "**Cause**, as the responders established it:\n\n{}",
            items.join("\n")
        ));
    }
    if !rc.verified.is_empty() {
        parts.push(format!(
            "**Verified:**\n\n{}",
            assumptions(&rc.verified, "verified")
        ));
    }
    if !rc.refuted.is_empty() {
        parts.push(format!(
            "**Ruled out:**\n\n{}",
            assumptions(&rc.refuted, "ruled out")
        ));
    }
    if !rc.graph_guess.is_empty() {
        let items: Vec<String> = rc.graph_guess.iter().map(suspect).collect();
        parts.push(format!(
            "**Graph's guess** (from the dependency graph; nobody verified it):\n\n{}",
            items.join("\n")
        ));
    }
    if parts.len() == 1 {
        parts.push(TO_BE_WRITTEN.to_string());
    }
    parts.join("\n\n")
}

/// "- **payments** — named by alice at …; because A1 (verified): …".
fn cause(c: &super::CausePart) -> String {
    let verb = if c.basis == "named" {
        "named"
    } else {
        "verified"
    };
    let mut line = format!("- **{}** —", esc(&c.system));
    let by = checked_by(c.by.as_deref(), c.at, "");
    line.push_str(&format!(" {verb}{by}"));
    if let Some(r) = &c.reason {
        let lead = if c.basis == "named" {
            "; because "
        } else {
            ": "
        };
        line.push_str(&format!("{lead}{}", inline(r, 2)));
    }
    line
}

/// "- **payments** (failing): evidence, set by carol at …; unchecked
/// dependencies: redis".
fn suspect(s: &Suspected) -> String {
    let mut line = format!("- **{}** ({})", esc(&s.system), s.status);
    if let Some(ev) = &s.evidence {
        line.push_str(&format!(": {}", inline(ev, 2)));
    }
    line.push_str(&checked_by(s.checked_by.as_deref(), s.checked_at, "set"));
    if !s.unknown_dependencies.is_empty() {
        let deps: Vec<String> = s.unknown_dependencies.iter().map(|d| esc(d)).collect();
        line.push_str(&format!("; unchecked dependencies: {}", deps.join(", ")));
    }
    line
}

fn assumptions(list: &[Checked], verb: &str) -> String {
    list.iter()
        .map(|a| {
            let mut line = format!("- A{}: {}", a.id, inline(&a.text, 2));
            if let Some(src) = &a.source {
                line.push_str(&format!(" (according to {})", esc(src)));
            }
            line.push_str(&format!(" — {verb}"));
            line.push_str(&checked_by(a.checked_by.as_deref(), a.checked_at, ""));
            if let Some(ev) = &a.evidence {
                line.push_str(&format!(": {}", inline(ev, 2)));
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// ", set by carol at 2026-11-26 14:12 UTC" (or "by carol" with no verb).
fn checked_by(by: Option<&str>, at: Option<DateTime<Utc>>, verb: &str) -> String {
    let lead = if verb.is_empty() {
        " by".to_string()
    } else {
        format!(", {verb} by")
    };
    match (by, at) {
        (Some(by), Some(at)) => format!("{lead} {} at {}", esc(by), stamp(at)),
        (Some(by), None) => format!("{lead} {}", esc(by)),
        _ => String::new(),
    }
}

fn resolution(pm: &PostMortem) -> String {
    let done = &pm.resolution.done;
    let mut s = "## Resolution\n\n".to_string();
    if done.is_empty() {
        s.push_str(TO_BE_WRITTEN);
    } else {
        s.push_str(&fixes(done));
    }
    if !pm.resolution.failed.is_empty() {
        s.push_str("\n\n**Tried and failed:**\n\n");
        s.push_str(&fixes(&pm.resolution.failed));
    }
    if !pm.resolution.in_progress.is_empty() {
        s.push_str("\n\n**Still in progress when this was written:**\n\n");
        s.push_str(&not_tried(&pm.resolution.in_progress));
    }
    if !pm.resolution.not_tried.is_empty() {
        s.push_str("\n\n**Not tried** (proposed, never carried out):\n\n");
        s.push_str(&not_tried(&pm.resolution.not_tried));
    }
    s
}

fn not_tried(list: &[NotTried]) -> String {
    list.iter()
        .map(|m| {
            let owner = or_none(m.owner.as_deref());
            let status = m.status.replace('_', " ");
            list_item(
                None,
                &format!(
                    "M{}: {} ({}; owner {owner}; {status})",
                    m.id,
                    inline(&m.text, 2),
                    m.kind
                ),
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// "**Time to detect** 12m · **to acknowledge** 2m · …", measured from
/// the milestones; None while none is known.
fn durations(pm: &PostMortem) -> Option<String> {
    let d = &pm.durations;
    let parts: Vec<String> = [
        ("to detect", d.to_detect_secs),
        ("to acknowledge", d.to_acknowledge_secs),
        ("to mitigate", d.to_mitigate_secs),
        ("to resolve", d.to_resolve_secs),
    ]
    .into_iter()
    .filter_map(|(label, secs)| {
        let secs = secs?;
        Some(format!(
            "**{label}** {}",
            human(chrono::Duration::seconds(secs))
        ))
    })
    .collect();
    if parts.is_empty() {
        return None;
    }
    let from = match d.measured_from {
        Some(Milestone::ImpactStarted) => " (to mitigate and resolve: from when impact started)",
        Some(Milestone::Detected) => {
            " (to mitigate and resolve: from detection, the alert's start; when impact started is not known)"
        }
        Some(_) => {
            " (to mitigate and resolve: from the declaration; when impact started is not known)"
        }
        None => "",
    };
    Some(format!("Time {}{from}.", parts.join(" · ")))
}

fn milestones(pm: &PostMortem) -> String {
    if pm.milestones.is_empty() {
        return format!("## Milestones\n\n{TO_BE_WRITTEN}");
    }
    let mut rows = vec![
        "| Milestone | Time | Known from |".to_string(),
        "| --- | --- | --- |".to_string(),
    ];
    for m in &pm.milestones {
        let known = match &m.note {
            Some(note) => format!("{}: {}", m.known_from, note),
            None => m.known_from.clone(),
        };
        rows.push(format!(
            "| {} | {} | {} |",
            m.name.as_str().replace('_', " "),
            stamp(m.at),
            cell(&known).unwrap_or(NONE.to_string())
        ));
    }
    format!("## Milestones\n\n{}", rows.join("\n"))
}

fn communications(updates: &[UpdatePart]) -> String {
    if updates.is_empty() {
        return "## Communications\n\nNo status update was sent.".to_string();
    }
    let items: Vec<String> = updates
        .iter()
        .map(|u| {
            list_item(
                Some(u.at),
                &format!("{} ({}): {}", esc(&u.by), u.audience, inline(&u.text, 2)),
            )
        })
        .collect();
    format!(
        "## Communications\n\nEvery status update sent, oldest first.\n\n{}",
        items.join("\n")
    )
}

fn decisions(lines: &[LogLine]) -> String {
    if lines.is_empty() {
        return "## Decisions and holds\n\nNo decision, go, hold or command run was logged."
            .to_string();
    }
    let items: Vec<String> = lines.iter().map(log_item).collect();
    format!(
        "## Decisions and holds\n\nDecisions, every go and hold with its reason, every command run with its exit code.\n\n{}",
        items.join("\n")
    )
}

fn roles(terms: &[RoleTermPart]) -> String {
    if terms.is_empty() {
        return "## Who held which role\n\nNo role was held.".to_string();
    }
    let mut rows = vec![
        "| Role | Held by | From | Until |".to_string(),
        "| --- | --- | --- | --- |".to_string(),
    ];
    for t in terms {
        rows.push(format!(
            "| {} | {} | {} | {} |",
            t.role.as_str().replace('_', " "),
            cell(&t.user).unwrap_or(NONE.to_string()),
            stamp(t.from),
            t.until.map_or("still held".to_string(), stamp)
        ));
    }
    format!("## Who held which role\n\n{}", rows.join("\n"))
}

/// The complete action log.
fn appendix(log: &[LogLine]) -> String {
    let items: Vec<String> = log.iter().map(log_item_with_output).collect();
    format!(
        "## Appendix: the action log\n\nEvery entry, oldest first, times UTC. Corrected entries read as corrected.\n\n{}",
        items.join("\n")
    )
}

/// "- #12 **2026-11-26 14:02:30 UTC** carol (note): text".
fn log_item(e: &LogLine) -> String {
    let mut text = format!(
        "#{} **{}** {} ({}): {}",
        e.entry,
        e.at.format("%Y-%m-%d %H:%M:%S UTC"),
        esc(&e.by),
        e.kind.as_str(),
        inline(&e.text, 2)
    );
    if let Some(a) = &e.amended {
        match a.reason.as_deref() {
            Some(reason) if a.how == "retracted" => text.push_str(&format!(
                " — **retracted** by {} at {}: {}",
                esc(&a.by),
                a.at.format("%H:%M UTC"),
                inline(reason, 2)
            )),
            _ => text.push_str(&format!(
                " — corrected by {} at {}; first written as: {}",
                esc(&a.by),
                a.at.format("%H:%M UTC"),
                inline(&a.was, 2)
            )),
        }
    }
    format!("- {text}")
}

/// [`log_item`], with a run's output as the incident kept it, verbatim
/// in a fence under its entry (the appendix).
fn log_item_with_output(e: &LogLine) -> String {
    let item = log_item(e);
    match &e.output {
        Some(out) => {
            let block = code_block(out)
                .lines()
                .map(|l| format!("  {l}"))
                .collect::<Vec<_>>()
                .join("\n");
            format!("{item}\n\n{block}\n")
        }
        None => item,
    }
}

fn fixes(list: &[Fix]) -> String {
    list.iter()
        .map(|f| {
            let owner = or_none(f.owner.as_deref());
            let mut text = format!(
                "M{}: {} ({}; owner {owner})",
                f.id,
                inline(&f.text, 2),
                f.kind
            );
            if let Some(result) = &f.result {
                text.push_str(&format!(" — {}", inline(result, 2)));
            }
            list_item(Some(f.finished_at), &text)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn detection(pm: &PostMortem) -> String {
    let d = &pm.detection;
    let declared = format!(
        "Declared by {} at {}.",
        esc(&d.declared_by),
        stamp(d.declared_at)
    );
    let body = match (&d.source, &d.alert, d.fired_at) {
        (Some(source), Some(alert), Some(fired)) => {
            let mut lines = vec![
                format!("- **Source:** {}", esc(source)),
                format!("- **Alert:** {}", inline(alert, 2)),
            ];
            if let Some(service) = &d.service {
                lines.push(format!("- **Service:** {}", esc(service)));
            }
            lines.push(format!(
                "- **Fired:** {}{}",
                stamp(fired),
                arrived_later("the alert started", fired, "the page", d.arrived_at)
            ));
            lines.push(match (d.acknowledged_at, &d.acknowledged_by) {
                (Some(at), by) => format!(
                    "- **Acknowledged:** {}{}{}",
                    stamp(at),
                    by.as_deref()
                        .map(|b| format!(" by {}", esc(b)))
                        .unwrap_or_default(),
                    arrived_later(
                        "acknowledged at the pager",
                        at,
                        "the acknowledgement",
                        d.acknowledged_arrived_at
                    )
                ),
                _ => "- **Acknowledged:** not at the pager".to_string(),
            });
            for note in &d.notes {
                lines.push(format!("- **Note:** {}", inline(note, 2)));
            }
            format!("Paged.\n\n{}\n\n{declared}", lines.join("\n"))
        }
        _ => {
            let first = d
                .first_entry
                .as_deref()
                .map(|t| format!(" First log entry: {}", inline(t, 0)))
                .unwrap_or_default();
            format!(
                "Not paged through the tool.{first}\n\n{declared}\n\n\
                 How it was noticed (alert, customer report, a person): {TO_BE_WRITTEN}"
            )
        }
    };
    format!("## Detection\n\n{body}")
}

/// " (the alert started 03:34 UTC; the page arrived 03:41 UTC, 7 minutes
/// later)" when what the pager reports arrived more than a minute after
/// it happened there; else nothing.
fn arrived_later(
    happened: &str,
    at: DateTime<Utc>,
    what: &str,
    arrived: Option<DateTime<Utc>>,
) -> String {
    match arrived {
        Some(arrived) if arrived - at > chrono::Duration::minutes(1) => format!(
            " ({happened} {}; {what} arrived {}, {} later)",
            time_on(at.date_naive(), at),
            time_on(at.date_naive(), arrived),
            spoken(arrived - at)
        ),
        _ => String::new(),
    }
}

fn action_items(items: &[ActionItem]) -> String {
    let mut rows = vec![
        "| Action item | Type | Owner | Status |".to_string(),
        "| --- | --- | --- | --- |".to_string(),
    ];
    if items.is_empty() {
        rows.push(format!("| {TO_BE_WRITTEN} | {NONE} | {NONE} | {NONE} |"));
    }
    for it in items {
        rows.push(format!(
            "| {} | {} | {} | {} |",
            cell(&it.item).unwrap_or(NONE.to_string()),
            it.kind.as_str(),
            it.owner
                .as_deref()
                .and_then(cell)
                .unwrap_or(NONE.to_string()),
            cell(&it.status).unwrap_or(NONE.to_string()),
        ));
    }
    format!("## Action items\n\n{}", rows.join("\n"))
}

fn lessons_learned() -> String {
    let sub = |title: &str| format!("### {title}\n\n- {TO_BE_WRITTEN}");
    [
        "## Lessons learned".to_string(),
        sub("What went well"),
        sub("What went wrong"),
        sub("Where we got lucky"),
    ]
    .join("\n\n")
}

fn timeline(entries: &[TimelineEntry]) -> String {
    if entries.is_empty() {
        return format!("## Timeline\n\n{TO_BE_WRITTEN}");
    }
    let items: Vec<String> = entries
        .iter()
        .map(|e| {
            // Corrected entries read as corrected: the wrong form is the
            // appendix's business, not the story's.
            let mut text = format!("{}: {}", esc(&e.by), inline(&e.text, 2));
            if e.amended.is_some() {
                text.push_str(" (corrected)");
            }
            if let Some(m) = e.marker {
                text.push_str(&marker(m));
            }
            list_item(Some(e.at), &text)
        })
        .collect();
    format!("## Timeline\n\nAll times UTC.\n\n{}", items.join("\n"))
}

fn marker(m: Marker) -> String {
    format!(" — **{}**", m.label())
}

fn supporting_information(pm: &PostMortem) -> String {
    if pm.appendix.is_empty() && pm.runs.is_empty() {
        return format!("## Supporting information\n\n{TO_BE_WRITTEN}");
    }
    let mut blocks = Vec::new();
    if !pm.runs.is_empty() {
        blocks.push(format!("### Commands run\n\n{}", runs(&pm.runs)));
    }
    blocks.extend(pm.appendix.iter().map(|s| {
        format!(
            "### S{}: {}\n\n{}",
            s.id,
            esc(&s.title),
            code_block(&s.text)
        )
    }));
    format!("## Supporting information\n\n{}", blocks.join("\n\n"))
}

/// "- **… UTC** carol: kubectl … — **FAILED exit 2** (1.2s), cleared by
/// alice's go (R3) (log #12)".
fn runs(list: &[Run]) -> String {
    list.iter()
        .map(|r| {
            let outcome = if r.failed {
                format!("**{}**", esc(&r.outcome))
            } else {
                esc(&r.outcome)
            };
            let text = format!(
                "{}: {} — {outcome} ({:.1}s), {} (log #{})",
                esc(&r.by),
                esc(&r.command),
                r.duration_ms as f64 / 1000.0,
                esc(&r.clearance),
                r.entry
            );
            list_item(Some(r.at), &text)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Verbatim text in a fence no line of it can close.
fn code_block(text: &str) -> String {
    let fence = "`".repeat(longest_backtick_run(text).max(2) + 1);
    let body = text.trim_end_matches('\n');
    if body.is_empty() {
        format!("{fence}\n{fence}")
    } else {
        format!("{fence}\n{body}\n{fence}")
    }
}

fn longest_backtick_run(text: &str) -> usize {
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// "- **2026-11-26 14:02 UTC** text".
fn list_item(at: Option<DateTime<Utc>>, text: &str) -> String {
    match at {
        Some(at) => format!("- **{}** {text}", stamp(at)),
        None => format!("- {text}"),
    }
}

/// "2026-11-26 14:02 UTC": lists carry dates, incidents cross midnight.
fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// "14:02 UTC" on the day of `date`, with the date on any other day.
fn time_on(date: NaiveDate, at: DateTime<Utc>) -> String {
    if at.date_naive() == date {
        at.format("%H:%M UTC").to_string()
    } else {
        stamp(at)
    }
}

/// A name, or a dash when there is none.
fn or_none(name: Option<&str>) -> String {
    name.map_or(NONE.to_string(), esc)
}

fn or_placeholder(text: Option<&str>) -> String {
    text.map_or(TO_BE_WRITTEN.to_string(), blocks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_outgrow_any_backtick_run() {
        assert_eq!(code_block("a"), "```\na\n```");
        assert_eq!(code_block("```x```"), "````\n```x```\n````");
        assert_eq!(code_block("`````"), "``````\n`````\n``````");
    }
}

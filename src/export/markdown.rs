//! The post-mortem as Markdown, in the shape of the example post-mortem of
//! Google's SRE book: header facts, summary, impact, root causes, trigger,
//! resolution, detection, action items, lessons learned, timeline and
//! supporting information.
//!
//! User text is escaped so it renders as the literal text it is: it can
//! never open a list, a heading, a table cell, a link or raw HTML. Only
//! appendix snippets keep their text verbatim, inside a code fence longer
//! than any backtick run in them.

use super::{ActionItem, Checked, Fix, Marker, PostMortem, Run, Suspected, TimelineEntry};
use chrono::{DateTime, NaiveDate, Utc};

/// What the authors have to fill in.
const TO_BE_WRITTEN: &str = "_To be written._";
/// An empty field.
const NONE: &str = "—";
/// Characters that mean something to Markdown wherever they stand.
const SPECIAL: &[char] = &['\\', '`', '*', '_', '[', ']', '<', '>', '#', '|', '~', '&'];

pub(crate) fn render(pm: &PostMortem) -> String {
    let blocks = [
        header(pm),
        summary(pm),
        impact(pm),
        root_causes(pm),
        format!("## Trigger\n\n{TO_BE_WRITTEN}"),
        resolution(pm),
        detection(pm),
        action_items(&pm.action_items),
        lessons_learned(),
        timeline(&pm.timeline),
        supporting_information(pm),
    ];
    let mut out = blocks.join("\n\n");
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
    let authors: Vec<String> = pm.authors.iter().map(|a| escape_line(a)).collect();
    [
        format!("# {} — post-mortem (draft)", escape_line(&pm.title)),
        format!("{} · {} · {}", escape_line(&pm.id), pm.severity, pm.status),
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
            escape_line(&c.label),
            escape_line(&c.by),
            c.at.format("%Y-%m-%d %H:%M")
        ));
    }
    if !pm.related.is_empty() {
        let related: Vec<String> = pm.related.iter().map(|r| escape_line(r)).collect();
        out.push(format!("**Related:** {}", related.join(", ")));
    }
    out
}

fn summary(pm: &PostMortem) -> String {
    let mut s = format!("## Summary\n\n{}", or_placeholder(pm.summary.as_deref()));
    if let Some(exec) = &pm.executive_summary {
        s.push_str(&format!(
            "\n\n### Executive summary\n\n{}",
            paragraphs(exec)
        ));
    }
    s
}

fn impact(pm: &PostMortem) -> String {
    let mut s = format!("## Impact\n\n{}", or_placeholder(pm.impact.text.as_deref()));
    if !pm.impact.estimates.is_empty() {
        let items: Vec<String> = pm
            .impact
            .estimates
            .iter()
            .map(|e| {
                let text = format!("{} ({})", inline(&e.text, 2), escape_line(&e.by));
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
    if !rc.suspected.is_empty() {
        let items: Vec<String> = rc.suspected.iter().map(suspect).collect();
        parts.push(format!(
            "**Suspected source**, from the dependency graph:\n\n{}",
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
    if parts.len() == 1 {
        parts.push(TO_BE_WRITTEN.to_string());
    }
    parts.join("\n\n")
}

/// "- **payments** (failing): evidence, set by carol at …; unchecked
/// dependencies: redis".
fn suspect(s: &Suspected) -> String {
    let mut line = format!("- **{}** ({})", escape_line(&s.system), s.status);
    if let Some(ev) = &s.evidence {
        line.push_str(&format!(": {}", inline(ev, 2)));
    }
    line.push_str(&checked_by(s.checked_by.as_deref(), s.checked_at, "set"));
    if !s.unknown_dependencies.is_empty() {
        let deps: Vec<String> = s
            .unknown_dependencies
            .iter()
            .map(|d| escape_line(d))
            .collect();
        line.push_str(&format!("; unchecked dependencies: {}", deps.join(", ")));
    }
    line
}

fn assumptions(list: &[Checked], verb: &str) -> String {
    list.iter()
        .map(|a| {
            let mut line = format!("- A{}: {}", a.id, inline(&a.text, 2));
            if let Some(src) = &a.source {
                line.push_str(&format!(" (according to {})", escape_line(src)));
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
        (Some(by), Some(at)) => format!("{lead} {} at {}", escape_line(by), stamp(at)),
        (Some(by), None) => format!("{lead} {}", escape_line(by)),
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
    s
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
    let body = match &pm.detection {
        Some(d) => format!(
            "Declared by {} at {}. First log entry: {}\n\n\
             How it was noticed (alert, page, customer report): {TO_BE_WRITTEN}",
            escape_line(&d.declared_by),
            stamp(d.at),
            inline(&d.text, 0)
        ),
        None => TO_BE_WRITTEN.to_string(),
    };
    format!("## Detection\n\n{body}")
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
            cell(&it.item),
            it.kind.as_str(),
            it.owner.as_deref().map_or(NONE.to_string(), cell),
            cell(&it.status),
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
            let mut text = match &e.amended {
                // "~~old~~ new (corrected by alice 14:05 UTC)"
                Some(a) if a.how == "corrected" => format!(
                    "{}: ~~{}~~ {} (corrected by {} {})",
                    escape_line(&e.by),
                    inline(&a.was, 2),
                    inline(&e.text, 2),
                    escape_line(&a.by),
                    a.at.format("%H:%M UTC")
                ),
                Some(a) => format!(
                    "{}: ~~{}~~ (retracted by {} {}: {})",
                    escape_line(&e.by),
                    inline(&a.was, 2),
                    escape_line(&a.by),
                    a.at.format("%H:%M UTC"),
                    inline(a.reason.as_deref().unwrap_or(""), 2)
                ),
                None => format!("{}: {}", escape_line(&e.by), inline(&e.text, 2)),
            };
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
            escape_line(&s.title),
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
                format!("**{}**", escape_line(&r.outcome))
            } else {
                escape_line(&r.outcome)
            };
            let text = format!(
                "{}: {} — {outcome} ({:.1}s), {} (log #{})",
                escape_line(&r.by),
                escape_line(&r.command),
                r.duration_ms as f64 / 1000.0,
                escape_line(&r.clearance),
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
    name.map_or(NONE.to_string(), escape_line)
}

fn or_placeholder(text: Option<&str>) -> String {
    text.map_or(TO_BE_WRITTEN.to_string(), paragraphs)
}

/// Block text: each line escaped, blank lines kept as paragraph breaks.
fn paragraphs(text: &str) -> String {
    text.lines().map(escape_line).collect::<Vec<_>>().join("\n")
}

/// Text inside a list item or a sentence: one paragraph whose lines are
/// joined by hard breaks, continuation lines indented by `indent` so they
/// stay in the item. Blank lines are dropped: they would end the item.
fn inline(text: &str, indent: usize) -> String {
    let joint = format!("\\\n{}", " ".repeat(indent));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(escape_line)
        .collect::<Vec<_>>()
        .join(&joint)
}

/// A table cell: a row must stay one line, so lines become `<br>`.
fn cell(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(escape_line)
        .collect();
    if lines.is_empty() {
        NONE.to_string()
    } else {
        lines.join("<br>")
    }
}

/// One line of user text, escaped to render literally wherever it stands,
/// including at the start of a line, where it could otherwise open a list,
/// a heading underline or a thematic break.
fn escape_line(line: &str) -> String {
    // Leading indentation could make an indented code block, where the
    // escapes below would show; it carries no meaning in a post-mortem.
    let line = line.trim();
    let mut out = String::with_capacity(line.len() + 8);
    let rest = escape_block_start(line, &mut out);
    for c in rest.chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escape a list marker ("-", "+", "1." or "1)") or setext underline ("=")
/// at the start of `line` into `out`; returns the rest of the line.
fn escape_block_start<'a>(line: &'a str, out: &mut String) -> &'a str {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker_at = match line[digits..].chars().next() {
        Some('.' | ')') if digits > 0 => digits,
        Some('-' | '+' | '=') if digits == 0 => 0,
        _ => return line,
    };
    out.push_str(&line[..marker_at]);
    out.push('\\');
    out.push_str(&line[marker_at..=marker_at]);
    &line[marker_at + 1..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_starts_that_open_blocks_are_escaped() {
        assert_eq!(escape_line("- item"), "\\- item");
        assert_eq!(escape_line("  + item"), "\\+ item");
        assert_eq!(escape_line("12. item"), "12\\. item");
        assert_eq!(escape_line("3) item"), "3\\) item");
        assert_eq!(escape_line("==="), "\\===");
        assert_eq!(escape_line("# not a heading"), "\\# not a heading");
        assert_eq!(escape_line("2026 was long"), "2026 was long");
        assert_eq!(escape_line("a-b 1.5"), "a-b 1.5");
    }

    #[test]
    fn inline_markup_is_escaped() {
        assert_eq!(
            escape_line("*a* _b_ `c` [d](e) <script> a|b ~~s~~ &amp; \\"),
            "\\*a\\* \\_b\\_ \\`c\\` \\[d\\](e) \\<script\\> a\\|b \\~\\~s\\~\\~ \\&amp; \\\\"
        );
    }

    #[test]
    fn fences_outgrow_any_backtick_run() {
        assert_eq!(code_block("a"), "```\na\n```");
        assert_eq!(code_block("```x```"), "````\n```x```\n````");
        assert_eq!(code_block("`````"), "``````\n`````\n``````");
    }

    #[test]
    fn cells_stay_on_one_line() {
        assert_eq!(cell("a|b\n\nc"), "a\\|b<br>c");
        assert_eq!(cell("  \n"), NONE);
    }
}

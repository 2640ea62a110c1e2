//! `incident doctor`: check incident files and the directory index;
//! `--repair` salvages a file, `--reindex` rebuilds the index.

use super::progress::Progress;
use super::{Ctx, Failure, emit};
use crate::store::{doctor, index};
use std::io::Write;

pub fn run(
    ctx: &Ctx,
    out: &mut impl Write,
    id: Option<&str>,
    repair: bool,
) -> Result<i32, Failure> {
    let ids = match id {
        Some(i) => vec![crate::store::parse_id(i)?],
        None if repair => {
            return Err(Failure::usage(
                "say which incident to repair: incident doctor -i ID --repair",
            ));
        }
        None => ctx.store.ids()?,
    };
    let whole_directory = id.is_none();
    let mut sick = 0;
    for id in ids {
        let path = ctx.store.path_of(&id);
        if repair {
            let s = doctor::salvage(&path)?;
            emit(
                out,
                &format!(
                    "{id}: kept {} lines, dropped {}; the original is kept as {}",
                    s.lines,
                    s.dropped,
                    s.kept_as.display()
                ),
            )?;
            continue;
        }
        let (report, _) = match doctor::diagnose(&path) {
            Ok(r) => r,
            Err(e) => {
                sick += 1;
                emit(
                    out,
                    &format!("{id}: {}", crate::sanitize::line(&e.to_string())),
                )?;
                continue;
            }
        };
        if report.healthy() {
            emit(out, &format!("{id}: healthy ({} lines)", report.lines))?;
            continue;
        }
        sick += 1;
        let mut text = format!("{id}: {} of {} lines usable", report.good, report.lines);
        if let Some(h) = &report.header {
            text.push_str(&format!("\n  header: {}", crate::sanitize::line(h)));
        }
        for b in &report.bad {
            text.push_str(&format!(
                "\n  line {}, column {}: {}",
                b.line,
                b.column,
                crate::sanitize::line(&b.problem)
            ));
        }
        for g in &report.gaps {
            text.push_str(&format!(
                "\n  line {}: {}",
                g.line,
                crate::sanitize::line(&g.problem)
            ));
        }
        if report.torn_tail > 0 {
            text.push_str(&format!("\n  {} bytes of an unfinished write at the end (ignored; the next write cuts them)", report.torn_tail));
        }
        if !report.gaps.is_empty() {
            text.push_str("\n  entries may be missing where time goes backwards: compare with `incident tail` on each box and the action log of whoever wrote them; a repair cannot bring them back");
        }
        if report.header.is_none() && (!report.bad.is_empty() || report.torn_tail > 0) {
            text.push_str(&format!(
                "\n  to salvage the rest: incident doctor -i {id} --repair (the original is kept)"
            ));
        }
        emit(out, &text)?;
    }
    if whole_directory && !index_agrees(ctx, out)? {
        sick += 1;
    }
    Ok(if sick > 0 { 1 } else { 0 })
}

/// Compare the directory index with the incident files; say where they
/// differ. False when a difference could hide an incident.
fn index_agrees(ctx: &Ctx, out: &mut impl Write) -> Result<bool, Failure> {
    let dir = ctx.store.dir();
    let mut progress = Progress::new("incidents for the index");
    let truth = index::summaries(dir, &mut |d, t| progress.step(d, t))?;
    drop(progress);
    let said = index::disagreements(dir, &truth);
    if said.is_empty() {
        emit(
            out,
            &format!(
                "index ({}/): agrees with the {} incident files",
                index::DIR,
                truth.len()
            ),
        )?;
        return Ok(true);
    }
    let hides = said.iter().any(|s| s.hides);
    let mut text = format!("index ({}/): differs from the incident files", index::DIR);
    for s in &said {
        let note = if s.hides { "" } else { " (harmless)" };
        text.push_str(&format!("\n  {}{note}", crate::sanitize::line(&s.text)));
    }
    text.push_str("\n  to rebuild it from the files: incident doctor --reindex");
    emit(out, &text)?;
    Ok(!hides)
}

/// `incident doctor --reindex`: rebuild the directory index from the
/// incident files (it is a cache; they are the truth).
pub fn reindex(ctx: &Ctx, out: &mut impl Write) -> Result<i32, Failure> {
    let mut progress = Progress::new("incidents");
    let rebuilt = index::rebuild_with(ctx.store.dir(), &mut |d, t| progress.step(d, t))?;
    drop(progress);
    let mut text = format!(
        "index rebuilt from {} incident files ({} active or holding a freeze)",
        rebuilt.incidents,
        rebuilt.hot()
    );
    if !rebuilt.unreadable.is_empty() {
        text.push_str(&format!(
            "; unreadable, kept as active so nobody misses them: {} (see incident doctor)",
            rebuilt.unreadable.join(", ")
        ));
    }
    emit(out, &text)?;
    Ok(0)
}

//! `doc`, `snippet`, `update`, `export`.

use super::{Ctx, DocAction, Failure, SnippetAction, commit_op, emit};
use crate::model::milestone::Source;
use crate::model::{Incident, Milestone, Section};
use crate::ops::Op;
use crate::sanitize;
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::Path;

/// TEXT words, or standard input when the only word is `-`.
fn text_arg(words: Vec<String>) -> Result<String, Failure> {
    if words.len() == 1 && words[0] == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| Failure::usage(format!("cannot read standard input as text: {e}")))?;
        return Ok(s.trim_end_matches('\n').to_string());
    }
    Ok(words.join(" "))
}

pub fn doc(ctx: &Ctx, out: &mut impl Write, action: DocAction) -> Result<(), Failure> {
    match action {
        DocAction::Show { which, json } => {
            let file = ctx.store.resolve(which.id.as_deref())?;
            let inc = file.incident();
            if json {
                emit(
                    out,
                    &serde_json::to_string_pretty(&inc.document).expect("json"),
                )
            } else {
                emit(out, &show(inc))
            }
        }
        DocAction::Set {
            which,
            section,
            base,
            text,
        } => {
            let text = text_arg(text)?;
            let mut file = ctx.store.resolve(which.id.as_deref())?;
            let base = base.unwrap_or_else(|| file.incident().document.version(section));
            file.commit(
                &ctx.me,
                Op::EditSection {
                    section,
                    text,
                    base,
                },
            )?;
            Ok(())
        }
        DocAction::Append {
            which,
            section,
            text,
        } => {
            let text = text_arg(text)?;
            commit_op(
                ctx,
                which.id.as_deref(),
                Op::AppendSection { section, text },
            )
            .map(|_| ())
        }
    }
}

fn show(inc: &Incident) -> String {
    let doc = &inc.document;
    let mut s = format!("{} — {}\n", inc.id, sanitize::line(&inc.shown_title()));
    for section in Section::ALL {
        let _ = writeln!(s, "\n## {} (v{})", section.title(), doc.version(*section));
        let text = doc.text(*section);
        if text.is_empty() {
            let _ = writeln!(s, "  ({})", sanitize::line(doc.prompt(*section)));
        } else {
            let _ = writeln!(s, "{}", sanitize::text(text));
        }
    }
    let _ = writeln!(s, "\n## Timeline (UTC)");
    for e in inc.timeline() {
        let _ = writeln!(
            s,
            "  {}  #{:<4} {}: {}",
            e.at.format("%Y-%m-%d %H:%M"),
            e.seq,
            sanitize::line(&e.by),
            sanitize::line(&e.timeline_text())
        );
    }
    let _ = writeln!(s, "\n## Milestones (UTC)");
    for m in Milestone::ALL {
        match inc.milestone(*m) {
            Some((at, how)) => {
                let how = match how {
                    Source::Set => "set",
                    Source::Recorded => "recorded",
                };
                let _ = writeln!(
                    s,
                    "  {:<15} {}  {how}",
                    m.as_str(),
                    at.format("%Y-%m-%d %H:%M")
                );
            }
            None => {
                let _ = writeln!(s, "  {:<15} not known", m.as_str());
            }
        }
    }
    if !inc.followups.is_empty() {
        let _ = writeln!(s, "\n## Follow-ups");
        for f in &inc.followups {
            let _ = writeln!(
                s,
                "  {} [{}] {} · {}: {}",
                f.label(),
                f.kind,
                f.owner.as_deref().map_or("no owner".into(), sanitize::line),
                if f.done { "done" } else { "open" },
                sanitize::line(&f.text)
            );
        }
    }
    if !doc.appendix.is_empty() {
        let _ = writeln!(s, "\n## Appendix");
        for sn in &doc.appendix {
            let _ = writeln!(
                s,
                "\n### S{} {}\n{}",
                sn.id,
                sanitize::line(&sn.title),
                sanitize::text(&sn.text)
            );
        }
    }
    if !doc.updates.is_empty() {
        let _ = writeln!(s, "\n## Updates sent");
        for u in &doc.updates {
            let to = if u.external { "external" } else { "internal" };
            let _ = writeln!(
                s,
                "  {} {to} {}: {}",
                u.at.format("%H:%M UTC"),
                sanitize::line(&u.by),
                sanitize::line(&u.text)
            );
        }
    }
    if let Some(due) = inc.next_update_due() {
        let _ = writeln!(
            s,
            "\nNext update due {} (every {} min)",
            due.format("%H:%M UTC"),
            inc.update_every()
        );
    }
    s.trim_end().to_string()
}

pub fn snippet(ctx: &Ctx, out: &mut impl Write, action: SnippetAction) -> Result<(), Failure> {
    let SnippetAction::Add {
        which,
        title,
        file,
        entry,
    } = action;
    let entry = entry.map(|e| e.0);
    let text = match (&file, entry) {
        (Some(p), _) if p.as_os_str() == "-" => text_arg(vec!["-".into()])?,
        (Some(p), _) => read_text(p)?,
        (None, Some(seq)) => {
            let f = ctx.store.resolve(which.id.as_deref())?;
            let e = f
                .incident()
                .log
                .get(seq as usize - 1)
                .ok_or_else(|| Failure::usage(format!("there is no log entry #{seq}")))?;
            match &e.evidence {
                Some(ev) => format!("$ {}\n{}", ev.command, ev.output),
                None => e.current_text().to_string(),
            }
        }
        (None, None) => {
            return Err(Failure::usage(
                "give a FILE, - for standard input, or --entry N of an `incident run`",
            ));
        }
    };
    let file = commit_op(
        ctx,
        which.id.as_deref(),
        Op::AddSnippet { title, text, entry },
    )?;
    // Its id, as every create prints.
    match file.incident().document.appendix.last() {
        Some(s) => emit(out, &format!("S{}", s.id)),
        None => Ok(()),
    }
}

/// A file's text, refusing what is not text or too large to be a snippet.
fn read_text(p: &Path) -> Result<String, Failure> {
    let meta = std::fs::metadata(p).map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?;
    if !meta.is_file() || meta.len() > crate::ops::MAX_TEXT as u64 {
        return Err(Failure::usage(format!(
            "{}: not a regular file of at most {} bytes; put the interesting lines in a smaller file",
            p.display(),
            crate::ops::MAX_TEXT
        )));
    }
    let bytes = std::fs::read(p).map_err(|e| Failure::usage(format!("{}: {e}", p.display())))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn update(
    ctx: &Ctx,
    out: &mut impl Write,
    which: Option<&str>,
    external: bool,
    every: Option<crate::model::refs::Minutes>,
    text: Vec<String>,
) -> Result<(), Failure> {
    let mut file = ctx.store.resolve(which)?;
    if let Some(crate::model::refs::Minutes(minutes)) = every {
        file.commit(&ctx.me, Op::SetUpdateCadence { minutes })?;
    }
    let posted = !text.is_empty();
    if posted {
        let text = text_arg(text)?;
        file.commit(&ctx.me, Op::PostUpdate { text, external })?;
    } else if every.is_none() {
        return Err(Failure::usage(
            "say the update: incident update TEXT (or --every MIN to set the cadence)",
        ));
    }
    if let Some(due) = file.incident().next_update_due() {
        emit(out, &format!("next update due {}", due.format("%H:%M UTC")))?;
    }
    if posted {
        send_now(ctx, &mut file);
    }
    Ok(())
}

/// One quick try at sending what is due, after the update is on disk and
/// said so: at most [`SEND_NOW`], then the live views and the listener
/// retry whatever did not go.
pub(super) fn send_now(ctx: &Ctx, file: &mut crate::store::IncidentFile) -> crate::notify::Round {
    let team = match crate::config::Team::load(ctx.store.dir()) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("not sent anywhere: {e}");
            return crate::notify::Round::default();
        }
    };
    let round = crate::notify::deliver_due(file, &team, &ctx.me, SEND_NOW);
    for s in &round.sent {
        eprintln!("sent {s}");
    }
    for f in &round.failed {
        eprintln!("not sent yet: {f} (live views and incident listen retry it)");
    }
    round
}

/// How long `incident update` spends sending before it exits.
pub const SEND_NOW: std::time::Duration = std::time::Duration::from_secs(2);

pub fn export(
    ctx: &Ctx,
    out: &mut impl Write,
    which: Option<&str>,
    format: &str,
    to: Option<&Path>,
) -> Result<(), Failure> {
    let format: crate::export::Format = format
        .parse()
        .map_err(|e: crate::model::ParseError| Failure::usage(e.to_string()))?;
    let file = ctx.store.resolve(which)?;
    let text = crate::export::render(file.incident(), format);
    match to {
        None => emit(out, text.trim_end_matches('\n')),
        Some(path) => {
            // Write whole or not at all: a temporary file renamed into place.
            let dir = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| Failure {
                message: format!("{}: {e}", dir.display()),
                code: 1,
            })?;
            tmp.write_all(text.as_bytes())
                .and_then(|()| tmp.as_file().sync_all())
                .map_err(|e| Failure {
                    message: format!("{}: {e}", path.display()),
                    code: 1,
                })?;
            tmp.persist(path).map_err(|e| Failure {
                message: format!("{}: {}", path.display(), e.error),
                code: 1,
            })?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
    }
}

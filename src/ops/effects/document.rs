//! What operations do: the incident document and the updates sent, owned by communications.

use super::*;

pub(super) fn replay(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::ApplyTemplate { name, sections } => {
            let doc = &mut inc.document;
            doc.template = Some(name.clone());
            for t in sections {
                if let Some(p) = &t.prompt {
                    doc.prompts.insert(t.section, p.clone());
                }
                if !t.text.is_empty() {
                    let s = doc.sections.entry(t.section).or_default();
                    s.text.clone_from(&t.text);
                }
            }
            // Part of declaring: the document records the template, the
            // log does not need a line for it.
        }
        Op::EditSection { section, text, .. } => {
            let s = inc.document.sections.entry(*section).or_default();
            // What changed, not the first words of each (the same when
            // the change is further in).
            let (before, after) = crate::model::change(&s.text, text, 40);
            s.text.clone_from(text);
            s.version += 1;
            s.by = Some(who.to_string());
            s.at = Some(rec.at);
            push(
                inc,
                rec,
                LogKind::Document,
                format!("edited {}: “{before}” → “{after}”", section.title()),
            );
        }
        Op::AppendSection { section, text } => {
            let s = inc.document.sections.entry(*section).or_default();
            if !s.text.is_empty() && !s.text.ends_with('\n') {
                s.text.push('\n');
            }
            s.text.push_str(text);
            s.version += 1;
            s.by = Some(who.to_string());
            s.at = Some(rec.at);
            push(
                inc,
                rec,
                LogKind::Document,
                format!("added to {}: “{}”", section.title(), gist(text, 60)),
            );
        }
        Op::AddSnippet { title, text, entry } => {
            let id = inc.document.appendix.len() as u64 + 1;
            inc.document.appendix.push(Snippet {
                id,
                title: title.clone(),
                text: text.clone(),
                by: who.to_string(),
                at: rec.at,
                entry: *entry,
            });
            let lines = text.lines().count();
            push(
                inc,
                rec,
                LogKind::Document,
                format!("appendix S{id}: {title} ({lines} lines)"),
            );
        }
        Op::Pin { entry } => {
            inc.document.pinned.insert(*entry);
            let what = entry
                .checked_sub(1)
                .and_then(|i| inc.log.get(i as usize))
                .map(|e| gist(e.current_text(), 50))
                .unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::Document,
                format!("pinned #{entry} to the timeline: “{what}”"),
            );
        }
        Op::Unpin { entry } => {
            inc.document.pinned.remove(entry);
            push(
                inc,
                rec,
                LogKind::Document,
                format!("took #{entry} off the timeline"),
            );
        }
        Op::PostUpdate { text, external } => {
            inc.document.updates.push(CommsUpdate {
                text: text.clone(),
                by: who.to_string(),
                at: rec.at,
                external: *external,
            });
            let to = if *external { "external" } else { "internal" };
            push(inc, rec, LogKind::Update, format!("{to} update: {text}"));
        }
        Op::SetUpdateCadence { minutes } => {
            inc.document.update_every = Some(*minutes);
            push(
                inc,
                rec,
                LogKind::Update,
                format!("updates every {minutes} minutes from now on"),
            );
        }
        Op::SetMilestone {
            milestone: m,
            happened_at: at,
            note,
        } => {
            inc.milestones.insert(
                *m,
                crate::model::MilestoneSet {
                    at: *at,
                    by: who.to_string(),
                    note: note.clone(),
                },
            );
            let why = note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::Milestone,
                format!("milestone {m} at {}{why}", at.format("%Y-%m-%d %H:%M UTC")),
            );
            milestone(inc);
        }
        other => debug_assert!(false, "{} replayed by the wrong area", other.name()),
    }
}

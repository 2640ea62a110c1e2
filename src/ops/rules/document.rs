//! The incident document and the updates sent, owned by communications.

use super::*;
use crate::model::Section;

/// Whether `who` may rewrite `section` of `inc`, asked before they start
/// writing rather than when they save: the real check ([`super::check`])
/// run on a rewrite from the current version that changes the text.
/// Nothing is written. The refusal says who may, and how to add to it.
pub fn may_set_section(inc: &Incident, who: &str, section: Section) -> Result<(), Refusal> {
    // A text that differs from the section's and is never too long: the
    // only refusals left are about who is asking.
    let text = if inc.document.text(section).is_empty() {
        "."
    } else {
        ""
    };
    let rec = Record {
        // The time of a rewrite is not judged.
        at: inc.declared_at,
        by: crate::model::Actor::named(who),
        op: Op::EditSection {
            section,
            text: text.to_string(),
            base: inc.document.version(section),
        },
    };
    super::check(inc, &rec)
}

pub(super) fn check(inc: &Incident, rec: &Record, who: &str) -> Result<(), Refusal> {
    match &rec.op {
        Op::ApplyTemplate { sections, .. } => {
            if inc.document.sections.values().any(|t| t.version > 0) {
                return Err(Refusal::DocumentTouched);
            }
            for s in sections {
                if s.text.len() > MAX_TEXT {
                    return Err(Refusal::TooLong {
                        field: "template text",
                        len: s.text.len(),
                        max: MAX_TEXT,
                        unit: "bytes",
                    });
                }
            }
            Ok(())
        }
        Op::EditSection {
            section,
            text,
            base,
        } => {
            comms_or_commander(inc, who, CommsWrite::Section(*section))?;
            if text.len() > MAX_TEXT {
                return Err(Refusal::TooLong {
                    field: "section",
                    len: text.len(),
                    max: MAX_TEXT,
                    unit: "bytes",
                });
            }
            let current = inc
                .document
                .sections
                .get(section)
                .cloned()
                .unwrap_or_default();
            if current.version != *base {
                return Err(Refusal::EditConflict {
                    section: *section,
                    base: *base,
                    current: current.version,
                    by: current.by.unwrap_or_default(),
                    theirs: current.text,
                });
            }
            if current.text == *text {
                return Err(Refusal::Unchanged {
                    what: "that section",
                    value: "the same text".into(),
                });
            }
            Ok(())
        }
        Op::AppendSection { text, .. } => check_text("text", text),
        Op::AddSnippet { title, text, entry } => {
            check_text("title", title)?;
            check_text("snippet", text)?;
            if let Some(e) = entry
                && (*e == 0 || *e as usize > inc.log.len())
            {
                return Err(Refusal::NoSuchEntry { entry: *e });
            }
            Ok(())
        }
        Op::Pin { entry } | Op::Unpin { entry } => {
            if *entry == 0 || *entry as usize > inc.log.len() {
                return Err(Refusal::NoSuchEntry { entry: *entry });
            }
            let pinned = inc.document.pinned.contains(entry);
            match (&rec.op, pinned) {
                (Op::Pin { .. }, true) => Err(Refusal::Unchanged {
                    what: "that entry",
                    value: "on the timeline".into(),
                }),
                (Op::Unpin { .. }, false) => Err(Refusal::Unchanged {
                    what: "that entry",
                    value: "not pinned".into(),
                }),
                _ => Ok(()),
            }
        }
        Op::PostUpdate { text, .. } => {
            comms_or_commander(inc, who, CommsWrite::Update)?;
            check_text("update", text)
        }
        Op::SetUpdateCadence { minutes } => {
            if !(5..=240).contains(minutes) {
                return Err(Refusal::BadCadence { minutes: *minutes });
            }
            comms_or_commander(inc, who, CommsWrite::Cadence)
        }
        Op::SetMilestone {
            happened_at: at,
            note,
            ..
        } => {
            comms_or_commander(inc, who, CommsWrite::Milestone)?;
            if let Some(n) = note {
                check_text("milestone note", n)?;
            }
            // A minute of grace for clocks that differ between boxes.
            if *at > rec.at + chrono::Duration::minutes(1) {
                return Err(Refusal::MilestoneInFuture {
                    at: at.format("%Y-%m-%d %H:%M UTC").to_string(),
                });
            }
            if *at < inc.declared_at - chrono::Duration::days(7) {
                return Err(Refusal::MilestoneTooEarly {
                    at: at.format("%Y-%m-%d %H:%M UTC").to_string(),
                    declared: inc.declared_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                });
            }
            Ok(())
        }
        other => Err(Refusal::Misrouted { op: other.name() }),
    }
}

//! The document view's state: which part is selected, and the editor
//! when a section is being rewritten. Pure: saving is an effect.

use crate::model::{Incident, Section};
use crate::ops::Render;
use ratatui_textarea::TextArea;

/// The parts of the document, in the order listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Section(Section),
    Timeline,
    Milestones,
    Followups,
    Appendix,
    Updates,
}

pub fn parts() -> Vec<Part> {
    Section::ALL
        .iter()
        .map(|s| Part::Section(*s))
        .chain([
            Part::Timeline,
            Part::Milestones,
            Part::Followups,
            Part::Appendix,
            Part::Updates,
        ])
        .collect()
}

/// What saving the editor does to its section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Replace the section's text (communications and the commander).
    Rewrite,
    /// Add what is typed below the section's text, for someone who may
    /// not rewrite it: their text is kept rather than refused at Ctrl-S.
    /// `why` is the rules' refusal of a rewrite, saying who may.
    Append { why: String },
}

/// A section being rewritten, or added to.
#[derive(Debug, Clone)]
pub struct Editor {
    pub section: Section,
    pub mode: Mode,
    pub area: TextArea<'static>,
    /// The version the text started from.
    pub base: u64,
    /// The text as it was when editing began (to know if it changed).
    pub original: String,
    /// Someone saved this section meanwhile: their text and name, shown
    /// beside yours to merge.
    pub conflict: Option<(String, String)>,
    /// Esc was pressed with unsaved changes: asking before throwing away.
    pub confirm_discard: bool,
}

impl Editor {
    /// The editor `me` gets on `section`: its text to rewrite when the
    /// rules let them rewrite it (asked before they type a word), else an
    /// empty paragraph to add to it, saying who may rewrite it.
    pub fn open(inc: &Incident, me: &str, section: Section) -> Self {
        match crate::ops::may_set_section(inc, me, section) {
            Ok(()) => Self::new(inc, section),
            Err(r) => Self::appending(inc, section, "", r.render(crate::ops::Surface::View)),
        }
    }

    pub fn new(inc: &Incident, section: Section) -> Self {
        let text = crate::sanitize::text(inc.document.text(section)).into_owned();
        Self::resumed(inc, section, inc.document.version(section), &text)
    }

    /// A paragraph to add to `section`, holding `draft`; `why` says why
    /// it is not a rewrite.
    pub fn appending(inc: &Incident, section: Section, draft: &str, why: String) -> Self {
        let mut ed = Self::resumed(inc, section, inc.document.version(section), draft);
        ed.area.set_placeholder_text(format!(
            "What to add to {}: it goes below the text there",
            section.title()
        ));
        // Anything typed is a change: there is nothing to compare with.
        ed.original = String::new();
        ed.mode = Mode::Append { why };
        ed
    }

    /// The edit as kept for a later run: (what it is, base, text), what
    /// is a section's name, with `+` in front for a paragraph to add.
    pub fn draft(&self) -> (String, u64, String) {
        let what = match self.mode {
            Mode::Rewrite => self.section.as_str().to_string(),
            Mode::Append { .. } => format!("+{}", self.section.as_str()),
        };
        (what, self.base, self.text())
    }

    /// An edit kept by [`Editor::draft`], back for `me`: a rewrite
    /// against the version it started from (a save then shows any change
    /// to merge), or a paragraph to add. None when `what` names no section.
    pub fn from_draft(inc: &Incident, me: &str, what: &str, base: u64, text: &str) -> Option<Self> {
        match what.strip_prefix('+') {
            Some(name) => {
                let section = name.parse::<Section>().ok()?;
                let why = match crate::ops::may_set_section(inc, me, section) {
                    Ok(()) => format!("Your paragraph to add to {}", section.title()),
                    Err(r) => r.render(crate::ops::Surface::View),
                };
                Some(Self::appending(inc, section, text, why))
            }
            None => Some(Self::resumed(inc, what.parse().ok()?, base, text)),
        }
    }

    /// The operation Ctrl-S writes, or None when there is nothing to.
    pub fn save(&self) -> Option<crate::ops::Op> {
        match self.mode {
            Mode::Rewrite => {
                (self.changed() || self.conflict.is_some()).then(|| crate::ops::Op::EditSection {
                    section: self.section,
                    text: self.text(),
                    base: self.base,
                })
            }
            Mode::Append { .. } => {
                let text = self.text();
                (!text.trim().is_empty()).then(|| crate::ops::Op::AppendSection {
                    section: self.section,
                    text: text.trim_end().to_string(),
                })
            }
        }
    }

    /// An edit of `section` that started from version `base` and holds
    /// `draft` (one cut short by a hang-up); saving it is judged against
    /// `base`, so a change made meanwhile shows up to merge.
    pub fn resumed(inc: &Incident, section: Section, base: u64, draft: &str) -> Self {
        let lines: Vec<String> = if draft.is_empty() {
            vec![String::new()]
        } else {
            draft.lines().map(str::to_string).collect()
        };
        let mut area = TextArea::new(lines);
        area.set_placeholder_text(inc.document.prompt(section).to_string());
        Editor {
            section,
            mode: Mode::Rewrite,
            area,
            base,
            original: crate::sanitize::text(inc.document.text(section)).into_owned(),
            conflict: None,
            confirm_discard: false,
        }
    }

    pub fn text(&self) -> String {
        self.area.lines().join("\n")
    }

    pub fn changed(&self) -> bool {
        self.text() != self.original
    }
}

#[derive(Debug, Clone, Default)]
pub struct DocView {
    pub selected: usize,
    pub editor: Option<Editor>,
    /// Lines scrolled in the right-hand side (timeline, appendix).
    pub scroll: u16,
}

impl DocView {
    /// The document view with `editor` open on its section.
    pub fn editing(editor: Editor) -> Self {
        let section = Part::Section(editor.section);
        DocView {
            selected: parts().iter().position(|p| *p == section).unwrap_or(0),
            editor: Some(editor),
            scroll: 0,
        }
    }

    pub fn part(&self) -> Part {
        parts()[self.selected.min(parts().len() - 1)]
    }
}

/// What a key in the document view asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocKey {
    Stay,
    /// Say this (an alert when `true`).
    Say(&'static str, bool),
    /// Say this, made for the moment (who may rewrite a section).
    Tell(String),
    /// Save the section being edited.
    Commit(crate::ops::Op),
    /// Close the document.
    Close,
    /// Close it and draft a status update from it in the input bar.
    DraftUpdate,
}

impl DocView {
    /// The document's own keys, the editor's included, on `inc`, typed
    /// by `me`.
    pub fn key(
        &mut self,
        inc: &Incident,
        me: &str,
        action: Option<crate::tui::keymap::Action>,
        ev: crossterm::event::KeyEvent,
    ) -> DocKey {
        use crate::tui::keymap::Action;
        use crossterm::event::KeyCode;
        if let Some(ed) = &mut self.editor {
            if ed.confirm_discard {
                ed.confirm_discard = false;
                if matches!(ev.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                    self.editor = None;
                    return DocKey::Say("Changes dropped", false);
                }
                return DocKey::Say("Still editing: Ctrl-S saves", false);
            }
            match action {
                Some(Action::Save) => {
                    let Some(op) = ed.save() else {
                        self.editor = None;
                        return DocKey::Stay;
                    };
                    return DocKey::Commit(op);
                }
                Some(Action::Cancel) => {
                    if ed.changed() {
                        ed.confirm_discard = true;
                        return DocKey::Say(
                            "Drop your changes to this section? y drops them, any other key keeps editing",
                            true,
                        );
                    }
                    self.editor = None;
                }
                _ => {
                    // Typed text goes into the editor; control characters
                    // other than the editor's own keys never do.
                    if let KeyCode::Char(c) = ev.code
                        && c.is_control()
                    {
                        return DocKey::Stay;
                    }
                    ed.area.input(ev);
                }
            }
            return DocKey::Stay;
        }
        let n = parts().len();
        match action {
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => self.selected = (self.selected + 1).min(n - 1),
            Some(Action::Edit) => match self.part() {
                Part::Section(s) => {
                    let ed = Editor::open(inc, me, s);
                    let told = match &ed.mode {
                        Mode::Rewrite => None,
                        Mode::Append { why } => Some(format!(
                            "What you write here is added to {} (Ctrl-S): {why}",
                            s.title()
                        )),
                    };
                    self.editor = Some(ed);
                    if let Some(t) = told {
                        return DocKey::Tell(t);
                    }
                }
                _ => {
                    return DocKey::Say(
                        "Only the sections are edited here: pin log entries (p) and add snippets (incident snippet add)",
                        false,
                    );
                }
            },
            Some(Action::DraftUpdate) => return DocKey::DraftUpdate,
            Some(Action::Cancel) => return DocKey::Close,
            _ => {}
        }
        DocKey::Stay
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::{apply, declared};
    use crate::model::{Role, Severity};
    use crate::ops::Op;

    fn inc() -> Incident {
        let mut inc = declared(Severity::Sev2);
        let comms = Op::ClaimRole {
            role: Role::Communications,
        };
        apply(&mut inc, 1, "bob", comms);
        let impact = Op::EditSection {
            section: Section::Impact,
            text: "EU cards".into(),
            base: 0,
        };
        apply(&mut inc, 2, "bob", impact);
        inc
    }

    /// A paragraph being added, cut short, comes back as one: never as a
    /// rewrite that would replace the section with it.
    #[test]
    fn a_kept_paragraph_comes_back_as_one_and_a_rewrite_as_a_rewrite() {
        let inc = inc();
        let mut ed = Editor::open(&inc, "carol", Section::Impact);
        assert!(matches!(ed.mode, Mode::Append { .. }));
        ed.area.insert_str("and Amex");
        assert!(ed.changed());
        let (what, base, text) = ed.draft();
        assert_eq!(what, "+impact");
        let back = Editor::from_draft(&inc, "carol", &what, base, &text).unwrap();
        assert_eq!(
            back.save(),
            Some(Op::AppendSection {
                section: Section::Impact,
                text: "and Amex".into()
            })
        );
        // Even for someone who may rewrite it by now.
        let back = Editor::from_draft(&inc, "bob", &what, base, &text).unwrap();
        assert!(matches!(back.save(), Some(Op::AppendSection { .. })));

        let mut ed = Editor::open(&inc, "bob", Section::Impact);
        assert_eq!(ed.mode, Mode::Rewrite);
        ed.area.insert_str("All ");
        let (what, base, text) = ed.draft();
        assert_eq!((what.as_str(), base), ("impact", 1));
        let back = Editor::from_draft(&inc, "bob", &what, base, &text).unwrap();
        assert_eq!(
            back.save(),
            Some(Op::EditSection {
                section: Section::Impact,
                text: "All EU cards".into(),
                base: 1
            })
        );
        assert!(Editor::from_draft(&inc, "bob", "+nothing", 0, "x").is_none());
    }
}

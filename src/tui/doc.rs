//! The document view's state: which part is selected, and the editor
//! when a section is being rewritten. Pure: saving is an effect.

use crate::model::{Incident, Section};
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

/// A section being rewritten.
#[derive(Debug, Clone)]
pub struct Editor {
    pub section: Section,
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
    pub fn new(inc: &Incident, section: Section) -> Self {
        let text = crate::sanitize::text(inc.document.text(section)).into_owned();
        Self::resumed(inc, section, inc.document.version(section), &text)
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
    /// Save the section being edited.
    Commit(crate::ops::Op),
    /// Close the document.
    Close,
    /// Close it and draft a status update from it in the input bar.
    DraftUpdate,
}

impl DocView {
    /// The document's own keys, the editor's included, on `inc`.
    pub fn key(
        &mut self,
        inc: &Incident,
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
                    if !ed.changed() && ed.conflict.is_none() {
                        self.editor = None;
                        return DocKey::Stay;
                    }
                    return DocKey::Commit(crate::ops::Op::EditSection {
                        section: ed.section,
                        text: ed.text(),
                        base: ed.base,
                    });
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
                Part::Section(s) => self.editor = Some(Editor::new(inc, s)),
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

//! What this person typed and has not saved, kept when the view closes:
//! the input bar's note and a document section being edited.

use super::Session;
use crate::tui::app::App;
use crate::tui::committer::Done;
use crate::tui::history;
use std::path::PathBuf;

impl Session {
    /// This person's own state for this directory's incidents (drafts,
    /// input history, first visits): see [`history::for_directory`].
    pub fn mine(&self) -> Option<PathBuf> {
        let person = self.state_dir.as_deref()?;
        Some(history::for_directory(person, self.store.dir()))
    }

    /// The terminal is going away: keep what was typed, in the input bar
    /// and in a document section being edited.
    pub fn save_draft(&self, app: &App) {
        if let Some(room) = app.room() {
            // What is typed, or else what was sent and not yet saved.
            // (A write that failed and is not yet said, its read still
            // out, is unsaved too: its text is kept, never lost.)
            let failed = self
                .riding
                .iter()
                .chain(&self.written)
                .filter(|o| matches!(o.done, Done::Failed(_)))
                .find_map(|o| o.text.as_deref());
            let unsaved = self
                .in_flight
                .iter()
                .flatten()
                .next()
                .map(String::as_str)
                .or(failed);
            // A paste being asked about is kept too (it comes back as one).
            let asking = app.asking_note();
            // A note kept from last time and not taken back stays kept.
            let text = match room.input.line.value() {
                "" => room
                    .input
                    .sending
                    .as_deref()
                    .or(unsaved)
                    .or(asking.as_deref())
                    .or(room.kept.note.as_deref())
                    .unwrap_or(""),
                typed => typed,
            };
            let mine = self.mine();
            history::save_draft(mine.as_deref(), &room.incident.id, text);
            let editing = room
                .doc
                .as_ref()
                .and_then(|d| d.editor.as_ref())
                .filter(|e| e.changed())
                .map(|e| e.draft())
                .or_else(|| room.kept.edit.clone());
            history::save_doc_draft(
                mine.as_deref(),
                &room.incident.id,
                editing
                    .as_ref()
                    .map(|(w, b, t)| (w.as_str(), *b, t.clone())),
            );
        }
    }
}

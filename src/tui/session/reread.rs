//! Reading the open incident again after a change, off the view's loop:
//! its file goes out to a thread and comes back with what changed; one
//! read at a time, and changes that come meanwhile make one more.

use super::Session;
use crate::store::{IncidentFile, StoreError};
use crate::tui::app::{App, Msg};
use crate::tui::background::{self, Found};
use crate::tui::committer::Outcome;

impl Session {
    /// Read the open incident again off the loop; while a read is out,
    /// one more is made once it is back (changes then wait for it, and
    /// many make one read). Reads go one at a time, each from where the
    /// last one ended, so entries come in the order written.
    pub(super) fn read_later(&mut self, app: &mut App) {
        let Some(file) = self.file.take() else {
            self.read_again = true;
            return;
        };
        self.read_again = false;
        // The writes reported so far are said after this read; they wait
        // here, not on the reading thread, so a read that never comes
        // back (a stalled mount at quitting) still leaves their text to
        // keep as a draft.
        self.riding = std::mem::take(&mut self.written);
        let round = self.read_gen;
        let slow = self.before_read.clone();
        let started = background::spawn_with(&self.report_tx, &self.wake, file, move |mut file| {
            if let Some(wait) = slow {
                wait();
            }
            let result = file.refresh();
            Found::Read {
                round,
                file: Box::new(file),
                result,
            }
        });
        match started {
            Ok(()) => self.jobs += 1,
            // No thread to read it on: read here rather than never.
            Err(mut file) => {
                let result = file.refresh();
                self.file = Some(file);
                let written = std::mem::take(&mut self.riding);
                self.was_read(app, result, written);
            }
        }
    }

    /// Show the open incident as just read (`result`: whether it changed),
    /// then say how the writes `written` went: what they wrote shows first.
    fn was_read(&mut self, app: &mut App, result: Result<bool, StoreError>, written: Vec<Outcome>) {
        match (result, &self.file) {
            (Ok(changed), Some(file)) => {
                // A new update (or a delivery recorded, by this view or
                // another) may be for the sender to look at.
                if changed && let Some(s) = &self.sender {
                    let _ = s.send(());
                }
                let effects = app.update(Msg::Incident(file.incident()));
                self.perform_all(effects, app);
            }
            (Ok(_), None) => {}
            (Err(e), _) => self.tell(app, Msg::LoadFailed(e.to_string())),
        }
        self.say_written(app, written);
    }

    /// Say how this view's writes went.
    pub(super) fn say_written(&mut self, app: &mut App, written: Vec<Outcome>) {
        for o in written {
            let effects = app.update(Msg::Committed(o));
            self.perform_all(effects, app);
        }
    }

    /// A read of the open incident is back (`round`: the round of reading
    /// it belongs to): show it, then read once more if a change came
    /// meanwhile.
    pub(super) fn read_back(
        &mut self,
        app: &mut App,
        round: u64,
        file: IncidentFile,
        result: Result<bool, StoreError>,
    ) {
        let written = std::mem::take(&mut self.riding);
        if round != self.read_gen {
            // Another incident opened meanwhile: this one's entries are
            // not shown; how the writes went is said, those reported
            // while it was out too (no read of this incident is out to
            // carry them, so one is made now).
            self.say_written(app, written);
            if self.file.is_some() && !self.written.is_empty() {
                self.read_later(app);
            }
            return;
        }
        self.file = Some(file);
        self.was_read(app, result, written);
        if self.read_again {
            self.read_later(app);
        }
    }
}

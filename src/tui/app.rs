//! The state of the live view, and how keys change it. Everything here is
//! pure: keys become actions (via the keymap), actions change state, and
//! anything that must touch a file is returned as an [`Effect`] for the
//! event loop to carry out.

mod submit;

use super::clock::Clock;
use super::command;
use super::history::History;
pub use super::msg::{Effect, Msg};
use super::notes::is_text;
pub use super::notes::{NoteCheck, draft_update, edit, flatten, note_check, note_lines, paste};
pub use super::overlay::{BREATHE_SECS, Message, Overlay, Prompt, Tone};
pub use super::panes::Focus;
pub use super::panes::picker::{Picker, PickerItem, PickerKey};
pub use super::panes::welcome::{Welcome, WelcomeField, WelcomeKey};
pub use super::room::Room;
use crate::model::{Actor, Incident};
use crate::ops::Op;
use chrono::{DateTime, Utc};
use tui_input::Input;

mod keys;
mod prompt;
mod room_keys;
mod update;

/// What `:catchup [TIME]` shows: the changes since TIME, else since this
/// person left before the view opened, else (never in before) the brief.
fn asked_arrival(
    room: &Room,
    me: &str,
    since: Option<&str>,
    now: DateTime<Utc>,
) -> Result<crate::model::arrival::Arrival, String> {
    let since = since
        .map(|t| crate::model::milestone::parse_time(t, now))
        .transpose()?;
    if since.is_some_and(|t| t > now) {
        return Err(
            "That time is still to come: give one that has passed, e.g. :catchup 03:12".into(),
        );
    }
    Ok(
        crate::model::arrival::on_request(&room.incident, me, since, room.left_at, now)
            .without_stale(&room.stale()),
    )
}

#[derive(Debug, Clone)]
pub enum Screen {
    Picker(Picker),
    Welcome(Welcome),
    Room(Box<Room>),
}

pub struct App {
    /// Effects decided while handling a message, beyond its main one.
    effects: Vec<Effect>,
    pub me: Actor,
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub message: Option<Message>,
    pub utc: bool,
    /// Terminal size, kept so scrolling knows the log pane's size.
    pub size: (u16, u16),
    pub history: History,
    pub quit: bool,
    /// The watcher fell back to polling: say so in the hint line.
    pub polling: bool,
    /// Entries handed to the writer and not yet on disk.
    pub sending: usize,
    /// Prompts put off with Esc.
    pub dismissed: std::collections::HashSet<Prompt>,
    /// The person was stood down and has seen the message saying so.
    pub detach_seen: bool,
    /// Quit with Ctrl-C (drafts are kept for next time).
    pub force_quit: bool,
    /// The time of the frame being drawn or the key being handled: layout
    /// depends on it (a running break shows a banner).
    pub now: DateTime<Utc>,
    /// This is `incident --demo`: the sample incident in a scratch
    /// directory. Every header says so. (Set with [`App::set_demo`].)
    pub demo: bool,
    /// When the terminal's keys arrived, to tell a paste from typing.
    pub burst: super::burst::Burst,
    /// The key being handled came this many keys into a burst (0: typed).
    streak: u32,
}

impl App {
    pub fn new(me: Actor, screen: Screen) -> Self {
        App {
            effects: Vec::new(),
            me,
            screen,
            overlay: None,
            message: None,
            utc: true,
            size: (80, 24),
            history: History::default(),
            quit: false,
            polling: false,
            sending: 0,
            dismissed: Default::default(),
            now: Utc::now(),
            detach_seen: false,
            force_quit: false,
            demo: false,
            burst: Default::default(),
            streak: 0,
        }
    }

    pub fn room(&self) -> Option<&Room> {
        match &self.screen {
            Screen::Room(r) => Some(r),
            _ => None,
        }
    }

    pub fn room_mut(&mut self) -> Option<&mut Room> {
        match &mut self.screen {
            Screen::Room(r) => Some(r),
            _ => None,
        }
    }

    pub fn clock(&self, now: DateTime<Utc>) -> Clock {
        Clock { now, utc: self.utc }
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            tone: Tone::Info,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            tone: Tone::Error,
        });
    }

    /// There is typed text that quitting would lose.
    pub fn has_draft(&self) -> bool {
        match &self.screen {
            Screen::Room(r) => !r.input.line.value().trim().is_empty(),
            Screen::Welcome(w) => !w.title.value().trim().is_empty(),
            Screen::Picker(_) => false,
        }
    }

    /// Mark this as `incident --demo`: the header says DEMO, and the
    /// sample responders count as here.
    pub fn set_demo(&mut self, demo: bool) {
        self.demo = demo;
        if let Some(room) = self.room_mut() {
            room.around.simulated = demo;
            // The demo opens on its war room: nobody hands it over.
            if demo {
                room.arrival = None;
            }
        }
    }

    /// The commander stood this person down.
    pub fn stood_down(&self) -> bool {
        self.room()
            .is_some_and(|r| r.live().detached.contains_key(self.me.who()))
    }

    /// The breathing screen is over after ten seconds.
    pub fn end_breathing(&mut self, now: DateTime<Utc>) {
        if let Some(Overlay::Breathe { since }) = self.overlay
            && now - since >= chrono::Duration::seconds(BREATHE_SECS)
        {
            self.overlay = None;
            self.greet();
        }
    }

    /// Show what the room has to tell this person on arrival (once, when
    /// nothing else is on top): the catch-up or the brief as an overlay;
    /// a catch-up with no news is only a line in the message bar.
    pub fn greet(&mut self) {
        // Not over a line being typed either: the key after would only
        // close it, lost from the line (it shows once the bar is empty).
        if self.overlay.is_some()
            || self
                .room()
                .is_some_and(|r| !r.input.line.value().is_empty())
        {
            return;
        }
        let Some(arrival) = self.room_mut().and_then(|r| r.arrival.take()) else {
            return;
        };
        match *arrival {
            crate::model::arrival::Arrival::Catchup(ref c) if c.is_quiet() => {
                let clock = self.clock(c.now);
                let title = arrival.outline(&|t| clock.hm(t)).title;
                self.info(format!("{title}: nothing changed · :catchup shows it"));
            }
            _ => self.overlay = Some(Overlay::Arrival(arrival)),
        }
    }

    /// A save of a section was refused because someone else saved it
    /// first: keep the editor open with both versions to merge.
    pub fn edit_conflict(&mut self, theirs: String, by: String, current: u64) {
        if let Some(ed) = self
            .room_mut()
            .and_then(|r| r.doc.as_mut())
            .and_then(|d| d.editor.as_mut())
        {
            ed.conflict = Some((theirs, by.clone()));
            ed.base = current;
            self.error(format!(
                "{by} saved this section while you were editing: their text is shown above yours; merge, then Ctrl-S"
            ));
        }
    }

    /// A section was saved: close its editor.
    pub fn edit_saved(&mut self) {
        if let Some(doc) = self.room_mut().and_then(|r| r.doc.as_mut()) {
            doc.editor = None;
        }
        self.info("Saved");
    }

    /// Enter in the input bar: a note, or a :command.
    fn submit(&mut self) -> Option<Effect> {
        submit::submit(self)
    }

    /// Text pasted (bracketed paste) goes to whatever has focus: the
    /// section being edited (line breaks kept), the search being typed,
    /// or the input bar, where text of several lines is shown before it
    /// is sent as one note. Never hidden, never sent by itself.
    fn paste_in(&mut self, text: &str) {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        match self.overlay {
            Some(
                Overlay::Help(_)
                | Overlay::Output { .. }
                | Overlay::Responders
                | Overlay::Assumptions
                | Overlay::Debrief
                | Overlay::Arrival(_)
                | Overlay::Breathe { .. },
            ) => self.overlay = None,
            Some(_) => {
                self.info(
                    "Answer the question first (y, or any other key): the paste was not taken",
                );
                return;
            }
            None => {}
        }
        let Some(room) = self.room_mut() else { return };
        if let Some(doc) = room.doc.as_mut() {
            match doc.editor.as_mut() {
                Some(ed) => {
                    ed.confirm_discard = false;
                    let clean: String = text
                        .chars()
                        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
                        .collect();
                    ed.area.insert_str(clean);
                }
                None => self.info(
                    "Nothing is being edited: choose a section, Enter to edit it, then paste",
                ),
            }
            return;
        }
        if room.log.search.typing {
            let lines = note_lines(text.split('\n'));
            room.log
                .search
                .query
                .get_or_insert_with(String::new)
                .push_str(&flatten(&lines));
            return;
        }
        room.focus = Focus::Input;
        let mut lines = note_lines(text.split('\n'));
        if lines.len() <= 1 {
            paste(
                &mut room.input.line,
                lines.first().map_or("", String::as_str),
            );
            return;
        }
        // What was typed before the caret starts the first line, what
        // was after it ends the last.
        let value = room.input.line.value();
        let at = room.input.line.cursor();
        let before: String = value.chars().take(at).collect();
        let after: String = value.chars().skip(at).collect();
        lines[0].insert_str(0, &before);
        if let Some(last) = lines.last_mut() {
            last.push_str(&after);
        }
        room.input.line.reset();
        self.overlay = Some(Overlay::ConfirmNote {
            lines,
            why: NoteCheck::Paste,
        });
    }

    /// `y` to a note shown before sending: send it, as one note.
    fn send_note(&mut self, lines: Vec<String>, why: NoteCheck) -> Option<Effect> {
        let lines = note_lines(lines.iter().map(String::as_str));
        let text = lines.join("\n");
        if text.trim().is_empty() {
            self.info("Nothing to send");
            return None;
        }
        let room = self.room_mut()?;
        if let Some(reason) = room.read_only.clone() {
            room.input.restore(text);
            self.error(format!("Read-only: {reason}"));
            return None;
        }
        room.input.pasted = None;
        room.input.sending = Some(text.clone());
        room.log.scroll.anchor = None; // Show what you just said.
        // Typed notes are recalled with Up; a paste is not typing.
        if why != NoteCheck::Paste {
            self.history.push(&text);
            self.effects.push(Effect::SaveHistory);
        }
        Some(Effect::Commit(Op::Log {
            kind: crate::model::LogKind::Note,
            text,
        }))
    }

    /// Any other key: the note goes back in the input bar, unsent.
    fn keep_note(&mut self, lines: Vec<String>, why: NoteCheck) {
        let Some(room) = self.room_mut() else { return };
        let lines = note_lines(lines.iter().map(String::as_str));
        let mut flat = flatten(&lines);
        if !room.input.line.value().is_empty() {
            flat = format!("{} {flat}", room.input.line.value());
        }
        room.input.line = Input::new(flat);
        room.focus = Focus::Input;
        room.input.pasted = (why == NoteCheck::Paste && lines.len() > 1).then_some(lines);
        self.info(if self.room().is_some_and(|r| r.input.pasted.is_some()) {
            "Not sent: the paste is in the input bar (Enter asks again, and sends it as one note)"
        } else {
            "Not sent: it is back in the input bar"
        });
    }

    /// The note being asked about, as its lines: kept as a draft when the
    /// terminal goes away meanwhile.
    pub fn asking_note(&self) -> Option<String> {
        match &self.overlay {
            Some(Overlay::ConfirmNote { lines, .. }) => {
                Some(note_lines(lines.iter().map(String::as_str)).join("\n"))
            }
            _ => None,
        }
    }

    /// The event loop reports how a commit went.
    /// Apply the worker's report on a write.
    fn outcome(&mut self, o: super::committer::Outcome) {
        use super::committer::Done;
        if o.quiet {
            return;
        }
        let asked = match o.done {
            Done::Saved {
                editing,
                names_someone,
                asked,
            } => {
                if editing {
                    self.edit_saved();
                }
                let stranger = names_someone.and_then(|op| {
                    let room = self.room()?;
                    let here: Vec<&str> = room.around.here.iter().map(|h| h.actor.who()).collect();
                    op.stranger_note(&room.incident, &here)
                });
                asked.or(stranger)
            }
            Done::Conflict {
                theirs,
                by,
                current,
            } => {
                self.edit_conflict(theirs, by, current);
                return;
            }
            Done::Failed(e) => {
                self.committed(Err(e), o.text);
                return;
            }
        };
        if let Some(a) = asked {
            self.info(a);
        }
    }

    pub fn committed(&mut self, result: Result<(), String>, sent: Option<String>) {
        let Some(room) = self.room_mut() else { return };
        if let Err(e) = result {
            if let Some(text) = sent
                && room.input.line.value().is_empty()
            {
                room.input.restore(text);
            }
            // A refusal comes back the same on a retry: say to change
            // the text; anything else (the disk, a lock) may pass again.
            self.error(match e.strip_prefix("refused: ") {
                Some(why) => format!("Refused: {why} (your text is kept: change it, then Enter)"),
                None => format!("Not saved: {e} (your text is kept; Enter to retry)"),
            });
        }
    }

    /// Width and height of the log pane's inside, from the terminal size.
    pub fn log_size(&self) -> (usize, usize) {
        let areas = super::view::layout(
            ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1),
            self,
        );
        let r = areas.log;
        (
            r.width.saturating_sub(2) as usize,
            r.height.saturating_sub(2) as usize,
        )
    }
}

/// The question to ask before `op` when it would leave something open
/// (the rules refuse it without `force`), and the op to commit on `y`:
/// marking it mitigated while systems still fail, resolving while work,
/// assumptions, bleeding systems or the freeze are still open. None when
/// there is nothing to ask (or `me` may not change the status anyway: the
/// rules then say who can). The rules decide, by a dry run
/// ([`crate::ops::lifecycle_question`]); this only words the question.
pub fn confirm_status(inc: &Incident, me: &str, op: &Op) -> Option<(String, Op)> {
    let Op::SetStatus {
        status,
        keep_freeze,
        ..
    } = op
    else {
        return None;
    };
    let question = match crate::ops::lifecycle_question(inc, me, op)? {
        crate::ops::Refusal::StillFailing { systems } => {
            format!(
                "{} still failing: mitigated anyway? y/n",
                systems.join(", ")
            )
        }
        crate::ops::Refusal::StillOpen { items, frozen } => {
            let freeze = if frozen {
                " (this lifts the deploy freeze; :status resolved --keep-freeze keeps it)"
            } else {
                ""
            };
            format!(
                "still open: {}: resolved anyway? y/n{freeze}",
                items.join(", ")
            )
        }
        _ => return None,
    };
    let question = crate::sanitize::line(&question).into_owned();
    Some((
        question,
        Op::SetStatus {
            status: *status,
            force: true,
            keep_freeze: *keep_freeze,
        },
    ))
}

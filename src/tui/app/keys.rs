//! Keys: which bindings apply, and what a key does on each screen and
//! overlay (the war room's own keys are in `room_keys`).

use super::*;
use crate::tui::burst;
use crate::tui::keymap::{self, Action, Context};
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use tui_input::Input;

impl App {
    /// What the bottom line says: sending, the message, the keys here.
    pub fn status(&self) -> crate::tui::panes::hints::Status<'_> {
        crate::tui::panes::hints::Status {
            sending: self.sending,
            message: self.message.as_ref(),
            contexts: self.contexts(),
            polling: self.polling,
        }
    }

    /// What drafts a status update where the focus is now: `u` in a pane
    /// or the document, `:draft` while typing (there `u` is a letter),
    /// and from a section being edited, saving it first.
    pub fn draft_key(&self) -> &'static str {
        let contexts = self.contexts();
        if contexts.contains(&Context::Editor) {
            return "Ctrl-S then u";
        }
        keymap::key_for(&contexts, Action::DraftUpdate).unwrap_or(":draft")
    }

    /// The contexts whose bindings apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match self.overlay {
            Some(Overlay::Help(_) | Overlay::Output { .. }) => {
                return vec![Context::Help, Context::Global];
            }
            Some(Overlay::Arrival(_)) => return vec![Context::Arrival, Context::Global],
            Some(Overlay::ConfirmQuit | Overlay::Confirm { .. }) => {
                return vec![Context::Confirm, Context::Global];
            }
            _ => {}
        }
        if self.room().is_some_and(|r| r.log.search.typing) {
            return vec![Context::Search, Context::Global];
        }
        let mut contexts = self.room_contexts();
        // A document open, or a section being edited, keeps its own Esc.
        if self.as_of().is_some()
            && !contexts.contains(&Context::Document)
            && !contexts.contains(&Context::Editor)
        {
            contexts.insert(0, Context::LookBack);
        }
        contexts
    }

    pub(super) fn room_contexts(&self) -> Vec<Context> {
        match &self.screen {
            Screen::Picker(_) => vec![Context::Picker, Context::Global],
            Screen::Welcome(_) => vec![Context::Welcome, Context::Global],
            Screen::Room(r) if r.doc.as_ref().is_some_and(|d| d.editor.is_some()) => {
                vec![Context::Editor, Context::Global]
            }
            Screen::Room(r) if r.doc.is_some() => vec![Context::Document, Context::Global],
            Screen::Room(r) => match r.focus {
                Focus::Input if r.input.line.value().is_empty() && self.prompt().is_some() => {
                    vec![Context::Prompt, Context::Input, Context::Global]
                }
                Focus::Input => vec![Context::Input, Context::Global],
                Focus::Log => vec![Context::Log, Context::Pane, Context::Global],
                Focus::Roles => vec![Context::Roles, Context::Pane, Context::Global],
                Focus::Bleeding => vec![Context::Bleeding, Context::Pane, Context::Global],
                Focus::Mitigations => vec![Context::Mitigations, Context::Pane, Context::Global],
            },
        }
    }

    /// A `:` that closes something shown on top is not typed either, but
    /// it is no slip: whoever typed `:break 15m lunch` into a breathing
    /// pause meant a command, and without its colon the rest would go to
    /// everyone as a note. It opens the command, in an empty bar.
    fn colon_begins_command(&mut self, ev: &KeyEvent) {
        use crossterm::event::KeyModifiers;
        if ev.code != KeyCode::Char(':')
            || ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return;
        }
        if let Some(room) = self.room_mut()
            && room.doc.is_none()
            && room.input.line.value().is_empty()
        {
            room.focus = Focus::Input;
            room.input.line = Input::new(":".into());
        }
    }

    /// Handle one key press at time `now`.
    pub fn handle_key(&mut self, ev: KeyEvent, now: DateTime<Utc>) -> Option<Effect> {
        if ev.kind == KeyEventKind::Release {
            return None;
        }
        self.now = now;
        let contexts = self.contexts();
        let action = keymap::lookup(&contexts, &ev);
        if action == Some(Action::ForceQuit) {
            self.quit = true;
            self.force_quit = true;
            return Some(Effect::Quit);
        }
        match self.overlay {
            Some(Overlay::Help(top)) => {
                // Movement keys (the keymap's Help context) scroll help;
                // any other key closes it.
                let top = match action {
                    Some(Action::Down) => Some(top.saturating_add(1)),
                    Some(Action::Up) => Some(top.saturating_sub(1)),
                    Some(Action::PageDown) => Some(top.saturating_add(self.size.1 / 2)),
                    Some(Action::PageUp) => Some(top.saturating_sub(self.size.1 / 2)),
                    Some(Action::Top) => Some(0),
                    _ => None,
                };
                // Any other key only closes it: a key that dismisses
                // something shown on top is never typed.
                self.overlay =
                    top.map(|t| Overlay::Help(t.min(crate::tui::panes::help::line_count() as u16)));
                if self.overlay.is_none() {
                    self.colon_begins_command(&ev);
                }
                return None;
            }
            Some(Overlay::Output { seq, top }) => {
                // As help: movement keys scroll, any other key closes it.
                let page = self.size.1 / 2;
                let top = match action {
                    Some(Action::Down) => Some(top.saturating_add(1)),
                    Some(Action::Up) => Some(top.saturating_sub(1)),
                    Some(Action::PageDown) => Some(top.saturating_add(page)),
                    Some(Action::PageUp) => Some(top.saturating_sub(page)),
                    Some(Action::Top) => Some(0),
                    _ => None,
                };
                let lines = self
                    .room()
                    .and_then(|r| r.incident.log.iter().find(|e| e.seq == seq))
                    .and_then(|e| e.evidence.as_ref())
                    .map_or(0, |ev| ev.output.lines().count());
                self.overlay = top.map(|t| Overlay::Output {
                    seq,
                    top: t.min(lines as u16),
                });
                if self.overlay.is_none() {
                    self.colon_begins_command(&ev);
                }
                return None;
            }
            Some(Overlay::Arrival(_)) => {
                // Any key closes it, so a question waiting below is never
                // hidden for long; the key only closes it (never typed,
                // never an answer).
                self.overlay = None;
                self.colon_begins_command(&ev);
                return None;
            }
            Some(Overlay::Breathe { .. }) => {
                // Space or any key skips it, and is not typed: a leading
                // space or a stray letter in the bar is a slip nobody sees.
                // A colon begins the command first: the arrival then
                // waits for it (see `greet`), not on top of it.
                self.overlay = None;
                self.colon_begins_command(&ev);
                self.greet();
                return None;
            }
            Some(Overlay::Responders | Overlay::Assumptions | Overlay::Debrief) => {
                // Any key closes these, and only closes them.
                self.overlay = None;
                self.colon_begins_command(&ev);
                return None;
            }
            // A key in a burst is pasted text, never an answer.
            Some(Overlay::ConfirmQuit) if burst::in_burst(self.streak) => return None,
            Some(Overlay::Confirm { .. } | Overlay::ConfirmNote { .. })
                if burst::in_burst(self.streak) =>
            {
                self.paste_key(ev);
                return None;
            }
            Some(Overlay::ConfirmNote { .. }) => {
                let Some(Overlay::ConfirmNote { lines, why }) = self.overlay.take() else {
                    return None;
                };
                if matches!(ev.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                    return self.send_note(lines, why);
                }
                // Letters meant for a pane: Tab goes there, as the
                // question says, and they are not sent.
                if why != NoteCheck::Paste && matches!(ev.code, KeyCode::Tab | KeyCode::BackTab) {
                    self.go_to_the_panes();
                    return None;
                }
                self.keep_note(lines, why);
                return None;
            }
            Some(Overlay::ConfirmQuit) => {
                self.overlay = None;
                if action == Some(Action::Yes) {
                    self.quit = true;
                    return Some(Effect::Quit);
                }
                self.info("Not quitting: your draft is still there");
                return None;
            }
            Some(Overlay::Confirm { .. }) => {
                let Some(Overlay::Confirm { op, text, .. }) = self.overlay.take() else {
                    return None;
                };
                if action == Some(Action::Yes) {
                    if let Some(room) = self.room_mut() {
                        room.input.sending = Some(text);
                    }
                    return Some(Effect::Commit(*op));
                }
                self.info("Not changed: nothing was written");
                return None;
            }
            None => {}
        }
        self.message = None;
        if self.stood_down() && !self.detach_seen {
            // The key that closes the notice only closes it.
            self.detach_seen = true;
            return None;
        }
        if let Some(done) = self.look_key(action) {
            return done;
        }
        if self.room().is_some_and(|r| r.doc.is_some()) {
            return self.doc_key(action, ev, now);
        }
        if let Some(prompt) = self.prompt()
            && !burst::in_burst(self.streak)
            && self.room().is_some_and(|r| {
                r.input.line.value().is_empty() && r.focus == Focus::Input && !r.log.search.typing
            })
            && let Some(result) = self.prompt_key(prompt, ev)
        {
            return result;
        }
        match &self.screen {
            Screen::Picker(_) => self.picker_key(action),
            Screen::Welcome(_) => self.welcome_key(action, ev),
            Screen::Room(_) => self.room_key(action, ev, now),
        }
    }

    /// `[`, `]` and (looking back) Esc. `None` lets the key through: a
    /// bracket typed into text is text.
    pub(super) fn look_key(&mut self, action: Option<Action>) -> Option<Option<Effect>> {
        use crate::tui::look_back::Look;
        let room = self.room()?;
        let typing = room.focus == Focus::Input && !room.input.line.value().is_empty();
        match action? {
            Action::LookBack | Action::LookForward if typing => None,
            Action::LookBack => Some(Some(Effect::Look(Look::Back))),
            // Bound only while looking back.
            Action::LookForward => Some(Some(Effect::Look(Look::Forward))),
            Action::Now => {
                self.room_mut()?.back_to_now();
                self.info("Back to now");
                Some(Some(Effect::BackToNow))
            }
            _ => None,
        }
    }

    /// Keys while the document view is open.
    pub(super) fn doc_key(
        &mut self,
        action: Option<Action>,
        ev: KeyEvent,
        now: DateTime<Utc>,
    ) -> Option<Effect> {
        use crate::tui::doc::DocKey;
        let Screen::Room(room) = &mut self.screen else {
            return None;
        };
        let doc = room.doc.as_mut()?;
        match doc.key(&room.incident, self.me.who(), action, ev) {
            DocKey::Stay => None,
            DocKey::Tell(text) => {
                self.info(text);
                None
            }
            DocKey::Say(text, alert) => {
                if alert {
                    self.error(text);
                } else {
                    self.info(text);
                }
                None
            }
            DocKey::Commit(op) => Some(Effect::Commit(op)),
            DocKey::Close => {
                room.doc = None;
                None
            }
            DocKey::DraftUpdate => {
                room.doc = None;
                room.input.line = Input::new(draft_update(&room.incident, now));
                room.focus = Focus::Input;
                self.info("Update drafted from the document: edit it, then Enter");
                None
            }
        }
    }

    /// A key on the selected row of the mitigations pane.
    pub(super) fn mitigation_key(&mut self, action: Action) -> Option<Effect> {
        use crate::tui::panes::mitigations::{RowKey, row_key};
        let me = self.me.who().to_string();
        let room = self.room_mut()?;
        match row_key(room, &me, action) {
            RowKey::Commit(op) => {
                if matches!(op, Op::ProposeMitigation { .. }) {
                    room.mitigations.follow_new(&room.incident);
                }
                Some(Effect::Commit(op))
            }
            RowKey::Prefill(text) => {
                room.input.line = Input::new(text);
                room.focus = Focus::Input;
                self.info("Say what happened (or just Enter)");
                None
            }
            RowKey::NotHere => {
                self.info("That key does not apply to this row");
                None
            }
        }
    }

    pub(super) fn request_quit(&mut self) -> Option<Effect> {
        if self.has_draft() {
            self.overlay = Some(Overlay::ConfirmQuit);
            None
        } else {
            self.quit = true;
            Some(Effect::Quit)
        }
    }

    pub(super) fn picker_key(&mut self, action: Option<Action>) -> Option<Effect> {
        let Screen::Picker(p) = &mut self.screen else {
            return None;
        };
        match p.key(action?) {
            PickerKey::Stay => None,
            PickerKey::Open(id) => Some(Effect::Open(id)),
            PickerKey::New => {
                self.screen = Screen::Welcome(Welcome {
                    can_go_back: true,
                    ..Welcome::default()
                });
                None
            }
            PickerKey::Help => {
                self.overlay = Some(Overlay::Help(0));
                None
            }
            PickerKey::Quit => self.request_quit(),
        }
    }

    pub(super) fn welcome_key(&mut self, action: Option<Action>, ev: KeyEvent) -> Option<Effect> {
        let Screen::Welcome(w) = &mut self.screen else {
            return None;
        };
        match w.key(action, ev) {
            WelcomeKey::Stay => None,
            WelcomeKey::Declare {
                title,
                severity,
                force,
            } => Some(Effect::Declare {
                title,
                severity,
                force,
            }),
            WelcomeKey::Refused(why) => {
                self.error(why);
                None
            }
            WelcomeKey::Picker => {
                self.screen = Screen::Picker(Picker::default());
                Some(Effect::ShowPicker)
            }
        }
    }

    /// A key of a burst while a question is open: more of the paste, so
    /// the question becomes (or stays) the question about the paste.
    pub(super) fn paste_key(&mut self, ev: KeyEvent) {
        let mut lines = match self.overlay.take() {
            Some(Overlay::ConfirmNote {
                lines,
                why: NoteCheck::Paste,
            }) => lines,
            // The line before was sent by an Enter too early to tell: it
            // is the paste's first line.
            Some(Overlay::ConfirmNote { mut lines, .. }) => {
                lines.push(String::new());
                lines
            }
            Some(Overlay::Confirm { text, .. }) => vec![text, String::new()],
            other => {
                self.overlay = other;
                return;
            }
        };
        match ev.code {
            KeyCode::Enter => lines.push(String::new()),
            KeyCode::Tab => lines.last_mut().into_iter().for_each(|l| l.push('\t')),
            KeyCode::Char(c) if is_text(&ev) && !c.is_control() => {
                lines.last_mut().into_iter().for_each(|l| l.push(c));
            }
            _ => {}
        }
        self.overlay = Some(Overlay::ConfirmNote {
            lines,
            why: NoteCheck::Paste,
        });
    }
}

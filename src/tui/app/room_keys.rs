//! Keys in the war room: the input bar, the panes and the log's search.

use super::*;
use crate::ops::Op;
use crate::tui::burst;
use crate::tui::keymap::Action;
use crate::tui::panes::log as logpane;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};
use tui_input::{Input, InputRequest};

impl App {
    pub(super) fn room_key(
        &mut self,
        action: Option<Action>,
        ev: KeyEvent,
        now: DateTime<Utc>,
    ) -> Option<Effect> {
        let (w, h) = self.log_size();
        let clock = self.clock(now);
        let Screen::Room(room) = &mut self.screen else {
            return None;
        };
        if room.log.search.typing {
            return self.search_key(ev, now);
        }
        if burst::in_burst(self.streak) {
            if room.focus != Focus::Input && is_text(&ev) {
                // Pasted into a pane: the letters are text, not pane keys.
                room.focus = Focus::Input;
                edit(&mut room.input.line, ev);
                return None;
            }
            if room.focus == Focus::Input {
                match ev.code {
                    KeyCode::Enter
                        if burst::is_paste_enter(self.streak)
                            || room.input.line.value().starts_with([':', '!']) =>
                    {
                        // A pasted line break: the paste is asked about,
                        // never sent nor run.
                        let first = room.input.line.value().to_string();
                        if first.trim().is_empty() {
                            return None;
                        }
                        room.input.line.reset();
                        self.overlay = Some(Overlay::ConfirmNote {
                            lines: vec![first, String::new()],
                            why: NoteCheck::Paste,
                        });
                        return None;
                    }
                    KeyCode::Tab | KeyCode::BackTab => {
                        // A pasted tab neither completes nor leaves the bar.
                        room.input.line.handle(InputRequest::InsertChar(' '));
                        return None;
                    }
                    _ => {}
                }
            }
        }
        if room.focus == Focus::Input {
            use crate::tui::panes::input::InputKey;
            let known = || room.around.known(&room.incident);
            let key = room
                .input
                .key(&mut room.log.search, known, &mut self.history, action, ev);
            return match key {
                InputKey::Stay => None,
                InputKey::Submit => self.submit(),
                InputKey::Say(text) => {
                    self.info(text);
                    None
                }
                InputKey::Help => {
                    self.overlay = Some(Overlay::Help(0));
                    None
                }
                InputKey::Leave { forward } => {
                    room.focus = next_focus(room, Focus::Input, forward);
                    None
                }
            };
        }
        // The panes' own keys first: each says whether it took the key.
        if let Some(a) = action {
            use crate::tui::panes::{Outcome, mitigations};
            let rows = mitigations::row_count(room);
            let took = room
                .bleeding
                .key(&room.incident, room.focus == Focus::Bleeding, a)
                || room
                    .mitigations
                    .key(rows, room.focus == Focus::Mitigations, a);
            if took {
                return None;
            }
            match room
                .roles
                .key(&room.incident, room.focus == Focus::Roles, a)
            {
                Outcome::Ignored => {}
                Outcome::Taken => return None,
                Outcome::Prefill(text) => {
                    room.input.line = Input::new(text);
                    room.focus = Focus::Input;
                    return None;
                }
            }
        }
        if let Some(a) = action
            && room.log.key(
                &room.incident.log,
                room.focus == Focus::Log,
                a,
                (w, h),
                &clock,
            )
        {
            return None;
        }
        match action? {
            Action::FocusNext => room.focus = next_focus(room, room.focus, true),
            Action::FocusPrev => room.focus = next_focus(room, room.focus, false),
            Action::Adopt
            | Action::StartWork
            | Action::Own
            | Action::MarkDone
            | Action::MarkFailed => {
                return self.mitigation_key(action?);
            }
            Action::FocusInput => {
                room.focus = Focus::Input;
                if ev.code == KeyCode::Char(':') && room.input.line.value().is_empty() {
                    room.input.line = Input::new(":".into());
                }
            }
            Action::Help => self.overlay = Some(Overlay::Help(0)),
            Action::Quit => return self.request_quit(),
            Action::Who => self.overlay = Some(Overlay::Responders),
            Action::OpenDoc => room.doc = Some(Default::default()),
            Action::DraftUpdate => {
                room.input.line = Input::new(draft_update(&room.incident, now));
                room.focus = Focus::Input;
            }
            Action::Pin => {
                // The entry drawn selected, never one out of sight.
                let idx = room.log.selected_entry(&room.incident.log, (w, h), &clock);
                if let Some(e) = idx.and_then(|i| room.incident.log.get(i)) {
                    return Some(Effect::Commit(Op::Pin { entry: e.seq }));
                }
            }
            Action::ShowOutput => {
                // The entry drawn selected: a run's, or say how to pick one.
                let idx = room.log.selected_entry(&room.incident.log, (w, h), &clock);
                match idx.and_then(|i| room.incident.log.get(i)) {
                    Some(e) if e.evidence.is_some() => {
                        self.overlay = Some(Overlay::Output { seq: e.seq, top: 0 });
                    }
                    _ => self.info("Select a run ($) with j/k: o shows its whole output"),
                }
            }
            Action::ToggleUtc => {
                self.utc = !self.utc;
                let zone = if self.utc { "UTC" } else { "local time" };
                self.info(format!("Times now in {zone}"));
            }
            Action::Search => room.log.search.start(),
            Action::SearchNext => self.search_step(true),
            Action::SearchPrev => self.search_step(false),
            _ => {}
        }
        None
    }

    /// A key while the log's search is being typed: Enter finds the
    /// nearest older match.
    pub(super) fn search_key(&mut self, ev: KeyEvent, _now: DateTime<Utc>) -> Option<Effect> {
        let room = self.room_mut()?;
        if room.log.search.key(ev) == logpane::SearchKey::Find {
            self.search_step(true);
        }
        None
    }

    /// Move to the next match: `older` goes up the log, else down.
    pub(super) fn search_step(&mut self, older: bool) {
        let Some(room) = self.room_mut() else { return };
        match room.log.step(&room.incident.log, older) {
            Ok(()) => room.focus = Focus::Log,
            Err(why) => self.info(why),
        }
    }

    /// Keys typed in the bar that were meant for a pane (asked about,
    /// then Tab): not sent, and the focus goes where Tab from an empty
    /// bar goes.
    pub(super) fn go_to_the_panes(&mut self) {
        let Some(room) = self.room_mut() else { return };
        room.input.line.reset();
        room.focus = next_focus(room, Focus::Input, true);
        self.info(
            "Dropped, not sent: you are in the panes (Tab moves on, Esc goes back to typing)",
        );
    }
}

/// The pane after (or before) `from` in the Tab order, skipping panes that
/// are not drawn: input, log, roles, what is bleeding, mitigations.
fn next_focus(room: &Room, from: Focus, forward: bool) -> Focus {
    let mut order = vec![Focus::Input, Focus::Log, Focus::Roles];
    if crate::tui::panes::bleeding::has_content(&room.incident) {
        order.push(Focus::Bleeding);
    }
    if crate::tui::panes::mitigations::has_content(room) {
        order.push(Focus::Mitigations);
    }
    let i = order.iter().position(|f| *f == from).unwrap_or(0);
    let n = order.len();
    order[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}

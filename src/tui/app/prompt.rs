//! The question this responder must answer now, and its y / n / Esc.

use super::*;
use crate::ops::Op;
use crate::tui::keymap::{self, Action, Context};
use crossterm::event::KeyEvent;
use tui_input::Input;

impl App {
    /// The question this person must answer now, if any: a role offered to
    /// them, or (as commander) a request waiting for go or hold.
    pub fn prompt(&self) -> Option<Prompt> {
        let room = self.room()?;
        // Nothing is answered while looking back.
        if room.as_of.is_some() {
            return None;
        }
        let me = self.me.who();
        let inc = &room.incident;
        let offers = inc
            .offers
            .iter()
            .filter(|(_, o)| o.to == me)
            .map(|(role, o)| Prompt::Offer {
                role: *role,
                from: o.from.clone(),
            });
        let stale = room.stale();
        let requests = inc
            .pending_requests()
            .filter(|r| inc.is_commander(me) && !stale.contains(&r.id))
            .map(|r| Prompt::Request {
                id: r.id,
                by: r.by.clone(),
                text: r.text.clone(),
            });
        let food = room
            .food_due
            .filter(|_| inc.is_commander(me) && inc.food_due().is_some_and(|d| d <= self.now))
            .map(|due| Prompt::Food { due });
        offers
            .chain(requests)
            .chain(food)
            .find(|p| !self.dismissed.contains(p))
    }

    /// y / n / Esc on a prompt. `None` lets the key through.
    pub(super) fn prompt_key(&mut self, prompt: Prompt, ev: KeyEvent) -> Option<Option<Effect>> {
        let action = keymap::lookup(&[Context::Prompt], &ev)?;
        let effect = match (&prompt, action) {
            (Prompt::Offer { role, .. }, Action::Yes) => {
                Effect::Commit(Op::AcceptRole { role: *role })
            }
            (Prompt::Offer { role, .. }, Action::No) => {
                Effect::Commit(Op::DeclineRole { role: *role })
            }
            (Prompt::Request { id, .. }, Action::Yes) => Effect::Commit(Op::Answer {
                request: *id,
                go: true,
                reason: None,
            }),
            (Prompt::Food { .. }, Action::Yes) => Effect::Commit(Op::OrderFood { note: None }),
            (Prompt::Request { id, .. }, Action::No) => {
                // Hold needs a reason: prefill the command and let them type it.
                let id = *id;
                self.dismissed.insert(prompt);
                if let Some(room) = self.room_mut() {
                    room.input.line = Input::new(format!(":hold R{id} "));
                }
                self.info(format!("Say why R{id} should hold, then Enter"));
                return Some(None);
            }
            _ => {
                self.dismissed.insert(prompt);
                self.info("Answer later with :accept/:decline, or :go/:hold");
                return Some(None);
            }
        };
        Some(Some(effect))
    }
}

//! The one way the app changes: [`App::update`].

use super::*;
use crossterm::event::KeyEventKind;

impl App {
    /// The one way the app changes: a message in, what to carry out back.
    pub fn update(&mut self, msg: Msg<'_>) -> Vec<Effect> {
        let first = match msg {
            Msg::Key(ev, now) => self.handle_key(ev, now),
            Msg::Paste(text) => {
                self.paste_in(text);
                None
            }
            Msg::Resize(w, h) => {
                self.size = (w, h);
                None
            }
            Msg::Incident(incident) => {
                let me = self.me.who().to_string();
                let mut drill_ended = false;
                let was_stood_down = self.stood_down();
                if let Some(room) = self.room_mut() {
                    room.load_error = None;
                    let was_running = room.incident.is_drill() && room.incident.is_active();
                    let news = room.update(incident, &me);
                    drill_ended = was_running && !room.incident.is_active();
                    if !news.is_empty() {
                        self.info(news.join(" · "));
                    }
                }
                // Stood down just now: the notice shows, even if an
                // earlier one was closed.
                if !was_stood_down && self.stood_down() {
                    self.detach_seen = false;
                }
                // The drill is over: how it went, on every screen.
                if drill_ended && self.overlay.is_none() {
                    self.overlay = Some(Overlay::Debrief);
                }
                None
            }
            Msg::Presence(roster) => {
                if let Some(room) = self.room_mut() {
                    room.set_roster(roster);
                }
                None
            }
            Msg::Committed(outcome) => {
                self.outcome(outcome);
                None
            }
            Msg::Tick(now) => {
                self.end_breathing(now);
                // (Whatever was on top when the room opened has gone.)
                self.greet();
                None
            }
            Msg::Looked(past) => {
                if let Some(room) = self.room_mut() {
                    match past {
                        Some(past) => room.show_past(*past),
                        None => {
                            room.back_to_now();
                            self.info("Back to now: the newest entry");
                        }
                    }
                }
                None
            }
            Msg::Now(now) => {
                self.now = now;
                None
            }
            Msg::Notice(tone, text) => {
                self.message = Some(Message { text, tone });
                None
            }
            Msg::Show { screen, said } => {
                // (What was said while it opened is over.)
                self.message = None;
                self.screen = *screen;
                if let Some(said) = said {
                    self.error(said);
                }
                self.greet();
                None
            }
            Msg::Listed(fresh) => {
                if let Screen::Picker(p) = &mut self.screen {
                    let selected = p.selected.min(fresh.items.len().saturating_sub(1));
                    *p = Picker { selected, ..fresh };
                }
                None
            }
            Msg::LoadFailed(e) => {
                if let Some(room) = self.room_mut() {
                    room.load_error = Some(e.clone());
                }
                self.error(e);
                None
            }
            Msg::KeyArrived(ev, at) => {
                // A release is not an arrival (kitty-style terminals).
                self.streak = if ev.kind == KeyEventKind::Release {
                    0
                } else {
                    self.burst.arrive(at)
                };
                let effect = self.handle_key(ev, at);
                self.streak = 0;
                effect
            }
            other => {
                self.settle(other);
                None
            }
        };
        let effects = first.into_iter().chain(self.effects.drain(..)).collect();
        crate::tui::look_back::gate(self, effects)
    }

    /// What the session found out, taken in (these ask nothing back).
    fn settle(&mut self, msg: Msg<'_>) {
        match msg {
            Msg::FrozenElsewhere(frozen) => {
                if let Some(room) = self.room_mut() {
                    room.around.frozen_elsewhere = frozen;
                }
            }
            Msg::OthersActive(others) => {
                if let Some(room) = self.room_mut() {
                    room.around.others_active = others;
                }
            }
            Msg::Windows(windows) => {
                if let Some(room) = self.room_mut() {
                    room.around.maintenance = windows;
                }
            }
            Msg::Teams(teams) => {
                if let Some(room) = self.room_mut() {
                    room.around.teams = teams;
                }
            }
            Msg::TakeoverAfter(minutes) => {
                if let Some(room) = self.room_mut() {
                    room.around.takeover_after = minutes;
                }
            }
            Msg::FoodDue(due) => {
                if let Some(room) = self.room_mut() {
                    room.food_due = Some(due);
                }
            }
            Msg::Similar { id, title } => {
                if let Screen::Welcome(w) = &mut self.screen {
                    w.similar = Some((id.clone(), title.clone()));
                }
                self.error(format!(
                    "{id} \"{title}\" is already active: Esc to join it, Enter to declare a new one anyway"
                ));
            }
            Msg::Handed => {
                if let Some(room) = self.room_mut() {
                    room.input.sending = None;
                }
            }
            Msg::Sending(n) => self.sending = n,
            Msg::History(history) => self.history = history,
            Msg::Polling(polling) => self.polling = polling,
            Msg::Breathe(since) => self.overlay = Some(Overlay::Breathe { since }),
            Msg::Demo(demo) => self.set_demo(demo),
            Msg::Quit => self.quit = true,
            _ => {}
        }
    }
}

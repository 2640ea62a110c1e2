//! What Enter in the input bar does: a note, a `!` announcement, or a `:`
//! command, parsed by the verbs' one grammar (`crate::verbs`).

use super::*;
use crate::verbs::Act;

/// Where a command left the submission: an effect to send on (after the
/// read-only, slip and lifecycle checks), or finished here.
enum Flow {
    Send(Option<Effect>),
    Done(Option<Effect>),
}

pub(super) fn submit(app: &mut App) -> Option<Effect> {
    let me = app.me.who().to_string();
    let room = app.room_mut()?;
    // Trimmed before deciding note or command: ` :cadence 15` (a space
    // left by a slip) is the command, and no note starts or ends blank.
    let text = room.input.line.value().trim().to_string();
    if text.is_empty() {
        return None;
    }
    // A paste of several lines put back in the bar goes as one note,
    // after asking again, while it is unchanged.
    if let Some(lines) = room.input.pasted.take()
        && flatten(&lines).trim() == text
    {
        room.input.line.reset();
        app.overlay = Some(Overlay::ConfirmNote {
            lines,
            why: NoteCheck::Paste,
        });
        return None;
    }
    let plain = !text.starts_with([':', '!']);
    let effect = if let Some(cmd) = text.strip_prefix(':') {
        match command::parse(cmd, &me) {
            Ok(act) => match act_on(app, act, &me, &text) {
                Flow::Send(effect) => effect,
                Flow::Done(effect) => return effect,
            },
            Err(e) => {
                app.error(e);
                return None;
            }
        }
    } else if let Some(about) = text.strip_prefix('!') {
        if about.trim().is_empty() {
            app.error("Say what you are about to do after the !, e.g. !restart db-2");
            return None;
        }
        Some(Effect::Commit(Op::Announce {
            text: about.trim().to_string(),
            mitigation: None,
        }))
    } else {
        Some(Effect::Commit(Op::Log {
            kind: crate::model::LogKind::Note,
            text: text.clone(),
        }))
    };
    send(app, effect, text, plain, &me)
}

/// Send what was typed on, unless the incident is read-only, it looks
/// like a slip, or it leaves work open (asked first).
fn send(
    app: &mut App,
    effect: Option<Effect>,
    text: String,
    plain: bool,
    me: &str,
) -> Option<Effect> {
    let room = app.room_mut()?;
    if let Some(reason) = &room.read_only {
        let reason = reason.clone();
        app.error(format!("Read-only: {reason}"));
        return None;
    }
    // Letters meant for a pane, or a slip: shown before it is sent.
    if plain && let Some(why) = note_check(&text) {
        room.input.line.reset();
        app.overlay = Some(Overlay::ConfirmNote {
            lines: vec![text],
            why,
        });
        return None;
    }
    if let Some(Effect::Commit(op)) = &effect
        && let Some((question, forced)) = confirm_status(&room.incident, me, op)
    {
        room.input.line.reset();
        app.history.push(&text);
        app.effects.push(Effect::SaveHistory);
        app.overlay = Some(Overlay::Confirm {
            question,
            op: Box::new(forced),
            text,
        });
        return None;
    }
    room.input.sending = Some(text.clone());
    room.input.line.reset();
    room.log.scroll.anchor = None; // Show what you just said.
    app.history.push(&text);
    app.effects.push(Effect::SaveHistory);
    effect
}

/// What a parsed command does in the view.
fn act_on(app: &mut App, act: Act, me: &str, text: &str) -> Flow {
    let now = app.now;
    let Some(room) = app.room_mut() else {
        return Flow::Done(None);
    };
    match act {
        Act::Op(Op::Unfreeze) => {
            // The banner may show a freeze another incident holds: the
            // rule says where it is lifted.
            let elsewhere = room
                .around
                .frozen_elsewhere
                .iter()
                .map(|(id, _)| id.clone());
            match crate::ops::unfreeze_here(&room.incident, elsewhere.collect()) {
                Ok(()) => Flow::Send(Some(Effect::Commit(Op::Unfreeze))),
                Err(r) => {
                    app.error(r.to_string());
                    Flow::Done(None)
                }
            }
        }
        Act::Op(op) => Flow::Send(Some(Effect::Commit(op))),
        // Judged once, by the writer, with where the holder stands just
        // before writing (`store::workflow::act`).
        Act::Takeover { role } => Flow::Send(Some(Effect::Commit(Op::take_over(role)))),
        Act::Milestone {
            milestone,
            time,
            note,
        } => match crate::model::milestone::parse_time(&time, now) {
            Ok(at) => Flow::Send(Some(Effect::Commit(Op::SetMilestone {
                milestone,
                happened_at: at,
                note,
            }))),
            Err(e) => {
                app.error(e);
                Flow::Done(None)
            }
        },
        Act::Procedure { what } => {
            let minutes = room.incident.human.procedure_pause_minutes;
            Flow::Send(Some(Effect::Commit(Op::StartBreak {
                kind: crate::model::BreakKind::Procedure,
                minutes,
                reason: Some(format!("before: {what}")),
            })))
        }
        Act::Snippet { entry, title } => {
            match crate::verbs::snippet_op(&room.incident, entry, title) {
                Ok(op) => Flow::Send(Some(Effect::Commit(op))),
                Err(e) => {
                    app.error(e);
                    Flow::Done(None)
                }
            }
        }
        Act::Draft => {
            room.input.line = Input::new(draft_update(&room.incident, now));
            Flow::Done(None)
        }
        Act::At { when } => {
            use crate::model::when::{self, Zone};
            let zone = if app.utc { Zone::Utc } else { Zone::Local };
            let Some(room) = app.room_mut() else {
                return Flow::Done(None);
            };
            match when::parse(&when, room.incident.declared_at, now, zone) {
                Ok(w) => {
                    room.input.line.reset();
                    app.history.push(text);
                    app.effects.push(Effect::SaveHistory);
                    Flow::Done(Some(Effect::Look(super::super::look_back::Look::To(w))))
                }
                Err(e) => {
                    app.error(e);
                    Flow::Done(None)
                }
            }
        }
        Act::Maintenance(m) => {
            room.input.line.reset();
            app.history.push(text);
            app.effects.push(Effect::SaveHistory);
            Flow::Done(Some(Effect::Maintenance(m)))
        }
        Act::CatchUp { since } => {
            match asked_arrival(room, me, since.as_deref(), now) {
                Ok(a) => {
                    room.input.line.reset();
                    app.overlay = Some(Overlay::Arrival(Box::new(a)));
                }
                Err(e) => app.error(e),
            }
            Flow::Done(None)
        }
        other => {
            room.input.line.reset();
            show(app, other, me, now)
        }
    }
}

/// The commands that only change what the view shows.
fn show(app: &mut App, act: Act, me: &str, now: DateTime<Utc>) -> Flow {
    match act {
        Act::Quit => return Flow::Done(app.request_quit()),
        Act::Help => app.overlay = Some(Overlay::Help(0)),
        Act::ToggleUtc => app.utc = !app.utc,
        Act::Who => app.overlay = Some(Overlay::Responders),
        Act::Assumptions => app.overlay = Some(Overlay::Assumptions),
        Act::Doc => {
            if let Some(room) = app.room_mut() {
                room.doc = Some(Default::default());
            }
        }
        Act::Resume => {
            if let Some(room) = app.room_mut() {
                let said = room.resume(me);
                app.info(said);
            }
        }
        Act::Mitigations => {
            let Some(room) = app.room_mut() else {
                return Flow::Done(None);
            };
            if super::super::panes::mitigations::has_content(room) {
                room.focus = Focus::Mitigations;
            } else {
                app.info("No mitigations yet: :mit rollback low Roll back the deploy");
            }
        }
        Act::Debrief => {
            if app.room().is_some_and(|r| r.incident.is_drill()) {
                app.overlay = Some(Overlay::Debrief);
            } else {
                app.info("Not a drill: a real incident gets a post-mortem (incident export)");
            }
        }
        Act::Brief => {
            if let Some(room) = app.room() {
                let b = crate::model::brief::brief(&room.incident, me, now);
                app.overlay = Some(Overlay::Arrival(Box::new(
                    crate::model::arrival::Arrival::Brief(b),
                )));
            }
        }
        // Handled by the caller.
        _ => {}
    }
    Flow::Done(None)
}

//! Looking back in the live view: `[` and `]` step through the log entry
//! by entry, `:at TIME` jumps to a moment, Esc returns to now.
//!
//! While looking back the room holds the incident as it stood then in
//! `room.incident`, so every pane shows it with no change of its own, and
//! keeps the incident as it stands now beside it ([`AsOf::live`]), up to
//! date as others write. Nothing is written meanwhile: [`gate`] is the one
//! place every write passes, and it stops them there. The session builds
//! the states ([`crate::store::timeline`]) and drops them on the way back.

use super::app::{App, Effect, Room};
use super::clock::Clock;
use crate::model::Incident;
use crate::model::when::When;
use crate::store::timeline::Point;
use chrono::{DateTime, Timelike, Utc};

/// What the view shows instead of now.
#[derive(Debug, Clone)]
pub struct AsOf {
    pub point: Point,
    /// The incident as it stands now, kept up to date while the past is shown.
    pub live: Incident,
}

/// Where the reader asks to go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// One entry further back (from now: the entry before the newest).
    Back,
    /// One entry forward; past the newest, back to now.
    Forward,
    To(When),
}

/// The incident at a moment, as the session found it.
#[derive(Debug)]
pub struct Past {
    pub point: Point,
    pub state: Incident,
}

impl Room {
    /// Show `past` instead of now (or instead of the moment shown).
    pub fn show_past(&mut self, past: Past) {
        let Past { point, state } = past;
        let before = std::mem::replace(&mut self.incident, state);
        match &mut self.as_of {
            Some(as_of) => as_of.point = point,
            None => {
                self.as_of = Some(AsOf {
                    point,
                    live: before,
                })
            }
        }
        self.settle_view();
    }

    /// Back to the incident as it stands now.
    pub fn back_to_now(&mut self) {
        if let Some(as_of) = self.as_of.take() {
            self.incident = as_of.live;
            self.settle_view();
        }
    }

    /// The incident as it stands now, whatever is shown.
    pub fn live(&self) -> &Incident {
        self.as_of.as_ref().map_or(&self.incident, |a| &a.live)
    }

    /// A different state is shown: the log follows its newest entry (the
    /// one stepped to), a search hit may no longer exist, and suggestions
    /// are for what was failing then.
    fn settle_view(&mut self) {
        self.log.scroll.anchor = None;
        self.log.search.hit = None;
        self.suggestions = self.playbook.suggestions(&self.incident);
    }
}

impl App {
    /// The moment the room is shown at: then, while looking back, else
    /// `now` (a running break, countdowns and the clock are as of then).
    pub fn shown_now(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.as_of().map_or(now, |a| a.point.at)
    }

    pub fn as_of(&self) -> Option<&AsOf> {
        self.room().and_then(|r| r.as_of.as_ref())
    }
}

/// "03:40", "03:40:12", or with the date ("2026-11-26 03:40") when that
/// is not today, in the zone the view shows.
pub fn moment(at: DateTime<Utc>, clock: &Clock) -> String {
    let time = clock.time(at);
    let time = if at.second() == 0 {
        time[..5].to_string()
    } else {
        time
    };
    if clock.day(at) == clock.today() {
        time
    } else {
        format!("{} {time}", clock.day(at).format("%Y-%m-%d"))
    }
}

/// The line on top of every pane while looking back; `clock` tells
/// today (the real now).
pub fn banner(as_of: &AsOf, clock: &Clock) -> String {
    format!(
        " AS OF {} · #{} of {} · read-only — Esc returns to now ",
        moment(as_of.point.at, clock),
        as_of.point.entry,
        as_of.live.log.len()
    )
}

/// Every effect the app decided passes here on its way out. While looking
/// back, writes stop: what was typed goes back in the input bar and the
/// reader is told to return to now first.
pub fn gate(app: &mut App, effects: Vec<Effect>) -> Vec<Effect> {
    let Some(at) = app.as_of().map(|a| moment(a.point.at, &app.clock(app.now))) else {
        return effects;
    };
    let (writes, rest): (Vec<Effect>, Vec<Effect>) = effects
        .into_iter()
        .partition(|e| matches!(e, Effect::Commit(_)));
    if !writes.is_empty() {
        if let Some(room) = app.room_mut()
            && let Some(text) = room.input.sending.take()
            && room.input.line.value().is_empty()
        {
            room.input.restore(text);
        }
        app.error(format!(
            "Looking back (AS OF {at}): nothing was sent. Esc returns to now; then send it"
        ));
    }
    rest
}

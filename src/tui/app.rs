//! The state of the live view, and how keys change it. Everything here is
//! pure: keys become actions (via the keymap), actions change state, and
//! anything that must touch a file is returned as an [`Effect`] for the
//! event loop to carry out.

mod submit;

use super::burst;
use super::clock::Clock;
use super::command;
use super::history::History;
use super::keymap::{self, Action, Context};
use super::panes::log::{self as logpane, LogScroll};
pub use super::panes::picker::{Picker, PickerItem, PickerKey};
pub use super::panes::welcome::{Welcome, WelcomeField, WelcomeKey};
use crate::model::{Actor, Incident, RequestState, Role, Severity};
use crate::ops::Op;
use crate::store::presence::Here;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_input::{Input, InputRequest};

/// Something the event loop must do for the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Append this operation to the open incident.
    Commit(Op),
    /// Declare a new incident and open it; `force` even when an active
    /// one has a similar title.
    Declare {
        title: String,
        severity: Severity,
        force: bool,
    },
    /// Open this incident.
    Open(String),
    /// Back to the list of incidents.
    ShowPicker,
    /// Write the input history out (it changed).
    SaveHistory,
    /// Show the incident as it stood at another moment (`[`, `]`, `:at`).
    Look(super::look_back::Look),
    /// Back to now: what was kept for looking back can go.
    BackToNow,
    /// Leave.
    Quit,
}

/// Everything that can change the app: the one way in (`App::update`).
#[derive(Debug)]
pub enum Msg<'a> {
    /// A key typed at this time (as tests and scripts give it: never
    /// judged a paste; the terminal's keys come as [`Msg::KeyArrived`]).
    Key(KeyEvent, DateTime<Utc>),
    /// Text pasted (bracketed paste).
    Paste(&'a str),
    /// The terminal's new size.
    Resize(u16, u16),
    /// The open incident as it now stands (another copy wrote, or ours).
    Incident(&'a Incident),
    /// Who has the incident open.
    Presence(crate::store::presence::Roster),
    /// How a write went (the worker's report): the text typed for it
    /// comes back if it failed.
    Committed(super::committer::Outcome),
    /// The clock, once a second while one is on screen.
    Tick(DateTime<Utc>),
    /// A key as the terminal delivered it, stamped on arrival: keys
    /// arriving faster than anyone types are a paste (see `burst`), and a
    /// paste never sends a line nor answers a question.
    KeyArrived(KeyEvent, DateTime<Utc>),
    /// The incident at the moment asked for, or `None`: back to now
    /// (stepped forward past the newest entry).
    Looked(Option<Box<super::look_back::Past>>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Input,
    Log,
    Roles,
    Bleeding,
    Mitigations,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// Help, scrolled down by this many lines.
    Help(u16),
    /// Who has the incident open.
    Responders,
    /// Assumptions, unverified first.
    Assumptions,
    /// A drill's debrief.
    Debrief,
    /// Ten seconds of breathing before the war room, when just paged.
    Breathe {
        since: DateTime<Utc>,
    },
    ConfirmQuit,
    /// What changed since this person left, or the handover brief: Esc
    /// closes it, and so does any other key (a letter is still typed).
    Arrival(Box<crate::model::arrival::Arrival>),
    /// A question before a change that leaves something open: `y` commits
    /// `op`; `text` is what was typed, put back if it is not saved.
    Confirm {
        question: String,
        op: Box<Op>,
        text: String,
    },
    /// A note to look at before it is sent: a paste (its lines, sent as
    /// one note), or a note so short or so like a pane key that it may
    /// have been meant for a pane. `y` sends it; any other key puts it
    /// back in the input bar.
    ConfirmNote {
        lines: Vec<String>,
        why: NoteCheck,
    },
}

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
    Ok(crate::model::arrival::on_request(
        &room.incident,
        me,
        since,
        room.left_at,
        now,
    ))
}

/// Why a note is shown before it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteCheck {
    /// It was pasted (bracketed, or keys in a burst) and has line breaks.
    Paste,
    /// One or two characters.
    Short,
    /// Nothing but this pane key (`D`, `jjjj`).
    PaneKey(char),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub tone: Tone,
}

/// The war room for one incident.
#[derive(Debug, Clone)]
pub struct Room {
    pub incident: Incident,
    pub here: Vec<Here>,
    /// Each person's last sign of life from a view now closed (see
    /// `store::presence`): with `here`, says who is away.
    pub seen: std::collections::BTreeMap<String, DateTime<Utc>>,
    /// The team's `takeover_after` minutes.
    pub takeover_after: u32,
    /// The demo's sample responders are simulated: they are never shown
    /// away (nobody else has a scratch incident open).
    pub simulated: bool,
    /// Deploy freezes other incidents in the directory hold: their id and
    /// notice (as `incident freeze status` prints it).
    pub frozen_elsewhere: Vec<(String, String)>,
    /// Why this incident cannot be changed from here, if it cannot.
    pub read_only: Option<String>,
    /// The file stopped loading (corrupt line appended): shown, not fatal.
    pub load_error: Option<String>,
    pub input: Input,
    pub focus: Focus,
    pub log: LogScroll,
    /// The log's `/` search.
    pub search: logpane::Search,
    pub role_selected: usize,
    /// The "what is bleeding" tree's own state.
    pub tree: super::panes::bleeding::TreeState,
    /// Selected row of the mitigations pane.
    pub mit_selected: usize,
    /// The document view, while open.
    pub doc: Option<super::doc::DocView>,
    /// Food is due (set by the session for the commander).
    pub food_due: Option<DateTime<Utc>>,
    /// The team's playbook, and what it suggests for the failing systems
    /// now (kept up to date by `update`).
    pub playbook: crate::playbook::Playbook,
    pub suggestions: Vec<crate::playbook::Suggestion>,
    /// The analysis and tree last drawn (see `panes::bleeding::cached`).
    pub tree_cache: std::cell::RefCell<Option<super::panes::bleeding::TreeCache>>,
    /// What was sent and not yet confirmed written: restored on failure.
    pub sending: Option<String>,
    /// Log entries as last laid out (see `panes::log::LayoutCache`).
    pub log_layouts: std::cell::RefCell<logpane::LayoutCache>,
    /// A paste of several lines put back in the input bar (flattened):
    /// while the bar holds it unchanged, Enter asks again and sends the
    /// lines as one note, never a command.
    pub pasted: Option<Vec<String>>,
    /// Looking back: `incident` is the incident as it stood then, and
    /// this holds the moment and the incident as it stands now.
    pub as_of: Option<super::look_back::AsOf>,
    /// When this person had left the incident before this view opened
    /// (their last write or view): none if they had never been in.
    pub left_at: Option<DateTime<Utc>>,
    /// The catch-up or brief to show first, until it is shown.
    pub arrival: Option<Box<crate::model::arrival::Arrival>>,
}

impl Room {
    pub fn new(incident: Incident) -> Self {
        Room {
            here: Vec::new(),
            seen: Default::default(),
            takeover_after: crate::config::TAKEOVER_AFTER,
            simulated: false,
            frozen_elsewhere: Vec::new(),
            read_only: None,
            load_error: None,
            input: Input::default(),
            focus: Focus::Input,
            log: LogScroll::default(),
            search: Default::default(),
            role_selected: 0,
            tree: Default::default(),
            tree_cache: Default::default(),
            log_layouts: Default::default(),
            mit_selected: 0,
            doc: None,
            food_due: None,
            suggestions: crate::playbook::Playbook::built_in().suggestions(&incident),
            playbook: crate::playbook::Playbook::built_in(),
            sending: None,
            pasted: None,
            as_of: None,
            left_at: None,
            arrival: None,
            incident,
        }
    }

    /// Put text back in the input bar (a failed send, last time's draft):
    /// text of several lines was a paste, so it comes back as one, sent
    /// as one note after asking again, never as a command.
    pub fn restore_text(&mut self, text: String) {
        if text.contains('\n') {
            let lines = note_lines(text.split('\n'));
            self.input = Input::new(flatten(&lines));
            self.pasted = (lines.len() > 1).then_some(lines);
        } else {
            self.input = Input::new(text);
        }
    }

    /// Use the team's playbook for suggestions.
    pub fn set_playbook(&mut self, playbook: crate::playbook::Playbook) {
        self.suggestions = playbook.suggestions(&self.incident);
        self.playbook = playbook;
    }

    /// Take in who has the incident open and everyone's last sign of life.
    pub fn set_roster(&mut self, roster: crate::store::presence::Roster) {
        self.here = roster.here;
        self.seen = roster.seen;
    }

    /// Where `who` stands at `now`: here, or away since when.
    pub fn away(&self, who: &str, now: DateTime<Utc>) -> crate::model::away::Away {
        // Who had a view open then is not recorded: looking back says
        // nothing of it rather than mix now into then.
        if self.simulated || self.as_of.is_some() {
            return crate::model::away::Away::Here;
        }
        let present = self.here.iter().any(|h| h.actor.who() == who);
        crate::model::away::away(
            &self.incident,
            who,
            present,
            self.seen.get(who).copied(),
            now,
        )
    }

    /// Roles shown in the Roles pane.
    pub fn shown_roles(&self) -> Vec<Role> {
        self.incident.shown_roles()
    }

    /// What Tab completes from: people, systems and open references.
    pub fn known(&self) -> super::command::Known {
        super::command::Known {
            people: self.people(),
            systems: self.incident.systems.keys().cloned().collect(),
            refs: super::command::Known::refs_of(&self.incident),
        }
    }

    /// People to complete names from: present, holding roles, or in the log.
    pub fn people(&self) -> Vec<String> {
        let mut p: Vec<String> = self
            .here
            .iter()
            .map(|h| h.actor.who().to_string())
            .collect();
        p.extend(self.incident.roles.values().map(|h| h.user.clone()));
        p.extend(
            self.incident
                .log
                .iter()
                .rev()
                .take(500)
                .map(|e| e.by.clone()),
        );
        p.sort();
        p.dedup();
        p
    }

    /// Take in a newer state of the incident, keeping the view where it is.
    /// Returns what `me` should be told: answers to their requests, roles
    /// that came to them.
    pub fn update(&mut self, incident: &Incident, me: &str) -> Vec<String> {
        // Looking back: now moves on beside the moment shown.
        if let Some(mut as_of) = self.as_of.take() {
            std::mem::swap(&mut self.incident, &mut as_of.live);
            let news = self.update(incident, me);
            std::mem::swap(&mut self.incident, &mut as_of.live);
            self.as_of = Some(as_of);
            self.suggestions = self.playbook.suggestions(&self.incident);
            return news;
        }
        let mine_pending: Vec<u64> = self
            .incident
            .pending_requests()
            .filter(|r| r.by == me)
            .map(|r| r.id)
            .collect();
        let offered_to_me: Vec<Role> = self
            .incident
            .offers
            .iter()
            .filter(|(_, o)| o.to == me)
            .map(|(r, _)| *r)
            .collect();
        let seen = self.incident.log.len();
        sync(&mut self.incident, incident);
        self.suggestions = self.playbook.suggestions(&self.incident);
        let mut news = Vec::new();
        // The pager says the alert resolved: the commander decides.
        if self.incident.is_commander(me)
            && self.incident.status == crate::model::Status::Investigating
            && self.incident.log[seen.min(self.incident.log.len())..]
                .iter()
                .any(|e| e.kind == crate::model::LogKind::Page && e.text.starts_with("resolved in"))
        {
            news.push(
                "The pager says the alert resolved: if impact has ceased, :status mitigated"
                    .to_string(),
            );
        }
        // A role taken over is news on every screen.
        news.extend(
            self.incident.log[seen.min(self.incident.log.len())..]
                .iter()
                .filter(|e| e.kind == crate::model::LogKind::Takeover)
                .map(|e| crate::sanitize::line(&e.text).into_owned()),
        );
        for id in mine_pending {
            if let Some(r) = self.incident.request(id) {
                let by = r.answered_by.as_deref().unwrap_or("the commander");
                let why = r
                    .reason
                    .as_deref()
                    .map(|w| format!(": {w}"))
                    .unwrap_or_default();
                match r.state {
                    RequestState::Go => news.push(format!("R{id} go from {by}: \"{}\"", r.text)),
                    RequestState::Hold => news.push(format!("R{id} HOLD from {by}{why}")),
                    _ => {}
                }
            }
        }
        for role in offered_to_me {
            if self.incident.holder(role) == Some(me) {
                news.push(format!("You are now {role}"));
            }
        }
        news
    }
}

/// Bring `mine` up to `theirs` copying only what changed: the log is
/// append-only, so only its new tail is cloned.
fn sync(mine: &mut Incident, theirs: &Incident) {
    let same_history = mine.id == theirs.id
        && mine.log.len() <= theirs.log.len()
        && mine.log.last().map(|e| (e.seq, e.at))
            == theirs
                .log
                .get(mine.log.len().wrapping_sub(1))
                .map(|e| (e.seq, e.at));
    if !same_history {
        *mine = theirs.clone();
        return;
    }
    let have = mine.log.len();
    mine.log.extend_from_slice(&theirs.log[have..]);
    // The one change to an entry already shown: its author corrected or
    // retracted it, which the new tail says.
    for seq in theirs.log[have..].iter().filter_map(|e| e.amends) {
        if let Some(i) = seq.checked_sub(1).map(|i| i as usize)
            && let (Some(m), Some(t)) = (mine.log.get_mut(i), theirs.log.get(i))
        {
            m.clone_from(t);
        }
    }
    // Every field but the log, spelled out so a new field cannot be
    // forgotten here: the compiler insists on the full list.
    let Incident {
        id: _,
        title,
        severity,
        status,
        declared_at: _,
        declared_by: _,
        roles,
        extra_roles,
        offers,
        requests,
        systems,
        assumptions,
        impacts,
        suspect,
        suspect_changed_at,
        mitigations,
        tasks,
        freeze,
        impact_ceased_at,
        resolved_at,
        document,
        breaks,
        food,
        detached,
        human,
        pager_keys,
        pager_deliveries,
        accounts,
        closed,
        related,
        links,
        pager_ack,
        role_history,
        severity_changes,
        milestones,
        detection,
        followups,
        drill,
        notices,
        nudged,
        vacant_since,
        log: _,
        revision,
        systems_revision,
        updated_at,
    } = theirs;
    mine.title.clone_from(title);
    mine.severity = *severity;
    mine.status = *status;
    mine.roles.clone_from(roles);
    mine.extra_roles.clone_from(extra_roles);
    mine.offers.clone_from(offers);
    mine.requests.clone_from(requests);
    // A thousand systems are not copied again for every log entry.
    if mine.systems_revision != *systems_revision {
        mine.systems.clone_from(systems);
        mine.systems_revision = *systems_revision;
    }
    mine.assumptions.clone_from(assumptions);
    mine.impacts.clone_from(impacts);
    mine.suspect.clone_from(suspect);
    mine.suspect_changed_at = *suspect_changed_at;
    mine.mitigations.clone_from(mitigations);
    mine.tasks.clone_from(tasks);
    mine.freeze.clone_from(freeze);
    mine.impact_ceased_at = *impact_ceased_at;
    mine.resolved_at = *resolved_at;
    mine.document.clone_from(document);
    mine.breaks.clone_from(breaks);
    mine.food.clone_from(food);
    mine.detached.clone_from(detached);
    mine.human.clone_from(human);
    mine.notices.clone_from(notices);
    mine.accounts.clone_from(accounts);
    mine.milestones.clone_from(milestones);
    mine.detection.clone_from(detection);
    mine.followups.clone_from(followups);
    mine.drill.clone_from(drill);
    mine.pager_keys.clone_from(pager_keys);
    mine.pager_deliveries.clone_from(pager_deliveries);
    mine.closed.clone_from(closed);
    mine.related.clone_from(related);
    mine.links.clone_from(links);
    mine.pager_ack.clone_from(pager_ack);
    mine.role_history.clone_from(role_history);
    mine.severity_changes.clone_from(severity_changes);
    mine.nudged.clone_from(nudged);
    mine.vacant_since.clone_from(vacant_since);
    mine.revision = *revision;
    mine.updated_at = *updated_at;
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

/// How long the breathing screen lasts.
pub const BREATHE_SECS: i64 = 10;

/// A question put to this responder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Prompt {
    /// A role offered to them.
    Offer { role: Role, from: String },
    /// As commander: a request waiting for go or hold.
    Request { id: u64, by: String, text: String },
    /// As commander: time to order food.
    Food { due: DateTime<Utc> },
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

    /// The contexts whose bindings apply now, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        match self.overlay {
            Some(Overlay::Help(_)) => return vec![Context::Help, Context::Global],
            Some(Overlay::Arrival(_)) => return vec![Context::Arrival, Context::Global],
            Some(Overlay::ConfirmQuit | Overlay::Confirm { .. }) => {
                return vec![Context::Confirm, Context::Global];
            }
            _ => {}
        }
        if self.room().is_some_and(|r| r.search.typing) {
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

    fn room_contexts(&self) -> Vec<Context> {
        match &self.screen {
            Screen::Picker(_) => vec![Context::Picker, Context::Global],
            Screen::Welcome(_) => vec![Context::Welcome, Context::Global],
            Screen::Room(r) if r.doc.as_ref().is_some_and(|d| d.editor.is_some()) => {
                vec![Context::Editor, Context::Global]
            }
            Screen::Room(r) if r.doc.is_some() => vec![Context::Document, Context::Global],
            Screen::Room(r) => match r.focus {
                Focus::Input if r.input.value().is_empty() && self.prompt().is_some() => {
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

    /// There is typed text that quitting would lose.
    pub fn has_draft(&self) -> bool {
        match &self.screen {
            Screen::Room(r) => !r.input.value().trim().is_empty(),
            Screen::Welcome(w) => !w.title.value().trim().is_empty(),
            Screen::Picker(_) => false,
        }
    }

    /// A key that closed a screen shown on top is still the character
    /// typed, when it is one and the input bar has focus: it goes into the
    /// bar, never to a prompt (a `y` dismissing the breathing screen must
    /// not answer a request) nor to a pane.
    fn type_through(&mut self, ev: &KeyEvent) {
        if !is_text(ev) {
            return;
        }
        if let Some(room) = self.room_mut()
            && room.focus == Focus::Input
            && room.doc.is_none()
            && !room.search.typing
        {
            edit(&mut room.input, *ev);
        }
    }

    /// Mark this as `incident --demo`: the header says DEMO, and the
    /// sample responders count as here.
    pub fn set_demo(&mut self, demo: bool) {
        self.demo = demo;
        if let Some(room) = self.room_mut() {
            room.simulated = demo;
            // The demo opens on its war room: nobody hands it over.
            if demo {
                room.arrival = None;
            }
        }
    }

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
                if let Some(room) = self.room_mut() {
                    room.load_error = None;
                    let was_running = room.incident.is_drill() && room.incident.is_active();
                    let news = room.update(incident, &me);
                    drill_ended = was_running && !room.incident.is_active();
                    if !news.is_empty() {
                        self.info(news.join(" · "));
                    }
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
        };
        let effects = first.into_iter().chain(self.effects.drain(..)).collect();
        super::look_back::gate(self, effects)
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
                self.overlay =
                    top.map(|t| Overlay::Help(t.min(super::panes::help::line_count() as u16)));
                // A letter that closes it is still the letter typed (not
                // the help's own close key).
                if self.overlay.is_none() && action != Some(Action::Cancel) {
                    self.type_through(&ev);
                }
                return None;
            }
            Some(Overlay::Arrival(_)) => {
                // Any key closes it, so a question waiting below is never
                // hidden for long; a letter is still the letter typed
                // (never an answer), except Esc, which only closes it.
                self.overlay = None;
                if action != Some(Action::Cancel) {
                    self.type_through(&ev);
                }
                return None;
            }
            Some(Overlay::Breathe { .. }) => {
                self.overlay = None;
                self.type_through(&ev);
                self.greet();
                return None;
            }
            Some(Overlay::Responders | Overlay::Assumptions | Overlay::Debrief) => {
                // Any key closes these; one meant as text still counts.
                self.overlay = None;
                self.type_through(&ev);
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
                        room.sending = Some(text);
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
            self.detach_seen = true;
            self.type_through(&ev);
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
                r.input.value().is_empty() && r.focus == Focus::Input && !r.search.typing
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

    /// The commander stood this person down.
    pub fn stood_down(&self) -> bool {
        self.room()
            .is_some_and(|r| r.live().detached.contains_key(self.me.who()))
    }

    /// `[`, `]` and (looking back) Esc. `None` lets the key through: a
    /// bracket typed into text is text.
    fn look_key(&mut self, action: Option<Action>) -> Option<Option<Effect>> {
        use super::look_back::Look;
        let room = self.room()?;
        let typing = room.focus == Focus::Input && !room.input.value().is_empty();
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
        if self.overlay.is_some() {
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
        let requests = inc
            .pending_requests()
            .filter(|_| inc.is_commander(me))
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

    /// Keys while the document view is open.
    fn doc_key(
        &mut self,
        action: Option<Action>,
        ev: KeyEvent,
        now: DateTime<Utc>,
    ) -> Option<Effect> {
        use super::doc::DocKey;
        let Screen::Room(room) = &mut self.screen else {
            return None;
        };
        let doc = room.doc.as_mut()?;
        match doc.key(&room.incident, action, ev) {
            DocKey::Stay => None,
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
                room.input = Input::new(draft_update(&room.incident, now));
                room.focus = Focus::Input;
                self.info("Update drafted from the document: edit it, then Enter");
                None
            }
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

    /// A key on the selected row of the mitigations pane.
    fn mitigation_key(&mut self, action: Action) -> Option<Effect> {
        use super::panes::mitigations::{RowKey, row_key};
        let me = self.me.who().to_string();
        let room = self.room_mut()?;
        match row_key(room, &me, action) {
            RowKey::Commit(op) => Some(Effect::Commit(op)),
            RowKey::Prefill(text) => {
                room.input = Input::new(text);
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

    /// y / n / Esc on a prompt. `None` lets the key through.
    fn prompt_key(&mut self, prompt: Prompt, ev: KeyEvent) -> Option<Option<Effect>> {
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
                    room.input = Input::new(format!(":hold R{id} "));
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

    fn request_quit(&mut self) -> Option<Effect> {
        if self.has_draft() {
            self.overlay = Some(Overlay::ConfirmQuit);
            None
        } else {
            self.quit = true;
            Some(Effect::Quit)
        }
    }

    fn picker_key(&mut self, action: Option<Action>) -> Option<Effect> {
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

    fn welcome_key(&mut self, action: Option<Action>, ev: KeyEvent) -> Option<Effect> {
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

    fn room_key(
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
        if room.search.typing {
            return self.search_key(ev, now);
        }
        if burst::in_burst(self.streak) {
            if room.focus != Focus::Input && is_text(&ev) {
                // Pasted into a pane: the letters are text, not pane keys.
                room.focus = Focus::Input;
                edit(&mut room.input, ev);
                return None;
            }
            if room.focus == Focus::Input {
                match ev.code {
                    KeyCode::Enter
                        if burst::is_paste_enter(self.streak)
                            || room.input.value().starts_with([':', '!']) =>
                    {
                        // A pasted line break: the paste is asked about,
                        // never sent nor run.
                        let first = room.input.value().to_string();
                        if first.trim().is_empty() {
                            return None;
                        }
                        room.input.reset();
                        self.overlay = Some(Overlay::ConfirmNote {
                            lines: vec![first, String::new()],
                            why: NoteCheck::Paste,
                        });
                        return None;
                    }
                    KeyCode::Tab | KeyCode::BackTab => {
                        // A pasted tab neither completes nor leaves the bar.
                        room.input.handle(InputRequest::InsertChar(' '));
                        return None;
                    }
                    _ => {}
                }
            }
        }
        if room.focus == Focus::Input {
            use super::panes::input::{InputKey, key as input_key};
            return match input_key(room, &mut self.history, action, ev) {
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
        if let Some(a) = action
            && (super::panes::bleeding::key(room, a)
                || super::panes::mitigations::select(room, a)
                || super::panes::roles::key(room, a))
        {
            return None;
        }
        if let Some(a) = action
            && logpane::scroll_key(room, a, w, h, &clock)
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
                if ev.code == KeyCode::Char(':') && room.input.value().is_empty() {
                    room.input = Input::new(":".into());
                }
            }
            Action::Help => self.overlay = Some(Overlay::Help(0)),
            Action::Quit => return self.request_quit(),
            Action::Who => self.overlay = Some(Overlay::Responders),
            Action::OpenDoc => room.doc = Some(Default::default()),
            Action::DraftUpdate => {
                room.input = Input::new(draft_update(&room.incident, now));
                room.focus = Focus::Input;
            }
            Action::Pin => {
                // The entry drawn selected, never one out of sight.
                let idx = logpane::selected_entry(room, w, h, &clock);
                if let Some(e) = idx.and_then(|i| room.incident.log.get(i)) {
                    return Some(Effect::Commit(Op::Pin { entry: e.seq }));
                }
            }
            Action::ToggleUtc => {
                self.utc = !self.utc;
                let zone = if self.utc { "UTC" } else { "local time" };
                self.info(format!("Times now in {zone}"));
            }
            Action::Search => {
                room.search.typing = true;
                room.search.query = Some(String::new());
            }
            Action::SearchNext => self.search_step(true),
            Action::SearchPrev => self.search_step(false),
            _ => {}
        }
        None
    }

    fn search_key(&mut self, ev: KeyEvent, _now: DateTime<Utc>) -> Option<Effect> {
        let room = self.room_mut()?;
        let query = room.search.query.get_or_insert_with(String::new);
        // The keymap's Search context names the keys; the rest is typing.
        let outcome = match keymap::lookup(&[Context::Search], &ev) {
            Some(Action::Submit) => logpane::SearchKey::Find,
            Some(Action::Cancel) => logpane::SearchKey::Dropped,
            Some(Action::DeleteBack) => {
                query.pop();
                logpane::SearchKey::Typing
            }
            _ => logpane::search_key(query, ev),
        };
        match outcome {
            logpane::SearchKey::Typing => {}
            logpane::SearchKey::Dropped => {
                room.search.typing = false;
                room.search.query = None;
                room.search.hit = None;
            }
            logpane::SearchKey::Find => {
                room.search.typing = false;
                room.search.hit = None;
                self.search_step(true);
            }
        }
        None
    }

    /// Move to the next match: `older` goes up the log, else down.
    fn search_step(&mut self, older: bool) {
        let Some(room) = self.room_mut() else { return };
        let Some(q) = room.search.query.clone().filter(|q| !q.is_empty()) else {
            self.info("Search with / first");
            return;
        };
        let log = &room.incident.log;
        match logpane::find(log, &q, room.search.hit, older) {
            Some(i) => {
                room.search.hit = Some(i);
                logpane::show_entry(log, &mut room.log, i);
                room.focus = Focus::Log;
            }
            None => {
                let edge = if older { "oldest" } else { "newest" };
                let q = crate::sanitize::line(&q).into_owned();
                self.info(format!(
                    "No more matches for \"{q}\" towards the {edge} entry"
                ));
            }
        }
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
        if room.search.typing {
            let lines = note_lines(text.split('\n'));
            room.search
                .query
                .get_or_insert_with(String::new)
                .push_str(&flatten(&lines));
            return;
        }
        room.focus = Focus::Input;
        let mut lines = note_lines(text.split('\n'));
        if lines.len() <= 1 {
            paste(&mut room.input, lines.first().map_or("", String::as_str));
            return;
        }
        // What was typed before the caret starts the first line, what
        // was after it ends the last.
        let value = room.input.value();
        let at = room.input.cursor();
        let before: String = value.chars().take(at).collect();
        let after: String = value.chars().skip(at).collect();
        lines[0].insert_str(0, &before);
        if let Some(last) = lines.last_mut() {
            last.push_str(&after);
        }
        room.input.reset();
        self.overlay = Some(Overlay::ConfirmNote {
            lines,
            why: NoteCheck::Paste,
        });
    }

    /// A key of a burst while a question is open: more of the paste, so
    /// the question becomes (or stays) the question about the paste.
    fn paste_key(&mut self, ev: KeyEvent) {
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
            room.restore_text(text);
            self.error(format!("Read-only: {reason}"));
            return None;
        }
        room.pasted = None;
        room.sending = Some(text.clone());
        room.log.anchor = None; // Show what you just said.
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
        if !room.input.value().is_empty() {
            flat = format!("{} {flat}", room.input.value());
        }
        room.input = Input::new(flat);
        room.focus = Focus::Input;
        room.pasted = (why == NoteCheck::Paste && lines.len() > 1).then_some(lines);
        self.info(if self.room().is_some_and(|r| r.pasted.is_some()) {
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
                    let here: Vec<&str> = room.here.iter().map(|h| h.actor.who()).collect();
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
                && room.input.value().is_empty()
            {
                room.restore_text(text);
            }
            self.error(format!(
                "Not saved: {e} (your text is kept; Enter to retry)"
            ));
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

/// The pane after (or before) `from` in the Tab order, skipping panes that
/// are not drawn: input, log, roles, what is bleeding, mitigations.
fn next_focus(room: &Room, from: Focus, forward: bool) -> Focus {
    let mut order = vec![Focus::Input, Focus::Log, Focus::Roles];
    if super::panes::bleeding::has_content(&room.incident) {
        order.push(Focus::Bleeding);
    }
    if super::panes::mitigations::has_content(room) {
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

/// A status update drafted from the incident as it stands now (see
/// [`crate::model::draft::update`]), in the input bar's `:update` form.
pub fn draft_update(inc: &Incident, now: DateTime<Utc>) -> String {
    format!(":update {}", crate::model::draft::update(inc, now))
}

/// Feed a key to a text input, refusing control characters.
pub fn edit(input: &mut Input, ev: KeyEvent) {
    if let KeyCode::Char(c) = ev.code
        && c.is_control()
    {
        return;
    }
    let req = tui_input::backend::crossterm::to_input_request(&crossterm::event::Event::Key(ev));
    if let Some(req) = req {
        // Ctrl-A/Ctrl-B belong to tmux and screen: do not act on them.
        if ev.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(ev.code, KeyCode::Char('a') | KeyCode::Char('b'))
        {
            return;
        }
        input.handle(req);
    }
}

/// A key that types a character (no Ctrl or Alt): what someone writing
/// a note presses, so a screen closing on "any key" must not eat it.
fn is_text(ev: &KeyEvent) -> bool {
    matches!(ev.code, KeyCode::Char(_))
        && !ev.modifiers.intersects(
            crossterm::event::KeyModifiers::CONTROL | crossterm::event::KeyModifiers::ALT,
        )
}

/// Pasted text goes into the input as one line: control characters and
/// newlines become spaces.
pub fn paste(input: &mut Input, text: &str) {
    for c in text.chars() {
        let c = if c.is_control() { ' ' } else { c };
        input.handle(InputRequest::InsertChar(c));
    }
}

/// The lines of a paste as a note: control characters but tabs become
/// spaces, and blank lines at either end go.
pub fn note_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = lines
        .into_iter()
        .map(|l| {
            l.chars()
                .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
                .collect()
        })
        .collect();
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let lead = out.iter().take_while(|l| l.trim().is_empty()).count();
    out.drain(..lead);
    out
}

/// Lines of a paste as one line for the input bar.
pub fn flatten(lines: &[String]) -> String {
    lines
        .join(" ")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Whether a note typed in the input bar should be shown before it is
/// sent: one or two characters, or nothing but keys of the panes (`D`,
/// `jjjj`, `gG`): letters meant for a pane, typed while the bar had focus.
pub fn note_check(text: &str) -> Option<NoteCheck> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let first = *chars.first()?;
    let keys = keymap::pane_keys();
    let mut distinct = chars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let pane_keys = distinct.iter().all(|c| keys.contains(c));
    if pane_keys && distinct.len() == 1 {
        Some(NoteCheck::PaneKey(first))
    } else if chars.len() <= 2 {
        Some(NoteCheck::Short)
    } else if pane_keys && distinct.len() == 2 {
        Some(NoteCheck::PaneKey(first))
    } else {
        None
    }
}

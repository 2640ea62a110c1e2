//! The side of the live view that touches files: the open incident, its
//! presence file, and carrying out the app's effects. Kept apart from
//! `app` so the app stays pure.

use super::app::{App, Effect, Msg, Picker, PickerItem, Room, Screen, Welcome};
use super::background::{self, Found, HistoryWriter, Others, Report};
use super::committer::{Committer, Job, Outcome};
use super::history;
use super::look_back::Look;
use super::opening::Opening;
use super::overlay::Tone;
use crate::model::Actor;
use crate::model::reminders::{self, Reminder};
use crate::ops::Op;
use crate::store::presence::{self, PresenceGuard};
use crate::store::timeline::Timeline;
use crate::store::{IncidentFile, Listed, Store, StoreError};
use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::Duration;

mod drafts;
mod reread;

pub struct Session {
    pub store: Store,
    pub me: Actor,
    /// The open incident as last read; none while it is out being read
    /// again off the loop (see [`Session::read_later`]).
    pub file: Option<IncidentFile>,
    /// Where the open incident is (kept while its file is out).
    path: Option<PathBuf>,
    /// A change came while the open incident was out being read: one
    /// more read once it is back, however many came.
    read_again: bool,
    /// The open incident's round of reading: opening another starts a new
    /// one, and a read of the one before is not shown.
    read_gen: u64,
    /// This view's writes reported and not yet said: said after the next
    /// read, which shows what they wrote.
    written: Vec<Outcome>,
    /// The writes said after the read now out (see `read_later`).
    riding: Vec<Outcome>,
    presence: Option<PresenceGuard>,
    /// When this view last renewed its sign of life.
    last_beat: std::time::Instant,
    /// A sign of life is being written off the loop (the next waits).
    beating: bool,
    /// The directory's other incidents that hold a deploy freeze, kept up
    /// to date so the freeze banner agrees with `incident freeze status`
    /// whichever incident froze deploys.
    /// (None while a look at them is under way off the loop.)
    others: Option<Others>,
    /// Changes to other incidents not yet looked at, and the open
    /// incident they are for (opening another starts a new round).
    others_pending: Vec<crate::store::watch::Change>,
    others_gen: u64,
    /// Reads of the maintenance windows asked for: only the last one's
    /// answer is shown (reads may come back out of order).
    windows_gen: u64,
    /// This person's own state directory (per display name); the
    /// state for one incident directory is under it, see [`Session::mine`].
    pub state_dir: Option<PathBuf>,
    /// Adds the incident this view opens to what a polling watch looks at.
    pub follow: Option<crate::store::watch::Follow>,
    /// A problem found while opening (a bad playbook file), to show once.
    pub startup_error: Option<String>,
    /// Keys of `incident.toml` this version does not know were shown.
    settings_warned: bool,
    /// Ring the bell when a break ends (team and personal config).
    pub bell: bool,
    /// What this view has already reminded its person of.
    told: reminders::Told,
    /// Writes the open incident off the loop (see `committer`).
    committer: Option<Committer>,
    /// What was typed for each job not yet reported, oldest first.
    in_flight: Vec<Option<String>>,
    /// Jobs not yet reported (writes, the clock's quiet ones included,
    /// and everything read off the loop).
    jobs: usize,
    reports: mpsc::Receiver<Report>,
    report_tx: mpsc::Sender<Report>,
    /// The newest job that changes the screen (open, declare, the
    /// picker): an older one's result is not shown.
    screen_job: u64,
    /// Steps looking back asked for while one is being found, and the
    /// round of looking back (back to now starts a new one).
    looks: std::collections::VecDeque<Look>,
    look_gen: u64,
    looking: bool,
    /// Writes the input history off the loop (started when first needed).
    history: Option<HistoryWriter>,
    /// Notified when a report arrives, to wake the loop.
    pub wake: Arc<tokio::sync::Notify>,
    /// The open incident read for looking back, while someone does.
    timeline: Option<Box<Timeline>>,
    /// Playing the open drill's scenario (every view of a drill does).
    player: Option<crate::drill::runner::Player>,
    /// Sends the open incident's updates out on its own thread; dropping
    /// this stops it.
    sender: Option<mpsc::Sender<()>>,
    /// Tests: run on the thread reading the open incident again, before
    /// each read, standing for a slow disk.
    #[doc(hidden)]
    pub before_read: Option<Arc<dyn Fn() + Send + Sync>>,
    /// A job off the loop broke (see [`Report::Broke`]): what it said.
    /// The view closes, keeping what was typed, rather than go on showing
    /// an incident it may no longer be following.
    pub broke: Option<String>,
}

/// `INCIDENT_TEST_FAULT=read`: each read of the open incident after it
/// opened panics, to show how the view ends on a bug off its loop.
fn fault_on_read() -> Option<Arc<dyn Fn() + Send + Sync>> {
    let asked = std::env::var_os("INCIDENT_TEST_FAULT").is_some_and(|v| v == "read");
    let fault: Arc<dyn Fn() + Send + Sync> =
        Arc::new(|| panic!("a panic asked for by INCIDENT_TEST_FAULT=read"));
    asked.then_some(fault)
}

impl Session {
    pub fn new(store: Store, me: Actor) -> Self {
        let (report_tx, reports) = mpsc::channel();
        let state_dir = history::state_dir().map(|base| history::for_person(&base, &me));
        Session {
            follow: None,
            committer: None,
            told: Default::default(),
            in_flight: Vec::new(),
            jobs: 0,
            reports,
            report_tx,
            screen_job: 0,
            looks: Default::default(),
            look_gen: 0,
            looking: false,
            history: None,
            wake: Arc::new(tokio::sync::Notify::new()),
            store,
            me,
            file: None,
            path: None,
            read_again: false,
            read_gen: 0,
            written: Vec::new(),
            riding: Vec::new(),
            presence: None,
            last_beat: std::time::Instant::now(),
            beating: false,
            others: Some(Others::default()),
            others_pending: Vec::new(),
            others_gen: 0,
            windows_gen: 0,
            state_dir,
            startup_error: None,
            settings_warned: false,
            bell: true,
            timeline: None,
            player: None,
            sender: None,
            before_read: fault_on_read(),
            broke: None,
        }
    }

    /// The first screen: the incident asked for, the only active one, a
    /// picker among several, or the welcome form.
    pub fn initial_screen(&mut self, id: Option<&str>) -> Result<Screen, StoreError> {
        if let Some(id) = id {
            return self.open(id);
        }
        let picker = self.picker()?;
        match picker.items.len() {
            0 => Ok(Screen::Welcome(Welcome::default())),
            1 => self.open(&picker.items[0].incident.id.clone()),
            _ => Ok(Screen::Picker(picker)),
        }
    }

    pub fn picker(&self) -> Result<Picker, StoreError> {
        picker_of(&self.store)
    }

    /// Open incident `id` now, waiting for it (the first screen, tests).
    pub fn open(&mut self, id: &str) -> Result<Screen, StoreError> {
        let opening = Opening::read(&self.store, &self.me, self.mine().as_deref(), id)?;
        Ok(self.install(opening))
    }

    /// Make `opening` the open incident: its writer, its sender, its
    /// drill, and the war room to show.
    fn install(&mut self, opening: Opening) -> Screen {
        let Opening {
            file,
            team,
            playbook,
            roster,
            left_at,
            arrival,
            presence,
            others,
            draft,
            doc_draft,
            scenario,
            maintenance,
        } = opening;
        if let Some(follow) = &self.follow {
            // Polling looks at the hot incidents; this one may have ended.
            follow.add(file.path());
        }
        let inc = file.incident().clone();
        self.timeline = None;
        self.looks.clear();
        self.look_gen += 1;
        self.player = None;
        let mut drill_error = None;
        match scenario {
            Some(Ok(s)) => {
                self.player = Some(crate::drill::runner::Player::start(
                    self.store.clone(),
                    inc.id.clone(),
                    s,
                ))
            }
            Some(Err(e)) => drill_error = Some(format!("this drill does not play on: {e}")),
            None => {}
        }
        let (tx, wake) = (self.report_tx.clone(), self.wake.clone());
        self.committer = Committer::start(file.path().to_path_buf(), self.me.clone(), move |o| {
            let _ = tx.send(Report::Written(o));
            wake.notify_one();
        })
        .ok();
        // Every open view sends what is due, never on the draw loop; a
        // team with nowhere to send (read as the view opens) costs no
        // thread at all.
        self.sender = None;
        if team.as_ref().is_some_and(|t| t.sends_anything()) {
            self.start_sender(file.path());
        }
        self.presence = presence;
        // Keys this version does not know: said once per view, not refused.
        let settings_warning = match &team {
            Some(t) if !t.warnings.is_empty() && !self.settings_warned => {
                self.settings_warned = true;
                Some(t.warnings.join(" · "))
            }
            _ => None,
        };
        let mut room = Room::new(inc);
        room.left_at = left_at;
        room.arrival = arrival.map(Box::new);
        let mut playbook_error = None;
        match playbook {
            Ok(p) => room.set_playbook(p),
            Err(e) => playbook_error = Some(e),
        }
        room.read_only = file.read_only().map(str::to_string);
        room.set_roster(roster);
        room.around.maintenance = maintenance;
        room.around.takeover_after = team
            .as_ref()
            .map(|t| t.takeover_after)
            .unwrap_or(crate::config::TAKEOVER_AFTER);
        room.around.teams = team
            .map(|t| t.responders.iter().map(|r| r.name.clone()).collect())
            .unwrap_or_default();
        let others = Others(others);
        room.around.frozen_elsewhere = others.frozen();
        room.around.others_active = others.active();
        self.others = Some(others);
        self.others_pending.clear();
        self.others_gen += 1;
        // Last run's note and section edit are offered, not put where
        // typing goes: `:resume` takes them back (see `Room::resume`).
        room.kept = super::room::Kept {
            note: draft,
            edit: doc_draft.filter(|(what, ..)| super::room::Kept::section_of(what).is_some()),
        };
        self.startup_error = room.kept.offer();
        self.path = Some(file.path().to_path_buf());
        self.file = Some(file);
        self.read_again = false;
        self.read_gen += 1;
        // Both said, the edit that came back first.
        for e in [playbook_error, drill_error, settings_warning]
            .into_iter()
            .flatten()
        {
            self.startup_error = Some(match self.startup_error.take() {
                Some(back) => format!("{back} · {e}"),
                None => e,
            });
        }
        Screen::Room(Box::new(room))
    }

    /// What the watch saw change in the directory: the open incident,
    /// the others, who is here, the maintenance windows (each read off
    /// the loop).
    pub fn changed(&mut self, app: &mut App, changes: &[crate::store::watch::Change]) {
        use crate::store::watch::Change;
        let any = |f: fn(&Change) -> bool| changes.iter().any(|c| f(c) || *c == Change::Rescan);
        if any(|c| matches!(c, Change::File(_))) {
            self.refresh(app);
            self.refresh_others(app, changes);
        }
        if any(|c| matches!(c, Change::Presence(_))) {
            self.refresh_presence(app);
        }
        if any(|c| *c == Change::Maintenance) && app.room().is_some() {
            self.windows_later(None);
        }
    }

    /// Start this view's sender for the incident file at `path` (a
    /// thread of its own: it reads the team file and sends off the loop).
    fn start_sender(&mut self, path: &std::path::Path) {
        let (stop, stopped) = mpsc::channel();
        crate::notify::sweep::spawn_incident(
            self.store.dir().to_path_buf(),
            path.to_path_buf(),
            self.me.clone(),
            stopped,
        );
        self.sender = Some(stop);
    }

    /// Catch up with other writers after a change event (off the loop).
    pub fn refresh(&mut self, app: &mut App) {
        if self.path.is_none() {
            if matches!(app.screen, Screen::Picker(_)) {
                self.list_later();
            }
            return;
        }
        self.read_later(app);
    }

    /// Another incident file changed (or anything may have): look at it
    /// again for a deploy freeze, off the loop.
    pub fn refresh_others(&mut self, app: &mut App, changes: &[crate::store::watch::Change]) {
        use crate::store::watch::Change;
        let Some(own) = app.room().map(|r| r.incident.id.clone()) else {
            return;
        };
        self.others_pending.extend(
            changes
                .iter()
                .filter(|c| match c {
                    Change::File(path) => {
                        path.file_stem().and_then(|s| s.to_str()).is_some_and(|id| {
                            id != own && crate::store::parse_id(id).is_ok_and(|p| p == id)
                        })
                    }
                    Change::Rescan => true,
                    Change::Presence(_) | Change::Maintenance => false,
                })
                .cloned(),
        );
        self.recheck_others(own);
    }

    /// Look at the other incidents the changes waiting name, unless a
    /// look is under way (the changes then wait for it).
    fn recheck_others(&mut self, own: String) {
        if self.others_pending.is_empty() {
            return;
        }
        let Some(mut others) = self.others.take() else {
            return;
        };
        let changes = std::mem::take(&mut self.others_pending);
        let (store, round) = (self.store.clone(), self.others_gen);
        self.spawn(move || {
            others.recheck(&store, &own, &changes);
            Found::Others { round, others }
        });
    }

    /// Someone opened or closed a view: read who is here again, off the
    /// loop (on the picker, how many have each incident open).
    pub fn refresh_presence(&mut self, app: &mut App) {
        if let Some(id) = app.room().map(|r| r.incident.id.clone()) {
            let dir = self.store.dir().to_path_buf();
            self.spawn(move || Found::Settings {
                roster: presence::roster(&dir, &id),
                takeover_after: None,
                teams: None,
                id,
            });
        } else if matches!(app.screen, Screen::Picker(_)) {
            self.refresh(app);
        }
    }

    /// Give the app a message and carry out what it asks.
    pub fn tell(&mut self, app: &mut App, msg: Msg<'_>) {
        let effects = app.update(msg);
        self.perform_all(effects, app);
    }

    /// Say something in the message bar.
    fn say(&mut self, app: &mut App, tone: Tone, text: impl Into<String>) {
        self.tell(app, Msg::Notice(tone, text.into()));
    }

    /// Carry out each effect, in order.
    pub fn perform_all(&mut self, effects: Vec<Effect>, app: &mut App) {
        for effect in effects {
            self.perform(effect, app);
        }
    }

    /// Carry out what the app asked for.
    pub fn perform(&mut self, effect: Effect, app: &mut App) {
        match effect {
            Effect::Commit(op) => {
                // A call for help from a view opened before the team file
                // named anyone to send to: this view sends its page too
                // (its sender, started now, reads the file as it is).
                if matches!(op, Op::Escalate { .. })
                    && self.sender.is_none()
                    && let Some(path) = self.path.clone()
                {
                    self.start_sender(&path);
                }
                let text = app.room().and_then(|r| r.input.sending.clone());
                if text.is_some() {
                    self.tell(app, Msg::Handed);
                }
                self.send(app, op, text, false);
            }
            Effect::Declare {
                title,
                severity,
                force,
            } => self.declare_later(app, title, severity, force),
            Effect::Open(id) => self.open_later(app, id),
            Effect::ShowPicker => {
                self.screen_job += 1;
                self.list_later();
            }
            Effect::SaveHistory => self.save_history(app),
            Effect::Look(look) => self.look(app, look),
            Effect::BackToNow => {
                self.timeline = None;
                self.looks.clear();
                self.look_gen += 1;
            }
            Effect::Maintenance(m) => self.windows_later(Some(m)),
            Effect::Quit => self.tell(app, Msg::Quit),
        }
    }

    /// Read the maintenance windows again, off the loop; first run `m`
    /// (`:maintenance ...`) as this person.
    fn windows_later(&mut self, m: Option<crate::verbs::maintenance::Maintenance>) {
        let (dir, me) = (self.store.dir().to_path_buf(), self.me.who().to_string());
        self.windows_gen += 1;
        let round = self.windows_gen;
        self.spawn(move || {
            let now = chrono::Utc::now();
            let bar = crate::verbs::Said::Bar {
                line: "",
                toks: &[],
            };
            let said = m.map(|m| {
                crate::verbs::maintenance::run(&dir, &me, &m, now, &bar)
                    .map(|done| done.text(now).replace('\n', " · "))
                    .map_err(|e| e.to_string())
            });
            let windows = crate::store::maintenance::active(&dir, now).unwrap_or_default();
            Found::Windows {
                round,
                said,
                windows,
            }
        });
    }

    /// Open incident `id` off the loop; the war room shows when it is read.
    fn open_later(&mut self, app: &mut App, id: String) {
        self.screen_job += 1;
        let screen = self.screen_job;
        let (store, me, state) = (self.store.clone(), self.me.clone(), self.mine());
        self.say(app, Tone::Info, format!("Opening {id}…"));
        self.spawn(move || Found::Opened {
            screen,
            result: Opening::read(&store, &me, state.as_deref(), &id).map(Box::new),
            declared: None,
        });
    }

    /// Declare off the loop (unless `force`, first looking for an active
    /// incident with a similar title), then open it.
    fn declare_later(
        &mut self,
        app: &mut App,
        title: String,
        severity: crate::model::Severity,
        force: bool,
    ) {
        self.screen_job += 1;
        let screen = self.screen_job;
        let (store, me, state) = (self.store.clone(), self.me.clone(), self.mine());
        self.say(app, Tone::Info, "Declaring…");
        self.spawn(move || {
            if !force && let Some(existing) = store.similar_active(&title).into_iter().next() {
                return Found::Similar {
                    screen,
                    id: existing.id,
                    title: existing.title,
                };
            }
            match store.declare(&me, &title, severity) {
                Ok(file) => {
                    let id = file.incident().id.clone();
                    Found::Opened {
                        screen,
                        result: Opening::read(&store, &me, state.as_deref(), &id).map(Box::new),
                        declared: Some(id),
                    }
                }
                Err(e) => Found::NotDeclared {
                    screen,
                    error: e.to_string(),
                },
            }
        });
    }

    /// List the incidents to pick from, off the loop.
    fn list_later(&mut self) {
        let store = self.store.clone();
        self.spawn(move || Found::Listed(picker_of(&store)));
    }

    /// Write the input history out, off the loop.
    fn save_history(&mut self, app: &App) {
        if self.history.is_none() {
            self.history = HistoryWriter::start(self.report_tx.clone(), self.wake.clone());
        }
        match &self.history {
            Some(w) if w.save(app.history.clone()) => self.jobs += 1,
            // No thread to write it on: written here rather than lost.
            _ => app.history.save(),
        }
    }

    /// Run `job` off the loop; its result comes back through
    /// `apply_outcomes`. False if no thread could be started.
    fn spawn(&mut self, job: impl FnOnce() -> Found + Send + 'static) -> bool {
        let started = background::spawn(&self.report_tx, &self.wake, job);
        if started {
            self.jobs += 1;
        }
        started
    }

    /// Show the incident as it stood where `look` says, off the loop: the
    /// file is read for looking back the first time, then each step goes
    /// from the moment shown. Steps asked for meanwhile wait their turn.
    fn look(&mut self, app: &mut App, look: Look) {
        if self.looking {
            self.looks.push_back(look);
            return;
        }
        let Some(path) = self.path.clone() else {
            return;
        };
        let timeline = self.timeline.take();
        let from = app.as_of().map(|a| a.point);
        let round = self.look_gen;
        self.looking = true;
        self.spawn(move || {
            let (timeline, result) = background::look_step(path, timeline, from, look);
            Found::Looked {
                look: round,
                timeline,
                result,
            }
        });
    }

    /// Take in what a job off the loop found.
    fn found(&mut self, found: Found, app: &mut App) {
        match found {
            Found::Opened { screen, .. }
            | Found::Similar { screen, .. }
            | Found::NotDeclared { screen, .. }
                if screen != self.screen_job => {}
            Found::Opened {
                result, declared, ..
            } => match result {
                Ok(opening) => {
                    let screen = Box::new(self.install(*opening));
                    let said = self.startup_error.take();
                    self.tell(app, Msg::Show { screen, said });
                    if let Some(id) = declared {
                        let news = format!("Declared {id}. Others join with: incident open {id}");
                        self.say(app, Tone::Info, news);
                    }
                }
                Err(e) => self.say(app, Tone::Error, e.to_string()),
            },
            Found::Similar { id, title, .. } => self.tell(app, Msg::Similar { id, title }),
            Found::NotDeclared { error, .. } => self.say(app, Tone::Error, error),
            Found::Listed(Ok(picker)) => self.tell(app, Msg::Listed(picker)),
            Found::Listed(Err(e)) => self.say(app, Tone::Error, e.to_string()),
            Found::Looked {
                look,
                timeline,
                result,
            } => {
                self.looking = false;
                if look == self.look_gen {
                    self.timeline = timeline;
                    match result {
                        Ok(past) => self.tell(app, Msg::Looked(past)),
                        Err((tone, text)) => self.say(app, tone, text),
                    }
                    // Not looking back (back at now, or never got there):
                    // nothing is kept for it.
                    if app.as_of().is_none() {
                        self.timeline = None;
                    }
                }
                if let Some(next) = self.looks.pop_front() {
                    self.look(app, next);
                }
            }
            Found::Settings {
                id,
                roster,
                takeover_after,
                teams,
            } => {
                if app.room().is_some_and(|r| r.incident.id == id) {
                    self.tell(app, Msg::Presence(roster));
                    if let Some(after) = takeover_after {
                        self.tell(app, Msg::TakeoverAfter(after));
                    }
                    if let Some(teams) = teams {
                        self.tell(app, Msg::Teams(teams));
                    }
                }
            }
            Found::Others { round, others } => {
                if round == self.others_gen {
                    self.tell(app, Msg::FrozenElsewhere(others.frozen()));
                    self.tell(app, Msg::OthersActive(others.active()));
                    self.others = Some(others);
                    if let Some(own) = app.room().map(|r| r.incident.id.clone()) {
                        self.recheck_others(own);
                    }
                }
            }
            Found::Read {
                round,
                file,
                result,
            } => self.read_back(app, round, *file, result),
            Found::Beaten(then) => {
                self.beating = false;
                if let Some(then) = then {
                    self.found(*then, app);
                }
            }
            Found::HistorySaved => {}
            Found::HistoryFailed(e) => self.say(
                app,
                Tone::Error,
                format!("Could not save the lines you typed for Up to recall ({e}); the incident is not affected"),
            ),
            Found::Windows {
                round,
                said,
                windows,
            } => {
                if round == self.windows_gen {
                    self.tell(app, Msg::Windows(windows));
                }
                match said {
                    Some(Ok(text)) => self.say(app, Tone::Info, text),
                    // The bar was cleared when it was sent: say how to
                    // get the line back to fix it.
                    Some(Err(e)) => self.say(
                        app,
                        Tone::Error,
                        format!("{e} (Up brings back what you typed)"),
                    ),
                    None => {}
                }
            }
        }
    }

    /// Hand an operation to the worker; its outcome comes back through
    /// `apply_outcomes`.
    fn send(&mut self, app: &mut App, op: Op, text: Option<String>, quiet: bool) {
        let Some(committer) = &self.committer else {
            return self.refused(app, "the incident is not open for writing", text);
        };
        let job = Job {
            op,
            text: text.clone(),
            quiet,
        };
        if committer.send(job) {
            self.jobs += 1;
            if !quiet {
                self.in_flight.push(text);
            }
        } else {
            return self.refused(app, "the writer has stopped", text);
        }
        self.tell(app, Msg::Sending(self.in_flight.len()));
    }

    /// A write that never reached the writer: said even for a quiet one,
    /// and the text typed for it goes back in the input bar.
    fn refused(&mut self, app: &mut App, why: &str, text: Option<String>) {
        let done = super::committer::Done::Failed(why.to_string());
        let quiet = false;
        self.tell(app, Msg::Committed(Outcome { text, quiet, done }));
        self.tell(app, Msg::Sending(self.in_flight.len()));
    }

    /// Apply every report the workers have sent so far.
    pub fn apply_outcomes(&mut self, app: &mut App) {
        while let Ok(r) = self.reports.try_recv() {
            self.report(r, app);
        }
    }

    fn report(&mut self, r: Report, app: &mut App) {
        match r {
            Report::Written(o) => self.finish(o, app),
            Report::Found(f) => {
                self.jobs = self.jobs.saturating_sub(1);
                self.found(f, app);
            }
            Report::Broke(e) => {
                self.jobs = self.jobs.saturating_sub(1);
                self.broke.get_or_insert(e);
                self.tell(app, Msg::Quit);
            }
        }
    }

    /// Wait (at most `timeout`) until every job handed to the worker has
    /// been reported, applying each: before quitting, and in tests.
    pub fn settle(&mut self, app: &mut App, timeout: Duration) {
        let deadline = std::time::Instant::now() + timeout;
        while self.jobs > 0 {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.reports.recv_timeout(left) {
                Ok(r) => self.report(r, app),
                Err(_) => break,
            }
        }
        self.apply_outcomes(app);
    }

    /// Jobs handed to the worker and not yet reported.
    pub fn sending(&self) -> usize {
        self.in_flight.len()
    }

    fn finish(&mut self, o: Outcome, app: &mut App) {
        self.jobs = self.jobs.saturating_sub(1);
        if !o.quiet && !self.in_flight.is_empty() {
            self.in_flight.remove(0);
        }
        self.tell(app, Msg::Sending(self.in_flight.len()));
        if self.path.is_none() {
            return self.say_written(app, vec![o]);
        }
        // The worker wrote through its own handle: catch up with it (off
        // the loop), and say how the write went once what it wrote shows.
        self.written.push(o);
        self.read_later(app);
    }

    /// Once a second: keep nudging while an essential role stays empty.
    /// On screen every few minutes; in the log once per vacancy (the rule
    /// in `ops` makes sure only one of many open copies writes it).
    pub fn tick(&mut self, app: &mut App, now: chrono::DateTime<chrono::Utc>) -> bool {
        if self.last_beat.elapsed() >= presence::BEAT
            && !self.beating
            && let Some(p) = &self.presence
        {
            let beat = p.beater();
            self.last_beat = std::time::Instant::now();
            // Others' signs of life are not watched (they change all the
            // time): look at them, and at the team's takeover setting,
            // as often as this view gives its own, after it. All off the
            // loop: the answer comes back as a report, and the next beat
            // waits for it (a stalled disk does not pile them up).
            let id = app.room().map(|r| r.incident.id.clone());
            if id.is_some() {
                self.windows_later(None);
            }
            let dir = self.store.dir().to_path_buf();
            self.beating = self.spawn(move || {
                beat.beat();
                Found::Beaten(id.map(|id| {
                    let team = crate::config::Team::load(&dir).ok();
                    Box::new(Found::Settings {
                        takeover_after: team.as_ref().map(|t| t.takeover_after),
                        teams: team.map(|t| t.responders.into_iter().map(|r| r.name).collect()),
                        roster: presence::roster(&dir, &id),
                        id,
                    })
                }))
            });
        }
        // Out being read: what is due is said at the next tick.
        let Some(file) = &self.file else {
            return false;
        };
        let on_shift = app
            .room()
            .map(|room| super::panes::breaks::on_shift(room, now))
            .unwrap_or_default();
        let due = reminders::reminders(
            file.incident(),
            self.me.who(),
            &on_shift,
            file.read_only().is_none(),
            now,
            &mut self.told,
        );
        let mut ring = false;
        for r in due {
            match &r {
                Reminder::FoodDue(due) => self.tell(app, Msg::FoodDue(*due)),
                Reminder::Nudge(role) => self.send(app, Op::Nudge { role: *role }, None, true),
                Reminder::BreakOver => ring = self.bell,
                _ => {}
            }
            match r.message(app.draft_key()) {
                Some((text, true)) => self.say(app, Tone::Error, text),
                Some((text, false)) => self.say(app, Tone::Info, text),
                None => {}
            }
        }
        ring
    }
}

/// The active incidents to pick from, and how many have each open.
/// The active incidents to pick from, worst first, then oldest: the one
/// pre-selected is the one most likely to need hands.
fn picker_of(store: &Store) -> Result<Picker, StoreError> {
    let mut items: Vec<PickerItem> = store
        .list_active()?
        .into_iter()
        .filter_map(|l| match l {
            Listed::Ok(inc) if inc.is_active() => Some(*inc),
            _ => None,
        })
        .map(|incident| PickerItem {
            here: presence::list(store.dir(), &incident.id).len(),
            incident,
        })
        .collect();
    items.sort_by_key(|i| (i.incident.severity, i.incident.declared_at));
    Ok(Picker { items, selected: 0 })
}

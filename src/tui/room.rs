//! The war room for one incident: the incident and each pane's state.

use super::panes::Focus;
use super::panes::log as logpane;
use crate::model::Incident;
use crate::model::{RequestState, Role};
use crate::store::presence::Here;
use chrono::{DateTime, Utc};

/// Another active incident, as the line naming it needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherIncident {
    pub id: String,
    pub severity: crate::model::Severity,
    pub status: crate::model::Status,
    pub declared_at: DateTime<Utc>,
    /// Its systems (the failing service a page reported among them).
    pub systems: Vec<String>,
}

impl OtherIncident {
    /// What the line needs of `inc`.
    pub fn of(inc: &Incident) -> OtherIncident {
        OtherIncident {
            id: inc.id.clone(),
            severity: inc.severity,
            status: inc.status,
            declared_at: inc.declared_at,
            systems: inc.systems.keys().cloned().collect(),
        }
    }
}

/// What is around the incident: who has it open and who had, what the
/// team set, and the other incidents, freezes and maintenance windows in
/// the directory. Kept up to date by the session, drawn by the panes.
#[derive(Debug, Clone)]
pub struct Surroundings {
    pub here: Vec<Here>,
    /// Each person's last sign of life from a view now closed (see
    /// `store::presence`): with `here`, says who is away.
    pub seen: std::collections::BTreeMap<String, DateTime<Utc>>,
    /// Requests someone waited on, and whether they still wait
    /// (`store::presence::waits`): says which are stale.
    pub waits: Vec<(u64, bool)>,
    /// The team's `takeover_after` minutes.
    pub takeover_after: u32,
    /// The teams that can be called for help (`[[responders]]`), for Tab.
    pub teams: Vec<String>,
    /// The demo's sample responders are simulated: they are never shown
    /// away (nobody else has a scratch incident open).
    pub simulated: bool,
    /// Deploy freezes other incidents in the directory hold: their id and
    /// notice (as `incident freeze status` prints it).
    pub frozen_elsewhere: Vec<(String, String)>,
    /// The other active incidents in the directory (no drills), worst
    /// first, then oldest: the line offering `:merge` names them.
    pub others_active: Vec<OtherIncident>,
    /// The maintenance windows active in the directory (the banner names
    /// those for a system failing here).
    pub maintenance: Vec<crate::store::maintenance::Window>,
}

impl Surroundings {
    /// What Tab completes from: people, systems and open references.
    pub fn known(&self, incident: &Incident) -> super::command::Known {
        super::command::Known {
            people: self.people(incident),
            systems: incident.systems.keys().cloned().collect(),
            refs: super::command::Known::refs_of(incident),
            teams: self.teams.clone(),
        }
    }

    /// People to complete names from: present, holding roles, or in the log.
    pub fn people(&self, incident: &Incident) -> Vec<String> {
        let mut p: Vec<String> = self
            .here
            .iter()
            .map(|h| h.actor.who().to_string())
            .collect();
        p.extend(incident.roles.values().map(|h| h.user.clone()));
        p.extend(incident.log.iter().rev().take(500).map(|e| e.by.clone()));
        p.sort();
        p.dedup();
        p
    }
}

impl Default for Surroundings {
    fn default() -> Self {
        Surroundings {
            here: Vec::new(),
            seen: Default::default(),
            waits: Vec::new(),
            takeover_after: crate::config::TAKEOVER_AFTER,
            teams: Vec::new(),
            simulated: false,
            frozen_elsewhere: Vec::new(),
            others_active: Vec::new(),
            maintenance: Vec::new(),
        }
    }
}

/// The war room for one incident.
#[derive(Debug, Clone)]
pub struct Room {
    pub incident: Incident,
    /// Who is here and who was, what the team set, and the rest of the
    /// directory around the incident.
    pub around: Surroundings,
    /// Why this incident cannot be changed from here, if it cannot.
    pub read_only: Option<String>,
    /// The file stopped loading (corrupt line appended): shown, not fatal.
    pub load_error: Option<String>,
    /// The input bar's own state: the line, a paste put back, a send.
    pub input: super::panes::input::InputBar,
    pub focus: Focus,
    /// The log pane's own state: scroll, search, layouts.
    pub log: logpane::LogPane,
    /// The roles pane's own state.
    pub roles: super::panes::roles::RolesPane,
    /// The "what is bleeding" pane's own state.
    pub bleeding: super::panes::bleeding::BleedingPane,
    /// The mitigations pane's own state.
    pub mitigations: super::panes::mitigations::MitigationsPane,
    /// The document view, while open.
    pub doc: Option<super::doc::DocView>,
    /// Food is due (set by the session for the commander).
    pub food_due: Option<DateTime<Utc>>,
    /// The team's playbook, and what it suggests for the failing systems
    /// now (kept up to date by `update`).
    pub playbook: crate::playbook::Playbook,
    pub suggestions: Vec<crate::playbook::Suggestion>,
    /// Looking back: `incident` is the incident as it stood then, and
    /// this holds the moment and the incident as it stands now.
    pub as_of: Option<super::look_back::AsOf>,
    /// When this person had left the incident before this view opened
    /// (their last write or view): none if they had never been in.
    pub left_at: Option<DateTime<Utc>>,
    /// The catch-up or brief to show first, until it is shown.
    pub arrival: Option<Box<crate::model::arrival::Arrival>>,
    /// Last run's unsaved text, offered and not yet taken back.
    pub kept: Kept,
}

/// A draft from an earlier run (the terminal went away, Ctrl-C): offered,
/// never put where typing goes, so a `j` or a `:doc` typed on arrival is
/// not caught by it. `:resume` takes it back; until then it stays kept
/// (and is kept again when the view closes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    /// What was in the input bar.
    pub note: Option<String>,
    /// A document section being edited, as `doc::Editor::draft` keeps
    /// it: what (a section's name, `+` in front for a paragraph to add),
    /// the version its edit started from, and the text.
    pub edit: Option<(String, u64, String)>,
}

impl Kept {
    /// The section a kept edit is for.
    pub fn section_of(what: &str) -> Option<crate::model::Section> {
        what.strip_prefix('+').unwrap_or(what).parse().ok()
    }

    pub fn is_empty(&self) -> bool {
        self.note.is_none() && self.edit.is_none()
    }

    /// What the view says while something is kept.
    pub fn offer(&self) -> Option<String> {
        let edit = self
            .edit
            .as_ref()
            .and_then(|(what, ..)| Self::section_of(what));
        match (edit, &self.note) {
            (Some(section), Some(_)) => Some(format!(
                "Kept from last time: your {} edit and a note (:resume takes them back)",
                section.title()
            )),
            (Some(section), None) => Some(format!(
                "Kept from last time: your unsaved {} edit (:resume reopens it)",
                section.title()
            )),
            (None, Some(_)) => Some(
                "Kept from last time: your unsent note (:resume puts it back in the bar)"
                    .to_string(),
            ),
            (None, None) => None,
        }
    }
}

impl Room {
    pub fn new(incident: Incident) -> Self {
        let playbook = crate::playbook::Playbook::built_in();
        Room {
            around: Surroundings::default(),
            read_only: None,
            load_error: None,
            input: Default::default(),
            focus: Focus::Input,
            log: Default::default(),
            roles: Default::default(),
            bleeding: Default::default(),
            mitigations: Default::default(),
            doc: None,
            food_due: None,
            suggestions: playbook.suggestions(&incident),
            playbook,
            as_of: None,
            left_at: None,
            arrival: None,
            kept: Kept::default(),
            incident,
        }
    }

    /// `:resume`: take back what the last run kept, the section edit
    /// first (in its editor: a rewrite against the version it started
    /// from, so a save shows any change to merge, or a paragraph to add),
    /// then the note (in the input bar). Returns what to say.
    pub fn resume(&mut self, me: &str) -> String {
        if let Some((what, base, text)) = self.kept.edit.take()
            && let Some(editor) =
                super::doc::Editor::from_draft(&self.incident, me, &what, base, &text)
        {
            let section = editor.section;
            self.doc = Some(super::doc::DocView::editing(editor));
            let more = if self.kept.note.is_some() {
                " · your unsent note is still kept: :resume again after this"
            } else {
                ""
            };
            return format!(
                "Your unsaved {} edit is back: Ctrl-S saves it, Esc drops it{more}",
                section.title()
            );
        }
        if let Some(note) = self.kept.note.take() {
            self.doc = None;
            self.input.restore(note);
            self.focus = Focus::Input;
            return "Your unsent note is back in the input bar: edit it, then Enter".to_string();
        }
        "Nothing is kept to resume".to_string()
    }

    /// Use the team's playbook for suggestions.
    pub fn set_playbook(&mut self, playbook: crate::playbook::Playbook) {
        self.suggestions = playbook.suggestions(&self.incident);
        self.playbook = playbook;
    }

    /// Take in who has the incident open and everyone's last sign of life.
    pub fn set_roster(&mut self, roster: crate::store::presence::Roster) {
        self.around.here = roster.here;
        self.around.seen = roster.seen;
        self.around.waits = roster.waits;
    }

    /// Pending requests whose asker stopped waiting without withdrawing
    /// them (their process is gone): shown as stale, never put to the
    /// commander as a question.
    pub fn stale(&self) -> std::collections::BTreeSet<u64> {
        if self.as_of.is_some() {
            return Default::default();
        }
        crate::ops::stale_requests(&self.incident, self.around.waits.iter().copied())
    }

    /// Where `who` stands at `now`: here, or away since when.
    pub fn away(&self, who: &str, now: DateTime<Utc>) -> crate::model::away::Away {
        // Who had a view open then is not recorded: looking back says
        // nothing of it rather than mix now into then.
        if self.around.simulated || self.as_of.is_some() {
            return crate::model::away::Away::Here;
        }
        let present = self.around.here.iter().any(|h| h.actor.who() == who);
        crate::model::away::away(
            &self.incident,
            who,
            present,
            self.around.seen.get(who).copied(),
            now,
        )
    }

    /// Roles shown in the Roles pane.
    pub fn shown_roles(&self) -> Vec<Role> {
        self.incident.shown_roles()
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
        let was_stood_down = self.incident.detached.contains_key(me);
        let held = self.mitigations.held(&self.incident, &self.suggestions);
        sync(&mut self.incident, incident);
        self.suggestions = self.playbook.suggestions(&self.incident);
        // The selection stays on its row, or goes to what `me` just added.
        self.mitigations
            .settle(&self.incident, &self.suggestions, held, me);
        let mut news = Vec::new();
        // Stood down by the commander: said first, on this person's own
        // screen, in place of whatever the message bar said before.
        // (Short enough for 80 columns; the notice on top has the note.)
        if !was_stood_down && let Some(d) = self.incident.detached.get(me) {
            news.push(format!(
                "{} stood you down: off this incident now; hand over in the log, then rest",
                crate::sanitize::line(&d.by)
            ));
        }
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

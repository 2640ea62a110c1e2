//! Opening an incident in the live view: everything it reads, each thing
//! once, in one blocking call made off the view's loop (see
//! `session::Session::open_later`). The result is plain data the session
//! turns into a war room on the loop.

use crate::config::Team;
use crate::model::arrival::{self, Arrival};
use crate::model::{Actor, Incident};
use crate::playbook::Playbook;
use crate::store::presence::{self, Here, PresenceGuard, Roster};
use crate::store::{IncidentFile, Store, StoreError};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::Path;

/// What opening an incident found.
pub struct Opening {
    pub file: IncidentFile,
    /// The team's settings (read once: where updates go, `takeover_after`).
    pub team: Option<Team>,
    /// The team's playbook, or why it could not be read.
    pub playbook: Result<Playbook, String>,
    /// Who has it open (this view included) and everyone's last sign of life.
    pub roster: Roster,
    /// When this person had left it, and what to show them first.
    pub left_at: Option<DateTime<Utc>>,
    pub arrival: Option<Arrival>,
    /// This view's own sign of life, once it says it is here.
    pub presence: Option<PresenceGuard>,
    /// Other incidents that hold a deploy freeze or are active (no drills).
    pub others: HashMap<String, IncidentFile>,
    /// What was typed last time, and a section edit cut short.
    pub draft: Option<String>,
    pub doc_draft: Option<(String, u64, String)>,
    /// The drill's scenario, when this is a running drill.
    pub scenario: Option<Result<crate::drill::Scenario, String>>,
    /// The maintenance windows active now (the banner names one holding
    /// back pages for a system failing here from the first frame).
    pub maintenance: Vec<crate::store::maintenance::Window>,
}

impl Opening {
    /// Read what a view of incident `id` needs, as `me`; `state_dir`
    /// holds this person's drafts.
    pub fn read(
        store: &Store,
        me: &Actor,
        state_dir: Option<&Path>,
        id: &str,
    ) -> Result<Opening, StoreError> {
        let file = store.open(id)?;
        let inc = file.incident();
        let dir = store.dir();
        let scenario = inc
            .drill
            .as_ref()
            .filter(|_| inc.is_active())
            .map(|d| crate::drill::find(dir, &d.scenario));
        // When this person left, read before this view says they are here.
        let mut roster = presence::roster(dir, &inc.id);
        let (left_at, arrival) = arrival_of(inc, me, &roster);
        let presence = presence::join(dir, &inc.id, me).ok();
        if presence.is_some() {
            // Here now too: the roster is not read a second time for it.
            roster.here.push(Here {
                actor: me.clone(),
                joined_at: Utc::now(),
                pid: std::process::id(),
            });
        }
        // The directory index's hot incidents: never every incident.
        let others = store
            .hot_ids()
            .unwrap_or_default()
            .into_iter()
            .filter(|other| *other != inc.id)
            .filter_map(|other| Some((other.clone(), store.open(&other).ok()?)))
            .filter(|(_, f)| super::background::Others::keeps(f.incident()))
            .collect();
        let draft = super::history::take_draft(state_dir, &inc.id);
        let doc_draft = super::history::take_doc_draft(state_dir, &inc.id);
        Ok(Opening {
            team: Team::load(dir).ok(),
            playbook: Playbook::load(dir).map_err(|e| e.to_string()),
            roster,
            left_at,
            arrival,
            presence,
            others,
            draft,
            doc_draft,
            scenario,
            maintenance: crate::store::maintenance::active(dir, Utc::now()).unwrap_or_default(),
            file,
        })
    }
}

/// When `me` left `inc` (none if never in), and what to show them first:
/// what changed since, or the handover brief.
fn arrival_of(
    inc: &Incident,
    me: &Actor,
    roster: &Roster,
) -> (Option<DateTime<Utc>>, Option<Arrival>) {
    let me = me.who();
    let here = roster.away(inc, me) == crate::model::away::Away::Here;
    let left = arrival::left_at(inc, me, roster.seen.get(me).copied());
    let stale = crate::ops::stale_requests(inc, roster.waits.iter().copied());
    let arrival = arrival::on_opening(inc, me, here, left, Utc::now());
    (left, arrival.map(|a| a.without_stale(&stale)))
}

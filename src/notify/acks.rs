//! A page about one of our own calls for help, come back through the
//! listener (`incident listen`, `incident page`): the pager's webhook for
//! the alert our page made. Its key is ours (`incident/INC-3/db-team`,
//! PagerDuty's `incident_key`, Opsgenie's alias): an acknowledgement marks
//! the team's call answered, anything else about it is set aside. Never
//! declared as a new incident, nor joined to one, even when no such call
//! is recorded here (another war room on the same pager).

use crate::intake::{Outcome, Received};
use crate::model::Actor;
use crate::model::escalation::parse_dedup_key;
use crate::ops::Op;
use crate::pager::{Alert, AlertState};
use crate::store::{Store, StoreError};

/// What became of `alert` if it is about a call for help from `store`;
/// None when it is not (the intake files it as any page).
pub fn take(store: &Store, me: &Actor, alert: &Alert) -> Result<Option<Received>, StoreError> {
    let Some((id, team)) = [alert.events_key.as_deref(), Some(alert.dedup_key.as_str())]
        .into_iter()
        .flatten()
        .find_map(parse_dedup_key)
    else {
        return Ok(None);
    };
    // A key of our form that is no incident id is someone else's.
    if crate::store::parse_id(id).is_err() {
        return Ok(None);
    }
    let source = alert.source.label().to_string();
    // Our key, but no call of ours here (another war room on the same
    // pager, or an incident no longer in this directory): still our
    // kind of page, never an incident of its own.
    let unknown = || {
        let team = crate::sanitize::line(team);
        Ok(Some(Received {
            outcome: Outcome::Ignored(format!(
                "about a call for help to {team} from {id}, which this directory has no record of"
            )),
            notes: vec![format!(
                "{source} {} of a page to {team} from {id}: no call for help from {id} to {team} is recorded here",
                state_word(&alert.state)
            )],
        }))
    };
    let mut file = match store.open(id) {
        Ok(f) => f,
        Err(StoreError::NotFound { .. }) => return unknown(),
        Err(e) => return Err(e),
    };
    let inc = file.incident();
    let calls: Vec<_> = inc
        .notices
        .escalations
        .iter()
        .filter(|e| e.team == team)
        .collect();
    if calls.is_empty() {
        return unknown();
    }
    let id = inc.id.clone();
    let received = |outcome, note: String| {
        Ok(Some(Received {
            outcome,
            notes: vec![note],
        }))
    };
    let AlertState::Acknowledged { by } = &alert.state else {
        return received(
            Outcome::Ignored(format!(
                "about {team}, called for help from {id}: only its acknowledgement is taken"
            )),
            format!(
                "{source} {} of our own page to {team}",
                state_word(&alert.state)
            ),
        );
    };
    if calls.iter().all(|e| e.ack.is_some()) {
        return received(
            Outcome::Redelivered(id.clone()),
            format!("{team} had already acknowledged the call from {id}"),
        );
    }
    file.commit(
        me,
        Op::EscalationAcked {
            team: team.to_string(),
            source,
            acked_by: by.clone(),
        },
    )?;
    received(
        Outcome::Logged(id.clone()),
        format!("{team} acknowledged the call for help from {id}"),
    )
}

fn state_word(s: &AlertState) -> &str {
    match s {
        AlertState::Triggered => "trigger",
        AlertState::Acknowledged { .. } => "acknowledgement",
        AlertState::Resolved => "resolve",
        AlertState::Other { what } => what,
    }
}

//! The one way a person's act is written, for the command line and the
//! live view alike ([`act`]): most acts are one entry, judged by the one
//! check as it is written; a few take more than one write, or look at
//! more than the incident, and are written here, once.

use super::{IncidentFile, StoreError};
use crate::model::{Actor, CloseKind, Relation, RequestState};
use crate::ops::{Op, Refusal};

/// How an act went.
#[derive(Debug)]
pub enum Acted {
    /// Written.
    Written,
    /// Mitigation `mitigation` changes production and has no go yet: the
    /// commander was asked for it as request `request` instead (`new`
    /// false: a request already waiting was reused). Nothing started.
    Asked {
        mitigation: u64,
        request: u64,
        new: bool,
    },
    /// The incident was closed as a duplicate (`Op::Close` with `into`).
    Merged(Merged),
}

/// Write `op` to `file` as `me`. The acts that need more than one write
/// are written whole:
/// - starting a mitigation that changes production asks the commander
///   for go instead (once: a request still waiting is reused);
/// - a takeover is judged with where the holder stands, and the team's
///   setting, read just before writing (what the asker filled in is not
///   trusted: see [`Op::take_over`]);
/// - closing as a duplicate of another incident records it there too.
pub fn act(file: &mut IncidentFile, me: &Actor, op: Op) -> Result<Acted, StoreError> {
    match op {
        Op::StartMitigation { id } => start_mitigation(file, me, id),
        Op::TakeOver { role, .. } => take_over(file, me, role).map(|_| Acted::Written),
        Op::Close {
            kind: CloseKind::Duplicate,
            into: Some(into),
            reason,
        } => merge(file, me, &into, reason).map(Acted::Merged),
        Op::Escalate { team, message, .. } => {
            let op = crate::notify::responders::escalate_op(file.path(), team, message)?;
            file.commit(me, op).map(|_| Acted::Written)
        }
        op => file.commit(me, op).map(|_| Acted::Written),
    }
}

/// Start mitigation `id`; when it changes production and has no go yet,
/// ask the commander instead, once (a request still waiting is reused).
fn start_mitigation(file: &mut IncidentFile, me: &Actor, id: u64) -> Result<Acted, StoreError> {
    match file.commit(me, Op::StartMitigation { id }) {
        Ok(_) => return Ok(Acted::Written),
        Err(StoreError::Refused(Refusal::NeedsClearance { .. })) => {}
        Err(e) => return Err(e),
    }
    if let Some(request) = waiting_request(file, id) {
        return Ok(Acted::Asked {
            mitigation: id,
            request,
            new: false,
        });
    }
    let text = match file.incident().mitigation(id) {
        Some(m) => format!("start M{id}: {}", m.text),
        None => format!("start M{id}"),
    };
    file.commit(
        me,
        Op::Announce {
            text,
            mitigation: Some(id),
        },
    )?;
    // The mitigation names its request once the announcement is applied.
    let request = waiting_request(file, id).ok_or_else(|| {
        StoreError::io(
            file.path(),
            std::io::Error::other(format!(
                "asked for go for M{id} but the request is not in the file (a bug: please report it)"
            )),
        )
    })?;
    Ok(Acted::Asked {
        mitigation: id,
        request,
        new: true,
    })
}

/// The request for go on mitigation `id` still waiting for an answer.
fn waiting_request(file: &IncidentFile, id: u64) -> Option<u64> {
    let inc = file.incident();
    inc.mitigation(id)?.request.filter(|r| {
        inc.request(*r)
            .is_some_and(|r| r.state == RequestState::Pending)
    })
}

/// Take `role` over from a holder who has been away at least the team's
/// `takeover_after` minutes: where the holder stands, and the setting, are
/// read now, just before writing, so a holder who came back in the
/// meantime keeps the role and a view open for hours uses today's setting.
fn take_over(
    file: &mut IncidentFile,
    me: &Actor,
    role: crate::model::Role,
) -> Result<crate::ops::Record, StoreError> {
    file.refresh()?;
    let inc = file.incident();
    let dir = file
        .path()
        .parent()
        .unwrap_or_else(|| std::path::Path::new("."));
    let after = crate::config::Team::load(dir)
        .map_err(StoreError::Config)?
        .takeover_after;
    let roster = super::presence::roster_everywhere(dir, &inc.id);
    let (away, host) = match inc.holder(role) {
        Some(h) => (roster.away(inc, h), roster.host_of(h)),
        None => (crate::model::away::Away::Here, None),
    };
    let op = crate::ops::takeover(inc, role, me.who(), away, host, after, chrono::Utc::now())?;
    file.commit(me, op)
}

/// How a merge went: the duplicate is closed; `back_link` says whether the
/// incident it was merged into recorded it too.
#[derive(Debug)]
pub struct Merged {
    /// The canonical id merged into.
    pub into: String,
    /// Why the other incident could not record the duplicate, if it could not.
    pub back_link: Result<(), String>,
}

/// Close `file`'s incident as a duplicate of incident `into` (in the same
/// directory), then record it in `into` with its pager keys, so the
/// duplicate's alerts go there from now on. `into` must be active. The
/// close is judged first (the commander's call); only then is `into`
/// written.
fn merge(
    file: &mut IncidentFile,
    me: &Actor,
    into: &str,
    reason: Option<String>,
) -> Result<Merged, StoreError> {
    let into = super::parse_id(into)?;
    let dir = file
        .path()
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_default();
    let path = dir.join(format!("{into}.jsonl"));
    let mut target = match IncidentFile::open(&path) {
        Err(StoreError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NotFound { id: into, dir });
        }
        other => other?,
    };
    let t = target.incident();
    if !t.is_active() && t.id != file.incident().id {
        let hint = match t.closed.as_ref().and_then(|c| c.into.as_deref()) {
            Some(further) => format!(" (merge into {further} instead)"),
            None => String::new(),
        };
        return Err(StoreError::Refused(Refusal::MergeIntoInactive {
            id: into,
            state: match &t.closed {
                Some(c) => format!("closed as a {}", c.label()),
                None => t.status.to_string(),
            },
            hint,
        }));
    }
    file.commit(
        me,
        Op::Close {
            kind: CloseKind::Duplicate,
            into: Some(into.clone()),
            reason,
        },
    )?;
    let back = Op::Relate {
        relation: Relation::HasDuplicate,
        incident: file.incident().id.clone(),
        keys: file.incident().pager_keys.iter().cloned().collect(),
    };
    let back_link = target.commit(me, back).map(drop).map_err(|e| e.to_string());
    Ok(Merged { into, back_link })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MitigationKind, MitigationStatus, Risk, Role, Severity, Speed};
    use crate::store::Store;

    fn declared(store: &Store, title: &str) -> IncidentFile {
        let alice = Actor::named("alice");
        let mut file = store.declare(&alice, title, Severity::Sev2).unwrap();
        let claim = Op::ClaimRole {
            role: Role::Commander,
        };
        assert!(matches!(act(&mut file, &alice, claim), Ok(Acted::Written)));
        file
    }

    #[test]
    fn starting_a_mitigation_that_needs_a_go_asks_once_and_starts_after_the_go() {
        let tmp = tempfile::tempdir().unwrap();
        let mut file = declared(&Store::new(tmp.path()), "Checkout errors");
        let (alice, bob) = (Actor::named("alice"), Actor::named("bob"));
        let propose = Op::ProposeMitigation {
            text: "Roll back the deploy".into(),
            kind: MitigationKind::Rollback,
            risk: Risk::Low,
            speed: Speed::Quick,
            system: None,
            owner: None,
        };
        act(&mut file, &bob, propose).unwrap();
        let start = Op::StartMitigation { id: 1 };
        let asked = |a: Result<Acted, StoreError>| match a {
            Ok(Acted::Asked {
                mitigation: 1,
                request,
                new,
            }) => (request, new),
            other => panic!("{other:?}"),
        };
        assert_eq!(asked(act(&mut file, &bob, start.clone())), (1, true));
        // Asked again while the request waits: the same request.
        assert_eq!(asked(act(&mut file, &bob, start.clone())), (1, false));
        assert_eq!(file.incident().requests.len(), 1);
        let go = Op::Answer {
            request: 1,
            go: true,
            reason: None,
        };
        act(&mut file, &alice, go).unwrap();
        assert!(matches!(act(&mut file, &bob, start), Ok(Acted::Written)));
        let m = file.incident().mitigation(1).unwrap();
        assert_eq!(m.status, MitigationStatus::InProgress);
    }

    #[test]
    fn a_takeover_is_judged_by_the_writer_with_the_setting_read_now() {
        let tmp = tempfile::tempdir().unwrap();
        let mut file = declared(&Store::new(tmp.path()), "Checkout errors");
        let carol = Actor::named("carol");
        // alice has no view open but wrote just now: the default 5
        // minutes have not passed.
        let e = act(&mut file, &carol, Op::take_over(Role::Commander)).unwrap_err();
        assert!(
            matches!(
                e,
                StoreError::Refused(Refusal::NotAwayLongEnough { after: 5, .. })
            ),
            "{e}"
        );
        // The team's setting changes under an open file: it is read again.
        std::fs::write(tmp.path().join("incident.toml"), "takeover_after = 0\n").unwrap();
        assert!(matches!(
            act(&mut file, &carol, Op::take_over(Role::Commander)),
            Ok(Acted::Written)
        ));
        assert_eq!(file.incident().commander(), Some("carol"));
    }

    #[test]
    fn closing_as_a_duplicate_records_it_in_the_other_incident_too() {
        let tmp = tempfile::tempdir().unwrap();
        let store = Store::new(tmp.path());
        let first = declared(&store, "Checkout errors").incident().id.clone();
        let mut second = declared(&store, "Payments failing");
        let close = Op::Close {
            kind: CloseKind::Duplicate,
            into: Some(first.clone()),
            reason: None,
        };
        let merged = match act(&mut second, &Actor::named("alice"), close) {
            Ok(Acted::Merged(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            (merged.into.as_str(), merged.back_link),
            (first.as_str(), Ok(()))
        );
        assert!(second.incident().closed.is_some());
        let first = store.open(&first).unwrap();
        assert!(
            first
                .incident()
                .related
                .iter()
                .any(|r| r.relation == Relation::HasDuplicate
                    && r.incident == second.incident().id)
        );
    }
}

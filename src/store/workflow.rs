//! Acts made of more than one write, written once for the command line
//! and the live view alike.

use super::{IncidentFile, StoreError};
use crate::model::{Actor, RequestState};
use crate::ops::{Op, Refusal};

/// How asking to start a mitigation went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// It is started.
    Started,
    /// It changes production: the commander was asked for go as request
    /// `request` (`new` false: a request already waiting was reused).
    Asked { request: u64, new: bool },
}

/// Start mitigation `id`; when it changes production and has no go yet,
/// ask the commander instead, once (a request still waiting is reused).
pub fn start_mitigation(file: &mut IncidentFile, me: &Actor, id: u64) -> Result<Start, StoreError> {
    match file.commit(me, Op::StartMitigation { id }) {
        Ok(_) => return Ok(Start::Started),
        Err(StoreError::Refused(Refusal::NeedsClearance { .. })) => {}
        Err(e) => return Err(e),
    }
    if let Some(request) = waiting_request(file, id) {
        return Ok(Start::Asked {
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
    Ok(Start::Asked { request, new: true })
}

/// The request for go on mitigation `id` still waiting for an answer.
fn waiting_request(file: &IncidentFile, id: u64) -> Option<u64> {
    let inc = file.incident();
    inc.mitigation(id)?.request.filter(|r| {
        inc.request(*r)
            .is_some_and(|r| r.state == RequestState::Pending)
    })
}

/// Take `role` over from a holder who has been away at least `after`
/// minutes (the team's `takeover_after`): where the holder stands is read
/// from the presence files now, just before writing, so a holder who came
/// back in the meantime keeps the role.
pub fn take_over(
    file: &mut IncidentFile,
    me: &Actor,
    role: crate::model::Role,
    after: u32,
) -> Result<crate::ops::Record, StoreError> {
    file.refresh()?;
    let inc = file.incident();
    let dir = file
        .path()
        .parent()
        .unwrap_or_else(|| std::path::Path::new("."));
    let roster = super::presence::roster(dir, &inc.id);
    let (away, host) = match inc.holder(role) {
        Some(h) => (roster.away(inc, h), roster.host_of(h)),
        None => (crate::model::away::Away::Here, None),
    };
    let op = crate::ops::takeover(inc, role, me.who(), away, host, after, chrono::Utc::now())?;
    file.commit(me, op)
}

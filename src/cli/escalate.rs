//! `incident escalate TEAM [MESSAGE]`: the call is written (the team
//! checked against the team file just before), said, and its page sent
//! at once; live views and `incident listen` retry what did not go.

use super::{Ctx, Failure, emit};
use crate::ops::Op;
use std::io::Write;

pub(super) fn run(
    ctx: &Ctx,
    out: &mut impl Write,
    id: Option<&str>,
    op: Op,
) -> Result<i32, Failure> {
    let team = match &op {
        Op::Escalate { team, .. } => team.clone(),
        _ => String::new(),
    };
    let mut file = act_and_say(ctx, out, id, op)?;
    let round = super::document::send_now(ctx, &mut file);
    if let Some(line) = not_said(file.incident(), &team, &round) {
        eprintln!("{line}");
    }
    Ok(0)
}

/// What became of this call's page when this process did not send it
/// itself (a live view or `incident listen` claimed it first, or a drill
/// pages nobody): said, so "called" is never the whole story.
fn not_said(
    inc: &crate::model::Incident,
    team: &str,
    round: &crate::notify::Round,
) -> Option<String> {
    let call = inc
        .notices
        .escalations
        .iter()
        .filter(|e| e.team == team)
        .max_by_key(|e| e.n)?;
    let d = inc
        .notices
        .get(call.n, &crate::model::escalation::target(team))?;
    let label = d.label();
    if round
        .sent
        .iter()
        .chain(&round.failed)
        .any(|s| s.starts_with(&label))
    {
        return None;
    }
    let now = chrono::Utc::now();
    Some(match d.live_claim(now) {
        Some(c) if !d.is_done() => format!(
            "{label}: being sent by {} (a live view or incident listen); incident show says when it has gone",
            crate::sanitize::line(&c.by)
        ),
        _ => format!("{label}: {}", d.state_text()),
    })
}

/// Write `op` through the workflow (`store::workflow::act`) and say the
/// entry it made ("INC-3: called db-team for help"): `incident escalate`
/// and `incident role takeover`.
pub(super) fn act_and_say(
    ctx: &Ctx,
    out: &mut impl Write,
    id: Option<&str>,
    op: Op,
) -> Result<crate::store::IncidentFile, Failure> {
    let mut file = ctx.store.resolve(id)?;
    crate::store::workflow::act(&mut file, &ctx.me, op)?;
    let inc = file.incident();
    if let Some(e) = inc.log.last() {
        emit(
            out,
            &format!("{}: {}", inc.id, crate::sanitize::line(&e.text)),
        )?;
    }
    Ok(file)
}

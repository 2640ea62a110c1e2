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
    let mut file = act_and_say(ctx, out, id, op)?;
    super::document::send_now(ctx, &mut file);
    Ok(0)
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

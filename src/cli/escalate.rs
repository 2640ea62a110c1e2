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
    let mut file = ctx.store.resolve(id)?;
    crate::store::workflow::act(&mut file, &ctx.me, op)?;
    let inc = file.incident();
    if let Some(e) = inc.log.last() {
        emit(
            out,
            &format!("{}: {}", inc.id, crate::sanitize::line(&e.text)),
        )?;
    }
    super::document::send_now(ctx, &mut file);
    Ok(0)
}

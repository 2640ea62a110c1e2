//! `incident catchup`: what changed since you left, or the handover brief
//! if you were never in, as text or JSON (the live view shows the same on
//! opening).

use super::{Ctx, Failure, emit};
use crate::model::arrival::{self, Arrival};
use crate::model::milestone::parse_time;
use crate::store::presence;
use chrono::{DateTime, Utc};
use std::io::Write;

pub fn run(
    ctx: &Ctx,
    out: &mut impl Write,
    id: Option<&str>,
    since: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let now = Utc::now();
    let since = since
        .map(|s| parse_time(s, now).map_err(|e| Failure::usage(format!("--since: {e}"))))
        .transpose()?;
    if let Some(t) = since
        && t > now
    {
        return Err(Failure::usage(format!(
            "--since {} is in the future (now is {} UTC): give a time that has passed",
            t.format("%Y-%m-%dT%H:%MZ"),
            now.format("%H:%M")
        )));
    }
    let file = ctx.store.resolve(id)?;
    let inc = file.incident();
    let me = ctx.me.who();
    let seen = presence::last_seen(ctx.store.dir(), &inc.id)
        .get(me)
        .copied();
    let left = arrival::left_at(inc, me, seen);
    let stale = crate::ops::stale_requests(inc, presence::waits(ctx.store.dir(), &inc.id));
    let shown = arrival::on_request(inc, me, since, left, now).without_stale(&stale);
    if json {
        return emit(out, &serde_json::to_string_pretty(&shown).expect("json"));
    }
    let time = |t: DateTime<Utc>| {
        if now - t >= chrono::Duration::hours(20) {
            t.format("%Y-%m-%d %H:%M").to_string()
        } else {
            t.format("%H:%M").to_string()
        }
    };
    let first = match &shown {
        Arrival::Brief(_) => format!(
            "You have not been in {} before: here is its handover brief (times UTC)",
            inc.id
        ),
        Arrival::Catchup(_) => format!(
            "{} \"{}\" (times UTC)",
            inc.id,
            crate::sanitize::line(&inc.shown_title())
        ),
    };
    emit(out, &format!("{first}\n{}", shown.outline(&time).to_text()))
}

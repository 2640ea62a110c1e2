//! What calling for help does: the call is kept and logged; its page
//! going out, failing for good or being set aside is logged once each
//! (not every retry); an acknowledgement marks the team's calls answered.
//! A team called again after its resolve went out (a reopened incident)
//! is owed a new resolve when the incident ends again.

use super::*;
use crate::model::delivery::{FAILING_AFTER, RESOLVE};
use crate::model::escalation::{Escalation, EscalationAck, team_of};

pub(super) fn replay(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::Escalate {
            team,
            kind,
            message,
        } => {
            let n = inc.notices.escalations.len() as u64 + 1;
            // Called again after its resolve went out (the incident was
            // reopened): the same key opens a new alert at the team's
            // pager, so the next end owes it a resolve again.
            let page = crate::model::escalation::target(team);
            inc.notices
                .deliveries
                .retain(|d| !(d.update == RESOLVE && d.target == page));
            inc.notices.escalations.push(Escalation {
                n,
                team: team.clone(),
                kind: kind.clone(),
                message: message.clone(),
                by: who.to_string(),
                at: rec.at,
                ack: None,
            });
            let via = if kind.is_empty() {
                String::new()
            } else {
                format!(" ({kind})")
            };
            let text = match message {
                Some(m) => format!("called {team} for help{via}: {m}"),
                None => format!("called {team} for help{via}"),
            };
            push(inc, rec, LogKind::Page, text);
        }
        Op::EscalationAcked {
            team,
            source,
            acked_by,
        } => {
            let ack = EscalationAck {
                source: source.clone(),
                by: acked_by.clone(),
                at: rec.at,
            };
            let mut first = false;
            for e in inc
                .notices
                .escalations
                .iter_mut()
                .filter(|e| &e.team == team && e.ack.is_none())
            {
                e.ack = Some(ack.clone());
                first = true;
            }
            if first {
                let by = acked_by
                    .as_ref()
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default();
                push(
                    inc,
                    rec,
                    LogKind::Page,
                    format!("{team} acknowledged the call for help in {source}{by}"),
                );
            }
        }
        Op::Delivered { update, target, .. } => {
            if let Some(team) = team_of(target) {
                let text = if *update == RESOLVE {
                    format!("told {team} the incident is over (their page resolved)")
                } else {
                    format!("the page to {team} went out")
                };
                push(inc, rec, LogKind::Page, text);
            }
        }
        Op::DeliveryFailed {
            update,
            target,
            error,
            ..
        } => {
            let failures = inc.notices.get(*update, target).map_or(0, |d| d.failures);
            if let Some(team) = team_of(target)
                && (failures == 1 || failures == FAILING_AFTER)
            {
                let what = if *update == RESOLVE {
                    "the resolve"
                } else {
                    "the page"
                };
                let text = format!(
                    "{what} to {team} did not go through ({}): retrying",
                    crate::sanitize::line(error)
                );
                push(inc, rec, LogKind::Page, text);
            }
        }
        Op::DeliverySkipped { target, reason, .. } => {
            if let Some(team) = team_of(target) {
                push(
                    inc,
                    rec,
                    LogKind::Page,
                    format!("{team} is not really paged: {reason}"),
                );
            }
        }
        _ => {}
    }
}

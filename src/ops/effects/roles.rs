//! What operations do: roles: who commands and communicates, and how command moves (offered and accepted, never silently).

use super::*;

pub(super) fn replay(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::SetRole { role, user } => {
            let previous = set_holder(inc, *role, user.as_deref(), rec);
            let text = match (user, &previous) {
                (Some(u), Some(p)) => format!("{u} is now {role} (was {p}; set by {who})"),
                (Some(u), None) if *u == who => format!("{u} is now {role}"),
                (Some(u), None) => format!("{u} is now {role} (set by {who})"),
                (None, Some(p)) if *p == who => format!("{p} stepped down as {role}"),
                (None, Some(p)) => format!("{role} is now empty (was {p}; cleared by {who})"),
                (None, None) => format!("{role} is now empty"),
            };
            push(inc, rec, LogKind::RoleChange, text);
            milestone(inc);
        }
        Op::ClaimRole { role } => {
            set_holder(inc, *role, Some(who), rec);
            push(
                inc,
                rec,
                LogKind::RoleChange,
                format!("{who} claimed {role}"),
            );
            milestone(inc);
        }
        Op::StepDown { role } => {
            set_holder(inc, *role, None, rec);
            push(
                inc,
                rec,
                LogKind::RoleChange,
                format!("{who} stepped down as {role}; it is now empty"),
            );
            milestone(inc);
        }
        Op::OfferRole { role, to } => {
            inc.offers.insert(
                *role,
                Offer {
                    from: who.to_string(),
                    to: to.clone(),
                    at: rec.at,
                },
            );
            let holder = inc.holder(*role).unwrap_or("nobody").to_string();
            push(
                inc,
                rec,
                LogKind::RoleChange,
                format!("{who} offered {role} to {to}; {holder} keeps it until {to} accepts"),
            );
        }
        Op::AcceptRole { role } => {
            let from = inc
                .offers
                .get(role)
                .map(|o| o.from.clone())
                .unwrap_or_default();
            let previous = set_holder(inc, *role, Some(who), rec);
            let was = previous.map(|p| format!(" (was {p})")).unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::RoleChange,
                format!("{who} accepted {role} from {from}{was}"),
            );
            milestone(inc);
        }
        Op::DeclineRole { role } => {
            let from = inc.offers.remove(role).map(|o| o.from).unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::RoleChange,
                format!("{who} declined {role} offered by {from}"),
            );
        }
        Op::WithdrawOffer { role } => {
            let to = inc.offers.remove(role).map(|o| o.to).unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::RoleChange,
                format!("{who} withdrew the offer of {role} to {to}"),
            );
        }
        Op::AddRole { role } => {
            inc.extra_roles.push(*role);
            push(
                inc,
                rec,
                LogKind::RoleChange,
                format!("{who} added the role {role}"),
            );
        }
        Op::Nudge { role } => {
            inc.nudged.insert(*role);
            let short = if *role == Role::Commander {
                "ic"
            } else {
                "comms"
            };
            push(
                inc,
                rec,
                LogKind::Nudge,
                // Stored text, read in the view and on the command line
                // alike: both forms of the way out.
                format!(
                    "still no {role}: whoever can, claim it (`:claim {short}`, or `incident role claim {role}`)"
                ),
            );
        }
        Op::TakeOver {
            role,
            from,
            away_since,
            ..
        } => {
            set_holder(inc, *role, Some(who), rec);
            let away = (rec.at - *away_since).num_minutes().max(0);
            push(
                inc,
                rec,
                LogKind::Takeover,
                format!(
                    "{who} took over {role} from {from}, away {}",
                    crate::model::away::span(away)
                ),
            );
            milestone(inc);
        }
        other => debug_assert!(false, "{} replayed by the wrong area", other.name()),
    }
}

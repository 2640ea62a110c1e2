//! Roles: who commands and communicates, and how command moves (offered and accepted, never silently).

use super::*;
use crate::model::away::{self, Away};
use chrono::{DateTime, Utc};

pub(super) fn check(inc: &Incident, rec: &Record, who: &str) -> Result<(), Refusal> {
    match &rec.op {
        Op::SetRole { role, user } => {
            if let Some(user) = user {
                check_user(user)?;
            }
            let current = inc.holder(*role);
            if current == user.as_deref() {
                return Err(Refusal::Unchanged {
                    what: role.as_str(),
                    value: current
                        .map(|u| format!("held by {u}"))
                        .unwrap_or_else(|| "empty".into()),
                });
            }
            let claiming_empty = current.is_none() && user.as_deref() == Some(who);
            let stepping_down = current == Some(who) && user.is_none();
            if !(claiming_empty || stepping_down) {
                commander_or_none(inc, who, "assign roles")?;
            }
            if *role == Role::Commander
                && let Some(holder) = current
                && user.is_some()
            {
                return Err(Refusal::HandoverRequired {
                    holder: holder.to_string(),
                });
            }
            Ok(())
        }
        Op::ClaimRole { role } => match inc.holder(*role) {
            None => Ok(()),
            Some(h) if h == who => Err(Refusal::Unchanged {
                what: role.as_str(),
                value: format!("held by you ({h})"),
            }),
            Some(h) => Err(Refusal::RoleHeld {
                role: *role,
                holder: h.to_string(),
            }),
        },
        Op::StepDown { role } => match inc.holder(*role) {
            Some(h) if h == who => Ok(()),
            other => Err(Refusal::NotHolder {
                role: *role,
                holder: other.map(str::to_string),
            }),
        },
        Op::OfferRole { role, to } => {
            check_user(to)?;
            let Some(holder) = inc.holder(*role) else {
                return Err(Refusal::RoleEmpty { role: *role });
            };
            // The holder may offer their role; the commander may offer any
            // role but command, which only its holder hands over.
            let may = holder == who || (*role != Role::Commander && inc.is_commander(who));
            if !may {
                return Err(Refusal::CannotOffer {
                    role: *role,
                    holder: holder.to_string(),
                });
            }
            if holder == to {
                return Err(Refusal::OfferToHolder {
                    role: *role,
                    to: to.clone(),
                });
            }
            if inc.offers.get(role).is_some_and(|o| o.to == *to) {
                return Err(Refusal::Unchanged {
                    what: role.as_str(),
                    value: format!("offered to {to}"),
                });
            }
            Ok(())
        }
        Op::AcceptRole { role } | Op::DeclineRole { role } => match inc.offers.get(role) {
            None => Err(Refusal::NoOffer {
                role: *role,
                to_you: true,
            }),
            Some(o) if o.to == who => Ok(()),
            Some(o) => Err(Refusal::NotOfferedToYou {
                role: *role,
                to: o.to.clone(),
            }),
        },
        Op::WithdrawOffer { role } => match inc.offers.get(role) {
            None => Err(Refusal::NoOffer {
                role: *role,
                to_you: false,
            }),
            Some(o) if o.from == who || inc.holder(*role) == Some(who) || inc.is_commander(who) => {
                Ok(())
            }
            Some(o) => Err(Refusal::CannotWithdraw {
                from: o.from.clone(),
            }),
        },
        Op::AddRole { role } => {
            if inc.shown_roles().contains(role) {
                return Err(Refusal::RoleAlreadyShown { role: *role });
            }
            commander_or_none(inc, who, "add roles")
        }
        Op::Nudge { role } => {
            if inc.holder(*role).is_some() {
                Err(Refusal::NudgeNotNeeded { role: *role })
            } else if inc.nudged.contains(role) {
                Err(Refusal::AlreadyNudged { role: *role })
            } else {
                Ok(())
            }
        }
        Op::TakeOver {
            role,
            from,
            away_since,
            after,
        } => {
            let Some(holder) = inc.holder(*role) else {
                return Err(Refusal::RoleEmpty { role: *role });
            };
            if holder == who {
                return Err(Refusal::Unchanged {
                    what: role.as_str(),
                    value: format!("held by you ({holder})"),
                });
            }
            if holder != from {
                return Err(Refusal::HolderChanged {
                    role: *role,
                    holder: holder.to_string(),
                    from: from.clone(),
                });
            }
            if let Some(at) = away::last_write(inc, from)
                && at > *away_since
            {
                return Err(Refusal::HolderBack {
                    role: *role,
                    holder: from.clone(),
                    at: at.format("%H:%M UTC").to_string(),
                });
            }
            let away = (rec.at - *away_since).num_minutes().max(0);
            if away < i64::from(*after) {
                return Err(Refusal::NotAwayLongEnough {
                    role: *role,
                    holder: from.clone(),
                    away,
                    after: *after,
                });
            }
            Ok(())
        }
        other => Err(Refusal::Misrouted { op: other.name() }),
    }
}

/// The operation for `who` to take `role` over, given where its holder
/// stands (`away`, from the presence files) and the team's `after`
/// minutes; refused, with the way that does work, while the holder is
/// here or not yet away long enough. `host` is where the holder's view
/// is open, when it is.
pub fn takeover(
    inc: &Incident,
    role: Role,
    who: &str,
    away: Away,
    host: Option<&str>,
    after: u32,
    now: DateTime<Utc>,
) -> Result<Op, Refusal> {
    let Some(holder) = inc.holder(role) else {
        return Err(Refusal::RoleEmpty { role });
    };
    let away_since = match away {
        Away::Here if holder != who => {
            return Err(Refusal::HolderPresent {
                role,
                holder: holder.to_string(),
                host: host.filter(|h| !h.is_empty()).map(str::to_string),
            });
        }
        // Taking one's own role is refused by the rule, with its message.
        Away::Here => now,
        Away::Since(t) => t,
    };
    let op = Op::TakeOver {
        role,
        from: holder.to_string(),
        away_since,
        after,
    };
    let probe = Record {
        at: now,
        by: crate::model::Actor::named(who),
        op,
    };
    super::check(inc, &probe)?;
    Ok(probe.op)
}

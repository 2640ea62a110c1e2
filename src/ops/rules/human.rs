//! The human element: breaks, food, standing people down, the team settings.

use super::*;

pub(super) fn check(inc: &Incident, rec: &Record, who: &str) -> Result<(), Refusal> {
    match &rec.op {
        Op::StartBreak {
            kind,
            minutes,
            reason,
        } => {
            if !(1..=120).contains(minutes) {
                return Err(Refusal::BadBreak { minutes: *minutes });
            }
            if let Some(b) = inc.break_at(rec.at) {
                return Err(Refusal::BreakRunning {
                    until: b.ends_at.format("%H:%M UTC").to_string(),
                });
            }
            if *kind == BreakKind::Team {
                commander_or_none(inc, who, "call a team break")?;
            }
            match reason {
                Some(r) => check_text("reason", r),
                None => Ok(()),
            }
        }
        Op::EndBreak => {
            if inc.break_at(rec.at).is_none() {
                return Err(Refusal::NoBreak);
            }
            commander_or_none(inc, who, "end a break early")
        }
        Op::OrderFood { note } => match note {
            Some(n) => check_text("note", n),
            None => Ok(()),
        },
        Op::Detach { user, note } => {
            check_user(user)?;
            commander_or_none(inc, who, "stand people down")?;
            if let Some((role, _)) = inc.roles.iter().find(|(_, h)| h.user == *user) {
                return Err(Refusal::HoldsRole {
                    user: user.clone(),
                    role: *role,
                });
            }
            if inc.detached.contains_key(user) {
                return Err(Refusal::Unchanged {
                    what: "that person",
                    value: "stood down".into(),
                });
            }
            match note {
                Some(n) => check_text("note", n),
                None => Ok(()),
            }
        }
        Op::SetHumanSettings { settings } => {
            let s = settings;
            let sane = (1..=120).contains(&s.team_break_minutes)
                && (1..=30).contains(&s.procedure_pause_minutes)
                && (30..=1440).contains(&s.food_after_minutes)
                && (30..=1440).contains(&s.food_every_minutes)
                && (30..=1440).contains(&s.fatigue_warn_minutes)
                && s.fatigue_warn_minutes <= s.fatigue_alert_minutes
                && s.fatigue_alert_minutes <= 2880;
            if !sane {
                return Err(Refusal::BadSettings);
            }
            commander_or_none(inc, who, "change break and fatigue settings")
        }
        other => Err(Refusal::Misrouted { op: other.name() }),
    }
}

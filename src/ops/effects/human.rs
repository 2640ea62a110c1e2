//! What operations do: the human element: breaks, food, standing people down, the team settings.

use super::*;

pub(super) fn replay(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::StartBreak {
            kind,
            minutes,
            reason,
        } => {
            start_break(inc, rec, *kind, *minutes, reason.clone(), false);
        }
        Op::EndBreak => {
            let mut line = String::from("break ended early");
            if let Some(b) = inc.breaks.iter_mut().rev().find(|b| b.is_running(rec.at)) {
                b.ends_at = rec.at;
                b.ended_by = Some(who.to_string());
                if b.kind == BreakKind::Procedure {
                    line = "pause before the procedure skipped".into();
                }
            }
            push(inc, rec, LogKind::Break, format!("{line} by {who}"));
            milestone(inc);
        }
        Op::OrderFood { note } => {
            inc.food.push(rec.at);
            let n = note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::Care,
                format!("food ordered by {who} — expense it{n}"),
            );
        }
        Op::Detach { user, note } => {
            inc.detached.insert(
                user.clone(),
                Detached {
                    by: who.to_string(),
                    at: rec.at,
                    note: note.clone(),
                },
            );
            let n = note.as_ref().map(|n| format!(": {n}")).unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::Care,
                format!("{who} stood {user} down to rest{n}"),
            );
        }
        Op::SetHumanSettings { settings } => {
            // Part of declaring from the team's config: no log line.
            inc.human = settings.clone();
        }
        other => debug_assert!(false, "{} replayed by the wrong area", other.name()),
    }
}

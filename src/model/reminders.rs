//! The reminders and nudges a responder's view gives, decided from the
//! incident and the time alone: a break that ended, food due, someone past
//! the fatigue limit, an overdue status update, an essential role left
//! empty. Pure: the live view carries them out (a message, the bell, a
//! nudge written to the log).

use super::{Incident, Role, Status};
use chrono::{DateTime, Duration, Utc};
use std::collections::{BTreeSet, HashMap};

/// An essential role empty this long gets nudged (seconds).
pub const NUDGE_AFTER_SECS: i64 = 120;
/// The on-screen nudge repeats this often (seconds).
pub const NUDGE_EVERY_SECS: i64 = 300;

/// What one view has already said, carried from one tick to the next so
/// each reminder comes once per occasion.
#[derive(Debug, Default, Clone)]
pub struct Told {
    /// When the break seen running at the last tick started.
    break_seen: Option<DateTime<Utc>>,
    /// People the commander was told are past the fatigue limit.
    fatigue: BTreeSet<String>,
    /// The update due time communications was last told about.
    update_due: Option<DateTime<Utc>>,
    /// Which repeat of the on-screen nudge was last shown, per role.
    nudge_shown: HashMap<Role, i64>,
    /// Roles whose nudge this view has asked to write for this vacancy.
    nudge_sent: BTreeSet<Role>,
    /// The status change communications was last asked to restate for.
    restate: Option<DateTime<Utc>>,
}

/// One thing to say or do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reminder {
    /// As commander: food is due (the prompt asks).
    FoodDue(DateTime<Utc>),
    /// As commander: these people are past the fatigue limit.
    Tired { people: Vec<String>, hours: u32 },
    /// As communications: a status update is overdue since then.
    UpdateOverdue(DateTime<Utc>),
    /// These essential roles are still empty, for so many minutes.
    StillEmpty(Vec<(Role, i64)>),
    /// Write the one nudge for this vacancy to the log (a rule lets only
    /// the first of many open copies write it).
    Nudge(Role),
    /// The team break is over (and the bell rings, unless switched off).
    BreakOver,
    /// As communications: the status became this (mitigated, resolved)
    /// and no update has gone out since: restate the impact and send one.
    Restate(Status),
}

impl Reminder {
    /// What the screen says, if anything; `true` when it is an alert.
    /// `draft` is what drafts an update where the person's focus is (`u`
    /// in a pane or the document, `:draft` while typing): the view asks
    /// its keymap, so the next step named is one that works there.
    pub fn message(&self, draft: &str) -> Option<(String, bool)> {
        match self {
            Reminder::FoodDue(_) | Reminder::Nudge(_) => None,
            Reminder::Tired { people, hours } => Some((
                format!(
                    "{} on the incident for over {hours}h: rotate them out (:detach NAME) before they burn out",
                    people.join(", ")
                ),
                true,
            )),
            Reminder::UpdateOverdue(due) => Some((
                format!(
                    "Status update overdue since {} UTC: {draft} drafts one from the document",
                    due.format("%H:%M")
                ),
                true,
            )),
            Reminder::StillEmpty(roles) => {
                let each: Vec<String> = roles
                    .iter()
                    .map(|(role, minutes)| {
                        let short = if *role == Role::Commander {
                            "ic"
                        } else {
                            "comms"
                        };
                        format!("no {role} after {minutes}m (:claim {short})")
                    })
                    .collect();
                Some((
                    format!("Still {}: whoever can, claim it", each.join(", ")),
                    true,
                ))
            }
            Reminder::Restate(status) => Some((
                format!(
                    "Now {status}: restate the impact as it stands (:impact TEXT) and send an update ({draft} drafts one)"
                ),
                true,
            )),
            Reminder::BreakOver => Some((
                "The break is over: welcome back. Check the log for what changed".into(),
                false,
            )),
        }
    }
}

/// Communications is asked, once per change, to restate the impact and
/// send an update when the incident became mitigated or resolved and
/// nothing was sent since (a prompt, not a block). With nobody in the
/// role, the commander is asked.
fn restate(inc: &Incident, me: &str, told: &mut Told) -> Option<Reminder> {
    if inc.status == Status::Investigating || inc.closed.is_some() {
        return None;
    }
    let asked = match inc.holder(Role::Communications) {
        Some(comms) => comms == me,
        None => inc.is_commander(me),
    };
    let changed = inc.status_changed_at()?;
    let sent_since = inc.document.updates.iter().any(|u| u.at >= changed);
    if !asked || sent_since || told.restate == Some(changed) {
        return None;
    }
    told.restate = Some(changed);
    Some(Reminder::Restate(inc.status))
}

/// What `me` should be reminded of at `now`, in the order to say it (the
/// last message said stays on screen). `on_shift` is how long each person
/// with the incident open has been on it; `writable` is false for a file
/// this version may only read.
pub fn reminders(
    inc: &Incident,
    me: &str,
    on_shift: &[(String, Duration)],
    writable: bool,
    now: DateTime<Utc>,
    told: &mut Told,
) -> Vec<Reminder> {
    let mut out = Vec::new();
    // A break that was running at the last tick and is over now.
    let running = inc.break_at(now).map(|b| b.starts_at);
    let break_over = told.break_seen.is_some() && running.is_none();
    told.break_seen = running;
    // Said after the other reminders (the last one stays on screen): it
    // asks for the update an overdue reminder would.
    let restate = restate(inc, me, told).filter(|_| writable);
    if !writable || !inc.is_active() {
        out.extend(restate);
        if break_over {
            out.push(Reminder::BreakOver);
        }
        return out;
    }
    let commander = inc.is_commander(me);
    if commander
        && let Some(due) = inc.food_due()
        && due <= now
    {
        out.push(Reminder::FoodDue(due));
    }
    if commander {
        let alert = Duration::minutes(i64::from(inc.human.fatigue_alert_minutes));
        let people: Vec<String> = on_shift
            .iter()
            .filter(|(who, d)| *d >= alert && !inc.detached.contains_key(who))
            .map(|(who, _)| who.clone())
            .filter(|who| told.fatigue.insert(who.clone()))
            .collect();
        if !people.is_empty() {
            out.push(Reminder::Tired {
                people,
                hours: inc.human.fatigue_alert_minutes / 60,
            });
        }
    }
    if let Some(due) = inc.next_update_due()
        && due <= now
        && inc.holder(Role::Communications) == Some(me)
        && told.update_due != Some(due)
    {
        told.update_due = Some(due);
        out.push(Reminder::UpdateOverdue(due));
    }
    let mut empty = Vec::new();
    for role in Role::ESSENTIAL {
        let Some(since) = inc.vacant_since.get(&role).copied() else {
            continue;
        };
        if inc.holder(role).is_some() {
            told.nudge_sent.remove(&role);
            continue;
        }
        let empty_for = (now - since).num_seconds();
        if empty_for < NUDGE_AFTER_SECS {
            continue;
        }
        if !inc.nudged.contains(&role) && told.nudge_sent.insert(role) {
            out.push(Reminder::Nudge(role));
        }
        let bucket = empty_for / NUDGE_EVERY_SECS;
        if told.nudge_shown.get(&role) != Some(&bucket) {
            told.nudge_shown.insert(role, bucket);
            empty.push((role, empty_for / 60));
        }
    }
    if !empty.is_empty() {
        out.push(Reminder::StillEmpty(empty));
    }
    out.extend(restate);
    // Said last, so no other reminder hides it.
    if break_over {
        out.push(Reminder::BreakOver);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, Severity};
    use crate::ops::{self, Op, Record};
    use chrono::TimeZone;

    fn at(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn apply(inc: &mut Incident, who: &str, min: i64, op: Op) {
        let rec = Record {
            at: at(min),
            by: Actor::named(who),
            op,
        };
        ops::apply(inc, &rec).unwrap();
    }

    fn declared() -> Incident {
        let rec = Record {
            at: at(0),
            by: Actor::named("alice"),
            op: Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        };
        ops::genesis("INC-1", &rec).unwrap()
    }

    #[test]
    fn communications_is_asked_to_restate_the_impact_at_mitigated_and_at_resolved() {
        let mut inc = declared();
        apply(
            &mut inc,
            "alice",
            1,
            Op::ClaimRole {
                role: Role::Commander,
            },
        );
        apply(
            &mut inc,
            "bob",
            1,
            Op::ClaimRole {
                role: Role::Communications,
            },
        );
        let status = |s| Op::SetStatus {
            status: s,
            force: true,
            keep_freeze: false,
        };
        let restate = |r: &[Reminder]| r.iter().any(|r| matches!(r, Reminder::Restate(_)));
        let mut told = Told::default();
        assert!(!restate(&reminders(
            &inc,
            "bob",
            &[],
            true,
            at(2),
            &mut told
        )));
        apply(&mut inc, "alice", 10, status(Status::Mitigated));
        let r = reminders(&inc, "bob", &[], true, at(11), &mut told);
        assert!(r.contains(&Reminder::Restate(Status::Mitigated)), "{r:?}");
        let text = Reminder::Restate(Status::Mitigated)
            .message(":draft")
            .unwrap()
            .0;
        assert!(
            text.contains("restate the impact") && text.contains("(:draft drafts one)"),
            "{text}"
        );
        // Once per change, and only to communications.
        assert!(!restate(&reminders(
            &inc,
            "bob",
            &[],
            true,
            at(12),
            &mut told
        )));
        assert!(!restate(&reminders(
            &inc,
            "alice",
            &[],
            true,
            at(12),
            &mut Told::default()
        )));
        // An update sent since answers it.
        apply(
            &mut inc,
            "bob",
            13,
            Op::PostUpdate {
                text: "Mitigated".into(),
                external: true,
            },
        );
        assert!(!restate(&reminders(
            &inc,
            "bob",
            &[],
            true,
            at(14),
            &mut Told::default()
        )));
        // Resolved asks again, though the incident is no longer active.
        apply(&mut inc, "alice", 30, status(Status::Resolved));
        let r = reminders(&inc, "bob", &[], true, at(31), &mut told);
        assert!(r.contains(&Reminder::Restate(Status::Resolved)), "{r:?}");
    }

    #[test]
    fn an_empty_role_is_nudged_once_and_said_again_every_five_minutes() {
        let inc = declared();
        let mut told = Told::default();
        assert!(reminders(&inc, "bob", &[], true, at(1), &mut told).is_empty());
        let r = reminders(&inc, "bob", &[], true, at(3), &mut told);
        assert!(r.contains(&Reminder::Nudge(Role::Commander)), "{r:?}");
        let Some(Reminder::StillEmpty(roles)) = r.last() else {
            panic!("{r:?}")
        };
        assert_eq!(roles[0], (Role::Commander, 3));
        let text = r.last().unwrap().message("u").unwrap().0;
        assert!(text.contains("no commander after 3m (:claim ic)"), "{text}");
        // Not again within the five minutes, and the nudge is asked once.
        assert!(reminders(&inc, "bob", &[], true, at(4), &mut told).is_empty());
        let r = reminders(&inc, "bob", &[], true, at(6), &mut told);
        assert!(matches!(r.as_slice(), [Reminder::StillEmpty(_)]), "{r:?}");
    }

    #[test]
    fn the_commander_hears_of_fatigue_once_and_a_read_only_file_only_of_breaks() {
        let mut inc = declared();
        apply(
            &mut inc,
            "alice",
            1,
            Op::ClaimRole {
                role: Role::Commander,
            },
        );
        apply(
            &mut inc,
            "alice",
            1,
            Op::ClaimRole {
                role: Role::Communications,
            },
        );
        let shift = vec![("carol".to_string(), Duration::hours(7))];
        let mut told = Told::default();
        let r = reminders(&inc, "alice", &shift, true, at(2), &mut told);
        assert!(
            r.iter()
                .any(|r| matches!(r, Reminder::Tired { people, .. } if people == &["carol"])),
            "{r:?}"
        );
        let r = reminders(&inc, "alice", &shift, true, at(3), &mut told);
        assert!(
            !r.iter().any(|r| matches!(r, Reminder::Tired { .. })),
            "once"
        );
        // Someone else is never told about fatigue.
        let r = reminders(&inc, "bob", &shift, true, at(3), &mut Told::default());
        assert!(!r.iter().any(|r| matches!(r, Reminder::Tired { .. })));
        // Read-only: nothing but a break ending.
        assert!(reminders(&inc, "alice", &shift, false, at(3), &mut Told::default()).is_empty());
    }
}

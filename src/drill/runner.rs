//! Playing a scenario: which of its steps are due (a pure function of the
//! scenario, the incident and the time), and a runner that plays them
//! into the incident file. Each step is claimed in the file under its lock
//! before it is played, so no step is ever played twice, even by two
//! runners at once.

use super::{Outcome, Scenario};
use crate::model::{
    Actor, Drill, DrillStep, Evidence, Incident, LogKind, MitigationStatus, SystemStatus,
};
use crate::ops::Op;
use crate::store::{IncidentFile, StoreError};
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// One step to play: who does it, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct Play {
    pub step: DrillStep,
    pub by: Actor,
    pub ops: Vec<Op>,
    /// What happened, one line, for a facilitator's terminal.
    pub says: String,
}

/// The steps due at `now` and not yet played: events whose time on the
/// scenario's clock has come, and reactions to mitigations done.
pub fn due(scenario: &Scenario, inc: &Incident, now: DateTime<Utc>) -> Vec<Play> {
    let Some(drill) = &inc.drill else {
        return Vec::new();
    };
    let elapsed = drill.elapsed(now);
    let mut out = Vec::new();
    for (i, e) in scenario.timeline() {
        let step = DrillStep::Event(i);
        if drill.played.contains(&step) || e.at.duration() > elapsed {
            continue;
        }
        if let Some(play) = event(step, e, inc) {
            out.push(play);
        }
    }
    for (i, r) in scenario.reactions.iter().enumerate() {
        let step = DrillStep::Reaction(i as u32);
        if drill.played.contains(&step) {
            continue;
        }
        let done = inc.mitigations.iter().find(|m| {
            m.kind == r.kind
                && m.status == MitigationStatus::Done
                && match &m.system {
                    Some(s) => s == &r.system,
                    None => m.text.to_lowercase().contains(&r.system.to_lowercase()),
                }
        });
        let Some(m) = done else { continue };
        if drill.scaled(m.updated_at, now) < r.after.duration() {
            continue;
        }
        let (ops, says) = match r.outcome {
            Outcome::Recovers => (
                vec![set_system(&r.system, SystemStatus::Ok, &r.text)],
                format!("{} recovers after M{}: {}", r.system, m.id, r.text),
            ),
            Outcome::Fails => (
                vec![
                    set_system(&r.system, SystemStatus::Failing, &r.text),
                    note(&format!("{}: {}", r.system, r.text)),
                ],
                format!("{} still failing after M{}: {}", r.system, m.id, r.text),
            ),
        };
        out.push(Play {
            step,
            by: Actor::named("monitoring"),
            ops,
            says,
        });
    }
    out
}

fn event(step: DrillStep, e: &super::Event, inc: &Incident) -> Option<Play> {
    if let Some(p) = &e.page {
        // Checked when the scenario was read.
        let alert = p.alert().ok()?;
        let says = format!("page from {}: {}", alert.source.label(), alert.title);
        return Some(Play {
            step,
            by: Actor::named("pager"),
            ops: crate::intake::page_ops(&alert),
            says,
        });
    }
    if let Some(s) = &e.system {
        return Some(Play {
            step,
            by: Actor::named("monitoring"),
            ops: vec![set_system(&s.name, s.status, &s.evidence)],
            says: format!("{} {}: {}", s.name, s.status, s.evidence),
        });
    }
    if let Some(m) = &e.message {
        return Some(Play {
            step,
            by: Actor::named(&m.from),
            ops: vec![note(&m.text)],
            says: format!("{}: {}", m.from, m.text),
        });
    }
    let d = e.deploy.as_ref()?;
    let (ops, says) = match inc.deploy_freeze() {
        Some(_) => {
            let text = format!(
                "deploy of {} {} blocked: deploys are frozen",
                d.system, d.version
            );
            (vec![note(&text)], text)
        }
        None => {
            let text = format!(
                "deployed {} {} (deploys were not frozen)",
                d.system, d.version
            );
            let mut ops = vec![note(&text)];
            if d.breaks {
                ops.push(set_system(
                    &d.system,
                    SystemStatus::Failing,
                    &format!(
                        "errors up again since {} {} was deployed",
                        d.system, d.version
                    ),
                ));
            }
            (ops, text)
        }
    };
    Some(Play {
        step,
        by: Actor::named("deploy-bot"),
        ops,
        says,
    })
}

fn set_system(name: &str, status: SystemStatus, evidence: &str) -> Op {
    Op::SetSystem {
        name: name.to_string(),
        status,
        evidence: Some(Evidence {
            text: evidence.to_string(),
            entry: None,
        }),
        owner: None,
        note: None,
    }
}

fn note(text: &str) -> Op {
    Op::Log {
        kind: LogKind::Note,
        text: text.to_string(),
    }
}

/// Play what is due now into `file`: claim each step, then do it. A
/// step's operation the rules refuse (a system already in that state) is
/// skipped; the step still counts as played. Returns what was played.
pub fn play_due(file: &mut IncidentFile, scenario: &Scenario) -> Result<Vec<Play>, StoreError> {
    file.refresh()?;
    let plays = due(scenario, file.incident(), Utc::now());
    let mut played = Vec::new();
    for play in plays {
        match file.commit(&Actor::named("drill"), Op::DrillStep { step: play.step }) {
            Ok(_) => {}
            // Someone else played it first.
            Err(StoreError::Refused(_)) => continue,
            Err(e) => return Err(e),
        }
        for op in &play.ops {
            match file.commit(&play.by, op.clone()) {
                Ok(_) | Err(StoreError::Refused(_)) => {}
                Err(e) => return Err(e),
            }
        }
        played.push(play);
    }
    Ok(played)
}

/// Play `scenario` into incident `id` until it is resolved or closed, or
/// `stop` is set, telling `say` what happens. Any number of these may run
/// on one drill (every open view plays it): each step is claimed first.
pub fn play(
    store: &crate::store::Store,
    id: &str,
    scenario: &Scenario,
    stop: &AtomicBool,
    say: &mut dyn FnMut(&str),
) -> Result<(), StoreError> {
    let mut file = store.open(id)?;
    while !stop.load(Ordering::Relaxed) {
        for p in play_due(&mut file, scenario)? {
            say(&p.says);
        }
        let inc = file.incident();
        if over(inc) {
            say("the drill is over");
            return Ok(());
        }
        let wait = match &inc.drill {
            Some(d) => next_in(
                scenario,
                d,
                Utc::now(),
                std::time::Duration::from_millis(250),
            ),
            None => return Ok(()),
        };
        std::thread::sleep(wait.max(std::time::Duration::from_millis(20)));
    }
    Ok(())
}

/// A drill playing on its own thread while a view is open; stops when
/// dropped.
pub struct Player {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Player {
    pub fn start(store: crate::store::Store, id: String, scenario: Scenario) -> Player {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::Builder::new()
            .name("drill".into())
            .spawn(move || {
                // A failure to write stops the playing; the view shows the
                // store's own errors when it writes.
                let _ = play(&store, &id, &scenario, &flag, &mut |_| {});
            })
            .ok();
        Player { stop, thread }
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Whether the drill is over: resolved or closed.
pub fn over(inc: &Incident) -> bool {
    !inc.is_active()
}

/// The wall-clock time until the next event is due, at most `cap`: how
/// long a runner may sleep.
pub fn next_in(
    scenario: &Scenario,
    drill: &Drill,
    now: DateTime<Utc>,
    cap: std::time::Duration,
) -> std::time::Duration {
    let elapsed = drill.elapsed(now);
    scenario
        .events
        .iter()
        .enumerate()
        .filter(|(i, _)| !drill.played.contains(&DrillStep::Event(*i as u32)))
        .map(|(_, e)| e.at.duration() - elapsed)
        .filter(|d| *d > chrono::Duration::zero())
        .min()
        .and_then(|d| (d / drill.speed as i32).to_std().ok())
        .map_or(cap, |d| d.min(cap))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MitigationKind, Risk, Speed};
    use crate::ops::{self, Record};

    fn scenario() -> Scenario {
        crate::drill::all(std::path::Path::new("/nonexistent"))
            .0
            .into_iter()
            .find(|s| s.name == "bad-deploy")
            .unwrap()
    }

    fn t0() -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 1, 3, 0, 0).unwrap()
    }

    fn rec(at: DateTime<Utc>, who: &str, op: Op) -> Record {
        Record {
            at,
            by: Actor::named(who),
            op,
        }
    }

    fn drill(speed: u32) -> Incident {
        let mut inc = ops::genesis(
            "INC-1",
            &rec(
                t0(),
                "alice",
                Op::Declare {
                    title: "t".into(),
                    severity: crate::model::Severity::Sev2,
                    roles: vec![],
                },
            ),
        )
        .unwrap();
        ops::apply(
            &mut inc,
            &rec(
                t0(),
                "alice",
                Op::StartDrill {
                    scenario: "bad-deploy".into(),
                    speed,
                },
            ),
        )
        .unwrap();
        inc
    }

    /// Play what is due at `at` straight into `inc`, as the runner would.
    fn play(inc: &mut Incident, s: &Scenario, at: DateTime<Utc>) -> Vec<String> {
        let plays = due(s, inc, at);
        for p in &plays {
            ops::apply(inc, &rec(at, "drill", Op::DrillStep { step: p.step })).unwrap();
            for op in &p.ops {
                let _ = ops::apply(inc, &rec(at, &p.by.user, op.clone()));
            }
        }
        plays.into_iter().map(|p| p.says).collect()
    }

    #[test]
    fn events_come_on_the_scenario_clock_and_only_once() {
        let s = scenario();
        let mut inc = drill(1);
        let first = play(&mut inc, &s, t0());
        assert_eq!(first.len(), 1, "{first:?}");
        assert!(first[0].starts_with("page from Alertmanager"), "{first:?}");
        assert_eq!(inc.systems["checkout"].status, SystemStatus::Failing);
        assert!(play(&mut inc, &s, t0()).is_empty(), "never twice");
        let later = play(&mut inc, &s, t0() + chrono::Duration::seconds(150));
        assert_eq!(later.len(), 1, "{later:?}");
        assert_eq!(inc.systems["payments"].status, SystemStatus::Failing);
        // At 10x, two minutes of scenario pass in twelve seconds.
        let mut fast = drill(10);
        let played = play(&mut fast, &s, t0() + chrono::Duration::seconds(12));
        assert_eq!(played.len(), 2, "{played:?}");
    }

    #[test]
    fn a_freeze_blocks_the_deploy_and_no_freeze_lets_it_break_things() {
        let s = scenario();
        let six = t0() + chrono::Duration::minutes(6);
        let mut open = drill(1);
        let said = play(&mut open, &s, six);
        assert!(
            said.iter()
                .any(|l| l == "deployed payments v43 (deploys were not frozen)"),
            "{said:?}"
        );
        let mut frozen = drill(1);
        ops::apply(
            &mut frozen,
            &rec(t0(), "alice", Op::Freeze { reason: None }),
        )
        .unwrap();
        let said = play(&mut frozen, &s, six);
        assert!(
            said.iter()
                .any(|l| l == "deploy of payments v43 blocked: deploys are frozen"),
            "{said:?}"
        );
    }

    #[test]
    fn a_rollback_makes_payments_recover_and_a_restart_does_not() {
        let s = scenario();
        let mut inc = drill(1);
        play(&mut inc, &s, t0() + chrono::Duration::minutes(3));
        for (kind, text) in [
            (MitigationKind::Restart, "Restart payments"),
            (MitigationKind::Rollback, "Roll back payments to v41"),
        ] {
            ops::apply(
                &mut inc,
                &rec(
                    t0(),
                    "alice",
                    Op::ProposeMitigation {
                        text: text.into(),
                        kind,
                        risk: Risk::Low,
                        speed: Speed::Quick,
                        system: Some("payments".into()),
                        owner: None,
                    },
                ),
            )
            .unwrap();
        }
        // The commander's own mitigations need no go.
        let at = t0() + chrono::Duration::minutes(3);
        ops::apply(
            &mut inc,
            &rec(
                at,
                "alice",
                Op::ClaimRole {
                    role: crate::model::Role::Commander,
                },
            ),
        )
        .unwrap();
        for id in [1, 2] {
            ops::apply(&mut inc, &rec(at, "alice", Op::StartMitigation { id })).unwrap();
        }
        ops::apply(
            &mut inc,
            &rec(
                at,
                "alice",
                Op::FinishMitigation {
                    id: 1,
                    status: MitigationStatus::Done,
                    result: None,
                },
            ),
        )
        .unwrap();
        let said = play(&mut inc, &s, at + chrono::Duration::seconds(70));
        assert!(
            said.iter()
                .any(|l| l.starts_with("payments still failing after M1")),
            "{said:?}"
        );
        assert_eq!(inc.systems["payments"].status, SystemStatus::Failing);
        ops::apply(
            &mut inc,
            &rec(
                at + chrono::Duration::seconds(70),
                "alice",
                Op::FinishMitigation {
                    id: 2,
                    status: MitigationStatus::Done,
                    result: None,
                },
            ),
        )
        .unwrap();
        assert!(
            play(&mut inc, &s, at + chrono::Duration::seconds(120))
                .iter()
                .all(|l| !l.contains("recovers")),
            "not before its time"
        );
        let said = play(&mut inc, &s, at + chrono::Duration::seconds(200));
        assert!(
            said.iter()
                .any(|l| l.starts_with("payments recovers after M2")),
            "{said:?}"
        );
        assert_eq!(inc.systems["payments"].status, SystemStatus::Ok);
    }
}

//! What is bleeding: systems, their dependencies, assumptions and impact.

use super::*;
use crate::model::CauseLink;

pub(super) fn check(inc: &Incident, rec: &Record) -> Result<(), Refusal> {
    match &rec.op {
        Op::SetSystem {
            name,
            status,
            evidence,
            owner,
            note,
        } => {
            check_system_name(name)?;
            if let Some(ev) = evidence {
                check_evidence(inc, ev)?;
            }
            for (field, text) in [("owner", owner), ("note", note)] {
                if let Some(t) = text {
                    check_text(field, t)?;
                }
            }
            if let Some(sys) = inc.systems.get(name)
                && sys.status == *status
                && evidence.is_none()
                && sys.reported_by.is_none()
                && owner.as_ref().is_none_or(|o| sys.owner.as_ref() == Some(o))
                && note.as_ref().is_none_or(|n| sys.note.as_ref() == Some(n))
            {
                return Err(Refusal::Unchanged {
                    what: "that system",
                    value: status.to_string(),
                });
            }
            Ok(())
        }
        Op::Depend { system, on } => {
            check_system_name(system)?;
            check_system_name(on)?;
            if system == on {
                return Err(Refusal::SelfDependency {
                    system: system.clone(),
                });
            }
            if inc
                .systems
                .get(system)
                .is_some_and(|s| s.depends_on.contains(on))
            {
                return Err(Refusal::Unchanged {
                    what: "that dependency",
                    value: "recorded".into(),
                });
            }
            Ok(())
        }
        Op::Undepend { system, on } => {
            if inc
                .systems
                .get(system)
                .is_some_and(|s| s.depends_on.contains(on))
            {
                Ok(())
            } else {
                Err(Refusal::NoSuchDependency {
                    system: system.clone(),
                    on: on.clone(),
                })
            }
        }
        Op::ImportSystems { systems, .. } => {
            if systems.is_empty() {
                return Err(Refusal::Empty {
                    field: "service map",
                });
            }
            for spec in systems {
                check_system_name(&spec.name)?;
                for dep in &spec.depends_on {
                    check_system_name(dep)?;
                }
            }
            Ok(())
        }
        Op::Assume { text, source } => {
            check_text("assumption", text)?;
            match source {
                Some(s) => check_text("source", s),
                None => Ok(()),
            }
        }
        Op::Verify { id, evidence } | Op::Refute { id, evidence } => {
            let Some(a) = id
                .checked_sub(1)
                .and_then(|i| inc.assumptions.get(i as usize))
            else {
                return Err(Refusal::NoSuchAssumption { id: *id });
            };
            if a.state != AssumptionState::Unverified {
                let state = if a.state == AssumptionState::Verified {
                    "verified"
                } else {
                    "refuted"
                };
                return Err(Refusal::AssumptionClosed { id: *id, state });
            }
            check_evidence(inc, evidence)
        }
        Op::SetImpact { text } => check_text("impact", text),
        Op::NameSuspect { system, because } => {
            check_system_name(system)?;
            if !inc.systems.contains_key(system) {
                return Err(Refusal::NoSuchSystem {
                    given: system.clone(),
                    known: inc.systems.keys().cloned().collect(),
                });
            }
            let exists = match because {
                Some(CauseLink::Assumption(id)) => id
                    .checked_sub(1)
                    .and_then(|i| inc.assumptions.get(i as usize))
                    .map(|_| ())
                    .ok_or(Refusal::NoSuchAssumption { id: *id }),
                Some(CauseLink::Entry(seq)) => seq
                    .checked_sub(1)
                    .and_then(|i| inc.log.get(i as usize))
                    .map(|_| ())
                    .ok_or(Refusal::NoSuchEntry { entry: *seq }),
                None => Ok(()),
            };
            exists?;
            if let Some(s) = &inc.suspect
                && s.system == *system
                && s.because == *because
            {
                return Err(Refusal::Unchanged {
                    what: "the suspected cause",
                    value: system.clone(),
                });
            }
            Ok(())
        }
        Op::ClearSuspect => match inc.suspect {
            Some(_) => Ok(()),
            None => Err(Refusal::NoSuspect),
        },
        Op::ReportSystem { name, source, .. } => {
            check_system_name(name)?;
            check_text("source", source)
        }
        other => Err(Refusal::Misrouted { op: other.name() }),
    }
}

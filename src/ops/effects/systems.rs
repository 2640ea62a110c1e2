//! What operations do: what is bleeding: systems, their dependencies, assumptions and impact.

use super::*;

pub(super) fn replay(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::SetSystem { .. }
        | Op::Depend { .. }
        | Op::Undepend { .. }
        | Op::ImportSystems { .. }
        | Op::ReportSystem { .. } => system(inc, rec, who),
        Op::Assume { .. } | Op::Verify { .. } | Op::Refute { .. } => assumption(inc, rec, who),
        Op::SetImpact { .. } | Op::NameSuspect { .. } | Op::ClearSuspect => known(inc, rec, who),
        other => debug_assert!(false, "{} replayed by the wrong area", other.name()),
    }
}

/// Systems: their status, dependencies, a service map, a pager's report.
fn system(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::SetSystem {
            name,
            status,
            evidence,
            owner,
            note,
        } => {
            let sys = inc
                .systems
                .entry(name.clone())
                .or_insert_with(|| System::new(name));
            let before = sys.status;
            sys.status = *status;
            sys.changed_by = Some(who.to_string());
            sys.changed_at = Some(rec.at);
            sys.evidence = evidence.clone();
            sys.reported_by = None;
            if owner.is_some() {
                sys.owner.clone_from(owner);
            }
            if note.is_some() {
                sys.note.clone_from(note);
            }
            let mut text = if before == *status {
                format!("{name} still {status}")
            } else {
                format!("{name} {before} → {status}")
            };
            if let Some(ev) = evidence {
                text.push_str(&format!(" ({})", describe_evidence(ev)));
            }
            push(inc, rec, LogKind::System, text);
        }
        Op::Depend { system, on } => {
            inc.systems
                .entry(on.clone())
                .or_insert_with(|| System::new(on));
            let sys = inc
                .systems
                .entry(system.clone())
                .or_insert_with(|| System::new(system));
            sys.depends_on.insert(on.clone());
            push(
                inc,
                rec,
                LogKind::System,
                format!("{system} depends on {on}"),
            );
        }
        Op::Undepend { system, on } => {
            if let Some(sys) = inc.systems.get_mut(system) {
                sys.depends_on.remove(on);
            }
            push(
                inc,
                rec,
                LogKind::System,
                format!("{system} no longer depends on {on}"),
            );
        }
        Op::ImportSystems { source, systems } => {
            let mut edges = 0;
            for spec in systems {
                for dep in &spec.depends_on {
                    inc.systems
                        .entry(dep.clone())
                        .or_insert_with(|| System::new(dep));
                }
                let sys = inc
                    .systems
                    .entry(spec.name.clone())
                    .or_insert_with(|| System::new(&spec.name));
                if spec.owner.is_some() {
                    sys.owner.clone_from(&spec.owner);
                }
                if spec.note.is_some() {
                    sys.note.clone_from(&spec.note);
                }
                for dep in &spec.depends_on {
                    edges += sys.depends_on.insert(dep.clone()) as usize;
                }
            }
            let text = format!(
                "imported {} systems and {edges} dependencies from {source}",
                systems.len()
            );
            push(inc, rec, LogKind::System, text);
        }
        Op::ReportSystem {
            name,
            status,
            source,
        } => {
            let sys = inc
                .systems
                .entry(name.clone())
                .or_insert_with(|| System::new(name));
            let before = sys.status;
            sys.status = *status;
            sys.changed_by = Some(who.to_string());
            sys.changed_at = Some(rec.at);
            sys.evidence = None;
            sys.reported_by = Some(source.clone());
            // The service the first page named, reported in the same write.
            if let Some(d) = inc.detection.as_mut()
                && d.service.is_none()
                && d.arrived_at == rec.at
            {
                d.service = Some(name.clone());
            }
            let change = if before == *status {
                format!("{name} still {status}")
            } else {
                format!("{name} {before} → {status}")
            };
            push(
                inc,
                rec,
                LogKind::System,
                format!("{change} (reported by pager: {source}; not verified)"),
            );
        }
        _ => {}
    }
}

/// Assumptions recorded, verified or refuted.
fn assumption(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::Assume { text, source } => {
            let id = inc.assumptions.len() as u64 + 1;
            inc.assumptions.push(Assumption {
                id,
                text: text.clone(),
                source: source.clone(),
                by: who.to_string(),
                at: rec.at,
                state: AssumptionState::Unverified,
                closed_by: None,
                closed_at: None,
                evidence: None,
            });
            let from = source
                .as_ref()
                .map(|s| format!(" (according to {s})"))
                .unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::Assumption,
                format!("assuming A{id}{from}: {text} — unverified"),
            );
        }
        Op::Verify { id, evidence } | Op::Refute { id, evidence } => {
            let verified = matches!(rec.op, Op::Verify { .. });
            let mut line = String::new();
            if let Some(a) = id
                .checked_sub(1)
                .and_then(|i| inc.assumptions.get_mut(i as usize))
            {
                a.state = if verified {
                    AssumptionState::Verified
                } else {
                    AssumptionState::Refuted
                };
                a.closed_by = Some(who.to_string());
                a.closed_at = Some(rec.at);
                a.evidence = Some(evidence.clone());
                let verb = if verified { "verified" } else { "REFUTED" };
                line = format!(
                    "{verb} A{id} \"{}\": {}",
                    a.text,
                    describe_evidence(evidence)
                );
            }
            push(inc, rec, LogKind::Assumption, line);
        }
        _ => {}
    }
}

/// What is known of the harm and its cause: the impact, the suspect.
fn known(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::SetImpact { text } => {
            let (count, unit) = Impact::parse_count(text);
            inc.impacts.push(Impact {
                text: text.clone(),
                count,
                unit,
                by: who.to_string(),
                at: rec.at,
            });
            push(inc, rec, LogKind::Impact, format!("impact: {text}"));
        }
        Op::NameSuspect { system, because } => {
            let reason = match because {
                Some(crate::model::CauseLink::Assumption(id)) => id
                    .checked_sub(1)
                    .and_then(|i| inc.assumptions.get(i as usize))
                    .map(|a| {
                        let state = match a.state {
                            AssumptionState::Unverified => "unverified",
                            AssumptionState::Verified => "verified",
                            AssumptionState::Refuted => "refuted",
                        };
                        format!(", because A{id} ({state}): {}", a.text)
                    })
                    .unwrap_or_default(),
                Some(crate::model::CauseLink::Entry(seq)) => seq
                    .checked_sub(1)
                    .and_then(|i| inc.log.get(i as usize))
                    .map(|e| format!(", because #{seq}: {}", gist(e.current_text(), 80)))
                    .unwrap_or_default(),
                None => String::new(),
            };
            let was = inc
                .suspect
                .as_ref()
                .filter(|s| s.system != *system)
                .map(|s| format!(" (was {})", s.system))
                .unwrap_or_default();
            inc.suspect = Some(crate::model::NamedSuspect {
                system: system.clone(),
                by: who.to_string(),
                at: rec.at,
                because: *because,
            });
            inc.suspect_changed_at = Some(rec.at);
            push(
                inc,
                rec,
                LogKind::System,
                format!("named {system} as the suspected cause{reason}{was}"),
            );
        }
        Op::ClearSuspect => {
            let was = inc.suspect.take().map(|s| s.system).unwrap_or_default();
            inc.suspect_changed_at = Some(rec.at);
            push(
                inc,
                rec,
                LogKind::System,
                format!("cleared the suspected cause ({was}): the graph's guess leads again"),
            );
        }
        _ => {}
    }
}

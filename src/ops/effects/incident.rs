//! What operations do: the incident itself: declaring, the log, status, severity, pages.

use super::*;
use crate::model::{CloseKind, Closure, Related, Relation};

pub(super) fn replay(inc: &mut Incident, rec: &Record) {
    match &rec.op {
        Op::Declare { title, .. } => {
            // Only reachable through a hand-edited file; keep it visible.
            push(
                inc,
                rec,
                LogKind::Note,
                format!("(repeated declaration \"{title}\" ignored)"),
            );
        }
        Op::Log { kind, text } => push(inc, rec, *kind, text.clone()),
        Op::SetStatus {
            status,
            keep_freeze,
            ..
        } => {
            let mut team_break_after_mitigation = false;
            let mut text = format!("status {} → {}", inc.status, status);
            match status {
                Status::Mitigated => {
                    // From resolved back to mitigated: no longer resolved.
                    inc.resolved_at = None;
                    inc.impact_ceased_at = Some(rec.at);
                    team_break_after_mitigation = true;
                    text.push_str(&format!(
                        "; impact ceased at {}",
                        rec.at.format("%H:%M UTC")
                    ));
                }
                Status::Resolved => {
                    inc.resolved_at = Some(rec.at);
                    // Straight from investigating: impact ceased now too.
                    inc.impact_ceased_at.get_or_insert(rec.at);
                }
                Status::Investigating => {
                    if inc.status == Status::Resolved {
                        text = format!(
                            "reopened (was resolved at {})",
                            inc.resolved_at
                                .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
                                .unwrap_or_default()
                        );
                    }
                    inc.resolved_at = None;
                    inc.impact_ceased_at = None;
                }
            }
            inc.status = *status;
            push(inc, rec, LogKind::StatusChange, text);
            // The freeze ends with the incident, unless the commander keeps
            // it: then it outlives the incident, on the record.
            if *status == Status::Resolved && inc.freeze.is_some() {
                if *keep_freeze {
                    push(
                        inc,
                        rec,
                        LogKind::Freeze,
                        format!(
                            "deploy freeze kept after the incident: lift it with `:unfreeze` in {0}, or `incident freeze off -i {0}`",
                            inc.id
                        ),
                    );
                } else {
                    inc.freeze = None;
                    push(
                        inc,
                        rec,
                        LogKind::Freeze,
                        "freeze lifted: incident resolved".into(),
                    );
                }
            }
            // Investigation still open at resolve is work for afterwards:
            // each open task becomes a follow-up, on the record.
            if *status == Status::Resolved {
                // (Once: a reopened and resolved incident does not carry
                // a task over twice.)
                let open: Vec<crate::model::Task> = inc
                    .tasks
                    .iter()
                    .filter(|t| !t.done)
                    .filter(|t| !inc.followups.iter().any(|f| f.from_task == Some(t.id)))
                    .cloned()
                    .collect();
                for t in open {
                    let id = inc.followups.len() as u64 + 1;
                    inc.followups.push(crate::model::Followup {
                        id,
                        text: t.text.clone(),
                        kind: crate::model::FollowupKind::Other,
                        owner: t.owner.clone(),
                        done: false,
                        by: rec.by.who().to_string(),
                        at: rec.at,
                        from_task: Some(t.id),
                    });
                    push(
                        inc,
                        rec,
                        LogKind::Followup,
                        format!(
                            "T{} still open at resolve: carried over as follow-up F{id}: {}",
                            t.id, t.text
                        ),
                    );
                }
            }
            // Impact ceased: the whole team takes a break before the
            // follow-up (unless one is already running).
            if team_break_after_mitigation && inc.break_at(rec.at).is_none() {
                let minutes = inc.human.team_break_minutes;
                start_break(
                    inc,
                    rec,
                    BreakKind::Team,
                    minutes,
                    Some("impact ceased: step away before the follow-up".into()),
                    true,
                );
            }
        }
        Op::SetSeverity { severity } => {
            let text = format!("severity {} → {}", inc.severity, severity);
            change_severity(inc, rec, *severity, text);
        }
        Op::Paged {
            source,
            key,
            state,
            acked_by: by,
            title,
            severity,
            links,
            events_key,
            times,
            delivery,
        } => {
            if let Some(d) = delivery {
                inc.pager_deliveries.insert(d.clone());
            }
            let started_at = times.as_ref().and_then(|t| t.started_at);
            let occurred_at = times.as_ref().and_then(|t| t.occurred_at);
            use crate::model::milestone::{from_the_pager, spoken};
            let first = inc.pager_keys.insert(key.clone());
            // The resolve goes back under the Events API's own key, which
            // only the page can tell (PagerDuty's incident id is not it).
            if source.eq_ignore_ascii_case("pagerduty")
                && inc.notices.pagerduty_key.is_none()
                && let Some(k) = events_key
            {
                inc.notices.pagerduty_key = Some(k.clone());
            }
            // PagerDuty's integration key names the alert across its
            // incidents: a new PagerDuty incident for it (after this one
            // was resolved) is the same alert firing again. (The spelling
            // is intake::keys_of's.)
            if source.eq_ignore_ascii_case("pagerduty")
                && let Some(k) = events_key
            {
                inc.pager_keys.insert(format!("pagerduty:{k}"));
            }
            // What the log says beyond the page itself: when the alert
            // started, and any time of the pager's that was not believed.
            let mut said: Vec<String> = Vec::new();
            // Detected: when the alert started, as the pager says (if that
            // is plausible), else when the first page arrived. A later page
            // of the same alert can only move it earlier.
            let (started, start_note) =
                from_the_pager(started_at, rec.at, "the alert's start time");
            match inc.detection.as_mut() {
                None => {
                    // Only a start that would count is worth a note.
                    said.extend(start_note.clone());
                    if rec.at - started > chrono::Duration::minutes(1) {
                        said.push(format!(
                            "the alert started {}, {} before the page",
                            started.format("%H:%M:%S UTC"),
                            spoken(rec.at - started)
                        ));
                    }
                    inc.detection = Some(crate::model::Detection {
                        source: source.clone(),
                        title: title.clone(),
                        at: started,
                        arrived_at: rec.at,
                        key: Some(key.clone()),
                        acknowledged_at: None,
                        acknowledged_arrived_at: None,
                        acknowledged_by: None,
                        service: None,
                        notes: start_note.into_iter().collect(),
                    });
                }
                Some(d) if d.key.as_ref() == Some(key) && started < d.at => {
                    said.push(format!(
                        "the alert started {}: detected moves from {}",
                        started.format("%H:%M:%S UTC"),
                        d.at.format("%H:%M:%S UTC")
                    ));
                    d.at = started;
                }
                Some(_) => {}
            }
            // The ack's own time, as the pager says, else its arrival.
            let acked_at = (state == "acknowledged").then(|| {
                let (at, note) = from_the_pager(occurred_at, rec.at, "the acknowledgement's time");
                if let Some(detection) = inc.detection.as_mut()
                    && detection.acknowledged_at.is_none()
                {
                    detection.acknowledged_at = Some(at);
                    detection.acknowledged_arrived_at = Some(rec.at);
                    detection.acknowledged_by = by.clone();
                    detection.notes.extend(note.clone());
                }
                if rec.at - at > chrono::Duration::minutes(1) {
                    said.push(format!(
                        "acknowledged there at {}, {} before it arrived",
                        at.format("%H:%M:%S UTC"),
                        spoken(rec.at - at)
                    ));
                }
                said.extend(note);
                at
            });
            let mut text = match (state.as_str(), first) {
                ("triggered", true) => format!("paged by {source}: {title}"),
                ("triggered", false) => format!("re-triggered in {source}: {title}"),
                ("acknowledged", _) => {
                    let ack = crate::model::PagerAck {
                        source: source.clone(),
                        by: by.clone(),
                        at: acked_at.unwrap_or(rec.at),
                    };
                    let text = ack.describe();
                    inc.pager_ack = Some(ack);
                    text
                }
                // Late, after the incident was resolved: nothing stays open.
                ("resolved", _) if inc.status == Status::Resolved => {
                    format!("resolved in {source}: {title}")
                }
                ("resolved", _) => format!(
                    "resolved in {source}: the incident stays open until the commander says so (`:status mitigated`, or `incident status mitigated`)"
                ),
                (other, _) => format!("{other} in {source}: {title}"),
            };
            if !said.is_empty() {
                text.push_str(&format!(" ({})", said.join("; ")));
            }
            push(inc, rec, LogKind::Page, text);
            if first {
                milestone(inc);
            }
            for link in links {
                if !inc.links.iter().any(|l| l.url == link.url) {
                    inc.links.push(link.clone());
                }
            }
            // Worse news raises the severity; a milder page never lowers it.
            if state == "triggered"
                && let Some(sev) = severity
                && *sev < inc.severity
            {
                let text = format!(
                    "severity {} → {sev}: {source} re-triggered the alert at {sev}",
                    inc.severity
                );
                change_severity(inc, rec, *sev, text);
            }
        }
        Op::Close { kind, into, reason } => {
            let why = reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            let text = match (kind, into) {
                (CloseKind::Duplicate, Some(into)) => {
                    inc.related.push(Related {
                        relation: Relation::DuplicateOf,
                        incident: into.clone(),
                        at: rec.at,
                    });
                    format!("closed as a duplicate of {into}{why}: the work goes on there")
                }
                (CloseKind::Duplicate, None) => format!("closed as a duplicate{why}"),
                (CloseKind::FalseAlarm, _) => format!("closed as a false alarm{why}"),
            };
            inc.closed = Some(Closure {
                kind: *kind,
                into: into.clone(),
                reason: reason.clone(),
                at: rec.at,
                by: rec.by.who().to_string(),
            });
            push(inc, rec, LogKind::Closed, text);
            milestone(inc);
            // Nobody works a closed incident: a freeze it held would
            // outlive it with nobody to lift it. (A duplicate's freeze
            // belongs in the incident the work goes on in.)
            if inc.freeze.take().is_some() {
                push(
                    inc,
                    rec,
                    LogKind::Freeze,
                    "freeze lifted: incident closed".into(),
                );
            }
        }
        Op::Relate {
            relation,
            incident,
            keys,
        } => {
            let known = inc
                .related
                .iter()
                .any(|r| r.relation == *relation && r.incident == *incident);
            if !known {
                inc.related.push(Related {
                    relation: *relation,
                    incident: incident.clone(),
                    at: rec.at,
                });
            }
            inc.pager_keys.extend(keys.iter().cloned());
            let text = match relation {
                Relation::RecurrenceOf => {
                    format!("recurrence of {incident}: the same alert fired after it was resolved")
                }
                Relation::RecurredAs => {
                    format!("recurred as {incident}: the same alert fired again")
                }
                Relation::DuplicateOf => format!("duplicate of {incident}"),
                Relation::HasDuplicate => format!(
                    "{incident} was merged into this incident as a duplicate{}",
                    if keys.is_empty() {
                        String::new()
                    } else {
                        ": its alerts now come here".to_string()
                    }
                ),
            };
            push(inc, rec, LogKind::Related, text);
            milestone(inc);
        }
        Op::Correct { entry, text } => amend(inc, rec, *entry, text, true),
        Op::Retract { entry, reason } => amend(inc, rec, *entry, reason, false),
        Op::StartDrill { scenario, speed } => {
            inc.drill = Some(crate::model::Drill {
                scenario: scenario.clone(),
                speed: *speed,
                started_at: rec.at,
                played: Default::default(),
            });
            let pace = if *speed > 1 {
                format!(" at {speed}× speed")
            } else {
                String::new()
            };
            push(
                inc,
                rec,
                LogKind::Declared,
                format!(
                    "DRILL: scenario {scenario}{pace}. Practice: nothing here is real, and nothing real is touched. :debrief (or incident drill debrief) shows how it went"
                ),
            );
        }
        Op::DrillStep { step } => {
            if let Some(d) = inc.drill.as_mut() {
                d.played.insert(*step);
            }
        }
        other => debug_assert!(false, "{} replayed by the wrong area", other.name()),
    }
}

/// Correct (or retract) entry `seq`: the entry keeps what it first said and
/// gains the amendment; a new entry says it happened, so every open view and
/// `incident tail` sees it.
fn amend(inc: &mut Incident, rec: &Record, seq: u64, text: &str, correct: bool) {
    let Some(e) = seq.checked_sub(1).and_then(|i| inc.log.get_mut(i as usize)) else {
        return;
    };
    let amendment = Box::new(crate::model::Amendment {
        text: text.to_string(),
        by: rec.by.who().to_string(),
        at: rec.at,
    });
    let what = if correct {
        e.corrected = Some(amendment);
        "corrected"
    } else {
        e.retracted = Some(amendment);
        "retracted"
    };
    push(
        inc,
        rec,
        LogKind::Correction,
        format!("{what} #{seq}: {text}"),
    );
    if let Some(e) = inc.log.last_mut() {
        e.amends = Some(seq);
    }
}

/// Set the severity, log it, and keep it in the severity history.
fn change_severity(inc: &mut Incident, rec: &Record, to: Severity, text: String) {
    inc.severity_changes.push(crate::model::SeverityChange {
        entry: inc.log.len() as u64 + 1,
        at: rec.at,
        from: inc.severity,
        to,
    });
    inc.severity = to;
    push(inc, rec, LogKind::SeverityChange, text);
}

//! From an incident to its [`PostMortem`]: what each part takes from the
//! log, the document, the systems and the work, made safe to show.

use super::post_mortem::*;
use crate::model::milestone::Source;
use crate::model::{
    Assumption, AssumptionState, Evidence, Incident, LogEntry, LogKind, Milestone, Mitigation,
    MitigationStatus, Role, Section, Snippet,
};
use crate::sanitize;
use crate::systems::{analysis, cause};
use chrono::{DateTime, Utc};
use std::collections::BTreeSet;

/// User text shown on one line (names, titles, statuses).
fn one_line(s: &str) -> String {
    sanitize::line(s).into_owned()
}

/// User text that may span lines (notes, sections, snippets).
fn multi_line(s: &str) -> String {
    sanitize::text(s).into_owned()
}

fn non_empty(s: &str) -> Option<String> {
    (!s.trim().is_empty()).then(|| multi_line(s.trim_end()))
}

impl PostMortem {
    pub(super) fn of(inc: &Incident) -> Self {
        let doc = &inc.document;
        PostMortem {
            id: one_line(&inc.id),
            title: one_line(&inc.shown_title()),
            severity: inc.severity.to_string(),
            status: one_line(&inc.state_label()),
            declared_at: inc.declared_at,
            impact_ceased_at: inc.impact_ceased_at,
            resolved_at: resolved_at(inc),
            closed: inc.closed.as_ref().map(|c| ClosedPart {
                kind: c.kind,
                label: one_line(&c.label()),
                into: c.into.as_deref().map(one_line),
                reason: c.reason.as_deref().map(multi_line),
                at: c.at,
                by: one_line(&c.by),
            }),
            related: inc
                .related
                .iter()
                .map(|r| one_line(&r.relation.describe(&r.incident)))
                .collect(),
            authors: authors(&inc.log),
            commander: inc.holder(Role::Commander).map(one_line),
            communications: inc.holder(Role::Communications).map(one_line),
            summary: non_empty(doc.text(Section::Summary)),
            executive_summary: non_empty(doc.text(Section::ExecutiveSummary)),
            impact: ImpactPart {
                text: non_empty(doc.text(Section::Impact)),
                estimates: inc
                    .impacts
                    .iter()
                    .map(|i| Estimate {
                        at: i.at,
                        text: multi_line(&i.text),
                        by: one_line(&i.by),
                    })
                    .collect(),
            },
            root_causes: root_causes(inc),
            resolution: resolution(&inc.mitigations),
            action_items: action_items(inc),
            timeline: timeline(inc),
            appendix: doc.appendix.iter().map(appendix_entry).collect(),
            runs: runs(inc),
            detection: detection(inc),
            milestones: milestones(inc),
            durations: durations(inc),
            updates: doc
                .updates
                .iter()
                .map(|u| UpdatePart {
                    at: u.at,
                    by: one_line(&u.by),
                    audience: if u.external { "external" } else { "internal" },
                    text: multi_line(&u.text),
                })
                .collect(),
            decisions: inc
                .log
                .iter()
                .filter(|e| {
                    matches!(e.kind, LogKind::Decision | LogKind::Answer) || e.evidence.is_some()
                })
                .map(|e| log_line(inc, e))
                .collect(),
            roles: inc
                .role_history
                .iter()
                .map(|t| RoleTermPart {
                    role: t.role,
                    user: one_line(&t.user),
                    from: t.from,
                    until: t.until,
                })
                .collect(),
            followups: inc
                .followups
                .iter()
                .map(|f| FollowupPart {
                    id: f.id,
                    text: multi_line(&f.text),
                    kind: f.kind,
                    owner: f.owner.as_deref().map(one_line),
                    status: if f.done { "done" } else { "open" },
                    by: one_line(&f.by),
                    at: f.at,
                    from_task: f.from_task,
                })
                .collect(),
            log: inc.log.iter().map(|e| log_line(inc, e)).collect(),
            // Judged at the end of the record, so an export is the same
            // whenever it is made.
            drill: crate::drill::debrief::Debrief::of(inc, inc.updated_at),
        }
    }
}

/// When it was resolved, if it still is. The model keeps `resolved_at`
/// when the status goes from resolved straight back to mitigated; a
/// post-mortem must not call such an incident resolved, nor one closed as
/// a duplicate or a false alarm.
fn resolved_at(inc: &Incident) -> Option<DateTime<Utc>> {
    inc.resolved_at.filter(|_| inc.is_resolved())
}

/// Everyone who responded: whoever wrote to the log (the tool, which
/// signs what a view writes by itself, is not a person).
fn authors(log: &[LogEntry]) -> Vec<String> {
    let names: BTreeSet<String> = log
        .iter()
        .filter(|e| !crate::model::is_tool(&e.by))
        .map(|e| one_line(&e.by))
        .collect();
    names.into_iter().collect()
}

/// "what was written (see log #12)".
fn describe(ev: &Evidence) -> Option<String> {
    let text = ev.text.trim();
    match (text.is_empty(), ev.entry) {
        (true, None) => None,
        (true, Some(seq)) => Some(format!("see log #{seq}")),
        (false, None) => Some(multi_line(text)),
        (false, Some(seq)) => Some(format!("{} (see log #{seq})", multi_line(text))),
    }
}

fn root_causes(inc: &Incident) -> RootCauses {
    let closed = |state| {
        inc.assumptions
            .iter()
            .filter(|a| a.state == state)
            .map(checked)
            .collect()
    };
    let sus = cause::suspicion(inc);
    RootCauses {
        causes: sus.causes.iter().map(cause_part).collect(),
        verified: closed(AssumptionState::Verified),
        refuted: closed(AssumptionState::Refuted),
        graph_guess: sus.guesses.iter().map(|s| suspected(inc, s)).collect(),
    }
}

fn cause_part(c: &cause::Cause) -> CausePart {
    let (basis, by, at, reason) = match &c.basis {
        cause::Basis::Named { by, at, because } => (
            "named",
            Some(by),
            Some(*at),
            because.as_ref().map(|r| {
                let state = match r.state {
                    Some(AssumptionState::Verified) => " (verified)",
                    Some(AssumptionState::Refuted) => " (since refuted)",
                    Some(AssumptionState::Unverified) => " (unverified)",
                    None => "",
                };
                format!("{}{state}: {}", r.what, multi_line(&r.text))
            }),
        ),
        cause::Basis::Verified {
            assumption,
            text,
            by,
            at,
        } => (
            "verified",
            by.as_ref(),
            *at,
            Some(format!("A{assumption}: {}", multi_line(text))),
        ),
    };
    CausePart {
        system: one_line(&c.system),
        status: c.status.to_string(),
        basis,
        by: by.map(|b| one_line(b)),
        at,
        reason,
    }
}

/// A suspect of the analysis, with how its status was established.
fn suspected(inc: &Incident, s: &analysis::Suspect) -> Suspected {
    let sys = inc.systems.get(&s.name);
    Suspected {
        system: one_line(&s.name),
        status: s.status.to_string(),
        checked_by: sys.and_then(|x| x.changed_by.as_deref()).map(one_line),
        checked_at: sys.and_then(|x| x.changed_at),
        evidence: sys
            .and_then(|x| x.evidence.as_ref())
            .and_then(describe)
            .or_else(|| {
                let source = sys?.reported_by.as_deref()?;
                Some(format!(
                    "reported by pager ({}), not verified",
                    one_line(source)
                ))
            }),
        unknown_dependencies: s.unknown_dependencies.iter().map(|d| one_line(d)).collect(),
    }
}

fn checked(a: &Assumption) -> Checked {
    Checked {
        id: a.id,
        text: multi_line(&a.text),
        source: a.source.as_deref().map(one_line),
        checked_by: a.closed_by.as_deref().map(one_line),
        checked_at: a.closed_at,
        evidence: a.evidence.as_ref().and_then(describe),
    }
}

fn resolution(mitigations: &[Mitigation]) -> Resolution {
    let finished = |status| {
        let mut v: Vec<&Mitigation> = mitigations.iter().filter(|m| m.status == status).collect();
        // A closed mitigation is never touched again, so its last update
        // is when it finished; the id breaks ties between simultaneous ones.
        v.sort_by_key(|m| (m.updated_at, m.id));
        v.into_iter().map(fix).collect()
    };
    let not_done = |pick: &dyn Fn(MitigationStatus) -> bool| {
        mitigations
            .iter()
            .filter(|m| pick(m.status))
            .map(|m| NotTried {
                id: m.id,
                text: multi_line(&m.text),
                kind: m.kind.to_string(),
                owner: m.owner.as_deref().map(one_line),
                status: m.status.to_string(),
            })
            .collect()
    };
    Resolution {
        done: finished(MitigationStatus::Done),
        failed: finished(MitigationStatus::Failed),
        in_progress: not_done(&|s| s == MitigationStatus::InProgress),
        not_tried: not_done(&|s| {
            matches!(s, MitigationStatus::Proposed | MitigationStatus::Abandoned)
        }),
    }
}

fn fix(m: &Mitigation) -> Fix {
    Fix {
        id: m.id,
        text: multi_line(&m.text),
        kind: m.kind.to_string(),
        owner: m.owner.as_deref().map(one_line),
        result: m.result.as_deref().map(multi_line),
        finished_at: m.updated_at,
    }
}

/// The follow-ups, then investigation tasks still open that were never
/// carried over as one (an incident exported before it was resolved):
/// the work that outlives the incident. Mitigations never tried are not
/// action items; the resolution lists them.
fn action_items(inc: &Incident) -> Vec<ActionItem> {
    let followups = inc.followups.iter().map(|f| ActionItem {
        item: multi_line(&f.text),
        kind: f.kind.into(),
        owner: f.owner.as_deref().map(one_line),
        status: if f.done { "done" } else { "open" }.to_string(),
    });
    let carried: BTreeSet<u64> = inc.followups.iter().filter_map(|f| f.from_task).collect();
    let tasks = inc
        .tasks
        .iter()
        .filter(|t| !t.done && !carried.contains(&t.id))
        .map(|t| ActionItem {
            item: multi_line(&t.text),
            kind: ActionType::Investigate,
            owner: t.owner.as_deref().map(one_line),
            status: "open".to_string(),
        });
    followups.chain(tasks).collect()
}

fn detection(inc: &Incident) -> Detection {
    let page = inc.detection.as_ref();
    Detection {
        declared_at: inc.declared_at,
        declared_by: one_line(&inc.declared_by),
        source: page.map(|d| one_line(&d.source)),
        alert: page.map(|d| one_line(&d.title)),
        service: page.and_then(|d| d.service.as_deref()).map(one_line),
        fired_at: page.map(|d| d.at),
        arrived_at: page.map(|d| d.arrived_at),
        acknowledged_at: page.and_then(|d| d.acknowledged_at),
        acknowledged_arrived_at: page.and_then(|d| d.acknowledged_arrived_at),
        notes: page
            .map(|d| d.notes.iter().map(|n| one_line(n)).collect())
            .unwrap_or_default(),
        acknowledged_by: page
            .and_then(|d| d.acknowledged_by.as_deref())
            .map(one_line),
        first_entry: inc
            .log
            .iter()
            .find(|e| e.kind != LogKind::Declared && e.retracted.is_none())
            .map(|e| multi_line(e.current_text())),
    }
}

fn milestones(inc: &Incident) -> Vec<MilestonePart> {
    Milestone::ALL
        .iter()
        .filter_map(|&m| {
            let (at, source) = inc.milestone(m)?;
            let set = inc.milestones.get(&m).filter(|_| source == Source::Set);
            let known_from = match (m, set) {
                (_, Some(s)) => format!("set by {}", one_line(&s.by)),
                (Milestone::Detected, None) => match &inc.detection {
                    Some(d) if d.at != d.arrived_at => {
                        "the alert's start, as the pager gave it".to_string()
                    }
                    _ => "the page".to_string(),
                },
                (Milestone::Acknowledged, None) => "the pager's acknowledgement".to_string(),
                (Milestone::Declared, None) => "the declaration".to_string(),
                (_, None) => "the status change".to_string(),
            };
            Some(MilestonePart {
                name: m,
                at,
                how: if set.is_some() { "set" } else { "recorded" },
                by: set.map(|s| one_line(&s.by)),
                note: set.and_then(|s| s.note.as_deref()).map(multi_line),
                known_from,
            })
        })
        .collect()
}

fn durations(inc: &Incident) -> DurationsPart {
    let d = inc.durations();
    let secs = |d: Option<chrono::Duration>| d.map(|d| d.num_seconds());
    DurationsPart {
        to_detect_secs: secs(d.to_detect),
        to_acknowledge_secs: secs(d.to_acknowledge),
        to_mitigate_secs: secs(d.to_mitigate),
        to_resolve_secs: secs(d.to_resolve),
        measured_from: [
            Milestone::ImpactStarted,
            Milestone::Detected,
            Milestone::Declared,
        ]
        .into_iter()
        .find(|m| inc.milestone(*m).is_some()),
    }
}

/// An entry of the log as the export shows it.
fn log_line(inc: &Incident, e: &LogEntry) -> LogLine {
    let text = match (&e.evidence, inc.clearance(e)) {
        (Some(ev), Some(cleared)) => format!(
            "ran: {} — {} ({:.1}s), {}",
            ev.command,
            ev.outcome(),
            ev.duration_ms as f64 / 1000.0,
            cleared
        ),
        _ => {
            let mut text = e.current_text().to_string();
            // The request itself says it was withdrawn, not just a later
            // entry: nobody answered it because nobody waited any more.
            let withdrawn = e
                .request
                .and_then(|r| inc.request(r))
                .filter(|r| r.state == crate::model::RequestState::Withdrawn);
            if let Some(r) = withdrawn
                && e.kind == LogKind::Request
                && !text.starts_with("withdrawn:")
            {
                let why = r.reason.as_deref().unwrap_or("its asker stopped waiting");
                text.push_str(&format!(" — withdrawn: {why}"));
            }
            text
        }
    };
    LogLine {
        entry: e.seq,
        at: e.at,
        by: one_line(&e.by),
        kind: e.kind,
        text: multi_line(&text),
        amended: amended(e),
        request: e.request,
        amends: e.amends,
        exit: e.evidence.as_ref().and_then(|ev| ev.exit),
        output: e
            .evidence
            .as_ref()
            .filter(|ev| !ev.output.trim().is_empty())
            .map(|ev| multi_line(&ev.output)),
    }
}

fn timeline(inc: &Incident) -> Vec<TimelineEntry> {
    let markers = Markers::of(inc);
    inc.timeline()
        .map(|e| TimelineEntry {
            at: e.at,
            by: one_line(&e.by),
            text: multi_line(e.current_text()),
            marker: markers.of_entry(e),
            amended: amended(e),
        })
        .collect()
}

fn amended(e: &crate::model::LogEntry) -> Option<Amended> {
    if let Some(r) = &e.retracted {
        return Some(Amended {
            how: "retracted",
            by: one_line(&r.by),
            at: r.at,
            was: multi_line(e.current_text()),
            reason: Some(multi_line(&r.text)),
        });
    }
    e.corrected.as_ref().map(|c| Amended {
        how: "corrected",
        by: one_line(&c.by),
        at: c.at,
        was: multi_line(&e.text),
        reason: None,
    })
}

/// Which log entries are the turning points. Found by time, not by the
/// wording of the log text: an entry is the status change whose time the
/// incident recorded as when impact ceased or when it was resolved.
struct Markers {
    mitigated: Option<u64>,
    resolved: Option<u64>,
}

impl Markers {
    pub(super) fn of(inc: &Incident) -> Self {
        let last_change_at = |at: Option<DateTime<Utc>>, except: Option<u64>| {
            let at = at?;
            inc.log
                .iter()
                .rev()
                .find(|e| e.kind == LogKind::StatusChange && e.at == at && Some(e.seq) != except)
                .map(|e| e.seq)
        };
        // Resolution comes last, so it takes the later of two status
        // changes made in the same second.
        let resolved = last_change_at(resolved_at(inc), None);
        let mitigated = last_change_at(inc.impact_ceased_at, resolved);
        Markers {
            mitigated,
            resolved,
        }
    }

    fn of_entry(&self, e: &LogEntry) -> Option<Marker> {
        if e.kind == LogKind::Declared {
            Some(Marker::IncidentBegins)
        } else if Some(e.seq) == self.resolved {
            Some(Marker::Resolved)
        } else if Some(e.seq) == self.mitigated {
            Some(Marker::Mitigated)
        } else {
            None
        }
    }
}

fn runs(inc: &Incident) -> Vec<Run> {
    inc.log
        .iter()
        .filter_map(|e| {
            let ev = e.evidence.as_ref()?;
            let cleared = inc.clearance(e)?;
            Some(Run {
                entry: e.seq,
                at: e.at,
                by: one_line(&e.by),
                command: one_line(&ev.command),
                duration_ms: ev.duration_ms,
                exit: ev.exit,
                signal: ev.signal,
                failed: ev.failed(),
                outcome: ev.outcome(),
                cleared_by_request: cleared.request(),
                cleared_by: cleared.by().map(one_line),
                clearance: one_line(&cleared.to_string()),
            })
        })
        .collect()
}

fn appendix_entry(s: &Snippet) -> AppendixEntry {
    AppendixEntry {
        id: s.id,
        title: one_line(&s.title),
        text: multi_line(&s.text),
    }
}

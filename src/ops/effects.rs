//! What each operation does to the incident, and what it writes to the log.
//! Applied without judging: the rules ran when the line was written.

use super::{Op, Record};
use crate::model::{
    Assumption, AssumptionState, Break, BreakKind, CommsUpdate, Detached, Evidence, Freeze, Impact,
    Incident, LogEntry, LogKind, Mitigation, MitigationStatus, Offer, Request, RequestState, Role,
    RoleHolder, Severity, Snippet, Status, System, Task, gist,
};

pub fn declare(
    id: &str,
    title: &str,
    severity: Severity,
    roles: &[Role],
    rec: &Record,
) -> Incident {
    let mut inc = Incident::declared(id, title, severity, rec.at, rec.by.who());
    inc.revision = 1;
    inc.extra_roles = roles
        .iter()
        .copied()
        .filter(|r| !Role::ESSENTIAL.contains(r))
        .collect();
    push(
        &mut inc,
        rec,
        LogKind::Declared,
        format!("declared {severity} \"{title}\""),
    );
    inc
}

pub fn replay(inc: &mut Incident, rec: &Record) {
    inc.revision += 1;
    if !matches!(rec.op, Op::Log { .. }) {
        inc.systems_revision = inc.revision;
    }
    inc.updated_at = rec.at;
    let who = rec.by.who().to_string();
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
        Op::SetStatus { status } => {
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
                );
            }
        }
        Op::SetSeverity { severity } => {
            let text = format!("severity {} → {}", inc.severity, severity);
            inc.severity = *severity;
            push(inc, rec, LogKind::SeverityChange, text);
        }
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
            set_holder(inc, *role, Some(&who), rec);
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
                    from: who.clone(),
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
            let previous = set_holder(inc, *role, Some(&who), rec);
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
                format!("still no {role}: whoever can, type :claim {short}"),
            );
        }
        Op::Announce { text, mitigation } => {
            let id = inc.requests.len() as u64 + 1;
            let by_commander = inc.is_commander(&who);
            inc.requests.push(Request {
                id,
                text: text.clone(),
                by: who.clone(),
                at: rec.at,
                state: if by_commander {
                    RequestState::Announced
                } else {
                    RequestState::Pending
                },
                answered_by: None,
                answered_at: None,
                reason: None,
            });
            if let Some(m) = mitigation
                .and_then(|m| m.checked_sub(1))
                .and_then(|i| inc.mitigations.get_mut(i as usize))
            {
                m.request = Some(id);
            }
            let line = if by_commander {
                format!("announced: {text}  [R{id}]")
            } else {
                format!("about to: {text}  [R{id}, asked the commander]")
            };
            push_for(inc, rec, LogKind::Request, line, Some(id), None);
        }
        Op::Answer {
            request,
            go,
            reason,
        } => {
            let mut line = String::new();
            if let Some(req) = request
                .checked_sub(1)
                .and_then(|i| inc.requests.get_mut(i as usize))
            {
                req.state = if *go {
                    RequestState::Go
                } else {
                    RequestState::Hold
                };
                req.answered_by = Some(who.clone());
                req.answered_at = Some(rec.at);
                req.reason = reason.clone();
                let verdict = if *go { "go" } else { "hold" };
                line = format!("{verdict} for {}: R{request} \"{}\"", req.by, req.text);
            }
            if let Some(r) = reason {
                line.push_str(&format!(" ({r})"));
            }
            push_for(inc, rec, LogKind::Answer, line, Some(*request), None);
        }
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
            sys.changed_by = Some(who.clone());
            sys.changed_at = Some(rec.at);
            sys.evidence = evidence.clone();
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
        Op::Assume { text, source } => {
            let id = inc.assumptions.len() as u64 + 1;
            inc.assumptions.push(Assumption {
                id,
                text: text.clone(),
                source: source.clone(),
                by: who.clone(),
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
                a.closed_by = Some(who.clone());
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
        Op::SetImpact { text } => {
            let (count, unit) = Impact::parse_count(text);
            inc.impacts.push(Impact {
                text: text.clone(),
                count,
                unit,
                by: who.clone(),
                at: rec.at,
            });
            push(inc, rec, LogKind::Impact, format!("impact: {text}"));
        }
        Op::ProposeMitigation {
            text,
            kind,
            risk,
            speed,
            system,
            owner,
        } => {
            let id = inc.mitigations.len() as u64 + 1;
            inc.mitigations.push(Mitigation {
                id,
                text: text.clone(),
                kind: *kind,
                risk: *risk,
                speed: *speed,
                system: system.clone(),
                owner: owner.clone(),
                status: MitigationStatus::Proposed,
                result: None,
                by: who.clone(),
                at: rec.at,
                updated_at: rec.at,
                request: None,
                procedure: false,
            });
            let owner = owner
                .as_ref()
                .map(|o| format!(", owner {o}"))
                .unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::Mitigation,
                format!("proposed M{id}: {text} ({kind}, {risk} risk, {speed}{owner})"),
            );
        }
        Op::OwnMitigation { id, owner } => {
            let mut line = String::new();
            if let Some(m) = get(&mut inc.mitigations, *id) {
                m.owner.clone_from(owner);
                m.updated_at = rec.at;
                line = match owner {
                    Some(o) if *o == who => format!("{who} took M{id}: {}", m.text),
                    Some(o) => format!("M{id} is now {o}'s (given by {who}): {}", m.text),
                    None => format!("M{id} has no owner now: {}", m.text),
                };
            }
            push(inc, rec, LogKind::Mitigation, line);
        }
        Op::StartMitigation { id } => {
            let mut line = String::new();
            let mut pause = None;
            if let Some(m) = get(&mut inc.mitigations, *id) {
                m.status = MitigationStatus::InProgress;
                m.updated_at = rec.at;
                if m.owner.is_none() {
                    m.owner = Some(who.clone());
                }
                line = format!("started M{id}: {}", m.text);
                if m.procedure {
                    pause = Some(format!("before: {}", m.text));
                }
            }
            push(inc, rec, LogKind::Mitigation, line);
            // A procedure: everyone grabs some air first (the commander
            // can skip it), unless a break is already running.
            if let Some(reason) = pause
                && inc.break_at(rec.at).is_none()
            {
                let minutes = inc.human.procedure_pause_minutes;
                start_break(inc, rec, BreakKind::Procedure, minutes, Some(reason));
            }
        }
        Op::MarkProcedure { id } => {
            let mut line = String::new();
            if let Some(m) = get(&mut inc.mitigations, *id) {
                m.procedure = true;
                line = format!("M{id} is a procedure: starting it pauses everyone first");
            }
            push(inc, rec, LogKind::Mitigation, line);
        }
        Op::FinishMitigation { id, status, result } => {
            let mut line = String::new();
            if let Some(m) = get(&mut inc.mitigations, *id) {
                m.status = *status;
                m.result.clone_from(result);
                m.updated_at = rec.at;
                let verb = match status {
                    MitigationStatus::Done => "M{id} done",
                    MitigationStatus::Failed => "M{id} FAILED",
                    _ => "M{id} abandoned",
                }
                .replace("{id}", &id.to_string());
                let why = result
                    .as_ref()
                    .map(|r| format!(" — {r}"))
                    .unwrap_or_default();
                line = format!("{verb}: {}{why}", m.text);
            }
            push(inc, rec, LogKind::Mitigation, line);
            if matches!(status, MitigationStatus::Done | MitigationStatus::Failed) {
                milestone(inc);
            }
        }
        Op::AddTask { text, owner } => {
            let id = inc.tasks.len() as u64 + 1;
            inc.tasks.push(Task {
                id,
                text: text.clone(),
                owner: owner.clone(),
                done: false,
                result: None,
                by: who.clone(),
                at: rec.at,
            });
            let owner = owner
                .as_ref()
                .map(|o| format!(" (owner {o})"))
                .unwrap_or_else(|| " (no owner yet)".into());
            push(
                inc,
                rec,
                LogKind::Task,
                format!("task T{id}: {text}{owner}"),
            );
        }
        Op::OwnTask { id, owner } => {
            let mut line = String::new();
            if let Some(t) = get_task(&mut inc.tasks, *id) {
                t.owner.clone_from(owner);
                line = match owner {
                    Some(o) if *o == who => format!("{who} took T{id}: {}", t.text),
                    Some(o) => format!("T{id} is now {o}'s (given by {who}): {}", t.text),
                    None => format!("T{id} has no owner now: {}", t.text),
                };
            }
            push(inc, rec, LogKind::Task, line);
        }
        Op::FinishTask { id, result } => {
            let mut line = String::new();
            if let Some(t) = get_task(&mut inc.tasks, *id) {
                t.done = true;
                t.result.clone_from(result);
                let why = result
                    .as_ref()
                    .map(|r| format!(" — {r}"))
                    .unwrap_or_default();
                line = format!("T{id} done: {}{why}", t.text);
            }
            push(inc, rec, LogKind::Task, line);
        }
        Op::Freeze { reason } => {
            inc.freeze = Some(Freeze {
                reason: reason.clone(),
                by: who.clone(),
                since: rec.at,
            });
            let why = reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            push(inc, rec, LogKind::Freeze, format!("deploys FROZEN{why}"));
        }
        Op::Unfreeze => {
            inc.freeze = None;
            push(inc, rec, LogKind::Freeze, "deploy freeze lifted".into());
        }
        Op::ApplyTemplate { name, sections } => {
            let doc = &mut inc.document;
            doc.template = Some(name.clone());
            for t in sections {
                if let Some(p) = &t.prompt {
                    doc.prompts.insert(t.section, p.clone());
                }
                if !t.text.is_empty() {
                    let s = doc.sections.entry(t.section).or_default();
                    s.text.clone_from(&t.text);
                }
            }
            // Part of declaring: the document records the template, the
            // log does not need a line for it.
        }
        Op::EditSection { section, text, .. } => {
            let s = inc.document.sections.entry(*section).or_default();
            let before = gist(&s.text, 40);
            s.text.clone_from(text);
            s.version += 1;
            s.by = Some(who.clone());
            s.at = Some(rec.at);
            let after = gist(text, 40);
            push(
                inc,
                rec,
                LogKind::Document,
                format!("edited {}: “{before}” → “{after}”", section.title()),
            );
        }
        Op::AppendSection { section, text } => {
            let s = inc.document.sections.entry(*section).or_default();
            if !s.text.is_empty() && !s.text.ends_with('\n') {
                s.text.push('\n');
            }
            s.text.push_str(text);
            s.version += 1;
            s.by = Some(who.clone());
            s.at = Some(rec.at);
            push(
                inc,
                rec,
                LogKind::Document,
                format!("added to {}: “{}”", section.title(), gist(text, 60)),
            );
        }
        Op::AddSnippet { title, text, entry } => {
            let id = inc.document.appendix.len() as u64 + 1;
            inc.document.appendix.push(Snippet {
                id,
                title: title.clone(),
                text: text.clone(),
                by: who.clone(),
                at: rec.at,
                entry: *entry,
            });
            let lines = text.lines().count();
            push(
                inc,
                rec,
                LogKind::Document,
                format!("appendix S{id}: {title} ({lines} lines)"),
            );
        }
        Op::Pin { entry } => {
            inc.document.pinned.insert(*entry);
            let what = entry
                .checked_sub(1)
                .and_then(|i| inc.log.get(i as usize))
                .map(|e| gist(&e.text, 50))
                .unwrap_or_default();
            push(
                inc,
                rec,
                LogKind::Document,
                format!("pinned #{entry} to the timeline: “{what}”"),
            );
        }
        Op::Unpin { entry } => {
            inc.document.pinned.remove(entry);
            push(
                inc,
                rec,
                LogKind::Document,
                format!("took #{entry} off the timeline"),
            );
        }
        Op::PostUpdate { text, external } => {
            inc.document.updates.push(CommsUpdate {
                text: text.clone(),
                by: who.clone(),
                at: rec.at,
                external: *external,
            });
            let to = if *external { "external" } else { "internal" };
            push(inc, rec, LogKind::Update, format!("{to} update: {text}"));
        }
        Op::SetUpdateCadence { minutes } => {
            inc.document.update_every = Some(*minutes);
            push(
                inc,
                rec,
                LogKind::Update,
                format!("updates every {minutes} minutes from now on"),
            );
        }
        Op::StartBreak {
            kind,
            minutes,
            reason,
        } => {
            start_break(inc, rec, *kind, *minutes, reason.clone());
        }
        Op::EndBreak => {
            let mut line = String::from("break ended early");
            if let Some(b) = inc.breaks.iter_mut().rev().find(|b| b.is_running(rec.at)) {
                b.ends_at = rec.at;
                b.ended_by = Some(who.clone());
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
                    by: who.clone(),
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
        Op::Paged {
            source,
            key,
            state,
            acked_by: by,
            title,
        } => {
            let first = inc.pager_keys.insert(key.clone());
            let text = match (state.as_str(), first) {
                ("triggered", true) => format!("paged by {source}: {title}"),
                ("triggered", false) => format!("re-triggered in {source}: {title}"),
                ("acknowledged", _) => {
                    format!(
                        "acknowledged in {source}{}",
                        by.as_ref().map(|b| format!(" by {b}")).unwrap_or_default()
                    )
                }
                ("resolved", _) => format!(
                    "resolved in {source}: the incident stays open until the commander says so (:status mitigated)"
                ),
                (other, _) => format!("{other} in {source}: {title}"),
            };
            push(inc, rec, LogKind::Page, text);
            if first {
                milestone(inc);
            }
        }
        Op::Ran { evidence, request } => {
            let outcome = match (evidence.exit, evidence.signal) {
                (Some(code), _) => format!("exit {code}"),
                (None, Some(sig)) => format!("killed by signal {sig}"),
                (None, None) => "did not start".to_string(),
            };
            let secs = evidence.duration_ms as f64 / 1000.0;
            let line = format!("ran: {}  {outcome}  ({secs:.1}s)", evidence.command);
            push_for(
                inc,
                rec,
                LogKind::Ran,
                line,
                *request,
                Some(evidence.clone()),
            );
        }
    }
}

fn get(v: &mut [Mitigation], id: u64) -> Option<&mut Mitigation> {
    id.checked_sub(1).and_then(|i| v.get_mut(i as usize))
}

fn get_task(v: &mut [Task], id: u64) -> Option<&mut Task> {
    id.checked_sub(1).and_then(|i| v.get_mut(i as usize))
}

fn describe_evidence(ev: &Evidence) -> String {
    match (ev.text.trim(), ev.entry) {
        ("", Some(seq)) => format!("see #{seq}"),
        (t, Some(seq)) => format!("{t}, see #{seq}"),
        (t, None) => t.to_string(),
    }
}

/// Give `role` to `user` (or empty it); returns the previous holder. Any
/// pending offer of the role is settled by the change.
fn set_holder(inc: &mut Incident, role: Role, user: Option<&str>, rec: &Record) -> Option<String> {
    inc.offers.remove(&role);
    let previous = inc.roles.remove(&role).map(|h| h.user);
    inc.nudged.remove(&role);
    match user {
        Some(u) => {
            inc.roles.insert(
                role,
                RoleHolder {
                    user: u.to_string(),
                    since: rec.at,
                },
            );
            inc.vacant_since.remove(&role);
        }
        None => {
            inc.vacant_since.insert(role, rec.at);
        }
    }
    previous
}

fn push(inc: &mut Incident, rec: &Record, kind: LogKind, text: String) {
    push_for(inc, rec, kind, text, None, None);
}

fn push_for(
    inc: &mut Incident,
    rec: &Record,
    kind: LogKind,
    text: String,
    request: Option<u64>,
    evidence: Option<Box<crate::model::RunEvidence>>,
) {
    let seq = inc.log.len() as u64 + 1;
    // Timeline-worthy by kind; other kinds are marked by their operation.
    let milestone = matches!(
        kind,
        LogKind::Declared | LogKind::SeverityChange | LogKind::StatusChange | LogKind::Freeze
    );
    inc.log.push(LogEntry {
        seq,
        at: rec.at,
        by: rec.by.who().to_string(),
        kind,
        text,
        request,
        evidence,
        milestone,
    });
}

fn start_break(
    inc: &mut Incident,
    rec: &Record,
    kind: BreakKind,
    minutes: u32,
    reason: Option<String>,
) {
    let ends_at = rec.at + chrono::Duration::minutes(i64::from(minutes));
    inc.breaks.push(Break {
        kind,
        reason: reason.clone(),
        started_by: rec.by.who().to_string(),
        starts_at: rec.at,
        ends_at,
        ended_by: None,
    });
    let what = match kind {
        BreakKind::Team => "team break",
        BreakKind::Procedure => "pause before the procedure",
    };
    let why = reason.map(|r| format!(": {r}")).unwrap_or_default();
    push(
        inc,
        rec,
        LogKind::Break,
        format!(
            "{what} until {} UTC ({minutes} min){why}",
            ends_at.format("%H:%M")
        ),
    );
    milestone(inc);
}

/// Mark the entry just written as a key event for the timeline.
fn milestone(inc: &mut Incident) {
    if let Some(e) = inc.log.last_mut() {
        e.milestone = true;
    }
}

//! `mitigation`, `task`, `freeze`.

use super::{Ctx, Failure, MitigationAction, clearance, commit_op, emit};
use crate::model::Incident;
use crate::ops::Op;
use crate::playbook::Playbook;
use crate::sanitize;
use crate::store::Listed;
use std::fmt::Write as _;
use std::io::Write;
use std::time::Duration;

fn words(v: Vec<String>) -> Option<String> {
    Some(v.join(" ")).filter(|t| !t.trim().is_empty())
}

pub fn playbook(ctx: &Ctx) -> Result<Playbook, Failure> {
    Playbook::load(ctx.store.dir()).map_err(|e| Failure::usage(e.to_string()))
}

pub fn mitigation(
    ctx: &Ctx,
    out: &mut impl Write,
    action: MitigationAction,
) -> Result<(), Failure> {
    match action {
        MitigationAction::Add {
            which,
            kind,
            risk,
            speed,
            system,
            owner,
            procedure: true,
            text,
        } => {
            let op = Op::ProposeMitigation {
                text: text.join(" "),
                kind,
                risk,
                speed,
                system,
                owner,
            };
            let mut file = commit_op(ctx, which.id.as_deref(), op)?;
            let id = file.incident().mitigations.len() as u64;
            file.commit(&ctx.me, Op::MarkProcedure { id })?;
            emit(out, &format!("M{id}"))?;
        }
        MitigationAction::List { which, json } => {
            let file = ctx.store.resolve(which.id.as_deref())?;
            let inc = file.incident();
            let suggestions = playbook(ctx)?.suggestions(inc);
            if json {
                let mut list: Vec<_> = inc.mitigations.iter().collect();
                list.sort_by_key(|m| m.sort_key());
                let v = serde_json::json!({ "mitigations": list, "tasks": inc.tasks, "suggestions": suggestions });
                emit(out, &serde_json::to_string_pretty(&v).expect("json"))?;
            } else {
                emit(out, &table(inc, &suggestions))?;
            }
        }
        MitigationAction::Suggest { which, json } => {
            let file = ctx.store.resolve(which.id.as_deref())?;
            let suggestions = playbook(ctx)?.suggestions(file.incident());
            if json {
                emit(
                    out,
                    &serde_json::to_string_pretty(&suggestions).expect("json"),
                )?;
            } else if suggestions.is_empty() {
                emit(
                    out,
                    "No suggestions: nothing is marked failing, or every routine fix is already proposed",
                )?;
            } else {
                let mut t = String::new();
                for s in &suggestions {
                    let _ = writeln!(
                        t,
                        "{:<14} {:<6} {:<5}  {}",
                        s.kind.as_str(),
                        s.risk.as_str(),
                        s.speed.as_str(),
                        sanitize::line(&s.text)
                    );
                }
                emit(out, t.trim_end())?;
            }
        }
        MitigationAction::Start {
            which,
            item: id,
            wait: true,
            timeout,
        } => {
            start(
                ctx,
                which.id.as_deref(),
                id.0,
                true,
                Duration::from_secs(timeout),
            )?;
        }
        MitigationAction::Start {
            which, item: id, ..
        } => {
            start(ctx, which.id.as_deref(), id.0, false, Duration::ZERO)?;
        }
        // The rest are single writes, built as the bar builds them.
        other => {
            super::write::write(
                ctx,
                out,
                super::Command::Mitigation(super::args::MitigationArgs { action: other }),
            )?;
        }
    }
    Ok(())
}

/// Start mitigation `id`; if it needs the commander's go, ask for it (and
/// with `wait`, wait for the answer, then start).
fn start(
    ctx: &Ctx,
    which: Option<&str>,
    id: u64,
    wait: bool,
    timeout: Duration,
) -> Result<(), Failure> {
    let mut file = ctx.store.resolve(which)?;
    let req = match crate::store::workflow::act(&mut file, &ctx.me, Op::StartMitigation { id })? {
        crate::store::workflow::Acted::Asked { request, .. } => request,
        _ => {
            eprintln!("{}: started M{id}", file.incident().id);
            return Ok(());
        }
    };
    // What was created, on standard output as every create prints it
    // (a script keeps the request to follow); why, on standard error.
    println!("R{req}");
    eprintln!("M{id} changes production: asked the commander for go as R{req}");
    if !wait {
        return Err(Failure {
            message: format!("M{id} not started yet: run this again after the go, or use --wait"),
            code: 1,
        });
    }
    clearance::wait_for_answer(ctx, &mut file, req, timeout)?;
    file.commit(&ctx.me, Op::StartMitigation { id })?;
    eprintln!("{}: go for R{req}; started M{id}", file.incident().id);
    Ok(())
}

/// The mitigations and tasks, as `incident mitigation list` shows them
/// (and `incident show` under "Mitigations").
pub fn table(inc: &Incident, suggestions: &[crate::playbook::Suggestion]) -> String {
    let mut out = String::new();
    let mut list: Vec<_> = inc.mitigations.iter().collect();
    list.sort_by_key(|m| m.sort_key());
    if list.is_empty() {
        let _ = writeln!(
            out,
            "No mitigations yet: `incident mitigation add --kind rollback --risk low TEXT`"
        );
    }
    for m in list {
        let owner = m.owner.as_deref().map(sanitize::line).unwrap_or("-".into());
        let result = m
            .result
            .as_deref()
            .map(|r| format!(" — {}", sanitize::line(r)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "M{:<3} {:<11} {:<6} {:<5} {:<14} {:<12} {}{result}",
            m.id,
            m.status.as_str(),
            m.risk.as_str(),
            m.speed.as_str(),
            m.kind.as_str(),
            owner,
            sanitize::line(&m.text)
        );
    }
    for t in &inc.tasks {
        let _ = writeln!(out, "{}", task_row(inc, t));
    }
    if !suggestions.is_empty() {
        let _ = writeln!(out, "Suggested (not yet proposed):");
        for s in suggestions {
            let _ = writeln!(
                out,
                "     {:<6} {:<5} {:<14} {}",
                s.risk.as_str(),
                s.speed.as_str(),
                s.kind.as_str(),
                sanitize::line(&s.text)
            );
        }
    }
    out.trim_end().to_string()
}

/// `incident followup ...`: the action items for after the incident.
/// `incident followup list`.
pub fn followup_list(
    ctx: &Ctx,
    out: &mut impl Write,
    which: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let file = ctx.store.resolve(which)?;
    let items = &file.incident().followups;
    if json {
        emit(out, &serde_json::to_string_pretty(items).expect("json"))?;
    } else if items.is_empty() {
        emit(
            out,
            "No follow-ups yet: `incident followup add --type prevent --owner USER TEXT`",
        )?;
    } else {
        let mut s = String::new();
        for f in items {
            let owner = f
                .owner
                .as_deref()
                .map(sanitize::line)
                .unwrap_or("NO OWNER".into());
            let state = if f.done { "done" } else { "open" };
            let from = f
                .from_task
                .map(|t| format!(" (from T{t})"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "F{:<3} {:<8} {state:<5} {owner:<12} {}{from}",
                f.id,
                f.kind.as_str(),
                sanitize::line(&f.text)
            );
        }
        emit(out, s.trim_end())?;
    }
    Ok(())
}

/// "T1   open  NO OWNER     find the root cause"; a task carried over at
/// resolve says where it went ("→ F3") and has no owner here any more.
fn task_row(inc: &crate::model::Incident, t: &crate::model::Task) -> String {
    let (state, owner) = match inc.task_state(t) {
        crate::model::TaskState::Open => (
            "open".to_string(),
            t.owner
                .as_deref()
                .map(sanitize::line)
                .unwrap_or("NO OWNER".into()),
        ),
        crate::model::TaskState::Done => (
            "done".to_string(),
            t.owner.as_deref().map(sanitize::line).unwrap_or_default(),
        ),
        crate::model::TaskState::CarriedOver(f) => (format!("→ F{f}"), "-".into()),
    };
    format!(
        "T{:<3} {state:<5} {owner:<12} {}",
        t.id,
        sanitize::line(&t.text)
    )
}

/// `incident task list`.
pub fn task_list(
    ctx: &Ctx,
    out: &mut impl Write,
    which: Option<&str>,
    json: bool,
) -> Result<(), Failure> {
    let file = ctx.store.resolve(which)?;
    let tasks = &file.incident().tasks;
    if json {
        emit(out, &serde_json::to_string_pretty(tasks).expect("json"))?;
    } else if tasks.is_empty() {
        emit(
            out,
            "No tasks yet: `incident task add --owner USER Find the root cause`",
        )?;
    } else {
        let mut s = String::new();
        for task in tasks {
            let _ = writeln!(s, "{}", task_row(file.incident(), task));
        }
        emit(out, s.trim_end())?;
    }
    Ok(())
}

/// `freeze on|off|status`; status exits 1 while any incident holds a
/// deploy freeze.
pub fn freeze(
    ctx: &Ctx,
    out: &mut impl Write,
    which: Option<&str>,
    state: &str,
    reason: Vec<String>,
    json: bool,
) -> Result<i32, Failure> {
    if json && state != "status" {
        return Err(Failure::usage(format!(
            "--json goes with `incident freeze status`, not `freeze {state}`"
        )));
    }
    match state {
        "on" => commit_op(
            ctx,
            which,
            Op::Freeze {
                reason: words(reason),
            },
        )
        .map(|_| 0),
        "off" => {
            // Without -i, and with a single freeze held somewhere (a kept
            // one, on a resolved incident), lift that one: asking for the
            // id of the only freeze there is helps nobody.
            let target = match which {
                Some(id) => Some(id.to_string()),
                None => {
                    let frozen: Vec<String> = ctx
                        .store
                        .list_active()?
                        .into_iter()
                        .filter_map(|l| match l {
                            Listed::Ok(inc) if inc.deploy_freeze().is_some() => {
                                Some(inc.id.clone())
                            }
                            _ => None,
                        })
                        .collect();
                    match frozen.as_slice() {
                        [] => None,
                        [one] => Some(one.clone()),
                        many => {
                            return Err(Failure {
                                message: format!(
                                    "deploys are frozen by {}: say which to lift with `incident freeze off -i ID`",
                                    many.join(", ")
                                ),
                                code: 2,
                            });
                        }
                    }
                }
            };
            commit_op(ctx, target.as_deref(), Op::Unfreeze).map(|_| 0)
        }
        _ => {
            let status = crate::store::freeze::freeze_status(&ctx.store.list_active()?);
            if json {
                emit(
                    out,
                    &serde_json::to_string_pretty(&status.json()).expect("json"),
                )?;
            } else {
                emit(out, &status.text())?;
            }
            Ok(status.code())
        }
    }
}

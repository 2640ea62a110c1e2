//! `incident drill`: list the scenarios, start a drill (and play it while
//! the view is open, or headless), and its debrief.

use super::{Ctx, Failure, emit, live};
use crate::drill::{self, debrief::Debrief, runner};
use crate::ops::Op;
use crate::sanitize;
use std::io::{IsTerminal, Write};
use std::sync::atomic::AtomicBool;

/// `incident drill --list`.
pub fn list(ctx: &Ctx, out: &mut impl Write) -> Result<(), Failure> {
    let (all, broken) = drill::all(ctx.store.dir());
    let width = all.iter().map(|s| s.name.len()).max().unwrap_or(0);
    let mut text = String::from("Drill scenarios (incident drill NAME [--speed N] [--no-open]):\n");
    for s in &all {
        text.push_str(&format!(
            "\n  {:<width$}  {}  {} · {} events, about {} · {}",
            s.name,
            s.severity,
            sanitize::line(&s.about),
            s.events.len(),
            crate::model::milestone::human(s.length().duration()),
            sanitize::line(&s.origin),
        ));
    }
    text.push_str(&format!(
        "\n\nYour team's own: {}/NAME.toml (the README shows the format).",
        drill::team_dir(ctx.store.dir()).display()
    ));
    emit(out, &text)?;
    for b in &broken {
        eprintln!("warning: a scenario was left out: {}", sanitize::line(b));
    }
    Ok(())
}

/// `incident drill NAME [--speed N] [--no-open]`: declare the drill
/// incident, print its id, and play it.
pub fn start(
    ctx: &Ctx,
    out: &mut impl Write,
    name: &str,
    speed: u32,
    no_open: bool,
) -> Result<i32, Failure> {
    let scenario = drill::find(ctx.store.dir(), name).map_err(Failure::usage)?;
    if !(1..=1000).contains(&speed) {
        return Err(Failure::usage(format!(
            "--speed {speed}: use 1 (real time) to 1000"
        )));
    }
    let mut then = vec![Op::StartDrill {
        scenario: scenario.name.clone(),
        speed,
    }];
    then.extend(scenario.depends.iter().map(|(system, on)| Op::Depend {
        system: system.clone(),
        on: on.clone(),
    }));
    let intro = crate::store::Intro {
        skip_broken_map: true,
        then,
        ..Default::default()
    };
    let file = ctx
        .store
        .declare_as(&ctx.me, &scenario.title, scenario.severity, intro)?;
    let id = file.incident().id.clone();
    let began = file
        .incident()
        .drill
        .as_ref()
        .map_or_else(chrono::Utc::now, |d| d.started_at);
    drop(file);
    emit(out, &id)?;
    let open = !no_open && std::io::stdout().is_terminal();
    if open {
        eprintln!(
            "DRILL {id} started: scenario {}. Others join with: incident open {id}",
            scenario.name
        );
        // The view plays it (every view open on a drill does).
        live::open(ctx, Some(id.clone()))?;
        eprintln!("The debrief: incident drill debrief {id}");
        return Ok(0);
    }
    // Headless: what happens, a line each, until the drill is resolved
    // (Ctrl-C stops playing; every step already played is on disk). Each
    // line says when on the scenario's clock, as the scenario and the
    // debrief do.
    let stop = AtomicBool::new(false);
    let mut say = |line: &str| {
        let t = (chrono::Utc::now() - began).max(chrono::Duration::zero()) * speed as i32;
        let _ = writeln!(
            std::io::stdout(),
            "+{:02}:{:02} {}",
            t.num_minutes(),
            t.num_seconds() % 60,
            sanitize::line(line)
        );
    };
    runner::play(&ctx.store, &id, &scenario, &stop, &mut say).map_err(Failure::from)?;
    let file = ctx.store.open(&id)?;
    if let Some(d) = Debrief::of(file.incident(), chrono::Utc::now()) {
        emit(out, &format!("\n{}", d.text()))?;
    }
    Ok(0)
}

/// `incident drill debrief ID [--json]`.
pub fn debrief(ctx: &Ctx, out: &mut impl Write, id: &str, json: bool) -> Result<(), Failure> {
    let file = ctx.store.open(id)?;
    let inc = file.incident();
    let Some(d) = Debrief::of(inc, chrono::Utc::now()) else {
        return Err(Failure {
            message: format!(
                "{} is not a drill: a debrief is for drills (incident drill --list); a real incident gets a post-mortem (incident export -i {})",
                inc.id, inc.id
            ),
            code: 1,
        });
    };
    if json {
        emit(out, &serde_json::to_string_pretty(&d).expect("json"))
    } else {
        emit(out, &d.text())
    }
}

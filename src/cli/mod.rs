//! The command-line interface: each subcommand turns its arguments into an
//! operation (or a read) on the store. No rules live here: they are in
//! `ops::rules`.

pub mod args;
pub(crate) mod as_of;
pub(crate) mod bleeding;
pub(crate) mod catchup;
pub mod clearance;
pub mod completion;
mod doctor;
mod document;
mod drill;
mod escalate;
pub(crate) mod live;
mod maintenance;
mod manual;
mod mitigation;
pub(crate) mod output;
mod paging;
mod progress;
mod stats;
mod tail;
mod write;

pub use crate::store::freeze::{FreezeStatus, freeze_answer, freeze_status};
pub use args::{
    Check, Cli, Command, DocAction, MitigationAction, RoleAction, SnippetAction, SystemAction,
    TaskAction, Which,
};

use crate::identity;
use crate::model::Actor;
use crate::ops::Op;
use crate::store::{IncidentFile, Listed, Store, StoreError, presence, watch::WatchMode};
use std::io::{IsTerminal, Write};
use std::time::Duration;

/// An error on its way to the user, with the exit status to use.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Failure {
            code: e.exit_code(),
            // A refusal's way out, as typed on the command line.
            message: crate::ops::Render::render(&e, crate::ops::Surface::Cli),
        }
    }
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            code: 2,
        }
    }
}

/// What every command needs: where, who, how to watch, how to look.
pub struct Ctx {
    pub store: Store,
    pub me: Actor,
    pub watch_mode: WatchMode,
    pub theme: Option<String>,
}

/// Run the command line; returns the process exit status.
pub fn main(cli: Cli) -> i32 {
    crate::tui::terminal::install_panic_hook();
    // How a bug's panic is shown to end cleanly, without a bug to hand.
    if std::env::var_os("INCIDENT_TEST_FAULT").is_some_and(|v| v == "panic") {
        panic!("a panic asked for by INCIDENT_TEST_FAULT=panic");
    }
    match run(cli) {
        Ok(code) => code,
        Err(f) => {
            // No message: nothing left to say it to (a hung-up terminal).
            if !f.message.is_empty() {
                let _ = writeln!(
                    std::io::stderr(),
                    "incident: {}",
                    crate::sanitize::text(&f.message)
                );
            }
            f.code
        }
    }
}

pub fn run(cli: Cli) -> Result<i32, Failure> {
    use args::*;
    // What packaging and shells ask for needs no incident directory.
    match &cli.command {
        Some(Command::Completions(CompletionsArgs { shell })) => {
            let mut out = std::io::stdout().lock();
            completion::write_script(shell, &mut out)
                .and_then(|()| out.flush())
                .map_err(|e| Failure {
                    message: format!("cannot write the {shell} completions: {e}"),
                    code: 1,
                })?;
            return Ok(0);
        }
        Some(Command::Man(ManArgs { out })) => {
            let pages = manual::write_pages(out).map_err(|e| Failure {
                message: format!("cannot write the manual pages into {}: {e}", out.display()),
                code: 1,
            })?;
            eprintln!("wrote {} manual pages into {}", pages.len(), out.display());
            return Ok(0);
        }
        _ => {}
    }
    let name = cli.globals.name.filter(|n| !n.is_empty());
    if let Some(n) = &name {
        crate::ops::check_user(n).map_err(|e| Failure::usage(format!("--name: {e}")))?;
    }
    let me = identity::current_as(name.as_deref());
    let mut ctx = Ctx {
        store: Store::new(cli.globals.dir.clone().unwrap_or_else(Store::default_dir)).defaulting(
            crate::store::Defaulting::new(std::env::var("INCIDENT_ID").ok(), me.clone()),
        ),
        me,
        watch_mode: WatchMode::from_flag_and_env(cli.globals.poll),
        theme: cli.globals.theme,
    };
    // A directory where appends cannot be made safe is refused before
    // anything is read or typed; on a shared one, views poll.
    let medium = crate::store::medium::check_dir(ctx.store.dir())?;
    if medium.is_shared() && ctx.watch_mode == WatchMode::Events {
        ctx.watch_mode = WatchMode::Poll(crate::store::watch::SHARED_POLL);
    }
    // Keys of `incident.toml` this version does not know (a newer
    // version's settings, typos): said once here, never refused.
    if let Ok(team) = crate::config::Team::load(ctx.store.dir()) {
        for w in &team.warnings {
            eprintln!("incident: warning: {}", crate::sanitize::text(w));
        }
    }
    if cli.demo {
        return demo(ctx, cli.command);
    }
    match cli.command {
        None => live::open(&ctx, None).map(|()| 0),
        Some(command) => dispatch(&ctx, command),
    }
}

/// `incident --demo [screen]`: the sample incident, in a directory of its own.
fn demo(mut ctx: Ctx, command: Option<Command>) -> Result<i32, Failure> {
    let dir = tempfile::Builder::new()
        .prefix("incident-demo-")
        .tempdir()
        .map_err(|e| Failure {
            message: format!("cannot create a demo directory: {e}"),
            code: 1,
        })?;
    let id = crate::demo::write(dir.path(), chrono::Utc::now())?;
    ctx.store = Store::new(dir.path());
    match command {
        None => live::open_demo(&ctx, id).map(|()| 0),
        // One frame of the demo, as `incident screen` draws.
        Some(Command::Screen(args::ScreenArgs { which, size, at })) => {
            if which.id.is_some() {
                return Err(Failure::usage(
                    "--demo shows its own sample incident: leave out -i",
                ));
            }
            let (w, h) = crate::tui::headless::parse_size(&size).map_err(Failure::usage)?;
            let text = live::demo_screen(&ctx, &id, w, h, at.as_deref())?;
            emit(&mut std::io::stdout().lock(), text.trim_end_matches('\n'))?;
            Ok(0)
        }
        Some(_) => Err(Failure::usage(
            "--demo opens the sample incident's live view (or one frame of it: \
             incident --demo screen --size 80x24); it takes no other command",
        )),
    }
}

/// Run one command: the ones that take over the terminal or wait first,
/// then reads and the command line's own work, then the shared writes.
fn dispatch(ctx: &Ctx, command: Command) -> Result<i32, Failure> {
    use args::*;
    let command = match command {
        Command::Declare(a) => return declare(ctx, a),
        Command::Open(OpenArgs { id }) => return live::open(ctx, Some(id)).map(|()| 0),
        Command::Tail(TailArgs { which, json, lines }) => {
            tail::run(&ctx.store, which.id.as_deref(), json, lines, ctx.watch_mode)?;
            return Ok(0);
        }
        Command::Run(a) => return run_command(ctx, a),
        Command::Page(PageArgs {
            source,
            open,
            json,
            file,
        }) => return paging::page(ctx, &source, open, json, file.as_deref()),
        Command::Listen(a) => return listen(ctx, a),
        Command::Mcp(a) => return crate::mcp::serve(ctx, a.which.id),
        other => other,
    };
    let mut out = std::io::stdout().lock();
    let out = &mut out;
    match command {
        Command::Screen(ScreenArgs { which, size, at }) => {
            let (w, h) = crate::tui::headless::parse_size(&size).map_err(Failure::usage)?;
            let text = live::screen(ctx, which.id.as_deref(), w, h, at.as_deref())?;
            emit(out, text.trim_end_matches('\n'))?;
        }
        Command::List(ListArgs { all, json }) => list(ctx, out, all, json)?,
        Command::Show(a) => show(ctx, out, a)?,
        Command::Announce(AnnounceArgs {
            which,
            wait,
            timeout,
            text,
        }) => {
            let (mut file, req) = clearance::announce(ctx, which.id.as_deref(), text.join(" "))?;
            emit(out, &format!("R{req}"))?;
            if wait {
                clearance::wait_for_answer(ctx, &mut file, req, Duration::from_secs(timeout))?;
                eprintln!("R{req}: go");
            }
        }
        Command::Active(ActiveArgs { short }) => return paging::active(ctx, out, short),
        Command::Maintenance(MaintenanceArgs { action }) => {
            return maintenance::run(ctx, out, action);
        }
        Command::Doctor(DoctorArgs {
            which,
            repair,
            reindex,
        }) => {
            if reindex {
                return doctor::reindex(ctx, out);
            }
            return doctor::run(ctx, out, which.id.as_deref(), repair);
        }
        Command::Doc(DocArgs { action }) => document::doc(ctx, out, action)?,
        Command::Snippet(SnippetArgs { action }) => document::snippet(ctx, out, action)?,
        Command::Update(UpdateArgs {
            which,
            external,
            every,
            text,
        }) => document::update(ctx, out, which.id.as_deref(), external, every, text)?,
        Command::Export(ExportArgs {
            which,
            format,
            output,
        }) => document::export(ctx, out, which.id.as_deref(), &format, output.as_deref())?,
        Command::System(SystemArgs {
            action: SystemAction::List { which, json },
        }) => bleeding::list(ctx, out, which.id.as_deref(), json)?,
        Command::System(SystemArgs {
            action: SystemAction::Import { which, file },
        }) => {
            commit_op(ctx, which.id.as_deref(), bleeding::read_map(&file)?)?;
        }
        Command::Bleeding(BleedingArgs { which, json }) => {
            bleeding::bleeding(ctx, out, which.id.as_deref(), json)?
        }
        Command::Mitigation(MitigationArgs { action }) => mitigation::mitigation(ctx, out, action)?,
        Command::Task(TaskArgs {
            action: TaskAction::List { which, json },
        }) => mitigation::task_list(ctx, out, which.id.as_deref(), json)?,
        Command::Followup(FollowupArgs {
            action: FollowupAction::List { which, json },
        }) => mitigation::followup_list(ctx, out, which.id.as_deref(), json)?,
        Command::Freeze(FreezeArgs {
            which,
            state,
            reason,
            json,
        }) => return mitigation::freeze(ctx, out, which.id.as_deref(), &state, reason, json),
        Command::Merge(MergeArgs { id, into }) => return merge(ctx, out, &id, &into),
        Command::Stats(StatsArgs { json }) => stats::run(ctx, out, json)?,
        Command::Drill(a) => return drill_cmd(ctx, out, a),
        Command::Milestone(MilestoneArgs {
            which,
            milestone: None,
            ..
        }) => {
            let file = ctx.store.resolve(which.id.as_deref())?;
            emit(out, &output::milestones(file.incident()))?;
        }
        Command::Catchup(CatchupArgs { which, since, json }) => {
            catchup::run(ctx, out, which.id.as_deref(), since.as_deref(), json)?
        }
        // Answered before the directory was looked at.
        Command::Completions(_) | Command::Man(_) => {}
        // Every other verb is one write, built as the bar builds it.
        other => return write::write(ctx, out, other),
    }
    Ok(0)
}

/// `incident declare`: refuse a bad template or map first, offer to join
/// a similar active incident, then declare and (on a terminal) open it.
fn declare(ctx: &Ctx, a: args::DeclareArgs) -> Result<i32, Failure> {
    let args::DeclareArgs {
        title,
        severity,
        no_open,
        force,
        systems,
        template,
    } = a;
    let mut out = std::io::stdout().lock();
    // A bad template or service map declares nothing: checked before
    // asking about a similar incident.
    crate::template::load(ctx.store.dir(), template.as_deref())
        .map_err(|e| Failure::usage(e.to_string()))?;
    if let Some(path) = &systems {
        bleeding::read_map(path)?;
    }
    if !force && let Some(existing) = ctx.store.similar_active(&title).into_iter().next() {
        let here = presence::list(ctx.store.dir(), &existing.id).len();
        let what = format!(
            "{} \"{}\" is already active ({}, IC {}, {here} here)",
            existing.id,
            crate::sanitize::line(&existing.title),
            existing.severity,
            crate::sanitize::line(existing.commander().unwrap_or("none")),
        );
        if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            eprint!("{what}. Join it instead? [Y/n] ");
            let mut answer = String::new();
            let _ = std::io::stdin().read_line(&mut answer);
            if !answer.trim().to_lowercase().starts_with('n') {
                if std::io::stdout().is_terminal() && !no_open {
                    drop(out);
                    return live::open(ctx, Some(existing.id)).map(|()| 0);
                }
                emit(&mut out, &existing.id)?;
                return Ok(0);
            }
        } else {
            eprintln!("warning: {what}; declaring a new one anyway (--force says you meant it)");
        }
    }
    let intro = crate::store::Intro {
        template,
        systems,
        ..Default::default()
    };
    let file = ctx.store.declare_as(&ctx.me, &title, severity, intro)?;
    let id = file.incident().id.clone();
    if std::io::stdout().is_terminal() {
        emit(
            &mut out,
            &format!(
                "Declared {id} ({severity}) \"{}\"",
                crate::sanitize::line(&title)
            ),
        )?;
        eprintln!("Others join with: incident open {id}");
        if !no_open {
            drop(out);
            return live::open(ctx, Some(id)).map(|()| 0);
        }
    } else {
        emit(&mut out, &id)?;
    }
    Ok(0)
}

/// `incident run -- CMD`: after the commander's go, and logged.
fn run_command(ctx: &Ctx, a: args::RunArgs) -> Result<i32, Failure> {
    let opts = clearance::RunOptions {
        clear: if a.clear {
            clearance::Clear::Always
        } else if a.no_clear {
            clearance::Clear::Never
        } else {
            clearance::Clear::Default
        },
        procedure: a.procedure,
        timeout: Duration::from_secs(a.timeout),
        mitigation: a.for_mitigation.map(|m| m.0),
        echo: true,
    };
    clearance::run(ctx, a.which.id.as_deref(), opts, a.command)
}

/// `incident listen`: the webhook door and the onlookers' page.
fn listen(ctx: &Ctx, a: args::ListenArgs) -> Result<i32, Failure> {
    let opts = crate::listen::Options {
        addr: a.addr,
        token_file: a.token_file,
        pagerduty_secret_file: a.pagerduty_secret_file,
        grafana_secret_file: a.grafana_secret_file,
        max_body: a.max_body,
        viewer_token_file: a.viewer_token_file,
        watch_mode: ctx.watch_mode,
        header_timeout: a.header_timeout,
        request_timeout: a.request_timeout,
        max_connections: a.max_connections,
        tls_cert: a.tls_cert,
        tls_key: a.tls_key,
    };
    crate::listen::run(ctx.store.clone(), ctx.me.clone(), opts)
        .map(|()| 0)
        .map_err(|e| Failure {
            message: e.message,
            code: e.code,
        })
}

/// `incident show [--at TIME] [--json]`.
fn show(ctx: &Ctx, out: &mut impl Write, a: args::ShowArgs) -> Result<(), Failure> {
    let args::ShowArgs { which, json, at } = a;
    let file = ctx.store.resolve(which.id.as_deref())?;
    if let Some(reason) = file.read_only() {
        eprintln!("note: read-only: {}", crate::sanitize::line(reason));
        if file.skipped() > 0 {
            eprintln!(
                "note: {} lines written by a newer version are not shown",
                file.skipped()
            );
        }
    }
    let inc = file.incident();
    if let Some(at) = at {
        let then = as_of::then(&file, &at)?;
        if json {
            let doc = serde_json::to_string_pretty(&then.json()).expect("json");
            return emit(out, &doc);
        }
        // Times are told from then; who had a view open then is not
        // recorded.
        let body = output::show(&then.state, then.point.at, |_| None);
        return emit(out, &format!("{}\n{body}", then.heading()));
    }
    let now = chrono::Utc::now();
    let roster = presence::roster(ctx.store.dir(), &inc.id);
    let away = |who: &str| roster.away(inc, who).minutes(now);
    let stale = crate::ops::stale_requests(inc, presence::waits(ctx.store.dir(), &inc.id));
    let text = if json {
        let mut v = output::show_json(inc, now, away);
        if let Some(map) = v.as_object_mut() {
            map.insert("stale".into(), serde_json::json!(stale));
        }
        serde_json::to_string_pretty(&v).expect("json")
    } else {
        output::show_with(inc, now, away, &stale)
    };
    emit(out, &text)
}

/// `incident drill --list | NAME | debrief ID`.
fn drill_cmd(ctx: &Ctx, out: &mut impl Write, a: args::DrillArgs) -> Result<i32, Failure> {
    let args::DrillArgs {
        list,
        scenario: name,
        id,
        speed,
        no_open,
        json,
    } = a;
    match (list, name.as_deref(), id) {
        (true, _, _) => drill::list(ctx, out)?,
        (false, Some("debrief"), Some(id)) => drill::debrief(ctx, out, &id, json)?,
        (false, Some("debrief"), None) => {
            return Err(Failure::usage(
                "incident drill debrief ID: name the drill incident (incident list --all shows them)",
            ));
        }
        (false, Some(name), None) => {
            if json {
                return Err(Failure::usage("--json goes with incident drill debrief ID"));
            }
            return drill::start(ctx, out, name, speed, no_open);
        }
        (false, Some(_), Some(extra)) => {
            return Err(Failure::usage(format!(
                "unexpected '{}': incident drill NAME takes no incident id (did you mean incident drill debrief {}?)",
                crate::sanitize::line(&extra),
                crate::sanitize::line(&extra)
            )));
        }
        (false, None, _) => {
            return Err(Failure::usage(
                "incident drill --list, or incident drill NAME",
            ));
        }
    }
    Ok(0)
}

fn list(ctx: &Ctx, out: &mut impl Write, all: bool, json: bool) -> Result<(), Failure> {
    // Only `--all` reads every incident ever written; the active ones
    // come from the directory's index.
    let listed = if all {
        let mut progress = progress::Progress::new("incidents");
        ctx.store
            .list_with_progress(&mut |done, total| progress.step(done, total))?
    } else {
        ctx.store.list_active()?
    };
    let incidents: Vec<_> = listed
        .into_iter()
        .filter_map(|l| match l {
            Listed::Ok(inc) => Some(inc),
            Listed::Broken { error, .. } => {
                eprintln!(
                    "warning: could not read an incident: {}",
                    crate::sanitize::line(&error.to_string())
                );
                None
            }
        })
        .filter(|inc| all || inc.is_active())
        .collect();
    let dir = ctx.store.dir();
    if json {
        let summaries: Vec<_> = incidents
            .iter()
            .map(|i| output::summary_json(i, &presence::list(dir, &i.id)))
            .collect();
        emit(
            out,
            &serde_json::to_string_pretty(&summaries).expect("json"),
        )
    } else {
        let now = chrono::Utc::now();
        let table = output::list_table(
            &incidents,
            all,
            now,
            |id| presence::list(dir, id).len(),
            |inc, who| presence::roster(dir, &inc.id).away(inc, who).minutes(now),
        );
        let windows = maintenance::active_lines(dir, now);
        if windows.is_empty() {
            return emit(out, &table);
        }
        emit(out, &format!("{table}\n{}", windows.join("\n")))
    }
}

/// `incident merge ID --into OTHER`: close ID as a duplicate, and record
/// it in OTHER. Exit 1 when OTHER could not record it (ID is closed all
/// the same, and the message says so).
fn merge(ctx: &Ctx, out: &mut impl Write, id: &str, into: &str) -> Result<i32, Failure> {
    let mut file = ctx.store.open(id)?;
    let close = Op::Close {
        kind: crate::model::CloseKind::Duplicate,
        into: Some(into.to_string()),
        reason: None,
    };
    let crate::store::workflow::Acted::Merged(merged) =
        crate::store::workflow::act(&mut file, &ctx.me, close)?
    else {
        return Err(Failure {
            message: format!(
                "closing as a duplicate of {into} did not merge (a bug: please report it)"
            ),
            code: 1,
        });
    };
    let id = file.incident().id.clone();
    let into = merged.into;
    emit(out, &format!("{id} closed as a duplicate of {into}"))?;
    // Teams called for help are told it is over.
    document::send_now(ctx, &mut file);
    match merged.back_link {
        Ok(()) => {
            eprintln!("{into} records {id} as its duplicate; alerts for {id} now go to {into}");
            Ok(0)
        }
        Err(e) => {
            eprintln!(
                "but {into} could not record it: {}; note it there by hand: incident log -i {into} \"{id} is a duplicate of this incident\"",
                crate::sanitize::line(&e)
            );
            Ok(1)
        }
    }
}

/// Append one operation to the incident `id` names (or the only active
/// one); say what happened on stderr when a person is watching.
/// `incident correct` / `retract`: commit, then print the entry as it
/// now reads ("INC-1 #12 [corrected] new — was: old").
fn amend(
    ctx: &Ctx,
    out: &mut impl Write,
    id: Option<&str>,
    seq: u64,
    op: Op,
) -> Result<(), Failure> {
    let file = commit_op(ctx, id, op)?;
    let inc = file.incident();
    if let Some(e) = seq.checked_sub(1).and_then(|i| inc.log.get(i as usize)) {
        emit(
            out,
            &format!(
                "{} #{seq} {}",
                inc.id,
                crate::sanitize::line(&e.plain_text())
            ),
        )?;
    }
    Ok(())
}

pub fn commit_op(ctx: &Ctx, id: Option<&str>, op: Op) -> Result<IncidentFile, Failure> {
    let mut file = ctx.store.resolve(id)?;
    file.commit(&ctx.me, op)?;
    if std::io::stderr().is_terminal() {
        let inc = file.incident();
        if let Some(e) = inc.log.last() {
            eprintln!("{}: {}", inc.id, crate::sanitize::line(&e.text));
        }
    }
    Ok(file)
}

/// Write to stdout; a closed pipe (`| head`) ends quietly.
pub(super) fn emit(out: &mut impl Write, text: &str) -> Result<(), Failure> {
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            message: format!("cannot write to standard output: {e}"),
            code: 1,
        }),
    }
}

//! The command-line interface: each subcommand turns its arguments into an
//! operation (or a read) on the store. No rules live here.

mod args;
mod live;
mod output;
mod tail;

pub use args::{Cli, Command, RoleAction, Which};

use crate::identity;
use crate::ops::Op;
use crate::store::{Listed, Store, StoreError, presence, watch::WatchMode};
use std::io::{IsTerminal, Write};

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
            message: e.to_string(),
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

/// Run the command line; returns the process exit status.
pub fn main(cli: Cli) -> i32 {
    crate::tui::terminal::install_panic_hook();
    match run(cli) {
        Ok(()) => 0,
        Err(f) => {
            eprintln!("incident: {}", crate::sanitize::text(&f.message));
            f.code
        }
    }
}

pub fn run(cli: Cli) -> Result<(), Failure> {
    let watch_mode = WatchMode::from_flag_and_env(cli.poll);
    if cli.demo {
        let dir = tempfile::Builder::new()
            .prefix("incident-demo-")
            .tempdir()
            .map_err(|e| Failure {
                message: format!("cannot create a demo directory: {e}"),
                code: 1,
            })?;
        let id = crate::demo::write(dir.path(), chrono::Utc::now())?;
        let store = Store::new(dir.path());
        return live::open(store, Some(id), cli.theme.as_deref(), watch_mode);
    }
    let store = Store::new(cli.dir.clone().unwrap_or_else(Store::default_dir));
    let Some(command) = cli.command else {
        return live::open(store, None, cli.theme.as_deref(), watch_mode);
    };
    let mut out = std::io::stdout().lock();
    match command {
        Command::Declare {
            title,
            severity,
            no_open,
        } => {
            let me = identity::current();
            let file = store.declare(&me, &title, severity)?;
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
                    return live::open(store, Some(id), cli.theme.as_deref(), watch_mode);
                }
            } else {
                emit(&mut out, &id)?;
            }
        }
        Command::Open { id } => {
            drop(out);
            return live::open(store, Some(id), cli.theme.as_deref(), watch_mode);
        }
        Command::Screen { which, size } => {
            let (w, h) = crate::tui::headless::parse_size(&size).map_err(Failure::usage)?;
            let text = live::screen(&store, which.id.as_deref(), cli.theme.as_deref(), w, h)?;
            emit(&mut out, text.trim_end_matches('\n'))?;
        }
        Command::List { all, json } => {
            let listed = store.list()?;
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
            if json {
                let summaries: Vec<_> = incidents
                    .iter()
                    .map(|i| output::summary_json(i, &presence::list(store.dir(), &i.id)))
                    .collect();
                emit(
                    &mut out,
                    &serde_json::to_string_pretty(&summaries).expect("json"),
                )?;
            } else {
                emit(
                    &mut out,
                    &output::list_table(&incidents, all, chrono::Utc::now(), |id| {
                        presence::list(store.dir(), id).len()
                    }),
                )?;
            }
        }
        Command::Log { which, kind, text } => {
            let text = text.join(" ");
            commit(&store, &which, Op::Log { kind, text })?;
        }
        Command::Show { which, json } => {
            let file = store.resolve(which.id.as_deref())?;
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
            if json {
                emit(&mut out, &serde_json::to_string_pretty(inc).expect("json"))?;
            } else {
                emit(&mut out, &output::show(inc, chrono::Utc::now()))?;
            }
        }
        Command::Tail { which, json, lines } => {
            drop(out);
            tail::run(&store, which.id.as_deref(), json, lines, watch_mode)?;
        }
        Command::Role { action } => match action {
            RoleAction::Set { which, role, user } => {
                commit(
                    &store,
                    &which,
                    Op::SetRole {
                        role,
                        user: Some(user),
                    },
                )?;
            }
            RoleAction::Clear { which, role } => {
                commit(&store, &which, Op::SetRole { role, user: None })?;
            }
        },
        Command::Status { which, status } => commit(&store, &which, Op::SetStatus { status })?,
        Command::Severity { which, severity } => {
            commit(&store, &which, Op::SetSeverity { severity })?
        }
    }
    Ok(())
}

/// Append one operation to the incident `which` names; say what happened
/// on stderr when a person is watching.
fn commit(store: &Store, which: &Which, op: Op) -> Result<(), Failure> {
    let mut file = store.resolve(which.id.as_deref())?;
    let me = identity::current();
    file.commit(&me, op)?;
    if std::io::stderr().is_terminal() {
        let inc = file.incident();
        if let Some(e) = inc.log.last() {
            eprintln!("{}: {}", inc.id, crate::sanitize::line(&e.text));
        }
    }
    Ok(())
}

/// Write to stdout; a closed pipe (`| head`) ends quietly.
fn emit(out: &mut impl Write, text: &str) -> Result<(), Failure> {
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure {
            message: format!("cannot write to standard output: {e}"),
            code: 1,
        }),
    }
}

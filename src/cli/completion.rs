//! Shell completions through clap_complete's dynamic engine: the script a
//! shell loads only registers `incident` as its own completer, and each
//! Tab runs `COMPLETE=<shell> incident -- <words>`, so subcommands and
//! options come from the same clap definitions as the parser, and incident
//! ids are read from the incident directory at that moment.

use super::Cli;
use crate::store::{Listed, Store};
use crate::verbs::complete::{Bar, Known};
use clap::CommandFactory;
use clap_complete::engine::{ArgValueCandidates, CompletionCandidate};
use clap_complete::env::{Bash, CompleteEnv, EnvCompleter, Fish, Zsh};
use std::ffi::OsString;
use std::path::PathBuf;

/// The environment variable the registered scripts set on each Tab.
const VAR: &str = "COMPLETE";

/// Answer a shell that is asking for completions, and exit; otherwise
/// return at once. Runs before anything is parsed or printed.
pub fn answer_shell() {
    CompleteEnv::with_factory(|| with_known(Cli::command()))
        .var(VAR)
        .bin("incident")
        .complete();
}

/// Write the script that makes `shell` complete `incident`, calling the
/// `incident` found on the PATH.
pub fn write_script(shell: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let completer: &dyn EnvCompleter = match shell {
        "bash" => &Bash,
        "zsh" => &Zsh,
        "fish" => &Fish,
        other => {
            return Err(std::io::Error::other(format!(
                "no completions for the shell '{other}': use bash, zsh or fish"
            )));
        }
    };
    completer.write_registration(VAR, "incident", "incident", "incident", out)?;
    if shell == "zsh" {
        // Installed on the fpath as `_incident`, zsh autoloads this file as
        // that function on the first Tab: complete right away then, as
        // well as registering for the next ones. Sourced, it only registers.
        writeln!(
            out,
            "if [ \"$funcstack[1]\" = \"_incident\" ]; then _clap_dynamic_completer_incident \"$@\"; fi"
        )?;
    }
    Ok(())
}

/// Completes an incident id: the incidents in the directory the command
/// line names (`--dir`), else `$INCIDENT_DIR`, newest first, each with its
/// title.
pub fn incident_ids() -> ArgValueCandidates {
    ArgValueCandidates::new(|| {
        let dir = dir_in_words(std::env::args_os()).unwrap_or_else(Store::default_dir);
        let store = Store::new(dir);
        // The active ones with their titles (from the index, quick); the
        // rest by id only, so a Tab never reads a year of incidents.
        let mut out: Vec<CompletionCandidate> = store
            .list_active()
            .unwrap_or_default()
            .into_iter()
            .filter_map(|listed| match listed {
                Listed::Ok(inc) => {
                    let help = format!("{} ({})", crate::sanitize::line(&inc.title), inc.status);
                    Some(CompletionCandidate::new(inc.id.clone()).help(Some(help.into())))
                }
                Listed::Broken { .. } => None,
            })
            .collect();
        let shown: std::collections::BTreeSet<String> = out
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
        out.extend(
            store
                .ids()
                .unwrap_or_default()
                .into_iter()
                .rev()
                .filter(|id| !shown.contains(id))
                .map(CompletionCandidate::new),
        );
        out
    })
}

/// The command line with what the bar completes from the view (people,
/// systems, `M3`, `A2`, `#42`: the `Bar` marks on the definitions)
/// completed in the shell too, from the incident the line names (`-i`),
/// else the only active one.
pub fn with_known(cmd: clap::Command) -> clap::Command {
    cmd.mut_args(|a| match a.get::<Bar>().copied() {
        Some(what) => a.add(ArgValueCandidates::new(move || {
            known_on_the_line()
                .map(|k| k.of(what))
                .unwrap_or_default()
                .into_iter()
                .map(CompletionCandidate::new)
                .collect()
        })),
        None => a,
    })
    .mut_subcommands(with_known)
}

/// What the incident the line being completed names holds, if it reads.
fn known_on_the_line() -> Option<Known> {
    let words = line_words(std::env::args_os());
    let dir = dir_in_words(std::env::args_os()).unwrap_or_else(Store::default_dir);
    let id = value_in(&words, "--incident", Some("-i"));
    let teams = crate::config::Team::load(&dir)
        .map(|t| t.responders.into_iter().map(|r| r.name).collect())
        .unwrap_or_default();
    let file = Store::new(dir).resolve(id.as_deref()).ok()?;
    Some(Known {
        teams,
        ..Known::of_incident(file.incident())
    })
}

/// Completes one of a closed vocabulary (roles, severities, statuses) by
/// its canonical names.
pub fn words<T: std::fmt::Display + Sync>(all: &'static [T]) -> ArgValueCandidates {
    ArgValueCandidates::new(move || {
        all.iter()
            .map(|w| CompletionCandidate::new(w.to_string()))
            .collect()
    })
}

/// The words of the line being completed: the shell passes them after a
/// `--`.
fn line_words(args: impl IntoIterator<Item = OsString>) -> Vec<String> {
    args.into_iter()
        .map(|a| a.to_string_lossy().into_owned())
        .skip_while(|a| a != "--")
        .skip(1)
        .collect()
}

/// The last value given to option `long` (or `short`) among `words`.
fn value_in(words: &[String], long: &str, short: Option<&str>) -> Option<String> {
    let mut found = None;
    for (i, w) in words.iter().enumerate() {
        if let Some(v) = w.strip_prefix(long).and_then(|v| v.strip_prefix('=')) {
            found = Some(v.to_string());
        } else if (w == long || Some(w.as_str()) == short)
            && let Some(v) = words.get(i + 1)
        {
            found = Some(v.clone());
        }
    }
    found.filter(|v| !v.is_empty())
}

/// The `--dir` given on the command line being completed.
fn dir_in_words(args: impl IntoIterator<Item = OsString>) -> Option<PathBuf> {
    let dir = value_in(&line_words(args), "--dir", None)?;
    // The shell has not expanded a `~` in a word still being typed.
    match dir.strip_prefix("~/") {
        Some(rest) => dirs::home_dir().map(|h| h.join(rest)),
        None => Some(PathBuf::from(dir)),
    }
}

#[cfg(test)]
mod tests {
    use super::dir_in_words;
    use std::path::PathBuf;

    fn words(s: &str) -> Vec<std::ffi::OsString> {
        s.split(' ').map(Into::into).collect()
    }

    #[test]
    fn the_dir_named_on_the_line_being_completed_is_where_ids_come_from() {
        let got = dir_in_words(words("incident -- incident --dir /srv/x open "));
        assert_eq!(got, Some(PathBuf::from("/srv/x")));
        let got = dir_in_words(words("incident -- incident open --dir=/srv/y "));
        assert_eq!(got, Some(PathBuf::from("/srv/y")));
        // Only the words after `--` are the user's line.
        assert_eq!(
            dir_in_words(words("incident --dir /a -- incident open ")),
            None
        );
        assert_eq!(dir_in_words(words("incident -- incident open ")), None);
    }
}

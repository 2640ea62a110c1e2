//! Tab in the bar, the help overlay's list of `:` commands and the bar's
//! usage lines, all read from the verbs' definitions: the clap arguments
//! (with what completes each) and the short forms' table.

use super::bar::{NOT_IN_THE_BAR, VERBS, command};
use super::shorts::{SHORTS, find};
use crate::model::{MitigationKind, Risk, Role, Severity, Speed, SystemStatus};
use clap_complete::engine::ArgValueCandidates;

/// What completes an argument in the bar, from what the view knows (the
/// shell completes these as plain words).
#[derive(Debug, Clone, Copy)]
pub enum Bar {
    People,
    Systems,
    /// The teams of `[[responders]]`, to call for help.
    Teams,
    /// References with this letter: `M` mitigations, `T` tasks, `F`
    /// follow-ups, `R` requests, `A` assumptions, `#` log entries.
    Refs(char),
}

impl clap::builder::ArgExt for Bar {}

/// What the command bar can complete besides its own words: who is
/// around, the systems, and the references (`M3`, `T1`, `R2`, `A1`, `#42`)
/// of what is open in the incident.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub people: Vec<String>,
    pub systems: Vec<String>,
    /// Mitigations (`M1`...), tasks (`T1`...), requests still waiting
    /// (`R1`...), assumptions still open (`A1`...) and recent log entries
    /// (`#1`...), each as typed.
    pub refs: Vec<String>,
    /// The teams that can be called for help (`[[responders]]`).
    pub teams: Vec<String>,
}

impl Known {
    /// The references of `inc` worth completing: all mitigations, tasks
    /// and follow-ups, the requests and assumptions still open, the last
    /// 50 log entries.
    pub fn refs_of(inc: &crate::model::Incident) -> Vec<String> {
        let mut refs: Vec<String> = Vec::new();
        refs.extend((1..=inc.mitigations.len()).map(|i| format!("M{i}")));
        refs.extend((1..=inc.tasks.len()).map(|i| format!("T{i}")));
        refs.extend(inc.followups.iter().map(|f| format!("F{}", f.id)));
        refs.extend(inc.pending_requests().map(|r| format!("R{}", r.id)));
        refs.extend(
            inc.assumptions
                .iter()
                .enumerate()
                .filter(|(_, a)| a.state == crate::model::AssumptionState::Unverified)
                .map(|(i, _)| format!("A{}", i + 1)),
        );
        refs.extend(inc.log.iter().rev().take(50).map(|e| format!("#{}", e.seq)));
        refs
    }

    /// What an incident file holds to complete from (the shell's Tab):
    /// the people holding roles or in the log, its systems, its references.
    pub fn of_incident(inc: &crate::model::Incident) -> Known {
        let mut people: Vec<String> = inc.roles.values().map(|h| h.user.clone()).collect();
        people.extend(inc.log.iter().rev().take(500).map(|e| e.by.clone()));
        people.sort();
        people.dedup();
        Known {
            people,
            systems: inc.systems.keys().cloned().collect(),
            refs: Known::refs_of(inc),
            teams: Vec::new(),
        }
    }

    /// The words that complete an argument marked `what`.
    pub fn of(&self, what: Bar) -> Vec<String> {
        match what {
            Bar::People => self.people.clone(),
            Bar::Systems => self.systems.clone(),
            Bar::Teams => self.teams.clone(),
            Bar::Refs(c) => self
                .refs
                .iter()
                .filter(|r| r.starts_with(c))
                .cloned()
                .collect(),
        }
    }
}

/// The words that may start a bar line: the short forms and the command
/// line's verbs the bar takes, with their aliases.
pub fn first_words() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in SHORTS {
        out.push(s.name.to_string());
        out.extend(s.aliases.iter().map(|a| a.to_string()));
    }
    for v in VERBS {
        if let Some(c) = command().find_subcommand(v) {
            out.push(c.get_name().to_string());
            out.extend(c.get_all_aliases().map(str::to_string));
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|w| seen.insert(w.clone()));
    out
}

/// The values an argument's definition names: its own completer (roles,
/// statuses, ...), its possible values, or what the view knows.
fn values(arg: &clap::Arg, known: &Known) -> Vec<String> {
    if let Some(b) = arg.get::<Bar>() {
        return known.of(*b);
    }
    if let Some(c) = arg.get::<ArgValueCandidates>() {
        return c
            .candidates()
            .iter()
            .map(|c| c.get_value().to_string_lossy().into_owned())
            .collect();
    }
    arg.get_possible_values()
        .iter()
        .filter(|p| !p.is_hide_set())
        .map(|p| p.get_name().to_string())
        .collect()
}

/// An argument as the usage shows it: `ROLE`, `[REASON]...`,
/// `investigating|mitigated|resolved`.
fn shown(arg: &clap::Arg) -> String {
    let name = arg
        .get_value_names()
        .and_then(|n| n.first())
        .map(|n| n.to_string())
        .unwrap_or_else(|| arg.get_id().as_str().to_ascii_uppercase());
    let closed = values(arg, &Known::default());
    let name = if (2..=4).contains(&closed.len()) && arg.get::<Bar>().is_none() {
        closed.join("|")
    } else {
        name
    };
    let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
    let name = if many { format!("{name}...") } else { name };
    if arg.is_required_set() {
        name
    } else {
        format!("[{name}]")
    }
}

/// `role claim ROLE`, `status investigating|mitigated|resolved [--force]
/// [--keep-freeze]`: a verb's path and what it takes in the bar (not
/// `-i`, `--json` or the global options).
pub fn usage_of(path: &[String]) -> String {
    let mut cmd = command();
    for p in path {
        match cmd.find_subcommand(p) {
            Some(c) => cmd = c,
            None => break,
        }
    }
    let mut parts: Vec<String> = path.to_vec();
    if cmd.has_subcommands() {
        let subs: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
        parts.push(subs.join("|"));
    }
    parts.extend(cmd.get_positionals().map(shown));
    for a in cmd.get_arguments().filter(|a| {
        !a.is_positional()
            && !a.is_global_set()
            && !a.is_hide_set()
            && !matches!(a.get_id().as_str(), "id" | "json" | "help" | "version")
    }) {
        let Some(long) = a.get_long() else { continue };
        let takes = a.get_num_args().is_some_and(|n| n.takes_values());
        let value = a
            .get_value_names()
            .and_then(|n| n.first())
            .map(|n| n.to_string())
            .unwrap_or_else(|| a.get_id().as_str().to_ascii_uppercase());
        parts.push(if takes {
            format!("[--{long} {value}]")
        } else {
            format!("[--{long}]")
        });
    }
    parts.join(" ")
}

/// The `:` commands for the help overlay: each short form (with the
/// command line's words it stands for), then each verb of the command
/// line the bar takes. Each is (usage, what it does).
pub fn listing() -> &'static [(String, String)] {
    static LIST: std::sync::OnceLock<Vec<(String, String)>> = std::sync::OnceLock::new();
    LIST.get_or_init(|| {
        let mut out = Vec::new();
        for s in SHORTS {
            let usage = format!(":{} {}", s.name, s.usage).trim_end().to_string();
            let help = match &s.to {
                super::shorts::To::Words(w) => {
                    let w: Vec<&str> = w.iter().copied().filter(|w| *w != "--").collect();
                    format!("{} (= :{} {})", s.help, w.join(" "), s.usage)
                        .trim_end_matches(' ')
                        .replace(" )", ")")
                }
                _ => s.help.to_string(),
            };
            out.push((usage, help));
        }
        for v in VERBS {
            let Some(c) = command().find_subcommand(v) else {
                continue;
            };
            let mut add = |path: Vec<String>, c: &clap::Command| {
                let about = c.get_about().map(|a| a.to_string()).unwrap_or_default();
                out.push((format!(":{}", usage_of(&path)), about));
            };
            if c.has_subcommands() {
                for s in c.get_subcommands() {
                    if NOT_IN_THE_BAR.contains(&format!("{v} {}", s.get_name()).as_str()) {
                        continue;
                    }
                    add(vec![v.to_string(), s.get_name().to_string()], s);
                }
            } else {
                add(vec![v.to_string()], c);
            }
        }
        out
    })
}

/// Complete the word being typed in `input` (which starts with ':').
/// Returns the new input, and the candidates when more than one remains.
pub fn complete(input: &str, people: &[String], systems: &[String]) -> (String, Vec<String>) {
    complete_with(
        input,
        &Known {
            people: people.to_vec(),
            systems: systems.to_vec(),
            refs: Vec::new(),
            teams: Vec::new(),
        },
    )
}

/// The candidates for argument `token` of a short form's usage (`ROLE`,
/// `USER`, `M#|T#`, `#N`, ...).
fn by_token(token: &str, known: &Known) -> Vec<String> {
    let token = token.trim_matches(|c| c == '[' || c == ']');
    let mut out = Vec::new();
    for part in token.split('|') {
        match part {
            "ROLE" => {
                out.extend(["ic", "comms"].map(String::from));
                out.extend(Role::ALL.iter().map(|r| r.as_str().to_string()));
            }
            "USER" => out.extend(known.people.iter().cloned()),
            "-" => out.push("-".into()),
            "NAME" | "A" | "B" => out.extend(known.systems.iter().cloned()),
            "STATUS" => out.extend(SystemStatus::ALL.iter().map(|s| s.as_str().to_string())),
            "M#" => out.extend(known.of(Bar::Refs('M'))),
            "T#" => out.extend(known.of(Bar::Refs('T'))),
            "F#" => out.extend(known.of(Bar::Refs('F'))),
            "R#" => out.extend(known.of(Bar::Refs('R'))),
            "A#" => out.extend(known.of(Bar::Refs('A'))),
            "#N" => out.extend(known.of(Bar::Refs('#'))),
            "SEV1..SEV4" => out.extend(Severity::ALL.iter().map(|s| s.as_str().to_string())),
            "KIND" => out.extend(MitigationKind::ALL.iter().map(|k| k.as_str().to_string())),
            "MILESTONE" => out.extend(
                crate::model::Milestone::ALL
                    .iter()
                    .map(|k| k.as_str().to_string()),
            ),
            "SECTION" => out.extend(
                crate::model::Section::ALL
                    .iter()
                    .map(|s| s.as_str().to_string()),
            ),
            "RISK" => out.extend(Risk::ALL.iter().map(|k| k.as_str().to_string())),
            "SPEED" => out.extend(Speed::ALL.iter().map(|k| k.as_str().to_string())),
            _ => {}
        }
    }
    out
}

/// The candidates after a short form's name and `rest` of its words.
fn short_candidates(name: &str, rest: &[&str], known: &Known) -> Vec<String> {
    let Some(s) = find(name) else {
        return Vec::new();
    };
    match s.name {
        "dep" | "undep" if rest.len() <= 2 && !rest.is_empty() => known
            .systems
            .iter()
            .cloned()
            .chain(["->".to_string()])
            .collect(),
        // Leading words are the kind, risk and speed, then text.
        "mit" => ["KIND", "RISK", "SPEED"]
            .iter()
            .skip(rest.len())
            .flat_map(|t| by_token(t, known))
            .collect(),
        _ => s
            .usage
            .split_whitespace()
            .nth(rest.len())
            .map(|t| by_token(t, known))
            .unwrap_or_default(),
    }
}

/// The candidates after the command line's words `done`: a subcommand's
/// name, or the values of the next positional argument.
fn verb_candidates(done: &[&str], known: &Known) -> Vec<String> {
    let mut cmd = command();
    let mut given = 0;
    let mut skip = false;
    for w in done {
        if skip {
            skip = false;
            continue;
        }
        if given == 0
            && let Some(sub) = cmd.find_subcommand(w)
        {
            cmd = sub;
            continue;
        }
        if let Some(long) = w.strip_prefix("--") {
            skip = cmd.get_arguments().any(|a| {
                a.get_long() == Some(long) && a.get_num_args().is_some_and(|n| n.takes_values())
            });
            continue;
        }
        given += 1;
    }
    if cmd.has_subcommands() && given == 0 {
        let path = done.first().map(|v| v.to_string()).unwrap_or_default();
        return cmd
            .get_subcommands()
            .map(|s| s.get_name().to_string())
            .filter(|s| !NOT_IN_THE_BAR.contains(&format!("{path} {s}").as_str()))
            .collect();
    }
    cmd.get_positionals()
        .nth(given)
        .map(|a| values(a, known))
        .unwrap_or_default()
}

/// Complete the word being typed in `input` (which starts with ':') from
/// the verb's definition: roles, people, systems, statuses and references.
/// Returns the new input, and the candidates when more than one remains.
pub fn complete_with(input: &str, known: &Known) -> (String, Vec<String>) {
    let body = input.strip_prefix(':').unwrap_or(input);
    let words: Vec<&str> = body.split(' ').collect();
    let (done, partial) = words.split_at(words.len() - 1);
    let partial = partial[0];
    let candidates: Vec<String> = match done {
        [] => first_words(),
        [cmd, rest @ ..] => {
            let verb = command()
                .find_subcommand(cmd)
                .filter(|v| VERBS.contains(&v.get_name()));
            let mut c = short_candidates(cmd, rest, known);
            if verb.is_some() && (c.is_empty() || rest.is_empty()) {
                c.extend(verb_candidates(done, known));
            }
            c
        }
    };
    let lower = partial.to_lowercase();
    let mut seen = std::collections::HashSet::new();
    let hits: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.to_lowercase().starts_with(&lower) && seen.insert(c.clone()))
        .collect();
    let prefix = |s: &str| {
        format!(
            ":{}{}",
            done.iter().map(|w| format!("{w} ")).collect::<String>(),
            s
        )
    };
    match hits.as_slice() {
        [] => (input.to_string(), Vec::new()),
        [one] => (prefix(&format!("{one} ")), Vec::new()),
        many => {
            let common = longest_common_prefix(many);
            let next = if common.chars().count() > partial.chars().count() {
                prefix(&common)
            } else {
                input.to_string()
            };
            (next, many.to_vec())
        }
    }
}

fn longest_common_prefix(words: &[String]) -> String {
    let first = &words[0];
    let mut end = first.len();
    for w in &words[1..] {
        end = first
            .char_indices()
            .zip(w.chars())
            .take_while(|((_, a), b)| a.eq_ignore_ascii_case(b))
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    first[..end].to_string()
}

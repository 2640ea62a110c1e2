//! The `:` bar: its words are parsed by the command line's own clap
//! definitions (after a short form, if one was typed, is expanded), and
//! built by [`super::build`]. It never prints or exits: a mistake, or a
//! request for help, comes back as one line.

use super::shorts::{self, Short, To};
use super::{Act, Built, Said, Tok};
use crate::cli::{Cli, Command};
use clap::{CommandFactory, FromArgMatches};
use std::sync::OnceLock;

/// What the bar refuses of those verbs: a read or a file the view has
/// its own way to (the panes, `:doc`), listed nowhere in the bar.
pub const NOT_IN_THE_BAR: &[&str] = &[
    "system list",
    "system import",
    "task list",
    "followup list",
    "mitigation suggest",
];

/// The command line's verbs the bar takes (the rest read, wait or print:
/// they are for a shell).
pub const VERBS: &[&str] = &[
    "log",
    "role",
    "announce",
    "answer",
    "status",
    "severity",
    "system",
    "assume",
    "verify",
    "refute",
    "impact",
    "mitigation",
    "task",
    "followup",
    "freeze",
    "break",
    "food",
    "escalate",
    "detach",
    "update",
    "pin",
    "unpin",
    "snippet",
    "doc",
    "milestone",
    "catchup",
    "cancel",
    "correct",
    "retract",
    "maintenance",
];

/// The bar's clap command: the command line's, with free text taken as
/// typed (`:update --externals are fine` is text) and the shell's verbs
/// hidden. Built once.
pub fn command() -> &'static clap::Command {
    static CMD: OnceLock<clap::Command> = OnceLock::new();
    CMD.get_or_init(|| {
        let mut cmd = Cli::command()
            .no_binary_name(true)
            .disable_help_subcommand(true)
            .disable_version_flag(true)
            .mut_subcommands(|s| {
                let hide = !VERBS.contains(&s.get_name());
                free_text(s.hide(hide))
            });
        cmd.build();
        cmd
    })
}

/// Free text at the end of a verb takes what follows as typed, dashes too.
fn free_text(cmd: clap::Command) -> clap::Command {
    cmd.mut_args(|a| {
        let free = a.is_positional()
            && a.get_value_names().is_some_and(|n| {
                n.iter().any(|n| {
                    matches!(
                        n.as_str(),
                        "TEXT" | "REASON" | "EVIDENCE" | "RESULT" | "NOTE" | "MESSAGE"
                    )
                })
            });
        if free { a.allow_hyphen_values(true) } else { a }
    })
    .mut_subcommands(free_text)
}

/// The line's words: split at spaces, a word that starts with a quote
/// running to the matching quote at a word's end (`--evidence "pool
/// exhausted"`). A lone quote or an apostrophe (`don't`) is a letter.
pub fn tokens(line: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let q = b[i];
        if q == b'"' || q == b'\'' {
            // The closing quote: followed by a space or the end.
            let close = (i + 1..b.len())
                .find(|&j| b[j] == q && b.get(j + 1).is_none_or(|c| c.is_ascii_whitespace()));
            if let Some(j) = close {
                out.push(Tok {
                    text: line[i + 1..j].to_string(),
                    start,
                    end: j + 1,
                });
                i = j + 1;
                continue;
            }
        }
        while i < b.len() && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        out.push(Tok {
            text: line[start..i].to_string(),
            start,
            end: i,
        });
    }
    out
}

/// Parse the text after `:`, typed by `me`.
pub fn parse(line: &str, me: &str) -> Result<Act, String> {
    let toks = tokens(line);
    let Some(first) = toks.first() else {
        return Err(unknown(""));
    };
    let word = first.text.to_ascii_lowercase();
    let args: Vec<String> = toks[1..].iter().map(|t| t.text.clone()).collect();
    let said = Said::Bar { line, toks: &toks };
    let short = shorts::find(&word);
    let verb = command().find_subcommand(&word);
    if let Some(v) = verb.filter(|v| short.is_none() && !VERBS.contains(&v.get_name())) {
        return Err(format!(
            "`:{}` is for a shell: run `incident {} ...` there",
            v.get_name(),
            v.get_name()
        ));
    }
    let verb = verb.filter(|v| VERBS.contains(&v.get_name()));
    match (short, verb) {
        (None, None) => Err(unknown(&word)),
        (None, Some(_)) => words(toks.iter().map(|t| t.text.clone()).collect(), me, &said)
            .map_err(|e| e.line(None)),
        (Some(s), None) => expand(s, &args, line, &toks, me, &said),
        (Some(s), Some(_)) => {
            // The command line's words first (`:freeze on`, `:role claim
            // ic`), else the short form's (`:freeze bad deploy`).
            // When neither parses, the error of the form meant: the
            // command line's if its next word is one of the verb's own.
            let cli = words(toks.iter().map(|t| t.text.clone()).collect(), me, &said);
            match cli {
                Ok(act) => Ok(act),
                // The words parsed as the command line's: that was meant.
                Err(e) if e.parsed => Err(e.line(None)),
                Err(e) => match expand(s, &args, line, &toks, me, &said) {
                    Ok(act) => Ok(act),
                    Err(_) if e.named => Err(e.line(None)),
                    Err(short) => Err(short),
                },
            }
        }
    }
}

/// A short form, expanded and parsed.
fn expand(
    s: &Short,
    args: &[String],
    line: &str,
    toks: &[Tok],
    me: &str,
    said: &Said,
) -> Result<Act, String> {
    let usage = || {
        format!("usage: :{} {}", s.name, s.usage)
            .trim_end()
            .to_string()
    };
    let or_usage = |e: String| if e.is_empty() { usage() } else { e };
    let expanded = match &s.to {
        To::Words(pre) => pre
            .iter()
            .map(|w| w.to_string())
            .chain(args.iter().cloned())
            .collect(),
        To::Expand(f) => f(args).map_err(or_usage)?,
        // A view verb that takes nothing takes nothing (`:doc set ...`
        // is the command line's, refused above, not the document view).
        To::View(_) if s.usage.is_empty() && !args.is_empty() => return Err(usage()),
        To::View(f) => {
            let rest = toks
                .get(1)
                .map(|t| line[t.start..].trim_end())
                .unwrap_or("");
            return f(args, rest).map_err(or_usage);
        }
    };
    words(expanded, me, said).map_err(|e| e.line(Some(&usage())))
}

/// Why the command line's words did not parse.
struct Mistake {
    /// The one line, when it stands without the usage.
    message: Option<String>,
    /// The verb's path and usage (`:role claim ROLE`).
    usage: String,
    /// The first word after the verb named one of its own (a subcommand,
    /// or a value it takes): the command line's form was meant.
    named: bool,
    /// The words parsed; what they ask for was refused.
    parsed: bool,
}

impl Mistake {
    fn line(self, short_usage: Option<&str>) -> String {
        match self.message {
            Some(m) => m,
            None => short_usage.map_or(self.usage, str::to_string),
        }
    }
}

/// Parse the command line's words and build what they ask for.
fn words(words: Vec<String>, me: &str, said: &Said) -> Result<Act, Mistake> {
    let (path, named) = path_of(&words);
    let usage = format!("usage: :{}", super::complete::usage_of(&path));
    let unparsed = |e: clap::Error| Mistake {
        message: clap_message(&e, &usage),
        usage: usage.clone(),
        named,
        parsed: false,
    };
    let matches = command()
        .clone()
        .try_get_matches_from(&words)
        .map_err(unparsed)?;
    let cli = Cli::from_arg_matches(&matches).map_err(unparsed)?;
    let mistake = |message: Option<String>| Mistake {
        message,
        usage: usage.clone(),
        named,
        parsed: true,
    };
    if cli.globals.dir.is_some() || cli.demo {
        return Err(mistake(Some(
            "--dir and --demo are for a shell: the view acts on its own incident".into(),
        )));
    }
    let Some(command) = cli.command else {
        return Err(mistake(None));
    };
    let act = match command {
        // What the bar shows rather than prints.
        Command::Catchup(a) if a.which.id.is_none() => Act::CatchUp { since: a.since },
        Command::Mitigation(crate::cli::args::MitigationArgs {
            action: super::MitigationAction::List { which, .. },
        }) if which.id.is_none() => Act::Mitigations,
        Command::Doc(crate::cli::args::DocArgs {
            action: crate::cli::DocAction::Show { which, .. },
        }) if which.id.is_none() => Act::Doc,
        other => match super::build(other, me, said) {
            Built::Act(which, _) if which.id.is_some() => {
                return Err(mistake(Some(
                    "-i: the view acts on its own incident (open the other one to act there)"
                        .into(),
                )));
            }
            Built::Act(_, act) => act,
            Built::Refused(m) if m.is_empty() => return Err(mistake(None)),
            Built::Refused(m) => return Err(mistake(Some(m))),
            Built::Other(_) => {
                // With the word that made it so (`:freeze status`, where
                // `:freeze on` works in the bar).
                let shell = match words.get(path.len()).filter(|_| named) {
                    Some(w) => format!("{} {w}", path.join(" ")),
                    None => path.join(" "),
                };
                let run = if named {
                    shell.clone()
                } else {
                    format!("{shell} ...")
                };
                return Err(mistake(Some(format!(
                    "`:{shell}` is for a shell: run `incident {run}` there"
                ))));
            }
        },
    };
    if let Act::Op(
        crate::ops::Op::Verify { evidence, .. } | crate::ops::Op::Refute { evidence, .. },
    ) = &act
        && evidence.text.trim().is_empty()
        && evidence.entry.is_none()
    {
        return Err(mistake(Some(format!("{usage}: say how you checked it"))));
    }
    Ok(act)
}

/// The verb path the words name (`role claim`), and whether the word
/// after the verb is one of its own.
fn path_of(words: &[String]) -> (Vec<String>, bool) {
    let mut cmd = command();
    let mut path = Vec::new();
    let mut named = false;
    for (i, w) in words.iter().enumerate() {
        match cmd.find_subcommand(w) {
            Some(sub) => {
                path.push(sub.get_name().to_string());
                named |= i > 0;
                cmd = sub;
            }
            None => {
                if i == 1 {
                    named = cmd.get_positionals().next().is_some_and(|a| {
                        a.get_possible_values().iter().any(|p| p.matches(w, true))
                    });
                }
                break;
            }
        }
    }
    (path, named)
}

/// A clap error as one line: a value's own complaint when there is one
/// ("'9' is not a severity: ..."), else the usage (with what was wrong,
/// when it says more than "missing").
fn clap_message(e: &clap::Error, usage: &str) -> Option<String> {
    use clap::error::ErrorKind as K;
    let first = e
        .render()
        .to_string()
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string();
    match e.kind() {
        K::ValueValidation => Some(
            std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or(first),
        ),
        K::InvalidValue | K::InvalidSubcommand | K::UnknownArgument | K::ArgumentConflict => {
            Some(format!("{usage} ({first})"))
        }
        _ => None,
    }
}

/// The one line for a word that is no verb, with the nearest one.
fn unknown(word: &str) -> String {
    if word.is_empty() {
        return "Type a command after the colon: :help lists them".into();
    }
    let names = super::complete::first_words();
    if let Some(near) = crate::suggest::closest(word, names.iter().map(String::as_str)) {
        let shown = shorts::find(near)
            .map(|s| {
                format!("usage: :{} {}", s.name, s.usage)
                    .trim_end()
                    .to_string()
            })
            .unwrap_or_else(|| {
                format!("usage: :{}", super::complete::usage_of(&[near.to_string()]))
            });
        return format!(
            "unknown command ':{}': did you mean `:{near}`? ({shown})",
            crate::sanitize::line(word),
        );
    }
    format!(
        "unknown command ':{}': try {}",
        crate::sanitize::line(word),
        {
            let mut all: Vec<String> = shorts::SHORTS
                .iter()
                .map(|s| format!(":{}", s.name))
                .chain(VERBS.iter().map(|v| format!(":{v}")))
                .collect();
            let mut seen = std::collections::HashSet::new();
            all.retain(|w| seen.insert(w.clone()));
            all.join(" ")
        }
    )
}

//! The command bar grammar: what `:status mitigated` means. Each command
//! becomes an operation (judged by `ops`) or a view action.

use crate::model::{LogKind, Role, Severity, Status};
use crate::ops::Op;

/// A parsed command-bar line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Op(Op),
    Quit,
    Help,
    ToggleUtc,
}

pub struct Spec {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub args: &'static str,
    pub help: &'static str,
}

pub const COMMANDS: &[Spec] = &[
    Spec {
        name: "claim",
        aliases: &[],
        args: "ROLE",
        help: "take an empty role yourself (ic, comms, scribe, ...)",
    },
    Spec {
        name: "role",
        aliases: &["assign"],
        args: "ROLE USER|-",
        help: "give a role to someone; - leaves it empty",
    },
    Spec {
        name: "status",
        aliases: &[],
        args: "investigating|mitigated|resolved",
        help: "set the incident status",
    },
    Spec {
        name: "sev",
        aliases: &["severity"],
        args: "SEV1..SEV4",
        help: "set the severity (SEV1 is the worst)",
    },
    Spec {
        name: "decision",
        aliases: &["decide"],
        args: "TEXT",
        help: "log a decision",
    },
    Spec {
        name: "action",
        aliases: &["did"],
        args: "TEXT",
        help: "log an action taken",
    },
    Spec {
        name: "announce",
        aliases: &[],
        args: "TEXT",
        help: "log an announcement to everyone",
    },
    Spec {
        name: "note",
        aliases: &[],
        args: "TEXT",
        help: "log a note (same as typing without :)",
    },
    Spec {
        name: "utc",
        aliases: &["time"],
        args: "",
        help: "switch times between UTC and local",
    },
    Spec {
        name: "help",
        aliases: &["h"],
        args: "",
        help: "show keys and commands",
    },
    Spec {
        name: "quit",
        aliases: &["q"],
        args: "",
        help: "leave (the incident goes on)",
    },
];

fn find(word: &str) -> Option<&'static Spec> {
    let w = word.to_ascii_lowercase();
    COMMANDS
        .iter()
        .find(|c| c.name == w || c.aliases.contains(&w.as_str()))
}

fn usage(spec: &Spec) -> String {
    format!("usage: :{} {}", spec.name, spec.args)
}

/// Parse the text after `:`. `me` is the user typing it.
pub fn parse(line: &str, me: &str) -> Result<Command, String> {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    let Some(spec) = find(word) else {
        return Err(format!(
            "unknown command ':{}': try {}",
            crate::sanitize::line(word),
            COMMANDS
                .iter()
                .map(|c| format!(":{}", c.name))
                .collect::<Vec<_>>()
                .join(" ")
        ));
    };
    let args: Vec<&str> = rest.split_whitespace().collect();
    let text = |kind: LogKind| {
        if rest.is_empty() {
            Err(usage(spec))
        } else {
            Ok(Command::Op(Op::Log {
                kind,
                text: rest.to_string(),
            }))
        }
    };
    match spec.name {
        "claim" => match args.as_slice() {
            [role] => Ok(Command::Op(Op::SetRole {
                role: role.parse::<Role>().map_err(|e| e.to_string())?,
                user: Some(me.to_string()),
            })),
            _ => Err(usage(spec)),
        },
        "role" => match args.as_slice() {
            [role, user] => Ok(Command::Op(Op::SetRole {
                role: role.parse::<Role>().map_err(|e| e.to_string())?,
                user: (*user != "-").then(|| user.to_string()),
            })),
            _ => Err(usage(spec)),
        },
        "status" => match args.as_slice() {
            [s] => Ok(Command::Op(Op::SetStatus {
                status: s.parse::<Status>().map_err(|e| e.to_string())?,
            })),
            _ => Err(usage(spec)),
        },
        "sev" => match args.as_slice() {
            [s] => Ok(Command::Op(Op::SetSeverity {
                severity: s.parse::<Severity>().map_err(|e| e.to_string())?,
            })),
            _ => Err(usage(spec)),
        },
        "decision" => text(LogKind::Decision),
        "action" => text(LogKind::Action),
        "announce" => text(LogKind::Announcement),
        "note" => text(LogKind::Note),
        "utc" => Ok(Command::ToggleUtc),
        "help" => Ok(Command::Help),
        "quit" => Ok(Command::Quit),
        _ => Err(usage(spec)),
    }
}

/// Complete the word being typed in `input` (which starts with ':').
/// Returns the new input, and the candidates when more than one remains.
pub fn complete(input: &str, people: &[String]) -> (String, Vec<String>) {
    let body = &input[1..];
    let words: Vec<&str> = body.split(' ').collect();
    let (done, partial) = words.split_at(words.len() - 1);
    let partial = partial[0];
    let candidates: Vec<String> = match done {
        [] => COMMANDS.iter().map(|c| c.name.to_string()).collect(),
        [cmd] => match find(cmd).map(|s| s.name) {
            Some("claim" | "role") => ["ic", "comms"]
                .into_iter()
                .map(String::from)
                .chain(Role::ALL.iter().map(|r| r.as_str().to_string()))
                .collect(),
            Some("status") => Status::ALL.iter().map(|s| s.as_str().to_string()).collect(),
            Some("sev") => Severity::ALL
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
            _ => Vec::new(),
        },
        [cmd, _] if find(cmd).is_some_and(|s| s.name == "role") => {
            let mut p = people.to_vec();
            p.push("-".into());
            p
        }
        _ => Vec::new(),
    };
    let lower = partial.to_lowercase();
    let hits: Vec<String> = candidates
        .into_iter()
        .filter(|c| c.to_lowercase().starts_with(&lower))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_takes_the_role_for_me() {
        assert_eq!(
            parse("claim ic", "alice"),
            Ok(Command::Op(Op::SetRole {
                role: Role::Commander,
                user: Some("alice".into())
            }))
        );
    }

    #[test]
    fn role_dash_empties_it() {
        assert_eq!(
            parse("role comms -", "alice"),
            Ok(Command::Op(Op::SetRole {
                role: Role::Communications,
                user: None
            }))
        );
    }

    #[test]
    fn status_severity_and_log_kinds() {
        assert_eq!(
            parse("status mitigated", "a"),
            Ok(Command::Op(Op::SetStatus {
                status: Status::Mitigated
            }))
        );
        assert_eq!(
            parse("sev 1", "a"),
            Ok(Command::Op(Op::SetSeverity {
                severity: Severity::Sev1
            }))
        );
        assert_eq!(
            parse("decision roll back payments", "a"),
            Ok(Command::Op(Op::Log {
                kind: LogKind::Decision,
                text: "roll back payments".into()
            }))
        );
    }

    #[test]
    fn errors_say_what_to_type() {
        assert_eq!(
            parse("status", "a").unwrap_err(),
            "usage: :status investigating|mitigated|resolved"
        );
        assert!(parse("sev 9", "a").unwrap_err().contains("SEV1"));
        assert!(parse("frob", "a").unwrap_err().contains(":claim"));
    }

    #[test]
    fn completes_commands_roles_and_people() {
        assert_eq!(complete(":cl", &[]).0, ":claim ");
        assert_eq!(complete(":claim co", &[]).0, ":claim comm");
        assert_eq!(complete(":claim comm", &[]).0, ":claim comm");
        assert_eq!(complete(":claim commu", &[]).0, ":claim communications ");
        assert_eq!(
            complete(":role ic b", &["bob".into(), "carol".into()]).0,
            ":role ic bob "
        );
        let (same, many) = complete(":s", &[]);
        assert_eq!(same, ":s");
        assert_eq!(many, ["status", "sev"]);
    }
}

//! The bar's short forms: `:claim ic` for `:role claim ic`, `:endbreak` for
//! `:break end`, `:mit low quick TEXT` for `:mitigation add --risk low
//! --speed quick TEXT`, and the view's own verbs (`:who`, `:at 03:40`).
//! Each expands into the command line's words, parsed by the one
//! definition, or is a view action.

use super::Act;
use crate::model::refs::{MitigationRef, WorkRef};
use crate::model::{MitigationKind, Risk, Speed};
use crate::ops::Op;

/// A short form: its name and aliases, what it takes, what it does.
pub struct Short {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub usage: &'static str,
    pub help: &'static str,
    pub to: To,
}

/// What a short form stands for.
pub enum To {
    /// The command line's words, then what was typed after the name.
    Words(&'static [&'static str]),
    /// The command line's words, from what was typed.
    Expand(fn(&[String]) -> Result<Vec<String>, String>),
    /// Something only the view does.
    View(fn(&[String], &str) -> Result<Act, String>),
}

const fn short(
    name: &'static str,
    aliases: &'static [&'static str],
    usage: &'static str,
    help: &'static str,
    to: To,
) -> Short {
    Short {
        name,
        aliases,
        usage,
        help,
        to,
    }
}

use To::{Expand, View, Words};

/// The short forms, in the order the help lists them.
pub const SHORTS: &[Short] = &[
    short(
        "claim",
        &[],
        "ROLE",
        "take an empty role yourself (ic, comms, scribe, ...)",
        Words(&["role", "claim"]),
    ),
    short(
        "handover",
        &["offer"],
        "ROLE USER",
        "offer a role you hold; it moves when they accept",
        Words(&["role", "handover"]),
    ),
    short(
        "accept",
        &[],
        "ROLE",
        "accept a role offered to you",
        Words(&["role", "accept"]),
    ),
    short(
        "decline",
        &[],
        "ROLE",
        "decline a role offered to you",
        Words(&["role", "decline"]),
    ),
    short(
        "withdraw",
        &[],
        "ROLE",
        "withdraw a handover offer",
        Words(&["role", "withdraw"]),
    ),
    short(
        "stepdown",
        &["release"],
        "ROLE",
        "leave a role you hold",
        Words(&["role", "stepdown"]),
    ),
    short(
        "takeover",
        &[],
        "ROLE",
        "take a role whose holder is away (no view open) for takeover_after minutes",
        Words(&["role", "takeover"]),
    ),
    short(
        "role",
        &["assign"],
        "ROLE USER|-",
        "commander: give a role to someone (- empties it)",
        Expand(role),
    ),
    short(
        "addrole",
        &[],
        "ROLE",
        "commander: show an optional role (scribe, ops_lead, sme, liaison)",
        Words(&["role", "add"]),
    ),
    short(
        "go",
        &["ok"],
        "R# [REASON]",
        "commander: clear a request",
        Expand(go),
    ),
    short(
        "hold",
        &[],
        "R# [REASON]",
        "commander: hold a request, saying why",
        Expand(hold),
    ),
    short(
        "sys",
        &["system"],
        "NAME STATUS [EVIDENCE]",
        "set a system: unknown, ok, degraded, failing (#42 cites a run)",
        Words(&["system", "set"]),
    ),
    short(
        "dep",
        &["depends"],
        "A -> B",
        "record that A depends on B",
        Expand(dep),
    ),
    short(
        "undep",
        &[],
        "A -> B",
        "remove that dependency",
        Expand(undep),
    ),
    short(
        "suspect",
        &[],
        "NAME [A#|#N] | clear",
        "name the system you suspect caused it, and why (outranks the graph's guess); :suspect clear takes it back",
        Expand(suspect),
    ),
    short(
        "mit",
        &["mitigate", "propose"],
        "[KIND] [RISK] [SPEED] TEXT",
        "propose a mitigation (e.g. :mit rollback low quick Roll back payments)",
        Expand(mit),
    ),
    short(
        "start",
        &[],
        "M#",
        "start a mitigation (asks the commander first if it changes production)",
        Words(&["mitigation", "start"]),
    ),
    short(
        "done",
        &[],
        "M#|T#|F# [RESULT]",
        "a mitigation worked / a task or follow-up is done",
        Expand(done),
    ),
    short(
        "failed",
        &["fail"],
        "M# [RESULT]",
        "a mitigation did not work (it stays visible)",
        Expand(failed),
    ),
    short(
        "abandon",
        &[],
        "M# [RESULT]",
        "not doing that mitigation after all",
        Expand(abandon),
    ),
    short(
        "take",
        &["own"],
        "M#|T#|F#",
        "become the owner of a mitigation, task or follow-up",
        Expand(take),
    ),
    short(
        "give",
        &[],
        "M#|T#|F# USER",
        "hand a mitigation, task or follow-up to someone",
        Expand(give),
    ),
    short(
        "task",
        &[],
        "TEXT",
        "investigation work that needs an owner (root cause, impact)",
        Words(&["task", "add", "--"]),
    ),
    short(
        "followup",
        &["fu"],
        "[@OWNER] [prevent|mitigate|process|other] TEXT",
        "work for after the incident (an action item); :done F1, :give F1 USER",
        Expand(followup),
    ),
    short(
        "freeze",
        &[],
        "[REASON]",
        "freeze deploys (every screen shows it)",
        Words(&["freeze", "on", "--"]),
    ),
    short(
        "unfreeze",
        &[],
        "",
        "commander: lift the deploy freeze",
        Words(&["freeze", "off"]),
    ),
    short(
        "endbreak",
        &[],
        "",
        "commander: end the break early",
        Words(&["break", "end"]),
    ),
    short(
        "cadence",
        &[],
        "MINUTES",
        "minutes between status updates for this incident",
        Expand(cadence),
    ),
    short(
        "snippet",
        &[],
        "#N TITLE",
        "add the output of an `incident run` entry to the appendix",
        Expand(snippet),
    ),
    short(
        "append",
        &[],
        "SECTION TEXT",
        "add a paragraph to a section of the document (anyone may; rewriting it is for comms and the commander)",
        Words(&["doc", "append"]),
    ),
    short(
        "milestone",
        &[],
        "MILESTONE TIME [NOTE]",
        "when impact_started, detected, acknowledged, ... really happened (05:38 UTC)",
        Expand(milestone),
    ),
    short(
        "decision",
        &["decide"],
        "TEXT",
        "log a decision",
        Words(&["log", "--kind", "decision", "--"]),
    ),
    short(
        "action",
        &["did"],
        "TEXT",
        "log an action taken",
        Words(&["log", "--kind", "action", "--"]),
    ),
    short(
        "note",
        &[],
        "TEXT",
        "log a note (same as typing without :)",
        Words(&["log", "--kind", "note", "--"]),
    ),
    short(
        "catchup",
        &["since"],
        "[TIME]",
        "what changed since you left (or since TIME: 03:12, 2026-12-01T03:12Z)",
        Expand(catchup),
    ),
    short(
        "merge",
        &["duplicate"],
        "INC-N",
        "commander: close this incident as a duplicate of INC-N (its alerts go there)",
        View(merge),
    ),
    short(
        "procedure",
        &[],
        "TEXT|M#",
        "about to start a procedure: everyone pauses first (M#: mark a mitigation as one)",
        View(procedure),
    ),
    short(
        "at",
        &[],
        "TIME",
        "look back: the incident as it stood at 03:40, #123 or -30m (read-only; Esc returns to now)",
        View(at),
    ),
    short(
        "doc",
        &["document"],
        "",
        "open the incident document (sections, timeline, appendix)",
        View(|_, _| Ok(Act::Doc)),
    ),
    short(
        "draft",
        &[],
        "",
        "draft a status update from the document into the input bar",
        View(|_, _| Ok(Act::Draft)),
    ),
    short(
        "resume",
        &[],
        "",
        "take back the unsaved edit or note kept from last time (the view says when one is)",
        View(|_, _| Ok(Act::Resume)),
    ),
    short(
        "assumptions",
        &["assumed"],
        "",
        "list assumptions, unverified first",
        View(|_, _| Ok(Act::Assumptions)),
    ),
    short(
        "mitigations",
        &["mits"],
        "",
        "go to the mitigations pane",
        View(|_, _| Ok(Act::Mitigations)),
    ),
    short(
        "debrief",
        &[],
        "",
        "a drill's debrief: how the team did against the practice",
        View(|_, _| Ok(Act::Debrief)),
    ),
    short(
        "who",
        &["here"],
        "",
        "who has the incident open",
        View(|_, _| Ok(Act::Who)),
    ),
    short(
        "brief",
        &["handoverbrief"],
        "",
        "the handover brief: summary, roles, what bleeds, what is tried, what waits",
        View(|_, _| Ok(Act::Brief)),
    ),
    short(
        "utc",
        &["time"],
        "",
        "switch times between UTC and local",
        View(|_, _| Ok(Act::ToggleUtc)),
    ),
    short(
        "help",
        &["h"],
        "",
        "show keys and commands",
        View(|_, _| Ok(Act::Help)),
    ),
    short(
        "quit",
        &["q"],
        "",
        "leave (the incident goes on)",
        View(|_, _| Ok(Act::Quit)),
    ),
];

/// The short form `word` names.
pub fn find(word: &str) -> Option<&'static Short> {
    let w = word.to_ascii_lowercase();
    SHORTS
        .iter()
        .find(|s| s.name == w || s.aliases.contains(&w.as_str()))
}

/// The usage error of a short form (an empty `Err` from an expansion).
pub const USAGE: &str = "";

fn words(pre: &[&str], rest: &[String]) -> Vec<String> {
    pre.iter()
        .map(|w| w.to_string())
        .chain(rest.iter().cloned())
        .collect()
}

fn role(a: &[String]) -> Result<Vec<String>, String> {
    match a {
        [r, u] if u == "-" => Ok(words(&["role", "clear", r], &[])),
        [r, u] => Ok(words(&["role", "set", r, u], &[])),
        _ => Err(USAGE.into()),
    }
}

fn answer(a: &[String], verdict: &str) -> Result<Vec<String>, String> {
    match a.split_first() {
        Some((r, reason)) => Ok(words(&["answer", r, verdict, "--"], reason)),
        None => Err(USAGE.into()),
    }
}

fn go(a: &[String]) -> Result<Vec<String>, String> {
    answer(a, "go")
}

fn hold(a: &[String]) -> Result<Vec<String>, String> {
    answer(a, "hold")
}

fn depend(a: &[String], verb: &str) -> Result<Vec<String>, String> {
    let w: Vec<&String> = a.iter().filter(|w| *w != "->").collect();
    match w.as_slice() {
        [x, y] => Ok(words(&["system", verb, x, y], &[])),
        _ => Err(USAGE.into()),
    }
}

fn dep(a: &[String]) -> Result<Vec<String>, String> {
    depend(a, "depend")
}

fn undep(a: &[String]) -> Result<Vec<String>, String> {
    depend(a, "undepend")
}

fn suspect(a: &[String]) -> Result<Vec<String>, String> {
    match a {
        [c] if c == "clear" || c == "--clear" => Ok(words(&["system", "suspect", "--clear"], &[])),
        [n] => Ok(words(&["system", "suspect", n], &[])),
        [n, why] => Ok(words(&["system", "suspect", n, "--because", why], &[])),
        _ => Err(USAGE.into()),
    }
}

/// `:mit [KIND] [RISK] [SPEED] TEXT`: leading lowercase words set the
/// kind, risk and speed, each once; the text is the rest ("Restart
/// payments" stays text).
fn mit(a: &[String]) -> Result<Vec<String>, String> {
    let (mut kind, mut risk, mut speed) = (None, None, None);
    let mut rest = a;
    while let Some((w, more)) = rest.split_first() {
        if *w != w.to_lowercase() {
            break;
        }
        if kind.is_none() && w.parse::<MitigationKind>().is_ok() {
            kind = Some(w.clone());
        } else if risk.is_none() && w.parse::<Risk>().is_ok() {
            risk = Some(w.clone());
        } else if speed.is_none() && w.parse::<Speed>().is_ok() {
            speed = Some(w.clone());
        } else {
            // A near miss of a kind would silently become text and a
            // custom mitigation that never asks for go: ask.
            let kinds = MitigationKind::ALL.iter().map(|k| k.as_str());
            if kind.is_none()
                && let Some(near) = crate::suggest::closest(w, kinds)
            {
                let w = crate::sanitize::line(w);
                return Err(format!(
                    "'{w}' is not a kind of mitigation: did you mean `{near}`? (`:mit {near} ...`; to keep '{w}' as text, start with `:mit custom {w} ...`)"
                ));
            }
            break;
        }
        rest = more;
    }
    if rest.is_empty() {
        return Err(USAGE.into());
    }
    let mut out = words(&["mitigation", "add"], &[]);
    for (flag, v) in [("--kind", kind), ("--risk", risk), ("--speed", speed)] {
        if let Some(v) = v {
            out.extend([flag.to_string(), v]);
        }
    }
    out.push("--".into());
    out.extend(rest.iter().cloned());
    Ok(out)
}

/// `M3`, `T2` or `F1`: the command line's verb for it.
fn work(w: &str) -> Result<&'static str, String> {
    match w.parse::<WorkRef>()? {
        WorkRef::Mitigation(_) => Ok("mitigation"),
        WorkRef::Task(_) => Ok("task"),
        WorkRef::Followup(_) => Ok("followup"),
    }
}

fn done(a: &[String]) -> Result<Vec<String>, String> {
    let Some((w, result)) = a.split_first() else {
        return Err(USAGE.into());
    };
    match work(w)? {
        // A follow-up is done, with no result.
        "followup" => Ok(words(&["followup", "done", w], &[])),
        verb => Ok(words(&[verb, "done", w, "--"], result)),
    }
}

fn finish(a: &[String], verb: &str) -> Result<Vec<String>, String> {
    match a.split_first() {
        Some((w, result)) if w.parse::<MitigationRef>().is_ok() => {
            Ok(words(&["mitigation", verb, w, "--"], result))
        }
        _ => Err(USAGE.into()),
    }
}

fn failed(a: &[String]) -> Result<Vec<String>, String> {
    finish(a, "failed")
}

fn abandon(a: &[String]) -> Result<Vec<String>, String> {
    finish(a, "abandon")
}

fn take(a: &[String]) -> Result<Vec<String>, String> {
    match a {
        [w] => Ok(words(&[work(w)?, "take", w], &[])),
        _ => Err(USAGE.into()),
    }
}

fn give(a: &[String]) -> Result<Vec<String>, String> {
    match a {
        [w, user] => Ok(words(&[work(w)?, "give", w, user], &[])),
        _ => Err(USAGE.into()),
    }
}

/// `:followup [@OWNER] [KIND] TEXT`, the first two in either order.
fn followup(a: &[String]) -> Result<Vec<String>, String> {
    let mut out = words(&["followup", "add"], &[]);
    let (mut owner, mut kind) = (false, false);
    let mut rest = a;
    while let Some((w, more)) = rest.split_first() {
        if !owner && let Some(o) = w.strip_prefix('@') {
            out.extend(["--owner".to_string(), o.to_string()]);
            owner = true;
        } else if !kind && w.parse::<crate::model::FollowupKind>().is_ok() {
            out.extend(["--type".to_string(), w.clone()]);
            kind = true;
        } else {
            break;
        }
        rest = more;
    }
    if rest.is_empty() {
        return Err(USAGE.into());
    }
    out.push("--".into());
    out.extend(rest.iter().cloned());
    Ok(out)
}

fn cadence(a: &[String]) -> Result<Vec<String>, String> {
    match a {
        [m] => Ok(words(&["update", "--every", m], &[])),
        _ => Err(USAGE.into()),
    }
}

fn snippet(a: &[String]) -> Result<Vec<String>, String> {
    match a.split_first() {
        Some((n, title)) if !title.is_empty() => Ok(words(
            &["snippet", "add", "--entry", n, "--", &title.join(" ")],
            &[],
        )),
        _ => Err(USAGE.into()),
    }
}

fn milestone(a: &[String]) -> Result<Vec<String>, String> {
    match a {
        [m, time] => Ok(words(&["milestone", m, time], &[])),
        [m, time, note @ ..] => Ok(words(
            &["milestone", m, time, "--note", &note.join(" ")],
            &[],
        )),
        _ => Err(USAGE.into()),
    }
}

fn catchup(a: &[String]) -> Result<Vec<String>, String> {
    if a.is_empty() {
        return Ok(words(&["catchup"], &[]));
    }
    Ok(words(&["catchup", "--since", &a.join(" ")], &[]))
}

fn merge(a: &[String], _: &str) -> Result<Act, String> {
    let usage = "usage: :merge INC-N";
    match a {
        [into] => Ok(Act::Op(Op::Close {
            kind: crate::model::CloseKind::Duplicate,
            into: Some(crate::store::parse_id(into).map_err(|e| format!("{e} ({usage})"))?),
            reason: None,
        })),
        _ => Err(format!(
            "{usage}: the incident this one duplicates, e.g. :merge INC-1"
        )),
    }
}

fn procedure(a: &[String], rest: &str) -> Result<Act, String> {
    match a {
        [] => Err(USAGE.into()),
        [m] if m.parse::<MitigationRef>().is_ok() => Ok(Act::Op(Op::MarkProcedure {
            id: m.parse::<MitigationRef>()?.0,
        })),
        _ => Ok(Act::Procedure {
            what: rest.to_string(),
        }),
    }
}

fn at(a: &[String], rest: &str) -> Result<Act, String> {
    if a.is_empty() {
        return Err(USAGE.into());
    }
    Ok(Act::At {
        when: rest.to_string(),
    })
}

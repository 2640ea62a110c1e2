//! The one answer to "what is the suspected cause?": what a person named
//! or verified first, the dependency graph's guess after it and labelled
//! as one. Every surface (the pane, `incident bleeding`, the brief, the
//! catch-up, the onlookers' page, the export) asks [`suspicion`], so they
//! cannot disagree.
//!
//! A cause is established by a person when
//! - someone named it (`incident system suspect NAME [--because A2|#N]`), or
//! - an assumption was verified that names a system of the incident and
//!   says it caused something ("the payments deploy caused the 5xx":
//!   a word such as cause, caused, because, due, culprit, broke,
//!   triggered, responsible). When it names several, the one the others
//!   depend on is the cause.

use super::analysis::{self, Bleeding, Suspect};
use crate::model::{AssumptionState, CauseLink, Incident, SystemStatus};
use crate::sanitize;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::{BTreeSet, VecDeque};

/// Words that make a verified assumption a claim about the cause.
const CAUSAL: &[&str] = &[
    "cause",
    "caused",
    "causes",
    "causing",
    "because",
    "due",
    "culprit",
    "broke",
    "broken",
    "breaks",
    "triggered",
    "responsible",
];

/// Why a named suspect was named: the assumption or log entry given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// "A1" or "#12".
    pub what: String,
    /// The assumption's or the entry's text as it reads now.
    pub text: String,
    /// For an assumption: which, and where it stands now.
    pub assumption: Option<u64>,
    pub state: Option<AssumptionState>,
}

/// How a cause was established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum Basis {
    /// Someone named it (`incident system suspect`).
    Named {
        by: String,
        at: DateTime<Utc>,
        because: Option<Reason>,
    },
    /// An assumption naming it as the cause was verified with evidence.
    Verified {
        assumption: u64,
        text: String,
        by: Option<String>,
        at: Option<DateTime<Utc>>,
    },
}

/// A cause a person established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cause {
    pub system: String,
    /// Its status now (it may have recovered since).
    pub status: SystemStatus,
    #[serde(flatten)]
    pub basis: Basis,
}

/// What the room says caused the trouble.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Suspicion {
    /// Named or verified by people, the named one first, one per system.
    pub causes: Vec<Cause>,
    /// The dependency graph's guesses that are not already causes.
    pub guesses: Vec<Suspect>,
}

/// The suspected cause of `inc`.
pub fn suspicion(inc: &Incident) -> Suspicion {
    suspicion_with(inc, &analysis::analyse(&inc.systems))
}

/// The suspected cause of `inc`, given its graph analysis `b` (which the
/// live view keeps between frames).
pub fn suspicion_with(inc: &Incident, b: &Bleeding) -> Suspicion {
    let status = |name: &str| {
        inc.systems
            .get(name)
            .map_or(SystemStatus::Unknown, |s| s.status)
    };
    let mut causes: Vec<Cause> = Vec::new();
    if let Some(named) = &inc.suspect {
        let because = named.because.map(|link| match link {
            CauseLink::Assumption(id) => {
                let a = id
                    .checked_sub(1)
                    .and_then(|i| inc.assumptions.get(i as usize));
                Reason {
                    what: link.to_string(),
                    text: a.map(|a| a.text.clone()).unwrap_or_default(),
                    assumption: Some(id),
                    state: a.map(|a| a.state),
                }
            }
            CauseLink::Entry(seq) => Reason {
                what: link.to_string(),
                text: seq
                    .checked_sub(1)
                    .and_then(|i| inc.log.get(i as usize))
                    .map(|e| e.current_text().to_string())
                    .unwrap_or_default(),
                assumption: None,
                state: None,
            },
        });
        causes.push(Cause {
            system: named.system.clone(),
            status: status(&named.system),
            basis: Basis::Named {
                by: named.by.clone(),
                at: named.at,
                because,
            },
        });
    }
    for a in inc
        .assumptions
        .iter()
        .filter(|a| a.state == AssumptionState::Verified)
    {
        let Some(system) = blamed(inc, &a.text) else {
            continue;
        };
        if causes.iter().any(|c| c.system == system) {
            continue;
        }
        causes.push(Cause {
            status: status(&system),
            system,
            basis: Basis::Verified {
                assumption: a.id,
                text: a.text.clone(),
                by: a.closed_by.clone(),
                at: a.closed_at,
            },
        });
    }
    let guesses = b
        .suspected
        .iter()
        .filter(|s| !causes.iter().any(|c| c.system == s.name))
        .cloned()
        .collect();
    Suspicion { causes, guesses }
}

/// Words that deny a claim.
const NEGATION: &[&str] = &[
    "not", "no", "never", "nothing", "neither", "nor", "without", "isnt", "wasnt", "didnt",
    "cannot",
];

/// The system a claim says caused something, if it names one and says so.
fn blamed(inc: &Incident, text: &str) -> Option<String> {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !(c.is_alphanumeric() || "._-/:".contains(c)))
        .map(|w| w.trim_matches(['.', ':', '-', '/']))
        .filter(|w| !w.is_empty())
        .collect();
    if !words.iter().any(|w| CAUSAL.contains(w)) {
        return None;
    }
    // "postgres is not the cause", verified, clears postgres: it blames
    // nothing. (A claim that denies anything is left to a person to name
    // with `:suspect`, rather than read wrongly.)
    let denies = words.iter().any(|w| NEGATION.contains(w))
        || lower.contains("ruled out")
        || lower.contains("n't ");
    if denies {
        return None;
    }
    let mut named: Vec<&str> = Vec::new();
    for w in &words {
        if inc.systems.contains_key(*w) && !named.contains(w) {
            named.push(w);
        }
    }
    // "checkout fails because of the payments deploy": checkout depends
    // on payments, so payments is the cause.
    named
        .iter()
        .find(|&&n| {
            let below = depends_on(inc, n);
            !named.iter().any(|&m| m != n && below.contains(m))
        })
        .or(named.first())
        .map(|n| n.to_string())
}

/// Everything `name` depends on, directly or not.
fn depends_on<'a>(inc: &'a Incident, name: &str) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<&str> = VecDeque::new();
    if let Some(s) = inc.systems.get(name) {
        queue.extend(s.depends_on.iter().map(String::as_str));
    }
    while let Some(d) = queue.pop_front() {
        if let Some(s) = inc.systems.get_key_value(d)
            && seen.insert(s.0.as_str())
        {
            queue.extend(s.1.depends_on.iter().map(String::as_str));
        }
    }
    seen
}

impl Suspicion {
    /// The systems the room points at first: the causes, or else the
    /// graph's guesses.
    pub fn leading(&self) -> Vec<&str> {
        if self.causes.is_empty() {
            self.guesses.iter().map(|g| g.name.as_str()).collect()
        } else {
            self.causes.iter().map(|c| c.system.as_str()).collect()
        }
    }

    /// Nothing named, verified or guessed.
    pub fn is_empty(&self) -> bool {
        self.causes.is_empty() && self.guesses.is_empty()
    }

    /// The suspicion as lines of words, the same on every surface that
    /// shows text (sanitized): the causes, then the graph's guesses
    /// labelled as guesses. `time` shows a moment as the surface does.
    pub fn lines(&self, time: &dyn Fn(DateTime<Utc>) -> String) -> Vec<String> {
        let mut out: Vec<String> = self
            .causes
            .iter()
            .map(|c| format!("Suspected cause: {}", c.describe(time)))
            .collect();
        let label = if self.causes.is_empty() {
            "Suspected source (graph's guess)"
        } else {
            "Graph's guess"
        };
        out.extend(
            self.guesses
                .iter()
                .map(|g| format!("{label}: {}", guess(g))),
        );
        out
    }
}

impl Cause {
    /// "payments (failing) — named by alice 03:12, because A1 (verified):
    /// the payments deploy caused the 5xx".
    pub fn describe(&self, time: &dyn Fn(DateTime<Utc>) -> String) -> String {
        let head = format!("{} ({})", sanitize::line(&self.system), self.status);
        match &self.basis {
            Basis::Named { by, at, because } => {
                let why = because
                    .as_ref()
                    .map(|r| format!(", {}", r.describe()))
                    .unwrap_or_default();
                format!(
                    "{head} — named by {} {}{why}",
                    sanitize::line(by),
                    time(*at)
                )
            }
            Basis::Verified {
                assumption,
                text,
                by,
                at,
            } => {
                let who = match (by, at) {
                    (Some(by), Some(at)) => format!(" by {} {}", sanitize::line(by), time(*at)),
                    _ => String::new(),
                };
                format!(
                    "{head} — A{assumption} verified{who}: {}",
                    sanitize::line(text)
                )
            }
        }
    }

    /// "named by alice" / "A1 verified": how it was established, short.
    pub fn how(&self) -> String {
        match &self.basis {
            Basis::Named { by, because, .. } => {
                let why = because
                    .as_ref()
                    .map(|r| match r.state {
                        Some(s) => format!(", {} {}", r.what, state_word(s)),
                        None => format!(", {}", r.what),
                    })
                    .unwrap_or_default();
                format!("named by {}{why}", sanitize::line(by))
            }
            Basis::Verified { assumption, .. } => format!("A{assumption} verified"),
        }
    }
}

impl Reason {
    /// "because A1 (verified): the payments deploy caused the 5xx".
    pub fn describe(&self) -> String {
        let state = self
            .state
            .map(|s| format!(" ({})", state_word(s)))
            .unwrap_or_default();
        format!(
            "because {}{state}: {}",
            self.what,
            sanitize::line(&crate::model::gist(&self.text, 100))
        )
    }
}

fn state_word(s: AssumptionState) -> &'static str {
    match s {
        AssumptionState::Unverified => "unverified",
        AssumptionState::Verified => "verified",
        AssumptionState::Refuted => "since refuted",
    }
}

/// "stripe (degraded) — but redis is unknown".
pub fn guess(g: &Suspect) -> String {
    let caveat = match g.unknown_dependencies.len() {
        0 => String::new(),
        n => format!(
            " — but {} {} unknown",
            sanitize::line(&g.unknown_dependencies.join(", ")),
            if n == 1 { "is" } else { "are" }
        ),
    };
    format!("{} ({}){caveat}", sanitize::line(&g.name), g.status)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fixture::{self, t};
    use crate::model::{Evidence, Severity};
    use crate::ops::Op;

    fn apply(inc: &mut Incident, min: i64, op: Op) {
        fixture::apply(inc, min, "alice", op);
    }

    fn set(name: &str, status: SystemStatus) -> Op {
        Op::SetSystem {
            name: name.into(),
            status,
            evidence: Some(Evidence {
                text: "dashboards".into(),
                entry: None,
            }),
            owner: None,
            note: None,
        }
    }

    fn ev() -> Evidence {
        Evidence {
            text: "deploy log".into(),
            entry: None,
        }
    }

    /// checkout -> payments -> stripe; payments failing, stripe degraded.
    fn room() -> Incident {
        let mut inc = fixture::declared(Severity::Sev1);
        for (a, b) in [("checkout", "payments"), ("payments", "stripe")] {
            apply(
                &mut inc,
                1,
                Op::Depend {
                    system: a.into(),
                    on: b.into(),
                },
            );
        }
        apply(&mut inc, 2, set("checkout", SystemStatus::Failing));
        apply(&mut inc, 2, set("payments", SystemStatus::Failing));
        apply(&mut inc, 2, set("stripe", SystemStatus::Degraded));
        inc
    }

    #[test]
    fn the_graph_guesses_until_a_person_knows() {
        let mut inc = room();
        let s = suspicion(&inc);
        assert!(s.causes.is_empty());
        assert_eq!(s.leading(), ["stripe"]);
        assert_eq!(
            s.lines(&|t| t.format("%H:%M").to_string()),
            ["Suspected source (graph's guess): stripe (degraded)"]
        );

        apply(
            &mut inc,
            3,
            Op::Assume {
                text: "the payments deploy caused the 5xx".into(),
                source: None,
            },
        );
        apply(
            &mut inc,
            4,
            Op::Verify {
                id: 1,
                evidence: ev(),
            },
        );
        let s = suspicion(&inc);
        assert_eq!(s.leading(), ["payments"]);
        assert_eq!(
            s.lines(&|t| t.format("%H:%M").to_string()),
            [
                "Suspected cause: payments (failing) — A1 verified by alice 03:04: the payments deploy caused the 5xx",
                "Graph's guess: stripe (degraded)",
            ]
        );
    }

    #[test]
    fn a_verified_denial_blames_nothing() {
        for (n, text) in [
            "stripe is not the cause",
            "payments deploy ruled out as the cause",
            "stripe didn't cause the 5xx",
            "no, stripe was not responsible",
        ]
        .iter()
        .enumerate()
        {
            let mut inc = room();
            apply(
                &mut inc,
                3,
                Op::Assume {
                    text: text.to_string(),
                    source: None,
                },
            );
            apply(
                &mut inc,
                4,
                Op::Verify {
                    id: 1,
                    evidence: ev(),
                },
            );
            let s = suspicion(&inc);
            assert!(
                s.causes.is_empty(),
                "{n}: {text:?} blamed {:?}",
                s.leading()
            );
        }
    }

    #[test]
    fn a_verified_claim_of_health_blames_nothing_and_the_deepest_named_system_is_blamed() {
        let mut inc = room();
        apply(
            &mut inc,
            3,
            Op::Assume {
                text: "stripe is fine".into(),
                source: None,
            },
        );
        apply(
            &mut inc,
            3,
            Op::Assume {
                text: "checkout fails because of the payments deploy".into(),
                source: None,
            },
        );
        apply(
            &mut inc,
            4,
            Op::Verify {
                id: 1,
                evidence: ev(),
            },
        );
        apply(
            &mut inc,
            4,
            Op::Verify {
                id: 2,
                evidence: ev(),
            },
        );
        let s = suspicion(&inc);
        let causes: Vec<&str> = s.causes.iter().map(|c| c.system.as_str()).collect();
        assert_eq!(causes, ["payments"]);
    }

    #[test]
    fn a_named_suspect_leads_and_its_reason_follows_the_assumption() {
        let mut inc = room();
        apply(
            &mut inc,
            3,
            Op::Assume {
                text: "the new payments config".into(),
                source: None,
            },
        );
        apply(
            &mut inc,
            5,
            Op::NameSuspect {
                system: "payments".into(),
                because: Some(CauseLink::Assumption(1)),
            },
        );
        let time = |t: DateTime<Utc>| t.format("%H:%M").to_string();
        let s = suspicion(&inc);
        assert_eq!(
            s.lines(&time)[0],
            "Suspected cause: payments (failing) — named by alice 03:05, because A1 (unverified): the new payments config"
        );
        apply(
            &mut inc,
            6,
            Op::Refute {
                id: 1,
                evidence: ev(),
            },
        );
        assert!(
            suspicion(&inc).lines(&time)[0]
                .ends_with("because A1 (since refuted): the new payments config"),
            "{:?}",
            suspicion(&inc).lines(&time)
        );
        apply(&mut inc, 7, Op::ClearSuspect);
        assert_eq!(suspicion(&inc).leading(), ["stripe"]);
    }

    /// The brief's "What is bleeding", the catch-up and the onlookers'
    /// page, as text.
    fn surfaces(inc: &Incident, since: DateTime<Utc>) -> (String, String, String) {
        use crate::model::arrival::Arrival;
        let time = |t: DateTime<Utc>| t.format("%H:%M").to_string();
        let brief = Arrival::Brief(crate::model::brief::brief(inc, "erin", t(60)))
            .outline(&time)
            .to_text();
        let catchup = Arrival::Catchup(crate::model::catchup::catch_up(
            inc,
            since,
            true,
            "erin",
            t(60),
        ))
        .outline(&time)
        .to_text();
        // (The page writes an apostrophe as &#39;.)
        let page = crate::web::html::incident_fragment(inc, t(60)).replace("&#39;", "'");
        (brief, catchup, page)
    }

    fn before(text: &str, a: &str, b: &str) -> bool {
        match (text.find(a), text.find(b)) {
            (Some(x), Some(y)) => x < y,
            _ => false,
        }
    }

    #[test]
    fn the_brief_the_catch_up_and_the_page_say_what_the_room_established() {
        let mut inc = room();
        apply(
            &mut inc,
            3,
            Op::Assume {
                text: "the payments deploy caused the 5xx".into(),
                source: None,
            },
        );
        let (brief, catchup, page) = surfaces(&inc, t(2));
        assert!(
            brief.contains("  Suspected source (graph's guess): stripe (degraded)"),
            "{brief}"
        );
        assert!(!catchup.contains("Suspected cause"), "{catchup}");
        assert!(
            page.contains(
                "<p class=\"guess\">Suspected source (graph's guess): stripe (degraded)</p>"
            ),
            "{page}"
        );

        // A1 verified at 03:04: payments above the guess everywhere, and
        // the catch-up since 03:03 says the cause changed.
        apply(
            &mut inc,
            4,
            Op::Verify {
                id: 1,
                evidence: ev(),
            },
        );
        let (brief, catchup, page) = surfaces(&inc, t(3));
        let cause = "Suspected cause: payments (failing) — A1 verified by alice 03:04";
        for text in [&brief, &catchup, &page] {
            assert!(text.contains(cause), "{text}");
            assert!(
                before(text, cause, "Graph's guess: stripe (degraded)"),
                "{text}"
            );
        }
        assert!(catchup.contains("Suspected cause — now"), "{catchup}");
        // Nothing about the cause changed since 03:05.
        let (_, catchup, _) = surfaces(&inc, t(5));
        assert!(!catchup.contains("Suspected cause"), "{catchup}");

        // Named, then cleared: each is news to a catch-up since before it.
        apply(
            &mut inc,
            6,
            Op::NameSuspect {
                system: "stripe".into(),
                because: None,
            },
        );
        let (brief, catchup, page) = surfaces(&inc, t(5));
        let named = "Suspected cause: stripe (degraded) — named by alice 03:06";
        for text in [&brief, &catchup, &page] {
            assert!(before(text, named, "Suspected cause: payments"), "{text}");
            assert!(!text.contains("Graph"), "{text}");
        }
        apply(&mut inc, 7, Op::ClearSuspect);
        let (brief, catchup, _) = surfaces(&inc, t(6));
        assert!(catchup.contains("Suspected cause — now"), "{catchup}");
        assert!(!brief.contains("named by"), "{brief}");

        // Recovered and resolved: the cause stays; no guess, nothing bleeding.
        for s in ["stripe", "payments", "checkout"] {
            apply(&mut inc, 8, set(s, SystemStatus::Ok));
        }
        apply(&mut inc, 9, Op::set_status(crate::model::Status::Resolved));
        let (brief, _, page) = surfaces(&inc, t(8));
        for text in [&brief, &page] {
            assert!(
                text.contains("Suspected cause: payments (ok) — A1 verified by alice 03:04"),
                "{text}"
            );
            assert!(!text.contains("guess"), "{text}");
        }
        assert!(
            brief.contains("Nothing recorded as failing or degraded."),
            "{brief}"
        );
    }
}

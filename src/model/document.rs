//! The incident document: the mutable summary that anyone rotating in
//! reads first, owned by communications. Sections of text, a timeline of
//! important events (milestones from the log, plus pinned entries), an
//! appendix of verbatim snippets, and the comms updates sent.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

super::enums::vocabulary! {
    /// A section of the document that people write.
    Section, "section", "summary, status, impact, executive_summary, next_steps" {
        Summary => "summary" [],
        Status => "status" ["current_status"],
        Impact => "impact" [],
        ExecutiveSummary => "executive_summary" ["exec", "executive"],
        NextSteps => "next_steps" ["next"],
    }
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Summary => "Summary",
            Section::Status => "Current status",
            Section::Impact => "Impact",
            Section::ExecutiveSummary => "Executive summary",
            Section::NextSteps => "Next steps",
        }
    }

    /// What to write, when the template gives no prompt.
    pub fn default_prompt(self) -> &'static str {
        match self {
            Section::Summary => "What happened, in two or three sentences.",
            Section::Status => "Where things stand now, and what is being done.",
            Section::Impact => "Who is affected, how many, since when.",
            Section::ExecutiveSummary => "For leadership: impact, cause if known, ETA.",
            Section::NextSteps => "What happens next, and who owns it.",
        }
    }
}

/// The current text of a section, and its version for detecting edits
/// that crossed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionText {
    pub text: String,
    /// Bumped by every change; an edit names the version it started from.
    pub version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<DateTime<Utc>>,
}

/// A titled, verbatim piece of text: command output, log lines, code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub id: u64,
    pub title: String,
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
    /// The log entry it came from (an `incident run`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<u64>,
}

/// A status update sent by communications.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommsUpdate {
    pub text: String,
    pub by: String,
    pub at: DateTime<Utc>,
    /// Sent outside the company (status page), not just internally.
    pub external: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    pub sections: BTreeMap<Section, SectionText>,
    /// Prompts from the template, shown in empty sections.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub prompts: BTreeMap<Section, String>,
    /// The template it was created from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    /// Log entries pinned to the timeline by hand.
    pub pinned: BTreeSet<u64>,
    pub appendix: Vec<Snippet>,
    pub updates: Vec<CommsUpdate>,
    /// Minutes between comms updates, when set for this incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_every: Option<u32>,
}

impl Document {
    pub fn text(&self, s: Section) -> &str {
        self.sections.get(&s).map(|t| t.text.as_str()).unwrap_or("")
    }

    pub fn version(&self, s: Section) -> u64 {
        self.sections.get(&s).map(|t| t.version).unwrap_or(0)
    }

    pub fn prompt(&self, s: Section) -> &str {
        self.prompts
            .get(&s)
            .map(String::as_str)
            .unwrap_or(s.default_prompt())
    }
}

/// "first words…" of a text, for before/after in the log.
pub fn gist(text: &str, max: usize) -> String {
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// What changed between `before` and `after`, for the log: the words that
/// differ in each (with the word before a pure insertion or deletion, for
/// context), "…" where the common start or end was left out, each cut to
/// `max` characters. Two texts that differ only past their first `max`
/// characters no longer read the same on both sides of the arrow.
pub fn change(before: &str, after: &str, max: usize) -> (String, String) {
    let b: Vec<char> = one_line(before).chars().collect();
    let a: Vec<char> = one_line(after).chars().collect();
    // Short enough to show whole: nothing to leave out.
    if b.is_empty() || a.is_empty() || a == b || (b.len() <= max && a.len() <= max) {
        return (gist(before, max), gist(after, max));
    }
    let mut p = b.iter().zip(&a).take_while(|(x, y)| x == y).count();
    let room = b.len().min(a.len()) - p;
    let mut s = b
        .iter()
        .rev()
        .zip(a.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    // Whole words: the common start ends after a space, the common end
    // starts with one.
    while p > 0 && b[p - 1] != ' ' {
        p -= 1;
    }
    while s > 0 && b[b.len() - s] != ' ' {
        s -= 1;
    }
    // A pure insertion or deletion shows the word before it.
    if (p == b.len() - s || p == a.len() - s) && p > 0 {
        p -= 1;
        while p > 0 && b[p - 1] != ' ' {
            p -= 1;
        }
    }
    let part = |t: &[char]| {
        let mid: String = t[p..t.len() - s].iter().collect();
        let mid = gist(mid.trim(), max.saturating_sub(2));
        let head = if p > 0 { "…" } else { "" };
        let tail = if s > 0 && !mid.ends_with('…') {
            "…"
        } else {
            ""
        };
        format!("{head}{mid}{tail}")
    };
    (part(&b), part(&a))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod change_tests {
    use super::change;

    #[test]
    fn an_edit_past_the_first_words_shows_what_changed() {
        let before = "Checkout returned 5xx for about 12% of EU card payments; the deploy at 19:37 is the likely cause";
        let after = "Checkout returned 5xx for about 12% of EU card payments; the config bundle at 19:37 is the likely cause";
        assert_eq!(
            change(before, after, 40),
            ("…deploy…".to_string(), "…config bundle…".to_string())
        );
    }

    #[test]
    fn an_insertion_shows_the_word_before_it() {
        let (b, a) = change("roll back payments", "roll back payments now", 16);
        assert_eq!((b.as_str(), a.as_str()), ("…payments", "…payments now"));
        let (b, a) = change(
            "the cause is pool size",
            "the likely cause is pool size",
            20,
        );
        assert_eq!((b.as_str(), a.as_str()), ("…cause…", "…likely cause…"));
    }

    #[test]
    fn a_first_text_or_a_rewrite_shows_the_first_words() {
        assert_eq!(
            change("", "Checkout 5xx", 40),
            (String::new(), "Checkout 5xx".into())
        );
        let (b, a) = change("alpha beta", "gamma delta", 40);
        assert_eq!((b.as_str(), a.as_str()), ("alpha beta", "gamma delta"));
        // Short texts show whole.
        let (b, a) = change("bob's summary", "alice's summary", 40);
        assert_eq!(
            (b.as_str(), a.as_str()),
            ("bob's summary", "alice's summary")
        );
    }
}

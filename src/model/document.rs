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

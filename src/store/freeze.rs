//! Whether deploys are frozen, over the incidents of a directory: the one
//! answer `incident freeze status` (text or `--json`) and the listener's
//! `GET /freeze` both give.

use crate::sanitize;
use crate::store::Listed;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// What `incident freeze status` answers for the incidents a store lists:
/// exit 1 with one line per incident holding a freeze (resolved ones
/// too: a freeze kept past the resolution still holds) or that cannot
/// be read, else exit 0 and "no deploy freeze". Each line is the same
/// notice the view's banner shows ([`crate::model::Incident::freeze_notice`]).
pub fn freeze_answer(listed: &[Listed]) -> (i32, String) {
    let status = freeze_status(listed);
    (status.code(), status.text())
}

/// One incident's freeze, as [`FreezeStatus`] reports it.
#[derive(Debug, Clone)]
struct Held {
    id: String,
    by: String,
    reason: Option<String>,
    since: DateTime<Utc>,
    /// Kept past the incident's end (resolved or closed).
    kept: bool,
    /// The banner's words ([`crate::model::Incident::freeze_notice`]).
    notice: String,
}

/// Whether deploys are frozen, over the incidents a store lists: the one
/// answer `incident freeze status` (text or `--json`) and the listener's
/// `GET /freeze` give. A drill's freeze holds only inside the drill; a
/// file that cannot be read could hold a freeze, so it counts as frozen.
#[derive(Debug, Clone)]
pub struct FreezeStatus {
    held: Vec<Held>,
    unreadable: Vec<String>,
}

/// The deploy freeze over `listed` (see [`FreezeStatus`]).
pub fn freeze_status(listed: &[Listed]) -> FreezeStatus {
    let mut held = Vec::new();
    let mut unreadable = Vec::new();
    for l in listed {
        match l {
            Listed::Ok(inc) if inc.is_drill() => {}
            Listed::Ok(inc) => {
                let (Some(f), Some(notice)) = (
                    inc.deploy_freeze(),
                    inc.freeze_notice(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
                ) else {
                    continue;
                };
                held.push(Held {
                    id: inc.id.clone(),
                    by: sanitize::line(&f.by).into_owned(),
                    reason: f.reason.as_deref().map(|r| sanitize::line(r).into_owned()),
                    since: f.since,
                    kept: !inc.is_active(),
                    notice,
                });
            }
            Listed::Broken { error, .. } => {
                unreadable.push(sanitize::line(&error.to_string()).into_owned());
            }
        }
    }
    FreezeStatus { held, unreadable }
}

impl FreezeStatus {
    pub fn frozen(&self) -> bool {
        !self.held.is_empty() || !self.unreadable.is_empty()
    }

    /// The exit status of `freeze status`: 1 while frozen.
    pub fn code(&self) -> i32 {
        i32::from(self.frozen())
    }

    /// One line per freeze, then one per file that cannot be read.
    pub fn text(&self) -> String {
        if !self.frozen() {
            return "no deploy freeze".into();
        }
        self.held
            .iter()
            .map(|h| format!("{} deploys frozen {}", h.id, h.notice))
            .chain(self.unreadable.iter().map(|e| format!("cannot tell: {e}")))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `{"frozen": false}`, or while frozen: who froze, why and since
    /// when (the longest-standing freeze), the incidents holding one,
    /// each freeze in full, and the files that could not be read. The
    /// fields in that order (serialize it with serde_json).
    pub fn json(&self) -> FreezeJson<'_> {
        if !self.frozen() {
            return FreezeJson::default();
        }
        let first = self.held.iter().min_by_key(|h| h.since);
        FreezeJson {
            frozen: true,
            who: first.map(|h| Some(h.by.as_str())),
            why: Some(match first {
                Some(h) => h.reason.clone(),
                None => Some(format!("cannot tell: {}", self.unreadable.join("; "))),
            }),
            since: first.map(|h| Some(h.since)),
            incidents: Some(self.held.iter().map(|h| h.id.as_str()).collect()),
            freezes: Some(
                self.held
                    .iter()
                    .map(|h| FreezeJsonHeld {
                        incident: &h.id,
                        who: &h.by,
                        why: h.reason.as_deref(),
                        since: h.since,
                        kept: h.kept,
                        notice: &h.notice,
                    })
                    .collect(),
            ),
            unreadable: Some(&self.unreadable),
        }
    }
}

/// The object `freeze status --json` prints and `GET /freeze` serves:
/// only `frozen` while nothing is; every field (nulls too) while frozen.
#[derive(Debug, Default, Serialize)]
pub struct FreezeJson<'a> {
    frozen: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    who: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    since: Option<Option<DateTime<Utc>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    incidents: Option<Vec<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    freezes: Option<Vec<FreezeJsonHeld<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unreadable: Option<&'a [String]>,
}

#[derive(Debug, Serialize)]
struct FreezeJsonHeld<'a> {
    incident: &'a str,
    who: &'a str,
    why: Option<&'a str>,
    since: DateTime<Utc>,
    kept: bool,
    notice: &'a str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    #[test]
    fn a_file_that_cannot_be_read_counts_as_frozen() {
        let broken = Listed::Broken {
            path: "/srv/incidents/INC-9.jsonl".into(),
            error: StoreError::io(
                "/srv/incidents/INC-9.jsonl",
                std::io::Error::from(std::io::ErrorKind::PermissionDenied),
            ),
        };
        let status = freeze_status(&[broken]);
        assert!(status.frozen());
        assert_eq!(status.code(), 1);
        assert!(
            status.text().starts_with("cannot tell: "),
            "{}",
            status.text()
        );
        let v = serde_json::to_value(status.json()).unwrap();
        assert_eq!(v["frozen"], true);
        assert_eq!(v["who"], serde_json::Value::Null);
        assert!(
            v["why"].as_str().unwrap().starts_with("cannot tell: ")
                && v["why"].as_str().unwrap().contains("INC-9"),
            "{v}"
        );
        assert_eq!(v["incidents"], serde_json::json!([]));
        assert_eq!(v["unreadable"].as_array().unwrap().len(), 1, "{v}");
    }

    #[test]
    fn nothing_listed_is_not_frozen_and_says_only_that() {
        let status = freeze_status(&[]);
        assert_eq!(
            (status.code(), status.text()),
            (0, "no deploy freeze".into())
        );
        assert_eq!(
            serde_json::to_string(&status.json()).unwrap(),
            r#"{"frozen":false}"#
        );
    }
}

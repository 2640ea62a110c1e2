//! A status update drafted for communications from the incident as it
//! stands now. What is no longer true is never said as present: after
//! impact ceased the draft says it was mitigated and what the impact
//! was, and a status or impact paragraph written before the last status
//! change is left out (it describes a moment that has passed).

use super::{Incident, Section, Status, gist};
use chrono::{DateTime, Duration, Utc};

fn hm(t: DateTime<Utc>) -> String {
    t.format("%H:%M UTC").to_string()
}

/// The document's `s` section, when written after `since` (or at all,
/// with no `since`).
fn written_after(inc: &Incident, s: Section, since: Option<DateTime<Utc>>) -> Option<String> {
    let sec = inc.document.sections.get(&s)?;
    let fresh = match (since, sec.at) {
        (Some(since), Some(at)) => at >= since,
        (Some(_), None) => false,
        (None, _) => true,
    };
    (fresh && !sec.text.trim().is_empty()).then(|| sec.text.clone())
}

/// The draft's words (without the `:update` in front): severity and
/// title, where it stands, the impact, what is being done, and when the
/// next update comes.
pub fn update(inc: &Incident, now: DateTime<Utc>) -> String {
    let mut parts = vec![format!("{} {}:", inc.severity, inc.shown_title())];
    let status_since = inc.status_changed_at();
    let ended = inc.impact_ended_at();
    parts.push(match written_after(inc, Section::Status, status_since) {
        Some(text) => gist(&text, 200),
        None => match (&inc.closed, inc.status) {
            (Some(c), _) => format!("This incident is {}.", c.label()),
            (None, Status::Investigating) => "We are investigating.".to_string(),
            (None, Status::Mitigated) => match ended {
                Some(t) => format!(
                    "Mitigated at {}: the impact has stopped and we are monitoring.",
                    hm(t)
                ),
                None => "Mitigated: the impact has stopped and we are monitoring.".to_string(),
            },
            (None, Status::Resolved) => match inc.resolved_at {
                Some(t) => format!("Resolved at {}.", hm(t)),
                None => "Resolved.".to_string(),
            },
        },
    });
    match inc.impact_now() {
        Some(i) if i.is_history() => {
            parts.push(format!("Impact was: {}.", i.text(hm)));
        }
        Some(i) => parts.push(format!("Impact: {}.", i.estimate.text)),
        // The document's impact paragraph, unless impact ceased since
        // it was written.
        None => {
            if let Some(text) = written_after(inc, Section::Impact, ended) {
                let label = if ended.is_some() {
                    "Impact was"
                } else {
                    "Impact"
                };
                parts.push(format!("{label}: {}.", gist(&text, 120)));
            }
        }
    }
    let doing: Vec<&str> = inc
        .mitigations
        .iter()
        .filter(|m| m.status == super::MitigationStatus::InProgress)
        .map(|m| m.text.as_str())
        .collect();
    if !doing.is_empty() && inc.is_active() {
        parts.push(format!("Doing: {}.", doing.join("; ")));
    }
    if inc.is_active() {
        // Sending this update restarts the clock.
        let next = now + Duration::minutes(i64::from(inc.update_every()));
        parts.push(format!("Next update by {}.", hm(next)));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::update;
    use crate::model::fixture::{self, declared, t};
    use crate::model::{Incident, Section, Severity, Status};
    use crate::ops::Op;

    fn apply(inc: &mut Incident, min: i64, op: Op) {
        fixture::apply(inc, min, "bob", op);
    }

    fn status(s: Status) -> Op {
        Op::SetStatus {
            status: s,
            force: true,
            keep_freeze: false,
        }
    }

    #[test]
    fn the_draft_says_where_it_stands_now_never_past_impact_as_present() {
        let mut inc = declared(Severity::Sev1);
        apply(
            &mut inc,
            2,
            Op::SetImpact {
                text: "all card checkouts failing, ~14%".into(),
            },
        );
        apply(
            &mut inc,
            3,
            Op::EditSection {
                section: Section::Status,
                text: "Payments returns errors; we are rolling back".into(),
                base: 0,
            },
        );
        let first = update(&inc, t(5));
        assert!(
            first.starts_with("SEV1 Checkout errors: Payments returns errors; we are rolling back"),
            "{first}"
        );
        assert!(
            first.contains("Impact: all card checkouts failing, ~14%."),
            "{first}"
        );

        apply(&mut inc, 41, status(Status::Mitigated));
        let mitigated = update(&inc, t(42));
        // The status paragraph was written before the change: left out.
        assert!(!mitigated.contains("rolling back"), "{mitigated}");
        assert!(
            mitigated
                .contains("Mitigated at 03:41 UTC: the impact has stopped and we are monitoring."),
            "{mitigated}"
        );
        assert!(
            mitigated.contains("Impact was: all card checkouts failing, ~14% until 03:41 UTC."),
            "{mitigated}"
        );
        assert!(!mitigated.contains("Impact: all card"), "{mitigated}");
        assert!(!mitigated.contains("We are mitigated"), "{mitigated}");

        apply(&mut inc, 60, status(Status::Resolved));
        let resolved = update(&inc, t(61));
        assert!(resolved.contains("Resolved at 04:00 UTC."), "{resolved}");
        assert!(
            resolved.contains("Impact was: all card checkouts failing, ~14% until 03:41 UTC."),
            "{resolved}"
        );
        assert!(!resolved.contains("Next update by"), "{resolved}");
    }
}

//! What operations do: pages from a pager.

use super::*;

/// A page from a pager: detection and acknowledgement times, the alert's
/// keys, links, and worse news raising the severity.
pub(super) fn paged(inc: &mut Incident, rec: &Record) {
    let Op::Paged {
        source,
        key,
        state,
        acked_by: by,
        title,
        severity,
        links,
        events_key,
        times,
        delivery,
    } = &rec.op
    else {
        return;
    };
    if let Some(d) = delivery {
        inc.pager_deliveries.insert(d.clone());
    }
    let started_at = times.as_ref().and_then(|t| t.started_at);
    let occurred_at = times.as_ref().and_then(|t| t.occurred_at);
    use crate::model::milestone::{from_the_pager, spoken};
    let first = inc.pager_keys.insert(key.clone());
    // The resolve goes back under the Events API's own key, which
    // only the page can tell (PagerDuty's incident id is not it).
    if source.eq_ignore_ascii_case("pagerduty")
        && inc.notices.pagerduty_key.is_none()
        && let Some(k) = events_key
    {
        inc.notices.pagerduty_key = Some(k.clone());
    }
    // PagerDuty's integration key names the alert across its
    // incidents: a new PagerDuty incident for it (after this one
    // was resolved) is the same alert firing again. (The spelling
    // is intake::keys_of's.)
    if source.eq_ignore_ascii_case("pagerduty")
        && let Some(k) = events_key
    {
        inc.pager_keys.insert(format!("pagerduty:{k}"));
    }
    // What the log says beyond the page itself: when the alert
    // started, and any time of the pager's that was not believed.
    let mut said: Vec<String> = Vec::new();
    // Detected: when the alert started, as the pager says (if that
    // is plausible), else when the first page arrived. A later page
    // of the same alert can only move it earlier.
    let (started, start_note) = from_the_pager(started_at, rec.at, "the alert's start time");
    match inc.detection.as_mut() {
        None => {
            // Only a start that would count is worth a note.
            said.extend(start_note.clone());
            if rec.at - started > chrono::Duration::minutes(1) {
                said.push(format!(
                    "the alert started {}, {} before the page",
                    started.format("%H:%M:%S UTC"),
                    spoken(rec.at - started)
                ));
            }
            inc.detection = Some(crate::model::Detection {
                source: source.clone(),
                title: title.clone(),
                at: started,
                arrived_at: rec.at,
                key: Some(key.clone()),
                acknowledged_at: None,
                acknowledged_arrived_at: None,
                acknowledged_by: None,
                service: None,
                notes: start_note.into_iter().collect(),
            });
        }
        Some(d) if d.key.as_ref() == Some(key) && started < d.at => {
            said.push(format!(
                "the alert started {}: detected moves from {}",
                started.format("%H:%M:%S UTC"),
                d.at.format("%H:%M:%S UTC")
            ));
            d.at = started;
        }
        Some(_) => {}
    }
    // The ack's own time, as the pager says, else its arrival.
    let acked_at = (state == "acknowledged").then(|| {
        let (at, note) = from_the_pager(occurred_at, rec.at, "the acknowledgement's time");
        if let Some(detection) = inc.detection.as_mut()
            && detection.acknowledged_at.is_none()
        {
            detection.acknowledged_at = Some(at);
            detection.acknowledged_arrived_at = Some(rec.at);
            detection.acknowledged_by = by.clone();
            detection.notes.extend(note.clone());
        }
        if rec.at - at > chrono::Duration::minutes(1) {
            said.push(format!(
                "acknowledged there at {}, {} before it arrived",
                at.format("%H:%M:%S UTC"),
                spoken(rec.at - at)
            ));
        }
        said.extend(note);
        at
    });
    let mut text = match (state.as_str(), first) {
        ("triggered", true) => format!("paged by {source}: {title}"),
        ("triggered", false) => format!("re-triggered in {source}: {title}"),
        ("acknowledged", _) => {
            let ack = crate::model::PagerAck {
                source: source.clone(),
                by: by.clone(),
                at: acked_at.unwrap_or(rec.at),
                state: crate::model::PagerState::Acknowledged,
            };
            let text = ack.describe();
            inc.pager_ack = Some(ack);
            text
        }
        // Late, after the incident was resolved: nothing stays open.
        ("resolved", _) if inc.status == Status::Resolved => {
            format!("resolved in {source}: {title}")
        }
        ("resolved", _) => format!(
            "resolved in {source}: the incident stays open until the commander says so (`:status mitigated`, or `incident status mitigated`)"
        ),
        (other, _) => format!("{other} in {source}: {title}"),
    };
    // Where the page stands at its source now: an ack is not current
    // once it fires again or is resolved there.
    match state.as_str() {
        "triggered" if !first => {
            if let Some(ack) = inc.pager_ack.as_mut() {
                ack.state = crate::model::PagerState::Retriggered;
                ack.at = rec.at;
            }
        }
        "resolved" => {
            inc.pager_ack = Some(crate::model::PagerAck {
                source: source.clone(),
                by: by.clone(),
                at: rec.at,
                state: crate::model::PagerState::Resolved,
            });
        }
        _ => {}
    }
    if !said.is_empty() {
        text.push_str(&format!(" ({})", said.join("; ")));
    }
    push(inc, rec, LogKind::Page, text);
    if first {
        milestone(inc);
    }
    for link in links {
        if !inc.links.iter().any(|l| l.url == link.url) {
            inc.links.push(link.clone());
        }
    }
    // Worse news raises the severity; a milder page never lowers it.
    if state == "triggered"
        && let Some(sev) = severity
        && *sev < inc.severity
    {
        let text = format!(
            "severity {} → {sev}: {source} re-triggered the alert at {sev}",
            inc.severity
        );
        super::incident::change_severity(inc, rec, *sev, text);
    }
}

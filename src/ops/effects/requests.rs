//! What operations do: requests for go: announcing what you are about to do, the commander answering, and what was run.

use super::*;

pub(super) fn replay(inc: &mut Incident, rec: &Record, who: &str) {
    match &rec.op {
        Op::Announce { text, mitigation } => {
            let id = inc.requests.len() as u64 + 1;
            let by_commander = inc.is_commander(who);
            inc.requests.push(Request {
                id,
                text: text.clone(),
                by: who.to_string(),
                at: rec.at,
                state: if by_commander {
                    RequestState::Announced
                } else {
                    RequestState::Pending
                },
                answered_by: None,
                answered_at: None,
                reason: None,
            });
            if let Some(m) = mitigation
                .and_then(|m| m.checked_sub(1))
                .and_then(|i| inc.mitigations.get_mut(i as usize))
            {
                m.request = Some(id);
            }
            let line = if by_commander {
                format!("announced: {text}  [R{id}]")
            } else {
                format!("about to: {text}  [R{id}, asked the commander]")
            };
            push_for(inc, rec, LogKind::Request, line, Some(id), None);
        }
        Op::Answer {
            request,
            go,
            reason,
        } => {
            let mut line = String::new();
            if let Some(req) = request
                .checked_sub(1)
                .and_then(|i| inc.requests.get_mut(i as usize))
            {
                req.state = if *go {
                    RequestState::Go
                } else {
                    RequestState::Hold
                };
                req.answered_by = Some(who.to_string());
                req.answered_at = Some(rec.at);
                req.reason = reason.clone();
                let verdict = if *go { "go" } else { "hold" };
                line = format!("{verdict} for {}: R{request} \"{}\"", req.by, req.text);
            }
            if let Some(r) = reason {
                line.push_str(&format!(" ({r})"));
            }
            push_for(inc, rec, LogKind::Answer, line, Some(*request), None);
        }
        Op::WithdrawRequest { request } => {
            let mut line = String::new();
            if let Some(req) = request
                .checked_sub(1)
                .and_then(|i| inc.requests.get_mut(i as usize))
            {
                req.state = RequestState::Withdrawn;
                req.answered_at = Some(rec.at);
                req.reason = Some(format!("{who} stopped waiting"));
                line = format!(
                    "withdrawn: {who} stopped waiting: R{request} \"{}\"",
                    req.text
                );
            }
            push_for(inc, rec, LogKind::Request, line, Some(*request), None);
        }
        Op::Ran { evidence, request } => {
            let secs = evidence.duration_ms as f64 / 1000.0;
            push_for(
                inc,
                rec,
                LogKind::Ran,
                String::new(),
                *request,
                Some(evidence.clone()),
            );
            // The entry says how it ended and how it was cleared, as things
            // stood when it was recorded.
            let entry = inc.log.last().expect("just pushed");
            let cleared = inc
                .clearance(entry)
                .expect("a run's entry has its evidence");
            let line = format!(
                "ran: {}  {}  ({secs:.1}s) · {cleared}",
                evidence.command,
                evidence.outcome()
            );
            inc.log.last_mut().expect("just pushed").text = line;
        }
        other => debug_assert!(false, "{} replayed by the wrong area", other.name()),
    }
}

//! The catch-up and the handover brief as words: a title and titled parts
//! of one-line rows, the same for the live view's overlay and for
//! `incident catchup`. Everything from the incident is sanitized here.
//! `time` shows a moment as the surface does (UTC or local).

use super::MitigationStatus;
use super::arrival::Arrival;
use super::brief::Brief;
use super::catchup::{CatchUp, Finished, SystemNow, Wait, Waiting};
use super::milestone::human;
use crate::sanitize::line;
use chrono::{DateTime, Utc};

/// A titled group of rows ("Roles", "Systems that changed").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub heading: String,
    pub rows: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub title: String,
    pub parts: Vec<Part>,
}

type Time<'a> = &'a dyn Fn(DateTime<Utc>) -> String;

fn part(heading: impl Into<String>, rows: Vec<String>) -> Option<Part> {
    (!rows.is_empty()).then(|| Part {
        heading: heading.into(),
        rows,
    })
}

impl Arrival {
    pub fn outline(&self, time: Time) -> Outline {
        match self {
            Arrival::Catchup(c) => catch_up(c, time),
            Arrival::Brief(b) => brief(b, time),
        }
    }
}

fn catch_up(c: &CatchUp, time: Time) -> Outline {
    let ago = human(c.now - c.since);
    let entries = match c.entries {
        1 => "1 entry".to_string(),
        n => format!("{n} entries"),
    };
    let title = if c.left {
        format!(
            "Since you left at {} ({ago} ago) · {entries}",
            time(c.since)
        )
    } else {
        format!("Since {} ({ago} ago) · {entries}", time(c.since))
    };
    let entry =
        |e: &super::catchup::Entry| format!("{} {}  {}", time(e.at), line(&e.by), line(&e.text));
    let mut parts: Vec<Option<Part>> = vec![
        part("Roles", c.roles.iter().map(entry).collect()),
        part(
            format!(
                "Status and severity — now {} · {}",
                c.severity,
                line(&c.state)
            ),
            c.status_changes.iter().map(entry).collect(),
        ),
        part(
            "Systems that changed",
            c.systems.iter().map(|s| system(s, time)).collect(),
        ),
        part(
            "Suspected cause — now",
            c.cause.iter().flat_map(|s| s.lines(time)).collect(),
        ),
        part(
            "Assumptions settled",
            c.assumptions
                .iter()
                .map(|a| {
                    let verdict = if a.verified { "verified" } else { "REFUTED" };
                    let how = if a.evidence.trim().is_empty() {
                        String::new()
                    } else {
                        format!(": {}", line(&a.evidence))
                    };
                    format!(
                        "A{} {verdict}: {} ({} {}{how})",
                        a.id,
                        line(&a.text),
                        line(&a.by),
                        time(a.at)
                    )
                })
                .collect(),
        ),
        part("Decisions", c.decisions.iter().map(entry).collect()),
        part(
            "Mitigations done or failed",
            c.mitigations.iter().map(|m| finished(m, time)).collect(),
        ),
        part("Deploy freeze", c.freeze.iter().map(entry).collect()),
        part("Impact", {
            let mut rows: Vec<String> = c.impact.iter().map(entry).collect();
            if let Some(i) = &c.impact_now {
                rows.push(format!("now: {}", line(&i.line(time))));
            }
            rows
        }),
        part("Holds", c.holds.iter().map(entry).collect()),
        part(
            "Merges and linked incidents",
            c.merges.iter().map(entry).collect(),
        ),
        part(
            "Updates sent",
            c.updates
                .iter()
                .map(|u| {
                    let to = if u.external { "external" } else { "internal" };
                    format!("{} {}  {to}: {}", time(u.at), line(&u.by), line(&u.text))
                })
                .collect(),
        ),
        part(
            "Waiting for you",
            c.waiting.iter().map(|w| waiting(w, &c.me, time)).collect(),
        ),
        part(
            "Given to you",
            c.given
                .iter()
                .map(|e| format!("{} {}  {}", time(e.at), line(&e.by), line(&e.text)))
                .collect(),
        ),
    ];
    if c.is_quiet() {
        parts.push(part(
            "Nothing changed",
            vec![
                "No role, status, severity, system, suspected cause, impact or freeze changed; \
                 nothing was settled, decided, held, merged, finished or sent, nothing \
                 waits for you and nothing was given to you."
                    .into(),
            ],
        ));
    }
    Outline {
        title,
        parts: parts.into_iter().flatten().collect(),
    }
}

/// "M1 done: roll back payments — error rate back to 0.1% (carol 03:41)".
fn finished(m: &Finished, time: Time) -> String {
    let verdict = match m.status {
        MitigationStatus::Failed => "FAILED",
        _ => "done",
    };
    let result = m
        .result
        .as_deref()
        .map(|r| format!(" — {}", line(r)))
        .unwrap_or_default();
    let owner = m
        .owner
        .as_deref()
        .map(|o| format!("{} ", line(o)))
        .unwrap_or_default();
    format!(
        "M{} {verdict}: {}{result} ({owner}{})",
        m.id,
        line(&m.text),
        time(m.at)
    )
}

fn system(s: &SystemNow, time: Time) -> String {
    let who = match (&s.by, s.at) {
        (Some(by), Some(at)) => format!(" ({} {})", line(by), time(at)),
        _ => String::new(),
    };
    let how = match &s.how {
        Some(h) if s.verified => format!(" · checked: {}", line(h)),
        Some(h) => format!(" · {}", line(h)),
        None => " · not checked".into(),
    };
    format!("{} {}{who}{how}", line(&s.name), s.status)
}

/// "R3 carol: restart payments-1 — waiting for your go since 03:41".
fn waiting(w: &Waiting, me: &str, time: Time) -> String {
    let since = time(w.at);
    match w.kind {
        Wait::Go => {
            let who = if w.for_me {
                "your".to_string()
            } else {
                match &w.to {
                    Some(c) => format!("{}'s", line(c)),
                    None => "a commander's (nobody commands)".into(),
                }
            };
            let asker = if w.by == me {
                "you".to_string()
            } else {
                line(&w.by).into_owned()
            };
            format!(
                "{} {asker}: {} — waiting for {who} go since {since}",
                w.what,
                line(&w.text)
            )
        }
        Wait::Offer => {
            let to = w.to.as_deref().unwrap_or_default();
            if w.for_me {
                format!(
                    "{}: offered to you by {} at {since}, to accept or decline",
                    w.what,
                    line(&w.by)
                )
            } else {
                format!(
                    "{}: offered to {} by {} at {since}",
                    w.what,
                    line(to),
                    line(&w.by)
                )
            }
        }
        Wait::Check => format!(
            "{} unverified: {} ({} {since})",
            w.what,
            line(&w.text),
            line(&w.by)
        ),
    }
}

fn brief(b: &Brief, time: Time) -> Outline {
    // Once resolved the clock stops, as in the header: how long it lasted.
    let how_long = match b.ended_at {
        Some(end) => format!("lasted {}", human(end - b.declared_at)),
        None => format!("{} in", human(b.now - b.declared_at)),
    };
    let title = format!(
        "Handover brief — {} · {} · {} · {how_long}",
        b.id,
        b.severity,
        line(&b.state),
    );
    let mut summary = vec![format!(
        "\"{}\", declared {} by {}",
        line(&b.title),
        time(b.declared_at),
        line(&b.declared_by)
    )];
    let text_rows = |label: &str, text: &Option<String>| -> Vec<String> {
        text.iter()
            .flat_map(|t| t.lines())
            .filter(|l| !l.trim().is_empty())
            .enumerate()
            .map(|(i, l)| {
                if i == 0 {
                    format!("{label}{}", line(l.trim()))
                } else {
                    line(l.trim()).into_owned()
                }
            })
            .collect()
    };
    summary.extend(text_rows("", &b.summary));
    if b.summary.is_none() {
        summary.push("No summary written yet (communications owns the document).".into());
    }
    summary.extend(text_rows("Now: ", &b.current_status));
    summary.extend(text_rows("", &b.impact.as_ref().map(|i| i.line(time))));
    let roles = b
        .roles
        .iter()
        .map(|h| match (&h.user, h.since) {
            (Some(u), Some(t)) => format!("{:<14} {} (since {})", h.role.label(), line(u), time(t)),
            _ => format!("{:<14} - (empty)", h.role.label()),
        })
        .collect();
    let mut bleeding: Vec<String> = b.bleeding.iter().map(|s| system(s, time)).collect();
    if bleeding.is_empty() {
        bleeding.push("Nothing recorded as failing or degraded.".into());
    }
    // A cause named or verified stays after its system recovers.
    bleeding.extend(b.suspected.lines(time));
    let mut trying: Vec<String> = b
        .trying
        .iter()
        .map(|t| {
            let owner = t
                .owner
                .as_deref()
                .map(|o| format!(" ({})", line(o)))
                .unwrap_or_default();
            format!("{} {}: {}{owner}", t.what, t.state, line(&t.text))
        })
        .collect();
    if let Some(f) = &b.freeze {
        trying.push(format!("deploys frozen {}", line(f)));
    }
    if trying.is_empty() {
        trying.push("No mitigation or task open yet.".into());
    }
    let waiting: Vec<String> = b.waiting.iter().map(|w| waiting(w, &b.me, time)).collect();
    // What stopped the bleeding: the mitigations done (and those that
    // failed, so nobody tries them again), with when impact ceased.
    let mut done: Vec<String> = b.done.iter().map(|m| finished(m, time)).collect();
    let stopped = b.status != super::Status::Investigating;
    if stopped && let Some(t) = b.impact_stopped_at {
        done.push(format!("impact stopped at {}", time(t)));
    }
    let done_heading = if stopped {
        "What stopped the bleeding"
    } else {
        "Done so far"
    };
    let parts = [
        part("Summary", summary),
        part("Who holds which role", roles),
        part(
            "Teams called for help",
            b.called.iter().map(|c| line(c).into_owned()).collect(),
        ),
        part(done_heading, done),
        part("What is bleeding", bleeding),
        part("What is being tried", trying),
        part("What is waiting", waiting),
    ];
    Outline {
        title,
        parts: parts.into_iter().flatten().collect(),
    }
}

impl Outline {
    /// As plain text: the title, then each part's heading and its rows
    /// indented.
    pub fn to_text(&self) -> String {
        let mut out = self.title.clone();
        for p in &self.parts {
            out.push_str(&format!("\n\n{}", p.heading));
            for r in &p.rows {
                out.push_str(&format!("\n  {r}"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::arrival::on_request;
    use crate::model::{Actor, Incident, LogKind, Severity};
    use crate::ops::{Op, Record};
    use chrono::{Duration, TimeZone};

    fn t(min: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap() + Duration::minutes(min)
    }

    fn inc() -> Incident {
        let decl = Record {
            at: t(0),
            by: Actor::named("alice"),
            op: Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        };
        crate::ops::genesis("INC-7", &decl).unwrap()
    }

    fn hm(t: DateTime<Utc>) -> String {
        t.format("%H:%M").to_string()
    }

    #[test]
    fn the_catch_up_is_titled_with_when_you_left_and_how_long_ago() {
        let mut inc = inc();
        let r = Record {
            at: t(20),
            by: Actor::named("alice"),
            op: Op::Log {
                kind: LogKind::Decision,
                text: "freeze \u{1b}[31mdeploys".into(),
            },
        };
        crate::ops::apply(&mut inc, &r).unwrap();
        let o = on_request(&inc, "bob", None, Some(t(12)), t(59)).outline(&hm);
        assert_eq!(o.title, "Since you left at 03:12 (47m ago) · 1 entry");
        assert_eq!(o.parts.len(), 1);
        assert_eq!(o.parts[0].heading, "Decisions");
        // Text from others never reaches a terminal raw.
        assert_eq!(o.parts[0].rows, ["03:20 alice  freeze ␛[31mdeploys"]);
        let asked = on_request(&inc, "bob", Some(t(30)), Some(t(12)), t(59)).outline(&hm);
        assert_eq!(asked.title, "Since 03:30 (29m ago) · 0 entries");
        assert_eq!(asked.parts[0].heading, "Nothing changed");
    }

    #[test]
    fn the_brief_is_titled_with_the_incident_and_has_every_part() {
        let o = on_request(&inc(), "bob", None, None, t(65)).outline(&hm);
        assert_eq!(
            o.title,
            "Handover brief — INC-7 · SEV2 · investigating · 1h05m in"
        );
        let headings: Vec<_> = o.parts.iter().map(|p| p.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "Summary",
                "Who holds which role",
                "What is bleeding",
                "What is being tried"
            ]
        );
        let text = o.to_text();
        assert!(text.contains("  Commander      - (empty)"), "{text}");
        assert!(text.contains("No summary written yet"), "{text}");
    }
}

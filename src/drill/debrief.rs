//! The debrief after a drill: how the team did against the practice, in
//! plain words, computed from the drill incident's own record. Times are
//! wall-clock times since the drill started (what the people did), with
//! the scenario's clock beside them when it ran faster.

use crate::model::milestone::human;
use crate::model::{BreakKind, Incident, LogKind, Role};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// How one point went against the practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// As the practice says.
    Good,
    /// Missed, late, or done against the practice.
    Missed,
    /// Not something this drill called for.
    NotCalledFor,
}

impl Verdict {
    pub fn mark(self) -> &'static str {
        match self {
            Verdict::Good => "✓",
            Verdict::Missed => "✗",
            Verdict::NotCalledFor => "–",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Point {
    /// "commander", "communications", ...
    pub topic: &'static str,
    pub verdict: Verdict,
    /// What happened and what the practice says, in plain words.
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Debrief {
    pub incident: String,
    pub scenario: String,
    pub speed: u32,
    pub started_at: DateTime<Utc>,
    /// None while the drill is still running.
    pub ended_at: Option<DateTime<Utc>>,
    pub points: Vec<Point>,
}

/// A commander within this long of the start, as the practice says.
const COMMANDER_WITHIN: i64 = 5;
/// Communications within this long.
const COMMS_WITHIN: i64 = 10;
/// A drill longer than this (on the scenario's clock) calls for a break.
const LONG: i64 = 90;

impl Debrief {
    /// The debrief of a drill incident; None for a real one.
    pub fn of(inc: &Incident, now: DateTime<Utc>) -> Option<Debrief> {
        let d = inc.drill.as_ref()?;
        let start = d.started_at;
        let end = inc.ended_at().unwrap_or(now);
        let since = |t: DateTime<Utc>| -> String {
            let wall = t - start;
            if d.speed > 1 {
                format!(
                    "{} in ({} on the scenario's clock)",
                    human(wall),
                    human(wall * d.speed as i32)
                )
            } else {
                format!("{} in", human(wall))
            }
        };
        let mut points = Vec::new();

        points.push(role_point(
            inc,
            Role::Commander,
            "commander",
            COMMANDER_WITHIN,
            &since,
            start,
        ));
        points.push(role_point(
            inc,
            Role::Communications,
            "communications",
            COMMS_WITHIN,
            &since,
            start,
        ));

        // Stop the bleeding first: the first mitigation started.
        let first_mitigation = inc
            .log
            .iter()
            .find(|e| e.kind == LogKind::Mitigation && e.text.starts_with("started M"));
        points.push(match first_mitigation {
            Some(e) => Point {
                topic: "first mitigation",
                verdict: Verdict::Good,
                text: format!(
                    "{} started the first mitigation {}: {}. The practice: stop the bleeding first, find the root cause after.",
                    e.by,
                    since(e.at),
                    e.text.trim_start_matches("started ")
                ),
            },
            None => Point {
                topic: "first mitigation",
                verdict: Verdict::Missed,
                text: "No mitigation was started. The practice: stop the bleeding first (roll back, fail over, freeze), find the root cause after.".into(),
            },
        });

        points.push(go_point(inc));
        points.push(assumptions_point(inc, first_mitigation.map(|e| e.at)));
        points.push(freeze_point(inc));

        let long = (end - start) * d.speed as i32 > Duration::minutes(LONG);
        let took_break = inc.breaks.iter().any(|b| b.kind == BreakKind::Team);
        points.push(Point {
            topic: "break",
            verdict: match (took_break, long) {
                (true, _) => Verdict::Good,
                (false, true) => Verdict::Missed,
                (false, false) => Verdict::NotCalledFor,
            },
            text: match (took_break, long) {
                (true, _) => "The commander called a team break.".into(),
                (false, true) => "No team break in a long incident. The practice: the commander calls a break every couple of hours (:break 15m).".into(),
                (false, false) => "No break; a drill this short does not call for one.".into(),
            },
        });
        if long {
            let fed = !inc.food.is_empty();
            let stood_down = !inc.detached.is_empty();
            points.push(Point {
                topic: "food and rest",
                verdict: if fed && stood_down { Verdict::Good } else { Verdict::Missed },
                text: format!(
                    "Food {}; {}. The practice: in a long incident the commander orders food (:food) and stands down whoever has been on too long (:detach USER).",
                    if fed { "was ordered" } else { "was never ordered" },
                    if stood_down { "someone was stood down to rest" } else { "nobody was stood down" }
                ),
            });
        }
        points.push(updates_point(inc, end));

        Some(Debrief {
            incident: inc.id.clone(),
            scenario: d.scenario.clone(),
            speed: d.speed,
            started_at: start,
            ended_at: inc.ended_at(),
            points,
        })
    }

    /// As text, one paragraph per point.
    pub fn text(&self) -> String {
        let state = match self.ended_at {
            Some(t) => format!("ended after {}", human(t - self.started_at)),
            None => "still running".to_string(),
        };
        let good = self
            .points
            .iter()
            .filter(|p| p.verdict == Verdict::Good)
            .count();
        let counted = self
            .points
            .iter()
            .filter(|p| p.verdict != Verdict::NotCalledFor)
            .count();
        let mut out = format!(
            "DRILL debrief — {} (scenario {}), {state}: {good} of {counted} as the practice says\n",
            self.incident, self.scenario
        );
        for p in &self.points {
            out.push_str(&format!("\n{} {}: {}", p.verdict.mark(), p.topic, p.text));
        }
        out
    }
}

fn role_point(
    inc: &Incident,
    role: Role,
    topic: &'static str,
    within: i64,
    since: &dyn Fn(DateTime<Utc>) -> String,
    start: DateTime<Utc>,
) -> Point {
    match inc.role_history.iter().find(|t| t.role == role) {
        Some(t) => {
            let late = t.from - start > Duration::minutes(within);
            Point {
                topic,
                verdict: if late { Verdict::Missed } else { Verdict::Good },
                text: format!(
                    "{} took {topic} {}{}. The practice: someone holds {topic} within the first {within} minutes.",
                    t.user,
                    since(t.from),
                    if late { ", late" } else { "" }
                ),
            }
        }
        None => Point {
            topic,
            verdict: Verdict::Missed,
            text: format!(
                "Nobody took {topic}. The practice: someone holds it within the first {within} minutes (:claim {}).",
                if role == Role::Commander {
                    "ic"
                } else {
                    "comms"
                }
            ),
        },
    }
}

/// Destructive actions asked for go: runs cleared by the commander's go
/// (or the commander's own), and runs that went ahead without.
fn go_point(inc: &Incident) -> Point {
    let runs: Vec<_> = inc.log.iter().filter_map(|e| inc.clearance(e)).collect();
    let without = runs
        .iter()
        .filter(|c| matches!(c, crate::model::Clearance::WithoutGo { .. }))
        .count();
    let asked = inc
        .mitigations
        .iter()
        .filter(|m| m.kind.is_destructive() && m.request.is_some())
        .count();
    let total = runs.len() + asked;
    if total == 0 {
        return Point {
            topic: "go before destructive actions",
            verdict: Verdict::NotCalledFor,
            text: "No destructive action or command was run.".into(),
        };
    }
    Point {
        topic: "go before destructive actions",
        verdict: if without == 0 {
            Verdict::Good
        } else {
            Verdict::Missed
        },
        text: format!(
            "{asked} destructive mitigation{} asked the commander for go; {} of {} command{} run went ahead without go. The practice: announce (!TEXT) and wait for go before anything that changes production.",
            if asked == 1 { "" } else { "s" },
            without,
            runs.len(),
            if runs.len() == 1 { "" } else { "s" }
        ),
    }
}

/// Trust but verify: assumptions checked before the first mitigation.
fn assumptions_point(inc: &Incident, acted: Option<DateTime<Utc>>) -> Point {
    let all = &inc.assumptions;
    if all.is_empty() {
        return Point {
            topic: "assumptions checked",
            verdict: Verdict::Missed,
            text: "No assumption was written down. The practice: say what you are assuming (:assume TEXT) and check it before acting on it.".into(),
        };
    }
    let before = |a: &crate::model::Assumption| {
        a.closed_at
            .is_some_and(|t| acted.is_none_or(|acted| t <= acted))
    };
    let checked = all.iter().filter(|a| before(a)).count();
    let unchecked: Vec<String> = all
        .iter()
        .filter(|a| a.closed_at.is_none())
        .map(|a| format!("A{} \"{}\"", a.id, a.text))
        .collect();
    let mut text = format!(
        "{checked} of {} assumption{} checked before the first mitigation started",
        all.len(),
        if all.len() == 1 { " was" } else { "s were" }
    );
    if !unchecked.is_empty() {
        text.push_str(&format!("; never checked: {}", unchecked.join(", ")));
    }
    text.push_str(
        ". The practice: trust, but verify (:verify or :refute with evidence) before acting.",
    );
    Point {
        topic: "assumptions checked",
        verdict: if checked == all.len() {
            Verdict::Good
        } else {
            Verdict::Missed
        },
        text,
    }
}

/// A deploy attempted during the drill: blocked by a freeze, or not.
fn freeze_point(inc: &Incident) -> Point {
    let by_bot = |prefix: &str| {
        inc.log
            .iter()
            .any(|e| e.by == "deploy-bot" && e.text.starts_with(prefix))
    };
    let (blocked, landed) = (by_bot("deploy of "), by_bot("deployed "));
    match (blocked, landed) {
        (false, false) => Point {
            topic: "deploy freeze",
            verdict: Verdict::NotCalledFor,
            text: "No deploy was attempted during this drill.".into(),
        },
        (_, true) => Point {
            topic: "deploy freeze",
            verdict: Verdict::Missed,
            text: "A deploy landed in the middle of the incident: deploys were not frozen. The practice: freeze deploys early (:freeze) so nothing changes under you.".into(),
        },
        (true, false) => Point {
            topic: "deploy freeze",
            verdict: Verdict::Good,
            text: "A deploy attempted during the incident was blocked by the freeze.".into(),
        },
    }
}

/// Updates on cadence: no gap longer than the cadence, from the start to
/// the end.
fn updates_point(inc: &Incident, end: DateTime<Utc>) -> Point {
    let every = Duration::minutes(i64::from(inc.update_every()));
    let mut times: Vec<DateTime<Utc>> = inc.document.updates.iter().map(|u| u.at).collect();
    times.sort();
    let start = inc.declared_at;
    let mut marks = vec![start];
    marks.extend(&times);
    marks.push(end);
    let longest = marks
        .windows(2)
        .map(|w| w[1] - w[0])
        .max()
        .unwrap_or_default();
    let late = longest > every;
    Point {
        topic: "updates on cadence",
        verdict: if late || times.is_empty() {
            Verdict::Missed
        } else {
            Verdict::Good
        },
        text: format!(
            "{} update{} sent; the longest stretch without one was {} against a cadence of {} minutes. The practice: communications sends an update at least every {} minutes (:update TEXT).",
            times.len(),
            if times.len() == 1 { "" } else { "s" },
            human(longest),
            inc.update_every(),
            inc.update_every()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, Severity};
    use crate::ops::{self, Op, Record};

    fn at(min: i64) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 1, 3, 0, 0).unwrap()
            + Duration::minutes(min)
    }

    fn apply(inc: &mut Incident, min: i64, who: &str, op: Op) {
        let rec = Record {
            at: at(min),
            by: Actor::named(who),
            op,
        };
        ops::apply(inc, &rec).unwrap_or_else(|e| panic!("{e}"));
    }

    fn point<'a>(d: &'a Debrief, topic: &str) -> &'a Point {
        d.points.iter().find(|p| p.topic == topic).unwrap()
    }

    #[test]
    fn each_point_is_judged_against_the_practice() {
        let declare = Record {
            at: at(0),
            by: Actor::named("alice"),
            op: Op::Declare {
                title: "t".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        };
        let mut inc = ops::genesis("INC-1", &declare).unwrap();
        apply(
            &mut inc,
            0,
            "alice",
            Op::StartDrill {
                scenario: "long-night".into(),
                speed: 1,
            },
        );
        apply(
            &mut inc,
            2,
            "alice",
            Op::ClaimRole {
                role: Role::Commander,
            },
        );
        apply(
            &mut inc,
            12,
            "bob",
            Op::ClaimRole {
                role: Role::Communications,
            },
        );
        apply(
            &mut inc,
            45,
            "bob",
            Op::PostUpdate {
                text: "rebuilding".into(),
                external: false,
            },
        );
        apply(
            &mut inc,
            100,
            "alice",
            Op::StartBreak {
                kind: BreakKind::Team,
                minutes: 15,
                reason: None,
            },
        );
        let d = Debrief::of(&inc, at(120)).unwrap();
        assert_eq!(point(&d, "commander").verdict, Verdict::Good);
        let comms = point(&d, "communications");
        assert_eq!(comms.verdict, Verdict::Missed, "{}", comms.text);
        assert!(
            comms
                .text
                .starts_with("bob took communications 12m in, late."),
            "{}",
            comms.text
        );
        assert_eq!(point(&d, "break").verdict, Verdict::Good);
        let food = point(&d, "food and rest");
        assert_eq!(
            food.verdict,
            Verdict::Missed,
            "a two-hour drill: food and rest"
        );
        let updates = point(&d, "updates on cadence");
        assert_eq!(updates.verdict, Verdict::Missed);
        assert!(
            updates.text.contains(
                "the longest stretch without one was 1h15m against a cadence of 20 minutes"
            ),
            "{}",
            updates.text
        );
        // A real incident has no debrief.
        inc.drill = None;
        assert!(Debrief::of(&inc, at(120)).is_none());
    }
}

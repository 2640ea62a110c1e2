//! The debrief after a drill: how the team did against the practice, in
//! plain words, computed from the drill incident's own record.
//!
//! One clock throughout: the scenario's. The record carries wall-clock
//! times (when people did things), and at `--speed N` the scenario's clock
//! ran N times faster, so every duration the debrief shows or judges (time
//! to a role, to the first mitigation, the length of the drill, the gaps
//! between updates) is the wall-clock duration times N, measured against
//! the practice's minutes.

use crate::model::{BreakKind, Clearance, Incident, LogKind, RequestState, Role};
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
    /// How long it ran (so far), on the scenario's clock, in seconds.
    pub scenario_seconds: i64,
    pub points: Vec<Point>,
}

/// A commander within this long of the start, as the practice says.
const COMMANDER_WITHIN: i64 = 5;
/// Communications within this long.
const COMMS_WITHIN: i64 = 10;
/// A drill longer than this (on the scenario's clock) calls for a break.
const LONG: i64 = 90;

/// A duration as the debrief says it, to the second under an hour (so
/// "5m20s in, late" never reads as "5m in, late" against 5 minutes).
fn human(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

/// The scenario's clock, read off the record's wall-clock times.
#[derive(Debug, Clone, Copy)]
struct Clock {
    start: DateTime<Utc>,
    speed: i32,
}

impl Clock {
    /// The scenario's time between two moments of the record.
    fn span(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Duration {
        (to - from).max(Duration::zero()) * self.speed
    }

    /// How far into the drill `t` was, on the scenario's clock.
    fn elapsed(&self, t: DateTime<Utc>) -> Duration {
        self.span(self.start, t)
    }

    /// "4m in".
    fn since(&self, t: DateTime<Utc>) -> String {
        format!("{} in", human(self.elapsed(t)))
    }
}

impl Debrief {
    /// The debrief of a drill incident; None for a real one.
    pub fn of(inc: &Incident, now: DateTime<Utc>) -> Option<Debrief> {
        let d = inc.drill.as_ref()?;
        let clock = Clock {
            start: d.started_at,
            speed: i32::try_from(d.speed.max(1)).unwrap_or(i32::MAX),
        };
        let end = inc.ended_at().unwrap_or(now);
        let mut points = Vec::new();

        points.push(commander_point(inc, &clock));
        points.push(comms_point(inc, &clock, end));

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
                    clock.since(e.at),
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

        let long = clock.elapsed(end) > Duration::minutes(LONG);
        points.push(break_point(inc, &clock, long));
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
        points.push(updates_point(inc, &clock, end));

        Some(Debrief {
            incident: inc.id.clone(),
            scenario: d.scenario.clone(),
            speed: d.speed,
            started_at: d.started_at,
            ended_at: inc.ended_at(),
            scenario_seconds: clock.elapsed(end).num_seconds(),
            points,
        })
    }

    /// As text, one paragraph per point.
    pub fn text(&self) -> String {
        let ran = human(Duration::seconds(self.scenario_seconds));
        let state = match self.ended_at {
            Some(_) => format!("ended after {ran}"),
            None => format!("still running, {ran} in"),
        };
        let clock = if self.speed > 1 {
            format!(
                ", played at {}x: every time below is on the scenario's clock",
                self.speed
            )
        } else {
            String::new()
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
            "DRILL debrief — {} (scenario {}{clock}), {state}: {good} of {counted} as the practice says\n",
            self.incident, self.scenario
        );
        for p in &self.points {
            out.push_str(&format!("\n{} {}: {}", p.verdict.mark(), p.topic, p.text));
        }
        out
    }
}

/// The terms of `role`, in the order they began.
fn terms(inc: &Incident, role: Role) -> impl Iterator<Item = &crate::model::RoleTerm> {
    inc.role_history.iter().filter(move |t| t.role == role)
}

/// Who held `role` at `at`.
fn holder_at(inc: &Incident, role: Role, at: DateTime<Utc>) -> Option<&str> {
    terms(inc, role)
        .filter(|t| t.from <= at && t.until.is_none_or(|u| u > at))
        .last()
        .map(|t| t.user.as_str())
}

fn commander_point(inc: &Incident, clock: &Clock) -> Point {
    match terms(inc, Role::Commander).next() {
        Some(t) => {
            let late = clock.elapsed(t.from) > Duration::minutes(COMMANDER_WITHIN);
            Point {
                topic: "commander",
                verdict: if late { Verdict::Missed } else { Verdict::Good },
                text: format!(
                    "{} took commander {}{}. The practice: someone holds commander within the first {COMMANDER_WITHIN} minutes.",
                    t.user,
                    clock.since(t.from),
                    if late { ", late" } else { "" }
                ),
            }
        }
        None => Point {
            topic: "commander",
            verdict: Verdict::Missed,
            text: format!(
                "Nobody took commander. The practice: someone holds it within the first {COMMANDER_WITHIN} minutes (:claim ic)."
            ),
        },
    }
}

/// A stretch where one person held commander and communications: who,
/// from, until (None: still).
type Both<'a> = (&'a str, DateTime<Utc>, Option<DateTime<Utc>>);

/// Communications: someone other than the commander, early. One person
/// holding both at once is a finding, not two ticks.
fn comms_point(inc: &Incident, clock: &Clock, end: DateTime<Utc>) -> Point {
    let Some(first) = terms(inc, Role::Communications).next() else {
        return Point {
            topic: "communications",
            verdict: Verdict::Missed,
            text: format!(
                "Nobody took communications. The practice: someone holds it within the first {COMMS_WITHIN} minutes (:claim comms)."
            ),
        };
    };
    // The stretches where one person held both roles.
    let mut both: Vec<Both> = Vec::new();
    for c in terms(inc, Role::Communications) {
        for k in terms(inc, Role::Commander).filter(|k| k.user == c.user) {
            let from = c.from.max(k.from);
            let until = match (c.until, k.until) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if until.is_none_or(|u| u > from) && from <= end {
                both.push((c.user.as_str(), from, until));
            }
        }
    }
    both.sort_by_key(|b| b.1);
    let Some(last) = both
        .iter()
        .map(|b| b.2)
        .max_by_key(|u| u.unwrap_or(DateTime::<Utc>::MAX_UTC))
    else {
        let late = clock.elapsed(first.from) > Duration::minutes(COMMS_WITHIN);
        return Point {
            topic: "communications",
            verdict: if late { Verdict::Missed } else { Verdict::Good },
            text: format!(
                "{} took communications {}{}. The practice: someone holds communications within the first {COMMS_WITHIN} minutes.",
                first.user,
                clock.since(first.from),
                if late { ", late" } else { "" }
            ),
        };
    };
    let stretches: Vec<String> = both
        .iter()
        .map(|(who, from, until)| match until {
            Some(u) if *u < end => format!(
                "{who} held commander and communications at once from {} until {} in",
                human(clock.elapsed(*from)),
                human(clock.elapsed(*u)),
            ),
            _ => format!(
                "{who} held commander and communications at once from {} to the end",
                clock.since(*from)
            ),
        })
        .collect();
    // Put right in time: the roles were split within the window, with
    // someone holding communications apart from the commander after.
    let split = last.filter(|u| *u < end).and_then(|u| {
        let comms = holder_at(inc, Role::Communications, u)?;
        (holder_at(inc, Role::Commander, u) != Some(comms)).then_some((u, comms))
    });
    let in_time = split.is_some_and(|(u, _)| clock.elapsed(u) <= Duration::minutes(COMMS_WITHIN));
    let mut text = stretches.join("; ");
    match split {
        Some((u, comms)) => text.push_str(&format!(
            ", then {comms} held communications apart from the commander {}",
            clock.since(u)
        )),
        None => text.push_str(": one person ran the incident and kept everyone informed"),
    }
    text.push_str(&format!(
        ". The practice: nobody should run the incident and communicate at once; someone other than the commander holds communications within the first {COMMS_WITHIN} minutes"
    ));
    if !in_time {
        text.push_str(" (the commander assigns it: :role comms USER)");
    }
    text.push('.');
    Point {
        topic: "communications",
        verdict: if in_time {
            Verdict::Good
        } else {
            Verdict::Missed
        },
        text,
    }
}

/// How one destructive action was cleared.
enum Cleared {
    /// After the commander's go on a request.
    Go { request: u64, by: String },
    /// The commander's own (announced, or started while commanding).
    Commander { by: String },
    /// Nobody cleared it.
    Without,
}

/// Destructive actions and whether they waited for go: mitigations that
/// change production (started after the commander's go on their request,
/// or the commander's own), commands run (cleared by a go, the
/// commander's own, or run without), and requests for go on a
/// mitigation that were answered hold or are still waiting.
fn go_point(inc: &Incident) -> Point {
    let mut actions: Vec<(String, Cleared)> = Vec::new();
    let mut asked_only: Vec<String> = Vec::new();
    for m in inc.mitigations.iter().filter(|m| m.needs_clearance()) {
        let label = format!("M{} \"{}\" ({})", m.id, m.text, m.kind);
        let started_line = format!("started M{}:", m.id);
        let started = inc
            .log
            .iter()
            .find(|e| e.kind == LogKind::Mitigation && e.text.starts_with(&started_line));
        let request = m.request.and_then(|r| inc.request(r));
        let Some(started) = started else {
            if let Some(r) = request {
                let how = match r.state {
                    RequestState::Hold => "the commander said hold",
                    RequestState::Pending => "still waiting for an answer",
                    RequestState::Go => "go given, not started",
                    RequestState::Announced => "announced, not started",
                    RequestState::Withdrawn => "withdrawn: its asker stopped waiting",
                };
                asked_only.push(format!("{label} asked for go as R{} ({how})", r.id));
            }
            continue;
        };
        let cleared = match request.map(|r| (r, r.state)) {
            Some((r, RequestState::Go)) => Cleared::Go {
                request: r.id,
                by: r.answered_by.clone().unwrap_or_else(|| r.by.clone()),
            },
            Some((r, RequestState::Announced)) => Cleared::Commander { by: r.by.clone() },
            _ if holder_at(inc, Role::Commander, started.at) == Some(started.by.as_str()) => {
                Cleared::Commander {
                    by: started.by.clone(),
                }
            }
            _ => Cleared::Without,
        };
        actions.push((label, cleared));
    }
    for e in &inc.log {
        let Some(c) = inc.clearance(e) else { continue };
        let command = e
            .evidence
            .as_ref()
            .map(|ev| format!("`{}`", ev.command))
            .unwrap_or_default();
        let cleared = match c {
            Clearance::Go { request, by, .. } => Cleared::Go { request, by },
            Clearance::Commander { by, .. } => Cleared::Commander { by },
            Clearance::WithoutGo { .. } => Cleared::Without,
            // Read-only by the team's rule: not a destructive action.
            Clearance::ReadOnly { .. } => continue,
        };
        actions.push((format!("ran {command}"), cleared));
    }
    if actions.is_empty() && asked_only.is_empty() {
        return Point {
            topic: "go before destructive actions",
            verdict: Verdict::NotCalledFor,
            text: "No destructive action or command was run, and none was asked for.".into(),
        };
    }
    let without = actions
        .iter()
        .filter(|(_, c)| matches!(c, Cleared::Without))
        .count();
    let mut said: Vec<String> = actions
        .iter()
        .map(|(what, c)| match c {
            Cleared::Go { request, by } => format!("{what} after {by}'s go on R{request}"),
            Cleared::Commander { by } => {
                format!("{what} by the commander ({by}) on their own word")
            }
            Cleared::Without => format!("{what} WITHOUT go"),
        })
        .collect();
    said.extend(asked_only);
    let n = actions.len();
    let head = if n == 0 {
        "No destructive action was taken".to_string()
    } else if without == 0 {
        format!(
            "{n} destructive action{} taken, every one cleared",
            if n == 1 { "" } else { "s" }
        )
    } else {
        format!(
            "{n} destructive action{} taken, {without} without the commander's go",
            if n == 1 { "" } else { "s" }
        )
    };
    Point {
        topic: "go before destructive actions",
        verdict: if without == 0 {
            Verdict::Good
        } else {
            Verdict::Missed
        },
        text: format!(
            "{head}: {}. The practice: announce (!TEXT) and wait for go before anything that changes production.",
            said.join("; ")
        ),
    }
}

/// Team breaks: one the commander called, or only the one the tool
/// starts by itself when impact stops (which nobody called).
fn break_point(inc: &Incident, clock: &Clock, long: bool) -> Point {
    let automatic = |b: &crate::model::Break| b.automatic;
    let team = inc.breaks.iter().filter(|b| b.kind == BreakKind::Team);
    let called = team.clone().find(|b| !automatic(b));
    let auto = team.clone().find(|b| automatic(b));
    const PRACTICE: &str = "The practice: in a long incident the commander calls a break every couple of hours (:break 15m).";
    if let Some(b) = called {
        return Point {
            topic: "break",
            verdict: Verdict::Good,
            text: format!(
                "{} called a team break {}.",
                b.started_by,
                clock.since(b.starts_at)
            ),
        };
    }
    let auto_text = auto.map(|b| {
        format!(
            "A team break started automatically when impact stopped ({}); nobody called one",
            clock.since(b.starts_at)
        )
    });
    match (auto_text, long) {
        (Some(a), true) => Point {
            topic: "break",
            verdict: Verdict::Missed,
            text: format!("{a}, in a long incident. {PRACTICE}"),
        },
        (Some(a), false) => Point {
            topic: "break",
            verdict: Verdict::NotCalledFor,
            text: format!("{a}; a drill this short does not call for one."),
        },
        (None, true) => Point {
            topic: "break",
            verdict: Verdict::Missed,
            text: format!("No team break in a long incident. {PRACTICE}"),
        },
        (None, false) => Point {
            topic: "break",
            verdict: Verdict::NotCalledFor,
            text: "No break; a drill this short does not call for one.".into(),
        },
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
/// the end, on the scenario's clock (the cadence is in its minutes).
fn updates_point(inc: &Incident, clock: &Clock, end: DateTime<Utc>) -> Point {
    let every = Duration::minutes(i64::from(inc.update_every()));
    let mut times: Vec<DateTime<Utc>> = inc.document.updates.iter().map(|u| u.at).collect();
    times.sort();
    let start = inc.declared_at;
    let mut marks = vec![start];
    marks.extend(&times);
    marks.push(end);
    let longest = marks
        .windows(2)
        .map(|w| clock.span(w[0], w[1]))
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
    use crate::model::Status;
    use crate::model::{Actor, MitigationKind, Risk, Severity, Speed};
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

    /// A drill at `speed`, with `who` at the helm of nothing yet.
    fn drill(speed: u32) -> Incident {
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
                scenario: "bad-deploy".into(),
                speed,
            },
        );
        inc
    }

    fn claim(inc: &mut Incident, min: i64, who: &str, role: Role) {
        apply(inc, min, who, Op::ClaimRole { role });
    }

    fn propose(inc: &mut Incident, min: i64, who: &str, kind: MitigationKind, risk: Risk) {
        apply(
            inc,
            min,
            who,
            Op::ProposeMitigation {
                text: "Roll back payments".into(),
                kind,
                risk,
                speed: Speed::Quick,
                system: Some("payments".into()),
                owner: None,
            },
        );
    }

    #[test]
    fn a_mitigation_started_after_the_commanders_go_counts_as_cleared() {
        let mut inc = drill(1);
        claim(&mut inc, 1, "alice", Role::Commander);
        // Proposed from the view without a kind: custom, but high risk,
        // so it needs go like any rollback.
        propose(&mut inc, 3, "bob", MitigationKind::Custom, Risk::High);
        apply(
            &mut inc,
            3,
            "bob",
            Op::Announce {
                text: "start M1: Roll back payments".into(),
                mitigation: Some(1),
            },
        );
        apply(
            &mut inc,
            4,
            "alice",
            Op::Answer {
                request: 1,
                go: true,
                reason: None,
            },
        );
        apply(&mut inc, 4, "bob", Op::StartMitigation { id: 1 });
        // And the commander's own rollback needs no request.
        propose(&mut inc, 5, "alice", MitigationKind::Rollback, Risk::Low);
        apply(&mut inc, 5, "alice", Op::StartMitigation { id: 2 });
        let d = Debrief::of(&inc, at(10)).unwrap();
        let go = point(&d, "go before destructive actions");
        assert_eq!(go.verdict, Verdict::Good, "{}", go.text);
        assert!(
            go.text.starts_with(
                "2 destructive actions taken, every one cleared: M1 \"Roll back payments\" (custom) after alice's go on R1; M2 \"Roll back payments\" (rollback) by the commander (alice) on their own word."
            ),
            "{}",
            go.text
        );
        assert!(!d.text().contains("No destructive action"), "{}", d.text());
    }

    #[test]
    fn a_go_asked_and_held_is_the_practice_and_nothing_was_run() {
        let mut inc = drill(1);
        claim(&mut inc, 1, "alice", Role::Commander);
        propose(&mut inc, 3, "bob", MitigationKind::Rollback, Risk::Low);
        apply(
            &mut inc,
            3,
            "bob",
            Op::Announce {
                text: "start M1: Roll back payments".into(),
                mitigation: Some(1),
            },
        );
        apply(
            &mut inc,
            4,
            "alice",
            Op::Answer {
                request: 1,
                go: false,
                reason: Some("not yet".into()),
            },
        );
        let go = point(
            &Debrief::of(&inc, at(10)).unwrap(),
            "go before destructive actions",
        )
        .clone();
        assert_eq!(go.verdict, Verdict::Good, "{}", go.text);
        assert!(
            go.text.starts_with(
                "No destructive action was taken: M1 \"Roll back payments\" (rollback) asked for go as R1 (the commander said hold)."
            ),
            "{}",
            go.text
        );
    }

    #[test]
    fn the_automatic_break_at_mitigated_is_not_one_the_commander_called() {
        let mut inc = drill(1);
        claim(&mut inc, 1, "alice", Role::Commander);
        apply(
            &mut inc,
            100,
            "alice",
            Op::SetStatus {
                status: Status::Mitigated,
                force: true,
                keep_freeze: false,
            },
        );
        assert_eq!(inc.breaks.len(), 1, "the tool starts a team break");
        let d = Debrief::of(&inc, at(120)).unwrap();
        let b = point(&d, "break");
        assert_eq!(b.verdict, Verdict::Missed, "{}", b.text);
        assert!(
            b.text.starts_with(
                "A team break started automatically when impact stopped (1h40m in); nobody called one, in a long incident."
            ),
            "{}",
            b.text
        );
        assert!(!d.text().contains("called a team break"), "{}", d.text());

        // Short: not called for, and still not credited.
        let mut short = drill(1);
        claim(&mut short, 1, "alice", Role::Commander);
        apply(
            &mut short,
            20,
            "alice",
            Op::SetStatus {
                status: Status::Mitigated,
                force: true,
                keep_freeze: false,
            },
        );
        let d = Debrief::of(&short, at(30)).unwrap();
        let b = point(&d, "break");
        assert_eq!(b.verdict, Verdict::NotCalledFor, "{}", b.text);
        assert!(
            b.text.contains("started automatically when impact stopped (20m in); nobody called one; a drill this short does not call for one"),
            "{}",
            b.text
        );

        // A break the commander calls is credited to the commander.
        apply(
            &mut short,
            61,
            "alice",
            Op::StartBreak {
                kind: BreakKind::Team,
                minutes: 15,
                reason: None,
            },
        );
        let b = point(&Debrief::of(&short, at(80)).unwrap(), "break").clone();
        assert_eq!(b.verdict, Verdict::Good, "{}", b.text);
        assert_eq!(b.text, "alice called a team break 1h01m in.");
    }

    #[test]
    fn commander_and_communications_on_one_person_is_a_finding() {
        let mut inc = drill(1);
        claim(&mut inc, 1, "alice", Role::Commander);
        claim(&mut inc, 2, "alice", Role::Communications);
        let d = Debrief::of(&inc, at(30)).unwrap();
        assert_eq!(point(&d, "commander").verdict, Verdict::Good);
        let comms = point(&d, "communications");
        assert_eq!(comms.verdict, Verdict::Missed, "{}", comms.text);
        assert!(
            comms.text.starts_with(
                "alice held commander and communications at once from 2m in to the end: one person ran the incident and kept everyone informed. The practice: nobody should run the incident and communicate at once"
            ),
            "{}",
            comms.text
        );
        assert!(
            !d.text().contains("✓ communications"),
            "not a tick: {}",
            d.text()
        );

        // Handed to someone else within ten minutes: as the practice says,
        // and still told.
        apply(
            &mut inc,
            6,
            "alice",
            Op::SetRole {
                role: Role::Communications,
                user: Some("bob".into()),
            },
        );
        let comms = point(&Debrief::of(&inc, at(30)).unwrap(), "communications").clone();
        assert_eq!(comms.verdict, Verdict::Good, "{}", comms.text);
        assert!(
            comms.text.starts_with(
                "alice held commander and communications at once from 2m until 6m in, then bob held communications apart from the commander 6m in."
            ),
            "{}",
            comms.text
        );
    }

    #[test]
    fn at_speed_every_figure_is_on_the_scenarios_clock() {
        let secs = |s: i64| at(0) + Duration::seconds(s);
        let mut inc = drill(60);
        let put = |inc: &mut Incident, s: i64, who: &str, op: Op| {
            let rec = Record {
                at: secs(s),
                by: Actor::named(who),
                op,
            };
            ops::apply(inc, &rec).unwrap_or_else(|e| panic!("{e}"));
        };
        // Wall seconds at 60x: each is a minute of the scenario.
        put(
            &mut inc,
            3,
            "alice",
            Op::ClaimRole {
                role: Role::Commander,
            },
        );
        put(
            &mut inc,
            12,
            "bob",
            Op::ClaimRole {
                role: Role::Communications,
            },
        );
        put(
            &mut inc,
            15,
            "bob",
            Op::PostUpdate {
                text: "looking".into(),
                external: false,
            },
        );
        put(
            &mut inc,
            50,
            "bob",
            Op::PostUpdate {
                text: "rolling back".into(),
                external: false,
            },
        );
        let d = Debrief::of(&inc, secs(60)).unwrap();
        let text = d.text();
        assert!(
            text.starts_with(
                "DRILL debrief — INC-1 (scenario bad-deploy, played at 60x: every time below is on the scenario's clock), still running, 1h00m in:"
            ),
            "{text}"
        );
        assert!(
            text.contains("✓ commander: alice took commander 3m in."),
            "{text}"
        );
        assert!(
            text.contains("✗ communications: bob took communications 12m in, late."),
            "{text}"
        );
        assert!(
            text.contains(
                "✗ updates on cadence: 2 updates sent; the longest stretch without one was 35m against a cadence of 20 minutes."
            ),
            "{text}"
        );
    }
}

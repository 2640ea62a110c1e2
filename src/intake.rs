//! Taking a page in: a parsed alert either joins the active incident with
//! the same de-duplication key, or declares a new one. Shared by
//! `incident page` and `incident listen`.

use crate::model::{Actor, Incident, PageLink, Relation, SystemStatus};
use crate::ops::Op;
use crate::pager::{Alert, AlertState, PagerError, Source};
use crate::store::{Listed, Store, StoreError};

mod maintenance;

/// What happened to a page: the verdict both surfaces give, in the same
/// words (`declared INC-3`, `joined INC-1`, `logged INC-1`, `ignored: ...`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A new incident was declared for it.
    Declared(String),
    /// The alert fired again and joined this active incident, which has it.
    Joined(String),
    /// A follow-up (an acknowledgement, a resolve, a note) was logged on
    /// this incident: the one that has the alert, live or ended.
    Logged(String),
    /// Nothing to do, and why: a resolve for an alert nobody has, an event
    /// that is about no alert.
    Ignored(String),
    /// A delivery this incident has logged already, delivered again (a
    /// sender's retry, Alertmanager's repeat of an unchanged group): taken
    /// as logged, and nothing written a second time.
    Redelivered(String),
    /// A page for a service in a maintenance window: nothing declared or
    /// joined; counted on the window (`count` pages so far).
    Suppressed {
        window: String,
        service: String,
        until: chrono::DateTime<chrono::Utc>,
        count: u64,
    },
}

impl Outcome {
    pub fn incident(&self) -> Option<&str> {
        match self {
            Outcome::Declared(id)
            | Outcome::Joined(id)
            | Outcome::Logged(id)
            | Outcome::Redelivered(id) => Some(id),
            Outcome::Ignored(_) | Outcome::Suppressed { .. } => None,
        }
    }

    /// `declared`, `joined`, `logged` or `ignored` (a redelivery is
    /// `logged`: it is, from before).
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Declared(_) => "declared",
            Outcome::Joined(_) => "joined",
            Outcome::Logged(_) | Outcome::Redelivered(_) => "logged",
            Outcome::Ignored(_) => "ignored",
            Outcome::Suppressed { .. } => "suppressed",
        }
    }

    /// One line for people: `declared INC-3`, `logged INC-1 (redelivery)`,
    /// `ignored: why`.
    pub fn line(&self) -> String {
        match self {
            Outcome::Ignored(why) => format!("ignored: {}", crate::sanitize::line(why)),
            Outcome::Redelivered(id) => format!("logged {id} (redelivery)"),
            Outcome::Suppressed {
                window,
                service,
                until,
                count,
            } => format!(
                "suppressed by {window} until {} ({service} in maintenance: {count} page{} suppressed)",
                until.format("%Y-%m-%d %H:%M UTC"),
                if *count == 1 { "" } else { "s" }
            ),
            other => format!("{} {}", other.word(), other.incident().unwrap_or_default()),
        }
    }
}

/// The verdict as JSON, the same from `incident page --json` and from
/// the listener: `{"outcome": "declared", "incident": "INC-3", "source":
/// "alertmanager", "notes": [...]}`, or `{"outcome": "ignored", "why":
/// "..."}`. A redelivery is `{"outcome": "logged", "incident": "INC-1",
/// "redelivery": true, ...}`.
pub fn report(outcome: &Outcome, source: Option<Source>, notes: &[String]) -> serde_json::Value {
    let mut v = serde_json::json!({ "outcome": outcome.word() });
    match outcome {
        Outcome::Ignored(why) => v["why"] = why.as_str().into(),
        Outcome::Suppressed {
            window,
            service,
            until,
            count,
        } => {
            v["window"] = window.as_str().into();
            v["service"] = service.as_str().into();
            v["until"] = serde_json::to_value(until).unwrap_or_default();
            v["suppressed"] = (*count).into();
        }
        other => v["incident"] = other.incident().unwrap_or_default().into(),
    }
    if matches!(outcome, Outcome::Redelivered(_)) {
        v["redelivery"] = true.into();
    }
    if let Some(source) = source {
        v["source"] = source.as_str().into();
    }
    if !notes.is_empty() {
        v["notes"] = notes.into();
    }
    v
}

/// A payload the parser refused, judged: a well-formed event that is about
/// no alert (PagerDuty's `service.updated`, a test ping) is answered with
/// `ignored`, not refused, so its sender does not give up on the
/// subscription; anything else is malformed.
pub fn ignorable(e: &PagerError) -> Option<Outcome> {
    e.aside.then(|| Outcome::Ignored(e.problem.clone()))
}

/// One page at a time within a process (see [`take`]).
static IN_PROCESS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// How long a page waits for another being filed before it gives up and
/// says so (the listener answers 503, so the sender retries).
pub const INTAKE_WAIT: std::time::Duration = std::time::Duration::from_secs(15);

/// What a page was, as a noun: `page`, `acknowledgement`, `resolve`, or
/// the sender's own word for a side event.
pub fn follow_up_noun(state: &AlertState) -> String {
    match state {
        AlertState::Triggered => "page".into(),
        AlertState::Acknowledged { .. } => "acknowledgement".into(),
        AlertState::Resolved => "resolve".into(),
        AlertState::Other { what } => format!("\"{}\"", crate::sanitize::line(what)),
    }
}

fn state_word(s: &AlertState) -> (String, Option<String>) {
    match s {
        AlertState::Triggered => ("triggered".into(), None),
        AlertState::Acknowledged { by } => ("acknowledged".into(), by.clone()),
        AlertState::Resolved => ("resolved".into(), None),
        AlertState::Other { what } => (what.clone(), None),
    }
}

/// What happened to a page, and what a person should be told about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub outcome: Outcome,
    /// One line each: the severity raised, a recurrence linked, an
    /// acknowledgement filed by its service, a link that could not be made.
    pub notes: Vec<String>,
}

/// The de-duplication key: keys are only unique within one source
/// (Grafana's group keys look like Alertmanager's).
fn key_of(alert: &Alert) -> String {
    format!("{}:{}", alert.source.as_str(), alert.dedup_key)
}

/// Every key an incident may know this alert by: its own, and for
/// PagerDuty the integration's `incident_key` (the Events API's
/// `dedup_key`), so a webhook about PagerDuty's incident finds the one
/// declared from the event that opened it. Never the service.
fn keys_of(alert: &Alert) -> Vec<String> {
    let mut keys = vec![key_of(alert)];
    if alert.source == crate::pager::Source::PagerDuty
        && let Some(k) = &alert.events_key
    {
        let other = format!("{}:{k}", alert.source.as_str());
        if other != keys[0] {
            keys.push(other);
        }
    }
    keys
}

/// The page itself, as logged.
fn paged_op(alert: &Alert) -> Op {
    let (state, by) = state_word(&alert.state);
    Op::Paged {
        source: alert.source.label().to_string(),
        key: key_of(alert),
        state,
        acked_by: by,
        title: alert.title.clone(),
        severity: Some(alert.severity),
        links: alert
            .main_links()
            .into_iter()
            .map(|(label, url)| PageLink {
                label: label.to_string(),
                url,
            })
            .collect(),
        events_key: alert.events_key.clone(),
        times: crate::model::PagerTimes::boxed(alert.started_at, alert.occurred_at),
        delivery: alert.delivery_id.clone(),
    }
}

/// A page into an incident that already exists (a drill's): the page,
/// and the service it names marked failing while it fires. A drill's
/// payload times are the scenario's fiction: the page counts from when the
/// drill plays it.
pub fn page_ops(alert: &Alert) -> Vec<Op> {
    let mut paged = paged_op(alert);
    // (Nor is it a delivery: the same payload plays again in the next
    // drill, and must never hide a real one.)
    if let Op::Paged {
        times, delivery, ..
    } = &mut paged
    {
        *times = None;
        *delivery = None;
    }
    let mut ops = vec![paged];
    if let (Some(service), AlertState::Triggered) = (&alert.service, &alert.state) {
        ops.push(Op::ReportSystem {
            name: service.clone(),
            status: SystemStatus::Failing,
            source: alert.source.label().to_string(),
        });
    }
    ops
}

/// File `alert` into `store` as `me`.
pub fn receive(store: &Store, me: &Actor, alert: &Alert) -> Result<Outcome, StoreError> {
    take(store, me, alert).map(|r| r.outcome)
}

/// What a person filing the page should hear about the pager's own times:
/// a start or an ack time that is not believed (see
/// [`crate::model::milestone::from_the_pager`]).
fn time_notes(alert: &Alert, declared: bool) -> Vec<String> {
    use crate::model::milestone::from_the_pager;
    let now = chrono::Utc::now();
    let mut notes = Vec::new();
    if declared {
        notes.extend(from_the_pager(alert.started_at, now, "the alert's start time").1);
    }
    if matches!(alert.state, AlertState::Acknowledged { .. }) {
        notes.extend(from_the_pager(alert.occurred_at, now, "the acknowledgement's time").1);
    }
    notes
}

/// File `alert` into `store` as `me`, under the directory's intake lock
/// ([`Store::intake_lock`]) so that the decision and its write are one
/// step whatever else is delivered at the same moment:
///
/// - an active incident that has this alert gets it (a re-trigger at a
///   worse severity raises the incident's);
/// - a follow-up (an acknowledgement, a resolve, a note) for an alert
///   whose incident has ended is logged on that incident;
/// - a resolution or a side event for an alert no incident has is
///   ignored;
/// - an acknowledgement for such an alert goes to the active incident
///   where its service is failing or degraded, if there is one;
/// - otherwise a new incident is declared, marked acknowledged if that is
///   what the page said, and a new firing of a resolved incident's alert
///   is linked both ways to it ("recurrence of INC-1").
pub fn take(store: &Store, me: &Actor, alert: &Alert) -> Result<Received, StoreError> {
    // Pages filed by this process (the listener's threads) queue here, in
    // turn, rather than all polling the file lock; the file lock then
    // excludes other processes and boxes.
    // The whole wait, queue and file lock together, is bounded by
    // INTAKE_WAIT (below the listener's request timeout), so a page that
    // waited too long is refused with 503 before anything is written,
    // never filed after its sender was told to send it again.
    let deadline = std::time::Instant::now() + INTAKE_WAIT;
    let mut pause = std::time::Duration::from_micros(200);
    let queued = loop {
        match IN_PROCESS.try_lock() {
            Ok(g) => break g,
            Err(std::sync::TryLockError::Poisoned(p)) => break p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                if std::time::Instant::now() >= deadline {
                    return Err(StoreError::LockTimeout {
                        path: store.dir().join(crate::store::INTAKE_LOCK),
                        waited: INTAKE_WAIT,
                    });
                }
                std::thread::sleep(pause);
                pause = (pause * 2).min(std::time::Duration::from_millis(2));
            }
        }
    };
    let held = store.intake_lock(deadline.saturating_duration_since(std::time::Instant::now()))?;
    let mut received = take_page(store, me, alert)?;
    drop(held);
    drop(queued);
    if received.outcome.incident().is_some() && !matches!(received.outcome, Outcome::Redelivered(_))
    {
        let declared = matches!(received.outcome, Outcome::Declared(_));
        received.notes.extend(time_notes(alert, declared));
    }
    Ok(received)
}

fn take_page(store: &Store, me: &Actor, alert: &Alert) -> Result<Received, StoreError> {
    // A page about our own call for help: its acknowledgement.
    if let Some(r) = crate::notify::acks::take(store, me, alert)? {
        return Ok(r);
    }
    let keys = keys_of(alert);
    let has = |i: &Incident| keys.iter().any(|k| i.pager_keys.contains(k));
    let paged = paged_op(alert);
    let known = having_key(store, &keys)?;
    // The same delivery again (a retry, a repeat of an unchanged group):
    // it is logged already, once, wherever it went.
    if let Some(d) = &alert.delivery_id
        && let Some(inc) = known
            .iter()
            .find(|i| !i.is_drill() && i.pager_deliveries.contains(d))
    {
        return Ok(Received {
            outcome: Outcome::Redelivered(inc.id.clone()),
            notes: vec![format!(
                "a redelivery: this {} {} was taken before and is logged on {} once; nothing is written again",
                alert.source.label(),
                follow_up_noun(&alert.state),
                inc.id
            )],
        });
    }
    // A service in maintenance: a new problem's page declares nothing.
    // One for an alert an active incident already has (the group fired
    // again, a severity raised) goes to that incident: the room is on it,
    // and the window was not meant to hide it from them. So does one that
    // only restates an alert an incident has (PagerDuty escalating it).
    let mut notes = Vec::new();
    let restated = alert.restates && known.iter().any(has);
    let ongoing = known.iter().any(|i| i.is_live() && has(i));
    if !restated && !ongoing {
        match maintenance::held_back(store, alert) {
            Ok(Some(held)) => return Ok(held),
            Ok(None) => {}
            Err(why) => notes.push(why),
        }
    }
    let follow_up = !matches!(alert.state, AlertState::Triggered);
    // An active incident that already has this key gets the page.
    if let Some(inc) = known.iter().find(|i| i.is_live() && has(i)) {
        let mut file = store.open(&inc.id)?;
        let before = file.incident().severity;
        file.commit(me, paged)?;
        let after = file.incident().severity;
        if after != before {
            notes.push(format!(
                "severity raised {before} → {after}: the alert re-triggered at {after}"
            ));
        }
        let outcome = if follow_up {
            Outcome::Logged(inc.id.clone())
        } else {
            Outcome::Joined(inc.id.clone())
        };
        return Ok(Received { outcome, notes });
    }
    // A late acknowledgement, resolve or note for an alert whose incident
    // has ended belongs on that incident: nothing fired again. So does a
    // page that only restates one (PagerDuty escalating, or changing the
    // priority of, its incident the room already resolved).
    if (follow_up || alert.restates)
        && let Some(inc) = known
            .iter()
            .filter(|i| !i.is_active() && !i.is_drill() && has(i))
            .max_by_key(|i| (i.closed.is_none(), i.resolved_at, i.declared_at))
    {
        return late_on_ended(store, me, alert, inc, paged, notes);
    }
    // A resolution or a side event (a note, a priority change) for an
    // alert no incident has is no reason to declare one.
    match &alert.state {
        AlertState::Resolved => {
            return Ok(ignored(format!(
                "{} says \"{}\" resolved, and no incident has that alert",
                alert.source.label(),
                alert.title
            )));
        }
        AlertState::Other { what } => {
            return Ok(ignored(format!(
                "{} sent \"{what}\" for an alert no incident has",
                alert.source.label()
            )));
        }
        AlertState::Acknowledged { .. } => {
            // Someone is on it already: it belongs with the incident where
            // its service is bleeding, if one is open; never for a pager
            // whose follow-ups name their own incident (PagerDuty: an ack
            // of its incident B is not the war room of A on one service).
            if alert.joins_by_service()
                && let Some(service) = &alert.service
                && let Some(inc) = known.iter().find(|i| {
                    i.is_live()
                        && i.systems
                            .get(service)
                            .is_some_and(|s| s.status.is_bleeding())
                })
            {
                store.open(&inc.id)?.commit(me, paged)?;
                notes.push(format!(
                    "no incident had this alert: the acknowledgement is logged to {}, the active incident where {service} is {}",
                    inc.id, inc.systems[service].status
                ));
                return Ok(Received {
                    outcome: Outcome::Logged(inc.id.clone()),
                    notes,
                });
            }
            // The acknowledgement of a page a window held back (the
            // on-call silenced it at the pager): it declares nothing.
            match maintenance::held_back_ack(store, alert) {
                Ok(Some(held)) => return Ok(held),
                Ok(None) => {}
                Err(why) => notes.push(why),
            }
        }
        AlertState::Triggered => {}
    }
    declare_for(store, me, alert, &known, paged, notes)
}

/// A late acknowledgement, resolve or note (or a restating page) for an
/// alert whose incident `inc` has ended: logged there, nothing declared.
fn late_on_ended(
    store: &Store,
    me: &Actor,
    alert: &Alert,
    inc: &Incident,
    paged: Op,
    mut notes: Vec<String>,
) -> Result<Received, StoreError> {
    let (state, _) = state_word(&alert.state);
    let ended = match &inc.closed {
        Some(c) => format!("closed ({})", c.label()),
        None => "resolved".to_string(),
    };
    if inc.closed.is_some() || alert.restates {
        // A closed incident takes log entries only; so does a
        // restated page (it is no new trigger to record).
        let by = match &alert.state {
            AlertState::Acknowledged { by: Some(b) } => format!(" by {b}"),
            _ => String::new(),
        };
        let state: &str = if alert.restates {
            "still open (escalated or its priority changed)"
        } else {
            &state
        };
        let text = format!(
            "{state} in {}{by}, after the incident was {ended}: {}",
            alert.source.label(),
            alert.title
        );
        // A note holds no delivery id: a delivery with one whose very
        // note is there already is that delivery again.
        if alert.delivery_id.is_some()
            && inc
                .log
                .iter()
                .any(|e| e.kind == crate::model::LogKind::Note && e.text == text)
        {
            return Ok(Received {
                outcome: Outcome::Redelivered(inc.id.clone()),
                notes: vec![format!(
                    "a redelivery: {} is closed and already notes this {}; nothing is written again",
                    inc.id,
                    follow_up_noun(&alert.state)
                )],
            });
        }
        store.open(&inc.id)?.commit(
            me,
            Op::Log {
                kind: crate::model::LogKind::Note,
                text,
            },
        )?;
    } else {
        store.open(&inc.id)?.commit(me, paged)?;
    }
    notes.push(format!(
        "{} is {ended}: the {} is logged there; nothing fired again, so no incident is declared",
        inc.id,
        follow_up_noun(&alert.state)
    ));
    Ok(Received {
        outcome: Outcome::Logged(inc.id.clone()),
        notes,
    })
}

/// A new incident for the page (none has its alert, or it is a
/// recurrence of one resolved): the page, the failing service, the links
/// and what fired all land in its first write.
fn declare_for(
    store: &Store,
    me: &Actor,
    alert: &Alert,
    known: &[Incident],
    paged: Op,
    mut notes: Vec<String>,
) -> Result<Received, StoreError> {
    let keys = keys_of(alert);
    let has = |i: &Incident| keys.iter().any(|k| i.pager_keys.contains(k));
    // The same alert, after the incident it opened was resolved.
    let previous = known
        .iter()
        .filter(|i| i.is_resolved() && !i.is_drill() && has(i))
        .max_by_key(|i| (i.resolved_at, i.declared_at))
        .map(|i| i.id.clone());
    // A new incident: the page, the failing service, the links and what
    // fired all land in its first write.
    let mut first = vec![paged];
    if let Some(prev) = &previous {
        first.push(Op::Relate {
            relation: Relation::RecurrenceOf,
            incident: prev.clone(),
            keys: Vec::new(),
        });
    }
    if let Some(service) = &alert.service {
        // The alert's word, not a check: shown as reported by the pager
        // (and, for an acknowledgement, by whom, never as freshly firing).
        let source = match &alert.state {
            AlertState::Acknowledged { by } => format!(
                "acknowledged in {}{}",
                alert.source.label(),
                by.as_ref().map(|b| format!(" by {b}")).unwrap_or_default()
            ),
            _ => alert.source.label().to_string(),
        };
        first.push(Op::ReportSystem {
            name: service.clone(),
            status: SystemStatus::Failing,
            source,
        });
    }
    let mut text = String::new();
    for (label, url) in &alert.links {
        text.push_str(&format!("{label}: {url}\n"));
    }
    if !alert.details.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&alert.details);
    }
    if !text.trim().is_empty() {
        first.push(Op::AddSnippet {
            title: format!("{} alert", alert.source.label()),
            text,
            entry: None,
        });
    }
    let intro = crate::store::Intro {
        skip_broken_map: true,
        then: first,
        ..Default::default()
    };
    let file = store.declare_as(me, &alert.title, alert.severity, intro)?;
    let id = file.incident().id.clone();
    let service = alert.service.as_deref().unwrap_or_default();
    if let Some(inc) = failing_in(known, service) {
        notes.push(format!(
            "{service} is already failing in {} ({}): if this is the same problem, merge: incident merge {id} --into {}",
            inc.id, inc.severity, inc.id
        ));
    }
    if let Some(prev) = previous {
        // The old incident shows the link too; the new one stands anyway.
        let back = Op::Relate {
            relation: Relation::RecurredAs,
            incident: id.clone(),
            keys: Vec::new(),
        };
        match store.open(&prev).and_then(|mut f| f.commit(me, back)) {
            Ok(_) => notes.push(format!(
                "recurrence of {prev}: the same alert fired after {prev} was resolved"
            )),
            Err(e) => notes.push(format!(
                "recurrence of {prev}, but {prev} could not be linked back: {e}"
            )),
        }
    }
    Ok(Received {
        outcome: Outcome::Declared(id),
        notes,
    })
}

/// The worst, then oldest, active incident (no drill) where `service` is
/// failing: a page declaring anew for it says so.
fn failing_in<'a>(known: &'a [Incident], service: &str) -> Option<&'a Incident> {
    known
        .iter()
        .filter(|i| i.is_active() && !i.is_drill())
        .filter(|i| {
            i.systems
                .get(service)
                .is_some_and(|s| s.status == SystemStatus::Failing)
        })
        .min_by_key(|i| (i.severity, i.declared_at))
}

/// Every incident that may be active (or hold a freeze) and can be read:
/// from the directory's index, so a page costs the same a year in.
fn hot_incidents(store: &Store) -> Result<Vec<Incident>, StoreError> {
    Ok(store
        .list_active()?
        .into_iter()
        .filter_map(|l| match l {
            Listed::Ok(inc) => Some(*inc),
            Listed::Broken { .. } => None,
        })
        .collect())
}

/// The incidents that may have the alert's keys, loaded (past the cache
/// on a shared file system): every hot one, and the ended ones the
/// directory's index files under one of `keys`. The index may name more
/// than is true, never less; each is judged on what its file says.
fn having_key(store: &Store, keys: &[String]) -> Result<Vec<Incident>, StoreError> {
    let mut out = hot_incidents(store)?;
    let loaded: std::collections::BTreeSet<String> = out.iter().map(|i| i.id.clone()).collect();
    for id in crate::store::index::ended_with(store.dir(), keys)? {
        if loaded.contains(&id) {
            continue;
        }
        if let Ok(file) = crate::store::IncidentFile::open(&store.path_of(&id)) {
            out.push(file.incident().clone());
        }
    }
    Ok(out)
}

fn ignored(why: String) -> Received {
    Received {
        outcome: Outcome::Ignored(why),
        notes: Vec::new(),
    }
}

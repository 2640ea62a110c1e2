//! Operations: the only way an incident changes.
//!
//! Every change, whether typed in the TUI, run from the CLI or sent by a
//! script, becomes one [`Op`], stored as one line of the incident file and
//! applied by [`apply`]. [`check`] is the single home of the rules: what is
//! valid and who may do what. Replaying a file ([`replay`]) applies the
//! effects without re-judging them, because each line was judged against
//! exactly the state it was written on.

mod effects;
mod refusal;
mod rules;
#[cfg(test)]
mod tests;

pub use refusal::{CommsWrite, On, Refusal, Render, Surface, WayOut};
pub use rules::{
    Clear, GoFor, NotCleared, PROPOSED_WHY, RunDecision, RunTeam, RunWithoutGo, RunWithoutGoError,
    check, check_stateless, check_system_name, check_text, check_title, check_user, decide_run,
    go_for_mitigation, lifecycle_question, maintenance, may_page, may_run, may_set_section,
    request_clears, run_needs_go, stale_requests, state_name, takeover, unfreeze_here,
};

use crate::model::{
    Actor, BreakKind, CloseKind, Evidence, HumanSettings, Incident, LogKind, MitigationKind,
    MitigationStatus, PageLink, Relation, Risk, Role, RunEvidence, Section, Severity, Speed,
    Status, SystemStatus,
};
use crate::systems::SystemSpec;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest title accepted, in characters.
pub const MAX_TITLE: usize = 200;
/// Longest log text accepted, in bytes.
pub const MAX_TEXT: usize = 64 * 1024;
/// Longest user name accepted, in bytes.
pub const MAX_USER: usize = 64;

/// One change to an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// The first operation of every incident. `roles` are optional roles
    /// the team wants shown from the start.
    Declare {
        title: String,
        severity: Severity,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        roles: Vec<Role>,
    },
    /// Append an entry to the action log.
    Log {
        kind: LogKind,
        text: String,
    },
    /// Change the status. Marking it mitigated while systems still fail,
    /// or resolved while work is still open, is refused unless `force`;
    /// resolving lifts a deploy freeze unless `keep_freeze`.
    SetStatus {
        status: Status,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        force: bool,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        keep_freeze: bool,
    },
    SetSeverity {
        severity: Severity,
    },
    /// Give a role to a user, or empty it with `user: None` (commander).
    SetRole {
        role: Role,
        user: Option<String>,
    },
    /// Take an empty role yourself.
    ClaimRole {
        role: Role,
    },
    /// Leave a role you hold.
    StepDown {
        role: Role,
    },
    /// Offer a role you hold to someone; it moves when they accept.
    OfferRole {
        role: Role,
        to: String,
    },
    AcceptRole {
        role: Role,
    },
    DeclineRole {
        role: Role,
    },
    WithdrawOffer {
        role: Role,
    },
    /// Show an optional role on this incident.
    AddRole {
        role: Role,
    },
    /// Log, once, that an essential role is still empty.
    Nudge {
        role: Role,
    },
    /// "About to: TEXT": a request for the commander's go, possibly to
    /// start mitigation `mitigation`.
    Announce {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mitigation: Option<u64>,
    },
    /// The commander's go or hold for request `request`.
    Answer {
        request: u64,
        go: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The asker of request `request` stopped waiting for its answer
    /// (Ctrl-C, SIGTERM or a dropped session on a waiting `incident run`
    /// or `announce --wait`): it is withdrawn, and nobody is asked any more.
    WithdrawRequest {
        request: u64,
    },
    /// Set a system's status (creating it if new), with how it was checked.
    SetSystem {
        name: String,
        status: SystemStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        evidence: Option<Evidence>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// `system` depends on `on` (both created if new).
    Depend {
        system: String,
        on: String,
    },
    Undepend {
        system: String,
        on: String,
    },
    /// A team's service map, all at once.
    ImportSystems {
        source: String,
        systems: Vec<SystemSpec>,
    },
    /// Record an assumption as unverified.
    Assume {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
    /// Close assumption `id` as true, with evidence.
    Verify {
        id: u64,
        evidence: Evidence,
    },
    /// Close assumption `id` as false, with evidence.
    Refute {
        id: u64,
        evidence: Evidence,
    },
    /// Who is affected and how many, as best known now.
    SetImpact {
        text: String,
    },
    /// Name `system` as the suspected cause, optionally because of an
    /// assumption or a log entry: it outranks the graph's guess.
    NameSuspect {
        system: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        because: Option<crate::model::CauseLink>,
    },
    /// Take back the named suspect: the graph's guess leads again.
    ClearSuspect,
    /// Propose a mitigation.
    ProposeMitigation {
        text: String,
        kind: MitigationKind,
        risk: Risk,
        speed: Speed,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        system: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
    },
    /// Take a mitigation (owner = yourself) or give it to someone.
    OwnMitigation {
        id: u64,
        owner: Option<String>,
    },
    /// Start applying it (destructive ones need the commander's go).
    StartMitigation {
        id: u64,
    },
    /// Mark it as a procedure: starting it pauses everyone briefly first.
    MarkProcedure {
        id: u64,
    },
    /// It is done, failed or abandoned, with what happened.
    FinishMitigation {
        id: u64,
        status: MitigationStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<String>,
    },
    /// Investigation work with an owner: root cause, impact analysis.
    AddTask {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
    },
    OwnTask {
        id: u64,
        owner: Option<String>,
    },
    FinishTask {
        id: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        result: Option<String>,
    },
    /// Freeze deploys.
    Freeze {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    Unfreeze,
    /// Fill the document from a template (only while it is untouched).
    ApplyTemplate {
        name: String,
        sections: Vec<TemplateSection>,
    },
    /// Replace a section's text. `base` is the version the writer started
    /// from: if someone saved in between, the edit is refused so nobody's
    /// text is silently lost.
    EditSection {
        section: Section,
        text: String,
        base: u64,
    },
    /// Add a paragraph to a section (never conflicts).
    AppendSection {
        section: Section,
        text: String,
    },
    /// A titled, verbatim snippet for the appendix.
    AddSnippet {
        title: String,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        entry: Option<u64>,
    },
    /// Put a log entry on the timeline, or take it off.
    Pin {
        entry: u64,
    },
    Unpin {
        entry: u64,
    },
    /// A status update sent by communications.
    PostUpdate {
        text: String,
        external: bool,
    },
    /// Minutes between comms updates for this incident.
    SetUpdateCadence {
        minutes: u32,
    },
    /// Start a break everyone sees: a team break (commander), or the short
    /// pause before a procedure (anyone starting one).
    StartBreak {
        kind: BreakKind,
        minutes: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// End the running break early (commander).
    EndBreak,
    /// Food is ordered (expense it).
    OrderFood {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Stand someone down to rest (commander).
    Detach {
        user: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// Break lengths and thresholds for this incident (from team config).
    SetHumanSettings {
        settings: HumanSettings,
    },
    /// A page arrived for this incident: first, re-triggered, acknowledged
    /// or resolved at the source. `state` is triggered, acknowledged,
    /// resolved or what the source called it.
    Paged {
        source: String,
        key: String,
        state: String,
        /// Who acknowledged it at the source. (Not `by`: that is the
        /// record's author, and fields share one JSON object.)
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acked_by: Option<String>,
        title: String,
        /// The severity the page carries: a re-trigger at a worse one
        /// raises the incident's (never lowers it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        severity: Option<Severity>,
        /// Runbook, dashboard and bridge links it carries, for the main
        /// screen.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        links: Vec<PageLink>,
        /// The key PagerDuty's Events API knows the alert by (a V3
        /// webhook's `incident_key`), which its resolve must name.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        events_key: Option<String>,
        /// When the alert started and when this event happened, as the
        /// pager says: detected and acknowledged, once checked against
        /// the arrival (`model::milestone::from_the_pager`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        times: Option<Box<crate::model::PagerTimes>>,
        /// The delivery's id (`Alert::delivery_id`): the same again is a
        /// redelivery of this page, not logged twice.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        delivery: Option<String>,
    },
    /// A command run for the incident and its outcome (`incident run`).
    Ran {
        evidence: Box<RunEvidence>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        request: Option<u64>,
    },
    /// Take `role` from `from`, who has been away (no live view open,
    /// nothing written) since `away_since`: allowed once that is at least
    /// `after` minutes (the team's `takeover_after` when this was written).
    TakeOver {
        role: Role,
        from: String,
        away_since: DateTime<Utc>,
        after: u32,
    },
    /// Close the incident without resolving it: a duplicate of incident
    /// `into` (`incident merge`), or a false alarm with a `reason`
    /// (`incident cancel`). It is no longer active, and never resolved.
    Close {
        kind: CloseKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        into: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Record how another incident relates to this one (a recurrence, a
    /// duplicate merged in). `keys`: pager keys that now belong here.
    Relate {
        relation: Relation,
        incident: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        keys: Vec<String>,
    },
    /// A system's status as the pager's alert reports it (`source`: the
    /// pager, e.g. PagerDuty): shown as "reported by pager", never as
    /// verified, until someone checks it (`SetSystem`).
    ReportSystem {
        name: String,
        status: SystemStatus,
        source: String,
    },
    /// When a milestone really happened, known later (impact started an
    /// hour before the page), with why that time.
    SetMilestone {
        milestone: crate::model::Milestone,
        /// (Not `at`: that is the record's time, and fields share one
        /// JSON object.)
        happened_at: DateTime<Utc>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A follow-up for after the incident (an action item).
    AddFollowup {
        text: String,
        kind: crate::model::FollowupKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
    },
    /// Take a follow-up (owner = yourself) or give it to someone.
    OwnFollowup {
        id: u64,
        owner: Option<String>,
    },
    /// A follow-up is done.
    FinishFollowup {
        id: u64,
    },
    /// Correct log entry `entry` (its author only): it keeps what it first
    /// said, shown struck through beside `text`. Nothing is removed.
    Correct {
        entry: u64,
        text: String,
    },
    /// Take back log entry `entry` (its author only), saying why.
    Retract {
        entry: u64,
        reason: String,
    },
    /// This incident is a drill of `scenario` (in its first write only).
    StartDrill {
        scenario: String,
        speed: u32,
    },
    /// A drill's runner played this step of the scenario (in the same
    /// write as what the step did).
    DrillStep {
        step: crate::model::DrillStep,
    },
    /// "I am sending update `update` to `target` now" (try `attempt`):
    /// written under the lock before anything is sent, so two senders
    /// never send the same update. Update 0 is the PagerDuty resolve.
    ClaimDelivery {
        update: u64,
        target: String,
        attempt: u32,
    },
    /// The service took it. `remote_id`: the incident the service made
    /// (Statuspage), which later updates change.
    Delivered {
        update: u64,
        target: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        remote_id: Option<String>,
    },
    /// It did not go through; the next try is not before `next_try_at`.
    DeliveryFailed {
        update: u64,
        target: String,
        error: String,
        next_try_at: DateTime<Utc>,
    },
    /// It will never be sent, and why (a drill's updates go nowhere real).
    DeliverySkipped {
        update: u64,
        target: String,
        reason: String,
    },
    /// Call `team` (a `[[responders]]` name) for help. `kind` is how it
    /// is paged (pagerduty, opsgenie, webhook), filled in from the team
    /// file just before writing (`store::workflow::act`). The page itself
    /// is a delivery, sent like an update.
    Escalate {
        team: String,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        kind: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// A team paged from here acknowledged it at its pager (`source`), as
    /// the listener heard. (Not `by`: that is the record's author.)
    EscalationAcked {
        team: String,
        source: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        acked_by: Option<String>,
    },
}

/// The areas the rules and effects are split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// Declaring, the log, status, severity, pages.
    Incident,
    /// Who commands and communicates, and how command moves.
    Roles,
    /// Requests for go, their answers, and what was run.
    Requests,
    /// Systems, dependencies, assumptions, impact.
    Systems,
    /// Mitigations, investigation tasks, the deploy freeze.
    Mitigations,
    /// The incident document and the updates sent.
    Document,
    /// Breaks, food, standing people down, the team settings.
    Human,
    /// Updates leaving the box: who sends which, and how it went.
    Notify,
}

impl Op {
    /// Set the status, asking nothing past the rules: no `force`, and a
    /// freeze is lifted on resolving.
    pub fn set_status(status: Status) -> Op {
        Op::SetStatus {
            status,
            force: false,
            keep_freeze: false,
        }
    }

    /// A word of caution after this operation was accepted, when it names
    /// someone nobody has seen: a role offered (or assigned) to a user who
    /// has neither taken part in `inc` nor has it open (`present`) is
    /// probably a typo, and the role would wait for an answer that never
    /// comes. Not a refusal: the next shift may not have joined yet.
    pub fn stranger_note(&self, inc: &Incident, present: &[&str]) -> Option<String> {
        let (role, user, verb) = match self {
            Op::OfferRole { role, to } => (role, to, "Offered"),
            Op::SetRole {
                role,
                user: Some(user),
            } => (role, user, "Gave"),
            _ => return None,
        };
        // The note is written after the change: a role given by `self`
        // is not the person taking part.
        let taken_part = inc.log.iter().any(|e| e.by == *user)
            || inc.roles.iter().any(|(r, h)| r != role && h.user == *user);
        (!taken_part && !present.contains(&user.as_str())).then(|| {
            format!(
                "{verb} {role} to {}, who has not opened or written to this incident: check the name",
                crate::sanitize::line(user)
            )
        })
    }

    /// The operation as it is stored: system names are lowercase, so
    /// "API" typed in one place and "api" in another are one system. Every
    /// write goes through this (the store calls it), whatever surface made
    /// the operation.
    pub fn normalized(self) -> Op {
        match self {
            Op::SetSystem {
                name,
                status,
                evidence,
                owner,
                note,
            } => Op::SetSystem {
                name: name.to_lowercase(),
                status,
                evidence,
                owner,
                note,
            },
            Op::Depend { system, on } => Op::Depend {
                system: system.to_lowercase(),
                on: on.to_lowercase(),
            },
            Op::Undepend { system, on } => Op::Undepend {
                system: system.to_lowercase(),
                on: on.to_lowercase(),
            },
            Op::ReportSystem {
                name,
                status,
                source,
            } => Op::ReportSystem {
                name: name.to_lowercase(),
                status,
                source,
            },
            Op::NameSuspect { system, because } => Op::NameSuspect {
                system: system.to_lowercase(),
                because,
            },
            other => other,
        }
    }

    /// An act of authority: a go or hold, a role moved, the status or the
    /// severity changed, the incident closed. Made under a borrowed name, it must stand out.
    pub fn is_authority(&self) -> bool {
        matches!(
            self,
            Op::Answer { .. }
                | Op::SetRole { .. }
                | Op::ClaimRole { .. }
                | Op::OfferRole { .. }
                | Op::AcceptRole { .. }
                | Op::TakeOver { .. }
                | Op::SetStatus { .. }
                | Op::SetSeverity { .. }
                | Op::Close { .. }
        )
    }

    /// `who` asking to take `role` over from a holder who has gone. Who
    /// holds it and since when they are away are not known to the asker
    /// for sure: the writer fills them in from the presence files just
    /// before writing, and judges it then, once
    /// ([`crate::store::workflow::act`]).
    pub fn take_over(role: Role) -> Op {
        Op::TakeOver {
            role,
            from: String::new(),
            away_since: DateTime::UNIX_EPOCH,
            after: 0,
        }
    }

    /// Written by a live view on its own, not by the person using it (the
    /// reminder that a role is still empty): signed by the tool
    /// ([`crate::model::Actor::tool_for`]).
    pub fn by_the_tool(&self) -> bool {
        matches!(self, Op::Nudge { .. })
    }

    /// The area whose rules judge this operation and whose effects apply
    /// it (`ops::rules::<area>`, `ops::effects::<area>`): the one table.
    pub fn area(&self) -> Area {
        match self {
            Op::Declare { .. }
            | Op::Log { .. }
            | Op::SetStatus { .. }
            | Op::SetSeverity { .. }
            | Op::Paged { .. }
            | Op::Close { .. }
            | Op::Relate { .. }
            | Op::Correct { .. }
            | Op::Retract { .. }
            | Op::StartDrill { .. }
            | Op::DrillStep { .. } => Area::Incident,
            Op::SetRole { .. }
            | Op::ClaimRole { .. }
            | Op::StepDown { .. }
            | Op::OfferRole { .. }
            | Op::AcceptRole { .. }
            | Op::DeclineRole { .. }
            | Op::WithdrawOffer { .. }
            | Op::AddRole { .. }
            | Op::Nudge { .. }
            | Op::TakeOver { .. } => Area::Roles,
            Op::Announce { .. }
            | Op::Answer { .. }
            | Op::WithdrawRequest { .. }
            | Op::Ran { .. } => Area::Requests,
            Op::SetSystem { .. }
            | Op::Depend { .. }
            | Op::Undepend { .. }
            | Op::ImportSystems { .. }
            | Op::Assume { .. }
            | Op::Verify { .. }
            | Op::Refute { .. }
            | Op::SetImpact { .. }
            | Op::NameSuspect { .. }
            | Op::ClearSuspect
            | Op::ReportSystem { .. } => Area::Systems,
            Op::ProposeMitigation { .. }
            | Op::OwnMitigation { .. }
            | Op::StartMitigation { .. }
            | Op::MarkProcedure { .. }
            | Op::FinishMitigation { .. }
            | Op::AddTask { .. }
            | Op::OwnTask { .. }
            | Op::FinishTask { .. }
            | Op::Freeze { .. }
            | Op::Unfreeze
            | Op::AddFollowup { .. }
            | Op::OwnFollowup { .. }
            | Op::FinishFollowup { .. } => Area::Mitigations,
            Op::ApplyTemplate { .. }
            | Op::EditSection { .. }
            | Op::AppendSection { .. }
            | Op::AddSnippet { .. }
            | Op::Pin { .. }
            | Op::Unpin { .. }
            | Op::PostUpdate { .. }
            | Op::SetUpdateCadence { .. }
            | Op::SetMilestone { .. } => Area::Document,
            Op::StartBreak { .. }
            | Op::EndBreak
            | Op::OrderFood { .. }
            | Op::Detach { .. }
            | Op::SetHumanSettings { .. } => Area::Human,
            Op::ClaimDelivery { .. }
            | Op::Delivered { .. }
            | Op::DeliveryFailed { .. }
            | Op::DeliverySkipped { .. }
            | Op::Escalate { .. }
            | Op::EscalationAcked { .. } => Area::Notify,
        }
    }

    /// This operation's stored name (the `op` field of its line).
    pub fn name(&self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.get("op")?.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The stored name of every operation (the `op` field of a line).
    pub const NAMES: &'static [&'static str] = &[
        "declare",
        "log",
        "set_status",
        "set_severity",
        "set_role",
        "claim_role",
        "step_down",
        "offer_role",
        "accept_role",
        "decline_role",
        "withdraw_offer",
        "add_role",
        "nudge",
        "announce",
        "answer",
        "set_system",
        "depend",
        "undepend",
        "import_systems",
        "assume",
        "verify",
        "refute",
        "set_impact",
        "name_suspect",
        "clear_suspect",
        "propose_mitigation",
        "own_mitigation",
        "start_mitigation",
        "mark_procedure",
        "finish_mitigation",
        "add_task",
        "own_task",
        "finish_task",
        "freeze",
        "unfreeze",
        "apply_template",
        "edit_section",
        "append_section",
        "add_snippet",
        "pin",
        "unpin",
        "post_update",
        "set_update_cadence",
        "start_break",
        "end_break",
        "order_food",
        "detach",
        "set_human_settings",
        "paged",
        "ran",
        "take_over",
        "close",
        "relate",
        "report_system",
        "set_milestone",
        "add_followup",
        "own_followup",
        "finish_followup",
        "correct",
        "retract",
        "start_drill",
        "drill_step",
        "claim_delivery",
        "delivered",
        "delivery_failed",
        "delivery_skipped",
        "escalate",
        "escalation_acked",
    ];
}

/// One section of a template: its starting text and the prompt shown
/// while it is empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateSection {
    pub section: Section,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
}

/// An operation as stored: who did it, and when (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub at: DateTime<Utc>,
    pub by: Actor,
    #[serde(flatten)]
    pub op: Op,
}

/// Check, then apply. This is what every writer calls.
pub fn apply(incident: &mut Incident, rec: &Record) -> Result<(), Refusal> {
    check(incident, rec)?;
    replay(incident, rec);
    Ok(())
}

/// Build the incident from its declaring record (the first operation).
pub fn genesis(id: &str, rec: &Record) -> Result<Incident, Refusal> {
    let Op::Declare {
        title,
        severity,
        roles,
    } = &rec.op
    else {
        return Err(Refusal::NotDeclared);
    };
    check_title(title)?;
    Ok(effects::declare(id, title, *severity, roles, rec))
}

/// Build the incident from its declaring record without judging it (replay).
pub fn replay_genesis(id: &str, rec: &Record) -> Option<Incident> {
    match &rec.op {
        Op::Declare {
            title,
            severity,
            roles,
        } => Some(effects::declare(id, title, *severity, roles, rec)),
        _ => None,
    }
}

/// Apply the effect of a record already judged when it was written.
pub fn replay(incident: &mut Incident, rec: &Record) {
    effects::replay(incident, rec)
}

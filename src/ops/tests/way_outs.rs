//! Every way out a refusal names is something the grammar takes
//! (`src/verbs`, on the surface it is shown on), and applies to what was
//! refused: typed by the person it is meant for, on the same incident, it
//! is accepted, or it shows the list of the kind of thing asked for.

use super::*;
use crate::model::{CloseKind, Evidence, Milestone, Section, SystemStatus};
use crate::ops::{CommsWrite, Render, Surface};
use crate::verbs::{Act, bar};

/// The commands in backquotes in `text`.
fn quoted(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// `cmd` with its placeholders filled: `you` is `to`, the rest as given
/// (or a plain word).
fn filled(cmd: &str, to: &str, names: &str) -> String {
    cmd.split(' ')
        .map(|w| match w {
            "you" => to,
            "NAME" => names,
            "TEXT" | "EVIDENCE" | "TITLE" => "seen",
            "STATUS" => "ok",
            "FILE" => "notes.txt",
            w => w,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// One of every refusal: [`kind`] fails to compile when a variant is
/// added, and the test below fails until it is listed here (in the
/// list for what it is about).
fn every_refusal() -> Vec<Refusal> {
    [
        what_is_typed(),
        declaring(),
        roles(),
        takeover(),
        requests(),
        systems(),
        mitigations(),
        document(),
        log(),
        breaks(),
        lifecycle(),
        deliveries(),
        teams(),
    ]
    .concat()
}

/// What is typed: empty, too long, the wrong kind, unchanged, names.
fn what_is_typed() -> Vec<Refusal> {
    use crate::model::LogKind;
    let s = |t: &str| t.to_string();
    vec![
        Refusal::Empty { field: "log text" },
        Refusal::TooLong {
            field: "log text",
            len: 70_000,
            max: 65_536,
            unit: "bytes",
        },
        Refusal::KindNotWritable {
            kind: LogKind::StatusChange,
        },
        Refusal::Unchanged {
            what: "status",
            value: s("mitigated"),
        },
        Refusal::InvalidUser { given: s("a b") },
        Refusal::ToolName {
            given: s("incident"),
        },
        Refusal::ToolIsNotAPerson {
            who: s("incident"),
            action: "hold a role",
        },
        Refusal::TitleNotOneLine,
    ]
}

/// Declaring, and drills.
fn declaring() -> Vec<Refusal> {
    vec![
        Refusal::AlreadyDeclared,
        Refusal::NotANewIncident,
        Refusal::DrillSpeed { speed: 0 },
        Refusal::NoSuchDrillStep,
        Refusal::NotDeclared,
    ]
}

/// Roles: holding, handing over, offers, standing down.
fn roles() -> Vec<Refusal> {
    let s = |t: &str| t.to_string();
    vec![
        Refusal::NotCommander {
            action: "change the status",
            commander: s("alice"),
        },
        Refusal::RoleHeld {
            role: Role::Communications,
            holder: s("bob"),
        },
        Refusal::HandoverRequired { holder: s("alice") },
        Refusal::NotHolder {
            role: Role::Scribe,
            holder: None,
        },
        Refusal::RoleEmpty { role: Role::Scribe },
        Refusal::CannotOffer {
            role: Role::Scribe,
            holder: s("bob"),
        },
        Refusal::OfferToHolder {
            role: Role::Scribe,
            to: s("bob"),
        },
        Refusal::NoOffer {
            role: Role::Scribe,
            to_you: true,
        },
        Refusal::NotOfferedToYou {
            role: Role::Scribe,
            to: s("bob"),
        },
        Refusal::CannotWithdraw { from: s("bob") },
        Refusal::RoleAlreadyShown { role: Role::Scribe },
        Refusal::AlreadyNudged { role: Role::Scribe },
        Refusal::NudgeNotNeeded { role: Role::Scribe },
        Refusal::HoldsRole {
            user: s("carol"),
            role: Role::Scribe,
        },
    ]
}

/// Taking over a role from someone away.
fn takeover() -> Vec<Refusal> {
    let s = |t: &str| t.to_string();
    vec![
        Refusal::HolderPresent {
            role: Role::Commander,
            holder: s("bob"),
            host: None,
        },
        Refusal::NotAwayLongEnough {
            role: Role::Commander,
            holder: s("bob"),
            away: 2,
            after: 5,
        },
        Refusal::HolderBack {
            role: Role::Commander,
            holder: s("bob"),
            at: s("14:02"),
        },
        Refusal::HolderChanged {
            role: Role::Commander,
            holder: s("carol"),
            from: s("bob"),
        },
    ]
}

/// Requests and proposals, and who answers them.
fn requests() -> Vec<Refusal> {
    let s = |t: &str| t.to_string();
    vec![
        Refusal::NoSuchRequest { id: 9 },
        Refusal::AlreadyAnswered { id: 1, state: "go" },
        Refusal::NoCommanderToAnswer { id: 1 },
        Refusal::AssistantMayNot {
            who: s("assistant (for carol)"),
            action: "answer requests",
        },
        Refusal::NotYourProposal {
            id: 1,
            by: s("bob"),
        },
        Refusal::AlreadyRan { id: 1, seq: 7 },
        Refusal::OnHold {
            id: 1,
            by: s("alice"),
            reason: s(": not now"),
        },
        Refusal::NoGoYet {
            id: 1,
            commander: Some(s("alice")),
        },
    ]
}

/// Systems, the suspect, assumptions and runs.
fn systems() -> Vec<Refusal> {
    let s = |t: &str| t.to_string();
    vec![
        Refusal::InvalidSystemName { given: s("a b") },
        Refusal::SelfDependency {
            system: s("payments"),
        },
        Refusal::NoSuchDependency {
            system: s("checkout"),
            on: s("payments"),
        },
        Refusal::NoSuchSystem {
            given: s("paymnts"),
            known: vec![s("payments")],
        },
        Refusal::NoSuspect,
        Refusal::NoSuchAssumption { id: 9 },
        Refusal::AssumptionClosed {
            id: 1,
            state: "verified",
        },
        Refusal::NoSuchRun { seq: 3 },
    ]
}

/// Mitigations and tasks.
fn mitigations() -> Vec<Refusal> {
    let s = |t: &str| t.to_string();
    vec![
        Refusal::NoSuchMitigation { id: 9 },
        Refusal::MitigationClosed {
            id: 1,
            status: s("done"),
        },
        Refusal::NotAnOutcome { given: s("meh") },
        Refusal::NeedsClearance { id: 1 },
        Refusal::OwnedBySomeoneElse { owner: s("bob") },
        Refusal::NoSuchTask { id: 9 },
        Refusal::TaskDone { id: 1 },
    ]
}

/// The document, updates and what only communications writes.
fn document() -> Vec<Refusal> {
    let s = |t: &str| t.to_string();
    vec![
        Refusal::EditConflict {
            section: Section::Summary,
            base: 0,
            current: 1,
            by: s("bob"),
            theirs: s("x"),
        },
        Refusal::NotCommunications {
            what: CommsWrite::Section(Section::Summary),
            holder: s("bob"),
            commander: Some(s("alice")),
        },
        Refusal::NotCommunications {
            what: CommsWrite::Update,
            holder: s("bob"),
            commander: None,
        },
        Refusal::NotCommunications {
            what: CommsWrite::Cadence,
            holder: s("bob"),
            commander: None,
        },
        Refusal::NotCommunications {
            what: CommsWrite::Milestone,
            holder: s("bob"),
            commander: Some(s("alice")),
        },
        Refusal::DocumentTouched,
        Refusal::BadCadence { minutes: 1 },
    ]
}

/// Entries in the log: pinning, correcting, retracting.
fn log() -> Vec<Refusal> {
    use crate::model::LogKind;
    let s = |t: &str| t.to_string();
    vec![
        Refusal::NoSuchEntry { entry: 99 },
        Refusal::NotCorrectable {
            seq: 1,
            kind: LogKind::StatusChange,
        },
        Refusal::NotYourEntry {
            seq: 2,
            author: s("bob"),
        },
        Refusal::AlreadyRetracted {
            seq: 2,
            by: s("bob"),
        },
    ]
}

/// Breaks.
fn breaks() -> Vec<Refusal> {
    let s = |t: &str| t.to_string();
    vec![
        Refusal::BadBreak { minutes: 0 },
        Refusal::BreakRunning { until: s("14:30") },
        Refusal::NoBreak,
    ]
}

/// The lifecycle: closing, merging, milestones, follow-ups, freezes.
fn lifecycle() -> Vec<Refusal> {
    let s = |t: &str| t.to_string();
    vec![
        Refusal::Closed {
            label: s("duplicate"),
            by: s("alice"),
            hint: s(": the work goes on in INC-2 (from a shell: `incident open INC-2`)"),
        },
        Refusal::CloseResolved,
        Refusal::BadIncidentRef { given: s("x") },
        Refusal::DuplicateOfItself,
        Refusal::UseMerge,
        Refusal::MergeIntoInactive {
            id: s("INC-2"),
            state: s("resolved"),
            hint: String::new(),
        },
        Refusal::StillFailing {
            systems: vec![s("payments")],
        },
        Refusal::StillOpen {
            items: vec![s("M1 in progress")],
            frozen: true,
        },
        Refusal::MilestoneInFuture { at: s("15:00") },
        Refusal::MilestoneTooEarly {
            at: s("2026-01-01 00:00 UTC"),
            declared: s("2026-11-26 14:00 UTC"),
        },
        Refusal::NoSuchFollowup { id: 9 },
        Refusal::FollowupDone { id: 1 },
        Refusal::NoFreezeHere,
        Refusal::FrozenElsewhere {
            ids: vec![s("INC-2")],
        },
    ]
}

/// Delivering updates to the pager and status pages.
fn deliveries() -> Vec<Refusal> {
    let s = |t: &str| t.to_string();
    vec![
        Refusal::NoSuchDelivery { what: s("U9") },
        Refusal::AlreadyDelivered { what: s("U1") },
        Refusal::DeliveryClaimed {
            what: s("U1"),
            by: s("bob"),
            since: s("14:00"),
        },
        Refusal::DeliveryNotDue {
            what: s("U1"),
            at: s("14:05"),
        },
        Refusal::StaleAttempt {
            what: s("U1"),
            attempts: 3,
        },
        Refusal::DeliveryNotClaimed { what: s("U1") },
    ]
}

/// Calling teams for help, and the settings they come from.
fn teams() -> Vec<Refusal> {
    let s = |t: &str| t.to_string();
    vec![
        Refusal::BadSettings,
        Refusal::Misrouted { op: s("pin") },
        Refusal::NoSuchTeam {
            team: s("dba"),
            known: vec![s("db-team")],
            file: s("/d/incident.toml"),
        },
        Refusal::NoTeamNamed {
            known: vec![s("db-team"), s("net")],
            file: s("/d/incident.toml"),
        },
        Refusal::NoTeamNamed {
            known: Vec::new(),
            file: s("/d/incident.toml"),
        },
        Refusal::EscalateEnded {
            state: s("resolved"),
        },
        Refusal::NotEscalated { team: s("db-team") },
        Refusal::TeamKeyUnreadable {
            team: s("db-team"),
            file: s("/k"),
            why: s("/k is empty"),
        },
    ]
}

/// Each variant's place, so [`every_refusal`] is known to hold them all.
const KINDS: usize = 92;
fn kind(r: &Refusal) -> usize {
    use Refusal as R;
    match r {
        R::Empty { .. } => 0,
        R::TooLong { .. } => 1,
        R::KindNotWritable { .. } => 2,
        R::Unchanged { .. } => 3,
        R::InvalidUser { .. } => 4,
        R::ToolName { .. } => 5,
        R::ToolIsNotAPerson { .. } => 6,
        R::TitleNotOneLine => 7,
        R::AlreadyDeclared => 8,
        R::NotANewIncident => 9,
        R::DrillSpeed { .. } => 10,
        R::NoSuchDrillStep => 11,
        R::NotDeclared => 12,
        R::NotCommander { .. } => 13,
        R::RoleHeld { .. } => 14,
        R::HandoverRequired { .. } => 15,
        R::NotHolder { .. } => 16,
        R::RoleEmpty { .. } => 17,
        R::CannotOffer { .. } => 18,
        R::OfferToHolder { .. } => 19,
        R::NoOffer { .. } => 20,
        R::NotOfferedToYou { .. } => 21,
        R::CannotWithdraw { .. } => 22,
        R::RoleAlreadyShown { .. } => 23,
        R::AlreadyNudged { .. } => 24,
        R::NudgeNotNeeded { .. } => 25,
        R::NoSuchRequest { .. } => 26,
        R::AlreadyAnswered { .. } => 27,
        R::InvalidSystemName { .. } => 28,
        R::SelfDependency { .. } => 29,
        R::NoSuchDependency { .. } => 30,
        R::NoSuchSystem { .. } => 31,
        R::NoSuspect => 32,
        R::NoSuchAssumption { .. } => 33,
        R::AssumptionClosed { .. } => 34,
        R::NoSuchRun { .. } => 35,
        R::NoSuchMitigation { .. } => 36,
        R::MitigationClosed { .. } => 37,
        R::NotAnOutcome { .. } => 38,
        R::NeedsClearance { .. } => 39,
        R::OwnedBySomeoneElse { .. } => 40,
        R::NoSuchTask { .. } => 41,
        R::TaskDone { .. } => 42,
        R::EditConflict { .. } => 43,
        R::NotCommunications { .. } => 44,
        R::NoSuchEntry { .. } => 45,
        R::DocumentTouched => 46,
        R::BadCadence { .. } => 47,
        R::BadBreak { .. } => 48,
        R::BreakRunning { .. } => 49,
        R::NoBreak => 50,
        R::HoldsRole { .. } => 51,
        R::BadSettings => 52,
        R::NoCommanderToAnswer { .. } => 53,
        R::Misrouted { .. } => 54,
        R::HolderPresent { .. } => 55,
        R::NotAwayLongEnough { .. } => 56,
        R::HolderBack { .. } => 57,
        R::HolderChanged { .. } => 58,
        R::Closed { .. } => 59,
        R::CloseResolved => 60,
        R::BadIncidentRef { .. } => 61,
        R::DuplicateOfItself => 62,
        R::UseMerge => 63,
        R::MergeIntoInactive { .. } => 64,
        R::StillFailing { .. } => 65,
        R::StillOpen { .. } => 66,
        R::MilestoneInFuture { .. } => 67,
        R::MilestoneTooEarly { .. } => 68,
        R::NoSuchFollowup { .. } => 69,
        R::FollowupDone { .. } => 70,
        R::NoFreezeHere => 71,
        R::FrozenElsewhere { .. } => 72,
        R::NotCorrectable { .. } => 73,
        R::NotYourEntry { .. } => 74,
        R::AlreadyRetracted { .. } => 75,
        R::NoSuchDelivery { .. } => 76,
        R::AlreadyDelivered { .. } => 77,
        R::DeliveryClaimed { .. } => 78,
        R::DeliveryNotDue { .. } => 79,
        R::StaleAttempt { .. } => 80,
        R::DeliveryNotClaimed { .. } => 81,
        R::NoSuchTeam { .. } => 82,
        R::EscalateEnded { .. } => 83,
        R::NotEscalated { .. } => 84,
        R::TeamKeyUnreadable { .. } => 85,
        R::AssistantMayNot { .. } => 86,
        R::NotYourProposal { .. } => 87,
        R::AlreadyRan { .. } => 88,
        R::OnHold { .. } => 89,
        R::NoGoYet { .. } => 90,
        R::NoTeamNamed { .. } => 91,
    }
}

#[test]
fn every_way_out_a_refusal_names_is_in_the_grammar() {
    use clap::Parser;
    let all = every_refusal();
    let mut seen = std::collections::BTreeSet::new();
    for r in &all {
        seen.insert(kind(r));
    }
    assert_eq!(
        seen.len(),
        KINDS,
        "every_refusal() lists one of every variant"
    );
    let mut checked = 0;
    for r in &all {
        for on in [Surface::View, Surface::Cli] {
            let text = r.render(on);
            for cmd in quoted(&text) {
                let cmd = filled(&cmd, "carol", "payments");
                if let Some(line) = cmd.strip_prefix(':') {
                    // The view's bar: the one grammar, short forms too.
                    let parsed = bar::parse(line, "carol");
                    assert!(parsed.is_ok(), "{r:?} on {on:?}: `{cmd}`: {parsed:?}");
                    // Adding to a section is offered for a section only,
                    // and for the section refused.
                    if let Ok(Act::Op(Op::AppendSection { section, .. })) = parsed {
                        assert!(
                            matches!(r, Refusal::NotCommunications {
                                what: CommsWrite::Section(s),
                                ..
                            } if *s == section),
                            "{r:?} offers `{cmd}`"
                        );
                    }
                } else if cmd.starts_with("incident ") {
                    let parsed = crate::cli::Cli::try_parse_from(cmd.split(' '));
                    assert!(
                        parsed.is_ok(),
                        "{r:?} on {on:?}: `{cmd}`: {}",
                        parsed.err().map(|e| e.to_string()).unwrap_or_default()
                    );
                } else {
                    panic!("{r:?} on {on:?}: `{cmd}` is neither the bar's nor a shell's");
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} way outs found");
}

/// What the way out `cmd` (from a view's refusal) asks for, typed by `who`.
fn typed(cmd: &str, who: &str) -> Act {
    let line = cmd.strip_prefix(':').expect("a bar command");
    bar::parse(line, who).unwrap_or_else(|e| panic!("`{cmd}`: {e}"))
}

/// The way outs of `r` as the view shows them, filled for `to`.
fn view_way_outs(r: &Refusal, to: &str, names: &str) -> Vec<String> {
    quoted(&r.render(Surface::View))
        .iter()
        .map(|c| filled(c, to, names))
        .collect()
}

/// `who` writes `op` on `inc` (a copy): accepted, or why not.
fn accepted(inc: &Incident, who: &str, act: &Act) -> Result<(), Refusal> {
    let Act::Op(op) = act else {
        panic!("{act:?} is not a write");
    };
    let mut inc = inc.clone();
    apply(&mut inc, &rec(who, op.clone()))
}

/// alice commands, bob holds communications, carol is a responder.
fn room() -> Incident {
    let mut inc = commanded();
    ok(
        &mut inc,
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    inc
}

#[test]
fn what_only_communications_writes_is_refused_with_a_way_that_applies() {
    let mut inc = room();
    let at = rec("carol", Op::EndBreak).at;
    // A section: what carol writes is added to that section.
    let r = refused(
        &mut inc,
        "carol",
        Op::EditSection {
            section: Section::Impact,
            text: "EU cards".into(),
            base: 0,
        },
    );
    let outs = view_way_outs(&r, "carol", "payments");
    assert_eq!(outs, [":append impact seen"], "{r}");
    let act = typed(&outs[0], "carol");
    assert!(
        matches!(
            &act,
            Act::Op(Op::AppendSection {
                section: Section::Impact,
                ..
            })
        ),
        "{act:?}"
    );
    accepted(&inc, "carol", &act).unwrap();
    // A milestone, an update: appending applies to neither; carol says
    // it in the log for bob.
    for op in [
        Op::SetMilestone {
            milestone: Milestone::Detected,
            happened_at: at,
            note: None,
        },
        Op::PostUpdate {
            text: "We are investigating".into(),
            external: false,
        },
    ] {
        let r = refused(&mut inc, "carol", op);
        let text = r.render(Surface::View);
        assert!(!text.contains("append"), "{text}");
        assert!(text.contains("ask bob"), "{text}");
        let outs = view_way_outs(&r, "carol", "payments");
        assert_eq!(outs, [":note seen"], "{text}");
        accepted(&inc, "carol", &typed(&outs[0], "carol")).unwrap();
    }
    // The cadence: nothing to type, bob is asked.
    let r = refused(&mut inc, "carol", Op::SetUpdateCadence { minutes: 30 });
    assert!(view_way_outs(&r, "carol", "payments").is_empty(), "{r}");
    assert!(r.to_string().ends_with("ask bob"), "{r}");
}

#[test]
fn role_refusals_name_what_the_right_person_types() {
    let mut inc = room();
    // carol asks for communications: bob hands it to her.
    let r = refused(
        &mut inc,
        "carol",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    let outs = view_way_outs(&r, "carol", "dave");
    assert_eq!(outs, [":handover comms carol"], "{r}");
    accepted(&inc, "bob", &typed(&outs[0], "bob")).unwrap();
    // An empty role is claimed, not handed over.
    let r = refused(
        &mut inc,
        "carol",
        Op::OfferRole {
            role: Role::Scribe,
            to: "dave".into(),
        },
    );
    let outs = view_way_outs(&r, "carol", "dave");
    assert_eq!(outs, [":claim scribe"], "{r}");
    accepted(&inc, "carol", &typed(&outs[0], "carol")).unwrap();
    // Standing down someone who holds a role: hand it on first.
    ok(&mut inc, "carol", Op::ClaimRole { role: Role::Scribe });
    let r = refused(
        &mut inc,
        "alice",
        Op::Detach {
            user: "carol".into(),
            note: None,
        },
    );
    let outs = view_way_outs(&r, "carol", "dave");
    assert_eq!(outs, [":handover scribe dave"], "{r}");
    accepted(&inc, "alice", &typed(&outs[0], "alice")).unwrap();
    accepted(&inc, "carol", &typed(&outs[0], "carol")).unwrap();
    // Nobody commands: a request is answered once someone claims command.
    let mut inc = declared();
    ok(
        &mut inc,
        "carol",
        Op::Announce {
            text: "restart db-2".into(),
            mitigation: None,
        },
    );
    let r = refused(
        &mut inc,
        "carol",
        Op::Answer {
            request: 1,
            go: true,
            reason: None,
        },
    );
    let outs = view_way_outs(&r, "carol", "dave");
    assert_eq!(outs, [":claim ic"], "{r}");
    accepted(&inc, "carol", &typed(&outs[0], "carol")).unwrap();
}

#[test]
fn lifecycle_and_log_refusals_name_what_applies() {
    let mut inc = room();
    ok(
        &mut inc,
        "alice",
        Op::SetSystem {
            name: "payments".into(),
            status: SystemStatus::Failing,
            evidence: Some(Evidence {
                text: "5xx".into(),
                entry: None,
            }),
            owner: None,
            note: None,
        },
    );
    let mitigated = Op::SetStatus {
        status: crate::model::Status::Mitigated,
        force: false,
        keep_freeze: false,
    };
    let r = refused(&mut inc, "alice", mitigated);
    let outs = view_way_outs(&r, "alice", "payments");
    assert_eq!(
        outs,
        [":sys payments ok seen", ":status mitigated --force"],
        "{r}"
    );
    for o in &outs {
        accepted(&inc, "alice", &typed(o, "alice")).unwrap();
    }
    // Resolving with an assumption unverified.
    ok(
        &mut inc,
        "carol",
        Op::Assume {
            text: "the cache is warm".into(),
            source: None,
        },
    );
    let resolved = |force| Op::SetStatus {
        status: crate::model::Status::Resolved,
        force,
        keep_freeze: false,
    };
    let r = refused(&mut inc, "alice", resolved(false));
    let outs = view_way_outs(&r, "alice", "payments");
    assert_eq!(outs, [":status resolved --force"], "{r}");
    accepted(&inc, "alice", &typed(&outs[0], "alice")).unwrap();
    // Resolved: closing as a false alarm waits for a reopen.
    ok(&mut inc, "alice", resolved(true));
    let r = refused(
        &mut inc,
        "alice",
        Op::Close {
            kind: CloseKind::FalseAlarm,
            into: None,
            reason: Some("load test".into()),
        },
    );
    let outs = view_way_outs(&r, "alice", "payments");
    assert_eq!(outs, [":status investigating"], "{r}");
    accepted(&inc, "alice", &typed(&outs[0], "alice")).unwrap();
    // Correcting what the tool wrote, or someone else's note: a note.
    let by_tool = inc
        .log
        .iter()
        .find(|e| !e.kind.is_user_writable())
        .map(|e| e.seq)
        .unwrap();
    let r = refused(
        &mut inc,
        "carol",
        Op::Correct {
            entry: by_tool,
            text: "x".into(),
        },
    );
    let outs = view_way_outs(&r, "carol", "payments");
    assert_eq!(outs, [":note seen"], "{r}");
    accepted(&inc, "carol", &typed(&outs[0], "carol")).unwrap();
}

#[test]
fn what_does_not_exist_is_answered_with_the_list_of_its_kind() {
    let mut inc = room();
    for (op, list) in [
        (
            Op::FinishMitigation {
                id: 9,
                status: MitigationStatus::Done,
                result: None,
            },
            Act::Mitigations,
        ),
        (
            Op::FinishTask {
                id: 9,
                result: None,
            },
            Act::Mitigations,
        ),
        (Op::FinishFollowup { id: 9 }, Act::Doc),
        (
            Op::Verify {
                id: 9,
                evidence: Evidence {
                    text: "x".into(),
                    entry: None,
                },
            },
            Act::Assumptions,
        ),
    ] {
        let r = refused(&mut inc, "carol", op);
        let outs = view_way_outs(&r, "carol", "payments");
        assert_eq!(outs.len(), 1, "{r}");
        assert_eq!(typed(&outs[0], "carol"), list, "{r}");
    }
}

/// The maintenance verbs' refusals are the team's windows, not an
/// incident's, and name their way out through the surface passed in
/// (`Said::typed`): every way out any of them can name parses, as
/// `incident ...` and in the bar.
#[test]
fn every_way_out_a_maintenance_refusal_names_is_in_the_grammar() {
    use crate::ops::maintenance as rules;
    use crate::store::maintenance::Window;
    use clap::Parser;
    let words = std::cell::RefCell::new(Vec::<String>::new());
    let typed = |w: &str| {
        words.borrow_mut().push(w.to_string());
        w.to_string()
    };
    let now: DateTime<Utc> = "2026-12-06T03:00:00Z".parse().unwrap();
    let window = Window {
        id: 1,
        service: "payments".into(),
        reason: "upgrade".into(),
        by: "alice".into(),
        start: now - chrono::Duration::hours(1),
        until: now + chrono::Duration::hours(1),
        ended: None,
        suppressed: 0,
        last: None,
    };
    assert!(rules::service("bad name!", &typed).is_err());
    assert!(rules::reason("  ", &typed).is_err());
    assert!(rules::end(Some("1h"), Some("06:00"), now, &typed).is_err());
    assert!(rules::end(None, None, now, &typed).is_err());
    let past: DateTime<Utc> = "2026-12-06T02:59:00Z".parse().unwrap();
    assert!(rules::end(None, Some("2026-12-06T02:00Z"), past, &typed).is_err());
    assert!(rules::may_add(std::slice::from_ref(&window), "payments", now, &typed).is_err());
    assert!(rules::may_end(std::slice::from_ref(&window), 9, now, &typed).is_err());
    assert!(rules::may_end(&[], 9, now, &typed).is_err());
    assert!(crate::verbs::maintenance::window_id("x", &typed).is_err());
    let words = words.into_inner();
    assert!(words.len() >= 10, "{words:?}");
    for w in &words {
        let cmd = format!("incident {w}");
        let parsed = crate::cli::Cli::try_parse_from(cmd.split(' '));
        assert!(parsed.is_ok(), "`{cmd}`: {:?}", parsed.err());
        let parsed = bar::parse(w, "carol");
        assert!(
            matches!(parsed, Ok(Act::Maintenance(_))),
            "`:{w}`: {parsed:?}"
        );
    }
}

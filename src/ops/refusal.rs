use crate::model::{LogKind, Role};

/// Why an operation was not applied. Rendered to people as is, so each
/// message says what is wrong and who can do it instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{field} is empty: write some text")]
    Empty { field: &'static str },
    #[error(
        "{field} is too long ({len} {unit}; the limit is {max}): shorten it or attach it as a file"
    )]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
        unit: &'static str,
    },
    #[error(
        "'{kind}' entries are written by the tool itself: use note, action, decision or announcement"
    )]
    KindNotWritable { kind: LogKind },
    #[error("{what} is already {value}: nothing to change")]
    Unchanged { what: &'static str, value: String },
    #[error(
        "'{given}' is not a valid user name: use a login name such as 'alice' (no spaces or control characters)"
    )]
    InvalidUser { given: String },
    #[error("the title has line breaks or control characters: keep it to one plain line")]
    TitleNotOneLine,
    #[error("the incident is already declared: declare a new one instead")]
    AlreadyDeclared,
    #[error("this incident has no declaration yet")]
    NotDeclared,
    #[error("only the commander ({commander}) can {action}: ask {commander} in the log")]
    NotCommander {
        action: &'static str,
        commander: String,
    },
    #[error(
        "{role} is held by {holder}: ask {holder} to hand it over (`:handover {role} you`), or the commander can reassign it"
    )]
    RoleHeld { role: Role, holder: String },
    #[error(
        "command changes hands live: {holder} offers it (`:handover ic NAME`, or `incident role handover commander NAME`) and NAME accepts"
    )]
    HandoverRequired { holder: String },
    #[error("you do not hold {role}{}", holder.as_ref().map(|h| format!(" ({h} does)")).unwrap_or_else(|| " (nobody does)".into()))]
    NotHolder { role: Role, holder: Option<String> },
    #[error("nobody holds {role}: claim it (`:claim {role}`) or, as commander, assign it")]
    RoleEmpty { role: Role },
    #[error("only {holder} (who holds {role}) or the commander can hand it over")]
    CannotOffer { role: Role, holder: String },
    #[error("{to} already holds {role}")]
    OfferToHolder { role: Role, to: String },
    #[error("{role} has not been offered to anyone{}", to_you.then_some(" you").unwrap_or(""))]
    NoOffer { role: Role, to_you: bool },
    #[error("{role} was offered to {to}, not to you: only {to} can accept or decline it")]
    NotOfferedToYou { role: Role, to: String },
    #[error("only {from} (who made the offer), the holder or the commander can withdraw it")]
    CannotWithdraw { from: String },
    #[error("{role} is already one of this incident's roles")]
    RoleAlreadyShown { role: Role },
    #[error("{role} has already been nudged since it became empty")]
    AlreadyNudged { role: Role },
    #[error("{role} is not empty: no nudge needed")]
    NudgeNotNeeded { role: Role },
    #[error("there is no request R{id}: `incident show` lists them")]
    NoSuchRequest { id: u64 },
    #[error("R{id} is already answered ({state})")]
    AlreadyAnswered { id: u64, state: &'static str },
    #[error(
        "'{given}' is not a valid system name: use letters, digits and . _ - / : (up to 64), e.g. payments-api"
    )]
    InvalidSystemName { given: String },
    #[error("a system cannot depend on itself ({system})")]
    SelfDependency { system: String },
    #[error("{system} is not recorded as depending on {on}")]
    NoSuchDependency { system: String, on: String },
    #[error("there is no assumption A{id}: `incident show` lists them")]
    NoSuchAssumption { id: u64 },
    #[error("A{id} is already {state}: record a new assumption if things changed")]
    AssumptionClosed { id: u64, state: &'static str },
    #[error(
        "log entry #{seq} is not a command run with `incident run`: give the number of a \"ran:\" entry"
    )]
    NoSuchRun { seq: u64 },
    #[error("there is no mitigation M{id}: `incident mitigation list` shows them")]
    NoSuchMitigation { id: u64 },
    #[error("M{id} is already {status}: propose a new mitigation if you want to try again")]
    MitigationClosed { id: u64, status: String },
    #[error("'{given}' is not an outcome: a mitigation ends done, failed or abandoned")]
    NotAnOutcome { given: String },
    #[error(
        "M{id} changes production: it needs the commander's go first (`:start M{id}` or `incident mitigation start M{id}` asks for it)"
    )]
    NeedsClearance { id: u64 },
    #[error("this belongs to {owner}: ask {owner}, or the commander can reassign it")]
    OwnedBySomeoneElse { owner: String },
    #[error("there is no task T{id}: `incident task list` shows them")]
    NoSuchTask { id: u64 },
    #[error("T{id} is already done")]
    TaskDone { id: u64 },
    #[error(
        "{section} changed while you were editing (now version {current}, saved by {by}): merge your text with theirs and save again"
    )]
    EditConflict {
        section: crate::model::Section,
        base: u64,
        current: u64,
        by: String,
        theirs: String,
    },
    #[error(
        "only communications ({holder}) or the commander can {action}: add to it with append instead, or ask {holder}"
    )]
    NotCommunications {
        action: &'static str,
        holder: String,
    },
    #[error("log entry #{entry} does not exist")]
    NoSuchEntry { entry: u64 },
    #[error(
        "the document has already been written to: a template only fills an untouched document"
    )]
    DocumentTouched,
    #[error("an update every {minutes} minutes is not sensible: use 5 to 240")]
    BadCadence { minutes: u32 },
    #[error("a break of {minutes} minutes is not sensible: use 1 to 120")]
    BadBreak { minutes: u32 },
    #[error("a break is already running until {until}")]
    BreakRunning { until: String },
    #[error("no break is running")]
    NoBreak,
    #[error("{user} still holds {role}: it must be handed over first (`:handover {role} NAME`)")]
    HoldsRole { user: String, role: Role },
    #[error(
        "those settings are out of range: breaks 1-120 min, pauses 1-30, food and fatigue 30-1440, warn before alert"
    )]
    BadSettings,
    #[error("nobody is commander, so nobody can answer R{id}: claim command first (`:claim ic`)")]
    NoCommanderToAnswer { id: u64 },
    #[error(
        "the operation '{op}' reached the wrong rules (a bug: please report it); nothing was written"
    )]
    Misrouted { op: String },
    #[error(
        "{} still failing: check {} first (`:sys NAME ok EVIDENCE`), or mark it mitigated anyway with --force",
        systems.join(", "),
        if systems.len() == 1 { "it" } else { "them" }
    )]
    StillFailing { systems: Vec<String> },
    #[error(
        "still open: {}: close {} first, or resolve anyway with --force{}",
        items.join(", "),
        if items.len() == 1 { "it" } else { "them" },
        if *frozen { " (that lifts the freeze; --keep-freeze keeps it)" } else { "" }
    )]
    StillOpen { items: Vec<String>, frozen: bool },
}

impl Refusal {
    /// True when the operation itself was malformed (bad text, bad name),
    /// as opposed to refused by the state of the incident.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Refusal::Empty { .. }
                | Refusal::TooLong { .. }
                | Refusal::KindNotWritable { .. }
                | Refusal::InvalidUser { .. }
                | Refusal::InvalidSystemName { .. }
                | Refusal::TitleNotOneLine
        )
    }
}

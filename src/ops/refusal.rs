use crate::model::{LogKind, Role};
use std::fmt;

/// Why an operation was not applied. Rendered to people as is, so each
/// message says what is wrong and who can do it instead.
///
/// A way out that is a command (claim the role, hand it over, list the
/// mitigations) is a [`WayOut`] in the message, never typed out: the
/// command line shows `incident role claim commander`, the live view
/// `:claim ic`. Render with [`Render::on`] for the surface it is shown on
/// (the CLI's failures, the view's error line); plain `to_string()` gives
/// the live view's form.
///
/// A variant whose message names a way out is written once, in
/// `Refusal::write_way_out`, and its `#[error]` only renders that for the
/// view; a new one adds its arm there (and to the tests below, which
/// render every such variant on both surfaces).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("{field} is empty: write some text")]
    Empty { field: &'static str },
    // Not "attach it as a file": a snippet has the same limit, so that
    // way out would be refused too.
    #[error(
        "{field} is too long ({len} {unit}; the limit is {max}): shorten it{}",
        if *unit == "bytes" { ", or keep the whole of it in a file and give its path" } else { "" }
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
    #[error(
        "'{given}' is the tool's own name (what it writes by itself is signed so), not a person's: name a person, such as 'alice'"
    )]
    ToolName { given: String },
    #[error(
        "'{who}' is the tool's own name, not a person: it cannot {action}; act under a person's name (--name NAME)"
    )]
    ToolIsNotAPerson { who: String, action: &'static str },
    #[error(
        "{who} may not {action}: that is for the people at the table (an assistant writes notes, assumptions and checks, and proposes commands for the commander's go)"
    )]
    AssistantMayNot { who: String, action: &'static str },
    #[error(
        "R{id} was asked for by {by}, not by this assistant: an assistant runs only what it proposed"
    )]
    NotYourProposal { id: u64, by: String },
    #[error("R{id} already ran (#{seq}): propose it again to run it again")]
    AlreadyRan { id: u64, seq: u64 },
    #[error("R{id} is on hold ({by}){reason}: it does not run")]
    OnHold { id: u64, by: String, reason: String },
    #[error("R{id} has no go yet: {}", match commander {
        Some(c) => format!("it waits for the commander ({c}) to answer go"),
        None => "nobody commands, so nobody can clear it; it waits until someone takes command and answers go".to_string(),
    })]
    NoGoYet { id: u64, commander: Option<String> },
    #[error("the title has line breaks or control characters: keep it to one plain line")]
    TitleNotOneLine,
    #[error("the incident is already declared: declare a new one instead")]
    AlreadyDeclared,
    #[error("only a new incident can become a drill: start one with incident drill NAME")]
    NotANewIncident,
    #[error("a drill's speed is 1 to 1000 times the wall clock, not {speed}")]
    DrillSpeed { speed: u32 },
    #[error("this incident is not a drill, or that step of its scenario was already played")]
    NoSuchDrillStep,
    #[error("this incident has no declaration yet")]
    NotDeclared,
    #[error("only the commander ({commander}) can {action}: ask {commander} in the log")]
    NotCommander {
        action: &'static str,
        commander: String,
    },
    #[error("{}", ViewForm(self))]
    RoleHeld { role: Role, holder: String },
    #[error("{}", ViewForm(self))]
    HandoverRequired { holder: String },
    #[error("you do not hold {role}{}", holder.as_ref().map(|h| format!(" ({h} does)")).unwrap_or_else(|| " (nobody does)".into()))]
    NotHolder { role: Role, holder: Option<String> },
    #[error("{}", ViewForm(self))]
    RoleEmpty { role: Role },
    #[error(
        "only {holder} (who holds {role}){} can hand it over",
        if *role == Role::Commander { "" } else { " or the commander" }
    )]
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
    #[error("{}", ViewForm(self))]
    NoSuchRequest { id: u64 },
    // A withdrawn request was never answered: its asker stopped waiting.
    #[error("{}", if *state == "withdrawn" {
        format!("R{id} was withdrawn (its asker stopped waiting): nothing to answer")
    } else {
        format!("R{id} is already answered ({state})")
    })]
    AlreadyAnswered { id: u64, state: &'static str },
    #[error(
        "'{given}' is not a valid system name: use letters, digits and . _ - / : (up to 64), e.g. payments-api"
    )]
    InvalidSystemName { given: String },
    #[error("a system cannot depend on itself ({system})")]
    SelfDependency { system: String },
    #[error("{system} is not recorded as depending on {on}")]
    NoSuchDependency { system: String, on: String },
    #[error("{}", ViewForm(self))]
    NoSuchSystem { given: String, known: Vec<String> },
    #[error("no suspect is named: nothing to clear (the graph's guess leads already)")]
    NoSuspect,
    #[error("{}", ViewForm(self))]
    NoSuchAssumption { id: u64 },
    #[error("A{id} is already {state}: record a new assumption if things changed")]
    AssumptionClosed { id: u64, state: &'static str },
    #[error(
        "log entry #{seq} is not a command run with `incident run -- CMD`: give the number of a \"ran:\" entry"
    )]
    NoSuchRun { seq: u64 },
    #[error("{}", ViewForm(self))]
    NoSuchMitigation { id: u64 },
    #[error("M{id} is already {status}: propose a new mitigation if you want to try again")]
    MitigationClosed { id: u64, status: String },
    #[error("'{given}' is not an outcome: a mitigation ends done, failed or abandoned")]
    NotAnOutcome { given: String },
    #[error("{}", ViewForm(self))]
    NeedsClearance { id: u64 },
    #[error("this belongs to {owner}: ask {owner}, or the commander can reassign it")]
    OwnedBySomeoneElse { owner: String },
    #[error("{}", ViewForm(self))]
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
    /// What only communications or the commander write (`what`), asked
    /// of someone else: who may, by name, and the way out that applies to
    /// that write (a section is added to; the rest are asked for).
    #[error("{}", ViewForm(self))]
    NotCommunications {
        what: CommsWrite,
        holder: String,
        commander: Option<String>,
    },
    #[error("log entry #{entry} does not exist")]
    NoSuchEntry { entry: u64 },
    #[error(
        "the document has already been written to: a template only fills an untouched document"
    )]
    DocumentTouched,
    #[error("an update every {minutes} min is not sensible: use 5 to 240 (minutes)")]
    BadCadence { minutes: u32 },
    #[error("a break of {minutes} min is not sensible: use 1 to 120 (minutes)")]
    BadBreak { minutes: u32 },
    #[error("a break is already running until {until}")]
    BreakRunning { until: String },
    #[error("no break is running")]
    NoBreak,
    #[error("{}", ViewForm(self))]
    HoldsRole { user: String, role: Role },
    #[error(
        "those settings are out of range: breaks 1-120 min, pauses 1-30, food and fatigue 30-1440, warn before alert"
    )]
    BadSettings,
    #[error("{}", ViewForm(self))]
    NoCommanderToAnswer { id: u64 },
    #[error(
        "the operation '{op}' reached the wrong rules (a bug: please report it); nothing was written"
    )]
    Misrouted { op: String },
    #[error("{}", ViewForm(self))]
    HolderPresent {
        role: Role,
        holder: String,
        host: Option<String>,
    },
    #[error("{}", ViewForm(self))]
    NotAwayLongEnough {
        role: Role,
        holder: String,
        away: i64,
        after: u32,
    },
    #[error(
        "{holder} wrote to the incident at {at}, so they are back: ask {holder} to hand {role} over instead"
    )]
    HolderBack {
        role: Role,
        holder: String,
        at: String,
    },
    #[error("{role} is now held by {holder}, not {from}: nothing was taken over")]
    HolderChanged {
        role: Role,
        holder: String,
        from: String,
    },
    #[error("this incident was closed as a {label} by {by}{hint}")]
    Closed {
        label: String,
        by: String,
        hint: String,
    },
    #[error("{}", ViewForm(self))]
    CloseResolved,
    #[error("'{given}' is not an incident id: use INC-7 (or just 7)")]
    BadIncidentRef { given: String },
    #[error("an incident cannot be a duplicate of, or linked to, itself: name the other incident")]
    DuplicateOfItself,
    #[error("{}", ViewForm(self))]
    UseMerge,
    #[error("{id} is {state}, not active: merge into the incident where the work goes on{hint}")]
    MergeIntoInactive {
        id: String,
        state: String,
        hint: String,
    },
    #[error("{}", ViewForm(self))]
    StillFailing { systems: Vec<String> },
    #[error("{}", ViewForm(self))]
    StillOpen { items: Vec<String>, frozen: bool },
    #[error("{at} is in the future: a milestone is when something happened (times are UTC)")]
    MilestoneInFuture { at: String },
    #[error(
        "{at} is more than a week before the incident was declared ({declared}): check the date (times are UTC)"
    )]
    MilestoneTooEarly { at: String, declared: String },
    #[error("{}", ViewForm(self))]
    NoSuchFollowup { id: u64 },
    #[error("F{id} is already done")]
    FollowupDone { id: u64 },
    #[error("{}", ViewForm(self))]
    NoFreezeHere,
    /// Lifting a freeze from an incident that holds none while others do
    /// (`ids`, never empty): it is lifted where it is held.
    #[error("{}", ViewForm(self))]
    FrozenElsewhere { ids: Vec<String> },
    #[error("{}", ViewForm(self))]
    NotCorrectable { seq: u64, kind: LogKind },
    #[error("{}", ViewForm(self))]
    NotYourEntry { seq: u64, author: String },
    #[error("{}", ViewForm(self))]
    AlreadyRetracted { seq: u64, by: String },
    #[error("{what} is not a status update of this incident (or the incident is not resolved yet)")]
    NoSuchDelivery { what: String },
    #[error("{what} was already sent or set aside: nothing to send")]
    AlreadyDelivered { what: String },
    #[error("{what} is being sent by {by} (since {since}): it waits for them")]
    DeliveryClaimed {
        what: String,
        by: String,
        since: String,
    },
    #[error("{what} is not due again before {at}")]
    DeliveryNotDue { what: String, at: String },
    #[error("{what} was tried {attempts} times already: this try is stale, read the file again")]
    StaleAttempt { what: String, attempts: u32 },
    #[error("{what} is not being sent by anyone: claim it before saying how it went")]
    DeliveryNotClaimed { what: String },
    /// A call for help to a team the team file does not name. `known`:
    /// the teams it names; `file`: where to add one.
    #[error(
        "no responder team '{team}'{}: {}add it to {file} as a [[responders]] entry (name, kind and key file)",
        if known.is_empty() { " (none are set up)".to_string() } else { format!(" (the teams are {})", known.join(", ")) },
        if known.is_empty() { "" } else { "name one of them, or " }
    )]
    NoSuchTeam {
        team: String,
        known: Vec<String>,
        file: String,
    },
    /// A call for help naming no team. `known`: the teams the team file
    /// names; `file`: where to add one.
    #[error("{}", ViewForm(self))]
    NoTeamNamed { known: Vec<String>, file: String },
    #[error(
        "{team} cannot be paged: {why}. Put its key in {file} (readable by whoever pages), or name the right file in incident.toml"
    )]
    TeamKeyUnreadable {
        team: String,
        file: String,
        why: String,
    },
    #[error(
        "this incident is {state}: nobody is paged for it now (declare a new incident if it is back)"
    )]
    EscalateEnded { state: String },
    #[error("{team} was not paged for this incident: there is nothing of theirs to acknowledge")]
    NotEscalated { team: String },
}

/// A write that belongs to communications (and the commander).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommsWrite {
    /// Rewrite a section of the document (anyone may add to it).
    Section(crate::model::Section),
    /// Send a status update.
    Update,
    /// Set how often updates are due.
    Cadence,
    /// Set when a milestone happened.
    Milestone,
}

impl CommsWrite {
    /// What is done, after "can": "rewrite Summary".
    pub fn action(self) -> String {
        match self {
            CommsWrite::Section(s) => format!("rewrite {}", s.title()),
            CommsWrite::Update => "send status updates".into(),
            CommsWrite::Cadence => "set the update cadence".into(),
            CommsWrite::Milestone => "set milestones".into(),
        }
    }
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
                | Refusal::ToolName { .. }
                | Refusal::InvalidSystemName { .. }
                | Refusal::TitleNotOneLine
                | Refusal::BadIncidentRef { .. }
                | Refusal::DuplicateOfItself
        )
    }
}

/// Where a message is shown to a person: each names its way out in the
/// form typed there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// A shell: `incident role claim commander`.
    Cli,
    /// The live view's command bar: `:claim ic`.
    View,
}

/// A message whose way out depends on where it is shown: a [`Refusal`],
/// or an error that carries one. The surface is passed in, never kept
/// anywhere, so any thread may render any message for any surface.
pub trait Render {
    /// Write the message as shown on `on`.
    fn render_to(&self, f: &mut fmt::Formatter<'_>, on: Surface) -> fmt::Result;

    /// The message as shown on `on`, to format (`{}`) or `to_string()`.
    fn on(&self, on: Surface) -> On<'_, Self> {
        On(self, on)
    }

    /// The message as shown on `on`.
    fn render(&self, on: Surface) -> String {
        self.on(on).to_string()
    }
}

/// A message rendered for one surface ([`Render::on`]).
pub struct On<'a, T: ?Sized>(&'a T, Surface);

impl<T: Render + ?Sized> fmt::Display for On<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.render_to(f, self.1)
    }
}

/// `Display` (and `to_string()`) gives the live view's form; the CLI's
/// failures render with [`Surface::Cli`].
impl Render for Refusal {
    fn render_to(&self, f: &mut fmt::Formatter<'_>, on: Surface) -> fmt::Result {
        match self.write_way_out(f, on) {
            Some(done) => done,
            // No way out to type: the same on every surface.
            None => write!(f, "{self}"),
        }
    }
}

/// The `#[error]` of a variant whose message names a way out: that message
/// as the live view shows it.
struct ViewForm<'a>(&'a Refusal);

impl fmt::Display for ViewForm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.write_way_out(f, Surface::View) {
            Some(done) => done,
            // Marked as naming a way out, with no message below: say so
            // rather than render nothing (or go round in circles).
            None => write!(
                f,
                "{:?} (its message is missing: a bug, please report it)",
                self.0
            ),
        }
    }
}

impl Refusal {
    /// Write the message of a variant that names a way out, for `on`: each
    /// is written here, once, with the way out as a [`WayOut`]. None (and
    /// nothing written) for the other variants, whose message is their
    /// `#[error]` attribute.
    fn write_way_out(&self, f: &mut fmt::Formatter<'_>, on: Surface) -> Option<fmt::Result> {
        Some(match self {
            Refusal::RoleHeld { role, holder } => write!(
                f,
                "{role} is held by {holder}: ask {holder} to hand it over ({}), or the commander can reassign it",
                WayOut::Handover(*role, "you").on(on)
            ),
            Refusal::HandoverRequired { holder } => write!(
                f,
                "command changes hands live: {holder} offers it ({}) and NAME accepts",
                WayOut::Handover(Role::Commander, "NAME").on(on)
            ),
            Refusal::RoleEmpty { role } => write!(
                f,
                "nobody holds {role}: claim it ({}) or, as commander, assign it",
                WayOut::Claim(*role).on(on)
            ),
            Refusal::NoSuchRequest { id } => {
                write!(f, "there is no request R{id}: {}", WayOut::Requests.on(on))
            }
            Refusal::NoSuchSystem { given, known } => write!(
                f,
                "there is no system '{given}' in this incident{}: name one of them, or add it first ({})",
                known_systems(known),
                WayOut::Systems.on(on)
            ),
            Refusal::NoSuchAssumption { id } => write!(
                f,
                "there is no assumption A{id}: {}",
                WayOut::Assumptions.on(on)
            ),
            Refusal::NoSuchMitigation { id } => write!(
                f,
                "there is no mitigation M{id}: {}",
                WayOut::Mitigations.on(on)
            ),
            Refusal::NeedsClearance { id } => write!(
                f,
                "M{id} changes production: it needs the commander's go first ({} asks for it)",
                WayOut::StartMitigation(*id).on(on)
            ),
            Refusal::NoSuchTask { id } => {
                write!(f, "there is no task T{id}: {}", WayOut::Tasks.on(on))
            }
            Refusal::HoldsRole { user, role } => write!(
                f,
                "{user} still holds {role}: it must be handed over first ({})",
                WayOut::Handover(*role, "NAME").on(on)
            ),
            Refusal::NoCommanderToAnswer { id } => write!(
                f,
                "nobody is commander, so nobody can answer R{id}: claim command first ({})",
                WayOut::Claim(Role::Commander).on(on)
            ),
            Refusal::HolderPresent { role, holder, host } => write!(
                f,
                "{holder} has this incident open{}: ask {holder} to hand {role} over ({})",
                host.as_ref()
                    .map(|h| format!(" (on {h})"))
                    .unwrap_or_default(),
                WayOut::Handover(*role, "NAME").on(on)
            ),
            Refusal::NotAwayLongEnough {
                role,
                holder,
                away,
                after,
            } => write!(
                f,
                "{holder} has been away {}; {role} can be taken over once they have been away {after}m ({} in {}m), or ask {holder} to hand it over",
                crate::model::away::span(*away),
                WayOut::Takeover(*role).on(on),
                i64::from(*after) - away
            ),
            Refusal::CloseResolved => write!(
                f,
                "this incident is resolved: only an active incident is closed as a duplicate or a false alarm (reopen it first: {})",
                WayOut::Reopen.on(on)
            ),
            Refusal::UseMerge => write!(
                f,
                "a duplicate is recorded by closing it: {}",
                WayOut::Merge.on(on)
            ),
            Refusal::StillFailing { systems } => write!(
                f,
                "{} still failing: check {} first ({}), or mark it mitigated anyway ({})",
                systems.join(", "),
                if systems.len() == 1 { "it" } else { "them" },
                WayOut::CheckSystem.on(on),
                WayOut::Force(crate::model::Status::Mitigated).on(on)
            ),
            Refusal::StillOpen { items, frozen } => write!(
                f,
                "still open: {}: close {} first, or resolve anyway ({}){}",
                items.join(", "),
                if items.len() == 1 { "it" } else { "them" },
                WayOut::Force(crate::model::Status::Resolved).on(on),
                if *frozen {
                    " (that lifts the freeze; --keep-freeze keeps it)"
                } else {
                    ""
                }
            ),
            Refusal::NoSuchFollowup { id } => write!(
                f,
                "there is no follow-up F{id}: {}",
                WayOut::Followups.on(on)
            ),
            Refusal::NoFreezeHere => write!(
                f,
                "this incident holds no deploy freeze: nothing to lift here ({})",
                WayOut::FreezeStatus.on(on)
            ),
            Refusal::NotCorrectable { seq, kind } => write!(
                f,
                "#{seq} ({kind}) was written by the tool itself, the record of what happened: only notes, actions, decisions and announcements are corrected or retracted; say what changed in a note ({})",
                WayOut::Note.on(on)
            ),
            Refusal::NotYourEntry { seq, author } => write!(
                f,
                "#{seq} was written by {author}: only {author} can correct or retract it; ask {author}, or add a note of your own ({})",
                WayOut::Note.on(on)
            ),
            Refusal::AlreadyRetracted { seq, by } => write!(
                f,
                "#{seq} was retracted by {by}: there is nothing left to correct; write a new entry instead ({})",
                WayOut::Note.on(on)
            ),
            Refusal::NotCommunications {
                what,
                holder,
                commander,
            } => {
                let holder = crate::sanitize::line(holder);
                let who = format!(
                    "only communications ({holder}) or the commander{} can {}",
                    commander
                        .as_ref()
                        .map(|c| format!(" ({})", crate::sanitize::line(c)))
                        .unwrap_or_default(),
                    what.action()
                );
                if let Err(e) = write!(f, "{who}: ") {
                    return Some(Err(e));
                }
                match what {
                    CommsWrite::Section(s) => write!(
                        f,
                        "add to it instead ({}), or ask {holder}",
                        WayOut::Append(*s).on(on)
                    ),
                    CommsWrite::Update => write!(
                        f,
                        "ask {holder}, with what it should say in a note ({})",
                        WayOut::Note.on(on)
                    ),
                    CommsWrite::Milestone => write!(
                        f,
                        "ask {holder}, saying when it happened in a note ({})",
                        WayOut::Note.on(on)
                    ),
                    CommsWrite::Cadence => write!(f, "ask {holder}"),
                }
            }
            Refusal::FrozenElsewhere { ids } => write!(
                f,
                "Deploys are frozen by {}, not by this incident: lift it there ({})",
                ids.join(", "),
                WayOut::UnfreezeIn(ids.first().cloned().unwrap_or_default()).on(on)
            ),
            Refusal::NoTeamNamed { known, file } if known.is_empty() => write!(
                f,
                "say which team to call: none are set up yet; add one to {file} as a [[responders]] entry (name, kind and key file)"
            ),
            Refusal::NoTeamNamed { known, .. } => write!(
                f,
                "say which team to call ({}): the teams are {}",
                WayOut::Escalate.on(on),
                known
                    .iter()
                    .map(|t| crate::sanitize::line(t).into_owned())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => return None,
        })
    }
}

impl Render for crate::store::StoreError {
    fn render_to(&self, f: &mut fmt::Formatter<'_>, on: Surface) -> fmt::Result {
        match self {
            crate::store::StoreError::Refused(r) => write!(f, "refused: {}", r.on(on)),
            other => write!(f, "{other}"),
        }
    }
}

/// A way out of a refusal that is something to type: rendered as the
/// command of the surface the message is shown on ([`Render::on`]).
/// A new refusal whose way out is a command adds a case here rather than
/// writing either form into its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WayOut {
    /// Take an empty role.
    Claim(Role),
    /// Offer a role to someone (a placeholder such as `NAME` or `you`).
    Handover(Role, &'static str),
    /// Start a mitigation, which asks for go when it needs one.
    StartMitigation(u64),
    /// Where the requests for go are listed.
    Requests,
    /// Where the assumptions are listed.
    Assumptions,
    /// Where the mitigations are listed.
    Mitigations,
    /// Where the investigation tasks are listed.
    Tasks,
    /// Take a role from a holder who has gone.
    Takeover(Role),
    /// Reopen a resolved incident.
    Reopen,
    /// Close a duplicate into the incident where the work goes on.
    Merge,
    /// Record that a system was checked and is fine.
    CheckSystem,
    /// Set the status anyway, past the questions.
    Force(crate::model::Status),
    /// Where the follow-ups are listed.
    Followups,
    /// Who holds a deploy freeze.
    FreezeStatus,
    /// Lift the deploy freeze another incident (this id) holds.
    UnfreezeIn(String),
    /// Write a note to the log.
    Note,
    /// Where the systems are listed.
    Systems,
    /// Add a paragraph to a section of the document.
    Append(crate::model::Section),
    /// Call a team for help.
    Escalate,
}

/// " (it has payments, stripe)" — the first few, so a typo shows.
fn known_systems(known: &[String]) -> String {
    const SHOWN: usize = 8;
    if known.is_empty() {
        return " (it has none yet)".into();
    }
    let mut names: Vec<String> = known
        .iter()
        .take(SHOWN)
        .map(|n| crate::sanitize::line(n).into_owned())
        .collect();
    if known.len() > SHOWN {
        names.push(format!("and {} more", known.len() - SHOWN));
    }
    format!(" (it has {})", names.join(", "))
}

/// The name the command bar's users type for a role (`ic`, `comms`).
fn short(role: Role) -> &'static str {
    match role {
        Role::Commander => "ic",
        Role::Communications => "comms",
        other => other.as_str(),
    }
}

impl Render for WayOut {
    fn render_to(&self, f: &mut fmt::Formatter<'_>, on: Surface) -> fmt::Result {
        match (on, self) {
            (Surface::Cli, WayOut::Claim(r)) => write!(f, "`incident role claim {r}`"),
            (Surface::View, WayOut::Claim(r)) => write!(f, "`:claim {}`", short(*r)),
            (Surface::Cli, WayOut::Handover(r, to)) => {
                write!(f, "`incident role handover {r} {to}`")
            }
            (Surface::View, WayOut::Handover(r, to)) => {
                write!(f, "`:handover {} {to}`", short(*r))
            }
            (Surface::Cli, WayOut::StartMitigation(id)) => {
                write!(f, "`incident mitigation start M{id}`")
            }
            (Surface::View, WayOut::StartMitigation(id)) => write!(f, "`:start M{id}`"),
            (Surface::Cli, WayOut::Requests) => write!(f, "`incident show` lists them"),
            (Surface::View, WayOut::Requests) => {
                write!(f, "the Waiting pane shows those still open")
            }
            (Surface::Cli, WayOut::Assumptions) => write!(f, "`incident show` lists them"),
            (Surface::View, WayOut::Assumptions) => write!(f, "`:assumptions` lists them"),
            (Surface::Cli, WayOut::Mitigations) => {
                write!(f, "`incident mitigation list` shows them")
            }
            (Surface::View, WayOut::Mitigations) => write!(f, "`:mitigations` shows them"),
            (Surface::Cli, WayOut::Tasks) => write!(f, "`incident task list` shows them"),
            (Surface::View, WayOut::Tasks) => {
                write!(f, "`:mitigations` shows them, below the mitigations")
            }
            (Surface::Cli, WayOut::Takeover(r)) => write!(f, "`incident role takeover {r}`"),
            (Surface::View, WayOut::Takeover(r)) => write!(f, "`:takeover {}`", short(*r)),
            (Surface::Cli, WayOut::Reopen) => write!(f, "`incident status investigating`"),
            (Surface::View, WayOut::Reopen) => write!(f, "`:status investigating`"),
            (Surface::Cli, WayOut::Merge) => write!(f, "`incident merge INC-3 --into INC-1`"),
            (Surface::View, WayOut::Merge) => write!(f, "`:merge INC-1` in INC-3"),
            (Surface::Cli, WayOut::CheckSystem) => {
                write!(f, "`incident system set NAME ok --evidence TEXT`")
            }
            (Surface::View, WayOut::CheckSystem) => write!(f, "`:sys NAME ok EVIDENCE`"),
            (Surface::Cli, WayOut::Force(st)) => write!(f, "`incident status {st} --force`"),
            (Surface::View, WayOut::Force(st)) => write!(f, "`:status {st} --force`"),
            (Surface::Cli, WayOut::Followups) => write!(f, "`incident followup list` shows them"),
            (Surface::View, WayOut::Followups) => write!(f, "`:doc` shows them"),
            (Surface::Cli, WayOut::FreezeStatus) => {
                write!(f, "`incident freeze status` says which incident holds one")
            }
            (Surface::View, WayOut::FreezeStatus) => {
                write!(f, "the banner says which incident holds one")
            }
            (Surface::Cli, WayOut::UnfreezeIn(id)) => write!(f, "`incident freeze off -i {id}`"),
            // This view cannot lift it: another view, or a shell, can.
            (Surface::View, WayOut::UnfreezeIn(id)) => write!(
                f,
                "`:unfreeze` in a view of {id}, or `incident freeze off -i {id}`"
            ),
            (Surface::Cli, WayOut::Note) => write!(f, "`incident log TEXT`"),
            (Surface::View, WayOut::Note) => write!(f, "`:note TEXT`"),
            (Surface::Cli, WayOut::Systems) => {
                write!(
                    f,
                    "`incident system list` shows them; `incident system set NAME STATUS` adds one"
                )
            }
            (Surface::Cli, WayOut::Append(s)) => write!(f, "`incident doc append {s} TEXT`"),
            (Surface::View, WayOut::Append(s)) => write!(f, "`:append {s} TEXT`"),
            (Surface::Cli, WayOut::Escalate) => write!(f, "`incident escalate TEAM MESSAGE`"),
            (Surface::View, WayOut::Escalate) => write!(f, "`:escalate TEAM MESSAGE`"),
            (Surface::View, WayOut::Systems) => {
                write!(
                    f,
                    "the What is bleeding pane shows them; `:sys NAME STATUS` adds one"
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_minute_is_not_said_as_minutes() {
        assert_eq!(
            Refusal::BadCadence { minutes: 1 }.to_string(),
            "an update every 1 min is not sensible: use 5 to 240 (minutes)"
        );
        assert_eq!(
            Refusal::BadBreak { minutes: 500 }.to_string(),
            "a break of 500 min is not sensible: use 1 to 120 (minutes)"
        );
    }

    #[test]
    fn a_way_out_is_the_command_of_the_surface_it_is_shown_on() {
        let r = Refusal::RoleEmpty {
            role: Role::Commander,
        };
        assert_eq!(
            r.render(Surface::Cli),
            "nobody holds commander: claim it (`incident role claim commander`) or, as commander, assign it"
        );
        assert_eq!(
            r.render(Surface::View),
            "nobody holds commander: claim it (`:claim ic`) or, as commander, assign it"
        );
        // Outside a rendering, the live view's form; a rendering leaves
        // no trace behind.
        assert_eq!(r.to_string(), r.render(Surface::View));
        // An error that carries a refusal renders it for the surface too.
        let e = crate::store::StoreError::Refused(Refusal::NeedsClearance { id: 3 });
        let cli = e.render(Surface::Cli);
        assert!(
            cli.contains("`incident mitigation start M3` asks for it"),
            "{cli}"
        );
        assert!(!cli.contains(":start"), "{cli}");
        assert!(e.render(Surface::View).contains("`:start M3` asks for it"));
    }

    #[test]
    fn no_refusal_names_the_other_surfaces_command() {
        let all = [
            Refusal::RoleHeld {
                role: Role::Communications,
                holder: "bob".into(),
            },
            Refusal::HandoverRequired {
                holder: "alice".into(),
            },
            Refusal::RoleEmpty { role: Role::Scribe },
            Refusal::NoSuchRequest { id: 9 },
            Refusal::NoSuchAssumption { id: 9 },
            Refusal::NoSuchMitigation { id: 9 },
            Refusal::NeedsClearance { id: 9 },
            Refusal::NoSuchTask { id: 9 },
            Refusal::HoldsRole {
                user: "carol".into(),
                role: Role::Commander,
            },
            Refusal::NoCommanderToAnswer { id: 9 },
            Refusal::NotCorrectable {
                seq: 3,
                kind: LogKind::StatusChange,
            },
            Refusal::NotYourEntry {
                seq: 4,
                author: "bob".into(),
            },
            Refusal::AlreadyRetracted {
                seq: 4,
                by: "alice".into(),
            },
            Refusal::NoSuchSystem {
                given: "paymnts".into(),
                known: vec!["payments".into()],
            },
            Refusal::HolderPresent {
                role: Role::Commander,
                holder: "bob".into(),
                host: Some("bastion".into()),
            },
            Refusal::NotAwayLongEnough {
                role: Role::Commander,
                holder: "bob".into(),
                away: 2,
                after: 5,
            },
            Refusal::CloseResolved,
            Refusal::UseMerge,
            Refusal::StillFailing {
                systems: vec!["payments".into()],
            },
            Refusal::StillOpen {
                items: vec!["M1".into()],
                frozen: true,
            },
            Refusal::NoSuchFollowup { id: 9 },
            Refusal::NoFreezeHere,
        ];
        for r in &all {
            let cli = r.render(Surface::Cli);
            let tui = r.render(Surface::View);
            assert!(cli.contains("`incident "), "{cli}");
            assert!(!cli.contains("`:"), "{cli}");
            assert!(!tui.contains("`incident "), "{tui}");
            assert_ne!(cli, tui);
        }
        assert!(
            all[0]
                .render(Surface::Cli)
                .contains("(`incident role handover communications you`)")
        );
        assert!(
            all[0]
                .render(Surface::View)
                .contains("(`:handover comms you`)")
        );
    }

    #[test]
    fn a_freeze_held_elsewhere_is_lifted_where_it_is_held() {
        let r = Refusal::FrozenElsewhere {
            ids: vec!["INC-2".into(), "INC-5".into()],
        };
        assert_eq!(
            r.render(Surface::View),
            "Deploys are frozen by INC-2, INC-5, not by this incident: lift it there (`:unfreeze` in a view of INC-2, or `incident freeze off -i INC-2`)"
        );
        assert_eq!(
            r.render(Surface::Cli),
            "Deploys are frozen by INC-2, INC-5, not by this incident: lift it there (`incident freeze off -i INC-2`)"
        );
    }

    #[test]
    fn threads_render_the_same_refusal_for_different_surfaces_at_once() {
        // Nothing is kept between renderings: two threads rendering the
        // same refusal for different surfaces, interleaved as the
        // scheduler likes, each see their own surface every time.
        let r = std::sync::Arc::new(Refusal::NeedsClearance { id: 7 });
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
        let spawn = |on: Surface, want: &'static str| {
            let (r, barrier) = (r.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                for _ in 0..2000 {
                    let s = r.render(on);
                    assert!(s.contains(want), "{on:?}: {s}");
                    // The adapter formats lazily; the surface is its own.
                    let adapter = format!("{}", r.on(on));
                    assert_eq!(adapter, s);
                }
            })
        };
        let cli = spawn(Surface::Cli, "`incident mitigation start M7`");
        let view = spawn(Surface::View, "`:start M7`");
        cli.join().expect("the CLI thread renders its own form");
        view.join().expect("the view thread renders its own form");
    }
}

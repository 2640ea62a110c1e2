//! The command line: names here are a public interface that scripts use.

use crate::model::{
    LogKind, MitigationKind, Risk, Role, Section, Severity, Speed, Status, SystemStatus,
};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "incident",
    version,
    about = "A shared, live war-room for running an incident from an SSH jump box",
    long_about = "With no command, opens the live view of the active incident \
                  (or a picker, or a form to declare one)."
)]
pub struct Cli {
    /// Incident directory (default: $INCIDENT_DIR, else ~/.local/share/incident)
    #[arg(long, global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Poll for changes instead of using file-system events (network file
    /// systems); also INCIDENT_POLL=1
    #[arg(long, global = true)]
    pub poll: bool,

    /// Colour theme: default, light, high-contrast, mono (also INCIDENT_THEME)
    #[arg(long, global = true, env = "INCIDENT_THEME", value_name = "NAME")]
    pub theme: Option<String>,

    /// Open a realistic sample incident in a temporary directory, to try
    /// every key safely
    #[arg(long)]
    pub demo: bool,

    /// Act under this display name when several people share one account
    /// (recorded beside the real account); also INCIDENT_NAME
    #[arg(long, global = true, env = "INCIDENT_NAME", value_name = "NAME")]
    pub name: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Which incident: optional when exactly one is active.
#[derive(Debug, Args, Clone, Default)]
pub struct Which {
    /// Incident id (INC-7 or 7); may be left out when exactly one is active
    #[arg(short = 'i', long = "incident", value_name = "ID")]
    pub id: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Declare a new incident; prints its id
    Declare {
        /// What is wrong, in a few words ("Checkout errors")
        #[arg(long, short = 't')]
        title: String,
        /// SEV1 (worst) to SEV4
        #[arg(long, short = 's', default_value = "SEV2", value_parser = parse::<Severity>)]
        severity: Severity,
        /// Do not open the live view afterwards
        #[arg(long)]
        no_open: bool,
        /// Declare even if an active incident has a similar title
        #[arg(long)]
        force: bool,
        /// Load this service map (TOML, JSON or Backstage catalog-info.yaml);
        /// default: the team's map in the incident directory, if any
        #[arg(long, value_name = "FILE")]
        systems: Option<PathBuf>,
        /// Start the document from templates/NAME.toml in the incident directory
        #[arg(long, value_name = "NAME")]
        template: Option<String>,
    },
    /// Open the live view of an incident
    Open {
        /// Incident id (INC-7 or 7)
        id: String,
    },
    /// Print one frame of the live view as plain text and exit
    Screen {
        #[command(flatten)]
        which: Which,
        /// WIDTHxHEIGHT
        #[arg(long, default_value = "120x40")]
        size: String,
    },
    /// List incidents, newest first (active ones unless --all)
    List {
        /// Include resolved incidents
        #[arg(long)]
        all: bool,
        /// One JSON array
        #[arg(long)]
        json: bool,
    },
    /// Append an entry to the action log
    Log {
        #[command(flatten)]
        which: Which,
        /// note, action, decision or announcement
        #[arg(long, short = 'k', default_value = "note", value_parser = parse::<LogKind>)]
        kind: LogKind,
        /// The text; several words are joined with spaces
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Print the current state of an incident
    Show {
        #[command(flatten)]
        which: Which,
        /// One JSON document
        #[arg(long)]
        json: bool,
    },
    /// Print the last entries, then each new one as it lands, until interrupted
    Tail {
        #[command(flatten)]
        which: Which,
        /// JSON Lines, one entry per line
        #[arg(long)]
        json: bool,
        /// How many existing entries to print first
        #[arg(short = 'n', long = "lines", default_value_t = 10)]
        lines: usize,
    },
    /// Roles: who is commander, communications, ...
    Role {
        #[command(subcommand)]
        action: RoleAction,
    },
    /// Announce what you are about to do, for the commander's go; prints
    /// the request id (R3)
    Announce {
        #[command(flatten)]
        which: Which,
        /// Wait for the answer: exit 0 on go, 1 on hold, 2 on timeout
        #[arg(long)]
        wait: bool,
        /// With --wait, give up after this many seconds
        #[arg(long, value_name = "SECS", default_value_t = 600)]
        timeout: u64,
        /// What you are about to do
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Answer a request as the commander: go or hold
    Answer {
        #[command(flatten)]
        which: Which,
        /// The request (R3 or 3)
        request: String,
        /// go or hold
        #[arg(value_parser = ["go", "hold"])]
        verdict: String,
        /// Why (shown to the requester)
        #[arg(num_args = 0.., value_name = "REASON")]
        reason: Vec<String>,
    },
    /// Run a command for the incident and log it with its outcome
    Run {
        #[command(flatten)]
        which: Which,
        /// Announce it and wait for the commander's go before running
        #[arg(long)]
        clear: bool,
        /// With --clear, give up waiting after this many seconds
        #[arg(long, value_name = "SECS", default_value_t = 600)]
        timeout: u64,
        /// It starts a procedure: everyone gets a short pause first (the
        /// commander can skip it with `incident break end`)
        #[arg(long)]
        procedure: bool,
        /// The command and its arguments, after --
        #[arg(required = true, num_args = 1.., last = true, value_name = "CMD")]
        command: Vec<String>,
    },
    /// The incident document: show, set or append to a section
    Doc {
        #[command(subcommand)]
        action: DocAction,
    },
    /// Appendix snippets: verbatim command output, log lines, code
    Snippet {
        #[command(subcommand)]
        action: SnippetAction,
    },
    /// Put a log entry on the document's timeline
    Pin {
        #[command(flatten)]
        which: Which,
        /// The log entry (#42 or 42)
        entry: String,
    },
    /// Take a log entry off the timeline
    Unpin {
        #[command(flatten)]
        which: Which,
        entry: String,
    },
    /// Record a status update (communications), and when the next is due
    Update {
        #[command(flatten)]
        which: Which,
        /// It went outside the company (status page)
        #[arg(long)]
        external: bool,
        /// Set the cadence: minutes between updates
        #[arg(long, value_name = "MIN")]
        every: Option<u32>,
        #[arg(num_args = 0.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Write the draft post-mortem
    Export {
        #[command(flatten)]
        which: Which,
        /// markdown or json
        #[arg(long, default_value = "markdown")]
        format: String,
        /// Write to FILE instead of standard output
        #[arg(short = 'o', long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Systems and their dependencies
    System {
        #[command(subcommand)]
        action: SystemAction,
    },
    /// What is bleeding: suspected sources, what to check next, blast radius, cycles
    Bleeding {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Record an assumption (unverified until someone checks it)
    Assume {
        #[command(flatten)]
        which: Which,
        /// Who says so, when it comes from outside ("vendor support")
        #[arg(long, value_name = "WHO")]
        source: Option<String>,
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Mark an assumption as checked and true, with how it was checked
    Verify {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        check: Check,
    },
    /// Mark an assumption as checked and false, with how it was checked
    Refute {
        #[command(flatten)]
        which: Which,
        #[command(flatten)]
        check: Check,
    },
    /// Who is affected and how many ("EU card payments ~1200 customers/hour")
    Impact {
        #[command(flatten)]
        which: Which,
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Mitigations: quick routine fixes first
    Mitigation {
        #[command(subcommand)]
        action: MitigationAction,
    },
    /// Investigation tasks with owners (root cause, impact analysis)
    Task {
        #[command(subcommand)]
        action: TaskAction,
    },
    /// Deploy freeze: on [REASON], off, or status (exits 1 while any active
    /// incident has one, for deploy scripts to gate on)
    Freeze {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = ["on", "off", "status"])]
        state: String,
        /// Why (with on)
        #[arg(num_args = 0.., value_name = "REASON")]
        reason: Vec<String>,
    },
    /// A break for the whole team: DURATION (15m, 1h, or minutes) [REASON],
    /// or `end` to end the running one early (commander)
    Break {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "DURATION|end")]
        what: String,
        #[arg(num_args = 0.., value_name = "REASON")]
        reason: Vec<String>,
    },
    /// Food has been ordered (expense it)
    Food {
        #[command(flatten)]
        which: Which,
        #[arg(num_args = 0.., value_name = "NOTE")]
        note: Vec<String>,
    },
    /// Stand someone down to rest (commander); they must hand over their roles first
    Detach {
        #[command(flatten)]
        which: Which,
        user: String,
        #[arg(num_args = 0.., value_name = "NOTE")]
        note: Vec<String>,
    },
    /// Take in a pager payload (stdin or FILE): join the active incident
    /// for the same alert, or declare one; prints the incident id
    Page {
        /// auto, pagerduty, alertmanager, opsgenie or grafana
        #[arg(long, default_value = "auto")]
        source: String,
        /// Then open the live view on it
        #[arg(long)]
        open: bool,
        /// The payload (default: standard input)
        file: Option<PathBuf>,
    },
    /// Receive pager webhooks over HTTP (/pagerduty, /alertmanager,
    /// /opsgenie, /grafana)
    Listen {
        /// Address to bind (loopback unless you mean otherwise)
        #[arg(long, default_value = "127.0.0.1:9095")]
        addr: String,
        /// File holding the bearer token callers must send (required off loopback)
        #[arg(long, value_name = "FILE")]
        token_file: Option<PathBuf>,
        /// File holding the PagerDuty webhook subscription secret, to verify
        /// X-PagerDuty-Signature
        #[arg(long, value_name = "FILE")]
        pagerduty_secret_file: Option<PathBuf>,
        /// Largest request body accepted, in bytes
        #[arg(long, default_value_t = 1024 * 1024)]
        max_body: usize,
    },
    /// One line per active incident, for login banners and prompts; exits 1
    /// (printing nothing) when there is none
    Active {
        /// Just the ids, severities and titles
        #[arg(long)]
        short: bool,
    },
    /// Check incident files; --repair salvages the lines that still parse
    /// into a new file and keeps the original beside it
    Doctor {
        #[command(flatten)]
        which: Which,
        /// Rewrite the incident from its good lines (needs -i)
        #[arg(long)]
        repair: bool,
    },
    /// Set the status: investigating, mitigated, resolved
    Status {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Status>)]
        status: Status,
    },
    /// Set the severity: SEV1 (worst) to SEV4
    Severity {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Severity>)]
        severity: Severity,
    },
}

/// Closing an assumption: which one, and the evidence.
#[derive(Debug, Args, Clone)]
pub struct Check {
    /// The assumption (A2 or 2)
    pub assumption: String,
    /// The log entry of an `incident run` that shows it (#42 or 42)
    #[arg(long, value_name = "ENTRY")]
    pub run: Option<String>,
    /// How it was checked: the command run and what it said
    #[arg(num_args = 0.., value_name = "EVIDENCE")]
    pub evidence: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum DocAction {
    /// Print the document (sections, timeline, appendix, updates)
    Show {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Replace a section's text (- reads it from standard input)
    Set {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Section>)]
        section: Section,
        /// The version you started from (default: the current one); a
        /// different current version means someone saved in between
        #[arg(long, value_name = "N")]
        base: Option<u64>,
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Add a paragraph to a section (- reads it from standard input)
    Append {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Section>)]
        section: Section,
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SnippetAction {
    /// Add a snippet from FILE, - (standard input), or --entry of an `incident run`
    Add {
        #[command(flatten)]
        which: Which,
        title: String,
        file: Option<PathBuf>,
        /// Take the output recorded by an `incident run` log entry
        #[arg(long, value_name = "ENTRY")]
        entry: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum MitigationAction {
    /// Propose a mitigation; prints its id (M3)
    Add {
        #[command(flatten)]
        which: Which,
        /// rollback, freeze_deploys, scale_down, noop_endpoint, restart, failover, custom
        #[arg(long, default_value = "custom", value_parser = parse::<MitigationKind>)]
        kind: MitigationKind,
        /// low, medium, high
        #[arg(long, default_value = "medium", value_parser = parse::<Risk>)]
        risk: Risk,
        /// quick, slow
        #[arg(long, default_value = "quick", value_parser = parse::<Speed>)]
        speed: Speed,
        /// The system it is for
        #[arg(long, value_name = "NAME")]
        system: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        /// It is a procedure: starting it gives everyone a short pause first
        #[arg(long)]
        procedure: bool,
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Mitigations in order (quick and low-risk first), and suggestions
    List {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Routine mitigations for the failing systems, not yet proposed
    Suggest {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Take a mitigation yourself
    Take {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID")]
        item: String,
    },
    /// Give a mitigation to someone
    Give {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID")]
        item: String,
        user: String,
    },
    /// Start it; destructive ones ask the commander first (--wait waits for go)
    Start {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID")]
        item: String,
        #[arg(long)]
        wait: bool,
        #[arg(long, value_name = "SECS", default_value_t = 600)]
        timeout: u64,
    },
    /// It worked
    Done {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID")]
        item: String,
        #[arg(num_args = 0.., value_name = "RESULT")]
        result: Vec<String>,
    },
    /// It did not work (it stays visible)
    Failed {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID")]
        item: String,
        #[arg(num_args = 0.., value_name = "RESULT")]
        result: Vec<String>,
    },
    /// Not doing it after all
    Abandon {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID")]
        item: String,
        #[arg(num_args = 0.., value_name = "RESULT")]
        result: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TaskAction {
    /// Add a task; prints its id (T2)
    Add {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        owner: Option<String>,
        #[arg(required = true, num_args = 1.., value_name = "TEXT")]
        text: Vec<String>,
    },
    /// Tasks and their owners
    List {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    Take {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID")]
        item: String,
    },
    Give {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID")]
        item: String,
        user: String,
    },
    Done {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "ID")]
        item: String,
        #[arg(num_args = 0.., value_name = "RESULT")]
        result: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SystemAction {
    /// Set a system's status: unknown, ok, degraded, failing
    Set {
        #[command(flatten)]
        which: Which,
        #[arg(value_name = "NAME")]
        system: String,
        #[arg(value_parser = parse::<SystemStatus>)]
        status: SystemStatus,
        /// How you know: the command run and what it said
        #[arg(long, value_name = "TEXT")]
        evidence: Option<String>,
        /// The log entry of an `incident run` that shows it (#42 or 42)
        #[arg(long, value_name = "ENTRY")]
        run: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        note: Option<String>,
    },
    /// Record that A depends on B
    Depend {
        #[command(flatten)]
        which: Which,
        a: String,
        b: String,
    },
    /// Remove the record that A depends on B
    Undepend {
        #[command(flatten)]
        which: Which,
        a: String,
        b: String,
    },
    /// List the systems, their status and dependencies
    List {
        #[command(flatten)]
        which: Which,
        #[arg(long)]
        json: bool,
    },
    /// Load a service map: TOML, JSON or Backstage catalog-info.yaml
    Import {
        #[command(flatten)]
        which: Which,
        file: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum RoleAction {
    /// Take an empty role yourself
    Claim {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Role>)]
        role: Role,
    },
    /// Offer a role you hold to USER; it moves when they accept
    Handover {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Role>)]
        role: Role,
        user: String,
    },
    /// Accept a role offered to you
    Accept {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Role>)]
        role: Role,
    },
    /// Decline a role offered to you
    Decline {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Role>)]
        role: Role,
    },
    /// Withdraw an offer you made
    Withdraw {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Role>)]
        role: Role,
    },
    /// Leave a role you hold
    Stepdown {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Role>)]
        role: Role,
    },
    /// Show an optional role (scribe, ops_lead, sme, liaison) on this incident
    Add {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Role>)]
        role: Role,
    },
    /// Give ROLE to USER (the commander; anyone while there is none)
    Set {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Role>)]
        role: Role,
        user: String,
    },
    /// Leave ROLE empty (the commander, or its holder)
    Clear {
        #[command(flatten)]
        which: Which,
        #[arg(value_parser = parse::<Role>)]
        role: Role,
    },
}

impl RoleAction {
    /// The incident it names, and the operation it asks for.
    pub fn into_op(self) -> (Which, crate::ops::Op) {
        use crate::ops::Op;
        match self {
            RoleAction::Claim { which, role } => (which, Op::ClaimRole { role }),
            RoleAction::Handover { which, role, user } => (which, Op::OfferRole { role, to: user }),
            RoleAction::Accept { which, role } => (which, Op::AcceptRole { role }),
            RoleAction::Decline { which, role } => (which, Op::DeclineRole { role }),
            RoleAction::Withdraw { which, role } => (which, Op::WithdrawOffer { role }),
            RoleAction::Stepdown { which, role } => (which, Op::StepDown { role }),
            RoleAction::Add { which, role } => (which, Op::AddRole { role }),
            RoleAction::Set { which, role, user } => (
                which,
                Op::SetRole {
                    role,
                    user: Some(user),
                },
            ),
            RoleAction::Clear { which, role } => (which, Op::SetRole { role, user: None }),
        }
    }
}

fn parse<T>(s: &str) -> Result<T, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    s.parse::<T>().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Clap checks argument names only when a command is built: do it for
    /// every subcommand here, not in front of a user.
    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}

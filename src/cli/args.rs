//! The command line: names here are a public interface that scripts use.

use super::completion::{incident_ids, words};
use crate::model::refs::{EntryRef, Minutes, RequestRef};
use crate::model::{LogKind, Section, Severity, Status};
use clap::{Args, Parser, Subcommand};

pub use crate::verbs::complete::Bar;
pub use crate::verbs::maintenance::MaintenanceAction;
pub use crate::verbs::{
    Check, EscalateArgs, FollowupAction, MitigationAction, RoleAction, SystemAction, TaskAction,
};
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
    #[command(flatten)]
    pub globals: Globals,

    /// Open a realistic sample incident in a temporary directory, to try
    /// every key safely
    #[arg(long)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

// Options every command takes, before or after its name. (No doc comment:
// a flattened struct's would replace the command's about line.)
#[derive(Debug, Args, Clone, Default)]
pub struct Globals {
    /// Incident directory (default: $INCIDENT_DIR, else ~/.local/share/incident)
    #[arg(long, value_name = "DIR", global = true)]
    pub dir: Option<PathBuf>,

    /// Poll for changes instead of using file-system events (network file
    /// systems); also INCIDENT_POLL=1
    #[arg(long, global = true)]
    pub poll: bool,

    /// Colour theme: default, light, high-contrast, mono (also INCIDENT_THEME)
    #[arg(long, env = "INCIDENT_THEME", value_name = "NAME", global = true)]
    pub theme: Option<String>,

    /// Act under this display name when several people share one account
    /// (recorded beside the real account); also INCIDENT_NAME
    #[arg(long, env = "INCIDENT_NAME", value_name = "NAME", global = true)]
    pub name: Option<String>,
}

impl Cli {
    /// Parse the process's arguments; on a usage error, print it and exit
    /// as clap does.
    pub fn from_env() -> Cli {
        Self::from_args(std::env::args_os())
    }

    /// Parse these arguments (the program's name first); on a mistake or
    /// `--help`, print and exit as clap does.
    pub fn from_args<I, T>(args: I) -> Cli
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        <Cli as Parser>::parse_from(args)
    }
}

/// Which incident: when left out, `INCIDENT_ID`, else the one incident
/// your own live view has open, else the only active one (see
/// `Store::defaulting`).
#[derive(Debug, Args, Clone, Default)]
pub struct Which {
    /// Incident id (INC-7 or 7); when left out: INCIDENT_ID, else the incident your open view shows, else the only active one
    #[arg(short = 'i', long = "incident", value_name = "ID", add = incident_ids())]
    pub id: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Declare a new incident; prints its id
    Declare(DeclareArgs),
    /// Open the live view of an incident
    Open(OpenArgs),
    /// Print one frame of the live view as plain text and exit (--at TIME: as it stood then)
    Screen(ScreenArgs),
    /// List incidents, newest first (active ones unless --all)
    List(ListArgs),
    /// Append an entry to the action log
    Log(LogArgs),
    /// Print the current state of an incident (--at TIME: as it stood then)
    Show(ShowArgs),
    /// Print the last entries, then each new one as it lands, until interrupted
    Tail(TailArgs),
    /// Roles: who is commander, communications, ...
    Role(RoleArgs),
    /// Announce what you are about to do, for the commander's go; prints the request id (R3)
    #[command(alias = "about")]
    Announce(AnnounceArgs),
    /// Answer a request as the commander: go or hold
    Answer(AnswerArgs),
    /// Run a command for the incident (after the commander's go, while someone commands) and log its outcome
    Run(RunArgs),
    /// The incident document: show, set or append to a section
    Doc(DocArgs),
    /// Appendix snippets: verbatim command output, log lines, code
    Snippet(SnippetArgs),
    /// Put a log entry on the document's timeline
    Pin(PinArgs),
    /// Take a log entry off the timeline
    Unpin(UnpinArgs),
    /// Record a status update (communications), and when the next is due
    Update(UpdateArgs),
    /// Write the draft post-mortem
    Export(ExportArgs),
    /// Systems and their dependencies
    System(SystemArgs),
    /// What is bleeding: suspected sources, what to check next, blast radius, cycles
    Bleeding(BleedingArgs),
    /// Record an assumption (unverified until someone checks it)
    Assume(AssumeArgs),
    /// Mark an assumption as checked and true, with how it was checked
    Verify(VerifyArgs),
    /// Mark an assumption as checked and false, with how it was checked
    Refute(RefuteArgs),
    /// Who is affected and how many ("EU card payments ~1200 customers/hour")
    Impact(ImpactArgs),
    /// Mitigations: quick routine fixes first
    Mitigation(MitigationArgs),
    /// Investigation tasks with owners (root cause, impact analysis)
    Task(TaskArgs),
    /// Deploy freeze: on [REASON], off, or status (exits 1 while any incident holds one, a freeze kept past resolving too, for deploy scripts to gate on)
    Freeze(FreezeArgs),
    /// A break for the whole team: DURATION (15m, 1h, or minutes) [REASON], or `end` to end the running one early (commander)
    Break(BreakArgs),
    /// Food has been ordered (expense it)
    Food(FoodArgs),
    /// Call a team for help (a [[responders]] entry of incident.toml): pages it through PagerDuty, Opsgenie or a webhook; resolving, merging or cancelling the incident resolves the page
    Escalate(EscalateArgs),
    /// Stand someone down to rest (commander); they must hand over their roles first
    #[command(alias = "standdown")]
    Detach(DetachArgs),
    /// Take in a pager payload (stdin or FILE): join the active incident for the same alert, or declare one; prints what it did (declared INC-3, joined INC-1, logged INC-1, ignored: why)
    Page(PageArgs),
    /// Receive pager webhooks over HTTP (/pagerduty, /alertmanager, /opsgenie, /grafana) and serve a read-only live page for onlookers (/, /INC-7)
    Listen(ListenArgs),
    /// Serve an AI assistant over the Model Context Protocol (stdio), acting for you and signed "assistant (for YOU)": it reads the incident, writes notes, assumptions and checks, and proposes commands that run only after the commander's go
    Mcp(McpArgs),
    /// One line per active incident, for login banners and prompts, then one per service in maintenance (not with --short); exits 1 when there is no incident (printing nothing, or only the maintenance windows)
    Active(ActiveArgs),
    /// Maintenance windows: `add SERVICE --for 2h REASON` (or --until 06:00), `list`, `end W1`; a page for a service in a window declares nothing and is counted
    Maintenance(MaintenanceArgs),
    /// Check incident files; --repair salvages the lines that still parse into a new file and keeps the original beside it
    Doctor(DoctorArgs),
    /// Set the status: investigating, mitigated, resolved
    Status(StatusArgs),
    /// Set the severity: SEV1 (worst) to SEV4
    #[command(alias = "sev")]
    Severity(SeverityArgs),
    /// Close an incident as a duplicate of another (commander): `incident merge INC-3 --into INC-1`; its alerts go to INC-1 from then on
    Merge(MergeArgs),
    /// Close an incident as a false alarm (commander), saying why; it is not counted as resolved
    #[command(alias = "falsealarm")]
    Cancel(CancelArgs),
    /// Correct a log entry you wrote: `incident correct 12 TEXT...`; what it said stays, struck through
    Correct(CorrectArgs),
    /// Take back a log entry you wrote, saying why: `incident retract 12 REASON...`
    Retract(RetractArgs),
    /// Follow-ups (action items for after the incident): add, list, take, give, done
    Followup(FollowupArgs),
    /// When a milestone really happened (impact_started, detected, acknowledged, declared, mitigated, resolved): `incident milestone impact_started 05:38 --note "first 5xx in the LB log"`; with no arguments, lists them and the durations
    Milestone(MilestoneArgs),
    /// Across the incidents here: how many, how severe, and the median time to detect, acknowledge, mitigate and resolve (duplicates, cancelled incidents and drills left out)
    Stats(StatsArgs),
    /// Practise on a made-up incident: `incident drill --list`, `incident drill NAME [--speed N] [--no-open]` (prints its id), `incident drill debrief ID`
    Drill(DrillArgs),
    /// Print shell completions: `incident completions bash > /etc/bash_completion.d/incident` (also zsh, fish); incident ids and role names complete too
    Completions(CompletionsArgs),
    /// Write the manual pages (incident.1 and one per subcommand) into DIR
    #[command(hide = true)]
    Man(ManArgs),
    /// What changed since you left (roles, status, systems, assumptions, decisions, mitigations, updates, what waits for you), or the handover brief if you were never in: `incident catchup --since 03:12`
    Catchup(CatchupArgs),
}

// The arguments of `incident drill`.
#[derive(Debug, Args)]
pub struct DrillArgs {
    /// The scenarios: built in, and the team's own in drills/*.toml
    #[arg(long, conflicts_with_all = ["scenario", "id"])]
    pub list: bool,
    /// The scenario to play, or `debrief`. (Not `name`: that is the global
    /// `--name`, and clap would merge the two.)
    #[arg(value_name = "NAME", required_unless_present = "list")]
    pub scenario: Option<String>,
    /// With `debrief`: the drill incident
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// Run the scenario's clock N times faster than the wall clock
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub speed: u32,
    /// Play it headless: print each event as it happens, and the debrief at the end
    #[arg(long)]
    pub no_open: bool,
    /// With `debrief`: one JSON object
    #[arg(long)]
    pub json: bool,
}

// The arguments of `incident stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// One JSON object
    #[arg(long)]
    pub json: bool,
}

// The arguments of `incident completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh or fish
    #[arg(value_parser = ["bash", "zsh", "fish"])]
    pub shell: String,
}

// The arguments of `incident man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Where the pages go (created if missing)
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

// The arguments of `incident catchup`.
#[derive(Debug, Args)]
pub struct CatchupArgs {
    #[command(flatten)]
    pub which: Which,
    /// Since when, UTC: 03:12 (today, or last night) or 2026-12-01T03:12Z
    /// (default: when you left: your last write or your last view open)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// One JSON document with "kind": "catchup" or "brief"
    #[arg(long)]
    pub json: bool,
}

// The arguments of `incident followup`.
#[derive(Debug, Args)]
pub struct FollowupArgs {
    #[command(subcommand)]
    pub action: FollowupAction,
}

// The arguments of `incident milestone`.
#[derive(Debug, Args)]
pub struct MilestoneArgs {
    #[command(flatten)]
    pub which: Which,
    /// impact_started, detected, acknowledged, declared, mitigated or resolved
    #[arg(value_parser = parse::<crate::model::Milestone>, requires = "time")]
    pub milestone: Option<crate::model::Milestone>,
    /// When, UTC: 05:38 (today, or last night) or 2026-12-01T05:38Z
    pub time: Option<String>,
    /// Why that time (where it was seen)
    #[arg(long)]
    pub note: Option<String>,
}

// The arguments of `incident declare`.
#[derive(Debug, Args)]
pub struct DeclareArgs {
    /// What is wrong, in a few words ("Checkout errors")
    #[arg(long, short = 't')]
    pub title: String,
    /// SEV1 (worst) to SEV4
    #[arg(long, short = 's', default_value = "SEV2", value_parser = parse::<Severity>, add = words(Severity::ALL))]
    pub severity: Severity,
    /// Do not open the live view afterwards
    #[arg(long)]
    pub no_open: bool,
    /// Declare even if an active incident has a similar title
    #[arg(long)]
    pub force: bool,
    /// Load this service map (TOML, JSON or Backstage catalog-info.yaml);
    /// default: the team's map in the incident directory, if any
    #[arg(long, value_name = "FILE")]
    pub systems: Option<PathBuf>,
    /// Start the document from templates/NAME.toml in the incident directory
    #[arg(long, value_name = "NAME")]
    pub template: Option<String>,
}

// The arguments of `incident open`.
#[derive(Debug, Args)]
pub struct OpenArgs {
    /// Incident id (INC-7 or 7)
    #[arg(add = incident_ids())]
    pub id: String,
}

// The arguments of `incident screen`.
#[derive(Debug, Args)]
pub struct ScreenArgs {
    #[command(flatten)]
    pub which: Which,
    /// WIDTHxHEIGHT
    #[arg(long, default_value = "120x40")]
    pub size: String,
    /// The incident as it stood then (read-only): #N (just after log entry
    /// N), HH:MM or HH:MM:SS (UTC: the first such time since it was
    /// declared), 2026-11-26T03:40Z, or -30m / -2h (that long ago)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
}

// The arguments of `incident list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Include resolved incidents
    #[arg(long)]
    pub all: bool,
    /// One JSON array
    #[arg(long)]
    pub json: bool,
}

// The arguments of `incident log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    #[command(flatten)]
    pub which: Which,
    /// note, action, decision or announcement
    #[arg(long, short = 'k', default_value = "note", value_parser = parse::<LogKind>)]
    pub kind: LogKind,
    /// The text; several words are joined with spaces
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
}

// The arguments of `incident show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[command(flatten)]
    pub which: Which,
    /// One JSON document
    #[arg(long)]
    pub json: bool,
    /// The incident as it stood then (read-only): #N (just after log entry
    /// N), HH:MM or HH:MM:SS (UTC: the first such time since it was
    /// declared), 2026-11-26T03:40Z, or -30m / -2h (that long ago)
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub at: Option<String>,
}

// The arguments of `incident tail`.
#[derive(Debug, Args)]
pub struct TailArgs {
    #[command(flatten)]
    pub which: Which,
    /// JSON Lines, one entry per line
    #[arg(long)]
    pub json: bool,
    /// How many existing entries to print first
    #[arg(short = 'n', long = "lines", default_value_t = 10)]
    pub lines: usize,
}

// The arguments of `incident role`.
#[derive(Debug, Args)]
pub struct RoleArgs {
    #[command(subcommand)]
    pub action: RoleAction,
}

// The arguments of `incident announce`.
#[derive(Debug, Args)]
pub struct AnnounceArgs {
    #[command(flatten)]
    pub which: Which,
    /// Wait for the answer: exit 0 on go, 1 on hold, 2 on timeout
    #[arg(long)]
    pub wait: bool,
    /// With --wait, give up after this many seconds
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    pub timeout: u64,
    /// What you are about to do
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
}

// The arguments of `incident answer`.
#[derive(Debug, Args)]
pub struct AnswerArgs {
    #[command(flatten)]
    pub which: Which,
    /// The request (R3 or 3)
    #[arg(value_parser = parse::<RequestRef>, add = Bar::Refs('R'))]
    pub request: RequestRef,
    /// go or hold
    #[arg(value_parser = ["go", "hold"])]
    pub verdict: String,
    /// Why (shown to the requester)
    #[arg(num_args = 0.., value_name = "REASON")]
    pub reason: Vec<String>,
}

// The arguments of `incident run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub which: Which,
    /// Wait for the commander's go before running, even while nobody
    /// commands yet or the team turned `run_needs_go` off (the default
    /// while someone commands)
    #[arg(long, conflicts_with = "no_clear")]
    pub clear: bool,
    /// Run without asking for go; the log says it "ran without go"
    #[arg(long)]
    pub no_clear: bool,
    /// Give up waiting for go after this many seconds
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    pub timeout: u64,
    /// It carries out this mitigation: it runs under the go already given
    /// for it while that go is younger than the team's `go_valid_for`
    /// (15 minutes by default), and asks anew otherwise
    #[arg(long = "for", value_name = "MITIGATION", value_parser = parse::<crate::model::refs::MitigationRef>)]
    pub for_mitigation: Option<crate::model::refs::MitigationRef>,
    /// It starts a procedure: everyone gets a short pause first (the
    /// commander can skip it with `incident break end`)
    #[arg(long)]
    pub procedure: bool,
    /// The command and its arguments, after --
    #[arg(required = true, num_args = 1.., last = true, value_name = "CMD")]
    pub command: Vec<String>,
}

// The arguments of `incident doc`.
#[derive(Debug, Args)]
pub struct DocArgs {
    #[command(subcommand)]
    pub action: DocAction,
}

// The arguments of `incident snippet`.
#[derive(Debug, Args)]
pub struct SnippetArgs {
    #[command(subcommand)]
    pub action: SnippetAction,
}

// The arguments of `incident pin`.
#[derive(Debug, Args)]
pub struct PinArgs {
    #[command(flatten)]
    pub which: Which,
    /// The log entry (#42 or 42)
    #[arg(value_parser = parse::<EntryRef>, add = Bar::Refs('#'))]
    pub entry: EntryRef,
}

// The arguments of `incident unpin`.
#[derive(Debug, Args)]
pub struct UnpinArgs {
    #[command(flatten)]
    pub which: Which,
    /// The log entry (#42 or 42)
    #[arg(value_parser = parse::<EntryRef>, add = Bar::Refs('#'))]
    pub entry: EntryRef,
}

// The arguments of `incident update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    #[command(flatten)]
    pub which: Which,
    /// It went outside the company (status page)
    #[arg(long)]
    pub external: bool,
    /// Set the cadence: time between updates (20, 20m, 1h)
    #[arg(long, value_name = "MIN", value_parser = parse::<Minutes>)]
    pub every: Option<Minutes>,
    #[arg(num_args = 0.., value_name = "TEXT")]
    pub text: Vec<String>,
}

// The arguments of `incident export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub which: Which,
    /// markdown or json
    #[arg(long, default_value = "markdown")]
    pub format: String,
    /// Write to FILE instead of standard output
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

// The arguments of `incident system`.
#[derive(Debug, Args)]
pub struct SystemArgs {
    #[command(subcommand)]
    pub action: SystemAction,
}

// The arguments of `incident bleeding`.
#[derive(Debug, Args)]
pub struct BleedingArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(long)]
    pub json: bool,
}

// The arguments of `incident assume`.
#[derive(Debug, Args)]
pub struct AssumeArgs {
    #[command(flatten)]
    pub which: Which,
    /// Who says so, when it comes from outside ("vendor support")
    #[arg(long, value_name = "WHO")]
    pub source: Option<String>,
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
}

// The arguments of `incident verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub which: Which,
    #[command(flatten)]
    pub check: Check,
}

// The arguments of `incident refute`.
#[derive(Debug, Args)]
pub struct RefuteArgs {
    #[command(flatten)]
    pub which: Which,
    #[command(flatten)]
    pub check: Check,
}

// The arguments of `incident impact`.
#[derive(Debug, Args)]
pub struct ImpactArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(required = true, num_args = 1.., value_name = "TEXT")]
    pub text: Vec<String>,
}

// The arguments of `incident maintenance`.
#[derive(Debug, Args)]
pub struct MaintenanceArgs {
    #[command(subcommand)]
    pub action: MaintenanceAction,
}

// The arguments of `incident mitigation`.
#[derive(Debug, Args)]
pub struct MitigationArgs {
    #[command(subcommand)]
    pub action: MitigationAction,
}

// The arguments of `incident task`.
#[derive(Debug, Args)]
pub struct TaskArgs {
    #[command(subcommand)]
    pub action: TaskAction,
}

// The arguments of `incident freeze`.
#[derive(Debug, Args)]
pub struct FreezeArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(value_parser = ["on", "off", "status"])]
    pub state: String,
    /// Why (with on)
    #[arg(num_args = 0.., value_name = "REASON")]
    pub reason: Vec<String>,
    /// With status: one JSON object, the one `incident listen` serves on GET /freeze
    #[arg(long)]
    pub json: bool,
}

// The arguments of `incident break`.
#[derive(Debug, Args)]
pub struct BreakArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(value_name = "DURATION|end")]
    pub what: String,
    #[arg(num_args = 0.., value_name = "REASON")]
    pub reason: Vec<String>,
}

// The arguments of `incident food`.
#[derive(Debug, Args)]
pub struct FoodArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(num_args = 0.., value_name = "NOTE")]
    pub note: Vec<String>,
}

// The arguments of `incident detach`.
#[derive(Debug, Args)]
pub struct DetachArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(add = Bar::People)]
    pub user: String,
    #[arg(num_args = 0.., value_name = "NOTE")]
    pub note: Vec<String>,
}

// The arguments of `incident page`.
#[derive(Debug, Args)]
pub struct PageArgs {
    /// auto, pagerduty, alertmanager, opsgenie, jsm or grafana
    #[arg(long, default_value = "auto")]
    pub source: String,
    /// Then open the live view on it
    #[arg(long)]
    pub open: bool,
    /// Print the verdict as JSON: {"outcome": "declared", "incident": "INC-3", ...}
    #[arg(long)]
    pub json: bool,
    /// The payload (default: standard input)
    pub file: Option<PathBuf>,
}

// The arguments of `incident mcp`.
#[derive(Debug, Args)]
pub struct McpArgs {
    #[command(flatten)]
    pub which: Which,
}

// The arguments of `incident listen`.
#[derive(Debug, Args)]
pub struct ListenArgs {
    /// Address to bind (loopback unless you mean otherwise)
    #[arg(long, default_value = "127.0.0.1:9095")]
    pub addr: String,
    /// File holding the bearer token callers must send (required off loopback)
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// File holding the PagerDuty webhook subscription secret, to verify
    /// X-PagerDuty-Signature
    #[arg(long, value_name = "FILE")]
    pub pagerduty_secret_file: Option<PathBuf>,
    /// File holding the Grafana contact point's HMAC secret, to verify
    /// X-Grafana-Alerting-Signature
    #[arg(long, value_name = "FILE")]
    pub grafana_secret_file: Option<PathBuf>,
    /// Largest request body accepted, in bytes
    #[arg(long, default_value_t = 1024 * 1024)]
    pub max_body: usize,
    /// File holding the token onlookers need for the read-only page (its
    /// own, not the webhook token); without it the page is served on
    /// loopback only
    #[arg(long, value_name = "FILE")]
    pub viewer_token_file: Option<PathBuf>,
    /// Seconds a caller has to send a request's headers; an idle
    /// keep-alive connection is closed after as long
    #[arg(long, value_name = "SECS", default_value_t = 5)]
    pub header_timeout: u64,
    /// Seconds a webhook's body has to arrive and be answered (else 408)
    #[arg(long, value_name = "SECS", default_value_t = 20)]
    pub request_timeout: u64,
    /// Connections open at once, at most; more are answered 503 at once
    /// (lowered to fit the file limit)
    #[arg(long, value_name = "N", default_value_t = 4096)]
    pub max_connections: usize,
    /// Serve HTTPS with this PEM certificate chain (read again on SIGHUP)
    #[arg(long, value_name = "FILE", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert
    #[arg(long, value_name = "FILE", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
}

// The arguments of `incident active`.
#[derive(Debug, Args)]
pub struct ActiveArgs {
    /// Just the ids, severities and titles
    #[arg(long)]
    pub short: bool,
}

// The arguments of `incident doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub which: Which,
    /// Rewrite the incident from its good lines (needs -i)
    #[arg(long)]
    pub repair: bool,
    /// Rebuild the directory index (.index/) from the incident files
    #[arg(long, conflicts_with = "repair")]
    pub reindex: bool,
}

// The arguments of `incident status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(value_parser = parse::<Status>, add = words(Status::ALL))]
    pub status: Status,
    /// Mark it mitigated while systems still fail, or resolved while work is still open
    #[arg(long)]
    pub force: bool,
    /// Resolving: keep the deploy freeze (it outlives the incident until `freeze off`)
    #[arg(long)]
    pub keep_freeze: bool,
}

// The arguments of `incident severity`.
#[derive(Debug, Args)]
pub struct SeverityArgs {
    #[command(flatten)]
    pub which: Which,
    #[arg(value_parser = parse::<Severity>, add = words(Severity::ALL))]
    pub severity: Severity,
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
        #[arg(long, value_name = "ENTRY", value_parser = parse::<EntryRef>)]
        entry: Option<EntryRef>,
    },
}

pub(crate) fn parse<T>(s: &str) -> Result<T, String>
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

// The arguments of `incident merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The duplicate, closed by the merge (INC-3 or 3)
    #[arg(value_name = "ID", add = incident_ids())]
    pub id: String,
    /// The incident the work goes on in (INC-1 or 1)
    #[arg(long, value_name = "ID", add = incident_ids())]
    pub into: String,
}

// The arguments of `incident cancel`.
#[derive(Debug, Args)]
pub struct CancelArgs {
    #[command(flatten)]
    pub which: Which,
    /// Why it is a false alarm
    #[arg(required = true, value_name = "REASON")]
    pub reason: Vec<String>,
}

// The arguments of `incident correct`.
#[derive(Debug, Args)]
pub struct CorrectArgs {
    #[command(flatten)]
    pub which: Which,
    /// The log entry (#42 or 42; `incident tail` shows the numbers)
    #[arg(value_parser = parse::<EntryRef>, add = Bar::Refs('#'))]
    pub entry: EntryRef,
    /// What it should say
    #[arg(required = true, value_name = "TEXT")]
    pub text: Vec<String>,
}

// The arguments of `incident retract`.
#[derive(Debug, Args)]
pub struct RetractArgs {
    #[command(flatten)]
    pub which: Which,
    /// The log entry (#42 or 42; `incident tail` shows the numbers)
    #[arg(value_parser = parse::<EntryRef>, add = Bar::Refs('#'))]
    pub entry: EntryRef,
    /// Why it is taken back
    #[arg(required = true, value_name = "REASON")]
    pub reason: Vec<String>,
}

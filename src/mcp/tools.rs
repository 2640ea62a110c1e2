//! The tools an assistant is offered, over the Model Context Protocol.
//! Reads: state, brief, catchup, tail, as_of, bleeding. Writes, only what
//! anyone may: note, assume, check, propose, run. There is no tool for
//! roles, status, severity, the freeze, breaks, merging or cancelling,
//! answering a request or taking over: those are the people's, and
//! `ops::rules` refuses them to an assistant in any case.

use super::{read, write};
use crate::cli::{Ctx, Failure};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::CallToolResult;
use rmcp::model::{ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::schemars::JsonSchema;
use rmcp::{ServerHandler, tool, tool_handler, tool_router};
use serde::Deserialize;
use std::sync::Arc;

/// The assistant at the table: who it acts as, and which incident.
#[derive(Clone)]
pub struct Assistant {
    ctx: Arc<Ctx>,
    id: Option<String>,
    /// What it proposed this session (withdrawn when it ends).
    pub proposals: Arc<write::Proposals>,
    tool_router: ToolRouter<Self>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct Nothing {}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct SinceArgs {
    /// From when: 03:12 (UTC, today or last night) or 2026-11-26T03:12Z; left out: since you last wrote
    #[serde(default)]
    pub since: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct TailArgs {
    /// How many of the last entries (1 to 200; 20 when left out)
    #[serde(default)]
    pub lines: Option<usize>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct AsOfArgs {
    /// A time (03:40 UTC, 2026-11-26T03:40Z, -30m) or an entry (#123)
    pub at: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct NoteArgs {
    /// What to note in the log (cut at 4096 bytes)
    pub text: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct AssumeArgs {
    /// The assumption, as a statement that can be checked
    pub text: String,
    /// Where it comes from (a person, a dashboard)
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct CheckArgs {
    /// The assumption (A2 or 2)
    pub assumption: String,
    /// true: it holds (verified); false: it does not (refuted)
    pub holds: bool,
    /// How it was checked and what that showed
    pub evidence: String,
    /// The log entry of a run that shows it (#42)
    #[serde(default)]
    pub run: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct ProposeArgs {
    /// The program and its arguments, one string each (no shell): ["kubectl", "get", "pods"]
    pub command: Vec<String>,
    /// Why it should run: what it will show or fix
    pub reason: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(crate = "rmcp::schemars")]
pub struct RunArgs {
    /// The request propose returned (R4 or 4)
    pub request: String,
}

impl Assistant {
    pub fn new(ctx: Ctx, id: Option<String>) -> Self {
        Assistant {
            ctx: Arc::new(ctx),
            id,
            proposals: Arc::default(),
            tool_router: Self::tool_router(),
        }
    }

    /// Run `f` off the protocol's loop (it reads files, runs commands):
    /// its text, or the reason it failed as the tool's error.
    async fn call<F>(&self, f: F) -> Result<String, String>
    where
        F: FnOnce(&Ctx, Option<&str>) -> Result<String, Failure> + Send + 'static,
    {
        let ctx = self.ctx.clone();
        let id = self.id.clone();
        tokio::task::spawn_blocking(move || f(&ctx, id.as_deref()))
            .await
            .unwrap_or_else(|e| {
                Err(Failure {
                    message: format!("the tool stopped: {e}"),
                    code: 1,
                })
            })
            .map_err(|f| crate::sanitize::text(&f.message).into_owned())
    }
}

#[tool_router]
impl Assistant {
    #[tool(
        description = "What the incident's screen shows, as text: severity, status, commander and roles, what is bleeding, impact, mitigations, the break, the log, requests waiting for the commander's go, the deploy freeze, when the next update is due"
    )]
    async fn state(&self, _: Parameters<Nothing>) -> Result<String, String> {
        self.call(read::state).await
    }

    #[tool(
        description = "The handover brief: what it is, who holds which role, what is bleeding, what is being tried, what is waiting"
    )]
    async fn brief(&self, _: Parameters<Nothing>) -> Result<String, String> {
        self.call(read::brief).await
    }

    #[tool(
        description = "What changed since a time (roles, status, systems, assumptions, decisions, mitigations, updates), or since you last wrote"
    )]
    async fn catchup(&self, Parameters(a): Parameters<SinceArgs>) -> Result<String, String> {
        self.call(move |ctx, id| read::catchup(ctx, id, a.since.as_deref()))
            .await
    }

    #[tool(
        description = "The last log entries, numbered (#12), each command run with its exit status and output"
    )]
    async fn tail(&self, Parameters(a): Parameters<TailArgs>) -> Result<String, String> {
        self.call(move |ctx, id| read::tail(ctx, id, a.lines.unwrap_or(20)))
            .await
    }

    #[tool(description = "The incident as it stood at a time or a log entry")]
    async fn as_of(&self, Parameters(a): Parameters<AsOfArgs>) -> Result<String, String> {
        self.call(move |ctx, id| read::as_of(ctx, id, &a.at)).await
    }

    #[tool(
        description = "What is bleeding: the suspected source, which systems to check next, the blast radius, open assumptions, impact"
    )]
    async fn bleeding(&self, _: Parameters<Nothing>) -> Result<String, String> {
        self.call(read::bleeding).await
    }

    #[tool(
        description = "Write a note in the incident's log, signed as you (the assistant) acting for your person"
    )]
    async fn note(&self, Parameters(a): Parameters<NoteArgs>) -> Result<String, String> {
        self.call(move |ctx, id| write::note(ctx, id, &a.text))
            .await
    }

    #[tool(
        description = "Record an assumption (unverified until someone checks it); returns its id (A3)"
    )]
    async fn assume(&self, Parameters(a): Parameters<AssumeArgs>) -> Result<String, String> {
        self.call(move |ctx, id| write::assume(ctx, id, &a.text, a.source.as_deref()))
            .await
    }

    #[tool(
        description = "Verify (holds: true) or refute (holds: false) an assumption, with the evidence"
    )]
    async fn check(&self, Parameters(a): Parameters<CheckArgs>) -> Result<String, String> {
        self.call(move |ctx, id| {
            write::check(
                ctx,
                id,
                &a.assumption,
                a.holds,
                &a.evidence,
                a.run.as_deref(),
            )
        })
        .await
    }

    #[tool(
        description = "Propose a command for the commander's go, with why: it becomes a request (R4) shown to everyone. It runs only after the commander answers go, and only when you call run"
    )]
    async fn propose(&self, Parameters(a): Parameters<ProposeArgs>) -> Result<String, String> {
        let proposals = self.proposals.clone();
        self.call(move |ctx, id| write::propose(ctx, id, &a.command, &a.reason, &proposals))
            .await
    }

    #[tool(
        description = "Run a command you proposed, once the commander has answered go; returns its exit status and output (recorded in the log). Before the go it is refused with the reason"
    )]
    async fn run(&self, Parameters(a): Parameters<RunArgs>) -> Result<CallToolResult, String> {
        let ctx = self.ctx.clone();
        let id = self.id.clone();
        let ran = tokio::task::spawn_blocking(move || write::run(&ctx, id.as_deref(), &a.request))
            .await
            .map_err(|e| format!("the tool stopped: {e}"))?
            .map_err(|f| crate::sanitize::text(&f.message).into_owned())?;
        let content = vec![ContentBlock::text(ran.text)];
        // It ran; a failing command is the tool's error, its output said.
        Ok(if ran.ok {
            CallToolResult::success(content)
        } else {
            CallToolResult::error(content)
        })
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Assistant {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("incident", env!("CARGO_PKG_VERSION")))
            .with_instructions(format!(
                "You sit at an incident's table as {}: read the incident (state, brief, catchup, tail, as_of, bleeding), \
                 write notes, assumptions and their checks, and propose commands. The commander clears every action: \
                 a command you propose runs only after the commander answers go, when you call run.",
                self.ctx.me.who()
            ))
    }
}

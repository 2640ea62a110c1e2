//! `incident mcp [-i ID]`: an assistant at the table, under the
//! commander, over the Model Context Protocol on standard input and
//! output (the official Rust SDK, `rmcp`). It acts for the person who
//! started it, signed "assistant (for carol)" on everything it writes;
//! what it may do is in `ops::rules` (the assistant's rules), like
//! everyone's.

mod read;
mod tools;
mod words;
mod write;

use crate::cli::{Ctx, Failure};
use crate::model::Actor;
use rmcp::ServiceExt;
use std::os::fd::AsFd;

/// Serve one assistant until its client closes the connection.
pub fn serve(ctx: &Ctx, id: Option<String>) -> Result<i32, Failure> {
    let failed = |what: &str, e: &dyn std::fmt::Display| Failure {
        message: format!("incident mcp: {what}: {e}"),
        code: 1,
    };
    if let Some(id) = &id {
        ctx.store.resolve(Some(id))?;
    }
    let (input, output) =
        take_stdio().map_err(|e| failed("cannot set up standard input/output", &e))?;
    let assistant_ctx = Ctx {
        store: ctx.store.clone(),
        me: Actor::assistant_for(&ctx.me),
        watch_mode: ctx.watch_mode,
        theme: ctx.theme.clone(),
    };
    let assistant = tools::Assistant::new(
        Ctx {
            store: ctx.store.clone(),
            me: assistant_ctx.me.clone(),
            watch_mode: ctx.watch_mode,
            theme: ctx.theme.clone(),
        },
        id,
    );
    eprintln!(
        "incident mcp: serving {} on standard input/output",
        Actor::assistant_for(&ctx.me).who()
    );
    let proposals = assistant.proposals.clone();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| failed("cannot start", &e))?;
    let served = runtime.block_on(async move {
        let transport = (
            tokio::fs::File::from_std(input),
            tokio::fs::File::from_std(output),
        );
        let running = assistant
            .serve(transport)
            .await
            .map_err(|e| failed("the client did not start the session", &e))?;
        running
            .waiting()
            .await
            .map_err(|e| failed("the session ended badly", &e))?;
        Ok(0)
    });
    // Nobody will run what it proposed and was not answered yet.
    for problem in proposals.withdraw(&assistant_ctx) {
        eprintln!(
            "incident mcp: a proposal could not be withdrawn: {}",
            crate::sanitize::line(&problem)
        );
    }
    served
}

/// The protocol's own copies of standard input and output; the process's
/// standard input becomes /dev/null and its standard output standard
/// error. The commands it runs read /dev/null and have their output kept,
/// not passed through; this is the net under that: nothing that reads
/// standard input or prints to standard output anywhere in the process
/// can take or break the protocol.
fn take_stdio() -> std::io::Result<(std::fs::File, std::fs::File)> {
    let input = nix::unistd::dup(std::io::stdin().as_fd())?;
    let output = nix::unistd::dup(std::io::stdout().as_fd())?;
    let null = std::fs::File::open("/dev/null")?;
    nix::unistd::dup2_stdin(null.as_fd())?;
    nix::unistd::dup2_stdout(std::io::stderr().as_fd())?;
    Ok((std::fs::File::from(input), std::fs::File::from(output)))
}

//! The `incident` binary: everything is in the library.
#![forbid(unsafe_code)]

use std::process::ExitCode;

fn main() -> ExitCode {
    // A shell asking for completions (Tab) is answered before anything else.
    incident::cli::completion::answer_shell();
    // Rust's runtime reopens closed standard streams on /dev/null, ignores
    // SIGPIPE, and exits 101 after a panic (the hook restores the terminal
    // first).
    let code = incident::cli::main(incident::cli::Cli::from_args(std::env::args_os()));
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

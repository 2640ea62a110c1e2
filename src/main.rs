use clap::Parser;
use incident::cli::{self, Cli, Next};

fn main() {
    let cli = Cli::parse();
    let code = match cli::run(cli) {
        Ok(Next::Done) => 0,
        Ok(Next::OpenTui { id: _ }) => {
            eprintln!(
                "incident: the live view is not built yet; use the subcommands (incident --help)"
            );
            2
        }
        Err(f) => {
            eprintln!("incident: {}", incident::sanitize::text(&f.message));
            f.code
        }
    };
    std::process::exit(code);
}

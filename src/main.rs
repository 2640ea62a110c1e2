use clap::Parser;

fn main() {
    let cli = incident::cli::Cli::parse();
    std::process::exit(incident::cli::main(cli));
}

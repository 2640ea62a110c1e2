fn main() {
    let cli = incident::cli::Cli::from_env();
    std::process::exit(incident::cli::main(cli));
}

//! `cargo xtask`: the maintainers' entry point.
//!
//! ```text
//! cargo xtask curate [--check] [--upstream PATH]...   spec/upstream/*.json.gz -> spec/actions.yaml
//! cargo xtask regen  [--check]                        spec/actions.yaml       -> generated/
//! ```

mod curate;
mod files;
mod regen;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  curate [--check] [--upstream PATH]...
      Select the operations named in spec/selection.yaml from GitHub's published descriptions
      (spec/upstream/*.json.gz, or each --upstream PATH in order), apply spec/corrections.yaml and
      write spec/actions.yaml. --check changes nothing and fails if the committed spec differs.
  regen [--check]
      Generate the client crate in generated/ from spec/actions.yaml. --check changes nothing and
      fails naming every stale, missing or extra file.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("curate") => curate::Args::parse(&args[1..]).and_then(|args| curate::run(&args)),
        Some("regen") => regen::Args::parse(&args[1..]).and_then(|args| regen::run(&args)),
        Some("help" | "--help" | "-h") => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{USAGE}")),
        None => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

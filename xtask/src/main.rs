//! `cargo xtask`: the maintainers' entry point.
//!
//! ```text
//! cargo xtask curate [--check] [--upstream PATH]...   spec/upstream/*.json.gz -> spec/actions.yaml
//! cargo xtask regen  [--check]                        spec/actions.yaml       -> generated/
//! cargo xtask full   [--out DIR] [--check]            the whole upstream API  -> target/full-api
//! cargo xtask semver-check                            additive spec changes compile downstream, removals do not
//! ```

mod bench;
mod curate;
mod files;
mod full;
mod regen;
mod semver;

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
  full [--out DIR] [--check]
      Generate GitHub's whole REST API (spec/upstream/api.github.com.json.gz, unchanged) into a
      scratch crate (default target/full-api) and print stage timings; --check also runs
      `cargo check` on it with all areas and with single areas.
  bench [--generator-only]
      Time the generator's stages on the curated spec and the whole description (peak memory,
      lines, bytes) and `cargo check`/`cargo build` of the generated crate. Use a release build:
      `cargo run --release -p xtask -- bench`.
  semver-check
      Generate the crate from spec/actions.yaml and from mutated copies into target/semver-check and
      compile tests/tests/semver_downstream.rs against each: additions (optional property, enum
      value, operation, query parameter) must compile, removals and retypes must not.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("curate") => curate::Args::parse(&args[1..]).and_then(|args| curate::run(&args)),
        Some("regen") => regen::Args::parse(&args[1..]).and_then(|args| regen::run(&args)),
        Some("full") => full::Args::parse(&args[1..]).and_then(|args| full::run(&args)),
        Some("bench") => bench::Args::parse(&args[1..]).and_then(|args| bench::run(&args)),
        Some("semver-check") => semver::Args::parse(&args[1..]).and_then(|args| semver::run(&args)),
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

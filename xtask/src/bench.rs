//! `cargo xtask bench`: whole-process figures for the README.
//!
//! - the generator's stages (load, lower, emit+format) on the curated spec and on GitHub's whole description,
//!   best of several runs, with lines and bytes emitted and the process's peak memory;
//! - `cargo check` and `cargo build` of the generated crate with every area and with one area, dependencies
//!   already built (the crate's own sources are touched first so only it is rebuilt).
//!
//! Build xtask in release for meaningful generator figures: `cargo run --release -p xtask -- bench`.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::files;

/// Options of `cargo xtask bench`.
#[derive(Debug, Default)]
pub struct Args {
    skip_cargo: bool,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut parsed = Args::default();
        for arg in args {
            match arg.as_str() {
                "--generator-only" => parsed.skip_cargo = true,
                other => return Err(format!("bench: unknown option `{other}` (expected `--generator-only`)")),
            }
        }
        Ok(parsed)
    }
}

pub fn run(args: &Args) -> Result<(), String> {
    let root = files::workspace_root();
    if cfg!(debug_assertions) {
        println!("bench: note: xtask is a debug build; use `cargo run --release -p xtask -- bench`");
    }
    let curated = std::fs::read_to_string(root.join("spec/actions.yaml")).map_err(|err| format!("spec: {err}"))?;
    stages("curated spec/actions.yaml", &curated, &codegen::Config::default(), 20)?;

    let (_, full) = files::read_maybe_gzipped(&root.join("spec/upstream/api.github.com.json.gz"))?;
    let full = String::from_utf8(full).map_err(|_| "the upstream description is not UTF-8".to_owned())?;
    let config = codegen::Config { area_key: "category".to_owned(), ..codegen::Config::default() };
    stages("full api.github.com.json", &full, &config, 3)?;
    if let Some(peak) = peak_memory_mib() {
        println!("  peak memory of this process (VmHWM): {peak:.0} MiB");
    }

    if !args.skip_cargo {
        cargo_figures(&root)?;
    }
    Ok(())
}

/// Best-of-`runs` time of each stage.
fn stages(label: &str, text: &str, config: &codegen::Config, runs: usize) -> Result<(), String> {
    let mut best = [Duration::MAX; 3];
    let mut output = None;
    for _ in 0..runs {
        let started = Instant::now();
        let document = codegen::load::load(text).map_err(|problems| problems.to_string())?;
        let loaded = started.elapsed();
        let started = Instant::now();
        let api = codegen::lower::lower(&document, config).map_err(|problems| problems.to_string())?;
        let lowered = started.elapsed();
        let started = Instant::now();
        let generated = codegen::emit::emit(&api, config).map_err(|problems| problems.to_string())?;
        let emitted = started.elapsed();
        for (slot, time) in best.iter_mut().zip([loaded, lowered, emitted]) {
            *slot = (*slot).min(time);
        }
        output = Some(generated);
    }
    let generated = output.ok_or("no run")?;
    let bytes: usize = generated.files.values().map(String::len).sum();
    let lines: usize = generated.files.values().map(|file| file.lines().count()).sum();
    let total: Duration = best.iter().sum();
    println!("{label} (best of {runs}):");
    println!(
        "  load {:.1} ms, lower {:.1} ms, emit+format {:.1} ms, total {:.1} ms",
        ms(best[0]),
        ms(best[1]),
        ms(best[2]),
        ms(total)
    );
    println!("  {} files, {lines} lines, {:.2} MB", generated.files.len(), bytes as f64 / 1e6);
    Ok(())
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

/// Peak resident memory of this process, from `/proc/self/status` (Linux).
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// `cargo check`/`cargo build` times of the generated crate, dependencies built first.
fn cargo_figures(root: &Path) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let lib = root.join("generated/src/lib.rs");
    let run = |args: &[&str]| -> Result<Duration, String> {
        // Touch the crate so cargo rebuilds it (and only it).
        let contents = std::fs::read(&lib).map_err(|err| format!("cannot read {}: {err}", lib.display()))?;
        std::fs::write(&lib, contents).map_err(|err| format!("cannot touch {}: {err}", lib.display()))?;
        let started = Instant::now();
        let status = Command::new(&cargo)
            .args(args)
            .args(["--quiet", "-p", "github-actions-api", "--lib"])
            .current_dir(root)
            .status()
            .map_err(|err| format!("cannot run cargo: {err}"))?;
        if !status.success() {
            return Err(format!("`cargo {}` failed", args.join(" ")));
        }
        Ok(started.elapsed())
    };
    println!("generated crate (dependencies already built):");
    for (label, args) in [
        ("cargo check, all areas", &["check"][..]),
        ("cargo check, workflow-runs only", &["check", "--no-default-features", "--features", "workflow-runs"][..]),
        ("cargo build, all areas", &["build"][..]),
        ("cargo build, workflow-runs only", &["build", "--no-default-features", "--features", "workflow-runs"][..]),
    ] {
        run(args)?; // warm: dependencies of this feature set
        let time = run(args)?;
        println!("  {label}: {:.2} s", time.as_secs_f64());
    }
    Ok(())
}

//! `cargo xtask regen [--check]`: spec/actions.yaml → generated/.
//!
//! The whole crate is generated in memory first; only if the spec is free of problems is anything written, so
//! a broken spec never leaves `generated/` half-updated. Files are written only when their content changes.
//! The generator owns `src/lib.rs`, `src/macros.rs`, everything under `src/models/` and `src/operations/`
//! (files there that it no longer produces are removed), and the part of `Cargo.toml` below the features marker. `src/runtime/` is
//! hand-written and never touched.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::files::{self, Drift, Mode};

/// Where the spec is and where the crate goes, relative to the workspace root.
const SPEC: &str = "spec/actions.yaml";
const CRATE_DIR: &str = "generated";
/// Directories (relative to the crate) whose every file the generator owns.
const OWNED_DIRS: &[&str] = &["src/models", "src/operations"];
const FIX: &str = "cargo xtask regen";

/// Options of `cargo xtask regen`.
#[derive(Debug, Default)]
pub struct Args {
    mode: Option<Mode>,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut parsed = Args::default();
        for arg in args {
            match arg.as_str() {
                "--check" => parsed.mode = Some(Mode::Check),
                other => return Err(format!("regen: unknown option `{other}` (expected `--check`)")),
            }
        }
        Ok(parsed)
    }
}

pub fn run(args: &Args) -> Result<(), String> {
    let mode = args.mode.unwrap_or(Mode::Write);
    let root = files::workspace_root();
    let started = Instant::now();
    let drift = regenerate(&root, mode)?;
    let elapsed = started.elapsed();
    match mode {
        Mode::Check => {
            files::report_drift("generated/", &drift, FIX)?;
            println!("generated/ is up to date with {SPEC} ({} ms)", elapsed.as_millis());
        }
        Mode::Write => {
            for entry in &drift {
                println!("{entry}");
            }
            println!("regen: {} file(s) changed in {} ms", drift.len(), elapsed.as_millis());
        }
    }
    Ok(())
}

/// Generates the crate from the spec under `root` and brings `root/generated` in line (or, in check mode,
/// reports how it differs). Shared by the command and the `#[test]` below.
pub fn regenerate(root: &Path, mode: Mode) -> Result<Vec<Drift>, String> {
    let spec_path = root.join(SPEC);
    let spec = fs::read_to_string(&spec_path).map_err(|err| format!("cannot read {}: {err}", spec_path.display()))?;
    let config = codegen::Config::default();
    let generated = codegen::generate(&spec, &config).map_err(|problems| format!("{SPEC}: {problems}"))?;

    let crate_dir = root.join(CRATE_DIR);
    let manifest_path = crate_dir.join("Cargo.toml");
    let manifest =
        fs::read_to_string(&manifest_path).map_err(|err| format!("cannot read {}: {err}", manifest_path.display()))?;
    let manifest = codegen::splice_features(&manifest, &generated.features, FIX)
        .map_err(|err| format!("{}: {err}", manifest_path.display()))?;

    let mut drift = Vec::new();
    drift.extend(files::ensure_file_contents(&manifest_path, manifest.as_bytes(), mode)?);
    for (relative, contents) in &generated.files {
        drift.extend(files::ensure_file_contents(&crate_dir.join(relative), contents.as_bytes(), mode)?);
    }
    for dir in OWNED_DIRS {
        for existing in list_files(&crate_dir.join(dir))? {
            let relative = existing.strip_prefix(&crate_dir).unwrap_or(&existing);
            let relative = relative.to_string_lossy().replace('\\', "/");
            if !generated.files.contains_key(&relative) {
                drift.push(files::ensure_removed(&existing, mode)?);
            }
        }
        if mode == Mode::Write {
            remove_empty_dirs(&crate_dir.join(dir));
        }
    }
    Ok(drift)
}

fn list_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut found = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(err) => return Err(format!("cannot list {}: {err}", dir.display())),
    };
    for entry in entries {
        let path = entry.map_err(|err| format!("cannot list {}: {err}", dir.display()))?.path();
        if path.is_dir() {
            found.extend(list_files(&path)?);
        } else {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

fn remove_empty_dirs(dir: &Path) {
    if let Ok(entries) = fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.path().is_dir() {
                remove_empty_dirs(&entry.path());
                // Fails (and is meant to) unless the directory is now empty.
                let _ = fs::remove_dir(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same check as `cargo xtask regen --check`, so `cargo test` fails on a stale generated/.
    #[test]
    fn generated_crate_is_up_to_date() {
        let drift = regenerate(&files::workspace_root(), Mode::Check).unwrap();
        if let Err(message) = files::report_drift("generated/", &drift, FIX) {
            panic!("{message}");
        }
    }
}

//! `cargo xtask full`: GitHub's complete description, unchanged → a scratch crate, checked by cargo.
//!
//! This is the generator's proof at GitHub scale: `spec/upstream/api.github.com.json.gz` (every operation of
//! api.github.com) goes through the same pipeline as the curated spec, with areas taken from GitHub's
//! `x-github.category`. The crate is written to `target/full-api/` (a standalone package sharing the workspace's
//! `Cargo.lock` and the generated crate's hand-written runtime), then `--check` runs `cargo check` on it with
//! every area and with single areas. Figures for each stage are printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use toml_edit::{Item, Value};

use crate::files::{self, Mode};

const UPSTREAM: &str = "spec/upstream/api.github.com.json.gz";
const COMMAND: &str = "cargo xtask full";
/// Areas checked one at a time by `--check`: the Actions one, a large one (with binary uploads), one with text
/// bodies, and a tiny one.
const SINGLE_AREAS: &[&str] = &["actions", "repos", "markdown", "emojis"];

/// Options of `cargo xtask full`.
#[derive(Debug, Default)]
pub struct Args {
    out: Option<PathBuf>,
    check: bool,
}

impl Args {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        let mut parsed = Args::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--check" => parsed.check = true,
                "--out" => parsed.out = Some(args.next().ok_or("full: `--out` needs a directory")?.into()),
                other => return Err(format!("full: unknown option `{other}` (expected `--out DIR`, `--check`)")),
            }
        }
        Ok(parsed)
    }
}

pub fn run(args: &Args) -> Result<(), String> {
    let root = files::workspace_root();
    let out = args.out.clone().unwrap_or_else(|| root.join("target/full-api"));

    let started = Instant::now();
    let (_, json) = files::read_maybe_gzipped(&root.join(UPSTREAM))?;
    let text = String::from_utf8(json).map_err(|_| format!("{UPSTREAM} is not UTF-8"))?;
    let read = started.elapsed();

    let config = codegen::Config {
        crate_name: "github_rest_api".to_owned(),
        command: COMMAND.to_owned(),
        spec_path: UPSTREAM.to_owned(),
        area_key: "category".to_owned(),
    };
    let stage = Instant::now();
    let document = codegen::load::load(&text).map_err(|problems| format!("{UPSTREAM}: {problems}"))?;
    let load = stage.elapsed();
    let stage = Instant::now();
    let api = codegen::lower::lower(&document, &config).map_err(|problems| format!("{UPSTREAM}: {problems}"))?;
    let lower = stage.elapsed();
    let stage = Instant::now();
    let generated = codegen::emit::emit(&api, &config).map_err(|problems| format!("{UPSTREAM}: {problems}"))?;
    let emit = stage.elapsed();

    let operations: usize = api.areas.values().map(|area| area.operations.len()).sum();
    let bytes: usize = generated.files.values().map(String::len).sum();
    let lines: usize = generated.files.values().map(|file| file.lines().count()).sum();
    println!(
        "full: {operations} operations, {} types, {} areas -> {} files, {lines} lines, {:.1} MB",
        api.types.len(),
        api.areas.len(),
        generated.files.len(),
        bytes as f64 / 1e6
    );
    println!(
        "full: read+gunzip {} ms, load {} ms, lower {} ms, emit+format {} ms",
        read.as_millis(),
        load.as_millis(),
        lower.as_millis(),
        emit.as_millis()
    );

    write_crate(&root, &out, &generated)?;
    println!("full: crate written to {}", out.display());
    if args.check {
        check_crate(&root, &out, &generated.features)?;
    }
    Ok(())
}

/// Writes the scratch crate: generated files, the runtime, a standalone manifest and the workspace lock file.
fn write_crate(root: &Path, out: &Path, generated: &codegen::GeneratedCrate) -> Result<(), String> {
    let manifest = standalone_manifest(root)?;
    let manifest = codegen::splice_features(&manifest, &generated.features, COMMAND)?;
    files::ensure_file_contents(&out.join("Cargo.toml"), manifest.as_bytes(), Mode::Write)?;
    let lock = std::fs::read(root.join("Cargo.lock")).map_err(|err| format!("cannot read Cargo.lock: {err}"))?;
    files::ensure_file_contents(&out.join("Cargo.lock"), &lock, Mode::Write)?;
    for (relative, contents) in &generated.files {
        files::ensure_file_contents(&out.join(relative), contents.as_bytes(), Mode::Write)?;
    }
    files::copy_dir(&root.join("generated/src/runtime"), &out.join("src/runtime"))
}

/// `generated/Cargo.toml` with everything it inherits from the workspace written out, renamed, and made its
/// own workspace root; dev-dependencies and examples dropped.
fn standalone_manifest(root: &Path) -> Result<String, String> {
    let workspace = files::read_toml(&root.join("Cargo.toml"))?;
    let mut manifest = files::read_toml(&root.join("generated/Cargo.toml"))?;
    let inherited_package = workspace["workspace"]["package"].as_table().cloned().unwrap_or_default();
    let inherited_deps = workspace["workspace"]["dependencies"].as_table().cloned().unwrap_or_default();

    let package = manifest["package"].as_table_mut().ok_or("generated/Cargo.toml has no [package]")?;
    package["name"] = toml_edit::value("github-rest-api");
    package["description"] =
        toml_edit::value("GitHub's whole REST API, generated by `cargo xtask full` (scratch crate).");
    let keys: Vec<String> = package.iter().map(|(key, _)| key.to_owned()).collect();
    for key in keys {
        if is_inherited(&package[&key]) {
            package[&key] =
                inherited_package.get(&key).cloned().ok_or(format!("workspace.package.{key} is missing"))?;
        }
    }
    let dependencies = manifest["dependencies"].as_table_mut().ok_or("generated/Cargo.toml has no [dependencies]")?;
    let names: Vec<String> = dependencies.iter().map(|(key, _)| key.to_owned()).collect();
    for name in names {
        if is_inherited(&dependencies[&name]) {
            let base = inherited_deps.get(&name).ok_or(format!("workspace.dependencies.{name} is missing"))?;
            dependencies[&name] = merge_dependency(base, &dependencies[&name]);
        }
    }
    manifest.remove("dev-dependencies");
    manifest.remove("example");
    // Its own workspace root, first in the file: the generator rewrites everything below the features marker.
    Ok(format!("# Standalone: not a member of the repository's workspace.\n[workspace]\n\n{manifest}"))
}

fn is_inherited(item: &Item) -> bool {
    item.get("workspace").and_then(Item::as_bool) == Some(true)
}

/// The workspace's definition of a dependency with the member's `optional`/`features` added.
fn merge_dependency(base: &Item, member: &Item) -> Item {
    let mut merged = match base.as_value() {
        Some(Value::String(version)) => {
            let mut table = toml_edit::InlineTable::new();
            table.insert("version", Value::from(version.value().as_str()));
            table
        }
        Some(Value::InlineTable(table)) => table.clone(),
        _ => toml_edit::InlineTable::new(),
    };
    if let Some(optional) = member.get("optional").and_then(Item::as_value) {
        merged.insert("optional", optional.clone());
    }
    if let Some(extra) = member.get("features").and_then(Item::as_array) {
        let mut features = merged.get("features").and_then(Value::as_array).cloned().unwrap_or_default();
        for feature in extra.iter() {
            if !features.iter().any(|existing| existing.as_str() == feature.as_str()) {
                features.push(feature.clone());
            }
        }
        merged.insert("features", Value::Array(features));
    }
    Item::Value(Value::InlineTable(merged))
}

/// `cargo check` of the scratch crate: all areas, then single areas without the client. Prints the times.
fn check_crate(root: &Path, out: &Path, features: &[String]) -> Result<(), String> {
    let target_dir = root.join("target/full-api-target");
    let mut runs: Vec<(String, Vec<String>)> = vec![("all areas".to_owned(), vec!["--all-features".to_owned()])];
    for area in SINGLE_AREAS.iter().filter(|area| features.iter().any(|feature| feature == *area)) {
        runs.push((
            format!("only `{area}`"),
            vec!["--no-default-features".to_owned(), "--features".to_owned(), (*area).to_owned()],
        ));
    }
    for (label, flags) in runs {
        let started = Instant::now();
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .arg("check")
            .arg("--quiet")
            .arg("--manifest-path")
            .arg(out.join("Cargo.toml"))
            .args(&flags)
            .env("CARGO_TARGET_DIR", &target_dir)
            .status()
            .map_err(|err| format!("cannot run cargo: {err}"))?;
        if !status.success() {
            return Err(format!("full: `cargo check` with {label} failed"));
        }
        println!("full: cargo check ({label}) passed in {:.1} s", started.elapsed().as_secs_f64());
    }
    Ok(())
}

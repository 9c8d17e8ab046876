//! `cargo xtask semver-check`: additive spec changes must not break downstream code; removals and retypes must.
//!
//! The crate is generated from `spec/actions.yaml` and from mutated copies of it into a scratch workspace
//! (`target/semver-check/`, sharing the repository's `Cargo.lock`), next to a `downstream` crate whose source is
//! `tests/tests/semver_downstream.rs` (code written the way a user of the crate writes it: field reads, matches
//! with `_` arms, `new()` plus field assignments, request builders, `parse_response`, `for_each_operation!`).
//! `cargo check` of the downstream crate must
//!
//! - pass against the unchanged spec (the baseline) and against a spec with additions: an optional response
//!   property, an enum value in a response and in a query parameter, an optional request-body property, an
//!   optional query parameter and a new operation;
//! - fail, naming what changed, against each breaking spec: a response property removed, one retyped, an enum
//!   value removed, an operation removed.
//!
//! The generated crate itself must compile for every variant; a failure there is a generator bug, reported as
//! such. The crate is checked without its `client` feature, so no HTTP stack is built.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use serde_json::{json, Value};

use crate::files::{self, Mode};

const SPEC: &str = "spec/actions.yaml";
const DOWNSTREAM: &str = "tests/tests/semver_downstream.rs";
const SCRATCH: &str = "target/semver-check";
const COMMAND: &str = "cargo xtask semver-check";

/// Options of `cargo xtask semver-check` (none).
#[derive(Debug, Default)]
pub struct Args;

impl Args {
    pub fn parse(args: &[String]) -> Result<Self, String> {
        match args.first() {
            None => Ok(Args),
            Some(other) => Err(format!("semver-check: unknown option `{other}` (it takes none)")),
        }
    }
}

/// What the downstream crate must do against a variant.
enum Expect {
    /// Compile.
    Compiles,
    /// Fail with every one of these texts in cargo's output.
    FailsWith(&'static [&'static str]),
}

struct Variant {
    name: &'static str,
    what: &'static str,
    mutate: fn(&mut Value) -> Result<(), String>,
    /// Texts the generated crate must contain, so that a mutation that silently missed its target cannot pass.
    generated_contains: &'static [&'static str],
    expect: Expect,
}

fn variants() -> Vec<Variant> {
    vec![
        Variant {
            name: "baseline",
            what: "spec/actions.yaml unchanged",
            mutate: |_| Ok(()),
            generated_contains: &[],
            expect: Expect::Compiles,
        },
        Variant {
            name: "additive",
            what: "an optional response property, two enum values, an optional body property, an optional query \
                   parameter and an operation added",
            mutate: additive,
            generated_contains: &[
                "pub queue_position: Option<i64>",
                "Blocked,",
                "pub allows_forks: Option<bool>",
                "pub fn run_name(",
                "GetWorkflowRunTiming",
            ],
            expect: Expect::Compiles,
        },
        Variant {
            name: "removed-property",
            what: "`head_sha` removed from the workflow-run schema",
            mutate: |spec| {
                remove(spec, "/components/schemas/workflow-run/properties/head_sha")?;
                remove_required(spec, "/components/schemas/workflow-run/required", "head_sha")
            },
            generated_contains: &[],
            expect: Expect::FailsWith(&["head_sha"]),
        },
        Variant {
            name: "retyped-property",
            what: "`size_in_bytes` of the artifact schema changed from integer to string",
            mutate: |spec| {
                replace(spec, "/components/schemas/artifact/properties/size_in_bytes", json!({"type": "string"}))
            },
            generated_contains: &["pub size_in_bytes: String"],
            expect: Expect::FailsWith(&["mismatched types", "expected `i64`, found `String`"]),
        },
        Variant {
            name: "removed-enum-value",
            what: "`in_progress` removed from the job status enum",
            mutate: |spec| {
                let values = pointer(spec, "/components/schemas/job/properties/status/enum")?;
                let values = values.as_array_mut().ok_or("job status `enum` is not a list")?;
                let before = values.len();
                values.retain(|value| value != "in_progress");
                if values.len() == before {
                    return Err("job status has no `in_progress` to remove".to_owned());
                }
                Ok(())
            },
            generated_contains: &[],
            expect: Expect::FailsWith(&["InProgress"]),
        },
        Variant {
            name: "removed-operation",
            what: "actions/create-workflow-dispatch removed",
            mutate: |spec| {
                remove(spec, "/paths/~1repos~1{owner}~1{repo}~1actions~1workflows~1{workflow_id}~1dispatches")
            },
            generated_contains: &[],
            expect: Expect::FailsWith(&["CreateWorkflowDispatch"]),
        },
    ]
}

/// The additions: each one is something GitHub does between releases.
fn additive(spec: &mut Value) -> Result<(), String> {
    // An optional property of a response model.
    insert(
        spec,
        "/components/schemas/workflow-run/properties",
        "queue_position",
        json!({"type": "integer", "description": "Position of the run in its concurrency group's queue."}),
    )?;
    // A value of an enum read from responses, and of one sent as a query parameter.
    push(spec, "/components/schemas/job/properties/status/enum", json!("blocked"))?;
    push(spec, "/components/parameters/workflow-run-status/schema/enum", json!("blocked"))?;
    // An optional property of a PATCH body.
    insert(
        spec,
        "/paths/~1orgs~1{org}~1actions~1runner-groups~1{runner_group_id}/patch/requestBody/content/application~1json/schema/properties",
        "allows_forks",
        json!({"type": "boolean", "description": "Whether workflows from forks may use the group."}),
    )?;
    // An optional query parameter.
    push(
        spec,
        "/paths/~1repos~1{owner}~1{repo}~1actions~1runs/get/parameters",
        json!({"name": "run_name", "in": "query", "required": false, "schema": {"type": "string"}}),
    )?;
    // An operation, in an existing area.
    let x_github = pointer(spec, "/paths/~1repos~1{owner}~1{repo}~1actions~1runs~1{run_id}/get/x-github")?.clone();
    let operation = json!({
        "summary": "Get timing of a workflow run",
        "operationId": "actions/get-workflow-run-timing",
        "tags": ["actions"],
        "parameters": [
            {"$ref": "#/components/parameters/owner"},
            {"$ref": "#/components/parameters/repo"},
            {"$ref": "#/components/parameters/run-id"}
        ],
        "responses": {"200": {"description": "Response", "content": {"application/json": {"schema": {
            "type": "object",
            "required": ["run_duration_ms"],
            "properties": {"run_duration_ms": {"type": "integer"}}
        }}}}},
        "x-github": x_github,
    });
    insert(spec, "/paths", "/repos/{owner}/{repo}/actions/runs/{run_id}/timing", json!({"get": operation}))
}

fn pointer<'v>(spec: &'v mut Value, at: &str) -> Result<&'v mut Value, String> {
    spec.pointer_mut(at).ok_or_else(|| format!("the spec has nothing at `{at}`"))
}

fn insert(spec: &mut Value, at: &str, key: &str, value: Value) -> Result<(), String> {
    let object = pointer(spec, at)?.as_object_mut().ok_or_else(|| format!("`{at}` is not an object"))?;
    match object.insert(key.to_owned(), value) {
        None => Ok(()),
        Some(_) => Err(format!("`{at}` already has `{key}`")),
    }
}

fn push(spec: &mut Value, at: &str, value: Value) -> Result<(), String> {
    pointer(spec, at)?.as_array_mut().ok_or_else(|| format!("`{at}` is not a list"))?.push(value);
    Ok(())
}

fn replace(spec: &mut Value, at: &str, value: Value) -> Result<(), String> {
    *pointer(spec, at)? = value;
    Ok(())
}

fn remove(spec: &mut Value, at: &str) -> Result<(), String> {
    let (parent, key) = at.rsplit_once('/').ok_or_else(|| format!("`{at}` has no parent"))?;
    let key = key.replace("~1", "/").replace("~0", "~");
    let object = pointer(spec, parent)?.as_object_mut().ok_or_else(|| format!("`{parent}` is not an object"))?;
    object.shift_remove(&key).map(drop).ok_or_else(|| format!("the spec has nothing at `{at}`"))
}

fn remove_required(spec: &mut Value, at: &str, name: &str) -> Result<(), String> {
    let required = pointer(spec, at)?.as_array_mut().ok_or_else(|| format!("`{at}` is not a list"))?;
    required.retain(|value| value != name);
    Ok(())
}

pub fn run(_args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let root = files::workspace_root();
    let scratch = root.join(SCRATCH);
    let text = std::fs::read_to_string(root.join(SPEC)).map_err(|err| format!("cannot read {SPEC}: {err}"))?;
    let spec: Value = serde_yaml::from_str(&text).map_err(|err| format!("{SPEC}: {err}"))?;
    write_workspace(&root, &scratch)?;

    let mut failures = Vec::new();
    for variant in variants() {
        let step = Instant::now();
        let mut mutated = spec.clone();
        (variant.mutate)(&mut mutated).map_err(|err| format!("semver-check {}: {err}", variant.name))?;
        let mutated = serde_json::to_string(&mutated).map_err(|err| format!("cannot write the spec: {err}"))?;
        let config = codegen::Config { command: COMMAND.to_owned(), ..codegen::Config::default() };
        let generated = codegen::generate(&mutated, &config).map_err(|problems| {
            format!("semver-check {}: the mutated spec does not generate: {problems}", variant.name)
        })?;
        for needle in variant.generated_contains {
            if !generated.files.values().any(|file| file.contains(needle)) {
                return Err(format!("semver-check {}: no generated file contains `{needle}`", variant.name));
            }
        }
        write_api(&root, &scratch, &generated)?;
        let (compiled, output) = check_downstream(&scratch)?;
        if output.contains("could not compile `github-actions-api`") {
            return Err(format!(
                "semver-check {}: the generated crate itself does not compile (a generator bug):\n{output}",
                variant.name
            ));
        }
        let verdict = match (&variant.expect, compiled) {
            (Expect::Compiles, true) => Ok("downstream compiles, as it must".to_owned()),
            (Expect::Compiles, false) => Err(format!("downstream no longer compiles:\n{output}")),
            (Expect::FailsWith(_), true) => Err("downstream still compiles, but the change is breaking".to_owned()),
            (Expect::FailsWith(texts), false) => match texts.iter().find(|text| !output.contains(*text)) {
                None => Ok(format!("downstream fails to compile, as it must ({})", first_error(&output))),
                Some(missing) => Err(format!("downstream fails, but not naming `{missing}`:\n{output}")),
            },
        };
        let seconds = step.elapsed().as_secs_f64();
        match verdict {
            Ok(message) => {
                println!("semver-check {:<18} ok   {message} [{seconds:.1} s]\n    {}", variant.name, variant.what)
            }
            Err(message) => {
                println!("semver-check {:<18} FAIL [{seconds:.1} s]\n    {}", variant.name, variant.what);
                failures.push(format!("{}: {message}", variant.name));
            }
        }
    }
    println!("semver-check: done in {:.1} s (scratch workspace {SCRATCH})", started.elapsed().as_secs_f64());
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("semver-check failed:\n{}", failures.join("\n")))
    }
}

/// The first `error…` line of cargo's short-format output.
fn first_error(output: &str) -> &str {
    output.lines().find(|line| line.contains("error")).map(str::trim).unwrap_or("no error line")
}

/// The scratch workspace: the repository's workspace tables with two members, its lock file, and the
/// downstream crate. Written once per run; only `api/` changes between variants.
fn write_workspace(root: &Path, scratch: &Path) -> Result<(), String> {
    let mut workspace = files::read_toml(&root.join("Cargo.toml"))?;
    let table = workspace["workspace"].as_table_mut().ok_or("Cargo.toml has no [workspace]")?;
    let mut members = toml_edit::Array::new();
    members.push("api");
    members.push("downstream");
    table["members"] = toml_edit::value(members);
    let dependencies = table["dependencies"].as_table_mut().ok_or("Cargo.toml has no [workspace.dependencies]")?;
    dependencies.remove("codegen");
    let mut api = toml_edit::InlineTable::new();
    api.insert("path", "api".into());
    api.insert("default-features", false.into());
    dependencies["github-actions-api"] = toml_edit::value(api);
    let header = format!("# Scratch workspace of `{COMMAND}`; rewritten on every run.\n");
    files::ensure_file_contents(&scratch.join("Cargo.toml"), format!("{header}{workspace}").as_bytes(), Mode::Write)?;

    let lock = std::fs::read(root.join("Cargo.lock")).map_err(|err| format!("cannot read Cargo.lock: {err}"))?;
    files::ensure_file_contents(&scratch.join("Cargo.lock"), &lock, Mode::Write)?;

    let manifest =
        "[package]\nname = \"downstream\"\nversion = \"0.0.0\"\nedition.workspace = true\npublish = false\n\n\
                    [lib]\npath = \"lib.rs\"\n\n[dependencies]\n\
                    github-actions-api = { workspace = true, features = [\"all-areas\"] }\n\
                    http.workspace = true\nbytes.workspace = true\n";
    files::ensure_file_contents(&scratch.join("downstream/Cargo.toml"), manifest.as_bytes(), Mode::Write)?;
    let source = std::fs::read(root.join(DOWNSTREAM)).map_err(|err| format!("cannot read {DOWNSTREAM}: {err}"))?;
    files::ensure_file_contents(&scratch.join("downstream/lib.rs"), &source, Mode::Write)?;
    Ok(())
}

/// `api/`: the generated files, the hand-written runtime, and `generated/Cargo.toml` with the variant's
/// features, without dev-dependencies or extra targets.
fn write_api(root: &Path, scratch: &Path, generated: &codegen::GeneratedCrate) -> Result<(), String> {
    let api = scratch.join("api");
    if api.join("src").exists() {
        std::fs::remove_dir_all(api.join("src")).map_err(|err| format!("cannot clear {}: {err}", api.display()))?;
    }
    let mut manifest = files::read_toml(&root.join("generated/Cargo.toml"))?;
    for key in ["dev-dependencies", "example", "test", "bench"] {
        manifest.remove(key);
    }
    let manifest = codegen::splice_features(&manifest.to_string(), &generated.features, COMMAND)?;
    files::ensure_file_contents(&api.join("Cargo.toml"), manifest.as_bytes(), Mode::Write)?;
    for (relative, contents) in &generated.files {
        files::ensure_file_contents(&api.join(relative), contents.as_bytes(), Mode::Write)?;
    }
    files::copy_dir(&root.join("generated/src/runtime"), &api.join("src/runtime"))
}

/// `cargo check -p downstream` in the scratch workspace: whether it passed, and cargo's output.
fn check_downstream(scratch: &Path) -> Result<(bool, String), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--offline", "--quiet", "--message-format", "short", "-p", "downstream", "--manifest-path"])
        .arg(scratch.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Ok((output.status.success(), text))
}

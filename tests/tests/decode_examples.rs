//! Every response example in the curated spec (`spec/actions.yaml`) and every JSON response body copied from
//! GitHub's documentation pages (`tests/fixtures/seeds/`, listed in its `MANIFEST.json`) decodes through its
//! operation's `parse_response` for its status, and re-encodes without losing what the model knows.
//!
//! # The re-encode rule
//!
//! The decoded output is serialized back to JSON and compared with the original, guided by the response schema
//! in the spec:
//!
//! 1. Nothing known is lost: every key of the original that the schema names (a property, possibly through
//!    `$ref`/`allOf`/`oneOf`/`anyOf`), or that an `additionalProperties` map or a free-form object takes, is in
//!    the re-encoded JSON with an equal value, recursively. Only a key whose value is `null` may come back absent
//!    (an optional property holding `None` is not serialized).
//! 2. Nothing is made up: every key of the re-encoded JSON is in the original, unless its value is `null` (a
//!    required-but-nullable property the original left out is serialized as `null`).
//! 3. "Equal" is JSON equality, except for the model's normal forms: a `date-time` must be the same instant (the
//!    model re-encodes in UTC: `…T09:42:40.000-08:00` comes back as `…T17:42:40Z`) and numbers compare as `f64`.
//!
//! Keys the schema does not name are dropped by the model and need not come back; they are listed in the test
//! output so that a property missing from the spec is visible.
//!
//! Run with `--nocapture` to see the count of bodies decoded per source.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use github_actions_api::{Error, Operation};
use serde_json::Value;

/// Decodes a body with one operation's `parse_response`; `Some` re-encoded output when the output serializes.
type Decoder = fn(u16, &[u8]) -> Result<Option<Value>, Error>;

fn response(status: u16, body: &[u8]) -> http::Response<bytes::Bytes> {
    let mut builder = http::Response::builder().status(status).header(http::header::CONTENT_TYPE, "application/json");
    if (300..400).contains(&status) {
        builder = builder.header(http::header::LOCATION, "https://example.com/download");
    }
    builder.body(bytes::Bytes::copy_from_slice(body)).expect("a valid response")
}

/// Autoref specialization: serializes outputs that implement `Serialize` (every model and output enum), and
/// reports `None` for the rest (`Redirect`), without naming any operation.
mod reencode {
    use serde_json::Value;

    pub struct Probe<'a, T>(pub &'a T);

    pub trait Serializable {
        fn reencode(&self) -> Option<Value>;
    }

    impl<T: serde::Serialize> Serializable for Probe<'_, T> {
        fn reencode(&self) -> Option<Value> {
            Some(serde_json::to_value(self.0).expect("a decoded output serializes"))
        }
    }

    pub trait Fallback {
        fn reencode(&self) -> Option<Value>;
    }

    impl<T> Fallback for &Probe<'_, T> {
        fn reencode(&self) -> Option<Value> {
            None
        }
    }
}

macro_rules! decoders {
    ($($operation:path),* $(,)?) => {
        vec![$(
            (
                <$operation as Operation>::ID,
                (|status: u16, body: &[u8]| {
                    #[allow(unused_imports)]
                    use reencode::{Fallback as _, Serializable as _};
                    let output = <$operation as Operation>::parse_response(response(status, body))?;
                    Ok((&reencode::Probe(&output)).reencode())
                }) as Decoder,
            ),
        )*]
    };
}

/// Every operation of the crate, by operationId.
fn decoders() -> BTreeMap<&'static str, Decoder> {
    let list: Vec<(&'static str, Decoder)> = github_actions_api::for_each_operation!(decoders);
    let count = list.len();
    let map: BTreeMap<_, _> = list.into_iter().collect();
    assert_eq!(map.len(), count, "operationIds are unique");
    map
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn load_spec() -> Value {
    let path = root().join("../spec/actions.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    serde_yaml::from_str(&text).expect("spec/actions.yaml is YAML")
}

/// Follows `$ref`s (local JSON pointers) to the value they name.
fn resolve<'s>(spec: &'s Value, mut value: &'s Value) -> &'s Value {
    for _ in 0..32 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let pointer = reference.strip_prefix('#').unwrap_or_else(|| panic!("non-local $ref {reference}"));
                value = spec.pointer(pointer).unwrap_or_else(|| panic!("unresolved $ref {reference}"));
            }
            None => return value,
        }
    }
    panic!("$ref chain too long at {value}")
}

// ---------------------------------------------------------------------------------------------------------
// The schema walk behind the re-encode rule.

static ANYTHING: Value = Value::Null;

/// What a schema says about the keys of an object.
enum Keys<'s> {
    /// Only the named properties.
    Named,
    /// Any key, with this schema for the values (`&ANYTHING` for free-form).
    Any(&'s Value),
}

fn branches<'s>(spec: &'s Value, schema: &'s Value) -> impl Iterator<Item = &'s Value> + 's {
    let schema = resolve(spec, schema);
    ["allOf", "oneOf", "anyOf"]
        .into_iter()
        .filter_map(move |keyword| schema.get(keyword).and_then(Value::as_array))
        .flatten()
}

fn is_anything(schema: &Value) -> bool {
    std::ptr::eq(schema, &ANYTHING)
}

/// The schema of property `key`, looking through `allOf`/`oneOf`/`anyOf` (first branch that names it).
fn property<'s>(spec: &'s Value, schema: &'s Value, key: &str) -> Option<&'s Value> {
    if is_anything(schema) {
        return Some(&ANYTHING);
    }
    let resolved = resolve(spec, schema);
    if let Some(found) = resolved.get("properties").and_then(|properties| properties.get(key)) {
        return Some(found);
    }
    branches(spec, schema).find_map(|branch| property(spec, branch, key))
}

fn keys<'s>(spec: &'s Value, schema: &'s Value) -> Keys<'s> {
    if is_anything(schema) {
        return Keys::Any(&ANYTHING);
    }
    let resolved = resolve(spec, schema);
    match resolved.get("additionalProperties") {
        Some(Value::Bool(true)) => return Keys::Any(&ANYTHING),
        Some(Value::Bool(false)) => return Keys::Named,
        Some(values @ Value::Object(_)) => return Keys::Any(values),
        _ => {}
    }
    let mut composed = false;
    for branch in branches(spec, schema) {
        composed = true;
        if let Keys::Any(values) = keys(spec, branch) {
            return Keys::Any(values);
        }
    }
    // A free-form object (no properties, no composition) is a `serde_json::Value`: it keeps every key.
    if !composed && resolved.get("properties").is_none() {
        Keys::Any(&ANYTHING)
    } else {
        Keys::Named
    }
}

fn items<'s>(spec: &'s Value, schema: &'s Value) -> &'s Value {
    if is_anything(schema) {
        return &ANYTHING;
    }
    let resolved = resolve(spec, schema);
    resolved
        .get("items")
        .or_else(|| branches(spec, schema).map(|branch| items(spec, branch)).find(|found| !is_anything(found)))
        .unwrap_or(&ANYTHING)
}

fn is_date_time(spec: &Value, schema: &Value) -> bool {
    !is_anything(schema)
        && (resolve(spec, schema).get("format").and_then(Value::as_str) == Some("date-time")
            || branches(spec, schema).any(|branch| is_date_time(spec, branch)))
}

fn same_instant(a: &str, b: &str) -> bool {
    match (chrono::DateTime::parse_from_rfc3339(a), chrono::DateTime::parse_from_rfc3339(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// What one comparison found: losses/changes (`problems`) and keys the model does not know (`unknown`).
#[derive(Default)]
struct Comparison {
    problems: Vec<String>,
    unknown: BTreeSet<String>,
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn compare(spec: &Value, schema: &Value, original: &Value, reencoded: &Value, path: &str, out: &mut Comparison) {
    let at = if path.is_empty() { "(the body)" } else { path };
    match (original, reencoded) {
        (Value::Object(original), Value::Object(reencoded)) => {
            let extra = keys(spec, schema);
            for (key, value) in original {
                let property = property(spec, schema, key).or(match extra {
                    Keys::Any(values) => Some(values),
                    Keys::Named => None,
                });
                let Some(property) = property else {
                    out.unknown.insert(child(&generic(path), key));
                    continue;
                };
                match reencoded.get(key) {
                    Some(again) => compare(spec, property, value, again, &child(path, key), out),
                    None if value.is_null() => {}
                    None => out.problems.push(format!("{}: lost on re-encoding (was {value})", child(path, key))),
                }
            }
            for (key, value) in reencoded {
                if !original.contains_key(key) && !value.is_null() {
                    out.problems.push(format!("{}: re-encoding added {value}", child(path, key)));
                }
            }
        }
        (Value::Array(original), Value::Array(reencoded)) => {
            if original.len() != reencoded.len() {
                out.problems.push(format!("{at}: {} items became {}", original.len(), reencoded.len()));
                return;
            }
            let item = items(spec, schema);
            for (index, (value, again)) in original.iter().zip(reencoded).enumerate() {
                compare(spec, item, value, again, &format!("{path}[{index}]"), out);
            }
        }
        (Value::String(a), Value::String(b)) if a == b || (is_date_time(spec, schema) && same_instant(a, b)) => {}
        (Value::Number(a), Value::Number(b)) if a == b || a.as_f64() == b.as_f64() => {}
        (a, b) if a == b => {}
        (a, b) => out.problems.push(format!("{at}: {a} re-encoded as {b}")),
    }
}

/// `runners[3].labels` → `runners[].labels`, to list unknown keys once per place.
fn generic(path: &str) -> String {
    let mut out = String::new();
    let mut in_index = false;
    for c in path.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[]");
            }
            ']' => in_index = false,
            _ if in_index => {}
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------------
// Cases

/// One body to decode.
struct Case {
    /// Where it comes from, for messages (`spec: #/components/examples/job` or `seeds/004/…json`).
    label: String,
    /// The source it is counted under (`spec/actions.yaml` or a seed page).
    source: String,
    operation: String,
    status: u16,
    body: Value,
    /// For seed bodies that copy a wrong upstream example: the JSON path the decoder must reject.
    rejected_at: Option<String>,
}

/// Every `examples` entry of every JSON response of every operation in the spec.
fn spec_cases(spec: &Value) -> Vec<Case> {
    let mut cases = Vec::new();
    let paths = spec["paths"].as_object().expect("paths");
    for (path, item) in paths {
        for (method, operation) in item.as_object().expect("path item") {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            let responses = operation["responses"].as_object().expect("responses");
            for (status, response) in responses {
                let response = resolve(spec, response);
                let Some(media) = response.get("content").and_then(|content| content.get("application/json")) else {
                    continue;
                };
                if media.get("example").is_some() {
                    panic!("{method} {path} {status}: a single `example` is not covered; use `examples`");
                }
                for (name, example) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
                    let label = match example.get("$ref").and_then(Value::as_str) {
                        Some(reference) => format!("{id} {status} example `{name}` ({reference})"),
                        None => format!("{id} {status} example `{name}` (inline)"),
                    };
                    let value = resolve(spec, example).get("value").cloned().expect("an example has a value");
                    cases.push(Case {
                        label,
                        source: "spec/actions.yaml".to_owned(),
                        operation: id.to_owned(),
                        status: status.parse().expect("a numeric status"),
                        body: value,
                        rejected_at: None,
                    });
                }
            }
        }
    }
    cases
}

#[derive(serde::Deserialize)]
struct Manifest {
    pages: Vec<Page>,
    fixtures: Vec<Fixture>,
}

#[derive(serde::Deserialize)]
struct Page {
    seed: String,
    product: String,
    language: String,
}

#[derive(serde::Deserialize)]
struct Fixture {
    fixture: String,
    seed: String,
    line: u32,
    method: String,
    path: String,
    operation: String,
    status: u16,
    upstream_example_error: Option<UpstreamExampleError>,
}

#[derive(serde::Deserialize)]
struct UpstreamExampleError {
    rejected_at: String,
    reason: String,
}

fn seeds_dir() -> PathBuf {
    root().join("fixtures/seeds")
}

fn load_manifest() -> Manifest {
    let path = seeds_dir().join("MANIFEST.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
    serde_json::from_str(&text).expect("MANIFEST.json matches its format")
}

/// Every JSON file under `dir`, relative to it, sorted.
fn json_files(dir: &Path, base: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("a readable fixtures directory") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            json_files(&path, base, out);
        } else if path.extension().is_some_and(|ext| ext == "json")
            && path.file_name() != Some("MANIFEST.json".as_ref())
        {
            let relative = path.strip_prefix(base).expect("under the base").to_string_lossy().replace('\\', "/");
            out.push(relative);
        }
    }
    out.sort();
}

fn seed_cases(spec: &Value, manifest: &Manifest) -> Vec<Case> {
    // The manifest lists each fixture file exactly once, and nothing else.
    let mut on_disk = Vec::new();
    json_files(&seeds_dir(), &seeds_dir(), &mut on_disk);
    let mut listed: Vec<String> = manifest.fixtures.iter().map(|fixture| fixture.fixture.clone()).collect();
    listed.sort();
    assert_eq!(listed, on_disk, "tests/fixtures/seeds/MANIFEST.json must list every fixture file exactly once");

    let pages: BTreeMap<&str, &Page> = manifest.pages.iter().map(|page| (page.seed.as_str(), page)).collect();
    manifest
        .fixtures
        .iter()
        .map(|fixture| {
            let page = pages.get(fixture.seed.as_str()).unwrap_or_else(|| panic!("{}: unknown seed", fixture.fixture));
            // The endpoint the page documents is the operation's, as the spec has it.
            let operation = spec["paths"][&fixture.path][fixture.method.to_ascii_lowercase()]["operationId"].as_str();
            assert_eq!(
                operation,
                Some(fixture.operation.as_str()),
                "{}: {} {} is not {} in the spec",
                fixture.fixture,
                fixture.method,
                fixture.path,
                fixture.operation
            );
            let path = seeds_dir().join(&fixture.fixture);
            let text =
                std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()));
            Case {
                label: format!(
                    "seeds/{} ({} line {}, {} {})",
                    fixture.fixture, fixture.seed, fixture.line, page.product, page.language
                ),
                source: format!("{} ({}, {})", fixture.seed, page.product, page.language),
                operation: fixture.operation.clone(),
                status: fixture.status,
                body: serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: not JSON: {err}", fixture.fixture)),
                rejected_at: fixture.upstream_example_error.as_ref().map(|wrong| {
                    assert!(!wrong.reason.trim().is_empty(), "{}: say why the example is wrong", fixture.fixture);
                    wrong.rejected_at.clone()
                }),
            }
        })
        .collect()
}

/// The schema of an operation's response body for a status.
fn response_schema<'s>(spec: &'s Value, operation: &str, status: u16) -> &'s Value {
    let paths = spec["paths"].as_object().expect("paths");
    let found = paths
        .values()
        .flat_map(|item| item.as_object().into_iter().flatten())
        .find_map(|(_, op)| (op.get("operationId").and_then(Value::as_str) == Some(operation)).then_some(op));
    let op = found.unwrap_or_else(|| panic!("{operation} is not in the spec"));
    let response = op["responses"].get(status.to_string()).unwrap_or_else(|| panic!("{operation}: no {status}"));
    let response = resolve(spec, response);
    response
        .get("content")
        .and_then(|content| content.get("application/json"))
        .and_then(|media| media.get("schema"))
        .unwrap_or_else(|| panic!("{operation} {status}: no JSON schema"))
}

#[derive(Default)]
struct Tally {
    decoded: usize,
    rejected_as_expected: usize,
}

#[test]
fn every_example_and_seed_body_decodes_and_reencodes() {
    let spec = load_spec();
    let manifest = load_manifest();
    let decoders = decoders();
    let mut cases = spec_cases(&spec);
    let spec_count = cases.len();
    cases.extend(seed_cases(&spec, &manifest));

    let mut failures = Vec::new();
    let mut tallies: BTreeMap<String, Tally> = BTreeMap::new();
    let mut unknown: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for case in &cases {
        let tally = tallies.entry(case.source.clone()).or_default();
        let Some(decode) = decoders.get(case.operation.as_str()) else {
            failures.push(format!("{}: no operation {} in the crate", case.label, case.operation));
            continue;
        };
        let body = serde_json::to_vec(&case.body).expect("JSON serializes");
        let result = decode(case.status, &body);
        match (&case.rejected_at, result) {
            (Some(expected), Err(Error::Decode(error))) if error.path == *expected => tally.rejected_as_expected += 1,
            (Some(expected), Err(error)) => {
                failures.push(format!("{}: expected a rejection at `{expected}`, got: {error}", case.label))
            }
            (Some(expected), Ok(_)) => failures.push(format!(
                "{}: decodes, but the manifest says it copies a wrong upstream example rejected at `{expected}`; \
                 drop `upstream_example_error` if the model now accepts it on purpose",
                case.label
            )),
            (None, Err(Error::Decode(error))) => failures.push(format!(
                "{}: {} {} does not decode at JSON path `{}`: {}",
                case.label, case.operation, case.status, error.path, error.message
            )),
            (None, Err(error)) => failures.push(format!("{}: {error}", case.label)),
            (None, Ok(None)) => {
                failures.push(format!("{}: the output of {} does not serialize", case.label, case.operation))
            }
            (None, Ok(Some(reencoded))) => {
                let schema = response_schema(&spec, &case.operation, case.status);
                let mut comparison = Comparison::default();
                compare(&spec, schema, &case.body, &reencoded, "", &mut comparison);
                for problem in comparison.problems {
                    failures.push(format!("{}: {problem}", case.label));
                }
                if !comparison.unknown.is_empty() {
                    unknown
                        .entry(format!("{} {}", case.operation, case.status))
                        .or_default()
                        .extend(comparison.unknown);
                }
                tally.decoded += 1;
            }
        }
    }

    println!("bodies decoded and re-encoded, per source:");
    for (source, tally) in &tallies {
        println!("  {source}: {} decoded, {} rejected as documented", tally.decoded, tally.rejected_as_expected);
    }
    println!("keys the model does not know (ignored on decoding):");
    for (operation, keys) in &unknown {
        println!("  {operation}: {}", keys.iter().cloned().collect::<Vec<_>>().join(", "));
    }
    assert!(failures.is_empty(), "{} of {} bodies failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    assert!(spec_count > 0 && cases.len() > spec_count, "the spec's examples and the seed bodies were all read");
}

/// Every operation that documents a JSON success body has at least one example in the spec or a seed body.
#[test]
fn every_json_success_response_has_an_example() {
    let spec = load_spec();
    let manifest = load_manifest();
    let mut covered: BTreeSet<(String, u16)> =
        spec_cases(&spec).into_iter().map(|case| (case.operation, case.status)).collect();
    covered.extend(manifest.fixtures.iter().map(|fixture| (fixture.operation.clone(), fixture.status)));
    let mut missing = Vec::new();
    for item in spec["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("path item").values() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else { continue };
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let status: u16 = status.parse().expect("a numeric status");
                let has_json = resolve(&spec, response).pointer("/content/application~1json/schema").is_some();
                if status < 300 && has_json && !covered.contains(&(id.to_owned(), status)) {
                    missing.push(format!("{id} {status}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "JSON success responses without any example: {}", missing.join(", "));
}

/// A body that does not fit names the JSON path of what failed.
#[test]
fn decode_failures_name_the_json_path() {
    use github_actions_api::operations::workflow_runs::ListWorkflowRunsForRepo;

    let spec = load_spec();
    let mut body = resolve(&spec, &spec["components"]["examples"]["workflow-run-paginated"])["value"].clone();
    body["workflow_runs"][0]["created_at"] = Value::String("yesterday".to_owned());
    let body = serde_json::to_vec(&body).expect("JSON");
    match ListWorkflowRunsForRepo::parse_response(response(200, &body)) {
        Err(Error::Decode(error)) => {
            assert_eq!(error.path, "workflow_runs[0].created_at");
            assert_eq!(error.status, 200);
            assert!(error.to_string().contains("workflow_runs[0].created_at"), "{error}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    // A missing required property is named by its own path, not the object's.
    let mut body = resolve(&spec, &spec["components"]["examples"]["workflow-run-paginated"])["value"].clone();
    body["workflow_runs"][0].as_object_mut().expect("a run").remove("head_sha");
    let body = serde_json::to_vec(&body).expect("JSON");
    match ListWorkflowRunsForRepo::parse_response(response(200, &body)) {
        Err(Error::Decode(error)) => assert_eq!(error.path, "workflow_runs[0].head_sha", "{error}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

/// The re-encode comparison itself: it catches a lost known key, a changed value and an invented key, and
/// accepts the model's normal forms.
#[test]
fn the_reencode_rule_catches_losses() {
    let spec: Value = serde_json::json!({
        "components": {"schemas": {"thing": {
            "type": "object",
            "properties": {"at": {"type": "string", "format": "date-time"}, "name": {"type": "string"},
                           "note": {"type": "string", "nullable": true}, "size": {"type": "number"}},
        }}}
    });
    let schema = serde_json::json!({"$ref": "#/components/schemas/thing"});
    let check = |original: Value, reencoded: Value| {
        let mut comparison = Comparison::default();
        compare(&spec, &schema, &original, &reencoded, "", &mut comparison);
        (comparison.problems, comparison.unknown)
    };
    let original = serde_json::json!({"at": "2020-01-20T09:42:40.000-08:00", "name": "a", "size": 1, "extra": 1});
    let normal = serde_json::json!({"at": "2020-01-20T17:42:40Z", "name": "a", "size": 1.0, "note": null});
    assert_eq!(check(original.clone(), normal), (vec![], BTreeSet::from(["extra".to_owned()])));
    assert_eq!(check(original.clone(), serde_json::json!({"at": "2020-01-20T17:42:40Z", "size": 1})).0.len(), 1);
    assert_eq!(
        check(original.clone(), serde_json::json!({"at": "2020-01-20T17:42:41Z", "name": "a", "size": 1})).0.len(),
        1
    );
    let invented = serde_json::json!({"at": "2020-01-20T17:42:40Z", "name": "a", "size": 1, "note": "x"});
    assert_eq!(check(original, invented).0.len(), 1);
}

//! Every operation of the crate, sent with the `Client` to a loopback server, checked against
//! `spec/actions.yaml` itself rather than against the generator's view of it.
//!
//! The list of operations comes from `for_each_operation!` (so a new operation in the spec is covered as soon as
//! it is generated), and everything each case checks is derived from the spec's text:
//!
//! - the request: method, path with every path parameter percent-encoded as one segment (string parameters
//!   get values such as `owner 1/..` that would escape their segment if they were not encoded), every query
//!   parameter with its wire value, the client's headers, and the JSON body (the spec's request example);
//! - the response, for every documented status: the spec's example (or, where it has none, a body built from
//!   the schema) must decode into the documented outcome: a value for `2xx`, a `Redirect` for `302`,
//!   `Error::Api` with GitHub's message for `4xx`/`5xx`.
//!
//! Operations the generator marks paginated (`for_each_paginated_operation!`) are also streamed across three
//! pages linked by `Link: rel="next"`, and that set is compared with the one the spec implies.
//!
//! Each operation is its own test (named after its operationId, so `cargo test -p tests --test operations_spec
//! -- actions/get-workflow` runs one), listed at run time with libtest-mimic since the list comes from the spec.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;
use std::sync::OnceLock;

use futures_util::TryStreamExt;
use github_actions_api::runtime::Paginated;
use github_actions_api::{Client, Error, Operation};
use libtest_mimic::{Arguments, Failed, Trial};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOKEN: &str = "test-token-operations";

/// `spec/actions.yaml`, with `$ref`s resolved on demand.
struct Spec {
    doc: Value,
}

/// One operation as the spec describes it.
struct SpecOperation<'s> {
    method: String,
    path: String,
    operation: &'s Value,
}

impl Spec {
    fn load() -> Spec {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/actions.yaml");
        let text = std::fs::read_to_string(path).expect("spec/actions.yaml is readable");
        Spec { doc: serde_yaml::from_str(&text).expect("spec/actions.yaml is valid YAML") }
    }

    /// Follows `$ref` until the value is not a reference.
    fn resolve<'s>(&'s self, mut value: &'s Value) -> &'s Value {
        for _ in 0..32 {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
                return value;
            };
            let pointer = reference.strip_prefix('#').expect("only local references");
            value = self.doc.pointer(pointer).unwrap_or_else(|| panic!("dangling reference {reference}"));
        }
        panic!("reference cycle");
    }

    fn operations(&self) -> BTreeMap<String, SpecOperation<'_>> {
        let mut operations = BTreeMap::new();
        for (path, item) in self.doc["paths"].as_object().expect("paths") {
            for (method, operation) in item.as_object().expect("path item") {
                let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                let method = method.to_ascii_uppercase();
                operations.insert(id.to_owned(), SpecOperation { method, path: path.clone(), operation });
            }
        }
        operations
    }

    fn parameters<'s>(&'s self, operation: &'s Value) -> Vec<&'s Value> {
        let list = operation.get("parameters").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        list.iter().map(|parameter| self.resolve(parameter)).collect()
    }

    /// The first example of a media type object (`examples` or `example`), references resolved.
    fn example(&self, media: &Value) -> Option<Value> {
        if let Some(examples) = media.get("examples").and_then(Value::as_object) {
            let first = examples.values().next()?;
            return self.resolve(first).get("value").cloned();
        }
        media.get("example").cloned()
    }

    /// A value of `schema` with every property set, for statuses the spec gives no example for.
    fn synthesize(&self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if depth > 8 {
            return Value::Null;
        }
        if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|values| values.first()) {
            return first.clone();
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            if let Some(first) = schema.get(key).and_then(Value::as_array).and_then(|list| list.first()) {
                return self.synthesize(first, depth + 1);
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("string") if schema.get("format").and_then(Value::as_str) == Some("date-time") => {
                json!("2024-01-02T03:04:05Z")
            }
            Some("string") => json!("example"),
            Some("integer") => json!(1),
            Some("number") => json!(1.5),
            Some("boolean") => json!(true),
            Some("array") => json!([self.synthesize(&schema["items"], depth + 1)]),
            _ => {
                let mut object = Map::new();
                for (name, property) in schema.get("properties").and_then(Value::as_object).into_iter().flatten() {
                    object.insert(name.clone(), self.synthesize(property, depth + 1));
                }
                Value::Object(object)
            }
        }
    }
}

/// The value a case sends for a parameter: JSON for the request builder, and the text expected on the wire.
fn parameter_value(spec: &Spec, parameter: &Value) -> (Value, String) {
    let name = parameter["name"].as_str().expect("parameter name");
    let schema = spec.resolve(&parameter["schema"]);
    let example = parameter.get("example").or_else(|| schema.get("example"));
    // A `oneOf` of several types (`workflow_id`: an id or a file name) is sent as a string when it may be one.
    let alternatives = schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array);
    let ty = match alternatives {
        Some(alternatives) => {
            let types: Vec<&str> =
                alternatives.iter().filter_map(|alternative| spec.resolve(alternative)["type"].as_str()).collect();
            types.iter().copied().find(|ty| *ty == "string").or(types.first().copied())
        }
        None => schema.get("type").and_then(Value::as_str),
    };
    let value = if let Some(first) = schema.get("enum").and_then(Value::as_array).and_then(|values| values.first()) {
        first.clone()
    } else {
        match ty {
            Some("integer") => example.filter(|value| value.is_i64()).cloned().unwrap_or(json!(42)),
            Some("number") => json!(2.5),
            Some("boolean") => json!(true),
            Some("string") if schema.get("format").and_then(Value::as_str) == Some("date-time") => {
                json!("2024-01-02T03:04:05Z")
            }
            // Values that would leave their path segment, or split a query pair, if not encoded.
            Some("string") if parameter["in"] == "path" => json!(format!("{name} 1/..")),
            _ => json!(format!("{name} value/&=?")),
        }
    };
    let wire = match &value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    (value, wire)
}

/// Percent-encodes one path segment: everything but what RFC 3986 allows in a segment (`pchar`: unreserved
/// characters, sub-delimiters, `:` and `@`).
fn encode_segment(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (byte as char).to_string(),
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=' | b':' | b'@' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// What one case sends, and what it expects the server to receive.
struct Request {
    params: Value,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Value>,
}

fn build_request(spec: &Spec, operation: &SpecOperation<'_>, optional: bool) -> Request {
    let mut params = Map::new();
    let mut path = operation.path.clone();
    let mut query = Vec::new();
    for parameter in spec.parameters(operation.operation) {
        let name = parameter["name"].as_str().expect("name");
        let required = parameter["in"] == "path" || parameter.get("required") == Some(&Value::Bool(true));
        if !required && !optional {
            continue;
        }
        let (value, wire) = parameter_value(spec, parameter);
        match parameter["in"].as_str() {
            Some("path") => path = path.replace(&format!("{{{name}}}"), &encode_segment(&wire)),
            Some("query") => query.push((name.to_owned(), wire)),
            other => panic!("unexpected parameter location {other:?}"),
        }
        params.insert(name.to_owned(), value);
    }
    let body = operation.operation.get("requestBody").map(|body| spec.resolve(body)).and_then(|body| {
        let media = &body["content"]["application/json"];
        let required = body.get("required") == Some(&Value::Bool(true));
        match spec.example(media) {
            Some(example) if !example.is_null() => Some(example),
            // GitHub's example for an optional body is `null` (send nothing); send every property instead.
            _ if optional || required => Some(spec.synthesize(&media["schema"], 0)),
            _ => None,
        }
    });
    if let Some(body) = &body {
        params.insert("body".to_owned(), body.clone());
    }
    query.sort();
    Request { params: Value::Object(params), path, query, body }
}

/// Removes `null`s, which a request builder leaves out when a property is `None`.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object.iter().filter(|(_, value)| !value.is_null()).map(|(k, v)| (k.clone(), without_nulls(v))).collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

type Sent<'a, T> = Pin<Box<dyn Future<Output = Result<T, String>> + Send + 'a>>;

/// An operation type, made usable from data.
struct Case {
    id: &'static str,
    method: http::Method,
    path: &'static str,
    send: for<'a> fn(&'a Client, Value) -> Sent<'a, Result<String, Error>>,
}

fn send<O>(client: &Client, params: Value) -> Sent<'_, Result<String, Error>>
where
    O: Operation + DeserializeOwned + Send + Sync + 'static,
    O::Output: Debug,
{
    Box::pin(async move {
        let operation: O = serde_json::from_value(params.clone())
            .map_err(|err| format!("{} cannot be built from {params}: {err}", O::ID))?;
        Ok(client.call(operation).send().await.map(|output| format!("{output:?}")))
    })
}

fn case<O>() -> Case
where
    O: Operation + DeserializeOwned + Send + Sync + 'static,
    O::Output: Debug,
{
    Case { id: O::ID, method: O::METHOD, path: O::PATH, send: send::<O> }
}

macro_rules! cases {
    ($($operation:path),* $(,)?) => { vec![$(case::<$operation>()),*] };
}

/// What streaming a paginated operation gives: items, `total_count`, pages fetched.
type Streamed = (usize, Option<i64>, u64);

/// A paginated operation type: streams every item.
struct PagedCase {
    id: &'static str,
    stream: for<'a> fn(&'a Client, Value) -> Sent<'a, Streamed>,
}

fn stream<O>(client: &Client, params: Value) -> Sent<'_, Streamed>
where
    O: Paginated + DeserializeOwned + Send + Sync + 'static,
    O::Item: Send + 'static,
{
    Box::pin(async move {
        let operation: O = serde_json::from_value(params).map_err(|err| err.to_string())?;
        let mut items = client.call(operation).into_stream();
        let mut count = 0;
        while let Some(_item) = items.try_next().await.map_err(|err| err.to_string())? {
            count += 1;
        }
        Ok((count, items.total_count(), items.pages_fetched()))
    })
}

fn paged_case<O>() -> PagedCase
where
    O: Paginated + DeserializeOwned + Send + Sync + 'static,
    O::Item: Send + 'static,
{
    PagedCase { id: O::ID, stream: stream::<O> }
}

macro_rules! paged_cases {
    ($($operation:path),* $(,)?) => { vec![$(paged_case::<$operation>()),*] };
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).token(TOKEN).build().expect("client")
}

/// Checks one received request against what the spec says was sent; returns the problems.
fn check_request(received: &wiremock::Request, method: &str, expected: &Request) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expect = |what: &str, got: String, want: String| {
        if got != want {
            problems.push(format!("{what}: got `{got}`, expected `{want}`"));
        }
    };
    expect("method", received.method.to_string(), method.to_owned());
    expect("path", received.url.path().to_owned(), expected.path.clone());
    let mut query: Vec<(String, String)> =
        received.url.query_pairs().map(|(name, value)| (name.into_owned(), value.into_owned())).collect();
    query.sort();
    expect("query", format!("{query:?}"), format!("{:?}", expected.query));
    let header = |name: &str| received.headers.get(name).and_then(|value| value.to_str().ok()).unwrap_or("<none>");
    expect("authorization", header("authorization").to_owned(), format!("Bearer {TOKEN}"));
    expect("user-agent", header("user-agent").to_owned(), github_actions_api::runtime::DEFAULT_USER_AGENT.to_owned());
    expect("accept", header("accept").to_owned(), "application/vnd.github+json".to_owned());
    expect("x-github-api-version", header("x-github-api-version").to_owned(), "2022-11-28".to_owned());
    match &expected.body {
        Some(body) => {
            expect("content-type", header("content-type").to_owned(), "application/json".to_owned());
            let sent: Value = serde_json::from_slice(&received.body).unwrap_or(Value::Null);
            // Compared as JSON values, not text: key order is not part of JSON (and serde_json keeps insertion
            // order when a workspace build enables `preserve_order`).
            let (sent, body) = (without_nulls(&sent), without_nulls(body));
            if sent != body {
                expect("body", sent.to_string(), body.to_string());
            }
        }
        None => expect("body", String::from_utf8_lossy(&received.body).into_owned(), String::new()),
    }
    problems
}

/// `OK` → `Ok`, `No Content` → `NoContent`: the variant name the generator gives a status.
fn variant_name(status: u16) -> String {
    let reason = http::StatusCode::from_u16(status).ok().and_then(|status| status.canonical_reason()).unwrap_or("");
    reason
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let lower = word.to_ascii_lowercase();
            let mut chars = lower.chars();
            chars.next().map(|first| first.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// Runs one operation against every status the spec documents for it; returns the problems found.
async fn run_case(spec: &Spec, case: &Case, operation: &SpecOperation<'_>) -> Vec<String> {
    let mut problems = Vec::new();
    if case.method.as_str() != operation.method || case.path != operation.path {
        problems.push(format!(
            "generated as {} {}, spec says {} {}",
            case.method, case.path, operation.method, operation.path
        ));
    }
    let request = build_request(spec, operation, true);
    let responses = operation.operation["responses"].as_object().expect("responses");
    let successes = responses.keys().filter(|status| status.as_str() < "400").count();
    let server = MockServer::start().await;
    let client = client(&server);
    for (status, response) in responses {
        let status: u16 = status.parse().expect("numeric status");
        let response = spec.resolve(response);
        let media = response.get("content").and_then(|content| content.get("application/json"));
        let body = media.map(|media| spec.example(media).unwrap_or_else(|| spec.synthesize(&media["schema"], 0)));
        let mut template = ResponseTemplate::new(status);
        if let Some(body) = &body {
            template = template.set_body_json(body.clone());
        }
        let location = response.get("headers").and_then(|headers| headers.get("Location")).map(|header| {
            let header = spec.resolve(header);
            header
                .get("example")
                .and_then(Value::as_str)
                .unwrap_or("https://downloads.example.com/archive.zip")
                .to_owned()
        });
        if let Some(location) = &location {
            template = template.insert_header("location", location.as_str());
        }
        server.reset().await;
        Mock::given(any()).respond_with(template).mount(&server).await;

        let outcome = match (case.send)(&client, request.params.clone()).await {
            Ok(outcome) => outcome,
            Err(problem) => {
                problems.push(problem);
                return problems;
            }
        };
        let received = server.received_requests().await.unwrap_or_default();
        match received.as_slice() {
            [one] => problems
                .extend(check_request(one, &operation.method, &request).into_iter().map(|p| format!("{status}: {p}"))),
            other => problems.push(format!("{status}: {} requests arrived instead of one", other.len())),
        }
        let message = body.as_ref().and_then(|body| body.get("message")).and_then(Value::as_str);
        match (status, outcome) {
            (..=399, Ok(output)) => {
                if successes > 1 && !output.starts_with(&variant_name(status)) {
                    problems
                        .push(format!("{status}: decoded as {output}, expected the {} variant", variant_name(status)));
                }
                if let Some(location) = &location {
                    let host = url::Url::parse(location).ok().and_then(|url| url.host_str().map(str::to_owned));
                    if !output.contains("Redirect") || !host.is_some_and(|host| output.contains(&host)) {
                        problems.push(format!("{status}: expected a Redirect to {location}, got {output}"));
                    }
                }
                if body.is_none() && location.is_none() && successes == 1 && output != "()" {
                    problems.push(format!("{status}: expected no content, got {output}"));
                }
            }
            (..=399, Err(err)) => problems.push(format!("{status}: the spec's example does not decode: {err}")),
            (_, Err(Error::Api(api))) => {
                if api.status.as_u16() != status || api.operation != case.id {
                    problems.push(format!("{status}: Error::Api for {} {}", api.operation, api.status));
                }
                let got = api.body.as_ref().and_then(|body| body.message.as_deref());
                if message.is_some() && got != message {
                    problems.push(format!("{status}: message {got:?}, expected {message:?}"));
                }
            }
            (_, other) => problems.push(format!("{status}: expected Error::Api, got {other:?}")),
        }
    }
    problems
}

/// `spec/actions.yaml`, loaded once for every test.
fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(Spec::load)
}

/// Runs one async check on a runtime of its own; problems fail the test.
fn run(check: impl Future<Output = Result<(), String>>) -> Result<(), Failed> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime");
    runtime.block_on(check).map_err(Failed::from)
}

fn main() {
    let args = Arguments::from_args();
    let cases: Vec<Case> = github_actions_api::for_each_operation!(cases);
    let paged: Vec<PagedCase> = github_actions_api::for_each_paginated_operation!(paged_cases);

    let mut trials = vec![
        Trial::test("the crate's operations are the spec's operations", || {
            let cases: Vec<Case> = github_actions_api::for_each_operation!(cases);
            let generated: BTreeSet<&str> = cases.iter().map(|case| case.id).collect();
            let operations = spec().operations();
            let documented: BTreeSet<&str> = operations.keys().map(String::as_str).collect();
            if generated != documented || cases.len() != operations.len() {
                return Err(format!("generated {generated:?}\nspec      {documented:?}").into());
            }
            Ok(())
        }),
        Trial::test("the paginated operations are the ones the spec implies", || {
            let paged: Vec<PagedCase> = github_actions_api::for_each_paginated_operation!(paged_cases);
            let generated: BTreeSet<&str> = paged.iter().map(|case| case.id).collect();
            let expected = paginated_in_spec(spec());
            let expected: BTreeSet<&str> = expected.keys().map(String::as_str).collect();
            if generated != expected {
                return Err(format!("generated {generated:?}\nspec      {expected:?}").into());
            }
            Ok(())
        }),
    ];
    trials.extend(cases.into_iter().map(|case| {
        Trial::test(case.id, move || {
            run(async {
                let operations = spec().operations();
                let Some(operation) = operations.get(case.id) else {
                    return Err(format!("{} is not in the spec", case.id));
                };
                let problems = run_case(spec(), &case, operation).await;
                if problems.is_empty() {
                    Ok(())
                } else {
                    Err(problems.join("\n"))
                }
            })
        })
    }));
    trials.extend(paged.into_iter().map(|case| {
        Trial::test(format!("{} streams three pages", case.id), move || run(run_paged_case(spec(), &case)))
    }));
    libtest_mimic::run(&args, trials).exit();
}

/// Which operations the spec says are paginated: a `page` or `per_page` query parameter, and a `200` body that is
/// an array or an object with exactly one array property. Returns their ids and where the items are.
fn paginated_in_spec(spec: &Spec) -> BTreeMap<String, Option<String>> {
    let mut paginated = BTreeMap::new();
    for (id, operation) in spec.operations() {
        let pages = spec.parameters(operation.operation).iter().any(|parameter| {
            parameter["in"] == "query" && matches!(parameter["name"].as_str(), Some("page" | "per_page"))
        });
        let responses = operation.operation["responses"].as_object().expect("responses");
        let successes: Vec<&String> = responses.keys().filter(|status| status.as_str() < "400").collect();
        if !pages || successes != ["200"] {
            continue;
        }
        let schema = spec.resolve(&spec.resolve(&responses["200"])["content"]["application/json"]["schema"]);
        if schema["type"] == "array" {
            paginated.insert(id, None);
            continue;
        }
        let arrays: Vec<&String> = schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, property)| spec.resolve(property)["type"] == "array")
            .map(|(name, _)| name)
            .collect();
        if let [items] = arrays.as_slice() {
            paginated.insert(id, Some((*items).clone()));
        }
    }
    paginated
}

/// Streams a paginated operation across three pages linked by `Link: rel="next"`.
async fn run_paged_case(spec: &Spec, case: &PagedCase) -> Result<(), String> {
    let operations = spec.operations();
    let expected = paginated_in_spec(spec);
    let (Some(operation), Some(items_field)) = (operations.get(case.id), expected.get(case.id)) else {
        return Err(format!("{} is not paginated in the spec", case.id));
    };
    let request = build_request(spec, operation, false);
    let response = spec.resolve(&operation.operation["responses"]["200"]);
    let page = spec.example(&response["content"]["application/json"]).ok_or("no 200 example")?;
    let per_page = match items_field {
        Some(field) => page[field].as_array().map_or(0, Vec::len),
        None => page.as_array().map_or(0, Vec::len),
    };
    let total = items_field.as_ref().and_then(|_| page["total_count"].as_f64()).map(|total| total as i64);

    let server = MockServer::start().await;
    let base = format!("{}{}", server.uri(), request.path);
    let link = move |page: u32, rel: &str| format!("<{base}?per_page=2&page={page}>; rel=\"{rel}\"");
    let responder = move |incoming: &wiremock::Request| {
        let number = incoming.url.query_pairs().find(|(name, _)| name == "page").map(|(_, value)| value.into_owned());
        let links = match number.as_deref() {
            None => format!("{}, {}", link(2, "next"), link(3, "last")),
            Some("2") => format!("{}, {}", link(1, "prev"), link(3, "next")),
            _ => format!("{}, {}", link(2, "prev"), link(1, "first")),
        };
        ResponseTemplate::new(200).set_body_json(page.clone()).insert_header("link", links.as_str())
    };
    Mock::given(any()).respond_with(responder).mount(&server).await;

    let outcome = (case.stream)(&client(&server), request.params.clone()).await;
    let received = server.received_requests().await.unwrap_or_default();
    let pages: Vec<String> = received.iter().map(|request| request.url.query().unwrap_or("").to_owned()).collect();
    let authorized = received.iter().all(|request| request.headers.get("authorization").is_some());
    match outcome {
        Ok((count, total_count, 3)) if count == 3 * per_page && total_count == total && authorized => Ok(()),
        other => Err(format!(
            "got {other:?} from requests {pages:?}, expected {} items in 3 pages, total_count {total:?}",
            3 * per_page
        )),
    }
}

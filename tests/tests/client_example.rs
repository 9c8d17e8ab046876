//! `generated/examples/rerun_failed_runs.rs` against a loopback server: it must find the failed runs of a
//! branch across pages and re-run exactly those.
//!
//! `serve_failed_runs_for_the_example` (ignored by default) keeps the same server up so the example binary can
//! be run against it by hand:
//!
//! ```text
//! cargo test -p tests --test client_example -- --ignored --nocapture serve_failed_runs_for_the_example &
//! GITHUB_API_URL=http://127.0.0.1:PORT GITHUB_TOKEN=t \
//!     cargo run -p github-actions-api --example rerun_failed_runs -- octo-org hello release/1.x
//! ```

// The example's code, compiled into this test; its `main` is only called when it runs as a program.
#[allow(dead_code)]
#[path = "../../generated/examples/rerun_failed_runs.rs"]
mod example;

use std::time::Duration;

use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BRANCH: &str = "release/1.x";
const RUNS: &str = "/repos/octo-org/hello/actions/runs";

/// The spec's example run, as a failed run of [`BRANCH`].
fn failed_run(id: i64) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/actions.yaml");
    let spec: Value = serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut run = spec.pointer("/components/examples/workflow-run/value").cloned().expect("the spec's example run");
    run["id"] = json!(id);
    run["name"] = json!(if id % 2 == 0 { "Build" } else { "Test" });
    run["head_branch"] = json!(BRANCH);
    run["status"] = json!("completed");
    run["conclusion"] = json!("failure");
    run["html_url"] = json!(format!("https://github.com/octo-org/hello/actions/runs/{id}"));
    run
}

/// Three failed runs on two pages, and their re-run endpoints.
async fn mount_failed_runs(server: &MockServer) {
    let next =
        format!("<{}{RUNS}?branch=release%2F1.x&status=failure&per_page=100&page=2>; rel=\"next\"", server.uri());
    let pages = [(None, vec![101, 102], Some(next)), (Some("2"), vec![103], None)];
    for (page, ids, link) in pages {
        let runs: Vec<Value> = ids.iter().map(|id| failed_run(*id)).collect();
        let mut response = ResponseTemplate::new(200).set_body_json(json!({ "total_count": 3, "workflow_runs": runs }));
        if let Some(link) = link {
            response = response.insert_header("link", link.as_str());
        }
        let mock = Mock::given(method("GET"))
            .and(path(RUNS))
            .and(query_param("branch", BRANCH))
            .and(query_param("status", "failure"))
            .and(header("authorization", "Bearer example-token"));
        let mock = match page {
            Some(page) => mock.and(query_param("page", page)),
            None => mock.and(query_param_is_missing("page")),
        };
        mock.respond_with(response).mount(server).await;
    }
    for id in [101, 102, 103] {
        Mock::given(method("POST"))
            .and(path(format!("{RUNS}/{id}/rerun")))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
            .expect(1)
            .named(format!("re-run {id}"))
            .mount(server)
            .await;
    }
}

fn settings(server: &MockServer, args: &[&str]) -> example::Settings {
    let args: Vec<String> = args.iter().map(|arg| arg.to_string()).collect();
    let uri = server.uri();
    example::Settings::from_args_and_env(&args, |name| match name {
        "GITHUB_API_URL" => Some(uri.clone()),
        "GITHUB_TOKEN" => Some("example-token".to_owned()),
        "GITHUB_BRANCH" => Some(BRANCH.to_owned()),
        _ => None,
    })
    .expect("valid settings")
}

#[tokio::test]
async fn the_example_reruns_the_failed_runs_of_a_branch() {
    let server = MockServer::start().await;
    mount_failed_runs(&server).await;

    let settings = settings(&server, &["octo-org", "hello"]);
    assert_eq!(settings.branch, BRANCH, "the branch comes from the environment");
    let client = settings.client().unwrap();
    let mut log = Vec::new();
    let rerun = example::rerun_failed_runs(&client, &settings, &mut |line| log.push(line)).await.unwrap();
    assert_eq!(rerun, [101, 102, 103]);
    assert_eq!(log.first().map(String::as_str), Some("3 failed run(s) on octo-org/hello@release/1.x"));
    assert!(log.contains(&"3 run(s) in 2 page(s)".to_owned()), "{log:#?}");
    assert!(log.contains(&"  re-ran #103".to_owned()), "{log:#?}");
    server.verify().await;
}

#[tokio::test]
async fn the_example_needs_a_repository() {
    let err = example::Settings::from_args_and_env(&["octo-org".to_owned()], |_| None).unwrap_err();
    assert!(err.starts_with("missing GITHUB_REPO"), "{err}");
}

/// Not a test: a loopback server for running the example by hand (see the module docs). Serves for
/// `EXAMPLE_SERVER_SECONDS` (default 120) seconds.
#[tokio::test]
#[ignore = "serves the example's loopback server; run explicitly"]
async fn serve_failed_runs_for_the_example() {
    let server = MockServer::start().await;
    mount_failed_runs(&server).await;
    println!("GITHUB_API_URL={}", server.uri());
    let seconds = std::env::var("EXAMPLE_SERVER_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(120);
    tokio::time::sleep(Duration::from_secs(seconds)).await;
}

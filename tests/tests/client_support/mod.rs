//! Shared by the `client_*` tests: clients pointed at loopback servers, and response bodies taken from the
//! spec's own examples.

use github_actions_api::runtime::ClientBuilder;
use github_actions_api::Client;
use serde_json::{json, Value};
use wiremock::MockServer;

/// The token every test client sends.
pub const TOKEN: &str = "ghp_test-token-never-printed";

/// A client builder for `server`, with [`TOKEN`].
pub fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder().base_url(server.uri()).token(TOKEN)
}

/// A client for `server` with default settings and [`TOKEN`].
pub fn client(server: &MockServer) -> Client {
    builder(server).build().expect("a valid client")
}

/// `#/components/examples/<name>/value` of `spec/actions.yaml`.
pub fn spec_example(name: &str) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/actions.yaml");
    let text = std::fs::read_to_string(path).expect("spec/actions.yaml is readable");
    let spec: Value = serde_yaml::from_str(&text).expect("spec/actions.yaml is valid YAML");
    spec.pointer(&format!("/components/examples/{name}/value")).cloned().unwrap_or_else(|| panic!("no example {name}"))
}

/// The spec's example workflow run, with another id, branch and conclusion.
pub fn run(id: i64, branch: &str, conclusion: &str) -> Value {
    let mut run = spec_example("workflow-run");
    run["id"] = json!(id);
    run["head_branch"] = json!(branch);
    run["status"] = json!("completed");
    run["conclusion"] = json!(conclusion);
    run["name"] = json!(format!("CI {id}"));
    run
}

/// A page of `list-workflow-runs-for-repo`.
pub fn runs_page(ids: &[i64], total_count: usize) -> Value {
    let runs: Vec<Value> = ids.iter().map(|id| run(*id, "main", "failure")).collect();
    json!({ "total_count": total_count, "workflow_runs": runs })
}

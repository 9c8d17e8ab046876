//! Code written the way a downstream crate uses `github-actions-api`: field reads, matches on enums with the
//! `_` arm `#[non_exhaustive]` asks for, `new()` plus field assignments for request bodies, request builders,
//! `parse_response`, and `for_each_operation!`.
//!
//! It compiles here against the committed crate, and `cargo xtask semver-check` compiles the same file against
//! crates generated from mutated specs: it must still compile after additive changes (an optional property, an
//! enum value, an operation, a query parameter) and must stop compiling after removing or retyping what it uses.
//! Only the crate's default-free API is used (no `client` feature), so the check can build it without an HTTP
//! stack.

use github_actions_api::models::{Artifact, Job, JobStatus, WorkflowId, WorkflowRun, WorkflowRunStatus};
use github_actions_api::operations::self_hosted_runner_groups::{
    UpdateSelfHostedRunnerGroupForOrg, UpdateSelfHostedRunnerGroupForOrgBody,
    UpdateSelfHostedRunnerGroupForOrgBodyVisibility,
};
use github_actions_api::operations::workflow_runs::ListWorkflowRunsForRepo;
use github_actions_api::operations::workflows::{
    CreateWorkflowDispatch, CreateWorkflowDispatchBody, CreateWorkflowDispatchOutput,
};
use github_actions_api::runtime::Nullable;
use github_actions_api::{BaseUrl, Error, Operation};

/// Reads response fields.
pub fn describe_run(run: &WorkflowRun) -> String {
    let title = run.display_title.as_deref().unwrap_or("(untitled)");
    format!("#{} {} at {} on {}: {title}", run.run_number, run.id, run.head_sha, run.created_at)
}

/// Matches a response enum; `Other` keeps values GitHub adds later.
pub fn job_state(job: &Job) -> &'static str {
    match &job.status {
        JobStatus::Queued | JobStatus::Waiting | JobStatus::Pending | JobStatus::Requested => "waiting",
        JobStatus::InProgress => "running",
        JobStatus::Completed => "done",
        JobStatus::Other(_) => "new to this crate",
        _ => "new to the spec",
    }
}

/// Uses the type of a field.
pub fn artifact_megabytes(artifact: &Artifact) -> i64 {
    let bytes: i64 = artifact.size_in_bytes;
    bytes / 1_000_000
}

/// Matches a `oneOf` parameter.
pub fn workflow_label(id: &WorkflowId) -> String {
    match id {
        WorkflowId::Id(number) => format!("workflow {number}"),
        WorkflowId::FileName(name) => format!("workflow file {name}"),
        _ => "another kind of workflow id".to_owned(),
    }
}

/// Builds a PATCH body: `new()` with the required properties, then the optional ones by field.
pub fn rename_group(name: &str) -> UpdateSelfHostedRunnerGroupForOrgBody {
    let mut body = UpdateSelfHostedRunnerGroupForOrgBody::new(name);
    body.visibility = Some(UpdateSelfHostedRunnerGroupForOrgBodyVisibility::Selected);
    body.restricted_to_workflows = Some(false);
    body.network_configuration_id = Nullable::Null;
    body
}

/// Builds requests with parameters, enum values (known and unknown) and bodies.
pub fn requests() -> Result<Vec<http::Request<Vec<u8>>>, Error> {
    let base = BaseUrl::github();
    let mut dispatch_body = CreateWorkflowDispatchBody::new("main");
    dispatch_body.return_run_details = Some(true);
    Ok(vec![
        ListWorkflowRunsForRepo::new("octo-org", "octo-repo")
            .status(WorkflowRunStatus::Completed)
            .per_page(10)
            .build_request(&base)?,
        ListWorkflowRunsForRepo::new("octo-org", "octo-repo")
            .status(WorkflowRunStatus::Other("some_new_status".to_owned()))
            .build_request(&base)?,
        UpdateSelfHostedRunnerGroupForOrg::new("octo-org", 42, rename_group("builders")).build_request(&base)?,
        CreateWorkflowDispatch::new("octo-org", "octo-repo", "ci.yml", dispatch_body).build_request(&base)?,
    ])
}

/// Reads responses through `parse_response` and matches the output enum and the error.
pub fn dispatched_run(response: http::Response<bytes::Bytes>) -> Result<Option<i64>, String> {
    match CreateWorkflowDispatch::parse_response(response) {
        Ok(CreateWorkflowDispatchOutput::Ok(details)) => Ok(Some(details.workflow_run_id)),
        Ok(CreateWorkflowDispatchOutput::NoContent) => Ok(None),
        Ok(_) => Err("a status new to the spec".to_owned()),
        Err(Error::Api(api)) => Err(format!("GitHub answered {}", api.status)),
        Err(Error::Decode(decode)) => Err(format!("unexpected body at {}", decode.path)),
        Err(other) => Err(other.to_string()),
    }
}

/// Every operation id, through the macro: operations added to the spec show up here without code changes.
pub fn operation_ids() -> Vec<&'static str> {
    macro_rules! ids {
        ($($operation:path),* $(,)?) => { vec![$(<$operation as Operation>::ID),*] };
    }
    github_actions_api::for_each_operation!(ids)
}

#[test]
fn downstream_style_code_works_against_the_committed_crate() {
    let requests = requests().expect("valid requests");
    assert_eq!(requests.len(), 4);
    assert!(requests[1].uri().query().is_some_and(|query| query.contains("status=some_new_status")));
    let patch = String::from_utf8(requests[2].body().clone()).expect("UTF-8 JSON");
    assert!(patch.contains(r#""network_configuration_id":null"#), "{patch}");
    assert_eq!(workflow_label(&WorkflowId::from("ci.yml")), "workflow file ci.yml");
    assert_eq!(workflow_label(&WorkflowId::from(7)), "workflow 7");
    let no_content = http::Response::builder().status(204).body(bytes::Bytes::new()).expect("a response");
    assert_eq!(dispatched_run(no_content), Ok(None));
    assert!(operation_ids().contains(&"actions/create-workflow-dispatch"));
}

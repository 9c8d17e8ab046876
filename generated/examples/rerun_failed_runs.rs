//! Lists the failed workflow runs of a branch (every page) and re-runs each of them.
//!
//! ```text
//! GITHUB_TOKEN=ghp_… cargo run -p github-actions-api --example rerun_failed_runs -- OWNER REPO BRANCH [--dry-run]
//! ```
//!
//! Settings come from the arguments or, where an argument is missing, from the environment:
//!
//! - `OWNER REPO BRANCH` (or `GITHUB_OWNER`, `GITHUB_REPO`, `GITHUB_BRANCH`);
//! - `GITHUB_API_URL`: the API's base URL, `https://api.github.com` by default; for GitHub Enterprise Server
//!   `https://HOST/api/v3` (a loopback server such as `http://127.0.0.1:PORT` works too);
//! - `GITHUB_TOKEN`: a personal access token or installation token;
//! - `--dry-run`: list the runs without re-running them.

use std::process::ExitCode;
use std::time::Duration;

use futures_util::TryStreamExt;
use github_actions_api::models::WorkflowRunStatus;
use github_actions_api::{Client, Error, RetryPolicy};

/// What to do, from the arguments and the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base URL of the API.
    pub api_url: String,
    /// Bearer token (may be empty for anonymous requests).
    pub token: String,
    /// Repository owner.
    pub owner: String,
    /// Repository name.
    pub repo: String,
    /// Branch whose failed runs are re-run.
    pub branch: String,
    /// Only list the runs.
    pub dry_run: bool,
}

impl Settings {
    /// Reads the settings; `Err` is a usage message.
    pub fn from_args_and_env(args: &[String], env: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let dry_run = args.iter().any(|arg| arg == "--dry-run");
        let positional: Vec<&String> = args.iter().filter(|arg| !arg.starts_with("--")).collect();
        let setting = |index: usize, name: &str| {
            positional.get(index).map(|value| value.to_string()).or_else(|| env(name)).ok_or_else(|| {
                format!(
                    "missing {name}\nusage: rerun_failed_runs OWNER REPO BRANCH [--dry-run] (see the example's docs)"
                )
            })
        };
        Ok(Settings {
            api_url: env("GITHUB_API_URL").unwrap_or_else(|| "https://api.github.com".to_owned()),
            token: env("GITHUB_TOKEN").unwrap_or_default(),
            owner: setting(0, "GITHUB_OWNER")?,
            repo: setting(1, "GITHUB_REPO")?,
            branch: setting(2, "GITHUB_BRANCH")?,
            dry_run,
        })
    }

    /// A client for these settings: retries on `5xx`, connection errors and rate limits.
    pub fn client(&self) -> Result<Client, Error> {
        let mut builder = Client::builder()
            .base_url(&self.api_url)
            .user_agent("rerun-failed-runs-example")
            .timeout(Duration::from_secs(30))
            .retry(RetryPolicy::standard());
        if !self.token.is_empty() {
            builder = builder.token(self.token.as_str());
        }
        builder.build()
    }
}

/// Lists the failed runs of `settings.branch` across all pages and re-runs each one; reports progress to
/// `log`. Returns the ids of the runs it re-ran (or would have, with `dry_run`).
pub async fn rerun_failed_runs(
    client: &Client,
    settings: &Settings,
    log: &mut dyn FnMut(String),
) -> Result<Vec<i64>, Error> {
    let Settings { owner, repo, branch, .. } = settings;
    let mut runs = client
        .list_workflow_runs_for_repo(owner, repo)
        .branch(branch)
        .status(WorkflowRunStatus::Failure)
        .exclude_pull_requests(true)
        .per_page(100)
        .into_stream();
    let mut failed = Vec::new();
    while let Some(run) = runs.try_next().await? {
        if failed.is_empty() {
            log(format!("{} failed run(s) on {owner}/{repo}@{branch}", runs.total_count().unwrap_or_default()));
        }
        let name = run.name.as_deref().unwrap_or("(unnamed)");
        log(format!("  #{} {name} ({}, {})", run.id, run.event, run.html_url));
        failed.push(run.id);
    }
    log(format!("{} run(s) in {} page(s)", failed.len(), runs.pages_fetched()));
    if settings.dry_run {
        return Ok(failed);
    }
    for id in &failed {
        // Re-running a run that failed is safe to repeat, so let the retry policy retry this POST too.
        client.re_run_workflow(owner, repo, *id).retry_non_idempotent().send().await?;
        log(format!("  re-ran #{id}"));
    }
    Ok(failed)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let settings = match Settings::from_args_and_env(&args, |name| std::env::var(name).ok()) {
        Ok(settings) => settings,
        Err(usage) => {
            eprintln!("{usage}");
            return ExitCode::from(2);
        }
    };
    let result = match settings.client() {
        Ok(client) => rerun_failed_runs(&client, &settings, &mut |line| println!("{line}")).await,
        Err(err) => Err(err),
    };
    match result {
        Ok(ids) => {
            let verb = if settings.dry_run { "would re-run" } else { "re-ran" };
            println!("done: {verb} {} run(s)", ids.len());
            ExitCode::SUCCESS
        }
        Err(Error::RateLimited(limit)) => {
            eprintln!("error: {limit}; try again in {} s", limit.retry_after.as_secs());
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

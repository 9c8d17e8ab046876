//! The client against loopback servers that misbehave: error bodies, rate limits, server errors, broken bodies,
//! slow servers, redirects to other hosts, pagination, GitHub Enterprise Server base URLs, bad parameters.
//! Waits are configured down to milliseconds so the whole file runs in a few seconds.

mod client_support;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use client_support::{builder, client, run, runs_page, spec_example, TOKEN};
use futures_util::{StreamExt, TryStreamExt};
use github_actions_api::models::WorkflowRunStatus;
use github_actions_api::runtime::{ErrorDetail, RateLimitKind};
use github_actions_api::{Error, RetryPolicy};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const RUN_PATH: &str = "/repos/octo-org/hello/actions/runs/42";
const RUNS_PATH: &str = "/repos/octo-org/hello/actions/runs";

/// Retries with waits short enough for tests.
fn fast_retries(attempts: u32) -> RetryPolicy {
    RetryPolicy::standard()
        .max_attempts(attempts)
        .backoff(Duration::from_millis(10), Duration::from_millis(40))
        .max_total_wait(Duration::from_secs(5))
}

fn epoch_seconds() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs()
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.unwrap_or_default()
}

#[tokio::test]
async fn not_found_is_an_api_error_with_githubs_body() {
    let server = MockServer::start().await;
    let body = json!({
        "message": "Not Found",
        "documentation_url": "https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run",
        "status": "404"
    });
    Mock::given(method("GET"))
        .and(path(RUN_PATH))
        .respond_with(ResponseTemplate::new(404).set_body_json(body))
        .mount(&server)
        .await;

    let err = client(&server).get_workflow_run("octo-org", "hello", 42).send().await.unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::NOT_FOUND));
    let Error::Api(api) = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(api.operation, "actions/get-workflow-run");
    let github = api.body.as_ref().expect("GitHub's error body");
    assert_eq!(github.message.as_deref(), Some("Not Found"));
    assert_eq!(
        github.documentation_url.as_deref(),
        Some("https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run")
    );
    let text = err.to_string();
    assert!(text.contains("404") && text.contains("Not Found") && text.contains("docs.github.com"), "{text}");
}

#[tokio::test]
async fn validation_failed_lists_every_error() {
    let server = MockServer::start().await;
    let body = json!({
        "message": "Validation Failed",
        "errors": [
            { "resource": "Runner", "field": "runner_id", "code": "invalid" },
            "the runner is busy running a job"
        ],
        "documentation_url": "https://docs.github.com/rest/actions/self-hosted-runners"
    });
    Mock::given(method("DELETE"))
        .and(path("/orgs/acme/actions/runners/7"))
        .respond_with(ResponseTemplate::new(422).set_body_json(body))
        .mount(&server)
        .await;

    let err = client(&server).delete_self_hosted_runner_from_org("acme", 7).send().await.unwrap_err();
    let Error::Api(api) = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!(api.status, 422);
    let github = api.body.as_ref().expect("GitHub's error body");
    assert_eq!(github.message.as_deref(), Some("Validation Failed"));
    assert!(matches!(&github.errors[0], ErrorDetail::Field(field) if field.code.as_deref() == Some("invalid")));
    assert_eq!(github.errors[1], ErrorDetail::Message("the runner is busy running a job".to_owned()));
    let text = err.to_string();
    assert!(text.contains("Runner runner_id invalid") && text.contains("the runner is busy"), "{text}");
}

#[tokio::test]
async fn primary_rate_limit_reports_when_it_resets() {
    let server = MockServer::start().await;
    let reset = epoch_seconds() + 1800;
    let limited = ResponseTemplate::new(403)
        .insert_header("x-ratelimit-limit", "5000")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-used", "5000")
        .insert_header("x-ratelimit-resource", "core")
        .insert_header("x-ratelimit-reset", reset.to_string().as_str())
        .set_body_json(json!({ "message": "API rate limit exceeded for user ID 1." }));
    Mock::given(method("GET")).respond_with(limited).mount(&server).await;

    // Retries are on, but half an hour is beyond the policy's total wait: the error comes back at once.
    let client = builder(&server).retry(fast_retries(4)).build().unwrap();
    let started = Instant::now();
    let err = client.get_workflow_run("octo-org", "hello", 42).send().await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(requests(&server).await.len(), 1);
    let limit = err.rate_limit().unwrap_or_else(|| panic!("expected Error::RateLimited, got {err:?}"));
    assert_eq!(limit.kind, RateLimitKind::Primary);
    assert_eq!(limit.status, 403);
    assert_eq!(limit.reset_at.unwrap().timestamp(), reset as i64);
    assert!(limit.retry_after > Duration::from_secs(1790) && limit.retry_after <= Duration::from_secs(1800));
    assert_eq!((limit.limit, limit.remaining, limit.resource.as_deref()), (Some(5000), Some(0), Some("core")));
    assert!(err.to_string().contains("primary rate limit"), "{err}");
}

#[tokio::test]
async fn primary_rate_limit_is_waited_out_when_it_resets_within_the_budget() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429)
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", epoch_seconds().to_string().as_str());
    Mock::given(method("GET")).respond_with(limited).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(run(42, "main", "success")))
        .mount(&server)
        .await;

    let client = builder(&server).retry(fast_retries(3)).build().unwrap();
    let run = client.get_workflow_run("octo-org", "hello", 42).send().await.unwrap();
    assert_eq!(run.id, 42);
    assert_eq!(requests(&server).await.len(), 2);
}

/// The server answers `limited` to the first two GETs, then run 42.
async fn limited_twice_then_run_42(server: &MockServer, limited: ResponseTemplate) {
    Mock::given(method("GET")).respond_with(limited).up_to_n_times(2).mount(server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(run(42, "main", "success")))
        .mount(server)
        .await;
}

#[tokio::test]
async fn secondary_rate_limit_without_retry_after_waits_at_least_the_configured_minimum() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(403).insert_header("x-ratelimit-remaining", "4990").set_body_json(
        json!({ "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }),
    );
    limited_twice_then_run_42(&server, limited).await;

    // Without retries: the error says to wait a minute, GitHub's rule.
    let err = client(&server).get_workflow_run("octo-org", "hello", 42).send().await.unwrap_err();
    let limit = err.rate_limit().expect("a rate limit");
    assert_eq!((limit.kind, limit.retry_after), (RateLimitKind::Secondary, Duration::from_secs(60)));

    // With retries and the wait shortened for the test, it is waited out.
    let wait = Duration::from_millis(80);
    let client = builder(&server).retry(fast_retries(3)).secondary_rate_limit_wait(wait).build().unwrap();
    let started = Instant::now();
    client.get_workflow_run("octo-org", "hello", 42).send().await.unwrap();
    assert!(started.elapsed() >= wait, "waited only {:?}", started.elapsed());
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn secondary_rate_limit_honours_retry_after() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "1");
    limited_twice_then_run_42(&server, limited).await;

    let err = client(&server).get_workflow_run("octo-org", "hello", 42).send().await.unwrap_err();
    let limit = err.rate_limit().expect("a rate limit");
    assert_eq!((limit.kind, limit.retry_after), (RateLimitKind::Secondary, Duration::from_secs(1)));

    // Retry-After wins over the (shorter) configured default.
    let client =
        builder(&server).retry(fast_retries(3)).secondary_rate_limit_wait(Duration::from_millis(1)).build().unwrap();
    let started = Instant::now();
    client.get_workflow_run("octo-org", "hello", 42).send().await.unwrap();
    assert!(started.elapsed() >= Duration::from_secs(1), "waited only {:?}", started.elapsed());
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff_then_succeed() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(502)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(run(42, "main", "success")))
        .mount(&server)
        .await;

    let client = builder(&server).retry(fast_retries(3)).build().unwrap();
    let started = Instant::now();
    let run = client.get_workflow_run("octo-org", "hello", 42).send().await.unwrap();
    assert_eq!(run.id, 42);
    assert_eq!(requests(&server).await.len(), 3);
    // 10 ms, then 20 ms of backoff.
    assert!(started.elapsed() >= Duration::from_millis(30), "{:?}", started.elapsed());
}

#[tokio::test]
async fn server_errors_beyond_the_attempts_are_returned() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;

    let client = builder(&server).retry(fast_retries(2)).build().unwrap();
    let err = client.get_workflow_run("octo-org", "hello", 42).send().await.unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn non_idempotent_requests_are_retried_only_when_asked() {
    let server = MockServer::start().await;
    let rerun = "/repos/octo-org/hello/actions/runs/42/rerun";
    Mock::given(method("POST"))
        .and(path(rerun))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(rerun))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = builder(&server).retry(fast_retries(3)).build().unwrap();

    let err = client.re_run_workflow("octo-org", "hello", 42).send().await.unwrap_err();
    assert_eq!(err.status(), Some(http::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(requests(&server).await.len(), 1, "a POST is not retried by default");

    client.re_run_workflow("octo-org", "hello", 42).retry_non_idempotent().send().await.unwrap();
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn malformed_json_names_the_path_and_quotes_a_bounded_snippet() {
    let server = MockServer::start().await;
    let mut page = runs_page(&[1, 2], 2);
    page["workflow_runs"][1]["created_at"] = json!("yesterday");
    // Long enough that quoting all of it would flood a log.
    page["padding"] = json!("x".repeat(20_000));
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(page)).mount(&server).await;

    let err = client(&server).list_workflow_runs_for_repo("octo-org", "hello").send().await.unwrap_err();
    let Error::Decode(decode) = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert_eq!(decode.path, "workflow_runs[1].created_at");
    assert_eq!(decode.status, 200);
    assert_eq!(decode.operation, "actions/list-workflow-runs-for-repo");
    assert!(decode.snippet.len() <= 520 && decode.snippet.ends_with('…'), "{} bytes", decode.snippet.len());
    assert!(err.to_string().contains("workflow_runs[1].created_at"), "{err}");
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let server = MockServer::start().await;
    let full = serde_json::to_string(&runs_page(&[1, 2], 2)).unwrap();
    let cut = full[..full.len() / 2].to_owned();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(cut, "application/json"))
        .mount(&server)
        .await;

    let err = client(&server).list_workflow_runs_for_repo("octo-org", "hello").send().await.unwrap_err();
    let Error::Decode(decode) = &err else { panic!("expected Error::Decode, got {err:?}") };
    assert!(decode.message.contains("EOF"), "{}", decode.message);
}

#[tokio::test]
async fn a_body_cut_short_in_transfer_is_a_transport_error() {
    // A server that promises 5000 bytes, sends a few and hangs up.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n";
        let _ = socket.write_all(format!("{head}{{\"total_count\": 1, \"workflow_runs\": [").as_bytes()).await;
        let _ = socket.shutdown().await;
    });

    let client = github_actions_api::Client::builder().base_url(format!("http://{address}")).build().unwrap();
    let err = client.list_workflow_runs_for_repo("octo-org", "hello").send().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "expected Error::Transport, got {err:?}");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_after_the_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);

    let client = github_actions_api::Client::builder()
        .base_url(format!("http://{address}"))
        .retry(fast_retries(3))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.get_workflow_run("octo-org", "hello", 42).send().await.unwrap_err();
    let Error::Transport { operation, .. } = &err else { panic!("expected Error::Transport, got {err:?}") };
    assert_eq!(*operation, "actions/get-workflow-run");
    assert!(started.elapsed() >= Duration::from_millis(30), "backoff of 10 + 20 ms: {:?}", started.elapsed());
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_is_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(run(42, "main", "success")).set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;

    let timeout = Duration::from_millis(150);
    let client = builder(&server).timeout(timeout).retry(fast_retries(2)).build().unwrap();
    let started = Instant::now();
    let err = client.get_workflow_run("octo-org", "hello", 42).send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { after, .. } if after == timeout), "expected Error::Timeout, got {err:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
    assert_eq!(requests(&server).await.len(), 2, "a timed-out GET is retried");
}

#[tokio::test]
async fn dropping_a_call_cancels_its_retries() {
    let server = MockServer::start().await;
    let limited = ResponseTemplate::new(429).insert_header("retry-after", "1");
    Mock::given(method("GET")).respond_with(limited).mount(&server).await;

    let client = builder(&server).retry(fast_retries(5)).build().unwrap();
    let call = client.get_workflow_run("octo-org", "hello", 42);
    let outcome = tokio::time::timeout(Duration::from_millis(200), call.send()).await;
    assert!(outcome.is_err(), "the call was still waiting for its retry");
    tokio::time::sleep(Duration::from_millis(1300)).await;
    assert_eq!(requests(&server).await.len(), 1, "no retry after the future was dropped");
}

#[tokio::test]
async fn redirects_are_not_followed_and_downloads_never_carry_the_token() {
    let api = MockServer::start().await;
    let storage = MockServer::start().await;
    // Another host name for the same loopback address: `localhost` instead of `127.0.0.1`.
    let storage_url = storage.uri().replace("127.0.0.1", "localhost");
    let location = format!("{storage_url}/signed/logs.zip?sig=abc%2Bdef&expires=60");
    Mock::given(method("GET"))
        .and(path("/repos/octo-org/hello/actions/runs/42/logs"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&api)
        .await;
    // The storage host redirects once more (relative), then serves 3 MiB.
    Mock::given(method("GET"))
        .and(path("/signed/logs.zip"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/blobs/1"))
        .mount(&storage)
        .await;
    let archive: Vec<u8> = (0..3 * 1024 * 1024u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/blobs/1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(archive.clone(), "application/zip"))
        .mount(&storage)
        .await;

    let client = client(&api);
    let redirect = client.download_workflow_run_logs("octo-org", "hello", 42).send().await.unwrap();
    assert_eq!(redirect.location.as_str(), location);
    assert_eq!(requests(&api).await.len(), 1);
    assert!(requests(&storage).await.is_empty(), "the 302 was not followed");

    let mut buffer = Vec::new();
    let written = client.download_to(&redirect.location, &mut buffer).await.unwrap();
    assert_eq!(written, archive.len() as u64);
    assert!(buffer == archive, "the download is the archive");

    let file = std::env::temp_dir().join(format!("github-actions-api-download-{}.zip", std::process::id()));
    let written = client.download_to_file(&redirect.location, &file).await.unwrap();
    assert_eq!(written, archive.len() as u64);
    assert!(std::fs::read(&file).unwrap() == archive);
    std::fs::remove_file(&file).unwrap();

    let received = requests(&storage).await;
    assert_eq!(received.len(), 4);
    for request in &received {
        assert!(request.headers.get("authorization").is_none(), "the token went to {}", request.url);
        assert!(request.headers.get("x-github-api-version").is_none());
        assert_eq!(request.headers["user-agent"], github_actions_api::runtime::DEFAULT_USER_AGENT);
    }
}

#[tokio::test]
async fn a_failed_download_is_an_api_error_and_leaves_no_file() {
    let storage = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_raw("<Error><Code>AuthenticationFailed</Code></Error>", "application/xml"),
        )
        .mount(&storage)
        .await;

    let client = github_actions_api::Client::new(TOKEN).unwrap();
    let location = url::Url::parse(&format!("{}/expired.zip", storage.uri())).unwrap();
    let file = std::env::temp_dir().join(format!("github-actions-api-failed-{}.zip", std::process::id()));
    let err = client.download_to_file(&location, &file).await.unwrap_err();
    let Error::Api(api) = &err else { panic!("expected Error::Api, got {err:?}") };
    assert_eq!((api.operation, api.status.as_u16()), ("download", 403));
    assert!(api.snippet.contains("AuthenticationFailed"));
    assert!(!file.exists());
}

#[tokio::test]
async fn pagination_follows_link_across_three_pages_keeping_the_query() {
    let server = MockServer::start().await;
    let base = format!("{}{RUNS_PATH}", server.uri());
    let next = move |page: u32| {
        format!(
            "<{base}?branch=main&status=failure&per_page=2&page={page}>; rel=\"next\", <{base}?page=3>; rel=\"last\""
        )
    };
    for (page, ids, link) in
        [(None, [1, 2], Some(next(2))), (Some("2"), [3, 4], Some(next(3))), (Some("3"), [5, 6], None)]
    {
        let mut response = ResponseTemplate::new(200).set_body_json(runs_page(&ids, 6));
        if let Some(link) = link {
            response = response.insert_header("link", link.as_str());
        }
        let mock = Mock::given(method("GET")).and(path(RUNS_PATH)).and(query_param("status", "failure"));
        let mock = match page {
            Some(page) => mock.and(query_param("page", page)),
            None => mock.and(wiremock::matchers::query_param_is_missing("page")),
        };
        mock.respond_with(response).expect(1).mount(&server).await;
    }

    let client = client(&server);
    let mut runs = client
        .list_workflow_runs_for_repo("octo-org", "hello")
        .branch("main")
        .status(WorkflowRunStatus::Failure)
        .per_page(2)
        .into_stream();
    assert_eq!(runs.total_count(), None, "nothing fetched yet");
    let mut ids = Vec::new();
    while let Some(run) = runs.try_next().await.unwrap() {
        ids.push(run.id);
        assert_eq!(runs.total_count(), Some(6), "the first page's total_count");
    }
    assert_eq!(ids, [1, 2, 3, 4, 5, 6]);
    assert_eq!(runs.pages_fetched(), 3);
    for request in requests(&server).await {
        assert_eq!(request.headers["authorization"], format!("Bearer {TOKEN}").as_str());
    }
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_not_followed() {
    let server = MockServer::start().await;
    let elsewhere = "<https://attacker.example.com/collect?page=2>; rel=\"next\"";
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(&[1], 2)).insert_header("link", elsewhere))
        .mount(&server)
        .await;

    let stream = client(&server).list_workflow_runs_for_repo("octo-org", "hello").into_stream();
    let items: Vec<Result<i64, Error>> = stream.map(|item| item.map(|run| run.id)).collect().await;
    assert!(matches!(items.as_slice(), [Ok(1), Err(Error::Decode(decode))] if decode.path == "Link"), "{items:?}");
}

#[tokio::test]
async fn ghes_base_url_keeps_its_path_prefix_and_headers_are_configurable() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v3{RUN_PATH}")))
        .and(header("x-github-api-version", "2026-03-10"))
        .and(header("user-agent", "release-bot/2.1"))
        .and(header("accept", "application/vnd.github+json"))
        .and(header("x-request-source", "tests"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(run(42, "main", "success")))
        .expect(2)
        .mount(&server)
        .await;

    for base in [format!("{}/api/v3", server.uri()), format!("{}/api/v3/", server.uri())] {
        let client = builder(&server)
            .base_url(base)
            .api_version("2026-03-10")
            .user_agent("release-bot/2.1")
            .default_header(http::HeaderName::from_static("x-request-source"), http::HeaderValue::from_static("tests"))
            .build()
            .unwrap();
        let run = client.get_workflow_run("octo-org", "hello", 42).send().await.unwrap();
        assert_eq!(run.id, 42);
    }
}

#[tokio::test]
async fn parameters_are_encoded_and_invalid_ones_rejected_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(runs_page(&[], 0)))
        .mount(&server)
        .await;
    let client = client(&server);

    for owner in ["..", ".", ""] {
        let err = client.list_workflow_runs_for_repo(owner, "hello").send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidRequest { .. }), "{owner:?}: {err:?}");
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");

    client
        .list_workflow_runs_for_repo("../../x", "ci build.yml")
        .status(WorkflowRunStatus::ActionRequired)
        .exclude_pull_requests(false)
        .created(">=2024-01-01")
        .send()
        .await
        .unwrap();
    let received = requests(&server).await;
    let [request] = received.as_slice() else { panic!("{} requests", received.len()) };
    assert_eq!(request.url.path(), "/repos/..%2F..%2Fx/ci%20build.yml/actions/runs");
    assert_eq!(
        request.url.query(),
        Some("status=action_required&created=%3E%3D2024-01-01&exclude_pull_requests=false"),
        "wire values, in document order, optional ones left out"
    );
}

#[tokio::test]
async fn the_token_never_appears_in_debug_output_or_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({ "message": "Bad credentials" })))
        .mount(&server)
        .await;
    let client = client(&server);
    let err = client.get_workflow_run("octo-org", "hello", 42).send().await.unwrap_err();
    let secret = &TOKEN[4..];
    for text in [format!("{client:?}"), format!("{err:?}"), err.to_string(), format!("{:?}", builder(&server))] {
        assert!(!text.contains(secret), "the token leaked: {text}");
    }
    assert_eq!(spec_example("workflow-run")["id"], json!(30433642), "the spec's example run");
}

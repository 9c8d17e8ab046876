//! The HTTP client: configuration, authentication and sending a request with timeouts and retries.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::call::Call;
use super::rate_limit::{rate_limit, SECONDARY_RATE_LIMIT_WAIT};
use super::retry::{RetryPolicy, Verdict};
use super::{BaseUrl, Error, Operation};

/// The `User-Agent` sent unless [`ClientBuilder::user_agent`] says otherwise: `<crate>/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The REST API version requested unless [`ClientBuilder::api_version`] says otherwise.
pub const DEFAULT_API_VERSION: &str = "2022-11-28";

/// How long one attempt may take unless [`ClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A bearer token: a personal access token, or a GitHub App installation token the caller obtained. It is never
/// shown by `Debug`, and the `Authorization` header built from it is marked sensitive.
#[derive(Clone)]
pub struct Token(Arc<str>);

impl Token {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Token(Arc::from(token.into()))
    }

    /// The token itself, for callers that must hand it on; avoid logging it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl From<String> for Token {
    fn from(token: String) -> Self {
        Token::new(token)
    }
}

impl From<&str> for Token {
    fn from(token: &str) -> Self {
        Token::new(token)
    }
}

/// Sends operations to GitHub (or GitHub Enterprise Server) over one pool of reused connections.
///
/// Cheap to clone: clones share the connection pool and configuration. Every operation of the crate is a
/// method returning a [`Call`]: set its optional parameters, then `.send().await`, or `.into_stream()` for an
/// operation GitHub paginates.
///
/// ```no_run
/// # async fn run() -> Result<(), github_actions_api::Error> {
/// use github_actions_api::Client;
///
/// let client = Client::builder().token(std::env::var("GITHUB_TOKEN").unwrap_or_default()).build()?;
/// let runs = client.list_workflow_runs_for_repo("octo-org", "hello").branch("main").per_page(50).send().await?;
/// println!("{} runs", runs.total_count);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: BaseUrl,
    /// `Authorization: Bearer …`, marked sensitive; sent only to the base URL's origin.
    authorization: Option<http::HeaderValue>,
    /// `User-Agent`, sent with every request (downloads included).
    user_agent: http::HeaderValue,
    /// `Accept`, `X-GitHub-Api-Version` and the caller's extra headers; sent only to the base URL's origin, and
    /// only where the request does not set the header itself.
    api_headers: http::HeaderMap,
    timeout: Option<Duration>,
    retry: RetryPolicy,
    secondary_rate_limit_wait: Duration,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("Client")
            .field("base_url", &inner.base_url.as_url().as_str())
            .field("token", &inner.authorization.as_ref().map(|_| "<redacted>"))
            .field("user_agent", &inner.user_agent)
            .field("api_headers", &inner.api_headers)
            .field("timeout", &inner.timeout)
            .field("retry", &inner.retry)
            .field("secondary_rate_limit_wait", &inner.secondary_rate_limit_wait)
            .finish()
    }
}

impl Client {
    /// Starts configuring a client for `https://api.github.com`.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for `https://api.github.com` with `token`, otherwise default settings.
    pub fn new(token: impl Into<Token>) -> Result<Self, Error> {
        Client::builder().token(token).build()
    }

    /// The same client with another token (installation tokens expire after an hour), sharing the connection
    /// pool; `None` sends requests without authentication.
    pub fn with_token(&self, token: Option<Token>) -> Result<Self, Error> {
        let mut inner = Inner::clone_settings(&self.inner);
        inner.authorization = token.as_ref().map(authorization).transpose()?;
        Ok(Client { inner: Arc::new(inner) })
    }

    /// Where requests go.
    pub fn base_url(&self) -> &BaseUrl {
        &self.inner.base_url
    }

    /// The retry policy of calls made with this client.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// A call of any operation, for code that builds operations itself; the generated methods (such as
    /// `list_workflow_runs_for_repo`) are shortcuts for this.
    pub fn call<O: Operation>(&self, operation: O) -> Call<'_, O> {
        Call::new(self, operation)
    }

    /// Whether `url` is on the API's own origin (scheme, host and port), the only one that gets the token.
    pub(crate) fn is_api_origin(&self, url: &url::Url) -> bool {
        url.origin() == self.inner.base_url.as_url().origin()
    }

    pub(crate) fn timeout(&self) -> Option<Duration> {
        self.inner.timeout
    }

    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The headers a request to `url` gets from the client: `User-Agent` always; the token, `Accept`, the API
    /// version and the extra headers only on the API's origin. Headers the request already has are kept.
    pub(crate) fn apply_headers(&self, url: &url::Url, headers: &mut http::HeaderMap) {
        let inner = &*self.inner;
        if !headers.contains_key(http::header::USER_AGENT) {
            headers.insert(http::header::USER_AGENT, inner.user_agent.clone());
        }
        if !self.is_api_origin(url) {
            headers.remove(http::header::AUTHORIZATION);
            return;
        }
        if let Some(authorization) = &inner.authorization {
            if !headers.contains_key(http::header::AUTHORIZATION) {
                headers.insert(http::header::AUTHORIZATION, authorization.clone());
            }
        }
        for (name, value) in &inner.api_headers {
            if !headers.contains_key(name) {
                headers.insert(name.clone(), value.clone());
            }
        }
    }

    /// Sends `request` until it gets an answer worth returning: retries (as the policy allows) on connection
    /// errors, timeouts, `5xx` and rate limits. A rate limit that is not retried becomes [`Error::RateLimited`];
    /// any other status is returned for the operation to parse.
    pub(crate) async fn execute(
        &self,
        operation: &'static str,
        request: &http::Request<Vec<u8>>,
        retry_non_idempotent: bool,
    ) -> Result<http::Response<Bytes>, Error> {
        let policy = &self.inner.retry;
        let idempotent = is_idempotent(request.method()) || retry_non_idempotent;
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        loop {
            let outcome = match self.attempt(operation, request).await {
                Ok(response) => match rate_limit(operation, &response, self.inner.secondary_rate_limit_wait, now()) {
                    Some(limit) => Err(Error::RateLimited(Box::new(limit))),
                    None => Ok(response),
                },
                Err(error) => Err(error),
            };
            match policy.verdict(attempt, idempotent, waited, &outcome) {
                Verdict::Return => return outcome,
                Verdict::RetryAfter(wait) => {
                    // Dropping the future here cancels the wait and every later attempt.
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    attempt += 1;
                }
            }
        }
    }

    /// One attempt: send, read the whole body, within the timeout.
    async fn attempt(
        &self,
        operation: &'static str,
        request: &http::Request<Vec<u8>>,
    ) -> Result<http::Response<Bytes>, Error> {
        let request = self.to_reqwest(operation, request)?;
        let exchange = async {
            let response = self.inner.http.execute(request).await?;
            let status = response.status();
            let headers = response.headers().clone();
            let version = response.version();
            let body = response.bytes().await?;
            let mut response = http::Response::new(body);
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            *response.version_mut() = version;
            Ok::<_, reqwest::Error>(response)
        };
        let result = match self.inner.timeout {
            Some(after) => {
                tokio::time::timeout(after, exchange).await.map_err(|_| Error::Timeout { operation, after })?
            }
            None => exchange.await,
        };
        result.map_err(|err| transport(operation, err))
    }

    /// The request as reqwest sends it, with the client's headers.
    fn to_reqwest(&self, operation: &'static str, request: &http::Request<Vec<u8>>) -> Result<reqwest::Request, Error> {
        let url = url::Url::parse(&request.uri().to_string()).map_err(|err| Error::InvalidRequest {
            operation,
            message: format!("`{}` is not a valid URL: {err}", request.uri()),
        })?;
        let mut headers = request.headers().clone();
        self.apply_headers(&url, &mut headers);
        let mut outgoing = reqwest::Request::new(request.method().clone(), url);
        *outgoing.headers_mut() = headers;
        if !request.body().is_empty() {
            *outgoing.body_mut() = Some(reqwest::Body::from(request.body().clone()));
        }
        Ok(outgoing)
    }
}

impl Inner {
    fn clone_settings(inner: &Inner) -> Inner {
        Inner {
            http: inner.http.clone(),
            base_url: inner.base_url.clone(),
            authorization: inner.authorization.clone(),
            user_agent: inner.user_agent.clone(),
            api_headers: inner.api_headers.clone(),
            timeout: inner.timeout,
            retry: inner.retry.clone(),
            secondary_rate_limit_wait: inner.secondary_rate_limit_wait,
        }
    }
}

/// Methods whose repetition has the same effect as one request (RFC 9110), so a retry cannot do harm.
fn is_idempotent(method: &http::Method) -> bool {
    matches!(
        *method,
        http::Method::GET
            | http::Method::HEAD
            | http::Method::PUT
            | http::Method::DELETE
            | http::Method::OPTIONS
            | http::Method::TRACE
    )
}

fn now() -> SystemTime {
    SystemTime::now()
}

pub(crate) fn transport(operation: &'static str, err: reqwest::Error) -> Error {
    // reqwest's message names the URL; it never includes request headers, so the token cannot leak here.
    Error::Transport { operation, source: Box::new(err) }
}

fn authorization(token: &Token) -> Result<http::HeaderValue, Error> {
    let mut value = http::HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).map_err(|_| {
        Error::InvalidRequest {
            operation: "client",
            message: "the token contains characters a header cannot carry".to_owned(),
        }
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Configures a [`Client`]. Every setting has a default; [`ClientBuilder::build`] checks them all at once.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: Option<String>,
    token: Option<Token>,
    user_agent: String,
    api_version: String,
    timeout: Option<Duration>,
    headers: http::HeaderMap,
    retry: RetryPolicy,
    secondary_rate_limit_wait: Duration,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            token: None,
            user_agent: DEFAULT_USER_AGENT.to_owned(),
            api_version: DEFAULT_API_VERSION.to_owned(),
            timeout: Some(DEFAULT_TIMEOUT),
            headers: http::HeaderMap::new(),
            retry: RetryPolicy::default(),
            secondary_rate_limit_wait: SECONDARY_RATE_LIMIT_WAIT,
        }
    }
}

impl ClientBuilder {
    /// Where the API lives. Default `https://api.github.com`; for GitHub Enterprise Server
    /// `https://HOST/api/v3` (the path is kept as a prefix of every request path).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Authenticates every request to the API with `Authorization: Bearer <token>`. Without a token requests
    /// are anonymous (and get a much lower rate limit).
    pub fn token(mut self, token: impl Into<Token>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// `User-Agent` of every request; GitHub rejects requests without one. Default: [`DEFAULT_USER_AGENT`].
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// `X-GitHub-Api-Version` of every request. Default: [`DEFAULT_API_VERSION`]; GitHub Enterprise Server
    /// documents the versions it supports (for example `2026-03-10` for GHES 3.21).
    pub fn api_version(mut self, api_version: impl Into<String>) -> Self {
        self.api_version = api_version.into();
        self
    }

    /// How long one attempt may take, from sending the request to the end of the response body (for
    /// downloads: the longest pause between two chunks). Default: [`DEFAULT_TIMEOUT`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Lets attempts take as long as the server does.
    pub fn without_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Adds a header sent with every request to the API (not to download hosts), unless the request sets it
    /// itself. For example a `X-GitHub-Request-Id`-style correlation header, or a preview media type.
    pub fn default_header(mut self, name: http::HeaderName, value: http::HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// When to retry. Default: [`RetryPolicy::default`], which does not retry.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// How long to wait after a secondary rate limit that says neither `Retry-After` nor when the limit resets.
    /// Default: [`SECONDARY_RATE_LIMIT_WAIT`] (a minute, as GitHub asks); tests may shorten it.
    pub fn secondary_rate_limit_wait(mut self, wait: Duration) -> Self {
        self.secondary_rate_limit_wait = wait;
        self
    }

    /// The client, or [`Error::InvalidRequest`] naming the setting that cannot be used.
    pub fn build(self) -> Result<Client, Error> {
        let invalid = |message: String| Error::InvalidRequest { operation: "client", message };
        let base_url = match &self.base_url {
            Some(text) => BaseUrl::parse(text)?,
            None => BaseUrl::github(),
        };
        let user_agent = http::HeaderValue::from_str(&self.user_agent)
            .map_err(|_| invalid(format!("`{}` cannot be a User-Agent header", self.user_agent)))?;
        if self.user_agent.trim().is_empty() {
            return Err(invalid("the User-Agent may not be empty: GitHub rejects such requests".to_owned()));
        }
        let api_version = http::HeaderValue::from_str(&self.api_version)
            .map_err(|_| invalid(format!("`{}` cannot be an X-GitHub-Api-Version header", self.api_version)))?;
        let mut api_headers = http::HeaderMap::new();
        api_headers.insert(http::header::ACCEPT, http::HeaderValue::from_static("application/vnd.github+json"));
        api_headers.insert("x-github-api-version", api_version);
        for (name, value) in &self.headers {
            api_headers.insert(name.clone(), value.clone());
        }
        let authorization = self.token.as_ref().map(authorization).transpose()?;
        // Redirects are never followed: a `302` is an operation's answer (a download URL on another host), and
        // following it would carry the token along.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|err| transport("client", err))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                authorization,
                user_agent,
                api_headers,
                timeout: self.timeout,
                retry: self.retry,
                secondary_rate_limit_wait: self.secondary_rate_limit_wait,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_token() {
        let client = Client::builder().token("ghp_secret123").build().unwrap();
        let builder = Client::builder().token("ghp_secret123");
        for text in [format!("{client:?}"), format!("{builder:?}"), format!("{:?}", Token::new("ghp_secret123"))] {
            assert!(!text.contains("secret123"), "{text}");
            assert!(text.contains("redacted"), "{text}");
        }
    }

    #[test]
    fn token_goes_only_to_the_api_origin() {
        let client = Client::builder().base_url("https://ghe.example.com/api/v3").token("t").build().unwrap();
        let mut api = http::HeaderMap::new();
        client.apply_headers(&url::Url::parse("https://ghe.example.com/api/v3/x").unwrap(), &mut api);
        assert_eq!(api[http::header::AUTHORIZATION], "Bearer t");
        assert_eq!(api["x-github-api-version"], DEFAULT_API_VERSION);
        let mut other = http::HeaderMap::new();
        other.insert(http::header::AUTHORIZATION, http::HeaderValue::from_static("Bearer t"));
        client.apply_headers(&url::Url::parse("https://blob.example.net/logs.zip").unwrap(), &mut other);
        assert!(!other.contains_key(http::header::AUTHORIZATION));
        assert!(!other.contains_key("x-github-api-version"));
        assert_eq!(other[http::header::USER_AGENT], DEFAULT_USER_AGENT);
        let mut other_port = http::HeaderMap::new();
        client.apply_headers(&url::Url::parse("https://ghe.example.com:8443/api/v3/x").unwrap(), &mut other_port);
        assert!(!other_port.contains_key(http::header::AUTHORIZATION));
    }

    #[test]
    fn bad_settings_are_reported_by_build() {
        assert!(Client::builder().base_url("ftp://x").build().is_err());
        assert!(Client::builder().user_agent("").build().is_err());
        assert!(Client::builder().user_agent("bad\nagent").build().is_err());
        let err = Client::builder().token("bad\ntoken-secret").build().unwrap_err().to_string();
        assert!(!err.contains("token-secret"), "{err}");
    }
}

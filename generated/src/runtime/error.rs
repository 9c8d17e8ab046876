//! The one error type callers match on.

use std::fmt;
use std::time::Duration;

/// Everything that can go wrong building a request or reading a response.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// GitHub answered with a status the operation does not document as a success (404, 422, …), with the
    /// error body GitHub sent.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A success response whose body does not match the documented schema.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The request could not be built from the given parameters; nothing was sent.
    #[error("invalid request for {operation}: {message}")]
    InvalidRequest {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What is wrong with which parameter.
        message: String,
    },
    /// GitHub refused the request because a primary or secondary rate limit was hit (a `403` or `429` that says
    /// so); [`RateLimitError::retry_after`] says how long to wait.
    #[error("{0}")]
    RateLimited(Box<RateLimitError>),
    /// No complete response arrived in time (the client's timeout, per attempt).
    #[error("{operation}: no complete response within {after:?}")]
    Timeout {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The timeout that elapsed.
        after: Duration,
    },
    /// The request could not be sent or the response not received: DNS, connection refused or reset, TLS, a
    /// body cut short.
    #[error("{operation}: transport error: {source}")]
    Transport {
        /// The operation's `operationId`.
        operation: &'static str,
        /// What the HTTP stack reported.
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// Writing downloaded content to the caller's writer or file failed.
    #[error("{operation}: cannot write the download: {source}")]
    Io {
        /// The operation (`download`).
        operation: &'static str,
        /// What the writer reported.
        source: std::io::Error,
    },
}

impl Error {
    /// The HTTP status, for [`Error::Api`], [`Error::Decode`] and [`Error::RateLimited`].
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::RateLimited(limit) => Some(limit.status),
            Error::InvalidRequest { .. } | Error::Timeout { .. } | Error::Transport { .. } | Error::Io { .. } => None,
        }
    }

    /// The rate limit that refused the request, for [`Error::RateLimited`].
    pub fn rate_limit(&self) -> Option<&RateLimitError> {
        match self {
            Error::RateLimited(limit) => Some(limit),
            _ => None,
        }
    }
}

/// Which of GitHub's rate limits refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateLimitKind {
    /// The hourly request budget is spent (`x-ratelimit-remaining: 0`); it refills at `x-ratelimit-reset`.
    Primary,
    /// A secondary limit (too many concurrent requests, too much CPU time, too many writes, …).
    Secondary,
}

/// A `403`/`429` answer that says a rate limit was hit, read the way GitHub documents: `Retry-After` first, then
/// `x-ratelimit-remaining: 0` with `x-ratelimit-reset`, otherwise (a secondary limit without either header) wait
/// at least a minute.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RateLimitError {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// `403` or `429`.
    pub status: http::StatusCode,
    /// Primary or secondary limit.
    pub kind: RateLimitKind,
    /// How long to wait, from when the response arrived, before trying again.
    pub retry_after: Duration,
    /// When the primary limit refills (`x-ratelimit-reset`), if GitHub said.
    pub reset_at: Option<chrono::DateTime<chrono::Utc>>,
    /// `x-ratelimit-limit`: requests allowed per hour.
    pub limit: Option<u64>,
    /// `x-ratelimit-remaining`.
    pub remaining: Option<u64>,
    /// `x-ratelimit-resource`: which budget (`core`, `search`, …).
    pub resource: Option<String>,
    /// GitHub's error body, if it was one.
    pub body: Option<GitHubError>,
    /// The response headers.
    pub headers: http::HeaderMap,
}

impl fmt::Display for RateLimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            RateLimitKind::Primary => "primary",
            RateLimitKind::Secondary => "secondary",
        };
        write!(f, "{} answered {}: {kind} rate limit", self.operation, self.status)?;
        if let Some(resource) = &self.resource {
            write!(f, " ({resource})")?;
        }
        write!(f, ", retry after {} s", self.retry_after.as_secs_f64().ceil())?;
        if let Some(reset_at) = &self.reset_at {
            write!(f, " (resets at {})", reset_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))?;
        }
        if let Some(message) = self.body.as_ref().and_then(|body| body.message.as_deref()) {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

/// A response with a status the operation does not treat as success.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiError {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The status GitHub answered with.
    pub status: http::StatusCode,
    /// GitHub's error body, if it was one (`message`, `documentation_url`, `errors`).
    pub body: Option<GitHubError>,
    /// The response headers (rate-limit headers among them).
    pub headers: http::HeaderMap,
    /// The start of the raw body, for bodies that are not GitHub's error JSON.
    pub snippet: String,
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered {}", self.operation, self.status)?;
        match &self.body {
            Some(body) => {
                if let Some(message) = &body.message {
                    write!(f, ": {message}")?;
                }
                for detail in &body.errors {
                    write!(f, "; {detail}")?;
                }
                if let Some(url) = &body.documentation_url {
                    write!(f, " (see {url})")?;
                }
                Ok(())
            }
            None if !self.snippet.is_empty() => write!(f, ": {}", self.snippet),
            None => Ok(()),
        }
    }
}

/// The JSON body GitHub sends with errors (`basic-error`, `validation-error` and `validation-error-simple`).
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct GitHubError {
    /// Human-readable message.
    #[serde(default)]
    pub message: Option<String>,
    /// Link to the documentation of the endpoint or error.
    #[serde(default)]
    pub documentation_url: Option<String>,
    /// The status again, as some error bodies carry it.
    #[serde(default)]
    pub status: Option<String>,
    /// Details of a validation failure (422).
    #[serde(default)]
    pub errors: Vec<ErrorDetail>,
}

/// One entry of `errors` in a validation-failed response.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ErrorDetail {
    /// A structured error about one field.
    Field(FieldError),
    /// A plain message (`validation-error-simple`).
    Message(String),
}

impl fmt::Display for ErrorDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorDetail::Message(message) => f.write_str(message),
            ErrorDetail::Field(field) => {
                let parts = [&field.resource, &field.field, &field.code, &field.message];
                let parts: Vec<&str> = parts.iter().filter_map(|part| part.as_deref()).collect();
                f.write_str(&parts.join(" "))
            }
        }
    }
}

/// A structured validation error.
#[derive(Debug, Clone, Default, PartialEq, serde::Deserialize)]
#[non_exhaustive]
pub struct FieldError {
    /// The kind of resource.
    #[serde(default)]
    pub resource: Option<String>,
    /// The field that failed.
    #[serde(default)]
    pub field: Option<String>,
    /// GitHub's error code (`missing`, `missing_field`, `invalid`, `already_exists`, `unprocessable`, `custom`).
    #[serde(default)]
    pub code: Option<String>,
    /// Message, for `custom` errors.
    #[serde(default)]
    pub message: Option<String>,
}

/// A body that does not decode into the documented type.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct DecodeError {
    /// The operation's `operationId`.
    pub operation: &'static str,
    /// The response status.
    pub status: http::StatusCode,
    /// JSON path of the value that failed, e.g. `workflow_runs[3].created_at`.
    pub path: String,
    /// What serde said.
    pub message: String,
    /// The start of the body, for context.
    pub snippet: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response of {} at `{}`: {} (body starts: {})",
            self.status, self.operation, self.path, self.message, self.snippet
        )
    }
}

/// At most `limit` bytes of `body` as text, cut at a character boundary, marked when cut.
pub(crate) fn snippet(body: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(limit)]).into_owned();
    if body.len() > limit {
        format!("{text}…")
    } else {
        text
    }
}

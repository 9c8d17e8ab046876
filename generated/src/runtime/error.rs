//! The one error type callers match on.

use std::fmt;

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
}

impl Error {
    /// The HTTP status, for [`Error::Api`] and [`Error::Decode`].
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::Decode(decode) => Some(decode.status),
            Error::InvalidRequest { .. } => None,
        }
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

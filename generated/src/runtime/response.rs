//! Reading responses: JSON bodies with the path of what failed, redirects, and GitHub's error bodies.

use bytes::Bytes;

use super::error::snippet;
use super::{ApiError, DecodeError, Error, GitHubError};

/// How much of a body an error message quotes.
const SNIPPET_LIMIT: usize = 512;

/// A `302 Found` answer: where to download the content (logs, artifact archives). The URL is short-lived and
/// usually on another host; it is not followed automatically, so credentials are never sent there by accident.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Redirect {
    /// The `Location` header.
    pub location: url::Url,
}

/// Decodes a JSON body into `T`; on failure the error names the JSON path that did not fit and quotes the start
/// of the body.
pub fn decode_json<T: serde::de::DeserializeOwned>(
    operation: &'static str,
    response: &http::Response<Bytes>,
) -> Result<T, Error> {
    let body = response.body();
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let message = err.inner().to_string();
        Error::Decode(Box::new(DecodeError {
            operation,
            status: response.status(),
            path: error_path(&err.path().to_string(), &message),
            message,
            snippet: snippet(body, SNIPPET_LIMIT),
        }))
    })
}

/// The JSON path of a decoding error. serde reports a missing field at the object that lacks it (`.` for the
/// body itself); the path names the field instead (`workflow_runs[0].display_title`).
fn error_path(path: &str, message: &str) -> String {
    let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split_once('`')).map(|(field, _)| field);
    match missing {
        Some(field) if path == "." => field.to_owned(),
        Some(field) => format!("{path}.{field}"),
        None => path.to_owned(),
    }
}

/// Reads a `text/…` body; one that is not UTF-8 is a decode error.
pub fn decode_text(operation: &'static str, response: &http::Response<Bytes>) -> Result<String, Error> {
    String::from_utf8(response.body().to_vec()).map_err(|err| {
        Error::Decode(Box::new(DecodeError {
            operation,
            status: response.status(),
            path: String::new(),
            message: format!("the text body is not UTF-8: {err}"),
            snippet: snippet(response.body(), SNIPPET_LIMIT),
        }))
    })
}

/// Reads the `Location` of a redirect.
pub fn redirect(operation: &'static str, response: &http::Response<Bytes>) -> Result<Redirect, Error> {
    let decode_error = |message: String| {
        Error::Decode(Box::new(DecodeError {
            operation,
            status: response.status(),
            path: "Location".to_owned(),
            message,
            snippet: String::new(),
        }))
    };
    let location = response
        .headers()
        .get(http::header::LOCATION)
        .ok_or_else(|| decode_error("the redirect has no `Location` header".to_owned()))?;
    let location = location.to_str().map_err(|_| decode_error("`Location` is not ASCII text".to_owned()))?;
    let location =
        url::Url::parse(location).map_err(|err| decode_error(format!("`{location}` is not a URL: {err}")))?;
    Ok(Redirect { location })
}

/// The error for a status the operation does not treat as success, with GitHub's error body when there is one.
pub fn error_response(operation: &'static str, response: http::Response<Bytes>) -> Error {
    let (parts, body) = response.into_parts();
    let parsed = serde_json::from_slice::<GitHubError>(&body).ok();
    Error::Api(Box::new(ApiError {
        operation,
        status: parts.status,
        body: parsed,
        headers: parts.headers,
        snippet: snippet(&body, SNIPPET_LIMIT),
    }))
}

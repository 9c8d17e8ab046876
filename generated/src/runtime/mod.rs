//! The hand-written part of the crate: what every generated operation builds on.
//!
//! This directory is the only hand-written code in the crate; `cargo xtask regen` never touches it. Generated
//! operations implement [`Operation`]: they build an [`http::Request`] with [`RequestBuilder`] (path segments
//! percent-encoded one by one, so a parameter can never change which URL is requested) and parse an
//! [`http::Response`] with [`decode_json`], [`redirect`] and [`error_response`], which turn every documented
//! status into a typed result and everything else into an [`Error`].

mod error;
mod request;
mod response;

pub use error::{ApiError, DecodeError, Error, ErrorDetail, FieldError, GitHubError};
pub use request::{BaseUrl, ParamValue, QueryValues, RequestBuilder, Segment};
pub use response::{decode_json, error_response, redirect, Redirect};

/// One API operation: how to build its request and how to read its response. Implemented by every request
/// builder in [`crate::operations`]; no I/O happens here, so any HTTP stack can send the request.
pub trait Operation {
    /// What a successful response decodes to: a model, [`Redirect`], `()` for a response without body, or an
    /// enum by status when several success statuses are documented.
    type Output;
    /// GitHub's `operationId`, e.g. `actions/list-workflow-runs-for-repo`.
    const ID: &'static str;
    /// HTTP method.
    const METHOD: http::Method;
    /// Path template as documented, e.g. `/repos/{owner}/{repo}/actions/runs`.
    const PATH: &'static str;

    /// The request to send, relative to `base_url`. Fails without side effects when a parameter cannot be
    /// encoded (for example a path segment of `..`).
    fn build_request(&self, base_url: &BaseUrl) -> Result<http::Request<Vec<u8>>, Error>;

    /// Reads a response: each documented success status decodes into [`Operation::Output`]; any other status
    /// becomes [`Error::Api`].
    fn parse_response(response: http::Response<bytes::Bytes>) -> Result<Self::Output, Error>;
}

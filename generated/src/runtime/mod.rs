//! The hand-written part of the crate: what every generated operation builds on.
//!
//! This directory is the only hand-written code in the crate; `cargo xtask regen` never touches it. Generated
//! operations implement [`Operation`]: they build an [`http::Request`] with [`RequestBuilder`] (path segments
//! percent-encoded one by one, so a parameter can never change which URL is requested) and parse an
//! [`http::Response`] with [`decode_json`], [`decode_text`], [`redirect`] and [`error_response`], which turn every documented
//! status into a typed result and everything else into an [`Error`]. Operations GitHub paginates also implement
//! [`Paginated`]; [`next_link`] finds the next page and [`rate_limit()`] reads rate-limit answers. None of that
//! does I/O, so any HTTP stack can send the requests.
//!
//! With the `client` feature (on by default), `Client` sends them with reqwest: every operation is a method
//! returning a `Call` (`client.list_workflow_runs_for_repo("octo", "hello").branch("main").send().await`),
//! paginated ones stream their items across pages (`Call::into_stream`), failures are retried as a
//! `RetryPolicy` allows, and `Client::download_to` fetches what a [`Redirect`] points at. The client lives in
//! `client.rs`, `call.rs`, `retry.rs` and `download.rs`; everything else here works without it.

mod error;
mod nullable;
mod paginate;
mod rate_limit;
mod request;
mod response;

#[cfg(feature = "client")]
mod call;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod download;
#[cfg(feature = "client")]
mod retry;

pub use error::{ApiError, DecodeError, Error, ErrorDetail, FieldError, GitHubError, RateLimitError, RateLimitKind};
pub use nullable::Nullable;
pub use paginate::{next_link, Page, Paginated};
pub use rate_limit::{rate_limit, SECONDARY_RATE_LIMIT_WAIT};
pub use request::{BaseUrl, ParamValue, QueryValues, RequestBuilder, Segment};
pub use response::{decode_json, decode_text, error_response, redirect, Redirect};

#[cfg(feature = "client")]
pub use call::{Call, Items};
#[cfg(feature = "client")]
pub use client::{Client, ClientBuilder, Token, DEFAULT_API_VERSION, DEFAULT_TIMEOUT, DEFAULT_USER_AGENT};
#[cfg(feature = "client")]
pub use retry::RetryPolicy;

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

//! Downloading what a `302` points at (run logs, job logs, artifact archives), chunk by chunk.

use std::path::Path;
use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::client::transport;
use super::error::snippet;
use super::{ApiError, Client, Error, GitHubError};

/// The operation name download errors carry.
const DOWNLOAD: &str = "download";

/// How many redirects a download follows before giving up.
const MAX_REDIRECTS: usize = 10;

/// How much of an error body a download reads.
const ERROR_BODY_LIMIT: usize = 4096;

impl Client {
    /// Streams the content at `location` (the [`Redirect::location`](super::Redirect::location) an operation
    /// such as `download_workflow_run_logs` returned) into `writer`, one chunk at a time, and returns the number
    /// of bytes written. The archive is never held in memory.
    ///
    /// The token goes only to the API's own origin: a location on another host (GitHub's are short-lived signed
    /// URLs on storage hosts) gets no `Authorization` header, nor do further redirects to other hosts. The
    /// client's timeout bounds the wait for the response and the pause between two chunks, not the whole
    /// transfer. Downloads are not retried (the URL expires within minutes; fetch a new one instead).
    pub async fn download_to<W>(&self, location: &url::Url, writer: &mut W) -> Result<u64, Error>
    where
        W: AsyncWrite + Unpin + ?Sized,
    {
        let mut response = self.open_download(location).await?;
        let mut written = 0u64;
        while let Some(chunk) = self.within_timeout(response.chunk()).await? {
            writer.write_all(&chunk).await.map_err(|source| Error::Io { operation: DOWNLOAD, source })?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(|source| Error::Io { operation: DOWNLOAD, source })?;
        Ok(written)
    }

    /// Like [`Client::download_to`], into a file at `path` (created or truncated). On failure the partial file
    /// is removed.
    pub async fn download_to_file(&self, location: &url::Url, path: impl AsRef<Path>) -> Result<u64, Error> {
        let path = path.as_ref();
        let mut file =
            tokio::fs::File::create(path).await.map_err(|source| Error::Io { operation: DOWNLOAD, source })?;
        let result = self.download_to(location, &mut file).await;
        drop(file);
        if result.is_err() {
            let _ = tokio::fs::remove_file(path).await;
        }
        result
    }

    /// Sends the GET, following redirects by hand so each hop decides on its own whether it gets the token.
    async fn open_download(&self, location: &url::Url) -> Result<reqwest::Response, Error> {
        let mut url = location.clone();
        for _ in 0..=MAX_REDIRECTS {
            let mut request = reqwest::Request::new(http::Method::GET, url.clone());
            self.apply_headers(&url, request.headers_mut());
            if self.is_api_origin(&url) {
                // The API's own origin may answer with the content itself; accept anything.
                request.headers_mut().insert(http::header::ACCEPT, http::HeaderValue::from_static("*/*"));
            }
            let response = self.within_timeout(self.http().execute(request)).await?;
            let status = response.status();
            if status.is_redirection() {
                let next = response
                    .headers()
                    .get(http::header::LOCATION)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| url.join(value).ok());
                match next {
                    Some(next) => {
                        url = next;
                        continue;
                    }
                    None => return Err(self.download_error(response).await),
                }
            }
            if !status.is_success() {
                return Err(self.download_error(response).await);
            }
            return Ok(response);
        }
        Err(Error::Transport {
            operation: DOWNLOAD,
            source: format!("more than {MAX_REDIRECTS} redirects from `{location}`").into(),
        })
    }

    /// Awaits `future` within the client's timeout.
    async fn within_timeout<T>(
        &self,
        future: impl std::future::Future<Output = Result<T, reqwest::Error>>,
    ) -> Result<T, Error> {
        let result = match self.timeout() {
            Some(after) => tokio::time::timeout(after, future).await.map_err(|_| timeout(after))?,
            None => future.await,
        };
        result.map_err(|err| transport(DOWNLOAD, err))
    }

    /// [`Error::Api`] for a download answered with an error status, quoting the start of the body.
    async fn download_error(&self, mut response: reqwest::Response) -> Error {
        let status = response.status();
        let headers = response.headers().clone();
        let mut body = Vec::new();
        while body.len() < ERROR_BODY_LIMIT {
            match self.within_timeout(response.chunk()).await {
                Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                _ => break,
            }
        }
        Error::Api(Box::new(ApiError {
            operation: DOWNLOAD,
            status,
            body: serde_json::from_slice::<GitHubError>(&body).ok(),
            headers,
            snippet: snippet(&body, 512),
        }))
    }
}

fn timeout(after: Duration) -> Error {
    Error::Timeout { operation: DOWNLOAD, after }
}

//! A call of one operation on a [`Client`]: set optional parameters, then send it or stream its pages.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::paginate::{next_link, Page, Paginated};
use super::{Client, DecodeError, Error, Operation};

/// One operation about to be sent with a [`Client`]. The client's generated methods (one per operation, named
/// after its `operationId`) return it with the required parameters filled in; optional parameters are methods
/// of the call. Nothing is sent until [`Call::send`] (or [`Call::into_stream`]) is awaited.
#[must_use = "a call does nothing until it is sent: `.send().await`"]
#[derive(Debug, Clone)]
pub struct Call<'c, O> {
    client: &'c Client,
    operation: O,
    retry_non_idempotent: bool,
}

impl<'c, O: Operation> Call<'c, O> {
    /// A call of `operation` on `client`; the same as [`Client::call`].
    pub fn new(client: &'c Client, operation: O) -> Self {
        Call { client, operation, retry_non_idempotent: false }
    }

    /// The request builder, with every parameter set so far.
    pub fn operation(&self) -> &O {
        &self.operation
    }

    /// The request builder, e.g. to send it with another HTTP stack.
    pub fn into_operation(self) -> O {
        self.operation
    }

    /// Lets the client's retry policy retry this call even if its method is not idempotent (`POST`, `PATCH`):
    /// for operations known to be safe to repeat, such as re-running a workflow that has finished.
    pub fn retry_non_idempotent(mut self) -> Self {
        self.retry_non_idempotent = true;
        self
    }

    /// Applies a setter of the operation; used by the generated parameter methods.
    pub(crate) fn map_operation(mut self, set: impl FnOnce(O) -> O) -> Self {
        self.operation = set(self.operation);
        self
    }

    /// Sends the request (retrying as the client's [`RetryPolicy`](super::RetryPolicy) allows) and decodes the
    /// answer: the documented type for each success status, [`Error`] otherwise. A `302` is not followed: the
    /// output is the [`Redirect`](super::Redirect), whose content [`Client::download_to`] fetches.
    pub async fn send(&self) -> Result<O::Output, Error> {
        let request = self.operation.build_request(self.client.base_url())?;
        let response = self.client.execute(O::ID, &request, self.retry_non_idempotent).await?;
        O::parse_response(response)
    }
}

impl<O> Call<'_, O>
where
    O: Paginated + Send + 'static,
    O::Item: Send + 'static,
{
    /// Every item across all pages, fetched one page at a time as the stream is polled, by following each
    /// response's `Link: rel="next"`. The first error ends the stream. Set `per_page` (up to 100) to make fewer
    /// requests.
    ///
    /// ```no_run
    /// # async fn run(client: github_actions_api::Client) -> Result<(), github_actions_api::Error> {
    /// use futures_util::TryStreamExt;
    ///
    /// let mut runs = client.list_workflow_runs_for_repo("octo-org", "hello").per_page(100).into_stream();
    /// while let Some(run) = runs.try_next().await? {
    ///     println!("{} {:?}", run.id, run.conclusion);
    /// }
    /// println!("{:?} runs in all", runs.total_count());
    /// # Ok(()) }
    /// ```
    pub fn into_stream(self) -> Items<O> {
        let first = self.operation.build_request(self.client.base_url());
        Items {
            client: self.client.clone(),
            retry_non_idempotent: self.retry_non_idempotent,
            next: Some(first),
            buffer: VecDeque::new(),
            total_count: None,
            pages: 0,
            pending: None,
        }
    }
}

/// What fetching one page yields: its items and total, then the request for the next page (or why there is none
/// to follow, reported after the page's items).
type PageResult<T> = Result<(Page<T>, Option<Result<http::Request<Vec<u8>>, Error>>), Error>;

/// The page being fetched.
type PendingPage<T> = Pin<Box<dyn Future<Output = PageResult<T>> + Send>>;

/// A [`Stream`](futures_core::Stream) of the items of a paginated operation, across all pages; see
/// [`Call::into_stream`].
#[must_use = "streams do nothing unless polled"]
pub struct Items<O: Paginated> {
    client: Client,
    retry_non_idempotent: bool,
    /// The request for the next page (the first one may have failed to build); `None` after the last page.
    next: Option<Result<http::Request<Vec<u8>>, Error>>,
    buffer: VecDeque<O::Item>,
    total_count: Option<i64>,
    pages: u64,
    pending: Option<PendingPage<O::Item>>,
}

// Nothing in `Items` is pinned structurally: the only future is boxed.
impl<O: Paginated> Unpin for Items<O> {}

impl<O: Paginated> Items<O> {
    /// `total_count` of the first page: how many items GitHub says there are across all pages. `None` before the
    /// first page arrived, and for operations whose pages are plain arrays.
    pub fn total_count(&self) -> Option<i64> {
        self.total_count
    }

    /// How many pages have been fetched so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }
}

impl<O> std::fmt::Debug for Items<O>
where
    O: Paginated,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Items")
            .field("operation", &O::ID)
            .field("pages_fetched", &self.pages)
            .field("buffered", &self.buffer.len())
            .field("total_count", &self.total_count)
            .field("done", &(self.next.is_none() && self.pending.is_none()))
            .finish()
    }
}

impl<O> futures_core::Stream for Items<O>
where
    O: Paginated + Send + 'static,
    O::Item: Send + 'static,
{
    type Item = Result<O::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some(pending) = &mut this.pending {
                let result = match pending.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(result) => result,
                };
                this.pending = None;
                match result {
                    Ok((page, next)) => {
                        if this.pages == 0 {
                            this.total_count = page.total_count;
                        }
                        this.pages += 1;
                        this.buffer.extend(page.items);
                        this.next = next;
                        continue;
                    }
                    Err(error) => {
                        this.next = None;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
            }
            match this.next.take() {
                None => return Poll::Ready(None),
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                Some(Ok(request)) => {
                    this.pending =
                        Some(Box::pin(fetch_page::<O>(this.client.clone(), request, this.retry_non_idempotent)));
                }
            }
        }
    }
}

/// Fetches one page and prepares the request for the next: the same request (method, headers, body) sent to
/// the `Link: rel="next"` URL. A next link on another origin is refused (after this page's items) rather than
/// sent the token.
async fn fetch_page<O: Paginated>(
    client: Client,
    request: http::Request<Vec<u8>>,
    retry_non_idempotent: bool,
) -> PageResult<O::Item> {
    let response = client.execute(O::ID, &request, retry_non_idempotent).await?;
    let current = url::Url::parse(&request.uri().to_string()).ok();
    let next = current.as_ref().and_then(|current| next_link(response.headers(), current));
    let status = response.status();
    let page = O::into_page(O::parse_response(response)?);
    let Some(next) = next else {
        return Ok((page, None));
    };
    if current.as_ref() == Some(&next) {
        // A page that links to itself would loop forever.
        return Ok((page, None));
    }
    if !client.is_api_origin(&next) {
        let refused = Error::Decode(Box::new(DecodeError {
            operation: O::ID,
            status,
            path: "Link".to_owned(),
            message: format!("the next page `{next}` is not on the API's origin; not following it"),
            snippet: String::new(),
        }));
        return Ok((page, Some(Err(refused))));
    }
    let mut next_request = request;
    let next_request = match next.as_str().parse() {
        Ok(uri) => {
            *next_request.uri_mut() = uri;
            Ok(next_request)
        }
        Err(err) => Err(Error::InvalidRequest {
            operation: O::ID,
            message: format!("the next page `{next}` is not a valid request URI: {err}"),
        }),
    };
    Ok((page, Some(next_request)))
}

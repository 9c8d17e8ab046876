//! When to try a request again, and how long to wait first.

use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::rate_limit::parse_retry_after;
use super::Error;

/// When a [`Client`](super::Client) sends a request again. Retries are opt-in: the default policy makes one
/// attempt. [`RetryPolicy::standard`] is a reasonable start.
///
/// With more than one attempt allowed, a request is retried after a connection error, a timeout or a `5xx`
/// answer (with exponential backoff, or the server's `Retry-After`), and after a rate limit (waiting as
/// long as GitHub asks), as long as the total wait stays within [`RetryPolicy::max_total_wait`]. Only idempotent
/// requests (`GET`, `PUT`, `DELETE`, …) are retried unless [`RetryPolicy::retry_non_idempotent`] is set, or
/// `Call::retry_non_idempotent` for one call. Waiting happens inside the call's future: dropping it stops
/// everything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    max_total_wait: Duration,
    initial_backoff: Duration,
    max_backoff: Duration,
    rate_limits: bool,
    non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// One attempt, no retries.
    fn default() -> Self {
        RetryPolicy::never()
    }
}

/// What to do with the outcome of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Hand it to the caller.
    Return,
    /// Wait this long, then try again.
    RetryAfter(Duration),
}

impl RetryPolicy {
    /// One attempt: every failure goes straight to the caller.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            max_total_wait: Duration::ZERO,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            rate_limits: true,
            non_idempotent: false,
        }
    }

    /// Up to 4 attempts, backoff from 1 s doubling up to 30 s, waiting for rate limits, at most 2 minutes of
    /// waiting in all.
    pub fn standard() -> Self {
        RetryPolicy {
            max_attempts: 4,
            max_total_wait: Duration::from_secs(120),
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            rate_limits: true,
            non_idempotent: false,
        }
    }

    /// At most this many attempts in all (`1`: no retries).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// At most this much waiting between attempts in all: a retry that would wait longer is not made, and the
    /// failure (for example [`Error::RateLimited`] with a reset an hour away) is returned at once.
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Backoff after connection errors, timeouts and `5xx`: `initial` before the first retry, doubling up to
    /// `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Whether to wait out rate limits (default `true` once retries are allowed).
    pub fn wait_for_rate_limits(mut self, wait: bool) -> Self {
        self.rate_limits = wait;
        self
    }

    /// Also retry `POST` and `PATCH` requests, which may then take effect twice.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.non_idempotent = retry;
        self
    }

    /// The configured maximum number of attempts.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The configured maximum total wait.
    pub fn total_wait(&self) -> Duration {
        self.max_total_wait
    }

    /// Whether to try again after attempt number `attempt` (from 1) ended with `outcome`, having waited `waited`
    /// so far. `idempotent` is whether the request may be repeated.
    pub(crate) fn verdict(
        &self,
        attempt: u32,
        idempotent: bool,
        waited: Duration,
        outcome: &Result<http::Response<Bytes>, Error>,
    ) -> Verdict {
        if attempt >= self.max_attempts || !(idempotent || self.non_idempotent) {
            return Verdict::Return;
        }
        let backoff = || {
            let factor = 2u32.saturating_pow(attempt - 1);
            self.initial_backoff.saturating_mul(factor).min(self.max_backoff)
        };
        let wait = match outcome {
            Ok(response) if response.status().is_server_error() => {
                let retry_after = response
                    .headers()
                    .get(http::header::RETRY_AFTER)
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| parse_retry_after(value.trim(), SystemTime::now()));
                retry_after.unwrap_or_else(backoff)
            }
            Ok(_) => return Verdict::Return,
            Err(Error::RateLimited(limit)) if self.rate_limits => limit.retry_after,
            Err(Error::Timeout { .. } | Error::Transport { .. }) => backoff(),
            Err(_) => return Verdict::Return,
        };
        if waited.saturating_add(wait) > self.max_total_wait {
            return Verdict::Return;
        }
        Verdict::RetryAfter(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> Result<http::Response<Bytes>, Error> {
        Ok(http::Response::builder().status(code).body(Bytes::new()).unwrap())
    }

    fn timeout() -> Result<http::Response<Bytes>, Error> {
        Err(Error::Timeout { operation: "op", after: Duration::from_secs(1) })
    }

    #[test]
    fn default_never_retries() {
        assert_eq!(RetryPolicy::default().verdict(1, true, Duration::ZERO, &status(503)), Verdict::Return);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_the_budget() {
        let policy = RetryPolicy::never()
            .max_attempts(10)
            .max_total_wait(Duration::from_secs(10))
            .backoff(Duration::from_secs(1), Duration::from_secs(4));
        let waits: Vec<Verdict> =
            (1..=4).map(|attempt| policy.verdict(attempt, true, Duration::ZERO, &timeout())).collect();
        let secs = |s| Verdict::RetryAfter(Duration::from_secs(s));
        assert_eq!(waits, vec![secs(1), secs(2), secs(4), secs(4)]);
        assert_eq!(policy.verdict(2, true, Duration::from_secs(9), &status(502)), Verdict::Return);
        assert_eq!(policy.verdict(1, true, Duration::ZERO, &status(500)), Verdict::RetryAfter(Duration::from_secs(1)));
        assert_eq!(policy.verdict(1, true, Duration::ZERO, &status(404)), Verdict::Return);
    }

    #[test]
    fn non_idempotent_requests_are_not_retried_unless_asked() {
        let policy = RetryPolicy::standard();
        assert_eq!(policy.verdict(1, false, Duration::ZERO, &status(503)), Verdict::Return);
        let policy = policy.retry_non_idempotent(true);
        assert_eq!(policy.verdict(1, false, Duration::ZERO, &status(503)), Verdict::RetryAfter(Duration::from_secs(1)));
    }

    #[test]
    fn server_retry_after_is_honoured() {
        let response = http::Response::builder().status(503).header("retry-after", "3").body(Bytes::new()).unwrap();
        let verdict = RetryPolicy::standard().verdict(1, true, Duration::ZERO, &Ok(response));
        assert_eq!(verdict, Verdict::RetryAfter(Duration::from_secs(3)));
    }
}

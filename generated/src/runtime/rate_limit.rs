//! Reading GitHub's rate-limit answers. No I/O: usable with any HTTP stack.

use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::{GitHubError, RateLimitError, RateLimitKind};

/// How long GitHub asks clients to wait after a secondary rate limit that names no time: "at least one minute".
pub const SECONDARY_RATE_LIMIT_WAIT: Duration = Duration::from_secs(60);

/// Whether `response` is a rate-limit refusal and, if so, how long to wait. `secondary_wait` is used for a
/// secondary limit that has neither `Retry-After` nor `x-ratelimit-remaining: 0` (GitHub's rule is at least
/// [`SECONDARY_RATE_LIMIT_WAIT`]); `now` is when the response arrived.
///
/// Only `403` and `429` can be rate limits. A `429` always is; a `403` is one when it carries `Retry-After`, says
/// `x-ratelimit-remaining: 0`, or its message mentions a rate limit (otherwise it is a permission error).
pub fn rate_limit(
    operation: &'static str,
    response: &http::Response<Bytes>,
    secondary_wait: Duration,
    now: SystemTime,
) -> Option<RateLimitError> {
    let status = response.status();
    if status != http::StatusCode::FORBIDDEN && status != http::StatusCode::TOO_MANY_REQUESTS {
        return None;
    }
    let headers = response.headers();
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim);
    let number = |name: &str| text(name).and_then(|value| value.parse::<u64>().ok());
    let remaining = number("x-ratelimit-remaining");
    let reset_at = number("x-ratelimit-reset")
        .and_then(|seconds| i64::try_from(seconds).ok())
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0));
    let retry_after = text("retry-after").and_then(|value| parse_retry_after(value, now));
    let body = serde_json::from_slice::<GitHubError>(response.body()).ok();
    let mentions_limit = body
        .as_ref()
        .and_then(|body| body.message.as_deref())
        .is_some_and(|message| message.to_ascii_lowercase().contains("rate limit"));

    let primary = remaining == Some(0);
    let (kind, wait) = match (retry_after, primary) {
        (Some(wait), _) => (if primary { RateLimitKind::Primary } else { RateLimitKind::Secondary }, wait),
        (None, true) => {
            let until_reset = reset_at
                .and_then(|reset_at| SystemTime::from(reset_at).duration_since(now).ok())
                .unwrap_or(Duration::ZERO);
            (RateLimitKind::Primary, until_reset)
        }
        (None, false) if status == http::StatusCode::TOO_MANY_REQUESTS || mentions_limit => {
            (RateLimitKind::Secondary, secondary_wait)
        }
        (None, false) => return None,
    };
    Some(RateLimitError {
        operation,
        status,
        kind,
        retry_after: wait,
        reset_at,
        limit: number("x-ratelimit-limit"),
        remaining,
        resource: text("x-ratelimit-resource").map(str::to_owned),
        body,
        headers: headers.clone(),
    })
}

/// `Retry-After` is either a number of seconds or an HTTP date.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    Some(SystemTime::from(date.with_timezone(&chrono::Utc)).duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Bytes> {
        let mut builder = http::Response::builder().status(status);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from(body.to_owned())).unwrap()
    }

    const NOW: u64 = 1_700_000_000;

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(NOW)
    }

    #[test]
    fn primary_limit_waits_until_reset() {
        let reset = (NOW + 90).to_string();
        let answer = response(403, &[("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", &reset)], "{}");
        let limit = rate_limit("op", &answer, SECONDARY_RATE_LIMIT_WAIT, now()).unwrap();
        assert_eq!(limit.kind, RateLimitKind::Primary);
        assert_eq!(limit.retry_after, Duration::from_secs(90));
        assert_eq!(limit.reset_at.unwrap().timestamp(), (NOW + 90) as i64);
    }

    #[test]
    fn retry_after_wins_and_marks_a_secondary_limit() {
        let answer = response(429, &[("retry-after", "7"), ("x-ratelimit-remaining", "12")], "{}");
        let limit = rate_limit("op", &answer, SECONDARY_RATE_LIMIT_WAIT, now()).unwrap();
        assert_eq!(limit.kind, RateLimitKind::Secondary);
        assert_eq!(limit.retry_after, Duration::from_secs(7));
    }

    #[test]
    fn secondary_limit_without_headers_waits_a_minute() {
        let body = r#"{"message":"You have exceeded a secondary rate limit."}"#;
        let answer = response(403, &[("x-ratelimit-remaining", "4000")], body);
        let limit = rate_limit("op", &answer, SECONDARY_RATE_LIMIT_WAIT, now()).unwrap();
        assert_eq!(limit.kind, RateLimitKind::Secondary);
        assert_eq!(limit.retry_after, Duration::from_secs(60));
    }

    #[test]
    fn a_plain_forbidden_is_not_a_rate_limit() {
        let answer = response(403, &[("x-ratelimit-remaining", "4000")], r#"{"message":"Must have admin rights"}"#);
        assert!(rate_limit("op", &answer, SECONDARY_RATE_LIMIT_WAIT, now()).is_none());
        assert!(rate_limit("op", &response(404, &[], ""), SECONDARY_RATE_LIMIT_WAIT, now()).is_none());
    }

    #[test]
    fn retry_after_as_http_date() {
        let wait = parse_retry_after("Tue, 14 Nov 2023 22:13:40 GMT", now()).unwrap();
        assert_eq!(wait, Duration::from_secs(20));
    }
}

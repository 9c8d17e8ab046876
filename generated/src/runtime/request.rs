//! Building requests: base URL, path segments, query pairs, headers and JSON bodies.

use std::borrow::Cow;

use super::Error;

/// Where the API lives: `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server.
/// Its path is kept as a prefix of every request path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(url::Url);

impl BaseUrl {
    /// `https://api.github.com`.
    pub fn github() -> Self {
        BaseUrl(url::Url::parse("https://api.github.com").expect("a valid constant URL"))
    }

    /// Parses a base URL such as `https://github.example.com/api/v3`. It must be `http` or `https`, and may
    /// not have a query or fragment.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let invalid = |message: String| Error::InvalidRequest { operation: "base URL", message };
        let url = url::Url::parse(text).map_err(|err| invalid(format!("`{text}` is not a URL: {err}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid(format!("`{text}` must be an http or https URL")));
        }
        if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
            return Err(invalid(format!("`{text}` must not have a query or fragment")));
        }
        Ok(BaseUrl(url))
    }

    /// The URL itself.
    pub fn as_url(&self) -> &url::Url {
        &self.0
    }

    /// The URL of a path below the base, each segment percent-encoded on its own. A parameter that is empty,
    /// `.` or `..` is refused: it would change which resource is addressed.
    pub fn url_for(&self, operation: &'static str, segments: &[Segment<'_>]) -> Result<url::Url, Error> {
        let mut url = self.0.clone();
        {
            let mut path = url.path_segments_mut().map_err(|()| Error::InvalidRequest {
                operation,
                message: format!("base URL `{}` cannot have a path", self.0),
            })?;
            path.pop_if_empty();
            for segment in segments {
                let (text, from_param) = segment.text();
                if let Some(name) = from_param.filter(|_| matches!(text.as_str(), "" | "." | "..")) {
                    return Err(Error::InvalidRequest {
                        operation,
                        message: format!("path parameter `{name}` may not make the segment `{text}`"),
                    });
                }
                // `push` percent-encodes `/`, `?`, `#`, `%` and spaces: the text stays one segment.
                path.push(&text);
            }
        }
        Ok(url)
    }
}

impl Default for BaseUrl {
    fn default() -> Self {
        BaseUrl::github()
    }
}

impl std::str::FromStr for BaseUrl {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        BaseUrl::parse(text)
    }
}

/// A segment of a request path.
#[derive(Clone, Copy)]
pub enum Segment<'a> {
    /// Fixed text from the path template.
    Literal(&'static str),
    /// A path parameter: its wire name and value.
    Param(&'static str, &'a dyn ParamValue),
    /// Several pieces forming one segment, as in `{base}...{head}`.
    Joined(&'a [Segment<'a>]),
}

impl Segment<'_> {
    /// The segment's text, and the name of a parameter in it, if any.
    fn text(&self) -> (String, Option<&'static str>) {
        match self {
            Segment::Literal(text) => ((*text).to_owned(), None),
            Segment::Param(name, value) => (value.param_value().into_owned(), Some(name)),
            Segment::Joined(parts) => {
                let mut text = String::new();
                let mut param = None;
                for part in parts.iter() {
                    let (piece, name) = part.text();
                    text.push_str(&piece);
                    param = param.or(name);
                }
                (text, param)
            }
        }
    }
}

/// How a value is written in a path segment, a query string or a header.
pub trait ParamValue {
    /// The text sent on the wire.
    fn param_value(&self) -> Cow<'_, str>;
}

impl ParamValue for String {
    fn param_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for str {
    fn param_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl ParamValue for i64 {
    fn param_value(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl ParamValue for f64 {
    fn param_value(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl ParamValue for bool {
    fn param_value(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

impl ParamValue for chrono::DateTime<chrono::Utc> {
    /// RFC 3339 (`2024-01-31T12:00:00Z`), the form GitHub documents.
    fn param_value(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

/// A parameter that contributes zero or more values: one for a plain value, none for `None`, one per item for
/// a list (sent as repeated `name=value` pairs, OpenAPI's default `form` style with `explode`).
pub trait QueryValues {
    /// Calls `each` with every value to send.
    fn for_each_value(&self, each: &mut dyn FnMut(Cow<'_, str>));
}

impl<T: ParamValue + ?Sized> QueryValues for T {
    fn for_each_value(&self, each: &mut dyn FnMut(Cow<'_, str>)) {
        each(self.param_value());
    }
}

impl<T: QueryValues> QueryValues for Option<T> {
    fn for_each_value(&self, each: &mut dyn FnMut(Cow<'_, str>)) {
        if let Some(value) = self {
            value.for_each_value(each);
        }
    }
}

impl<T: ParamValue> QueryValues for Vec<T> {
    fn for_each_value(&self, each: &mut dyn FnMut(Cow<'_, str>)) {
        for value in self {
            each(value.param_value());
        }
    }
}

/// Accumulates the parts of a request; used by generated `build_request` methods.
#[derive(Debug)]
pub struct RequestBuilder {
    method: http::Method,
    url: url::Url,
    headers: http::HeaderMap,
    body: Vec<u8>,
    error: Option<String>,
}

impl RequestBuilder {
    /// Starts a request. `Accept: application/vnd.github+json` is set, as GitHub recommends.
    pub fn new(method: http::Method, url: url::Url) -> Self {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::ACCEPT, http::HeaderValue::from_static("application/vnd.github+json"));
        RequestBuilder { method, url, headers, body: Vec::new(), error: None }
    }

    /// Appends `name=value` query pairs (none for `None`).
    pub fn query(&mut self, name: &str, value: &impl QueryValues) {
        let mut values = Vec::new();
        value.for_each_value(&mut |value| values.push(value.into_owned()));
        if values.is_empty() {
            return;
        }
        let mut pairs = self.url.query_pairs_mut();
        for value in &values {
            pairs.append_pair(name, value);
        }
    }

    /// Sets a header parameter (nothing for `None`; list items joined by commas). A value a header cannot
    /// carry makes [`RequestBuilder::build`] fail.
    pub fn header(&mut self, name: &'static str, value: &impl QueryValues) {
        let mut values = Vec::new();
        value.for_each_value(&mut |value| values.push(value.into_owned()));
        if values.is_empty() {
            return;
        }
        let header = http::HeaderName::from_bytes(name.as_bytes());
        let value = http::HeaderValue::from_str(&values.join(","));
        match (header, value) {
            (Ok(header), Ok(value)) => {
                self.headers.insert(header, value);
            }
            _ => self.fail(format!("header parameter `{name}` contains characters a header cannot carry")),
        }
    }

    /// Serializes `body` as JSON with the given media type (nothing for `None`).
    pub fn json_body<T: serde::Serialize>(&mut self, media_type: &'static str, body: &T) {
        match serde_json::to_value(body) {
            Ok(serde_json::Value::Null) => {}
            Ok(value) => {
                self.body = value.to_string().into_bytes();
                self.headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(media_type));
            }
            Err(err) => self.fail(format!("the request body cannot be serialized: {err}")),
        }
    }

    /// Sends `body` as it is with the given media type (nothing for `None`): text and binary bodies.
    pub fn raw_body(&mut self, media_type: &'static str, body: Option<&[u8]>) {
        if let Some(body) = body {
            self.body = body.to_vec();
            self.headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(media_type));
        }
    }

    /// Keeps the first problem; [`RequestBuilder::build`] reports it.
    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    /// The finished request.
    pub fn build(self, operation: &'static str) -> Result<http::Request<Vec<u8>>, Error> {
        if let Some(message) = self.error {
            return Err(Error::InvalidRequest { operation, message });
        }
        let mut request = http::Request::new(self.body);
        *request.method_mut() = self.method;
        *request.uri_mut() = self.url.as_str().parse().map_err(|err| Error::InvalidRequest {
            operation,
            message: format!("`{}` is not a valid request URI: {err}", self.url),
        })?;
        *request.headers_mut() = self.headers;
        Ok(request)
    }
}

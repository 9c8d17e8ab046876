//! Pagination: which operations return pages, what a page holds, and where the next one is. No I/O: with the
//! `client` feature, `Call::into_stream` follows the pages; any other HTTP stack can do the same with
//! [`Paginated::into_page`] and [`next_link`].

use super::Operation;

/// An operation GitHub paginates (it takes `per_page`/`page` and answers with a `Link` header). The generator
/// implements it for every such operation, with the item type of the response's list: the response itself when
/// it is an array, or the one array property of GitHub's wrapper object (`workflow_runs`, `jobs`, `artifacts`,
/// …) next to `total_count`.
pub trait Paginated: Operation {
    /// One element of a page.
    type Item;

    /// The items of one page and, for wrapper objects, their `total_count`.
    fn into_page(output: Self::Output) -> Page<Self::Item>;
}

/// The items of one page.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<T> {
    /// The items, in the order GitHub sent them.
    pub items: Vec<T>,
    /// `total_count` of the wrapper object: the number of items across all pages. `None` for plain arrays.
    pub total_count: Option<i64>,
}

impl<T> Page<T> {
    /// A page of `items` out of `total_count`.
    pub fn new(items: Vec<T>, total_count: Option<i64>) -> Self {
        Page { items, total_count }
    }
}

/// The `rel="next"` URL of the `Link` headers, if any: where the next page is. Relative references are resolved
/// against `base`, the URL of the page that carried the header.
///
/// ```
/// # use github_actions_api::runtime::next_link;
/// let mut headers = http::HeaderMap::new();
/// let link = r#"<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=5>; rel="last""#;
/// headers.insert(http::header::LINK, link.parse().unwrap());
/// let base = url::Url::parse("https://api.github.com/x").unwrap();
/// assert_eq!(next_link(&headers, &base).unwrap().as_str(), "https://api.github.com/x?page=2");
/// ```
pub fn next_link(headers: &http::HeaderMap, base: &url::Url) -> Option<url::Url> {
    headers
        .get_all(http::header::LINK)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(link_values)
        .find(|(_, rels)| rels.split_ascii_whitespace().any(|rel| rel.eq_ignore_ascii_case("next")))
        .and_then(|(target, _)| base.join(target).ok())
}

/// The `(target, rel)` pairs of one `Link` header value (RFC 8288): `<target>; param=value; …, <target>; …`.
fn link_values(header: &str) -> Vec<(&str, &str)> {
    let mut links = Vec::new();
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|close| open + close) else {
            break;
        };
        let target = &rest[open + 1..close];
        // Parameters run until the next link, which starts after a comma outside quotes.
        let params_start = close + 1;
        let mut end = rest.len();
        let mut quoted = false;
        for (index, c) in rest[params_start..].char_indices() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    end = params_start + index;
                    break;
                }
                _ => {}
            }
        }
        let rel = rest[params_start..end]
            .split(';')
            .filter_map(|param| param.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("rel"))
            .map(|(_, value)| value.trim().trim_matches('"'))
            .unwrap_or("");
        links.push((target, rel));
        rest = &rest[end..];
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        for value in values {
            headers.append(http::header::LINK, value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn finds_next_among_several_links_and_headers() {
        let base = url::Url::parse("https://ghe.example.com/api/v3/repos/o/r/actions/runs").unwrap();
        let first = r#"<https://ghe.example.com/api/v3/x?page=1>; rel="prev", <https://ghe.example.com/api/v3/x?a=1,2&page=3>; rel="next""#;
        let found = next_link(&headers(&[r#"<https://example.com/>; rel="last""#, first]), &base).unwrap();
        assert_eq!(found.as_str(), "https://ghe.example.com/api/v3/x?a=1,2&page=3");
    }

    #[test]
    fn relative_targets_and_multiple_rels() {
        let base = url::Url::parse("https://api.github.com/repos/o/r/actions/runs?page=1").unwrap();
        let found = next_link(&headers(&[r#"</repos/o/r/actions/runs?page=2>; title="a, b"; rel="next last""#]), &base);
        assert_eq!(found.unwrap().as_str(), "https://api.github.com/repos/o/r/actions/runs?page=2");
    }

    #[test]
    fn no_next_on_the_last_page() {
        let base = url::Url::parse("https://api.github.com/x").unwrap();
        assert!(next_link(&headers(&[r#"<https://api.github.com/x?page=1>; rel="first""#]), &base).is_none());
        assert!(next_link(&http::HeaderMap::new(), &base).is_none());
    }
}

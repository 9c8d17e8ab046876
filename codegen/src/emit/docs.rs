//! Spec Markdown → rustdoc attributes.
//!
//! GitHub's descriptions are Markdown written for docs.github.com. Rustdoc reads them differently in three ways
//! that would make `cargo doc -D warnings` fail or render wrong: `[text]` without a link target is taken as an
//! intra-doc link, `<word>` as an HTML tag, and a bare URL is linted. Outside code spans and blocks those are
//! escaped or wrapped here, once, for every doc comment the generator writes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Docs;

/// `#[doc = "…"]` attributes, one per line (prettyplease prints them as `///`), for the summary, the
/// description and a link to GitHub's documentation. Falls back to `fallback` if the spec says nothing.
pub fn doc_attrs(docs: &Docs, fallback: &str) -> TokenStream {
    let mut text = String::new();
    if let Some(summary) = docs.summary.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        text.push_str(summary);
    }
    if let Some(description) = docs.description.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        if docs.summary.as_deref().map(str::trim) != Some(description) {
            if !text.is_empty() {
                text.push_str("\n\n");
            }
            text.push_str(description);
        }
    }
    if text.is_empty() {
        text.push_str(fallback);
    }
    if let Some(url) = &docs.url {
        text.push_str(&format!("\n\n[GitHub's documentation]({url})"));
    }
    lines_to_attrs(&sanitize(&text))
}

/// `#[doc]` attributes for plain text the generator writes itself (already valid rustdoc).
pub fn lines_to_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "…"]` attributes: the docs of the module (file) they start.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| if line.is_empty() { String::new() } else { format!(" {line}") });
    quote! { #( #![doc = #lines] )* }
}

/// Makes spec Markdown safe for rustdoc; see the module docs.
pub fn sanitize(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len() + 16);
    let mut in_fence = false;
    for (index, line) in markdown.lines().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            // Spec code blocks are shell or JSON examples, never Rust: say so, or rustdoc would compile them.
            if !in_fence && trimmed.trim() == "```" {
                out.push_str(&line.replace("```", "```text"));
            } else if !in_fence && !trimmed.starts_with("```text") {
                out.push_str(&format!("{}```text", &line[..line.len() - trimmed.len()]));
            } else {
                out.push_str(line);
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
        } else {
            sanitize_line(line, &mut out);
        }
    }
    if in_fence {
        out.push_str("\n```");
    }
    out
}

fn sanitize_line(line: &str, out: &mut String) {
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '`' => {
                // Copy a code span verbatim.
                let end = chars[i + 1..].iter().position(|&d| d == '`').map(|p| i + 1 + p);
                match end {
                    Some(end) => {
                        out.extend(&chars[i..=end]);
                        i = end + 1;
                    }
                    None => {
                        out.push_str("\\`");
                        i += 1;
                    }
                }
            }
            '[' => {
                let close = matching(&chars, i, '[', ']');
                match close {
                    Some(close) if matches!(chars.get(close + 1), Some('(')) => {
                        // A Markdown link: keep the text (sanitized) and the target verbatim.
                        let target_end = matching(&chars, close + 1, '(', ')');
                        let text: String = chars[i + 1..close].iter().collect();
                        out.push('[');
                        sanitize_line(&text, out);
                        out.push(']');
                        match target_end {
                            Some(end) => {
                                out.extend(&chars[close + 1..=end]);
                                i = end + 1;
                            }
                            None => i = close + 1,
                        }
                    }
                    _ => {
                        out.push_str("\\[");
                        i += 1;
                    }
                }
            }
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' => {
                let rest: String = chars[i..].iter().take(9).collect();
                if rest.starts_with("<http") {
                    let end = chars[i..].iter().position(|&d| d == '>').map(|p| i + p);
                    if let Some(end) = end {
                        out.extend(&chars[i..=end]);
                        i = end + 1;
                        continue;
                    }
                }
                out.push_str("&lt;");
                i += 1;
            }
            '>' if i > 0 => {
                out.push_str("&gt;");
                i += 1;
            }
            'h' if starts_url(&chars[i..]) => {
                let end = chars[i..]
                    .iter()
                    .position(|d| d.is_whitespace() || matches!(d, ')' | '"' | '\'' | '>' | ','))
                    .map_or(chars.len(), |p| i + p);
                let mut url: String = chars[i..end].iter().collect();
                let trailing = url.len() - url.trim_end_matches(['.', ':', ';']).len();
                url.truncate(url.len() - trailing);
                out.push('<');
                out.push_str(&url);
                out.push('>');
                i = end - trailing;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
}

fn starts_url(chars: &[char]) -> bool {
    let head: String = chars.iter().take(8).collect();
    head.starts_with("https://") || head.starts_with("http://")
}

fn matching(chars: &[char], open_at: usize, open: char, close: char) -> Option<usize> {
    let mut depth = 0;
    for (offset, &c) in chars[open_at..].iter().enumerate() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(open_at + offset);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn rustdoc_hazards_are_escaped() {
        assert_eq!(
            sanitize("see [docs](https://x.y/a_(b)) and [note]"),
            "see [docs](https://x.y/a_(b)) and \\[note\\]"
        );
        assert_eq!(sanitize("a <b> c `<d>`"), "a &lt;b&gt; c `<d>`");
        assert_eq!(sanitize("go to https://github.com/x."), "go to <https://github.com/x>.");
        assert_eq!(sanitize("```\ncurl <x>\n```"), "```text\ncurl <x>\n```");
        assert_eq!(sanitize("> quote"), "> quote");
    }
}

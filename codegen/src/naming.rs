//! Every Rust identifier the generator emits is made here.
//!
//! Wire names from the spec are case-converted with `heck`, then made valid: Rust keywords become raw
//! identifiers (`type` → `r#type`) or get a trailing underscore where raw identifiers are not allowed
//! (`self` → `self_`), a leading sign is spelled out (`+1` → `Plus1`, `-1` → `Minus1`), a leading digit gets a
//! prefix, and [`Namespace`] makes names unique in a scope deterministically (first come keeps the name,
//! later ones get `2`, `3`, …). The wire name is kept by the emitter in `#[serde(rename)]`.

use heck::{ToSnakeCase, ToUpperCamelCase};
use indexmap::IndexSet;

/// Keywords of every Rust edition, strict and reserved.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type and variant names the generated crate uses for itself, which generated types must not shadow.
const RESERVED_TYPE_NAMES: &[&str] =
    &["Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err", "Default", "Error", "Value"];

/// Spells out a leading sign so `+1` and `-1` stay apart after case conversion.
fn spell_sign(raw: &str) -> String {
    let trimmed = raw.trim();
    if let Some(rest) = trimmed.strip_prefix('+') {
        format!("plus {rest}")
    } else if let Some(rest) = trimmed.strip_prefix('-') {
        format!("minus {rest}")
    } else {
        trimmed.to_owned()
    }
}

/// Splits on anything that is not a letter or digit, so heck sees clean words.
fn words(raw: &str) -> String {
    spell_sign(raw).chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect()
}

/// `UpperCamelCase` type or variant name for a wire name, prefixed with `prefix` if it would start with a digit
/// or be empty.
pub fn camel(raw: &str, prefix: &str) -> String {
    // Keep digit groups apart (`2022-11-28` → `2022_11_28`): `20221128` would hide where the words were.
    let mut out = String::new();
    for word in words(raw).split_whitespace() {
        let word = word.to_upper_camel_case();
        if out.ends_with(|c: char| c.is_ascii_digit()) && word.starts_with(|c: char| c.is_ascii_digit()) {
            out.push('_');
        }
        out.push_str(&word);
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, prefix);
    }
    out
}

/// Name of a generated type (struct or enum) for a schema or operation name.
pub fn type_name(raw: &str) -> String {
    let name = camel(raw, "Type");
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) || KEYWORDS.contains(&name.as_str()) {
        format!("{name}Type")
    } else {
        name
    }
}

/// Name of an enum variant for a wire value such as `in_progress`, `+1` or `2022-11-28`.
pub fn variant_name(raw: &str) -> String {
    let name = camel(raw, "V");
    if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// `snake_case` name for a field, parameter, function or module, made a valid identifier.
pub fn snake(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    if name.is_empty() {
        name.push_str("value");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// Renders a snake-case name as identifier source text: `r#type` for keywords, `self_` where raw identifiers
/// are not allowed.
pub fn ident_text(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// A scope in which names must be unique.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: IndexSet<String>,
}

impl Namespace {
    /// A namespace in which `reserved` names are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Namespace { taken: reserved.into_iter().map(str::to_ascii_lowercase).collect() }
    }

    /// Claims `candidate`, or the first of `candidate2`, `candidate3`, … that is free. Names are compared
    /// case-insensitively so two names that differ only in case cannot clash on case-insensitive file systems.
    pub fn claim(&mut self, candidate: &str) -> String {
        let free = |taken: &IndexSet<String>, name: &str| !taken.contains(&name.to_ascii_lowercase());
        let mut name = candidate.to_owned();
        let mut counter = 2;
        while !free(&self.taken, &name) {
            name = format!("{candidate}{counter}");
            counter += 1;
        }
        self.taken.insert(name.to_ascii_lowercase());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_digits_make_distinct_valid_names() {
        assert_eq!(variant_name("+1"), "Plus1");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name("2022-11-28"), "V2022_11_28");
        assert_eq!(variant_name("in_progress"), "InProgress");
        assert_eq!(variant_name(""), "V");
        assert_eq!(type_name("workflow-run"), "WorkflowRun");
        assert_eq!(type_name("error"), "ErrorType");
    }

    #[test]
    fn keywords_become_valid_identifiers() {
        assert_eq!(ident_text(&snake("type")), "r#type");
        assert_eq!(ident_text(&snake("self")), "self_");
        assert_eq!(ident_text(&snake("@timestamp")), "timestamp");
        assert_eq!(ident_text(&snake("1st")), "_1st");
    }

    #[test]
    fn collisions_are_resolved_in_order() {
        let mut scope = Namespace::default();
        assert_eq!(scope.claim("Open"), "Open");
        assert_eq!(scope.claim("OPEN"), "OPEN2");
        assert_eq!(scope.claim("Open"), "Open3");
        let mut variants = Namespace::with_reserved(["Other"]);
        assert_eq!(variants.claim("Other"), "Other2");
    }
}

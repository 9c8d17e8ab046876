//! Problems found in a spec, each pinned to where it is.
//!
//! Every stage collects all the problems it can find instead of stopping at the first, so a maintainer fixes a
//! broken spec in one round trip. A [`Diagnostic`] names the JSON pointer into the document and, where there is
//! one, the operation or schema it belongs to.

use std::fmt;

/// One problem in the input spec.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// JSON pointer into the document, e.g. `#/paths/~1repos~1{owner}/get/parameters/0`.
    pub pointer: String,
    /// The operation (`operation actions/get-workflow`) or schema (`schema workflow-run`) it belongs to.
    pub subject: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.pointer)?;
        if let Some(subject) = &self.subject {
            write!(f, " ({subject})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Every problem found in one run, sorted by location so the report reads top to bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        writeln!(f, "{count} problem{} in the spec:", if count == 1 { "" } else { "s" })?;
        for diagnostic in &self.0 {
            writeln!(f, "  {diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics while a stage runs.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    found: Vec<Diagnostic>,
}

impl Collector {
    pub(crate) fn report(&mut self, pointer: &Pointer, subject: Option<&str>, message: impl Into<String>) {
        self.found.push(Diagnostic {
            pointer: pointer.to_string(),
            subject: subject.map(str::to_owned),
            message: message.into(),
        });
    }

    /// `Ok(value)` when nothing was reported, otherwise every report, sorted and deduplicated.
    pub(crate) fn finish<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.found.is_empty() {
            return Ok(value);
        }
        self.found.sort();
        self.found.dedup();
        Err(Diagnostics(self.found))
    }
}

/// A JSON pointer (RFC 6901) into the spec, built while walking it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Parses a local `$ref` such as `#/components/schemas/workflow-run`.
    pub fn from_ref(reference: &str) -> Self {
        Pointer(reference.to_owned())
    }

    /// This pointer extended by one reference token, escaped as RFC 6901 requires.
    pub fn join(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{token}", self.0))
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        let pointer = Pointer::root().join("paths").join("/repos/{owner}").join("a~b");
        assert_eq!(pointer.to_string(), "#/paths/~1repos~1{owner}/a~0b");
    }
}

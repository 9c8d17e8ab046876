//! Stage 1: text → `openapiv3::OpenAPI`.

use crate::diagnostics::{Diagnostic, Diagnostics};
use openapiv3::OpenAPI;

/// Parses an OpenAPI 3.0 document written as YAML (or JSON, which is YAML too).
///
/// Syntax errors and structural errors (a field of the wrong shape) are reported with the line and column
/// `serde_yaml` found them at, and the path of keys that leads there.
pub fn load(text: &str) -> Result<OpenAPI, Diagnostics> {
    serde_yaml::from_str(text).map_err(|err| {
        let location = err.location().map(|at| format!(" at line {} column {}", at.line(), at.column()));
        let message = err.to_string();
        // serde_yaml appends " at line L column C" itself; put it once, at the end.
        let message = match &location {
            Some(at) => message.replace(at.as_str(), ""),
            None => message,
        };
        Diagnostics(vec![Diagnostic {
            pointer: "#".to_owned(),
            subject: None,
            message: format!("not a valid OpenAPI 3.0 document{}: {message}", location.unwrap_or_default()),
        }])
    })
}

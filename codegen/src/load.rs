//! Stage 1: text → `openapiv3::OpenAPI`.
//!
//! Syntax errors are reported with line and column. A document that is valid YAML but not valid OpenAPI is
//! taken apart piece by piece (each path item, operation, parameter, request body, response and component on
//! its own) to name the JSON pointer of every piece that does not fit, instead of the one opaque serde error
//! for the whole document.

use std::path::Path;

use openapiv3::OpenAPI;
use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Pointer};

/// Reads a spec file, reporting an unreadable or non-UTF-8 file as a diagnostic that names it.
pub fn read(path: &Path) -> Result<String, Diagnostics> {
    std::fs::read_to_string(path).map_err(|err| {
        Diagnostics(vec![Diagnostic {
            pointer: "#".to_owned(),
            subject: Some(format!("file {}", path.display())),
            message: format!("cannot read the spec: {err}"),
        }])
    })
}

/// Parses an OpenAPI 3.0 document written as YAML (or JSON, which is YAML too).
pub fn load(text: &str) -> Result<OpenAPI, Diagnostics> {
    // JSON is YAML, but serde_json reads GitHub's 13 MB description several times faster than serde_yaml.
    if text.trim_start().starts_with('{') {
        if let Ok(document) = serde_json::from_str::<OpenAPI>(text) {
            return Ok(document);
        }
    }
    let whole_error = match serde_yaml::from_str::<OpenAPI>(text) {
        Ok(document) => return Ok(document),
        Err(err) => err,
    };
    let value: Value = match serde_yaml::from_str(text) {
        Ok(value) => value,
        Err(syntax) => return Err(single("#", None, format!("invalid YAML{}", describe(&syntax)))),
    };
    let mut found = Vec::new();
    locate(&value, &mut found);
    if found.is_empty() {
        found.push(Diagnostic {
            pointer: "#".to_owned(),
            subject: None,
            message: format!("not a valid OpenAPI 3.0 document{}", describe(&whole_error)),
        });
    }
    found.sort();
    Err(Diagnostics(found))
}

fn single(pointer: &str, subject: Option<String>, message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic { pointer: pointer.to_owned(), subject, message }])
}

/// ` at line L column C: message`, with the location once.
fn describe(err: &serde_yaml::Error) -> String {
    let message = err.to_string();
    match err.location() {
        Some(at) => {
            let location = format!(" at line {} column {}", at.line(), at.column());
            format!("{location}: {}", message.replace(&location, ""))
        }
        None => format!(": {message}"),
    }
}

/// Tries `value` as a `T`; on failure records the problem at `pointer`.
fn check<T: DeserializeOwned>(
    value: &Value,
    pointer: &Pointer,
    subject: Option<&str>,
    found: &mut Vec<Diagnostic>,
) -> bool {
    match serde_yaml::from_value::<T>(value.clone()) {
        Ok(_) => true,
        Err(err) => {
            found.push(Diagnostic {
                pointer: pointer.to_string(),
                subject: subject.map(str::to_owned),
                message: format!("not a valid {}: {err}", short_type_name::<T>()),
            });
            false
        }
    }
}

fn short_type_name<T>() -> String {
    let full = std::any::type_name::<T>();
    // `openapiv3::reference::ReferenceOr<openapiv3::parameter::Parameter>` → `Parameter`.
    let inner = full.rsplit("::").next().unwrap_or(full).trim_end_matches('>');
    inner.to_owned()
}

fn entries(value: &Value) -> impl Iterator<Item = (String, &Value)> {
    value.as_mapping().into_iter().flatten().map(|(key, value)| {
        let key = match key {
            Value::String(text) => text.clone(),
            other => serde_yaml::to_string(other).unwrap_or_default().trim().to_owned(),
        };
        (key, value)
    })
}

/// Finds the smallest pieces of the document that do not deserialize.
fn locate(document: &Value, found: &mut Vec<Diagnostic>) {
    let root = Pointer::root();
    for (key, expected) in [("openapi", "a version string"), ("info", "an Info object"), ("paths", "a Paths object")] {
        if document.get(key).is_none() {
            found.push(Diagnostic {
                pointer: root.to_string(),
                subject: None,
                message: format!("the document has no `{key}` ({expected} is required)"),
            });
        }
    }
    if let Some(info) = document.get("info") {
        check::<openapiv3::Info>(info, &root.join("info"), None, found);
    }
    if let Some(paths) = document.get("paths") {
        if paths.as_mapping().is_none() {
            found.push(Diagnostic {
                pointer: root.join("paths").to_string(),
                subject: None,
                message: "`paths` must be a map from path templates to path items".to_owned(),
            });
        }
        for (path, item) in entries(paths) {
            locate_path_item(item, &root.join("paths").join(&path), found);
        }
    }
    if let Some(components) = document.get("components") {
        let base = root.join("components");
        for (section, value) in entries(components) {
            let at = base.join(&section);
            for (name, component) in entries(value) {
                let subject = format!("{} {name}", section.trim_end_matches('s'));
                let pointer = at.join(&name);
                let subject = Some(subject.as_str());
                match section.as_str() {
                    "schemas" => {
                        check::<openapiv3::ReferenceOr<openapiv3::Schema>>(component, &pointer, subject, found)
                    }
                    "parameters" => {
                        check::<openapiv3::ReferenceOr<openapiv3::Parameter>>(component, &pointer, subject, found)
                    }
                    "responses" => {
                        check::<openapiv3::ReferenceOr<openapiv3::Response>>(component, &pointer, subject, found)
                    }
                    "requestBodies" => {
                        check::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(component, &pointer, subject, found)
                    }
                    "headers" => {
                        check::<openapiv3::ReferenceOr<openapiv3::Header>>(component, &pointer, subject, found)
                    }
                    "examples" => {
                        check::<openapiv3::ReferenceOr<openapiv3::Example>>(component, &pointer, subject, found)
                    }
                    _ => true,
                };
            }
        }
    }
}

fn locate_path_item(item: &Value, pointer: &Pointer, found: &mut Vec<Diagnostic>) {
    if check::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item, pointer, None, &mut Vec::new()) {
        return;
    }
    let before = found.len();
    for (key, value) in entries(item) {
        let at = pointer.join(&key);
        match key.as_str() {
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                locate_operation(value, &at, found);
            }
            "parameters" => {
                for (index, parameter) in value.as_sequence().into_iter().flatten().enumerate() {
                    check::<openapiv3::ReferenceOr<openapiv3::Parameter>>(parameter, &at.join(index), None, found);
                }
            }
            _ => {}
        }
    }
    if found.len() == before {
        check::<openapiv3::ReferenceOr<openapiv3::PathItem>>(item, pointer, None, found);
    }
}

fn locate_operation(operation: &Value, pointer: &Pointer, found: &mut Vec<Diagnostic>) {
    if check::<openapiv3::Operation>(operation, pointer, None, &mut Vec::new()) {
        return;
    }
    let subject = operation.get("operationId").and_then(Value::as_str).map(|id| format!("operation {id}"));
    let subject = subject.as_deref();
    let before = found.len();
    if let Some(parameters) = operation.get("parameters") {
        for (index, parameter) in parameters.as_sequence().into_iter().flatten().enumerate() {
            let at = pointer.join("parameters").join(index);
            if !check::<openapiv3::ReferenceOr<openapiv3::Parameter>>(parameter, &at, subject, &mut Vec::new()) {
                let has_shape = parameter.get("schema").is_some() || parameter.get("content").is_some();
                if parameter.get("$ref").is_none() && !has_shape {
                    found.push(Diagnostic {
                        pointer: at.to_string(),
                        subject: subject.map(str::to_owned),
                        message: "parameter has neither `schema` nor `content`; one of them is required".to_owned(),
                    });
                } else {
                    check::<openapiv3::ReferenceOr<openapiv3::Parameter>>(parameter, &at, subject, found);
                }
            }
        }
    }
    if let Some(body) = operation.get("requestBody") {
        check::<openapiv3::ReferenceOr<openapiv3::RequestBody>>(body, &pointer.join("requestBody"), subject, found);
    }
    match operation.get("responses") {
        Some(responses) => {
            for (status, response) in entries(responses) {
                let at = pointer.join("responses").join(&status);
                check::<openapiv3::ReferenceOr<openapiv3::Response>>(response, &at, subject, found);
            }
        }
        None => found.push(Diagnostic {
            pointer: pointer.to_string(),
            subject: subject.map(str::to_owned),
            message: "operation has no `responses`".to_owned(),
        }),
    }
    if found.len() == before {
        check::<openapiv3::Operation>(operation, pointer, subject, found);
    }
}

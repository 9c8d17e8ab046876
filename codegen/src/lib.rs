//! Turns an OpenAPI 3.0 description of GitHub's REST API into a typed Rust client crate.
//!
//! The pipeline has three visible stages, each in its own module:
//!
//! 1. [`load`]: YAML/JSON text → [`openapiv3::OpenAPI`];
//! 2. [`lower`]: OpenAPI → the generator's own plain-data IR ([`ir::Api`]): every `$ref` resolved, every type
//!    named (by [`naming`]), every problem reported with its JSON pointer ([`diagnostics`]);
//! 3. [`emit`]: IR → Rust files, built with `quote` and formatted by `prettyplease`.
//!
//! [`generate`] runs all three. Output is a pure function of the input text: every collection is ordered
//! (`indexmap` or sorted), so the same spec always gives the same bytes.

pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod load;
pub mod lower;
pub mod naming;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::{splice_features, GeneratedCrate, FEATURES_MARKER};

/// What the generator needs to know beyond the spec.
#[derive(Debug, Clone)]
pub struct Config {
    /// Library name of the generated crate (`github_actions_api`), used in its doc examples.
    pub crate_name: String,
    /// The command that regenerates the crate, named in every generated file's first line.
    pub command: String,
    /// The spec the crate is generated from, as named in generated files.
    pub spec_path: String,
    /// Key of GitHub's `x-github` operation extension that names an operation's area (Cargo feature and
    /// module): `subcategory` for the Actions crate, `category` for the whole API. Operations without it are
    /// grouped by their first tag.
    pub area_key: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            crate_name: "github_actions_api".to_owned(),
            command: "cargo xtask regen".to_owned(),
            spec_path: "spec/actions.yaml".to_owned(),
            area_key: "subcategory".to_owned(),
        }
    }
}

/// Runs the whole pipeline on the text of a spec.
pub fn generate(spec: &str, config: &Config) -> Result<GeneratedCrate, Diagnostics> {
    let document = load::load(spec)?;
    let api = lower::lower(&document, config)?;
    emit::emit(&api, config)
}

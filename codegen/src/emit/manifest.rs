//! The generated part of the crate's `Cargo.toml`: one feature per area, below a marker line.

/// Everything below this line in the generated crate's `Cargo.toml` belongs to the generator. It must be the
/// last line of the hand-written part and sit inside its `[features]` table, so hand-written features (such as
/// `default` or an HTTP client) stay next to the generated ones in one table.
pub const FEATURES_MARKER: &str = "# generated features: everything below this line is written by the generator";

use crate::ir::UNREFERENCED_FEATURE;

/// The feature that enables every area.
pub const ALL_AREAS_FEATURE: &str = "all-areas";

/// Returns `manifest` with everything after [`FEATURES_MARKER`] replaced by one feature per area and
/// [`ALL_AREAS_FEATURE`] enabling all of them. The hand-written part above the marker is kept byte for byte.
/// Fails if the marker is missing, so a manifest is never rewritten blind.
pub fn splice_features(manifest: &str, features: &[String], command: &str) -> Result<String, String> {
    let Some(at) = manifest.find(FEATURES_MARKER) else {
        return Err(format!(
            "the manifest has no `{FEATURES_MARKER}` line; add it as the last line of its `[features]` table"
        ));
    };
    let mut out = manifest[..at].to_owned();
    out.push_str(FEATURES_MARKER);
    out.push_str(&format!("\n# (written by `{command}`: one feature per API area)\n"));
    let areas: Vec<&String> = features.iter().filter(|feature| *feature != UNREFERENCED_FEATURE).collect();
    let quoted: Vec<String> = areas.iter().map(|feature| format!("\"{feature}\"")).collect();
    out.push_str(&format!("{ALL_AREAS_FEATURE} = [{}]\n", quoted.join(", ")));
    for feature in areas {
        out.push_str(&format!("{feature} = []\n"));
    }
    if features.iter().any(|feature| feature == UNREFERENCED_FEATURE) {
        out.push_str("# Schemas no operation uses (webhook payloads…); they may refer to any area.\n");
        out.push_str(&format!("{UNREFERENCED_FEATURE} = [\"{ALL_AREAS_FEATURE}\"]\n"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_written_part_is_kept_and_features_replaced() {
        let manifest =
            format!("[package]\nname = \"x\"\n\n[features]\ndefault = [\"all-areas\"]\n{FEATURES_MARKER}\nold = []\n");
        let spliced = splice_features(&manifest, &["a".to_owned(), "b-c".to_owned()], "cargo xtask regen").unwrap();
        assert!(spliced.starts_with("[package]\nname = \"x\"\n\n[features]\ndefault = [\"all-areas\"]\n"));
        assert!(spliced.ends_with("all-areas = [\"a\", \"b-c\"]\na = []\nb-c = []\n"));
        assert!(!spliced.contains("old"));
        assert!(splice_features("[package]\n", &[], "x").is_err());
        let with_unreferenced =
            splice_features(&manifest, &["a".to_owned(), UNREFERENCED_FEATURE.to_owned()], "x").unwrap();
        assert!(with_unreferenced.contains("all-areas = [\"a\"]\n"));
        assert!(with_unreferenced.ends_with("unreferenced-schemas = [\"all-areas\"]\n"));
    }
}

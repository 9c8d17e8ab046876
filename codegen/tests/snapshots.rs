//! Snapshots of the generator, one small fixture spec per concern.
//!
//! `fixtures/ok/*.yaml` must generate; the snapshot is every emitted file. `fixtures/broken/*.yaml` must fail;
//! the snapshot is the report a maintainer reads. Review changes with `cargo insta review` (or run with
//! `INSTA_UPDATE=always` and read the diff in git).

use std::path::Path;

use codegen::{generate, Config};

fn render(spec_path: &Path) -> String {
    let text = std::fs::read_to_string(spec_path).unwrap();
    let generated = generate(&text, &Config::default()).unwrap_or_else(|problems| panic!("{problems}"));
    let mut out = String::new();
    for (path, contents) in &generated.files {
        // lib.rs is the same for every fixture but for the operation list; keep the snapshots about the concern.
        if path == "src/lib.rs" || path.ends_with("mod.rs") {
            continue;
        }
        out.push_str(&format!("// ===== {path} =====\n{contents}\n"));
    }
    out.push_str(&format!("// ===== features =====\n{:?}\n", generated.features));
    out
}

#[test]
fn generated_code() {
    insta::glob!("fixtures/ok/*.yaml", |path| {
        insta::assert_snapshot!(render(path));
    });
}

#[test]
fn problem_reports() {
    insta::glob!("fixtures/broken/*.yaml", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let problems = match generate(&text, &Config::default()) {
            Ok(_) => panic!("{} generated without a problem", path.display()),
            Err(problems) => problems,
        };
        insta::assert_snapshot!(problems.to_string());
    });
}

#[test]
fn unreadable_file_is_reported_with_its_path() {
    let problems = codegen::load::read(Path::new("fixtures/does-not-exist.yaml")).unwrap_err();
    insta::assert_snapshot!(problems.to_string(), @r"
    1 problem in the spec:
      # (file fixtures/does-not-exist.yaml): cannot read the spec: No such file or directory (os error 2)
    ");
}

#[test]
fn output_is_deterministic() {
    let spec = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/actions.yaml")).unwrap();
    let first = generate(&spec, &Config::default()).unwrap();
    let second = generate(&spec, &Config::default()).unwrap();
    assert_eq!(first.files, second.files);
}

//! The generator never panics: arbitrary text and mutated versions of valid specs give `Ok` or located
//! problems.
//!
//! Bounded by proptest's case count (`PROPTEST_CASES`, 256 by default here); CI runs the default.

use std::path::Path;

use codegen::{generate, Config};
use proptest::prelude::*;
use serde_yaml::{Mapping, Value};

/// Valid specs to mutate: every fixture that generates, and the curated spec.
fn seeds() -> &'static [Value] {
    static SEEDS: std::sync::OnceLock<Vec<Value>> = std::sync::OnceLock::new();
    SEEDS.get_or_init(read_seeds)
}

fn read_seeds() -> Vec<Value> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> =
        std::fs::read_dir(root.join("tests/fixtures/ok")).unwrap().map(|entry| entry.unwrap().path()).collect();
    paths.sort();
    paths.push(root.join("../spec/actions.yaml"));
    paths.iter().map(|path| serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()).collect()
}

/// A mutation applied at the node reached by following `steps` (each picks a child by index, modulo).
#[derive(Debug, Clone)]
enum Mutation {
    Remove,
    Replace(Value),
    Duplicate,
    RenameKey(String),
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| Value::Number(n.into())),
        // Strings the generator treats specially: types, refs, names with signs, digits and keywords.
        prop::sample::select(vec![
            "string",
            "integer",
            "object",
            "array",
            "boolean",
            "number",
            "null",
            "file",
            "date-time",
            "+1",
            "-1",
            "1st",
            "type",
            "self",
            "Self",
            "",
            "{",
            "}",
            "/",
            "..",
            "#/components/schemas/missing",
            "#/components/schemas/",
            "#/components/parameters/x",
            "application/json",
            "text/plain",
            "é",
        ])
        .prop_map(|text| Value::String(text.to_owned())),
        "[a-z{}/#_.+-]{0,12}".prop_map(Value::String),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Sequence),
            prop::collection::vec((scalar(), inner), 0..4).prop_map(|pairs| {
                let mut map = Mapping::new();
                for (key, value) in pairs {
                    map.insert(key, value);
                }
                Value::Mapping(map)
            }),
        ]
    })
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Remove),
        value().prop_map(Mutation::Replace),
        Just(Mutation::Duplicate),
        prop::sample::select(vec!["$ref", "type", "required", "nullable", "enum", "oneOf", "allOf", "items", "in"])
            .prop_map(|key| Mutation::RenameKey(key.to_owned())),
    ]
}

/// Applies `mutation` somewhere along `steps`; returns whether anything changed.
fn apply(node: &mut Value, steps: &[usize], mutation: &Mutation) -> bool {
    let Some((&step, rest)) = steps.split_first() else { return false };
    match node {
        Value::Mapping(map) if !map.is_empty() => {
            let index = step % map.len();
            let key = map.keys().nth(index).cloned().unwrap();
            if rest.is_empty() || !matches!(map[&key], Value::Mapping(_) | Value::Sequence(_)) {
                match mutation {
                    Mutation::Remove => {
                        map.remove(&key);
                    }
                    Mutation::Replace(value) => map[&key] = value.clone(),
                    Mutation::Duplicate => {
                        let copy = map[&key].clone();
                        map.insert(Value::String(format!("{}-copy", key.as_str().unwrap_or("key"))), copy);
                    }
                    Mutation::RenameKey(new) => {
                        let value = map.remove(&key).unwrap();
                        map.insert(Value::String(new.clone()), value);
                    }
                }
                return true;
            }
            apply(map.get_mut(&key).unwrap(), rest, mutation)
        }
        Value::Sequence(items) if !items.is_empty() => {
            let index = step % items.len();
            if rest.is_empty() {
                match mutation {
                    Mutation::Remove => {
                        items.remove(index);
                    }
                    Mutation::Replace(value) => items[index] = value.clone(),
                    Mutation::Duplicate | Mutation::RenameKey(_) => items.push(items[index].clone()),
                }
                return true;
            }
            apply(&mut items[index], rest, mutation)
        }
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = generate(&text, &Config::default());
    }

    #[test]
    fn mutated_specs_never_panic(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec((prop::collection::vec(any::<usize>(), 1..8), mutation()), 1..4),
    ) {
        let seeds = seeds();
        let mut spec = seeds[seed.index(seeds.len())].clone();
        for (steps, mutation) in &edits {
            apply(&mut spec, steps, mutation);
        }
        let text = serde_yaml::to_string(&spec).unwrap();
        match generate(&text, &Config::default()) {
            Ok(generated) => prop_assert!(!generated.files.is_empty()),
            Err(problems) => {
                // Every problem says where it is.
                for problem in &problems.0 {
                    prop_assert!(problem.pointer.starts_with('#'), "{problem}");
                    prop_assert!(!problem.message.is_empty());
                }
            }
        }
    }
}

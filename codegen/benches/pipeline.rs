//! `cargo bench -p codegen`: the generator's stages on the curated Actions spec and on GitHub's whole
//! description (the vendored `api.github.com.json.gz`, unchanged).
//!
//! Whole-process figures (peak memory, `cargo check` of the generated crate) come from `cargo xtask bench`.

use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use codegen::{emit, load, lower, Config};

fn main() {
    divan::main();
}

fn curated() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/actions.yaml")).unwrap()
    })
}

fn full() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/upstream/api.github.com.json.gz");
        let mut text = String::new();
        flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()).read_to_string(&mut text).unwrap();
        text
    })
}

fn full_config() -> Config {
    Config { area_key: "category".to_owned(), ..Config::default() }
}

mod curated_spec {
    use super::*;

    #[divan::bench]
    fn load_stage() -> openapiv3::OpenAPI {
        load::load(curated()).unwrap()
    }

    #[divan::bench]
    fn lower_stage(bencher: divan::Bencher) {
        let document = load::load(curated()).unwrap();
        let config = Config::default();
        bencher.bench_local(|| lower::lower(&document, &config).unwrap());
    }

    #[divan::bench]
    fn emit_stage(bencher: divan::Bencher) {
        let config = Config::default();
        let api = lower::lower(&load::load(curated()).unwrap(), &config).unwrap();
        bencher.bench_local(|| emit::emit(&api, &config).unwrap());
    }

    #[divan::bench]
    fn whole_pipeline() -> codegen::GeneratedCrate {
        codegen::generate(curated(), &Config::default()).unwrap()
    }
}

mod full_description {
    use super::*;

    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn load_stage() -> openapiv3::OpenAPI {
        load::load(full()).unwrap()
    }

    #[divan::bench(sample_count = 5, sample_size = 1)]
    fn lower_stage(bencher: divan::Bencher) {
        let document = load::load(full()).unwrap();
        let config = full_config();
        bencher.bench_local(|| lower::lower(&document, &config).unwrap());
    }

    #[divan::bench(sample_count = 3, sample_size = 1)]
    fn emit_stage(bencher: divan::Bencher) {
        let config = full_config();
        let api = lower::lower(&load::load(full()).unwrap(), &config).unwrap();
        bencher.bench_local(|| emit::emit(&api, &config).unwrap());
    }
}

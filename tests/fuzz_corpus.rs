//! Replays the checked-in fuzz corpora (`fuzz/corpus/<target>/`) and regressions
//! (`fuzz/artifacts/<target>/`, if any) through the fuzz targets' own property functions,
//! without cargo-fuzz: the same `fuzz/src/lib.rs` the targets call, included here by path.
//!
//! Fuzzing itself: `fuzz/run.sh <target> <seconds>` (see the top of that script).

#[path = "../fuzz/src/lib.rs"]
mod properties;

use std::path::Path;

type Property = fn(&[u8]);

const TARGETS: &[(&str, Property)] = &[
    ("values", properties::values),
    ("from_vars", properties::from_vars),
    ("respond", properties::respond),
    ("dotenv", properties::dotenv),
    ("name_file", properties::name_file),
    ("reload", properties::reload),
    ("relations", properties::relations),
    #[cfg(feature = "verify")]
    ("manifest", properties::manifest),
];

/// Every file under `fuzz/<kind>/<target>/`, sorted.
fn inputs(kind: &str, target: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries
        .map(|e| e.expect("a corpus entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str, property: Property) {
    let corpus = inputs("corpus", target);
    assert!(!corpus.is_empty(), "fuzz/corpus/{target} is empty");
    for file in corpus.iter().chain(&inputs("artifacts", target)) {
        let data = std::fs::read(file).expect("read a corpus file");
        let outcome = std::panic::catch_unwind(|| property(&data));
        assert!(outcome.is_ok(), "{target} fails on {}", file.display());
    }
}

#[test]
fn every_corpus_input_holds_its_target_s_properties() {
    for (target, property) in TARGETS {
        replay(target, *property);
    }
}

#[test]
fn every_target_has_a_corpus_and_a_dictionary() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for (target, _) in TARGETS {
        assert!(
            fuzz.join("fuzz_targets")
                .join(format!("{target}.rs"))
                .is_file()
        );
        assert!(fuzz.join("dicts").join(format!("{target}.dict")).is_file());
        assert!(!inputs("corpus", target).is_empty(), "{target}");
    }
}

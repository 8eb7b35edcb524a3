//! Compile-fail tests pinning every error of `#[derive(ReadinessContract)]`.
//!
//! Regenerate the `.stderr` files with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
    // Built without the `serde` feature (the CI's `--no-default-features` run), a
    // `deserialize` field says which feature it needs.
    #[cfg(not(feature = "serde"))]
    t.compile_fail("tests/ui_no_serde/*.rs");
}

//! The fixtures are real manifests: `kubernetes-validate` (strict, against Kubernetes
//! 1.33) accepts every document, and refuses what `verify` refuses as a manifest error.
//!
//! Without `python3` or the package, the test prints a line starting with `SKIP:` and passes,
//! unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

use std::path::PathBuf;

use super::fixture;
use super::kubernetes_validate::kubernetes_validate;

#[test]
fn every_kubernetes_fixture_is_a_valid_manifest() {
    let files: Vec<PathBuf> = [
        "k8s/shop.yaml",
        "k8s/configmap.yaml",
        "k8s/secret.yaml",
        "k8s/kinds.yaml",
        "k8s/mounted.yaml",
        "rules/store.yaml",
    ]
    .map(fixture)
    .into();
    let Some(result) = kubernetes_validate(&files) else {
        return;
    };
    for file in &files {
        let documents = result[file.display().to_string()].as_array().unwrap();
        assert!(!documents.is_empty(), "{}", file.display());
        for (index, verdict) in documents.iter().enumerate() {
            assert!(
                verdict.is_null(),
                "{} document {index}: {verdict}",
                file.display()
            );
        }
    }
}

#[test]
fn what_verify_refuses_as_a_manifest_kubernetes_validate_refuses_too() {
    let dir = tempfile::tempdir().unwrap();
    let shop = super::text("k8s/shop.yaml");
    let cases = [
        (
            "number.yaml",
            shop.replace("value: \"9100\"", "value: 9100"),
        ),
        (
            "boolean.yaml",
            shop.replace("value: shop.example.com", "value: on"),
        ),
        (
            "nameless.yaml",
            shop.replace("- name: SHOP_HOST\n", "- value2: SHOP_HOST\n"),
        ),
    ];
    let mut files = Vec::new();
    for (name, text) in &cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let err = health::verify::Verifier::new()
            .file(&path)
            .container("shop")
            .run::<super::Shop>()
            .err()
            .unwrap_or_else(|| panic!("verify accepted {name}"));
        assert!(
            matches!(err, health::verify::VerifyError::Manifest { .. }),
            "{name}: {err}"
        );
        files.push(path);
    }
    let Some(result) = kubernetes_validate(&files) else {
        return;
    };
    for file in &files {
        let verdict = &result[file.display().to_string()][0];
        assert!(
            !verdict.is_null(),
            "kubernetes-validate accepted {}",
            file.display()
        );
    }
}

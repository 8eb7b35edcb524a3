//! Runs `tests/verify/validate_manifests.py`: the real `kubernetes-validate` package on
//! manifests. Shared by `tests/verify.rs` and voxflow's `tests/voxflow_deploy.rs` (included by
//! path; both include `tests/common` too, for [`common::python`](crate::common::python)).
//!
//! Without `python3` or the package, it prints a line starting with `SKIP:` and the caller's
//! test passes, unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The Kubernetes version the manifests are validated against (as tests/docs.rs).
pub const KUBERNETES_VERSION: &str = "1.33.0";

/// `kubernetes-validate`'s verdict on each document of each file: `null` when valid, else
/// the first error; `None` after a `SKIP:` line.
pub fn kubernetes_validate(files: &[PathBuf]) -> Option<Value> {
    // The script beside this file: in this package, or the workspace's for voxflow's tests.
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("tests/verify/validate_manifests.py"))
        .find(|script| script.exists())
        .expect("tests/verify/validate_manifests.py in the workspace");
    let args =
        std::iter::once(Path::new(KUBERNETES_VERSION)).chain(files.iter().map(PathBuf::as_path));
    let result = crate::common::python::run_json(&script, args, "kubernetes-validate")?;
    println!(
        "validated with kubernetes-validate {} against Kubernetes {}",
        result["kubernetes_validate"], result["kubernetes"]
    );
    Some(result["files"].clone())
}

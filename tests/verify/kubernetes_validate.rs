//! Runs `tests/verify/validate_manifests.py`: the real `kubernetes-validate` package on
//! manifests. Shared by `tests/verify.rs` and `tests/voxflow_deploy.rs` (included by path).
//!
//! Without `python3` or the package, it prints a line starting with `SKIP:` and the caller's
//! test passes, unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// The Kubernetes version the manifests are validated against (as tests/docs.rs).
pub const KUBERNETES_VERSION: &str = "1.33.0";

/// `kubernetes-validate`'s verdict on each document of each file: `null` when valid, else
/// the first error; `None` after a `SKIP:` line.
pub fn kubernetes_validate(files: &[PathBuf]) -> Option<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verify/validate_manifests.py");
    let reason = match Command::new("python3")
        .arg(&script)
        .arg(KUBERNETES_VERSION)
        .args(files)
        .output()
    {
        Err(error) => format!("python3 cannot run: {error}"),
        Ok(out) if out.status.code() == Some(3) => String::from_utf8_lossy(&out.stdout)
            .trim()
            .trim_start_matches("SKIP: ")
            .to_owned(),
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "{stdout}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let result: Value = serde_json::from_str(&stdout).unwrap();
            println!(
                "validated with kubernetes-validate {} against Kubernetes {}",
                result["kubernetes_validate"], result["kubernetes"]
            );
            return Some(result["files"].clone());
        }
    };
    if std::env::var_os("HEALTH_REQUIRE_SERVICES").is_some_and(|v| v == "1") {
        panic!(
            "HEALTH_REQUIRE_SERVICES=1 but {} cannot run: {reason}; install it with `python3 -m \
             pip install kubernetes-validate`",
            script.display()
        );
    }
    println!(
        "SKIP: {reason} (python3 -m pip install kubernetes-validate; set \
         HEALTH_REQUIRE_SERVICES=1 to make this a failure)"
    );
    None
}

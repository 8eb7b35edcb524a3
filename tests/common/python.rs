//! Running a Python validation script from a test: `SKIP:` when python3 or the package it
//! needs is missing, a failure instead under `HEALTH_REQUIRE_SERVICES=1` (CI).

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

/// Runs `python3 script args…` and returns its standard output. The script exits with 3 and
/// prints `SKIP: reason` when it cannot run (its `package` missing); then, or when python3
/// itself cannot run, this prints a `SKIP:` line and returns `None`, unless
/// `HEALTH_REQUIRE_SERVICES=1`, where it panics. Any other failure panics.
pub fn run<I, S>(script: &Path, args: I, package: &str) -> Option<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let reason = match Command::new("python3").arg(script).args(args).output() {
        Err(error) => format!("python3 cannot run: {error}"),
        Ok(out) if out.status.code() == Some(3) => String::from_utf8_lossy(&out.stdout)
            .trim()
            .trim_start_matches("SKIP: ")
            .to_owned(),
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            assert!(
                out.status.success(),
                "{} failed: {stdout}{}",
                script.display(),
                String::from_utf8_lossy(&out.stderr)
            );
            return Some(stdout);
        }
    };
    if std::env::var_os("HEALTH_REQUIRE_SERVICES").is_some_and(|v| v == "1") {
        panic!(
            "HEALTH_REQUIRE_SERVICES=1 but {} cannot run: {reason}; install it with \
             `python3 -m pip install {package}`",
            script.display()
        );
    }
    println!(
        "SKIP: {reason} (python3 -m pip install {package}; set HEALTH_REQUIRE_SERVICES=1 to \
         make this a failure)"
    );
    None
}

/// [`run`], with its output parsed as JSON.
pub fn run_json<I, S>(script: &Path, args: I, package: &str) -> Option<serde_json::Value>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let stdout = run(script, args, package)?;
    Some(serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}")))
}

//! `from_env` and `check_env` against a real process environment: the test re-runs itself as a
//! child process with the variables set, since setting them in this process is `unsafe`.

mod common;

use std::ffi::OsString;
use std::process::Command;

use health::{ReadinessContract, Status};

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "HEALTH_T_")]
struct Config {
    name: String,
    #[contract(default = 3)]
    workers: u8,
    data_dir: std::path::PathBuf,
    mode: Option<String>,
}

const CHILD: &str = "HEALTH_TEST_CHILD";

fn run_child(test: &str, vars: &[(&str, OsString)]) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1");
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed:\n{text}");
    assert!(
        text.contains("1 passed"),
        "the child did not run the test:\n{text}"
    );
}

#[test]
fn from_env_reads_the_process_environment() {
    if std::env::var_os(CHILD).is_none() {
        return run_child(
            "from_env_reads_the_process_environment",
            &[
                ("HEALTH_T_NAME", "svc".into()),
                ("HEALTH_T_WORKERS", "8".into()),
                ("HEALTH_T_DATA_DIR", non_utf8_path()),
            ],
        );
    }
    let config = Config::from_env().unwrap();
    assert_eq!(config.name, "svc");
    assert_eq!(config.workers, 8);
    assert_eq!(config.data_dir, std::path::PathBuf::from(non_utf8_path()));
    assert_eq!(config.mode, None);
    assert!(Config::check_env().is_ready());
    assert!(health::load::<Config>().is_ready());
}

#[test]
fn check_env_names_what_the_process_lacks() {
    if std::env::var_os(CHILD).is_none() {
        return run_child(
            "check_env_names_what_the_process_lacks",
            &[
                ("HEALTH_T_WORKERS", "many".into()),
                ("HEALTH_T_DATA_DIR", "".into()),
            ],
        );
    }
    let report = Config::check_env();
    assert_eq!(
        common::statuses(&report),
        [
            ("HEALTH_T_NAME", Status::Fail, Some("missing")),
            ("HEALTH_T_WORKERS", Status::Fail, Some("invalid")),
            ("HEALTH_T_DATA_DIR", Status::Fail, Some("empty")),
            ("HEALTH_T_MODE", Status::Pass, None),
        ]
    );
    let loaded = health::load::<Config>();
    assert!(loaded.config().is_none());
    assert_eq!(loaded.report().http_status(), 503);
    assert_eq!(loaded.into_result().unwrap_err().len(), 3);
}

#[cfg(unix)]
fn non_utf8_path() -> OsString {
    use std::os::unix::ffi::OsStringExt;
    OsString::from_vec(b"/srv/d\xffta".to_vec())
}

#[cfg(not(unix))]
fn non_utf8_path() -> OsString {
    OsString::from("/srv/data")
}

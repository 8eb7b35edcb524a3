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

#[test]
fn load_and_check_env_find_a_variable_set_beside_its_file() {
    if std::env::var_os(CHILD).is_none() {
        return run_child(
            "load_and_check_env_find_a_variable_set_beside_its_file",
            &[
                ("HEALTH_T_NAME", "svc".into()),
                ("HEALTH_T_NAME_FILE", "/run/secrets/name".into()),
                ("HEALTH_T_DATA_DIR", "/srv".into()),
            ],
        );
    }
    let conflict = [("HEALTH_T_NAME", Status::Fail, Some("conflict"))];
    let report = Config::check_env();
    assert_eq!(common::statuses(&report)[..1], conflict);
    let loaded = health::load::<Config>();
    assert!(loaded.config().is_none());
    assert_eq!(common::statuses(loaded.report())[..1], conflict);
    // `from_env` of a config this small reads each variable with one lookup and does not
    // look for its `NAME_FILE` (as documented): the set variable is taken.
    assert_eq!(Config::from_env().unwrap().name, "svc");
}

/// Ten variables; five of them make a config that `from_env` reads from one copy of the
/// environment (48 variables or more) rather than variable by variable.
#[derive(Debug, ReadinessContract)]
struct Ten {
    a: u32,
    b: u32,
    c: u32,
    d: u32,
    e: u32,
    f: u32,
    g: u32,
    h: u32,
    i: u32,
    j: u32,
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "HEALTH_W_")]
struct Wide {
    #[contract(nested, prefix = "P0_")]
    p0: Ten,
    #[contract(nested, prefix = "P1_")]
    p1: Ten,
    #[contract(nested, prefix = "P2_")]
    p2: Ten,
    #[contract(nested, prefix = "P3_")]
    p3: Ten,
    #[contract(nested, prefix = "P4_")]
    p4: Ten,
}

/// Every variable of `Wide` set to its position, but those `but` names.
fn wide_vars(but: &[&str]) -> Vec<(String, OsString)> {
    let mut vars = Vec::new();
    for part in 0..5 {
        for (index, letter) in ('A'..='J').enumerate() {
            let name = format!("HEALTH_W_P{part}_{letter}");
            if !but.contains(&name.as_str()) {
                vars.push((name, (part * 10 + index).to_string().into()));
            }
        }
    }
    vars
}

#[test]
fn a_wide_config_reads_one_copy_of_the_environment_with_the_same_verdicts() {
    const TEST: &str = "a_wide_config_reads_one_copy_of_the_environment_with_the_same_verdicts";
    if std::env::var_os(CHILD).is_none() {
        // Complete: P4_J from the file its `_FILE` names.
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("p4_j");
        std::fs::write(&file, "49\n").unwrap();
        let mut vars = wide_vars(&["HEALTH_W_P4_J"]);
        vars.push(("HEALTH_W_P4_J_FILE".into(), file.into_os_string()));
        vars.push(("WIDE_RUN".into(), "complete".into()));
        run_child(TEST, &borrowed(&vars));
        // Broken: P1_C missing, P3_E invalid, P2_B set beside its `_FILE`.
        let mut vars = wide_vars(&["HEALTH_W_P1_C"]);
        vars.push(("HEALTH_W_P2_B_FILE".into(), "/run/secrets/p2_b".into()));
        vars.retain(|(name, _)| name != "HEALTH_W_P3_E");
        vars.push(("HEALTH_W_P3_E".into(), "x".into()));
        vars.push(("WIDE_RUN".into(), "broken".into()));
        return run_child(TEST, &borrowed(&vars));
    }
    assert_eq!(Wide::contract().variable_count(), 50);
    let report = Wide::check_env();
    if std::env::var_os("WIDE_RUN").is_some_and(|run| run == "broken") {
        let err = Wide::from_env().unwrap_err();
        let failed: Vec<_> = err
            .iter()
            .map(|e| (e.name(), e.code().unwrap().as_str()))
            .collect();
        assert_eq!(
            failed,
            [
                ("HEALTH_W_P1_C", "missing"),
                ("HEALTH_W_P2_B", "conflict"),
                ("HEALTH_W_P3_E", "invalid")
            ]
        );
        assert_eq!(report.failures().count(), 3);
        return;
    }
    let config = Wide::from_env().unwrap();
    let parts = [&config.p0, &config.p1, &config.p2, &config.p3, &config.p4];
    for (part, ten) in parts.into_iter().enumerate() {
        let values = [
            ten.a, ten.b, ten.c, ten.d, ten.e, ten.f, ten.g, ten.h, ten.i, ten.j,
        ];
        let expected: Vec<u32> = (0..10).map(|index| (part * 10 + index) as u32).collect();
        assert_eq!(values.to_vec(), expected, "P{part}");
    }
    assert_eq!(report.entries().len(), 50);
    let origin = |name: &str| {
        let entry = report.entries().iter().find(|e| e.name() == name).unwrap();
        entry.origin().unwrap().to_string()
    };
    assert_eq!(origin("HEALTH_W_P0_A"), "env");
    assert!(origin("HEALTH_W_P4_J").starts_with("file:"));
}

fn borrowed(vars: &[(String, OsString)]) -> Vec<(&str, OsString)> {
    vars.iter().map(|(k, v)| (k.as_str(), v.clone())).collect()
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

//! Names the environment sets that the contract does not read: "did you mean" on a missing
//! variable, and strays under a struct's prefix (a `warn`, never a value).

#![allow(dead_code)] // fields exist to be loaded, not read

use health::{Code, ReadinessContract, Report, Status};

/// The report's JSON bodies (feature `json`); empty without them.
fn json_bodies(report: &Report) -> String {
    #[cfg(feature = "json")]
    return format!("{}\n{}", report.to_json(), report.to_json_detailed());
    #[cfg(not(feature = "json"))]
    {
        let _ = report;
        String::new()
    }
}

#[derive(Debug, ReadinessContract)]
struct Voice {
    #[contract(secret)]
    ultravox_api_key: String,
    #[contract(default = 8000)]
    port: u16,
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "APP_")]
struct App {
    #[contract(secret)]
    token: String,
    #[contract(default = 1)]
    workers: u8,
    #[contract(nested, prefix = "DB_")]
    db: Db,
}

#[derive(Debug, ReadinessContract)]
struct Db {
    host: String,
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "SVC_")]
struct Outer {
    #[contract(nested)]
    cache: Cache,
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "CACHE_")]
struct Cache {
    #[contract(default = 5)]
    ttl_secs: u32,
}

const VALUE: &str = "s3cr3t-value-never-shown";

#[test]
fn a_missing_variable_names_the_near_miss_that_is_set() {
    let report = Voice::check_vars([("ULTRAVOX_APIKEY", VALUE)]);
    let entry = report.get("ULTRAVOX_API_KEY").unwrap();
    assert_eq!(entry.code(), Some(&Code::MISSING));
    let message = entry.message().unwrap();
    assert!(
        message.contains("did you mean `ULTRAVOX_APIKEY`"),
        "{message}"
    );
    // The error of a load says the same, and no output carries the value.
    let error = Voice::from_vars([("ULTRAVOX_APIKEY", VALUE)]).unwrap_err();
    assert!(error.to_string().contains("ULTRAVOX_APIKEY"), "{error}");
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{report:?}"),
        json_bodies(&report),
    ] {
        assert!(!text.contains(VALUE), "{text}");
    }
    // No prefix: the typo itself is not reported as a stray.
    assert_eq!(report.entries().len(), 2);
}

#[test]
fn far_names_and_read_names_are_not_suggested() {
    let report = Voice::check_vars([("SHELL", "/bin/sh"), ("PORT", "80")]);
    let message = report.get("ULTRAVOX_API_KEY").unwrap().message().unwrap();
    assert!(!message.contains("did you mean"), "{message}");
    // A name a field reads (through `_FILE` too) is not a near miss of another.
    let report = Voice::check_vars([("ULTRAVOX_API_KEY_FILE", "/nonexistent")]);
    let entry = report.get("ULTRAVOX_API_KEY").unwrap();
    assert_eq!(entry.code(), Some(&Code::UNREADABLE_FILE));
}

#[test]
fn strays_under_the_prefix_warn_with_a_suggestion_and_no_value() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "t\n").unwrap();
    let vars = [
        ("APP_DB_HOST", "db"),
        ("APP_WORKER", VALUE),
        ("APP_TOKEN_FILE_OLD", VALUE),
        ("APP_TOKEN_FILE", token.to_str().unwrap()),
        ("OTHER_THING", "x"),
    ];
    let report = App::check_vars(vars);
    assert_eq!(report.status(), Status::Warn, "{report:?}");
    assert!(report.is_ready());
    let stray = report.get("APP_WORKER").unwrap();
    assert_eq!(stray.status(), Status::Warn);
    assert_eq!(stray.code(), Some(&Code::UNKNOWN_VARIABLE));
    let message = stray.message().unwrap();
    assert!(message.contains("did you mean `APP_WORKERS`"), "{message}");
    assert!(report.get("APP_TOKEN_FILE_OLD").is_some());
    // Read names, `_FILE` companions and names without the prefix are not strays.
    for name in ["APP_TOKEN_FILE", "OTHER_THING", "APP_DB_HOST"] {
        assert_eq!(
            report.get(name).map(|e| e.code().cloned()),
            if name == "APP_DB_HOST" {
                Some(None)
            } else {
                None
            },
            "{name}"
        );
    }
    assert!(!json_bodies(&report).contains(VALUE));
    // A stray warns; the load itself succeeds.
    assert!(App::from_vars(vars).is_ok());
}

#[test]
fn a_nested_structs_own_prefix_is_a_namespace_too() {
    let report = Outer::check_vars([("SVC_CACHE_TTL_SEC", "5")]);
    let stray = report.get("SVC_CACHE_TTL_SEC").unwrap();
    assert_eq!(stray.code(), Some(&Code::UNKNOWN_VARIABLE));
    assert!(
        stray
            .message()
            .unwrap()
            .contains("did you mean `SVC_CACHE_TTL_SECS`")
    );
}

#[test]
fn load_from_keeps_strays_in_its_report() {
    let vars: health::Vars = [("APP_TOKEN", "t"), ("APP_DB_HOST", "h"), ("APP_TOKNE", "x")]
        .into_iter()
        .collect();
    let loaded = health::load_from::<App>(&vars);
    assert!(loaded.is_ready());
    assert_eq!(
        loaded.report().get("APP_TOKNE").unwrap().code(),
        Some(&Code::UNKNOWN_VARIABLE)
    );
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "STRICT_", deny_unknown)]
struct Strict {
    #[contract(alias = "OLD_PORT", default = 80)]
    port: u16,
}

#[test]
fn deny_unknown_fails_a_stray_and_the_load() {
    let report = Strict::check_vars([("STRICT_PROT", VALUE)]);
    let stray = report.get("STRICT_PROT").unwrap();
    assert_eq!(stray.status(), Status::Fail);
    assert_eq!(stray.code(), Some(&Code::UNKNOWN_VARIABLE));
    assert!(
        stray
            .message()
            .unwrap()
            .contains("did you mean `STRICT_PORT`")
    );
    let error = Strict::from_vars([("STRICT_PROT", VALUE)]).unwrap_err();
    assert!(error.to_string().contains("STRICT_PROT"), "{error}");
    assert!(!error.to_string().contains(VALUE), "{error}");
    let vars: health::Vars = [("STRICT_PROT", "1")].into_iter().collect();
    assert!(!health::load_from::<Strict>(&vars).is_ready());
    // The variable, its alias (prefixed) and their `_FILE` companions are all read names.
    for name in [
        "STRICT_PORT",
        "STRICT_OLD_PORT",
        "STRICT_PORT_FILE",
        "STRICT_OLD_PORT_FILE",
    ] {
        let value = if name.ends_with("_FILE") {
            "/nonexistent"
        } else {
            "81"
        };
        let report = Strict::check_vars([(name, value)]);
        assert!(
            report
                .entries()
                .iter()
                .all(|e| e.code() != Some(&Code::UNKNOWN_VARIABLE)),
            "{name}: {report:?}"
        );
    }
    assert!(Strict::from_vars([("OTHER", "1")]).is_ok());
}

#[derive(Debug, ReadinessContract)]
struct Plain {
    #[contract(nested)]
    cache: Cache,
}

/// `config verify` calls the same names strays as a run does: under a nested struct's own
/// prefix too, not only the root's.
#[cfg(feature = "verify")]
#[test]
fn verify_finds_the_strays_a_run_finds() {
    let vars = [("CACHE_TTL_SECS", "5"), ("CACHE_SIZE", "10")];
    let run = Plain::check_vars(vars);
    assert_eq!(
        run.get("CACHE_SIZE").and_then(|e| e.code()),
        Some(&Code::UNKNOWN_VARIABLE)
    );
    let verification = health::verify::Verifier::new()
        .text("app.env", "CACHE_TTL_SECS=5\nCACHE_SIZE=10\n")
        .run::<Plain>()
        .unwrap();
    let stray = verification
        .get("CACHE_SIZE")
        .expect("CACHE_SIZE is a stray");
    assert_eq!(stray.code(), Some(&Code::UNKNOWN_VARIABLE));
    assert_eq!(stray.status(), Status::Warn);
    assert!(verification.get("CACHE_TTL_SECS").unwrap().code().is_none());
}

//! Warnings and deprecations: a validator or a `check` rule accepts with a warning (readiness
//! stays 200), a deprecated variable warns while it is set, an old name's old values map to
//! the new ones.

#![allow(dead_code)]

use health::{Code, ReadinessContract, Status, Warning};

fn long_enough(token: &str) -> Result<(), Warning> {
    if token.len() < 32 {
        return Err(Warning::new(
            "weak token",
            "shorter than 32 characters: rotate it",
        ));
    }
    Ok(())
}

/// Unknown features are a warning, `all` an error.
fn known_features(features: &[String]) -> Result<Option<Warning>, String> {
    if features.iter().any(|f| f == "all") {
        return Err("`all` is not a feature: list them".to_owned());
    }
    let unknown: Vec<&str> = features
        .iter()
        .map(String::as_str)
        .filter(|f| !["search", "export"].contains(f))
        .collect();
    Ok((!unknown.is_empty()).then(|| {
        Warning::new(
            "unknown_feature",
            format!("unknown features ignored: {}", unknown.join(", ")),
        )
    }))
}

fn same_region(primary: &Option<String>, replica: &Option<String>) -> Result<(), Warning> {
    match (primary, replica) {
        (Some(p), Some(r)) if p == r => Err(Warning::new(
            "no_redundancy",
            "the replica is in the primary's region",
        )),
        _ => Ok(()),
    }
}

#[derive(Debug, ReadinessContract)]
#[contract(check(same_region, reads(primary_region, replica_region)))]
struct Config {
    #[contract(secret, validate = long_enough)]
    token: String,
    #[contract(default = "search", validate = known_features)]
    features: Vec<String>,
    #[contract(deprecated = "retries are set per queue now")]
    retries: Option<u32>,
    #[contract(alias = "ENV", old_values("prod" => "production", "dev" => "development"), one_of = ["production", "development"], default = "production")]
    mode: String,
    primary_region: Option<String>,
    replica_region: Option<String>,
}

const TOKEN: (&str, &str) = ("TOKEN", "0123456789abcdef0123456789abcdef");

#[test]
fn a_validator_warning_keeps_the_value_and_readiness() {
    let vars = [("TOKEN", "short-secret-value")];
    let config = Config::from_vars(vars).unwrap();
    assert_eq!(config.token, "short-secret-value");
    let report = Config::check_vars(vars);
    assert!(report.is_ready());
    assert_eq!(report.http_status(), 200);
    let token = report.get("TOKEN").unwrap();
    assert_eq!(token.status(), Status::Warn);
    assert_eq!(token.code(), Some(&Code::new("weak_token")));
    // A secret's warning message is withheld: a validator may quote the value.
    assert!(!format!("{report:?}").contains("short-secret-value"));
    assert!(!token.message().unwrap().contains("shorter"), "{token:?}");
}

#[test]
fn a_validator_can_warn_or_reject() {
    let report = Config::check_vars([TOKEN, ("FEATURES", "search,beta,export")]);
    let features = report.get("FEATURES").unwrap();
    assert_eq!(features.status(), Status::Warn);
    assert_eq!(features.code(), Some(&Code::new("unknown_feature")));
    assert_eq!(features.message(), Some("unknown features ignored: beta"));
    let report = Config::check_vars([TOKEN, ("FEATURES", "search,all")]);
    let features = report.get("FEATURES").unwrap();
    assert_eq!(features.status(), Status::Fail);
    assert_eq!(features.code(), Some(&Code::REJECTED));
    assert!(Config::from_vars([TOKEN, ("FEATURES", "search,all")]).is_err());
}

#[test]
fn a_check_rule_can_warn() {
    let vars = [
        TOKEN,
        ("PRIMARY_REGION", "eu-west"),
        ("REPLICA_REGION", "eu-west"),
    ];
    assert!(Config::from_vars(vars).is_ok());
    let report = Config::check_vars(vars);
    let rule = report.get("check:same_region").unwrap();
    assert_eq!(rule.status(), Status::Warn);
    assert_eq!(rule.code(), Some(&Code::new("no_redundancy")));
    assert_eq!(rule.variables(), ["PRIMARY_REGION", "REPLICA_REGION"]);
    assert!(report.is_ready());
}

#[test]
fn a_deprecated_variable_warns_only_while_set() {
    let report = Config::check_vars([TOKEN]);
    assert_eq!(report.get("RETRIES").unwrap().status(), Status::Pass);
    let vars = [TOKEN, ("RETRIES", "3")];
    assert_eq!(Config::from_vars(vars).unwrap().retries, Some(3));
    let report = Config::check_vars(vars);
    let retries = report.get("RETRIES").unwrap();
    assert_eq!(retries.status(), Status::Warn);
    assert_eq!(retries.code(), Some(&Code::DEPRECATED));
    assert_eq!(
        retries.message(),
        Some("deprecated: retries are set per queue now")
    );
    // A bad value of a deprecated variable still fails.
    let report = Config::check_vars([TOKEN, ("RETRIES", "many")]);
    assert_eq!(report.get("RETRIES").unwrap().code(), Some(&Code::INVALID));
}

#[test]
fn an_old_names_old_values_map_to_the_new_ones() {
    let config = Config::from_vars([TOKEN, ("ENV", "prod")]).unwrap();
    assert_eq!(config.mode, "production");
    let report = Config::check_vars([TOKEN, ("ENV", "dev")]);
    let mode = report.get("MODE").unwrap();
    assert_eq!(mode.code(), Some(&Code::RENAMED));
    assert_eq!(
        mode.message(),
        Some("set as `ENV` (an old name): rename it to `MODE`, and write `dev` as `development`")
    );
    // Under the new name, old values are not accepted.
    let report = Config::check_vars([TOKEN, ("MODE", "prod")]);
    assert_eq!(report.get("MODE").unwrap().code(), Some(&Code::REJECTED));
    // New values under the old name pass as they are.
    assert_eq!(
        Config::from_vars([TOKEN, ("ENV", "development")])
            .unwrap()
            .mode,
        "development"
    );
}

#[test]
fn the_contract_records_deprecation_and_old_values() {
    let variables = Config::contract().variables();
    let retries = variables.iter().find(|v| v.name() == "RETRIES").unwrap();
    assert_eq!(
        retries.spec().deprecated(),
        Some("retries are set per queue now")
    );
    let mode = variables.iter().find(|v| v.name() == "MODE").unwrap();
    assert_eq!(
        mode.spec().old_values(),
        [("prod", "production"), ("dev", "development")]
    );
}

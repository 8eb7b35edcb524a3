//! Derived defaults: `default_from(path(a, b))` computes a field's default from other fields
//! when its variable is absent, and the contract records what it is derived from.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use health::{Code, ReadinessContract, Requirement, Status};

fn under(dir: &Path) -> PathBuf {
    dir.join("cache")
}

/// 443 behind TLS, 80 without.
fn port_for(tls: &bool) -> u16 {
    if *tls { 443 } else { 80 }
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "APP_")]
struct Config {
    data_dir: PathBuf,
    #[contract(default_from(under(data_dir)))]
    cache_dir: PathBuf,
    #[contract(default = false)]
    tls: bool,
    #[contract(default_from(port_for(tls)), range = 1..=65535)]
    port: u16,
}

#[test]
fn an_absent_variable_takes_the_default_computed_from_the_others() {
    let config =
        Config::from_vars([("APP_DATA_DIR", "/var/lib/app"), ("APP_TLS", "true")]).unwrap();
    assert_eq!(config.cache_dir, PathBuf::from("/var/lib/app/cache"));
    assert_eq!(config.port, 443);
    let config = Config::from_vars([("APP_DATA_DIR", "/d")]).unwrap();
    assert_eq!(config.port, 80);
    let report = Config::check_vars([("APP_DATA_DIR", "/d")]);
    assert_eq!(
        report.get("APP_CACHE_DIR").unwrap().origin(),
        Some(&health::Origin::Default)
    );
}

#[test]
fn a_set_variable_wins_over_its_derived_default() {
    let config = Config::from_vars([
        ("APP_DATA_DIR", "/d"),
        ("APP_CACHE_DIR", "/tmp/c"),
        ("APP_PORT", "8443"),
    ])
    .unwrap();
    assert_eq!(config.cache_dir, PathBuf::from("/tmp/c"));
    assert_eq!(config.port, 8443);
}

#[test]
fn a_default_whose_input_failed_is_skipped_not_failed_twice() {
    let report = Config::check_vars([("APP_TLS", "sometimes")]);
    let failed: Vec<&str> = report.failures().map(|e| e.name()).collect();
    assert_eq!(failed, ["APP_DATA_DIR", "APP_TLS"]);
    let cache = report.get("APP_CACHE_DIR").unwrap();
    assert_eq!(cache.status(), Status::Warn);
    assert_eq!(cache.code(), Some(&Code::SKIPPED));
    assert_eq!(
        cache.message(),
        Some("not computed: its default is derived from `APP_DATA_DIR`, which did not load")
    );
}

#[test]
fn the_contract_records_what_a_default_is_derived_from() {
    let variables = Config::contract().variables();
    let cache = &variables[1];
    assert_eq!(cache.spec().requirement(), Requirement::Default);
    assert_eq!(cache.spec().default(), Some("under(data_dir)"));
    assert_eq!(cache.derived_from(), ["APP_DATA_DIR"]);
    assert_eq!(variables[3].derived_from(), ["APP_TLS"]);
    assert!(variables[0].derived_from().is_empty());
}

mod settings {
    use health::{ReadinessContract, Setting};

    fn port_for(tls: &bool) -> u16 {
        if *tls { 443 } else { 80 }
    }

    #[derive(Debug, ReadinessContract)]
    #[contract(prefix = "APP_")]
    struct Config {
        #[contract(default = false)]
        tls: Setting<bool>,
        #[contract(default_from(port_for(tls)))]
        port: Setting<u16>,
        #[contract(secret)]
        token: Setting<Option<String>>,
    }

    #[test]
    fn a_setting_tells_a_set_value_from_a_default() {
        let config = Config::from_vars([("APP_TLS", "true")]).unwrap();
        assert!(config.tls.is_set());
        assert!(*config.tls);
        assert_eq!(*config.port, 443);
        assert!(config.port.is_default());
        assert_eq!(config.token.value(), &None);
        assert!(!config.token.is_set());
        let config = Config::from_vars([("APP_PORT", "8443"), ("APP_TOKEN", "t")]).unwrap();
        assert!(config.port.is_set());
        assert!(config.tls.is_default());
        assert_eq!(config.token.into_inner().as_deref(), Some("t"));
        // An empty variable is not set: the default is used.
        let config = Config::from_vars([("APP_PORT", "")]).unwrap();
        assert!(config.port.is_default());
        // The contract shows the variable's own type.
        assert_eq!(Config::contract().variables()[1].spec().ty(), "u16");
    }
}

#[cfg(feature = "docs")]
#[test]
fn every_generator_says_what_a_default_is_derived_from() {
    let contract = Config::contract();
    let markdown = health::docs::markdown_table(contract);
    assert!(
        markdown.contains("When unset, derived from `APP_DATA_DIR`."),
        "{markdown}"
    );
    let example = health::docs::env_example(contract);
    assert!(example.contains("# type: PathBuf, default: under(data_dir) (leave blank to use it)\n# when unset, derived from APP_DATA_DIR\n"), "{example}");
    let schema = health::docs::json_schema(contract).to_string();
    assert!(
        schema.contains("When unset, derived from `APP_DATA_DIR`."),
        "{schema}"
    );
}

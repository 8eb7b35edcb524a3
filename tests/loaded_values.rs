//! `Loaded::value`: the variables that passed, read from a config that did not load whole.

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use health::{ReadinessContract, Vars};

#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Server {
    #[contract(default = "127.0.0.1")]
    host: IpAddr,
    #[contract(default = 8000, range = 1..=65535, alias = "LISTEN_PORT")]
    port: u16,
    #[contract(default = "5s")]
    drain: Duration,
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "APP_")]
#[allow(dead_code)]
struct Config {
    #[contract(secret)]
    token: String,
    debug: Option<bool>,
    #[contract(nested, prefix = "SRV_")]
    server: Server,
}

fn vars(pairs: &[(&str, &str)]) -> Vars {
    pairs.iter().copied().collect()
}

#[test]
fn a_broken_config_still_gives_the_variables_that_passed() {
    let source = vars(&[("APP_SRV_PORT", "9090"), ("APP_SRV_DRAIN", "soon")]);
    let loaded = health::load_from::<Config>(&source);
    assert!(loaded.config().is_none());
    assert_eq!(loaded.value::<u16>(&source, "APP_SRV_PORT"), Some(9090));
    // A default, parsed by the field's rule.
    assert_eq!(
        loaded.value::<IpAddr>(&source, "APP_SRV_HOST"),
        Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
    );
    // Failing ones, absent optionals and unknown names give nothing.
    assert_eq!(loaded.value::<Duration>(&source, "APP_SRV_DRAIN"), None);
    assert_eq!(loaded.value::<String>(&source, "APP_TOKEN"), None);
    assert_eq!(loaded.value::<bool>(&source, "APP_DEBUG"), None);
    assert_eq!(loaded.value::<u16>(&source, "SRV_PORT"), None);
    assert_eq!(loaded.value::<u16>(&source, "APP_NOPE"), None);
    // A type whose rule does not read the value gives nothing either.
    assert_eq!(loaded.value::<bool>(&source, "APP_SRV_PORT"), None);
}

#[test]
fn a_variable_set_beside_its_file_gives_nothing() {
    let source = vars(&[
        ("APP_SRV_PORT", "9090"),
        ("APP_SRV_PORT_FILE", "/run/secrets/port"),
    ]);
    let loaded = health::load_from::<Config>(&source);
    let entry = loaded.report().get("APP_SRV_PORT").unwrap();
    assert_eq!(entry.code().unwrap().as_str(), "conflict");
    assert_eq!(loaded.value::<u16>(&source, "APP_SRV_PORT"), None);
}

#[test]
fn a_value_is_read_as_the_loader_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "t-123\n").unwrap();
    let source: Vars = [
        ("APP_TOKEN_FILE", token.as_os_str()),
        ("APP_SRV_LISTEN_PORT", "9191".as_ref()),
        ("APP_SRV_DRAIN", "".as_ref()),
        ("APP_DEBUG", "yes".as_ref()),
    ]
    .into_iter()
    .collect();
    let loaded = health::load_from::<Config>(&source);
    assert!(loaded.is_ready(), "{loaded}");
    assert_eq!(loaded.config().unwrap().token, "t-123");
    // `NAME_FILE` without its trailing line break, an old name, an empty value as absent (its
    // default), the `bool` rule.
    assert_eq!(
        loaded.value::<String>(&source, "APP_TOKEN").as_deref(),
        Some("t-123")
    );
    assert_eq!(loaded.value::<u16>(&source, "APP_SRV_PORT"), Some(9191));
    assert_eq!(
        loaded.value::<Duration>(&source, "APP_SRV_DRAIN"),
        Some(Duration::from_secs(5))
    );
    assert_eq!(loaded.value::<bool>(&source, "APP_DEBUG"), Some(true));
}

#[test]
fn a_value_its_constraints_refused_is_not_given() {
    let source = vars(&[("APP_TOKEN", "t"), ("APP_SRV_PORT", "0")]);
    let loaded = health::load_from::<Config>(&source);
    assert_eq!(
        loaded
            .report()
            .get("APP_SRV_PORT")
            .unwrap()
            .code()
            .unwrap()
            .as_str(),
        "rejected"
    );
    assert_eq!(loaded.value::<u16>(&source, "APP_SRV_PORT"), None);
    assert_eq!(
        loaded.value::<String>(&source, "APP_TOKEN").as_deref(),
        Some("t")
    );
}

#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Named {
    #[contract(default = String::from("from-code"))]
    name: String,
    #[contract(default = "from-text")]
    label: String,
    #[contract(default = -1)]
    offset: i32,
}

#[test]
fn a_default_written_as_an_expression_is_no_value_to_give() {
    let source = vars(&[]);
    let loaded = health::load_from::<Named>(&source);
    assert_eq!(loaded.config().unwrap().name, "from-code");
    // The contract records the expression as written; it is never read as a value.
    let specs: Vec<_> = Named::contract().variables();
    assert!(specs[0].spec().default_is_expression());
    assert!(!specs[1].spec().default_is_expression());
    assert!(!specs[2].spec().default_is_expression());
    assert_eq!(loaded.value::<String>(&source, "NAME"), None);
    assert_eq!(
        loaded.value::<String>(&source, "LABEL").as_deref(),
        Some("from-text")
    );
    assert_eq!(loaded.value::<i32>(&source, "OFFSET"), Some(-1));
}

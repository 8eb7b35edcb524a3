//! The JSON Schema of `health::docs` holds the rules between variables and the optional groups
//! exactly as the loader does.
//!
//! One config uses every rule kind (a `requires` on a toggle, one on a toggle that defaults to
//! true, one inside an optional group, one whose variables may be empty; a `required_if` on a
//! toggle and one whose default is the value compared), an optional group that is on once any of its variables
//! is set, and one switched by a `bool`. Environments are drawn by a seeded generator: each
//! variable absent, empty, or set to one of a few values (every value parses, but for a
//! switched group's variable set to a value its parser refuses, which counts only while the
//! switch is on). Each one is checked by the loader and by Python's `jsonschema` against the
//! generated schema (`schema_parity.py`), and the verdicts must be equal.
//!
//! The generator and the run of the validator are the parity tests' harness
//! (`common/schema.rs`); here the config, its values and what the verdicts must show.
//!
//! The `check` rule runs code the schema cannot see: it is listed in `x-rules` with
//! `"inSchema": false`, and held out of the parity by its values (it never fails here).
//!
//! Without `python3` or the package, the test prints a line starting with `SKIP:` and passes,
//! unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

mod common;

use common::schema;

use std::collections::BTreeMap;

use health::{ReadinessContract, Report, docs};
use serde_json::{Value, json};

/// Never fails on the values drawn here: the certificate and the key are never the same.
fn distinct(cert: &Option<String>, key: &Option<String>) -> Result<(), String> {
    match (cert, key) {
        (Some(cert), Some(key)) if cert == key => Err("the same file twice".to_owned()),
        _ => Ok(()),
    }
}

/// An optional group: off while none of its variables is set, all or nothing once one is.
#[derive(Debug, ReadinessContract)]
#[contract(requires(user => password))]
#[allow(dead_code)]
struct Mail {
    host: String,
    #[contract(default = 587)]
    port: u16,
    user: Option<String>,
    #[contract(secret)]
    password: Option<String>,
}

/// A group switched by `R_SMS_ENABLED`.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Sms {
    token: String,
    #[contract(default = 10)]
    rate: u16,
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "R_")]
#[contract(requires(tls_cert => tls_key))]
#[contract(conflicts(url => host))]
#[contract(exactly_one_of(url, host))]
#[contract(at_most_one_of(cache_url, cache_socket, cache_dir))]
#[contract(at_least_one_of(email, webhook))]
#[contract(required_if(mode == "tls", tls_cert, tls_key))]
#[contract(requires(metrics => metrics_port))]
#[contract(requires(audit => audit_dir))]
#[contract(required_if(verbose == true, log_file))]
#[contract(required_if(level == "info", info_sink))]
#[contract(requires(proxy => proxy_auth))]
#[contract(check(distinct, reads(tls_cert, tls_key)))]
#[allow(dead_code)]
struct Rules {
    tls_cert: Option<String>,
    tls_key: Option<String>,
    url: Option<String>,
    host: Option<String>,
    cache_url: Option<String>,
    cache_socket: Option<String>,
    cache_dir: Option<String>,
    email: Option<String>,
    #[contract(alias = "HOOK")]
    webhook: Option<String>,
    #[contract(default = "plain", one_of = ["plain", "tls"])]
    mode: String,
    #[contract(default = false)]
    metrics: bool,
    metrics_port: Option<u16>,
    #[contract(default = true)]
    audit: bool,
    audit_dir: Option<String>,
    verbose: Option<bool>,
    log_file: Option<String>,
    #[contract(default = "info")]
    level: String,
    info_sink: Option<String>,
    #[contract(allow_empty)]
    proxy: Option<String>,
    #[contract(allow_empty)]
    proxy_auth: Option<String>,
    #[contract(nested, prefix = "MAIL_")]
    mail: Option<Mail>,
    #[contract(default = false)]
    sms_enabled: bool,
    #[contract(nested, prefix = "SMS_", switch = sms_enabled)]
    sms: Option<Sms>,
}

/// Each variable's values: `None` is absent; every value parses unless marked.
const VALUES: &[(&str, &[Option<&str>])] = &[
    ("R_TLS_CERT", &[None, Some(""), Some("/tls/cert.pem")]),
    ("R_TLS_KEY", &[None, Some(""), Some("/tls/key.pem")]),
    ("R_URL", &[None, Some(""), Some("postgres://db/app")]),
    ("R_HOST", &[None, Some("db")]),
    ("R_CACHE_URL", &[None, Some("redis://cache")]),
    ("R_CACHE_SOCKET", &[None, Some(""), Some("/run/cache.sock")]),
    ("R_CACHE_DIR", &[None, Some("/var/cache")]),
    ("R_EMAIL", &[None, Some(""), Some("ops@example.com")]),
    ("R_WEBHOOK", &[None, Some("https://hooks.example.com/x")]),
    ("R_HOOK", &[None, None, Some("https://old.example.com/x")]),
    ("R_MODE", &[None, Some(""), Some("plain"), Some("tls")]),
    (
        "R_METRICS",
        &[None, Some("false"), Some("0"), Some("TRUE"), Some(" yes ")],
    ),
    ("R_METRICS_PORT", &[None, Some(""), Some("9100")]),
    (
        "R_AUDIT",
        &[None, None, Some("off"), Some("No"), Some("1"), Some("")],
    ),
    ("R_AUDIT_DIR", &[None, Some("/var/audit")]),
    (
        "R_VERBOSE",
        &[None, Some("true"), Some("on"), Some("false"), Some("")],
    ),
    ("R_LOG_FILE", &[None, Some(""), Some("/var/log/app.log")]),
    ("R_LEVEL", &[None, Some(""), Some("info"), Some("debug")]),
    ("R_INFO_SINK", &[None, Some(""), Some("/var/log/info")]),
    ("R_PROXY", &[None, Some(""), Some("http://proxy:3128")]),
    ("R_PROXY_AUTH", &[None, Some(""), Some("basic")]),
    (
        "R_MAIL_HOST",
        &[None, None, Some(""), Some("smtp.example.com")],
    ),
    ("R_MAIL_PORT", &[None, None, None, Some(""), Some("2525")]),
    ("R_MAIL_USER", &[None, None, Some("ann")]),
    ("R_MAIL_PASSWORD", &[None, None, Some(""), Some("pw")]),
    (
        "R_SMS_ENABLED",
        &[None, Some("false"), Some("true"), Some("on")],
    ),
    ("R_SMS_TOKEN", &[None, Some(""), Some("tok")]),
    // `many` does not parse: a failure only while the switch is on.
    ("R_SMS_RATE", &[None, None, Some("5"), Some("many")]),
];

/// How many environments are drawn.
const ENVIRONMENTS: usize = 12_000;

/// What a sparse environment starts from: every rule holds.
const BASE: &[(&str, &str)] = &[
    ("R_URL", "postgres://db/app"),
    ("R_EMAIL", "ops@example.com"),
    ("R_AUDIT_DIR", "/var/audit"),
    ("R_INFO_SINK", "/var/log/info"),
];

/// The environments: every other one draws each variable's value evenly; the others keep
/// [`BASE`] (and leave the other variables absent) for two variables in three, so that more
/// of them are ready.
const GENERATOR: schema::Generator = schema::Generator {
    seed: 0x9e37_79b9_7f4a_7c15,
    values: VALUES,
    bases: &[BASE],
    redraw: 3,
};

/// Whether an entry is a rule's or a group's: a rule's name has a `:`, and a variable of an
/// optional group that is on says so when it is missing.
fn between(entry: &health::ReportEntry) -> bool {
    entry.name().contains(':') || entry.message().is_some_and(|m| m.contains("group is on"))
}

#[test]
fn the_schema_and_the_loader_agree_on_every_rule_and_group() {
    let envs = GENERATOR.environments(ENVIRONMENTS);
    let mut cases = Vec::with_capacity(envs.len());
    // Per rule or group entry: how many environments it failed in.
    let mut failed: BTreeMap<String, usize> = BTreeMap::new();
    let mut ready = 0;
    for (i, env) in envs.iter().enumerate() {
        let report: Report = Rules::check_vars(env.iter().copied());
        for entry in report.failures().filter(|e| between(e)) {
            let key = if entry.name().contains(':') {
                entry.name().to_owned()
            } else {
                format!("group: {}", entry.name())
            };
            *failed.entry(key).or_default() += 1;
        }
        ready += usize::from(report.is_ready());
        cases.push(schema::case(
            "rules",
            &format!("env {i}"),
            env,
            report.is_ready(),
        ));
    }
    println!("{} environments, {ready} ready", envs.len());
    for (name, count) in &failed {
        println!("{name}: fails in {count}");
    }
    // Every presence rule and `required_if` fails somewhere, and so does each group.
    for rule in Rules::contract().rules() {
        if rule.kind() != health::RuleKind::Check {
            assert!(
                failed.get(&rule.name()).is_some_and(|n| *n >= 20),
                "{} {failed:?}",
                rule.name()
            );
        }
    }
    for name in ["R_MAIL_HOST", "R_SMS_TOKEN"] {
        assert!(failed.contains_key(&format!("group: {name}")), "{failed:?}");
    }
    assert!(ready >= 500 && envs.len() - ready >= 500, "{ready}");

    schema::assert_schema_agrees("rules", docs::json_schema(Rules::contract()), cases);
}

#[test]
fn the_schema_lists_every_rule_and_says_which_it_cannot_hold() {
    let schema = docs::json_schema(Rules::contract());
    let listed = schema["x-rules"].as_array().unwrap();
    let names: Vec<&str> = listed.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "requires:R_MAIL_USER,R_MAIL_PASSWORD",
            "requires:R_TLS_CERT,R_TLS_KEY",
            "conflicts:R_URL,R_HOST",
            "exactly_one_of:R_URL,R_HOST",
            "at_most_one_of:R_CACHE_URL,R_CACHE_SOCKET,R_CACHE_DIR",
            "at_least_one_of:R_EMAIL,R_WEBHOOK",
            "required_if:R_MODE=tls,R_TLS_CERT,R_TLS_KEY",
            "requires:R_METRICS,R_METRICS_PORT",
            "requires:R_AUDIT,R_AUDIT_DIR",
            "required_if:R_VERBOSE=true,R_LOG_FILE",
            "required_if:R_LEVEL=info,R_INFO_SINK",
            "requires:R_PROXY,R_PROXY_AUTH",
            "check:distinct",
            "group:mail",
            "group:sms",
        ]
    );
    let check = &listed[12];
    assert_eq!(check["inSchema"], false);
    assert_eq!(
        check["sentence"],
        "`distinct` checks `R_TLS_CERT` and `R_TLS_KEY` together."
    );
    assert!(
        listed
            .iter()
            .filter(|r| r != &check)
            .all(|r| r["inSchema"] == true)
    );
    assert_eq!(
        listed[13]["sentence"],
        "Set all or none: once any variable of the group is set, `R_MAIL_HOST` must be set."
    );
    // Where set means given, the empty value included: `dependentRequired`.
    assert_eq!(
        schema["dependentRequired"],
        json!({"R_PROXY": ["R_PROXY_AUTH"]})
    );
    // A group's required variable is not required at the top.
    let required = schema["required"].as_array().unwrap();
    assert!(!required.contains(&json!("R_MAIL_HOST")), "{required:?}");
    // The `if` of a `required_if` requires the variable compared (else it holds when unset).
    let all_of = schema["allOf"].as_array().unwrap();
    let mode_if = all_of
        .iter()
        .find_map(|s| {
            s["if"]["properties"]["R_MODE"]["const"]
                .as_str()
                .map(|_| &s["if"])
        })
        .expect("an if on R_MODE");
    assert_eq!(mode_if["required"], json!(["R_MODE"]));
    // A switched group's values are checked only while the switch is on.
    assert!(schema["properties"]["R_SMS_RATE"].get("pattern").is_none());
}

#[test]
fn the_contracts_json_records_the_rules_and_groups_the_schema_is_made_from() {
    let contract = serde_json::to_value(Rules::contract()).unwrap();
    let schema = docs::json_schema(Rules::contract());
    let names = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let mut recorded = names(&contract["rules"]);
    recorded.extend(names(&contract["groups"]));
    assert_eq!(recorded, names(&schema["x-rules"]));
    assert_eq!(contract["groups"][1]["switch"], "R_SMS_ENABLED");
}

/// `true` and `false` only: a `bool` read by a parser of its own.
fn strict_bool(text: &str) -> Result<bool, String> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err("true or false".to_owned()),
    }
}

/// A toggle whose own parser reads it: still a `bool`, set for the rules only while true.
#[derive(Debug, ReadinessContract)]
#[contract(requires(hooks => hook_url))]
#[allow(dead_code)]
struct Hooks {
    #[contract(parse_with = strict_bool, default = false)]
    hooks: bool,
    hook_url: Option<String>,
}

#[test]
fn a_bool_with_its_own_parser_is_a_toggle_in_the_schema_as_in_the_loader() {
    let hooks = &Hooks::contract().variables()[0];
    assert!(hooks.spec().is_toggle());
    assert!(!Hooks::contract().variables()[1].spec().is_toggle());
    let envs: [(&[(&str, &str)], bool); 4] = [
        (&[], true),
        (&[("HOOKS", "false")], true),
        (&[("HOOKS", "true")], false),
        (
            &[("HOOKS", "true"), ("HOOK_URL", "https://h.example")],
            true,
        ),
    ];
    let mut cases = Vec::new();
    for (env, ready) in envs {
        assert_eq!(
            Hooks::check_vars(env.iter().copied()).is_ready(),
            ready,
            "{env:?}"
        );
        cases.push(schema::case("hooks", "HOOKS", env, ready));
    }
    schema::assert_schema_agrees("hooks", docs::json_schema(Hooks::contract()), cases);
}

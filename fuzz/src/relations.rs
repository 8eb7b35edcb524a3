//! The `relations` target: a config with rules between variables, an optional group, a
//! switched group and a derived default, loaded from arbitrary variables.

use std::ffi::OsString;
use std::sync::OnceLock;

use health::{Code, ReadinessContract, Report, Status};

use super::{records, set_or_twin};

/// Rejects the certificate `reject` and warns on `warn`; the verdict reads only the
/// certificate, but the message quotes the key, a secret, so a message that is not withheld
/// would leak (and the output would change with the key).
fn distinct(
    cert: &Option<String>,
    key: &Option<String>,
) -> Result<Option<health::Warning>, String> {
    match cert.as_deref() {
        Some("reject") => Err(format!("certificate refused with key {key:?}")),
        Some("warn") => Ok(Some(health::Warning::new(
            "weak",
            format!("weak with key {key:?}"),
        ))),
        _ => Ok(None),
    }
}

fn port_of(metrics: &bool) -> u16 {
    if *metrics { 9090 } else { 0 }
}

/// An optional group: all or nothing.
#[derive(Debug, ReadinessContract)]
#[contract(at_most_one_of(password, token))]
#[allow(dead_code)]
pub struct Smtp {
    host: String,
    #[contract(secret)]
    password: Option<String>,
    #[contract(secret)]
    token: Option<String>,
    #[contract(default = 25)]
    port: u16,
}

/// A group switched by `RZ_HOOKS_ON`.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
pub struct Hooks {
    url: String,
    #[contract(secret)]
    signing_key: String,
}

/// A local directory.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
pub struct Disk {
    path: String,
}

/// A bucket, with its secret key.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
pub struct Bucket {
    name: String,
    #[contract(secret)]
    key: String,
}

/// A backend chosen by `RZ_STORE_KIND`.
#[derive(Debug, ReadinessContract)]
#[contract(tag = "KIND")]
#[allow(dead_code)]
pub enum Store {
    #[contract(default)]
    Disk(Disk),
    #[contract(prefix = "S3_")]
    S3(Bucket),
    Memory,
}

/// A backend chosen by presence: exactly one of a queue or a log.
#[derive(Debug, ReadinessContract)]
#[contract(exactly_one)]
#[allow(dead_code)]
pub enum Sink {
    #[contract(prefix = "QUEUE_")]
    Queue(Disk),
    #[contract(prefix = "LOG_")]
    Log(Disk),
}

/// Every kind of rule, both kinds of group, both kinds of choice, a derived default.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "RZ_")]
#[contract(requires(cert => key))]
#[contract(conflicts(url => host))]
#[contract(at_most_one_of(primary, replica))]
#[contract(at_least_one_of(email, hook))]
#[contract(exactly_one_of(email, hook, pager))]
#[contract(required_if(mode == "tls", cert, key))]
#[contract(requires(metrics => metrics_port))]
#[contract(check(distinct, reads(cert, key)))]
#[allow(dead_code)]
pub struct Relations {
    cert: Option<String>,
    #[contract(secret)]
    key: Option<String>,
    url: Option<String>,
    host: Option<String>,
    primary: Option<String>,
    replica: Option<String>,
    email: Option<String>,
    hook: Option<String>,
    pager: Option<String>,
    #[contract(default = "plain", one_of = ["plain", "tls"])]
    mode: String,
    #[contract(default = false)]
    metrics: bool,
    metrics_port: Option<u16>,
    #[contract(default_from(port_of(metrics)))]
    admin_port: u16,
    #[contract(nested, prefix = "SMTP_")]
    smtp: Option<Smtp>,
    #[contract(default = false)]
    hooks_on: bool,
    #[contract(nested, prefix = "HOOK_", switch = hooks_on)]
    hooks: Option<Hooks>,
    #[contract(nested, prefix = "STORE_")]
    store: Store,
    #[contract(nested, prefix = "SINK_")]
    sink: Option<Sink>,
}

/// Every variable's full name, and whether it is secret.
fn variables() -> &'static [(String, bool)] {
    static VARS: OnceLock<Vec<(String, bool)>> = OnceLock::new();
    VARS.get_or_init(|| {
        Relations::contract()
            .variables()
            .iter()
            .map(|v| (v.name().to_owned(), v.spec().is_secret()))
            .collect()
    })
}

/// `relations`: a config with rules, groups and choices, from records separated by `0x1E`;
/// a record's first byte `s` picks variable
/// `s / 4` (modulo their number) and what to do: `0` sets it to the rest, `1` sets its
/// `_FILE` twin to a nonexistent path, `2` sets it empty, `3` sets it to `true`.
/// Properties: the load and the report agree; every rule the contract records at the top
/// level has its entry; a rule blames only contract variables, a `missing` rule only unset
/// ones, a `conflict` only set ones; a skipped rule names a variable whose own entry fails;
/// no secret's value in any output.
pub fn relations(data: &[u8]) {
    let names = variables();
    let mut vars: Vec<(OsString, OsString)> = Vec::new();
    for (shape, name, rest) in records(data, names) {
        vars.push(match shape {
            0 | 1 => set_or_twin(shape, name, rest),
            2 => (OsString::from(name), OsString::new()),
            _ => (OsString::from(name), OsString::from("true")),
        });
    }
    let report = Relations::check_vars(vars.iter().cloned());
    agrees_with_the_load(&vars, &report);
    rules_blame_what_they_say(&vars, &report);
    let shifted = super::secrets_shifted(&vars, names);
    if shifted != vars {
        let other = Relations::check_vars(shifted.iter().cloned());
        assert_eq!(
            written(&report),
            written(&other),
            "a secret's value shows in the output"
        );
    }
}

/// Everything a report shows: its Debug and each entry's message.
fn written(report: &Report) -> String {
    let mut out = format!("{report:?}");
    for entry in report.entries() {
        out.push_str(entry.message().unwrap_or(""));
    }
    out.replace(|c: char| c.is_ascii_digit(), "")
        .split("time: SystemTime")
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// `from_vars` passes exactly when the report is ready, and its error's report has the
/// report's entries.
fn agrees_with_the_load(vars: &[(OsString, OsString)], report: &Report) {
    match Relations::from_vars(vars.iter().cloned()) {
        Ok(_) => assert!(
            report.is_ready(),
            "loaded, but the report fails: {report:?}"
        ),
        Err(error) => {
            assert!(!report.is_ready(), "the load failed, the report is ready");
            assert_eq!(error.report().entries(), report.entries());
        }
    }
}

/// Whether `name` is present: set non-empty, or its `_FILE` twin set non-empty.
fn present(vars: &[(OsString, OsString)], name: &str) -> bool {
    let file = format!("{name}_FILE");
    // The last value of a name wins, as in a map.
    let last = |n: &str| {
        vars.iter()
            .rev()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.clone())
    };
    last(name).is_some_and(|v| !v.is_empty()) || last(&file).is_some_and(|v| !v.is_empty())
}

fn rules_blame_what_they_say(vars: &[(OsString, OsString)], report: &Report) {
    let contract = Relations::contract();
    let known: Vec<String> = contract
        .variables()
        .iter()
        .map(|v| v.name().to_owned())
        .collect();
    let rules = contract.rules();
    for rule in rules
        .iter()
        .filter(|r| r.members().iter().all(|m| !m.name().contains("SMTP_")))
    {
        assert!(
            report.get(&rule.name()).is_some(),
            "no entry for {}",
            rule.name()
        );
    }
    let choices: Vec<String> = contract.variants().iter().map(|c| c.name()).collect();
    for entry in report
        .entries()
        .iter()
        .filter(|e| !e.variables().is_empty())
    {
        assert!(
            rules.iter().any(|r| r.name() == entry.name())
                || choices.contains(&entry.name().to_owned()),
            "{} is no rule of the contract",
            entry.name()
        );
        for name in entry.variables() {
            assert!(known.contains(name), "{} blames {name}", entry.name());
        }
        let is_toggle = |name: &str| name.ends_with("METRICS") || name.ends_with("HOOKS_ON");
        match (entry.status(), entry.code()) {
            (Status::Fail, Some(code)) if *code == Code::MISSING => {
                for name in entry.variables().iter().filter(|n| !is_toggle(n)) {
                    assert!(
                        !present(vars, name),
                        "{} blames {name}, which is set",
                        entry.name()
                    );
                }
            }
            (Status::Fail, Some(code)) if *code == Code::CONFLICT => {
                for name in entry.variables() {
                    assert!(
                        present(vars, name),
                        "{} blames {name}, which is not set",
                        entry.name()
                    );
                }
            }
            (Status::Warn, Some(code)) if *code == Code::SKIPPED => {
                assert!(
                    entry
                        .variables()
                        .iter()
                        .any(|name| report.get(name).is_some_and(|e| e.status() == Status::Fail)),
                    "{} skipped, but none of its variables failed",
                    entry.name()
                );
            }
            _ => {}
        }
    }
}

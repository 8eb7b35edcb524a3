//! `health::verify` and `config verify` on real manifest shapes (the fixtures under
//! `tests/verify/`, which `kubernetes-validate` accepts): every workload kind, `env` and
//! `envFrom` in all their forms, ConfigMaps and Secrets, `$(VAR)`, `NAME_FILE` in mounted
//! volumes, init containers, several documents per file; Docker Compose in both forms with env
//! files and `${VAR}`; `.env` files; strict mode, near misses, JSON, exit codes, errors with
//! their file and line. No output ever holds a secret value: every test sweeps what it prints
//! for the fixtures' `SECRET-` values.
//!
//! | module | covers |
//! |---|---|
//! | `kubernetes` | workloads, containers, env, envFrom, ConfigMaps, Secrets, errors |
//! | `precedence` | `env` over `envFrom`, later over earlier, `optional`, `$(VAR)` |
//! | `mounted` | `NAME_FILE` in mounted Secret, ConfigMap and projected volumes |
//! | `compose` | Compose files, env files, `${VAR}`, `.env` alone |
//! | `rules` | rules between variables and optional groups, under the service's names |
//! | `variants` | selected variants: what the files choose, and a tag they leave open |
//! | `cli` | `config verify`: the table, JSON, exit codes, standard input, errors |
//! | `validate` | the fixtures through `kubernetes-validate` |

#[path = "verify/cli.rs"]
mod cli;
mod common;
#[path = "verify/compose.rs"]
mod compose;
#[path = "verify/kubernetes.rs"]
mod kubernetes;
#[path = "verify/kubernetes_validate.rs"]
mod kubernetes_validate;
#[path = "verify/mounted.rs"]
mod mounted;
#[path = "verify/precedence.rs"]
mod precedence;
#[path = "verify/rules.rs"]
mod rules;
#[path = "verify/validate.rs"]
mod validate;
#[path = "verify/variants.rs"]
mod variants;

use std::path::{Path, PathBuf};
use std::time::Duration;

use health::ReadinessContract;
use health::verify::{Verification, Verifier, VerifyError};

/// The shop's config, as its deploy files provide it.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "SHOP_")]
#[allow(dead_code)]
pub struct Shop {
    /// The database, with its password.
    #[contract(secret)]
    database_url: url::Url,
    /// The payment provider's key.
    #[contract(secret)]
    api_key: String,
    /// The host name the shop answers to.
    host: String,
    /// Where customers reach it.
    public_url: url::Url,
    /// Where it listens.
    #[contract(default = 8080)]
    port: u16,
    /// How long a request to the database may take.
    #[contract(default = "2s")]
    timeout: Duration,
    /// `debug`, `info`, ...
    log_level: Option<String>,
    /// This replica's name.
    replica: String,
}

/// One variable, for the workload kinds (`tests/verify/k8s/kinds.yaml`).
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "TINY_")]
#[allow(dead_code)]
pub struct Tiny {
    /// Set by each workload to its kind's name.
    greeting: String,
    /// A small number.
    #[contract(default = 1)]
    count: u8,
}

/// The secret values of the fixtures: no output may hold any of them (nor any `SECRET-`).
pub const SECRETS: [&str; 2] = ["SECRET-db-pass-3141", "SECRET-api-key-2718"];

/// A fixture's path: `fixture("k8s/shop.yaml")`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/verify")
        .join(name)
}

/// A fixture's text.
pub fn text(name: &str) -> String {
    std::fs::read_to_string(fixture(name)).unwrap()
}

/// The line (from 1) of the first line of `name` containing `needle`.
pub fn line_of(name: &str, needle: &str) -> usize {
    text(name)
        .lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in {name}"))
        + 1
}

/// Fails when `text` holds a secret value.
pub fn assert_no_secret(text: &str) {
    assert!(!text.contains("SECRET-"), "a secret value leaked: {text}");
}

/// Every printed form of a verification (JSON, Debug, the summary), swept for secrets.
pub fn assert_clean(verification: &Verification) {
    assert_no_secret(&verification.to_json_pretty());
    assert_no_secret(&format!("{verification:?}"));
    assert_no_secret(&verification.summary());
}

/// The same for an error.
pub fn assert_clean_error(error: &VerifyError) {
    assert_no_secret(&error.to_string());
    assert_no_secret(&format!("{error:?}"));
}

/// `name status code` of every entry (`-` for no code), one line each.
pub fn verdicts(verification: &Verification) -> Vec<String> {
    verification
        .entries()
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e.name(),
                e.status(),
                e.code().map_or("-", |c| c.as_str())
            )
        })
        .collect()
}

/// The shop's three Kubernetes files, container `shop`, with `edit` applied to the text of
/// each (name, text): the base of most Kubernetes tests.
pub fn shop_with(edit: impl Fn(&str, String) -> String) -> Verifier {
    ["k8s/shop.yaml", "k8s/configmap.yaml", "k8s/secret.yaml"]
        .into_iter()
        .fold(Verifier::new(), |verifier, name| {
            verifier.text(name, edit(name, text(name)))
        })
        .container("shop")
}

/// Runs a verifier for `Shop`, sweeping the result for secrets.
pub fn run(verifier: &Verifier) -> Verification {
    let verification = verifier.run::<Shop>().unwrap_or_else(|e| panic!("{e}"));
    assert_clean(&verification);
    verification
}

/// Runs a verifier for `Shop` that must fail with an error, swept for secrets.
pub fn run_err(verifier: &Verifier) -> VerifyError {
    let error = verifier.run::<Shop>().expect_err("an error");
    assert_clean_error(&error);
    error
}

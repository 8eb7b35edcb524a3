//! Rules between variables and optional groups applied to the deploy's files
//! (`tests/verify/rules/`), under the names the running service gives them and blaming the
//! same variables: firm where the files decide, `unverified` where the verdict depends on what
//! only the run time knows (an `envFrom` object outside the files, a `valueFrom` toggle, the
//! shell of `docker compose`), never a guess.
//!
//! | module | covers |
//! |---|---|
//! | `firm` | every rule an entry under the service's name; failures as in the service; Secrets |
//! | `run_time` | rules over an `envFrom` or a `valueFrom` outside the files: `unverified` |
//! | `groups` | optional groups half set, switched from run time, switched on by an unseen object |
//! | `compose` | a Compose file's rules and the shell; an env file alone |
//! | `edges` | an `Option<bool>` toggle; a rule or a group open on too many variables |
//!
//! Here what they share: the store's contract and files, the rules' names, an entry's verdict
//! and the running service's for the same values.

#[path = "rules/compose.rs"]
mod compose;
#[path = "rules/edges.rs"]
mod edges;
#[path = "rules/firm.rs"]
mod firm;
#[path = "rules/groups.rs"]
mod groups;
#[path = "rules/run_time.rs"]
mod run_time;

use health::verify::{Entry, Verification, Verifier};
use health::{ReadinessContract, Status, Warning};

use super::{assert_clean, text};

/// Fails when the certificate and the key are the same text.
fn distinct(cert: &Option<String>, key: &Option<String>) -> Result<(), String> {
    match (cert, key) {
        (Some(cert), Some(key)) if cert == key => {
            Err("the certificate and the key are the same".to_owned())
        }
        _ => Ok(()),
    }
}

/// Fails when the cache URL is not a Redis URL, warns when it holds a password: quoting it.
fn redis_url(url: &Option<String>, _socket: &Option<String>) -> Result<Option<Warning>, String> {
    match url {
        Some(url) if !url.starts_with("redis://") => Err(format!("`{url}` is not a Redis URL")),
        Some(url) if url.contains('@') => Ok(Some(Warning::new(
            "password_in_url",
            format!("`{url}` holds a password: use a socket or ACL file"),
        ))),
        _ => Ok(None),
    }
}

/// A store's config: rules between its variables, an optional mail group (on once any of
/// its variables is set) and an audit group switched by `STORE_AUDIT`.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "STORE_")]
#[contract(requires(tls_cert => tls_key))]
#[contract(exactly_one_of(database_url, database_host))]
#[contract(at_most_one_of(cache_url, cache_socket))]
#[contract(requires(metrics => metrics_port))]
#[contract(required_if(mode == "tls", tls_cert, tls_key))]
#[contract(check(distinct, reads(tls_cert, tls_key)))]
#[contract(check(redis_url, reads(cache_url, cache_socket)))]
#[allow(dead_code)]
pub struct Store {
    /// The TLS certificate's path.
    tls_cert: Option<String>,
    /// The TLS key.
    #[contract(secret)]
    tls_key: Option<String>,
    /// The database, with its password.
    #[contract(secret)]
    database_url: Option<String>,
    /// The database's host, when no URL is given.
    database_host: Option<String>,
    /// A Redis URL.
    cache_url: Option<String>,
    /// A Redis socket.
    cache_socket: Option<String>,
    /// Whether metrics are served.
    #[contract(default = false)]
    metrics: bool,
    /// Where metrics are served.
    metrics_port: Option<u16>,
    /// `plain` or `tls`.
    #[contract(default = "plain", one_of = ["plain", "tls"])]
    mode: String,
    /// Mail, all or nothing.
    #[contract(nested, prefix = "MAIL_")]
    mail: Option<Mail>,
    /// Whether the audit sink is on.
    #[contract(default = false)]
    audit: bool,
    /// The audit sink, while `STORE_AUDIT` is true.
    #[contract(nested, prefix = "AUDIT_", switch = audit)]
    audit_sink: Option<Audit>,
}

/// Mail settings.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
pub struct Mail {
    /// The SMTP host.
    host: String,
    /// The SMTP user.
    user: String,
    /// The SMTP password.
    #[contract(secret)]
    password: String,
}

/// The audit sink.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
pub struct Audit {
    /// Where audit events go.
    url: String,
}

const FILE: &str = "rules/store.yaml";
const TLS: &str = "requires:STORE_TLS_CERT,STORE_TLS_KEY";
const DATABASE: &str = "exactly_one_of:STORE_DATABASE_URL,STORE_DATABASE_HOST";
const CACHE: &str = "at_most_one_of:STORE_CACHE_URL,STORE_CACHE_SOCKET";
const METRICS: &str = "requires:STORE_METRICS,STORE_METRICS_PORT";
const MODE: &str = "required_if:STORE_MODE=tls,STORE_TLS_CERT,STORE_TLS_KEY";
const CHECK: &str = "check:distinct";
const REDIS: &str = "check:redis_url";

/// The store's files with `edits` (`(from, to)` on the text) applied, container `store`.
fn store(edits: &[(&str, &str)]) -> Verifier {
    let edited = edits.iter().fold(text(FILE), |text, (from, to)| {
        assert!(text.contains(from), "{from} not in {FILE}");
        text.replacen(from, to, 1)
    });
    Verifier::new().text(FILE, edited).container("store")
}

/// Runs a verifier for `Store`, sweeping the result for secrets.
fn run(verifier: &Verifier) -> Verification {
    let verification = verifier.run::<Store>().unwrap_or_else(|e| panic!("{e}"));
    assert_clean(&verification);
    verification
}

fn entry<'v>(verification: &'v Verification, name: &str) -> &'v Entry {
    verification.get(name).unwrap_or_else(|| {
        let names: Vec<&str> = verification.entries().iter().map(|e| e.name()).collect();
        panic!("no entry {name} in {names:?}")
    })
}

/// `status code variables` of an entry: `fail missing STORE_TLS_KEY`.
fn verdict(verification: &Verification, name: &str) -> String {
    let e = entry(verification, name);
    let code = e.code().map_or("-", |c| c.as_str());
    format!("{} {code} {}", e.status(), e.variables().join(","))
        .trim_end()
        .to_owned()
}

/// The values of the base files, as the running container would see them.
const RUNNING: [(&str, &str); 10] = [
    ("STORE_TLS_CERT", "/tls/cert.pem"),
    ("STORE_TLS_KEY", "key"),
    ("STORE_DATABASE_URL", "postgres://db/store"),
    ("STORE_CACHE_URL", "redis://cache:6379"),
    ("STORE_METRICS", "false"),
    ("STORE_MODE", "tls"),
    ("STORE_MAIL_HOST", "smtp.example.com"),
    ("STORE_MAIL_USER", "store"),
    ("STORE_MAIL_PASSWORD", "pass"),
    ("STORE_AUDIT", "false"),
];

/// Asserts that every rule entry of `verification` is the running service's entry for the
/// same values (`RUNNING` with `set` added and `unset` removed): name, status, code,
/// variables and message.
fn agrees_with_the_service(verification: &Verification, set: &[(&str, &str)], unset: &[&str]) {
    let vars = RUNNING
        .iter()
        .filter(|(name, _)| !unset.contains(name))
        .chain(set);
    let report = Store::check_vars(vars.copied());
    for rule in Store::contract().rules() {
        let name = rule.name();
        let (ours, theirs) = (entry(verification, &name), report.get(&name).unwrap());
        assert_eq!(ours.status(), theirs.status(), "{name}");
        assert_eq!(ours.code(), theirs.code(), "{name}");
        assert_eq!(ours.variables(), theirs.variables(), "{name}");
        assert_eq!(ours.message(), theirs.message(), "{name}");
    }
}

/// An `envFrom` of a Secret outside the files, before the container's `env`: it may set any
/// variable the files leave unset.
const UNSEEN: [(&str, &str); 1] = [(
    "          env:\n            - name: STORE_TLS_CERT",
    "          envFrom:\n            - secretRef:\n                name: store-external\n          env:\n            - name: STORE_TLS_CERT",
)];

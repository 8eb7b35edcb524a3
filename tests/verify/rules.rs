//! Rules between variables and optional groups applied to the deploy's files
//! (`tests/verify/rules/`), under the names the running service gives them and blaming the
//! same variables: firm where the files decide, `unverified` where the verdict depends on what
//! only the run time knows (an `envFrom` object outside the files, a `valueFrom` toggle, the
//! shell of `docker compose`), never a guess.

use health::verify::{Entry, Verification, Verifier};
use health::{ReadinessContract, Status, Warning};

use super::{assert_clean, fixture, text};

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

#[test]
fn every_rule_is_an_entry_under_the_services_name_after_the_variables() {
    let v = run(&store(&[]));
    assert!(v.is_ok(), "{}", v.to_json_pretty());
    let names: Vec<&str> = v.entries().iter().map(|e| e.name()).collect();
    let rules: Vec<String> = Store::contract().rules().iter().map(|r| r.name()).collect();
    assert_eq!(rules, [TLS, DATABASE, CACHE, METRICS, MODE, CHECK, REDIS]);
    // The variables (14), then the rules in the contract's order.
    assert_eq!(
        names[14..],
        rules.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(verdict(&v, TLS), "pass - STORE_TLS_CERT,STORE_TLS_KEY");
    assert_eq!(
        verdict(&v, MODE),
        "pass - STORE_MODE,STORE_TLS_CERT,STORE_TLS_KEY"
    );
    // The check function ran on the values of the ConfigMap and the Secret.
    assert_eq!(verdict(&v, CHECK), "pass - STORE_TLS_CERT,STORE_TLS_KEY");
    agrees_with_the_service(&v, &[], &[]);
    // A variable's entry lists no variables; in JSON, a rule's lists them.
    assert!(entry(&v, "STORE_TLS_KEY").variables().is_empty());
    let json: serde_json::Value = serde_json::from_str(&v.to_json_pretty()).unwrap();
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries[0].get("variables"), None);
    assert_eq!(
        entries[14]["variables"],
        serde_json::json!(["STORE_TLS_CERT", "STORE_TLS_KEY"])
    );
}

#[test]
fn a_missing_dependent_and_two_alternatives_fail_as_in_the_service() {
    let v = run(&store(&[
        (
            "value: \"false\"\n            - name: STORE_MODE",
            "value: \"true\"\n            - name: STORE_MODE",
        ),
        (
            "- name: STORE_METRICS\n",
            "- name: STORE_CACHE_SOCKET\n              value: /run/redis.sock\n            - name: STORE_METRICS\n",
        ),
    ]));
    assert!(!v.is_ok());
    assert_eq!(verdict(&v, METRICS), "fail missing STORE_METRICS_PORT");
    assert_eq!(
        verdict(&v, CACHE),
        "fail conflict STORE_CACHE_URL,STORE_CACHE_SOCKET"
    );
    assert_eq!(
        entry(&v, METRICS).message(),
        Some("`STORE_METRICS` is set, so `STORE_METRICS_PORT` must be set too")
    );
    agrees_with_the_service(
        &v,
        &[
            ("STORE_METRICS", "true"),
            ("STORE_CACHE_SOCKET", "/run/redis.sock"),
        ],
        &["STORE_METRICS"],
    );
    let failing: Vec<&str> = v.failures().map(|e| e.name()).collect();
    assert_eq!(failing, [CACHE, METRICS]);
    assert!(v.summary().contains(METRICS), "{}", v.summary());
}

/// The database URL no longer set by name: an `envFrom` of a Secret outside the files may
/// set it, or `STORE_DATABASE_HOST`, or neither.
const UNSEEN: [(&str, &str); 1] = [(
    "          env:\n            - name: STORE_TLS_CERT",
    "          envFrom:\n            - secretRef:\n                name: store-external\n          env:\n            - name: STORE_TLS_CERT",
)];

fn without_database_url() -> [(&'static str, &'static str); 2] {
    [
        UNSEEN[0],
        (
            "            - name: STORE_DATABASE_URL\n              valueFrom:\n                secretKeyRef:\n                  name: store-secrets\n                  key: database-url\n",
            "",
        ),
    ]
}

#[test]
fn a_rule_over_an_envfrom_outside_the_files_is_unverified_never_a_guess() {
    let v = run(&store(&without_database_url()));
    assert_eq!(
        verdict(&v, DATABASE),
        "warn unverified STORE_DATABASE_URL,STORE_DATABASE_HOST"
    );
    assert_eq!(
        entry(&v, DATABASE).message(),
        Some(
            "not verified, it depends on what only the run time knows: `STORE_DATABASE_URL` \
             may be set by Secret `store-external` (not in the files); `STORE_DATABASE_HOST` \
             may be set by Secret `store-external` (not in the files)"
        )
    );
    // The socket may be set there too, next to the cache URL the ConfigMap sets.
    assert_eq!(verdict(&v, CACHE), "warn unverified STORE_CACHE_SOCKET");
    // A check whose function reads the socket cannot run.
    assert_eq!(verdict(&v, REDIS), "warn unverified STORE_CACHE_SOCKET");
    // The audit sink's URL may be there, but its group is switched off in the manifest: not
    // required. The mail group is on (its variables are set): whole.
    assert_eq!(entry(&v, "STORE_AUDIT_URL").status(), Status::Pass);
    // What the unseen Secret cannot change stays firm.
    assert_eq!(verdict(&v, TLS), "pass - STORE_TLS_CERT,STORE_TLS_KEY");
    assert!(v.is_ok(), "a warn only: {}", v.summary());
    assert!(
        v.summary()
            .ends_with("(3 rules waiting on run time, not verified)"),
        "{}",
        v.summary()
    );
    // Strict: a rule the files cannot decide fails.
    let strict = run(&store(&without_database_url()).strict(true));
    assert_eq!(
        verdict(&strict, DATABASE),
        "fail unverified STORE_DATABASE_URL,STORE_DATABASE_HOST"
    );
    assert!(!strict.is_ok());
}

#[test]
fn a_rule_the_unseen_object_cannot_change_is_decided() {
    // The URL and the host both in the manifest, an unseen Secret beside them: it cannot
    // unset either, so the conflict is firm and blames only those two.
    let v = run(&store(&[
        UNSEEN[0],
        (
            "- name: STORE_METRICS\n",
            "- name: STORE_DATABASE_HOST\n              value: db\n            - name: STORE_METRICS\n",
        ),
    ]));
    assert_eq!(
        verdict(&v, DATABASE),
        "fail conflict STORE_DATABASE_URL,STORE_DATABASE_HOST"
    );
    assert_eq!(verdict(&v, CACHE), "warn unverified STORE_CACHE_SOCKET");
}

#[test]
fn a_false_toggle_written_in_the_manifest_switches_no_rule_on() {
    // `STORE_METRICS: "false"` and the port perhaps from the unseen Secret: holds either way.
    let v = run(&store(&UNSEEN));
    assert_eq!(
        verdict(&v, METRICS),
        "pass - STORE_METRICS,STORE_METRICS_PORT"
    );
    // `true` with the port perhaps there: unverified, naming the port.
    let on = run(&store(&[
        UNSEEN[0],
        (
            "value: \"false\"\n            - name: STORE_MODE",
            "value: \"true\"\n            - name: STORE_MODE",
        ),
    ]));
    assert_eq!(verdict(&on, METRICS), "warn unverified STORE_METRICS_PORT");
    // The toggle from a ConfigMap outside the files: its value decides, so unverified.
    let hidden = run(&store(&[(
        "- name: STORE_METRICS\n              value: \"false\"\n",
        "- name: STORE_METRICS\n              valueFrom:\n                configMapKeyRef:\n                  name: store-flags\n                  key: metrics\n",
    )]));
    assert_eq!(verdict(&hidden, METRICS), "warn unverified STORE_METRICS");
    assert!(
        entry(&hidden, METRICS)
            .message()
            .unwrap()
            .contains("`STORE_METRICS` comes from ConfigMap `store-flags` (not in the files)"),
        "{:?}",
        entry(&hidden, METRICS).message()
    );
}

#[test]
fn a_value_from_outside_the_files_counts_as_set() {
    // The key from a Secret outside the files: set, so the TLS pair holds; the check reads
    // its value, so it cannot run.
    let v = run(&store(&[(
        "name: store-secrets\n                  key: tls-key",
        "name: tls\n                  key: tls.key",
    )]));
    assert_eq!(verdict(&v, TLS), "pass - STORE_TLS_CERT,STORE_TLS_KEY");
    assert_eq!(
        verdict(&v, MODE),
        "pass - STORE_MODE,STORE_TLS_CERT,STORE_TLS_KEY"
    );
    assert_eq!(verdict(&v, CHECK), "warn unverified STORE_TLS_KEY");
    assert_eq!(
        entry(&v, CHECK).message(),
        Some(
            "not verified, it depends on what only the run time knows: its function runs on \
             the values at start, and `STORE_TLS_KEY` comes from Secret `tls` (not in the files)"
        )
    );
}

#[test]
fn required_if_decides_on_a_literal_and_waits_on_a_value_from_run_time() {
    let no_key = (
        "            - name: STORE_TLS_KEY\n              valueFrom:\n                secretKeyRef:\n                  name: store-secrets\n                  key: tls-key\n",
        "",
    );
    let v = run(&store(&[no_key]));
    assert_eq!(verdict(&v, MODE), "fail missing STORE_TLS_KEY");
    assert_eq!(verdict(&v, TLS), "fail missing STORE_TLS_KEY");
    agrees_with_the_service(&v, &[], &["STORE_TLS_KEY"]);
    // `plain` written in the manifest: not required.
    let plain = run(&store(&[no_key, ("value: tls", "value: plain")]));
    assert_eq!(
        verdict(&plain, MODE),
        "pass - STORE_MODE,STORE_TLS_CERT,STORE_TLS_KEY"
    );
    // The mode from a ConfigMap outside the files: unverified, naming it.
    let hidden = run(&store(&[
        no_key,
        (
            "value: tls",
            "valueFrom:\n                configMapKeyRef:\n                  name: store-mode\n                  key: mode",
        ),
    ]));
    assert_eq!(verdict(&hidden, MODE), "warn unverified STORE_MODE");
}

#[test]
fn an_optional_group_half_set_names_each_missing_member() {
    let no_user = (
        "            - name: STORE_MAIL_USER\n              valueFrom:\n                configMapKeyRef:\n                  name: store-config\n                  key: mail-user\n",
        "",
    );
    let v = run(&store(&[no_user]));
    let user = entry(&v, "STORE_MAIL_USER");
    assert_eq!(
        (user.status(), user.code().map(|c| c.as_str())),
        (Status::Fail, Some("missing"))
    );
    assert!(
        user.message()
            .unwrap()
            .contains("the `mail` group is on because `STORE_MAIL_HOST` is set"),
        "{:?}",
        user.message()
    );
    // The host from a Secret outside the files is set all the same: the group is on.
    let v = run(&store(&[
        no_user,
        (
            "value: smtp.example.com",
            "valueFrom:\n                secretKeyRef:\n                  name: smtp\n                  key: host",
        ),
    ]));
    let user = entry(&v, "STORE_MAIL_USER");
    assert_eq!(user.code().map(|c| c.as_str()), Some("missing"));
    assert_eq!(user.status(), Status::Fail);
}

#[test]
fn a_group_switched_from_run_time_leaves_its_members_unverified() {
    // Switched off in the manifest: the sink's URL is not required, and ignored when set.
    let v = run(&store(&[]));
    assert_eq!(entry(&v, "STORE_AUDIT_URL").status(), Status::Pass);
    let ignored = run(&store(&[(
        "value: \"false\"\n---",
        "value: \"false\"\n            - name: STORE_AUDIT_URL\n              value: https://audit.example.com\n---",
    )]));
    let url = entry(&ignored, "STORE_AUDIT_URL");
    assert_eq!(url.code().map(|c| c.as_str()), Some("ignored"));
    // The switch from a ConfigMap outside the files: the URL may be required.
    let v = run(&store(&[(
        "- name: STORE_AUDIT\n              value: \"false\"\n",
        "- name: STORE_AUDIT\n              valueFrom:\n                configMapKeyRef:\n                  name: store-flags\n                  key: audit\n",
    )]));
    let url = entry(&v, "STORE_AUDIT_URL");
    assert_eq!(url.status(), Status::Warn);
    assert_eq!(url.code().map(|c| c.as_str()), Some("unverified"));
    assert!(
        url.message().unwrap().contains(
            "the `audit_sink` group may be on or off: `STORE_AUDIT` comes from ConfigMap \
             `store-flags` (not in the files)"
        ),
        "{:?}",
        url.message()
    );
}

#[test]
fn compose_rules_fail_firmly_and_a_shell_variable_leaves_a_group_open() {
    let v = run(&Verifier::new()
        .file(fixture("rules/compose.yaml"))
        .container("store"));
    assert_eq!(
        verdict(&v, DATABASE),
        "fail conflict STORE_DATABASE_URL,STORE_DATABASE_HOST"
    );
    assert_eq!(verdict(&v, TLS), "fail missing STORE_TLS_KEY");
    assert_eq!(
        verdict(&v, METRICS),
        "pass - STORE_METRICS,STORE_METRICS_PORT"
    );
    assert_eq!(
        verdict(&v, MODE),
        "pass - STORE_MODE,STORE_TLS_CERT,STORE_TLS_KEY"
    );
    assert_eq!(verdict(&v, CHECK), "pass - STORE_TLS_CERT,STORE_TLS_KEY");
    // `STORE_MAIL_PASSWORD` from the shell may switch the mail group on: the members the
    // file does not set may be required.
    let host = entry(&v, "STORE_MAIL_HOST");
    assert_eq!(host.code().map(|c| c.as_str()), Some("unverified"));
    assert!(
        host.message().unwrap().contains(
            "the `mail` group may be on or off: `STORE_MAIL_PASSWORD` may be set by the shell"
        ),
        "{:?}",
        host.message()
    );
    // Nothing else fails: the URL comes from the env file, not written in the Compose file.
    let failing: Vec<&str> = v.failures().map(|e| e.name()).collect();
    assert_eq!(failing, [TLS, DATABASE]);
    agrees_with_the_service_compose(&v);
}

/// The Compose file's firm rules are the service's over the same values.
fn agrees_with_the_service_compose(v: &Verification) {
    let report = Store::check_vars([
        ("STORE_TLS_CERT", "/tls/cert.pem"),
        ("STORE_DATABASE_URL", "postgres://db/store"),
        ("STORE_DATABASE_HOST", "db"),
        ("STORE_METRICS", "false"),
    ]);
    for name in [DATABASE, TLS, METRICS] {
        let (ours, theirs) = (entry(v, name), report.get(name).unwrap());
        assert_eq!(
            (ours.status(), ours.code(), ours.variables(), ours.message()),
            (
                theirs.status(),
                theirs.code(),
                theirs.variables(),
                theirs.message()
            ),
            "{name}"
        );
    }
}

#[test]
fn a_failing_check_never_quotes_a_value_from_a_secret() {
    // The cache URL from the Secret: the function quotes it, verify withholds it (the sweep in
    // `run` looks for every `SECRET-` of the fixtures).
    let v = run(&store(&[
        (
            "configMapKeyRef:\n                  name: store-config\n                  key: cache-url",
            "secretKeyRef:\n                  name: store-secrets\n                  key: cache-url",
        ),
        (
            "  mail-password:",
            "  cache-url: SECRET-cache-0577\n  mail-password:",
        ),
    ]));
    assert_eq!(
        verdict(&v, REDIS),
        "fail rejected STORE_CACHE_URL,STORE_CACHE_SOCKET"
    );
    assert_eq!(
        entry(&v, REDIS).message(),
        Some("rejected (details withheld: a value it reads comes from a Secret)")
    );
    // A warning quoting it is withheld too.
    let v = run(&store(&[
        (
            "configMapKeyRef:\n                  name: store-config\n                  key: cache-url",
            "secretKeyRef:\n                  name: store-secrets\n                  key: cache-url",
        ),
        (
            "  mail-password:",
            "  cache-url: redis://:SECRET-cache-0577@cache\n  mail-password:",
        ),
    ]));
    assert_eq!(
        verdict(&v, REDIS),
        "warn password_in_url STORE_CACHE_URL,STORE_CACHE_SOCKET"
    );
    assert_eq!(
        entry(&v, REDIS).message(),
        Some("password_in_url (details withheld: a value it reads comes from a Secret)")
    );
    // From the ConfigMap, the function's own message.
    let v = run(&store(&[(
        "cache-url: redis://cache:6379",
        "cache-url: memcached://cache",
    )]));
    assert_eq!(
        entry(&v, REDIS).message(),
        Some("`memcached://cache` is not a Redis URL")
    );
}

#[test]
fn a_group_an_unseen_object_may_switch_on_leaves_its_members_unverified() {
    let mail = "            - name: STORE_MAIL_HOST\n              value: smtp.example.com\n            - name: STORE_MAIL_USER\n              valueFrom:\n                configMapKeyRef:\n                  name: store-config\n                  key: mail-user\n            - name: STORE_MAIL_PASSWORD\n              valueFrom:\n                secretKeyRef:\n                  name: store-secrets\n                  key: mail-password\n";
    // No mail variable in the files and nothing else: the group is off.
    let v = run(&store(&[(mail, "")]));
    for name in ["STORE_MAIL_HOST", "STORE_MAIL_USER", "STORE_MAIL_PASSWORD"] {
        assert_eq!(entry(&v, name).status(), Status::Pass, "{name}");
    }
    // The unseen Secret may set any of them: each required one may be missing.
    let v = run(&store(&[UNSEEN[0], (mail, "")]));
    for name in ["STORE_MAIL_HOST", "STORE_MAIL_USER", "STORE_MAIL_PASSWORD"] {
        let e = entry(&v, name);
        assert_eq!(e.code().map(|c| c.as_str()), Some("unverified"), "{name}");
        assert!(
            e.message().unwrap().contains("Secret `store-external`"),
            "{:?}",
            e.message()
        );
    }
}

#[test]
fn an_env_file_alone_is_known_whole() {
    let v = run(&Verifier::new().text(
        ".env",
        "STORE_TLS_CERT=/tls/cert.pem\nSTORE_DATABASE_HOST=db\nSTORE_METRICS=no\nSTORE_MAIL_HOST=smtp\n",
    ));
    assert_eq!(verdict(&v, TLS), "fail missing STORE_TLS_KEY");
    assert_eq!(
        verdict(&v, DATABASE),
        "pass - STORE_DATABASE_URL,STORE_DATABASE_HOST"
    );
    assert_eq!(
        verdict(&v, METRICS),
        "pass - STORE_METRICS,STORE_METRICS_PORT"
    );
    let user = entry(&v, "STORE_MAIL_USER");
    assert_eq!(
        (user.status(), user.code().map(|c| c.as_str())),
        (Status::Fail, Some("missing"))
    );
}

mod edges {
    use super::*;

    /// An `Option<bool>` toggle, and a rule over seven variables.
    #[derive(Debug, ReadinessContract)]
    #[contract(prefix = "FLAG_")]
    #[contract(requires(on => port))]
    #[contract(at_least_one_of(a, b, c, d, e, f, g))]
    #[allow(dead_code)]
    pub struct Flags {
        /// Whether it is on.
        on: Option<bool>,
        /// Its port.
        port: Option<u16>,
        /// Seven ways to say where.
        a: Option<String>,
        /// Another way to say where.
        b: Option<String>,
        /// Another way to say where.
        c: Option<String>,
        /// Another way to say where.
        d: Option<String>,
        /// Another way to say where.
        e: Option<String>,
        /// Another way to say where.
        f: Option<String>,
        /// Another way to say where.
        g: Option<String>,
    }

    /// A group of eight.
    #[derive(Debug, ReadinessContract)]
    #[allow(dead_code)]
    pub struct Eight {
        /// One of seven the unseen ConfigMap may set.
        a1: Option<String>,
        /// Another.
        a2: Option<String>,
        /// Another.
        a3: Option<String>,
        /// Another.
        a4: Option<String>,
        /// Another.
        a5: Option<String>,
        /// Another.
        a6: Option<String>,
        /// Another.
        a7: Option<String>,
        /// Required once the group is on; nothing may set it.
        z: String,
    }

    /// The group of eight, on once any of its variables is set.
    #[derive(Debug, ReadinessContract)]
    #[contract(prefix = "WIDE_")]
    #[allow(dead_code)]
    pub struct Wide {
        /// The group.
        #[contract(nested)]
        eight: Option<Eight>,
    }

    #[test]
    fn a_group_open_on_too_many_variables_leaves_its_required_members_unverified() {
        let text = "kind: Pod\nmetadata: {name: wide}\nspec:\n  containers:\n    - name: wide\n      image: example.invalid/wide:1\n      envFrom: [{prefix: WIDE_A, configMapRef: {name: elsewhere}}]\n";
        let v = Verifier::new()
            .text("pod.yaml", text)
            .run::<Wide>()
            .unwrap();
        let z = entry(&v, "WIDE_Z");
        assert_eq!(z.code().map(|c| c.as_str()), Some("unverified"));
        assert!(
            z.message()
                .unwrap()
                .contains("the `eight` group may be on or off"),
            "{:?}",
            z.message()
        );
        assert_eq!(entry(&v, "WIDE_A1").status(), Status::Pass);
    }

    const ON: &str = "requires:FLAG_ON,FLAG_PORT";
    const WHERE: &str = "at_least_one_of:FLAG_A,FLAG_B,FLAG_C,FLAG_D,FLAG_E,FLAG_F,FLAG_G";

    /// A Pod whose container sets `env` (YAML flow entries), after an `envFrom` when `unseen`.
    fn pod(env: &str, unseen: bool) -> Verification {
        let from = if unseen {
            "      envFrom: [{configMapRef: {name: elsewhere}}]\n"
        } else {
            ""
        };
        let text = format!(
            "kind: Pod\nmetadata: {{name: flags}}\nspec:\n  containers:\n    - name: flags\n      image: example.invalid/flags:1\n{from}      env: [{env}]\n"
        );
        let v = Verifier::new().text("pod.yaml", text).run::<Flags>();
        let v = v.unwrap_or_else(|e| panic!("{e}"));
        assert_clean(&v);
        v
    }

    #[test]
    fn an_optional_bool_is_a_toggle_too() {
        let a = "{name: FLAG_A, value: x}";
        let v = pod(&format!("{{name: FLAG_ON, value: \"false\"}}, {a}"), true);
        assert_eq!(verdict(&v, ON), "pass - FLAG_ON,FLAG_PORT");
        let v = pod(&format!("{{name: FLAG_ON, value: \"on\"}}, {a}"), false);
        assert_eq!(verdict(&v, ON), "fail missing FLAG_PORT");
        let from = "{name: FLAG_ON, valueFrom: {fieldRef: {fieldPath: metadata.name}}}";
        let v = pod(&format!("{from}, {a}"), false);
        assert_eq!(verdict(&v, ON), "warn unverified FLAG_ON");
    }

    #[test]
    fn a_rule_open_on_too_many_variables_is_unverified_without_trying() {
        let v = pod("{name: FLAG_PORT, value: \"80\"}", true);
        assert_eq!(
            verdict(&v, WHERE),
            "warn unverified FLAG_A,FLAG_B,FLAG_C,FLAG_D,FLAG_E,FLAG_F,FLAG_G"
        );
        // One of them set for sure, six left open: every world is tried, and it holds in all.
        let v = pod("{name: FLAG_C, value: x}", true);
        assert_eq!(
            verdict(&v, WHERE),
            "pass - FLAG_A,FLAG_B,FLAG_C,FLAG_D,FLAG_E,FLAG_F,FLAG_G"
        );
    }
}

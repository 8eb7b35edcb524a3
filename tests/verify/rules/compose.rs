//! Rules in a Docker Compose file, firm where the file decides and as in the running service,
//! with a variable the shell may set leaving a group open; an env file alone, known whole.

use health::verify::{Verification, Verifier};
use health::{ReadinessContract, Status};

use super::{CHECK, DATABASE, METRICS, MODE, Store, TLS, entry, run, verdict};
use crate::fixture;

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

//! Rules whose verdict depends on what only the run time knows: an `envFrom` object outside
//! the files, a `valueFrom` toggle or mode, a value from a Secret outside the files. Such a
//! rule is `unverified` (failing in strict mode), never a guess; what the unseen object cannot
//! change stays firm.

use health::Status;

use super::{
    CACHE, CHECK, DATABASE, METRICS, MODE, REDIS, TLS, UNSEEN, agrees_with_the_service, entry, run,
    store, verdict,
};

/// [`UNSEEN`], and the database URL no longer set by name: the unseen Secret may set it, or
/// `STORE_DATABASE_HOST`, or neither.
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

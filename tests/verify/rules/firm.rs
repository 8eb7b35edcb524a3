//! Where the Kubernetes files decide: every rule is an entry under the running service's
//! name after the variables, a missing dependent and two alternatives fail as in the service,
//! and a failing check never quotes a value from a Secret.

use health::ReadinessContract;

use super::{
    CACHE, CHECK, DATABASE, METRICS, MODE, REDIS, Store, TLS, agrees_with_the_service, entry, run,
    store, verdict,
};

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

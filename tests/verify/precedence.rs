//! Kubernetes: how a container's environment is built, as the kubelet builds it: `env` over
//! `envFrom`, later entries over earlier ones, `optional` references, `$(VAR)` expansion.

use health::verify::Verifier;
use health::{Code, Status};

use super::{line_of, run, shop_with};

#[test]
fn optional_references_to_missing_keys_are_as_if_absent() {
    let v = run(&shop_with(|name, text| match name {
        "k8s/shop.yaml" => text.replace(
            "key: database-url\n            - name: SHOP_REPLICA",
            "key: nothing-here\n                  optional: true\n            - name: SHOP_REPLICA",
        ),
        _ => text,
    }));
    assert_eq!(
        v.get("SHOP_DATABASE_URL").unwrap().code(),
        Some(&Code::MISSING)
    );
    // An earlier envFrom value stands when the optional entry is skipped.
    let v = run(&shop_with(|name, text| match name {
        "k8s/shop.yaml" => text.replace(
            "key: database-url\n            - name: SHOP_REPLICA",
            "key: nothing-here\n                  optional: true\n            - name: SHOP_REPLICA",
        ),
        "k8s/secret.yaml" => text.replace(
            "API_KEY: SECRET-api-key-2718",
            "API_KEY: SECRET-api-key-2718\n  DATABASE_URL: postgres://SECRET-db-pass-3141@db/shop",
        ),
        _ => text,
    }));
    let entry = v.get("SHOP_DATABASE_URL").unwrap();
    assert_eq!(entry.status(), Status::Pass, "{entry:?}");
    assert_eq!(
        entry.origin().to_string(),
        format!(
            "secret shop-api/DATABASE_URL k8s/secret.yaml:{}",
            line_of("k8s/secret.yaml", "API_KEY:") + 1
        )
    );
}

#[test]
fn env_wins_over_env_from_and_later_entries_win() {
    let pod = |env: &str| {
        format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: a}}\ndata: {{SHOP_HOST: from-a, SHOP_PORT: \"1\"}}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: b}}\ndata: {{SHOP_HOST: from-b}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n    - name: shop\n      image: x\n      envFrom:\n        - configMapRef: {{name: a}}\n        - configMapRef: {{name: b}}\n      env:\n{env}"
        )
    };
    let v = run(&Verifier::new().text("p.yaml", pod("        - {name: SHOP_PORT, value: \"2\"}\n        - {name: SHOP_PORT, value: \"3\"}\n")));
    assert_eq!(
        v.get("SHOP_HOST").unwrap().origin().to_string(),
        "configmap b/SHOP_HOST p.yaml:9"
    );
    assert_eq!(
        v.get("SHOP_PORT").unwrap().origin().to_string(),
        "literal p.yaml:23"
    );
}

#[test]
fn references_between_variables_expand_as_the_kubelet_does() {
    let pod = |env: &str| {
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData: {{PASS: SECRET-db-pass-3141, WORD: not-a-port-SECRET-x}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n    - name: shop\n      image: x\n      env:\n{env}"
        )
    };
    let from_secret = "        - {name: PASS, valueFrom: {secretKeyRef: {name: s, key: PASS}}}\n        - {name: WORD, valueFrom: {secretKeyRef: {name: s, key: WORD}}}\n";
    // A reference to a Secret's value: checked, and its messages withheld.
    let v = run(&Verifier::new().text("p.yaml", pod(&format!("{from_secret}        - {{name: SHOP_DATABASE_URL, value: \"postgres://shop:$(PASS)@db/shop\"}}\n        - {{name: SHOP_PORT, value: \"$(WORD)\"}}\n        - {{name: SHOP_HOST, value: \"$$(PASS)\"}}\n        - {{name: SHOP_PUBLIC_URL, value: \"https://$(SHOP_REPLICA)/\"}}\n        - {{name: SHOP_REPLICA, value: r1}}\n"))));
    assert_eq!(v.get("SHOP_DATABASE_URL").unwrap().status(), Status::Pass);
    let port = v.get("SHOP_PORT").unwrap();
    assert_eq!(port.code(), Some(&Code::INVALID));
    assert!(
        port.message().unwrap().contains("details withheld"),
        "{port:?}"
    );
    // `$$` escapes: the host is the text `$(PASS)`, valid as a string.
    assert_eq!(v.get("SHOP_HOST").unwrap().status(), Status::Pass);
    // A reference to a variable declared later stays as written: known only at run time.
    let public = v.get("SHOP_PUBLIC_URL").unwrap();
    assert_eq!(public.code(), Some(&Code::UNVERIFIED));
    assert!(
        public.message().unwrap().contains("$(SHOP_REPLICA)"),
        "{public:?}"
    );
}

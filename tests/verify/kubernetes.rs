//! Kubernetes: workloads of every kind, containers and init containers, `env` and `envFrom`
//! with the kubelet's precedence, ConfigMaps and Secrets in the files or not, `$(VAR)`.

use health::verify::{Location, Provenance, Verifier};
use health::{Code, Status};

use super::{Shop, Tiny, fixture, line_of, run, run_err, shop_with, text, verdicts};

fn at(file: &str, needle: &str) -> Option<Location> {
    Some(Location {
        file: file.to_owned(),
        line: line_of(file, needle),
    })
}

#[test]
fn the_shop_deployment_verifies_with_every_source_named() {
    let verification = health::verify::Verifier::new()
        .files([
            fixture("k8s/shop.yaml"),
            fixture("k8s/configmap.yaml"),
            fixture("k8s/secret.yaml"),
        ])
        .container("shop")
        .run::<Shop>()
        .unwrap();
    super::assert_clean(&verification);
    assert!(verification.is_ok(), "{}", verification.to_json_pretty());
    let v = run(&shop_with(|_, text| text));
    assert_eq!(
        verdicts(&v),
        [
            "SHOP_DATABASE_URL pass -",
            "SHOP_API_KEY pass -",
            "SHOP_HOST pass -",
            "SHOP_PUBLIC_URL pass -",
            "SHOP_PORT pass -",
            "SHOP_TIMEOUT pass -",
            "SHOP_LOG_LEVEL pass -",
            "SHOP_REPLICA warn unverified",
        ]
    );
    let origin = |name: &str| v.get(name).unwrap().origin().clone();
    assert_eq!(
        origin("SHOP_DATABASE_URL"),
        Provenance::Secret {
            name: "shop-secrets".into(),
            key: "database-url".into(),
            at: at("k8s/secret.yaml", "database-url:"),
        }
    );
    // Set by the app container's entry, not the init container's (the first one).
    let entries: Vec<usize> = text("k8s/shop.yaml")
        .lines()
        .enumerate()
        .filter(|(_, s)| s.contains("- name: SHOP_DATABASE_URL"))
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(
        v.get("SHOP_DATABASE_URL").unwrap().at().map(|l| l.line),
        entries.last().copied()
    );
    assert_eq!(
        origin("SHOP_API_KEY").to_string(),
        format!(
            "secret shop-api/API_KEY k8s/secret.yaml:{}",
            line_of("k8s/secret.yaml", "API_KEY:")
        )
    );
    assert_eq!(
        origin("SHOP_HOST"),
        Provenance::Literal {
            at: at("k8s/shop.yaml", "value: shop.example.com")
                .map(|l| Location {
                    line: l.line - 1,
                    ..l
                })
                .unwrap()
        }
    );
    assert_eq!(
        origin("SHOP_PORT").to_string(),
        format!(
            "configmap shop-config/port k8s/configmap.yaml:{}",
            line_of("k8s/configmap.yaml", "port:")
        )
    );
    assert_eq!(
        origin("SHOP_TIMEOUT").to_string(),
        format!(
            "configmap shop-config/SHOP_TIMEOUT k8s/configmap.yaml:{}",
            line_of("k8s/configmap.yaml", "SHOP_TIMEOUT")
        )
    );
    assert_eq!(origin("SHOP_REPLICA").to_string(), "fieldRef metadata.name");
    assert_eq!(
        v.target().to_string(),
        format!(
            "Deployment/shop, container shop (k8s/shop.yaml:{})",
            line_of("k8s/shop.yaml", "- name: shop")
        )
    );

    // Strict: a value only known at run time fails.
    let strict = run(&shop_with(|_, text| text).strict(true));
    assert!(!strict.is_ok());
    assert_eq!(strict.get("SHOP_REPLICA").unwrap().status(), Status::Fail);
}

#[test]
fn several_containers_need_a_name_and_init_containers_are_chosen_by_name() {
    let all = Verifier::new().files([fixture("k8s/shop.yaml")]);
    let err = run_err(&all);
    assert_eq!(
        err.to_string(),
        "the files have several containers (shop, metrics, migrate (init)): pick one with \
         --container NAME (or WORKLOAD/NAME)"
    );
    let err = run_err(&all.clone().container("nope"));
    assert!(
        err.to_string()
            .starts_with("no container `nope` in the files; there are: shop"),
        "{err}"
    );
    let migrate = run(&all.clone().container("migrate"));
    assert!(migrate.target().init);
    assert_eq!(
        migrate.get("SHOP_DATABASE_URL").unwrap().code(),
        Some(&Code::UNVERIFIED)
    );
    assert_eq!(
        migrate.get("SHOP_HOST").unwrap().code(),
        Some(&Code::MISSING)
    );
    let qualified = run(&all.container("shop/metrics"));
    assert_eq!(qualified.target().container.as_deref(), Some("metrics"));
}

#[test]
fn every_workload_kind_is_read_where_kubernetes_keeps_its_pod() {
    for container in [
        "statefulset",
        "daemonset",
        "replicaset",
        "job",
        "cronjob",
        "cronjob-init",
        "pod",
    ] {
        let v = Verifier::new()
            .file(fixture("k8s/kinds.yaml"))
            .container(container)
            .run::<Tiny>()
            .unwrap();
        let greeting = v.get("TINY_GREETING").unwrap();
        let Provenance::Literal { at } = greeting.origin() else {
            panic!("{container}: {greeting:?}");
        };
        let needle = format!("value: {container}}}");
        assert_eq!(at.line, line_of("k8s/kinds.yaml", &needle), "{container}");
        let count = v.get("TINY_COUNT").unwrap();
        let expected = match container {
            "cronjob" => Status::Pass,
            "cronjob-init" => Status::Fail, // 300 does not fit a u8
            _ => Status::Pass,
        };
        assert_eq!(count.status(), expected, "{container}: {count:?}");
    }
    let err = Verifier::new()
        .file(fixture("k8s/kinds.yaml"))
        .run::<Tiny>()
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .contains("statefulset, daemonset, replicaset, job, cronjob, cronjob-init (init), pod"),
        "{err}"
    );
}

#[test]
fn a_secret_missing_a_key_fails_naming_the_secret_and_the_key() {
    // secretKeyRef: the container would not start.
    let v = run(&shop_with(|name, text| match name {
        "k8s/secret.yaml" => text.replace("database-url:", "database-uri:"),
        _ => text,
    }));
    let entry = v.get("SHOP_DATABASE_URL").unwrap();
    assert_eq!(
        (entry.status(), entry.code()),
        (Status::Fail, Some(&Code::MISSING))
    );
    let secret_line = line_of("k8s/secret.yaml", "name: shop-secrets");
    assert!(
        entry.message().unwrap().starts_with(&format!(
            "Secret `shop-secrets` (k8s/secret.yaml:{secret_line}) has no key `database-url`: the \
             container would not start"
        )),
        "{entry:?}"
    );
    // envFrom: not set at all, with where it was looked for and the near name.
    let v = run(&shop_with(|name, text| match name {
        "k8s/secret.yaml" => text.replace("API_KEY:", "API_KYE:"),
        _ => text,
    }));
    let entry = v.get("SHOP_API_KEY").unwrap();
    assert_eq!(entry.code(), Some(&Code::MISSING));
    let message = entry.message().unwrap();
    let api_line = line_of("k8s/secret.yaml", "name: shop-api");
    assert!(
        message.contains(&format!(
            "no key `API_KEY` in Secret `shop-api` (k8s/secret.yaml:{api_line})"
        )),
        "{message}"
    );
    assert!(message.contains("did you mean `SHOP_API_KYE`"), "{message}");
    let stray = v.get("SHOP_API_KYE").unwrap();
    assert_eq!(
        (stray.status(), stray.code()),
        (Status::Warn, Some(&Code::UNKNOWN_VARIABLE))
    );
    assert!(
        stray
            .message()
            .unwrap()
            .contains("did you mean `SHOP_API_KEY`?"),
        "{stray:?}"
    );
}

#[test]
fn objects_outside_the_files_fail_unless_allowed_as_created_elsewhere() {
    let shop = || {
        Verifier::new()
            .file(fixture("k8s/shop.yaml"))
            .container("shop")
    };
    let names = ["SHOP_DATABASE_URL", "SHOP_PORT", "SHOP_API_KEY"];
    // By default a Secret or ConfigMap left out of the files fails: no false pass in CI.
    let v = run(&shop());
    for name in names {
        let entry = v.get(name).unwrap();
        assert_eq!(
            (entry.status(), entry.code()),
            (Status::Fail, Some(&Code::UNVERIFIED)),
            "{name}"
        );
        assert!(
            entry.message().unwrap().ends_with(
                "add its file to the ones verified, or allow objects created elsewhere \
                 (`--allow-unverified`)"
            ),
            "{entry:?}"
        );
    }
    assert!(!v.is_ok());
    // Allowed: provided at run time, a warn.
    let v = run(&shop().allow_unverified(true));
    assert!(v.allows_unverified());
    for name in names {
        let entry = v.get(name).unwrap();
        assert_eq!(
            (entry.status(), entry.code()),
            (Status::Warn, Some(&Code::UNVERIFIED)),
            "{name}"
        );
    }
    assert_eq!(
        v.get("SHOP_DATABASE_URL").unwrap().origin().to_string(),
        "secret shop-secrets/database-url (not in the files)"
    );
    // Via envFrom: any variable set nowhere else may come from it.
    assert!(
        v.get("SHOP_API_KEY")
            .unwrap()
            .message()
            .unwrap()
            .contains("Secret `shop-api` (not in the files)")
    );
    assert!(v.is_ok());
    // Strict fails every value only known at run time, allowed or not.
    assert!(!run(&shop().allow_unverified(true).strict(true)).is_ok());
}

#[test]
fn a_secret_written_as_a_literal_fails_and_its_value_never_shows() {
    let v = run(&shop_with(|name, text| {
        match name {
        "k8s/shop.yaml" => text.replace(
            "            - name: SHOP_HOST\n",
            "            - name: SHOP_API_KEY\n              value: SECRET-api-key-2718\n            - name: SHOP_HOST\n",
        ),
        _ => text,
    }
    }));
    let entry = v.get("SHOP_API_KEY").unwrap();
    assert_eq!(
        (entry.status(), entry.code()),
        (Status::Fail, Some(&Code::SECRET_IN_MANIFEST))
    );
    assert!(
        entry.message().unwrap().contains("k8s/shop.yaml:"),
        "{entry:?}"
    );
}

#[test]
fn manifests_the_api_server_refuses_are_errors_with_their_line() {
    let cases: [(&str, &str, &str, &str); 4] = [
        (
            "k8s/shop.yaml",
            "value: \"9100\"",
            "value: 9100",
            "the value of `EXPORTER_PORT` is a number",
        ),
        (
            "k8s/shop.yaml",
            "value: shop.example.com",
            "value: yes",
            "the value of `SHOP_HOST` is a boolean",
        ),
        (
            "k8s/secret.yaml",
            "database-url: cG9z",
            "database-url: \"not*base64*SECRET-x\"\n  x: cG9z",
            "is not base64",
        ),
        (
            "k8s/configmap.yaml",
            "port: \"8080\"",
            "port: 8080",
            "data.port is a number",
        ),
    ];
    for (file, from, to, reason) in cases {
        let err = run_err(&shop_with(|name, text| {
            if name == file {
                text.replacen(from, to, 1)
            } else {
                text
            }
        }));
        assert_eq!(err.file(), Some(file), "{err}");
        assert_eq!(err.line(), Some(line_of(file, from)), "{err}");
        assert!(err.to_string().contains(reason), "{err}");
    }
    let err = run_err(&shop_with(|name, text| match name {
        "k8s/shop.yaml" => text.replace(
            "value: shop.example.com",
            "value: x\n              valueFrom: {fieldRef: {fieldPath: metadata.name}}",
        ),
        _ => text,
    }));
    assert!(
        err.to_string().contains("both `value` and `valueFrom`"),
        "{err}"
    );
    let err = run_err(&Verifier::new().text(
        "broken.yaml",
        "kind: Secret\nmetadata:\n  name: s\nstringData:\n  KEY: \"SECRET-unterminated\n",
    ));
    assert_eq!(
        (err.file(), err.line().is_some()),
        (Some("broken.yaml"), true),
        "{err}"
    );
    assert!(err.to_string().starts_with("broken.yaml:"), "{err}");
}

#[test]
fn several_documents_in_one_stream_read_as_the_separate_files() {
    let joined = ["k8s/shop.yaml", "k8s/configmap.yaml", "k8s/secret.yaml"]
        .map(text)
        .join("---\n");
    let v = run(&Verifier::new().text("all.yaml", joined).container("shop"));
    assert!(v.is_ok());
    assert_eq!(
        v.get("SHOP_PORT")
            .unwrap()
            .origin()
            .to_string()
            .split(' ')
            .next(),
        Some("configmap")
    );
    let listed = format!(
        "apiVersion: v1\nkind: List\nitems:\n{}",
        indent(&text("k8s/configmap.yaml"))
    );
    let v = run(&Verifier::new()
        .file(fixture("k8s/shop.yaml"))
        .text("list.yaml", listed)
        .container("shop"));
    assert_eq!(v.get("SHOP_PORT").unwrap().status(), Status::Pass);
}

/// A document as an item of a `kind: List`.
fn indent(doc: &str) -> String {
    doc.lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                format!("  - {l}\n")
            } else {
                format!("    {l}\n")
            }
        })
        .collect()
}

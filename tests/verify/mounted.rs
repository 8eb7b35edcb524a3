//! Kubernetes: secrets read as files (`NAME_FILE`) from the Secrets and ConfigMaps a
//! container mounts (`tests/verify/k8s/mounted.yaml`): a whole Secret, a projected volume with
//! `items`, a `subPath`; a key the Secret lacks, a listed key it lacks (`optional` or not), a
//! path under no mount, a Secret outside the files, a value the loader refuses.

use health::verify::{Location, Provenance, Verifier};
use health::{Code, Status};

use super::{line_of, run, text, verdicts};

/// The Deployment with files, the ConfigMap and the Secrets, with `edit` applied to the text
/// of each (name, text).
fn mounted_with(edit: impl Fn(&str, String) -> String) -> Verifier {
    ["k8s/mounted.yaml", "k8s/configmap.yaml", "k8s/secret.yaml"]
        .into_iter()
        .fold(Verifier::new(), |verifier, name| {
            verifier.text(name, edit(name, text(name)))
        })
}

/// One file's text replaced.
fn replace(file: &'static str, from: &'static str, to: &'static str) -> Verifier {
    mounted_with(move |name, text| {
        if name == file {
            assert!(text.contains(from), "{from} not in {name}");
            text.replace(from, to)
        } else {
            text
        }
    })
}

/// The line of the volume `name` (under `volumes:`, after the mounts).
fn volume_line(name: &str) -> usize {
    let needle = format!("- name: {name}");
    let lines: Vec<String> = text("k8s/mounted.yaml")
        .lines()
        .map(str::to_owned)
        .collect();
    lines
        .iter()
        .rposition(|l| l.trim_end().ends_with(&needle))
        .unwrap()
        + 1
}

#[test]
fn secrets_mounted_as_files_verify_with_their_keys_named() {
    let v = run(&mounted_with(|_, text| text));
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
    let entry = |name: &str| v.get(name).unwrap();
    assert_eq!(
        entry("SHOP_DATABASE_URL").origin(),
        &Provenance::SecretFile {
            name: "shop-secrets".into(),
            key: "database-url".into(),
            path: "/var/run/secrets/shop/database-url".into(),
            at: Some(Location {
                file: "k8s/secret.yaml".into(),
                line: line_of("k8s/secret.yaml", "database-url:"),
            }),
        }
    );
    // Set where the workload sets its `NAME_FILE`.
    assert_eq!(
        entry("SHOP_DATABASE_URL").at().map(|a| a.line),
        Some(line_of("k8s/mounted.yaml", "name: SHOP_DATABASE_URL_FILE"))
    );
    assert_eq!(
        entry("SHOP_API_KEY").origin().to_string(),
        format!(
            "secret-file shop-api/API_KEY k8s/secret.yaml:{}",
            line_of("k8s/secret.yaml", "API_KEY:")
        )
    );
    assert_eq!(
        entry("SHOP_PORT").origin().to_string(),
        format!(
            "configmap-file shop-config/port k8s/configmap.yaml:{}",
            line_of("k8s/configmap.yaml", "port:")
        )
    );
    // Nothing comes from outside the files but the pod's name.
    assert_eq!(
        v.entries()
            .iter()
            .filter(|e| e.origin().is_runtime())
            .count(),
        1
    );
}

#[test]
fn a_secret_without_the_key_fails_as_the_app_would_naming_secret_key_and_mount() {
    let v = run(&replace(
        "k8s/secret.yaml",
        "database-url:",
        "database-uri:",
    ));
    let entry = v.get("SHOP_DATABASE_URL").unwrap();
    assert_eq!(
        (entry.status(), entry.code()),
        (Status::Fail, Some(&Code::UNREADABLE_FILE))
    );
    let message = entry.message().unwrap();
    let secret = line_of("k8s/secret.yaml", "name: shop-secrets");
    // The mount's line (the first `- name: secrets`; the volume's comes later).
    let mount = line_of("k8s/mounted.yaml", "- name: secrets");
    assert!(mount < volume_line("secrets"));
    assert_eq!(
        message,
        format!(
            "no file /var/run/secrets/shop/database-url in the container, so the app cannot read \
             it (SHOP_DATABASE_URL_FILE): no key `database-url` in Secret `shop-secrets` \
             (k8s/secret.yaml:{secret}); volume `secrets` mounted at /var/run/secrets/shop \
             (k8s/mounted.yaml:{mount}); did you mean `database-uri`?"
        )
    );
    assert!(!v.is_ok());
}

#[test]
fn a_listed_key_the_secret_lacks_stops_the_pod_unless_optional() {
    let v = run(&replace("k8s/secret.yaml", "API_KEY:", "API_KYE:"));
    let entry = v.get("SHOP_API_KEY").unwrap();
    assert_eq!(
        (entry.status(), entry.code()),
        (Status::Fail, Some(&Code::MISSING))
    );
    let message = entry.message().unwrap();
    assert!(
        message.starts_with(&format!(
            "Secret `shop-api` (k8s/secret.yaml:{}) has no key `API_KEY`, which volume `api` \
             (k8s/mounted.yaml:{}) lists in `items`: the kubelet cannot mount it, so the pod \
             would not start",
            line_of("k8s/secret.yaml", "name: shop-api"),
            volume_line("api")
        )),
        "{message}"
    );
    // Optional: the kubelet skips the key, and the app finds no file.
    let v = run(&mounted_with(|name, text| match name {
        "k8s/secret.yaml" => text.replace("API_KEY:", "API_KYE:"),
        "k8s/mounted.yaml" => text.replace(
            "name: shop-api\n",
            "name: shop-api\n                  optional: true\n",
        ),
        _ => text,
    }));
    let entry = v.get("SHOP_API_KEY").unwrap();
    assert_eq!(entry.code(), Some(&Code::UNREADABLE_FILE));
    assert!(
        entry.message().unwrap().contains("an optional item"),
        "{entry:?}"
    );
}

#[test]
fn a_path_under_no_mount_fails() {
    let v = run(&replace(
        "k8s/mounted.yaml",
        "value: /var/run/secrets/shop/database-url",
        "value: /run/secrets/database-url",
    ));
    let entry = v.get("SHOP_DATABASE_URL").unwrap();
    assert_eq!(
        (entry.status(), entry.code()),
        (Status::Fail, Some(&Code::UNREADABLE_FILE))
    );
    assert_eq!(
        entry.message().unwrap(),
        "no volume is mounted at /run/secrets/database-url, so the app cannot read it \
         (SHOP_DATABASE_URL_FILE); the container mounts /var/run/secrets/shop, \
         /var/run/secrets/shop-api, /etc/shop/port"
    );
    assert_eq!(entry.origin().to_string(), "file /run/secrets/database-url");
    // The service account token is there, but only the cluster knows what it holds.
    let v = run(&replace(
        "k8s/mounted.yaml",
        "value: /var/run/secrets/shop-api/keys/api-key",
        "value: /var/run/secrets/shop-api/token",
    ));
    assert_eq!(
        v.get("SHOP_API_KEY").unwrap().code(),
        Some(&Code::UNVERIFIED)
    );
}

#[test]
fn a_secret_outside_the_files_fails_unless_allowed() {
    let files = Verifier::new()
        .file(super::fixture("k8s/mounted.yaml"))
        .file(super::fixture("k8s/configmap.yaml"));
    let left_out = run(&files).get("SHOP_DATABASE_URL").unwrap().clone();
    assert_eq!(
        (left_out.status(), left_out.code()),
        (Status::Fail, Some(&Code::UNVERIFIED))
    );
    let files = files.allow_unverified(true);
    let v = run(&files);
    let entry = v.get("SHOP_DATABASE_URL").unwrap();
    assert_eq!(
        (entry.status(), entry.code()),
        (Status::Warn, Some(&Code::UNVERIFIED))
    );
    assert!(
        entry
            .message()
            .unwrap()
            .contains("Secret `shop-secrets` is not in the files"),
        "{entry:?}"
    );
    assert_eq!(
        entry.origin().to_string(),
        "secret-file shop-secrets/database-url (not in the files)"
    );
    assert!(v.is_ok());
    let strict = run(&files.strict(true));
    assert_eq!(strict.get("SHOP_API_KEY").unwrap().status(), Status::Fail);
}

#[test]
fn a_mounted_value_is_checked_by_the_loader_and_never_shown() {
    // `data` is base64: "SECRET-db-pass-3141 is no url" (a URL the loader refuses).
    let v = run(&mounted_with(|name, text| match name {
        "k8s/secret.yaml" => text.replace(
            text.lines().find(|l| l.contains("database-url:")).unwrap(),
            "  database-url: U0VDUkVULWRiLXBhc3MtMzE0MSBpcyBubyB1cmw=",
        ),
        _ => text,
    }));
    let entry = v.get("SHOP_DATABASE_URL").unwrap();
    assert_eq!(
        (entry.status(), entry.code()),
        (Status::Fail, Some(&Code::INVALID))
    );
}

#[test]
fn a_variable_set_beside_its_file_is_a_conflict_as_the_app_would_say() {
    let v = run(&replace(
        "k8s/mounted.yaml",
        "            - name: SHOP_API_KEY_FILE",
        "            - name: SHOP_API_KEY\n              valueFrom:\n                secretKeyRef:\n                  name: shop-secrets\n                  key: database-url\n            - name: SHOP_API_KEY_FILE",
    ));
    let entry = v.get("SHOP_API_KEY").unwrap();
    assert_eq!(
        (entry.status(), entry.code()),
        (Status::Fail, Some(&Code::CONFLICT))
    );
    assert_eq!(
        entry.message().unwrap(),
        format!(
            "set as both `SHOP_API_KEY` (k8s/mounted.yaml:{}) and `SHOP_API_KEY_FILE` \
             (k8s/mounted.yaml:{}): keep one",
            line_of("k8s/mounted.yaml", "- name: SHOP_API_KEY_FILE"),
            // The five lines inserted above it.
            line_of("k8s/mounted.yaml", "- name: SHOP_API_KEY_FILE") + 5
        )
    );
    assert!(!v.is_ok());
}

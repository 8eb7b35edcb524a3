//! What the file a `NAME_FILE` names holds, through a container's mounts and the pod's
//! volumes (`mounts`, `volumes`): every kind of volume read, `items`, `optional`, `subPath`,
//! nested mounts, paths under no mount, objects outside the files, and the manifests the API
//! server refuses.

use super::env::Value;
use super::files::{Input, read};
use super::podenv;

/// A Secret `app` (a `token` with a trailing line break, `other`) and a ConfigMap `conf`
/// (`port`, and `blob` in binaryData).
const OBJECTS: &str = "---\nkind: Secret\nmetadata: {name: app}\nstringData:\n  token: \"s3cret\\n\"\n  \
                       other: x\n---\nkind: ConfigMap\nmetadata: {name: conf}\ndata:\n  port: \
                       \"8080\"\nbinaryData:\n  blob: AAE=\n";

/// A pod whose container sets `X_FILE` to `path`, with those mounts and volumes (flow YAML),
/// then [`OBJECTS`].
fn pod(path: &str, mounts: &str, volumes: &str) -> String {
    format!(
        "kind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n    - name: app\n      env:\n        \
         - {{name: X_FILE, value: \"{path}\"}}\n      volumeMounts: {mounts}\n  volumes: \
         {volumes}\n{OBJECTS}"
    )
}

/// The line of the first line of `text` holding `needle`.
fn line(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// What the file of `X_FILE` holds, as one line: `value "…" secret=…`, `runtime: why`, or
/// `code: message`; then ` | ` and its origin.
fn file(text: &str) -> String {
    let input = Input::Text {
        name: "pod.yaml".into(),
        bytes: text.as_bytes().to_vec(),
    };
    let set = read(&[input]).unwrap_or_else(|e| panic!("{e}"));
    let env = podenv::environment(&set.containers[0], &set.objects, "pod.yaml")
        .unwrap_or_else(|e| panic!("{e}"));
    let Some(binding) = env.file("X_FILE") else {
        return "none".to_owned();
    };
    let what = match &binding.value {
        Value::Known { text, secret, .. } => format!("value {text:?} secret={secret}"),
        Value::Runtime { why, .. } => format!("runtime: {why}"),
        Value::Broken { code, message } => format!("{code}: {message}"),
    };
    format!("{what} | {}", binding.origin)
}

/// The error reading the pod, as text.
fn refused(text: &str) -> String {
    let input = Input::Text {
        name: "pod.yaml".into(),
        bytes: text.as_bytes().to_vec(),
    };
    let set = read(&[input]).unwrap_or_else(|e| panic!("{e}"));
    match podenv::environment(&set.containers[0], &set.objects, "pod.yaml") {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

const SECRET: &str = "[{name: s, secret: {secretName: app}}]";
const AT_S: &str = "[{name: s, mountPath: /run/s}]";

#[test]
fn without_items_every_key_is_a_file_named_after_it() {
    let text = pod("/run/s/token", AT_S, SECRET);
    let token = line(&text, "token:");
    assert_eq!(
        file(&text),
        format!("value \"s3cret\" secret=true | secret-file app/token pod.yaml:{token}")
    );
    // Trailing slashes of `mountPath`, and `.` or doubled `/` in the path, are cleaned.
    let text = pod(
        "/run//s/./token",
        "[{name: s, mountPath: /run/s/, readOnly: true}]",
        SECRET,
    );
    assert!(
        file(&text).starts_with("value \"s3cret\""),
        "{}",
        file(&text)
    );
    // A file's path ending with `/` names a directory: the app cannot open it.
    let got = file(&pod("/run/s/token/", AT_S, SECRET));
    assert!(
        got.starts_with("unreadable_file: /run/s/token/ ends with `/`"),
        "{got}"
    );
    // A ConfigMap's keys, binaryData too, are files; not secret.
    let config = "[{name: s, configMap: {name: conf}}]";
    assert!(
        file(&pod("/run/s/port", AT_S, config))
            .starts_with("value \"8080\" secret=false | configmap-file conf/port")
    );
    assert!(file(&pod("/run/s/blob", AT_S, config)).starts_with("value \"\\0\\u{1}\""));
}

#[test]
fn a_key_the_object_lacks_is_a_file_missing_in_the_container() {
    let text = pod("/run/s/tokne", AT_S, SECRET);
    let name = line(&text, "name: app}");
    let got = file(&text);
    assert_eq!(
        got,
        format!(
            "unreadable_file: no file /run/s/tokne in the container, so the app cannot read it \
             (X_FILE): no key `tokne` in Secret `app` (pod.yaml:{name}); volume `s` mounted at \
             /run/s (pod.yaml:8); did you mean `token`? | secret-file app/tokne pod.yaml:{name}"
        )
    );
    // The volume's root is a directory, not a file.
    assert!(
        file(&pod("/run/s", AT_S, SECRET)).starts_with("unreadable_file: /run/s is a directory")
    );
}

#[test]
fn items_put_only_the_keys_listed_at_their_paths() {
    let volumes =
        "[{name: s, secret: {secretName: app, items: [{key: token, path: app/token.txt}]}}]";
    let got = file(&pod("/run/s/app/token.txt", AT_S, volumes));
    assert!(got.starts_with("value \"s3cret\""), "{got}");
    // A key not listed has no file, even though the Secret has it.
    let got = file(&pod("/run/s/other", AT_S, volumes));
    assert!(
        got.contains("no item of Secret `app` (pod.yaml:") && got.contains("has the path `other`"),
        "{got}"
    );
    assert!(got.ends_with("| file /run/s/other"), "{got}");
    // A folder of the items is a directory.
    let got = file(&pod("/run/s/app", AT_S, volumes));
    assert!(
        got.starts_with("unreadable_file: /run/s/app is a directory of volume `s`"),
        "{got}"
    );
}

#[test]
fn a_listed_key_the_object_lacks_stops_the_pod_unless_optional() {
    let items = "items: [{key: token, path: t}, {key: gone, path: g}]";
    let volumes = format!("[{{name: s, secret: {{secretName: app, {items}}}}}]");
    // Whichever file is read: the kubelet cannot mount the volume at all.
    for path in ["/run/s/t", "/run/s/g"] {
        let got = file(&pod(path, AT_S, &volumes));
        assert!(
            got.starts_with("missing: Secret `app` (pod.yaml:")
                && got.contains("has no key `gone`, which volume `s` (pod.yaml:9) lists in `items`: the kubelet cannot mount it, so the pod would not start"),
            "{got}"
        );
    }
    // Optional: the missing key is skipped, the others are there.
    let volumes = format!("[{{name: s, secret: {{secretName: app, optional: true, {items}}}}}]");
    assert!(file(&pod("/run/s/t", AT_S, &volumes)).starts_with("value \"s3cret\""));
    let got = file(&pod("/run/s/g", AT_S, &volumes));
    assert!(
        got.starts_with("unreadable_file: no file /run/s/g in the container")
            && got.contains("no key `gone` in Secret `app`")
            && got.contains("an optional item"),
        "{got}"
    );
    assert!(got.ends_with("secret-file app/gone pod.yaml:12"), "{got}");
}

#[test]
fn projected_sources_later_ones_winning_and_runtime_ones_unverified() {
    let volumes = "[{name: s, projected: {sources: [{secret: {name: app, items: [{key: token, path: \
                   k}]}}, {configMap: {name: conf, items: [{key: port, path: k}]}}, \
                   {serviceAccountToken: {path: sa/token}}, {downwardAPI: {items: [{path: labels, \
                   fieldRef: {fieldPath: metadata.labels}}]}}]}}]";
    let got = file(&pod("/run/s/k", AT_S, volumes));
    assert!(
        got.starts_with("value \"8080\" secret=false | configmap-file conf/port"),
        "{got}"
    );
    for path in ["/run/s/sa/token", "/run/s/labels"] {
        let got = file(&pod(path, AT_S, volumes));
        assert!(
            got.starts_with(
                "runtime: a file of volume `s` mounted at /run/s (pod.yaml:8), of type `projected`"
            ),
            "{got}"
        );
    }
    let got = file(&pod("/run/s/nope", AT_S, volumes));
    assert!(
        got.contains("no item of ConfigMap `conf`") && got.contains("no item of Secret `app`"),
        "{got}"
    );
    // A projected Secret outside the files, without items, may hold any key.
    let outside = "[{name: s, projected: {sources: [{secret: {name: vault}}]}}]";
    assert_eq!(
        file(&pod("/run/s/key", AT_S, outside)),
        "runtime: Secret `vault` is not in the files (volume `s` mounted at /run/s (pod.yaml:8)) \
         | secret-file vault/key (not in the files)"
    );
}

#[test]
fn a_sub_path_mounts_one_file_or_folder_and_deeper_mounts_win() {
    let one = "[{name: s, mountPath: /etc/app/token, subPath: token}]";
    assert!(file(&pod("/etc/app/token", one, SECRET)).starts_with("value \"s3cret\""));
    let volumes = "[{name: s, secret: {secretName: app, items: [{key: token, path: conf/t}]}}]";
    let folder = "[{name: s, mountPath: /etc/conf, subPath: conf}]";
    assert!(file(&pod("/etc/conf/t", folder, volumes)).starts_with("value \"s3cret\""));
    let expr = "[{name: s, mountPath: /etc/conf, subPathExpr: $(POD)}]";
    assert!(file(&pod("/etc/conf/t", expr, SECRET)).contains("with `subPathExpr`"));
    // /etc/app/secrets is mounted over /etc/app.
    let nested = "[{name: c, mountPath: /etc/app}, {name: s, mountPath: /etc/app/secrets}]";
    let both = "[{name: s, secret: {secretName: app}}, {name: c, configMap: {name: conf}}]";
    assert!(file(&pod("/etc/app/secrets/token", nested, both)).starts_with("value \"s3cret\""));
    assert!(file(&pod("/etc/app/port", nested, both)).starts_with("value \"8080\""));
    // The root mounts everything.
    let root = "[{name: s, mountPath: /}]";
    assert!(file(&pod("/token", root, SECRET)).starts_with("value \"s3cret\""));
}

#[test]
fn a_path_under_no_mount_fails_as_the_app_would() {
    assert_eq!(
        file(&pod("/run/other/token", AT_S, SECRET)),
        "unreadable_file: no volume is mounted at /run/other/token, so the app cannot read it \
         (X_FILE); the container mounts /run/s | file /run/other/token"
    );
    // Not a prefix by characters: /run/sx is not under /run/s.
    assert!(file(&pod("/run/sx/token", AT_S, SECRET)).contains("no volume is mounted"));
    assert!(
        file(&pod("/run/s/token", "[]", SECRET))
            .ends_with("the container mounts no volume | file /run/s/token")
    );
}

#[test]
fn what_only_the_cluster_knows_is_provided_at_run_time() {
    let outside = "[{name: s, secret: {secretName: vault, optional: true}}]";
    assert!(
        file(&pod("/run/s/key", AT_S, outside))
            .starts_with("runtime: Secret `vault` is not in the files")
    );
    for volumes in ["[{name: s, emptyDir: {}}]", "[{name: s}]"] {
        let got = file(&pod("/run/s/key", AT_S, volumes));
        assert!(
            got.contains("of type `emptyDir`: only known at run time"),
            "{got}"
        );
    }
    let got = file(&pod("relative/key", AT_S, SECRET));
    assert!(
        got.starts_with("runtime: `X_FILE` is a relative path"),
        "{got}"
    );
}

#[test]
fn a_path_written_in_a_secret_is_left_alone() {
    let text = format!(
        "kind: Pod\nmetadata: {{name: p}}\nspec:\n  containers:\n    - name: app\n      env:\n        \
         - name: X_FILE\n          valueFrom: {{secretKeyRef: {{name: app, key: other}}}}\n      \
         volumeMounts: {AT_S}\n  volumes: {SECRET}\n{OBJECTS}"
    );
    assert_eq!(file(&text), "none");
}

#[test]
fn mounts_and_volumes_the_api_server_refuses_are_errors_with_their_line() {
    let err = refused(&pod(
        "/run/s/token",
        "[{name: nope, mountPath: /x}]",
        SECRET,
    ));
    assert_eq!(
        err,
        "pod.yaml:8: the volumeMount `nope` names no volume of the pod, which Kubernetes refuses"
    );
    let bad = "[{name: s, secret: {secretName: app, items: [{key: token, path: ../t}]}}]";
    assert!(refused(&pod("/run/s/t", AT_S, bad)).contains("has `..`, which Kubernetes refuses"));
    let err = refused(&pod("/run/s/t", "[{name: s}]", SECRET));
    assert_eq!(err, "pod.yaml:8: a volumeMount has no `mountPath`");
    let err = refused(&pod(
        "/run/s/t",
        AT_S,
        "[{name: s, secret: {optional: true}}]",
    ));
    assert!(err.ends_with("has no `secretName`"), "{err}");
}

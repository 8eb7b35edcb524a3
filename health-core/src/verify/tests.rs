//! The whole path on a contract written by hand (the derive is not available inside
//! health-core): files in, verdicts out. `tests/verify.rs` covers every manifest shape with a
//! derived contract.

use super::*;
use crate::contract::{Contract, Field, Requirement, VarSpec};
use crate::load::{IfAbsent, Loader};
use crate::status::{Code, Status};

const HOST: VarSpec = VarSpec::__new(
    "HOST",
    "String",
    "",
    Requirement::Required,
    None,
    false,
    false,
)
.__aliases(&["HOSTNAME"]);
const PORT: VarSpec = VarSpec::__new(
    "PORT",
    "u16",
    "",
    Requirement::Default,
    Some("8080"),
    false,
    false,
);
const TOKEN: VarSpec = VarSpec::__new(
    "TOKEN",
    "String",
    "",
    Requirement::Required,
    None,
    true,
    false,
);

/// `APP_HOST` (old name `APP_HOSTNAME`), `APP_PORT` (default 8080), `APP_TOKEN` (secret).
struct App;

impl ReadinessContract for App {
    const CONTRACT: &'static Contract = &Contract::__new(
        "App",
        "",
        "APP_",
        &[
            Field::__var("host", &HOST),
            Field::__var("port", &PORT),
            Field::__var("token", &TOKEN),
        ],
    );

    fn __load(loader: &mut Loader<'_>) -> Option<Self> {
        let text = crate::value::string;
        let host = loader.scalar(&HOST, "host", text, IfAbsent::Fail, None, None);
        let port = loader.scalar(
            &PORT,
            "port",
            crate::load::parse::from_str::<u16>,
            IfAbsent::Parse("8080"),
            None,
            None,
        );
        let token = loader.scalar(&TOKEN, "token", text, IfAbsent::Fail, None, None);
        (host.is_some() && port.is_some() && token.is_some()).then_some(App)
    }
}

const SECRET_VALUE: &str = "SECRET-unit-7781";

fn pod(env: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n    - name: app\n      \
         image: app:1\n{env}"
    )
}

fn secret(data: &str) -> String {
    format!("---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n{data}")
}

fn run(text: &str) -> Verification {
    Verifier::new()
        .text("app.yaml", text)
        .run::<App>()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn codes(v: &Verification) -> Vec<(&str, Status, Option<&str>)> {
    v.entries()
        .iter()
        .map(|e| (e.name(), e.status(), e.code().map(Code::as_str)))
        .collect()
}

/// Every printable form of a verification: none may hold `SECRET_VALUE`.
fn assert_no_secret(v: &Verification) {
    for text in [v.to_json_pretty(), format!("{v:?}"), v.summary()] {
        assert!(!text.contains(SECRET_VALUE), "{text}");
    }
}

#[test]
fn values_from_the_files_are_checked_by_the_loader() {
    let text = pod(
        "      env:\n        - {name: APP_HOST, value: db}\n        - {name: APP_PORT, value: \
         \"eighty\"}\n        - name: APP_TOKEN\n          valueFrom:\n            secretKeyRef: \
         {name: app, key: token}\n",
    ) + &secret(&format!("  token: {SECRET_VALUE}\n"));
    let v = run(&text);
    assert_eq!(
        codes(&v),
        [
            ("APP_HOST", Status::Pass, None),
            ("APP_PORT", Status::Fail, Some("invalid")),
            ("APP_TOKEN", Status::Pass, None),
        ]
    );
    assert!(!v.is_ok());
    assert_eq!(
        v.get("APP_HOST").unwrap().origin().to_string(),
        "literal app.yaml:10"
    );
    assert_eq!(
        v.get("APP_TOKEN").unwrap().origin().to_string(),
        "secret app/token app.yaml:21"
    );
    assert_no_secret(&v);
}

#[test]
fn secret_data_is_withheld_from_any_field_s_message() {
    let text = pod("      envFrom:\n        - secretRef: {name: app}\n")
        + &secret(&format!(
            "  APP_HOST: h\n  APP_PORT: {SECRET_VALUE}\n  APP_TOKEN: t\n"
        ));
    let v = run(&text);
    let port = v.get("APP_PORT").unwrap();
    assert_eq!(port.code().map(Code::as_str), Some("invalid"));
    assert!(
        port.message().unwrap().contains("details withheld"),
        "{port:?}"
    );
    assert_no_secret(&v);
}

#[test]
fn a_secret_written_in_the_manifest_fails() {
    let text = pod(&format!(
        "      env:\n        - {{name: APP_HOST, value: db}}\n        - {{name: APP_TOKEN, value: \
         {SECRET_VALUE}}}\n"
    ));
    let v = run(&text);
    let token = v.get("APP_TOKEN").unwrap();
    assert_eq!(token.code(), Some(&Code::SECRET_IN_MANIFEST));
    assert!(
        token.message().unwrap().contains("app.yaml:11"),
        "{token:?}"
    );
    assert_no_secret(&v);
}

#[test]
fn a_secret_s_reference_names_are_never_shown() {
    // Text between `$(` and `)` is part of the literal: for a secret field, not quoted.
    let text = pod(&format!(
        "      env:\n        - {{name: APP_HOST, value: db}}\n        - {{name: APP_TOKEN, value: \
         \"x$({SECRET_VALUE})\"}}\n"
    ));
    let v = run(&text);
    assert_eq!(v.get("APP_TOKEN").unwrap().code(), Some(&Code::UNVERIFIED));
    assert_no_secret(&v);
    // A field that is not secret: the reference is named.
    let text = pod(&format!(
        "      env:\n        - {{name: APP_HOST, value: \"$({SECRET_VALUE})\"}}\n"
    ));
    let host = run(&text);
    assert!(
        host.get("APP_HOST")
            .unwrap()
            .message()
            .unwrap()
            .contains(SECRET_VALUE)
    );
}

#[test]
fn old_names_unknown_names_and_near_misses() {
    let text = pod(
        "      env:\n        - {name: APP_HOSTNAME, value: db}\n        - {name: APP_PROT, value: \
         \"1\"}\n        - {name: APP_TOKEN, valueFrom: {fieldRef: {fieldPath: metadata.name}}}\n",
    );
    let v = run(&text);
    assert_eq!(
        codes(&v),
        [
            ("APP_HOST", Status::Warn, Some("renamed")),
            ("APP_PORT", Status::Pass, None),
            ("APP_TOKEN", Status::Warn, Some("unverified")),
            ("APP_PROT", Status::Warn, Some("unknown_variable")),
        ]
    );
    assert!(v.is_ok());
    assert!(
        v.get("APP_PROT")
            .unwrap()
            .message()
            .unwrap()
            .contains("did you mean `APP_PORT`"),
        "{v:?}"
    );
    let strict = Verifier::new()
        .text("app.yaml", text)
        .strict(true)
        .run::<App>()
        .unwrap();
    assert!(!strict.is_ok());

    let both = pod(
        "      env:\n        - {name: APP_HOSTNAME, value: a}\n        - {name: APP_HOST, value: b}\n",
    );
    let v = run(&both);
    assert_eq!(
        v.get("APP_HOST").unwrap().code(),
        Some(&Code::ALIAS_CONFLICT)
    );
}

#[test]
fn a_number_where_kubernetes_takes_a_string_is_refused_with_its_line() {
    let text = pod("      env:\n        - name: APP_PORT\n          value: 8080\n");
    let err = Verifier::new()
        .text("app.yaml", text)
        .run::<App>()
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "app.yaml:11: the value of `APP_PORT` is a number, and Kubernetes takes a string here: \
         quote it"
    );
}

#[test]
fn debug_of_the_options_never_shows_the_text() {
    let verifier = Verifier::new()
        .text("s.yaml", SECRET_VALUE)
        .container("app");
    let debug = format!("{verifier:?}");
    assert!(
        !debug.contains(SECRET_VALUE) && debug.contains("s.yaml"),
        "{debug}"
    );
}

#[test]
fn a_file_of_a_mounted_secret_is_checked_like_any_value() {
    let mounted = "      volumeMounts: [{name: s, mountPath: /run/app}]\n  volumes: [{name: s, \
                   secret: {secretName: app}}]\n";
    let env = "      env:\n        - {name: APP_HOST, value: \"\"}\n        - {name: APP_HOST_FILE, \
               value: /run/app/host}\n        - {name: APP_PORT_FILE, value: /run/app/port}\n        \
               - {name: APP_TOKEN_FILE, value: /run/app/token}\n";
    let data = format!("  host: db\n  port: {SECRET_VALUE}\n  token: \"{SECRET_VALUE}\\n\"\n");
    let text = pod(&format!("{env}{mounted}")) + &secret(&data);
    let v = run(&text);
    // APP_HOST is empty, so the loader reads APP_HOST_FILE; APP_PORT's value is withheld.
    assert_eq!(
        codes(&v),
        [
            ("APP_HOST", Status::Pass, None),
            ("APP_PORT", Status::Fail, Some("invalid")),
            ("APP_TOKEN", Status::Pass, None),
        ]
    );
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let token = v.get("APP_TOKEN").unwrap();
    assert_eq!(
        token.origin().to_string(),
        format!("secret-file app/token app.yaml:{}", line("token:"))
    );
    assert_eq!(token.at().map(|a| a.line), Some(line("APP_TOKEN_FILE")));
    let port = v.get("APP_PORT").unwrap().message().unwrap();
    assert!(
        port.contains("details withheld: the value comes from Secret `app`"),
        "{port}"
    );
    assert_no_secret(&v);

    // The Secret outside the files: provided at run time, a failure when strict.
    let v = run(&pod(&format!("{env}{mounted}")));
    let token = v.get("APP_TOKEN").unwrap();
    assert_eq!(token.code(), Some(&Code::UNVERIFIED));
    assert!(
        token
            .message()
            .unwrap()
            .contains("Secret `app` is not in the files"),
        "{token:?}"
    );
    let strict = Verifier::new()
        .text("app.yaml", pod(&format!("{env}{mounted}")))
        .strict(true)
        .run::<App>()
        .unwrap();
    assert_eq!(strict.get("APP_TOKEN").unwrap().status(), Status::Fail);

    // An old name set with the new name's file: the loader refuses both.
    let both = pod(&format!(
        "      env:\n        - {{name: APP_HOSTNAME, value: a}}\n        - {{name: APP_HOST_FILE, \
         value: /run/app/host}}\n{mounted}"
    )) + &secret("  host: db\n");
    assert_eq!(
        run(&both).get("APP_HOST").unwrap().code(),
        Some(&Code::ALIAS_CONFLICT)
    );
}

#[test]
fn a_name_with_folded_line_breaks_keeps_the_summary_on_one_line() {
    // A flow plain scalar keeps a line break for each empty line it spans (found by the
    // `manifest` fuzz target).
    let text = pod("").replace("  name: app\nspec", "  {name: shop\n\n\n  x}\nspec");
    let text = text.replace("metadata:\n  {", "metadata: {");
    let v = run(&text);
    let summary = v.summary();
    assert!(!summary.contains('\n'), "{summary}");
    assert!(
        summary.contains("Pod/shop\\n\\nx, container app"),
        "{summary}"
    );
}

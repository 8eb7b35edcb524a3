//! Docker Compose (environment as a map and as a list, env files, `${VAR}`, merge keys) and
//! `.env` files on their own.

use health::verify::{Provenance, Verifier};
use health::{Code, Status};

use super::{fixture, line_of, run, run_err, text, verdicts};

#[test]
fn compose_environment_as_a_map_with_env_files_and_interpolation() {
    let v = run(&Verifier::new()
        .file(fixture("compose/compose.yaml"))
        .container("shop"));
    assert_eq!(
        verdicts(&v),
        [
            "SHOP_DATABASE_URL warn unverified",
            "SHOP_API_KEY pass -",
            "SHOP_HOST pass -",
            "SHOP_PUBLIC_URL pass -",
            "SHOP_PORT pass -",
            "SHOP_TIMEOUT pass -",
            "SHOP_LOG_LEVEL pass -",
            "SHOP_REPLICA warn unverified",
        ]
    );
    let file = "compose/compose.yaml";
    let path = fixture(file).display().to_string();
    let origin = |name: &str| v.get(name).unwrap().origin().to_string();
    assert_eq!(
        origin("SHOP_DATABASE_URL"),
        format!("shell {path}:{}", line_of(file, "SHOP_DATABASE_URL:"))
    );
    assert_eq!(
        origin("SHOP_API_KEY"),
        format!(
            "env-file shop.env:{}",
            line_of("compose/shop.env", "SHOP_API_KEY")
        )
    );
    assert_eq!(
        origin("SHOP_REPLICA"),
        format!("${{HOSTNAME}} {path}:{}", line_of(file, "SHOP_REPLICA"))
    );
    // The merge key's entry, and `${PUBLIC_HOST:-shop.local}` with its default.
    assert_eq!(
        origin("SHOP_LOG_LEVEL"),
        format!("literal {path}:{}", line_of(file, "SHOP_LOG_LEVEL"))
    );
    assert_eq!(
        origin("SHOP_PUBLIC_URL"),
        format!("literal {path}:{}", line_of(file, "SHOP_PUBLIC_URL"))
    );
    assert_eq!(
        v.target().to_string(),
        format!("compose service shop ({path}:{})", line_of(file, "  shop:"))
    );

    // The `.env` beside it: `${HOSTNAME}` is known.
    let v = run(&Verifier::new()
        .files([fixture("compose/compose.yaml"), fixture("compose/.env")])
        .container("shop"));
    let replica = v.get("SHOP_REPLICA").unwrap();
    assert_eq!(replica.status(), Status::Pass);
    assert!(
        matches!(replica.origin(), Provenance::Interpolation { variable, .. } if variable == "HOSTNAME")
    );
    assert!(
        run(&Verifier::new()
            .file(fixture("compose/compose.yaml"))
            .container("shop")
            .strict(true))
        .failures()
        .any(|e| e.name() == "SHOP_REPLICA")
    );
}

#[test]
fn compose_environment_as_a_list() {
    let v = run(&Verifier::new().file(fixture("compose/compose-list.yaml")));
    assert_eq!(
        verdicts(&v),
        [
            "SHOP_DATABASE_URL warn unverified",
            "SHOP_API_KEY pass -",
            "SHOP_HOST pass -",
            "SHOP_PUBLIC_URL pass -",
            "SHOP_PORT pass -",
            "SHOP_TIMEOUT pass -",
            "SHOP_LOG_LEVEL pass -",
            "SHOP_REPLICA pass -",
        ]
    );
    assert_eq!(v.get("SHOP_PORT").unwrap().origin(), &Provenance::Default);
    assert_eq!(
        v.get("SHOP_LOG_LEVEL").unwrap().origin(),
        &Provenance::Nothing
    );
}

#[test]
fn compose_services_need_a_name_when_there_are_several() {
    let err = run_err(&Verifier::new().file(fixture("compose/compose.yaml")));
    assert!(
        err.to_string().contains("several containers (shop, db)"),
        "{err}"
    );
    let v = Verifier::new()
        .file(fixture("compose/compose.yaml"))
        .container("db")
        .run::<super::Shop>()
        .unwrap();
    assert_eq!(v.get("SHOP_HOST").unwrap().code(), Some(&Code::MISSING));
}

#[test]
fn env_files_that_are_not_there_are_read_at_deploy_time() {
    let dir = tempfile::tempdir().unwrap();
    let compose = "services:\n  shop:\n    image: x\n    env_file:\n      - missing.env\n      - path: \
                   also-missing.env\n        required: false\n    environment:\n      SHOP_HOST: h\n";
    let path = dir.path().join("compose.yaml");
    std::fs::write(&path, compose).unwrap();
    let v = run(&Verifier::new().file(&path));
    let api = v.get("SHOP_API_KEY").unwrap();
    assert_eq!(api.code(), Some(&Code::UNVERIFIED));
    assert!(
        api.message().unwrap().contains("env file missing.env"),
        "{api:?}"
    );
    assert_eq!(api.origin().to_string(), "env-file missing.env (not found)");
    // Optional variables keep their default: nothing says the file sets them.
    assert_eq!(v.get("SHOP_PORT").unwrap().status(), Status::Pass);
}

#[test]
fn values_compose_would_refuse_are_errors_with_their_line() {
    for (value, reason) in [
        ("abc$1", "a `$` starts no variable"),
        ("${OPEN", "never closed"),
        ("${HOST:?needed}x", ""),
    ] {
        let compose =
            format!("services:\n  shop:\n    environment:\n      SHOP_HOST: \"{value}\"\n");
        let result = Verifier::new().text("c.yaml", compose).run::<super::Shop>();
        if reason.is_empty() {
            // `${VAR:?}` of an unknown variable: required at deploy time, not an error here.
            assert_eq!(
                result.unwrap().get("SHOP_HOST").unwrap().code(),
                Some(&Code::UNVERIFIED)
            );
            continue;
        }
        let err = result.err().unwrap();
        assert_eq!((err.file(), err.line()), (Some("c.yaml"), Some(4)), "{err}");
        assert!(err.to_string().contains(reason), "{err}");
    }
}

#[test]
fn a_secret_written_in_a_compose_file_fails() {
    let compose = "services:\n  shop:\n    environment:\n      SHOP_API_KEY: SECRET-api-key-2718\n      \
                   SHOP_DATABASE_URL: ${DATABASE_URL:-postgres://SECRET-db-pass-3141@db/shop}\n";
    let v = run(&Verifier::new().text("c.yaml", compose));
    for name in ["SHOP_API_KEY", "SHOP_DATABASE_URL"] {
        assert_eq!(
            v.get(name).unwrap().code(),
            Some(&Code::SECRET_IN_MANIFEST),
            "{name}"
        );
    }
    // From the shell (a `.env` given with it): not written in the file.
    let v = run(&Verifier::new()
        .text(
            "c.yaml",
            "services:\n  shop:\n    environment:\n      SHOP_API_KEY: ${KEY}\n",
        )
        .text(".env", "KEY=SECRET-api-key-2718\n"));
    assert_eq!(v.get("SHOP_API_KEY").unwrap().status(), Status::Pass);
}

#[test]
fn env_files_alone_are_the_environment() {
    let file = "dotenv/.env.production";
    let v = run(&Verifier::new().file(fixture(file)));
    assert!(v.is_ok(), "{}", v.to_json_pretty());
    let path = fixture(file).display().to_string();
    let origin = v.get("SHOP_PUBLIC_URL").unwrap().origin();
    assert_eq!(
        origin.to_string(),
        format!("env-file {path}:{}", line_of(file, "SHOP_PUBLIC_URL"))
    );
    assert_eq!(v.target().kind, "env");
    // A later file wins; a secret in an env file is where it belongs.
    let v = run(&Verifier::new()
        .text("a.env", text(file))
        .text("b.env", "SHOP_PORT=eighty\n"));
    let port = v.get("SHOP_PORT").unwrap();
    assert_eq!(
        (port.code(), port.origin().to_string().as_str()),
        (Some(&Code::INVALID), "env-file b.env:1")
    );
    assert_eq!(v.get("SHOP_API_KEY").unwrap().status(), Status::Pass);
    // A line that does not parse: its file and line, never its text.
    let err = run_err(&Verifier::new().text(
        "bad.env",
        "SHOP_HOST=h\nSHOP_API_KEY 'SECRET-unterminated\n",
    ));
    assert_eq!(
        (err.file(), err.line()),
        (Some("bad.env"), Some(2)),
        "{err}"
    );
    // Not with Kubernetes manifests.
    let err = run_err(
        &Verifier::new()
            .file(fixture(file))
            .file(fixture("k8s/shop.yaml")),
    );
    assert!(
        err.to_string()
            .contains("a .env file goes with a Compose file"),
        "{err}"
    );
}

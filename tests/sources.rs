//! Config sources: `NAME_FILE` secrets, `.env` files layered under the process environment
//! (feature `dotenv`), and the origin of every value in the report.

use health::{Origin, ReadinessContract};

#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Config {
    #[contract(secret)]
    db_password: String,
    #[contract(default = 5432)]
    db_port: u16,
    region: String,
}

#[test]
fn a_secret_file_fills_an_unset_variable_without_its_trailing_newline() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("db_password");
    std::fs::write(&secret, "s3cr3t-from-file\n").unwrap();
    let vars = [
        ("DB_PASSWORD_FILE", secret.to_str().unwrap()),
        ("REGION", "eu"),
    ];
    let config = Config::from_vars(vars).unwrap();
    assert_eq!(config.db_password, "s3cr3t-from-file");
    let report = Config::check_vars(vars);
    let origins: Vec<_> = report
        .entries()
        .iter()
        .map(|c| (c.name(), c.origin().cloned()))
        .collect();
    assert_eq!(
        origins,
        [
            ("DB_PASSWORD", Some(Origin::SecretFile(secret.clone()))),
            ("DB_PORT", Some(Origin::Default)),
            ("REGION", Some(Origin::Provided)),
        ]
    );
    #[cfg(feature = "json")]
    {
        let json = report.to_json();
        assert!(
            json.contains(&format!("\"origin\":\"file:{}\"", secret.display())),
            "{json}"
        );
        assert!(!json.contains("s3cr3t"), "{json}");
    }
    dir.close().unwrap();
}

#[test]
fn a_variable_set_both_directly_and_through_its_file_is_a_conflict_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("db_password");
    std::fs::write(&secret, "s3cr3t-from-file\n").unwrap();
    let unreadable = dir.path().join("nope");
    // Which one holds is ambiguous, whether the file is readable or not: neither is taken.
    for file in [&secret, &unreadable] {
        let vars = [
            ("DB_PASSWORD", "s3cr3t-direct"),
            ("DB_PASSWORD_FILE", file.to_str().unwrap()),
            ("REGION", "eu"),
        ];
        let err = Config::from_vars(vars).unwrap_err();
        let failures: Vec<_> = err.iter().collect();
        assert_eq!(failures.len(), 1, "{err}");
        assert_eq!(failures[0].name(), "DB_PASSWORD");
        assert_eq!(failures[0].code().unwrap(), "conflict");
        assert_eq!(
            failures[0].message().unwrap(),
            "set as both `DB_PASSWORD` and `DB_PASSWORD_FILE`: keep one"
        );
        let report = Config::check_vars(vars);
        assert!(!report.is_ready());
        let shown = format!("{report}{err}{err:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
    // An empty `NAME_FILE` is unset, as an empty `NAME` is: no conflict.
    let config = Config::from_vars([
        ("DB_PASSWORD", "direct"),
        ("DB_PASSWORD_FILE", ""),
        ("REGION", "eu"),
    ])
    .unwrap();
    assert_eq!(config.db_password, "direct");
    // A variable with a default, and another without its file: each is read as usual.
    let config = Config::from_vars([
        ("DB_PASSWORD_FILE", secret.to_str().unwrap()),
        ("DB_PORT", "6543"),
        ("REGION", "eu"),
    ])
    .unwrap();
    assert_eq!(
        (config.db_password.as_str(), config.db_port),
        ("s3cr3t-from-file", 6543)
    );
    let err = Config::from_vars([
        ("DB_PASSWORD", "direct"),
        ("DB_PORT", "6543"),
        ("DB_PORT_FILE", secret.to_str().unwrap()),
        ("REGION", "eu"),
    ])
    .unwrap_err();
    let names: Vec<_> = err
        .iter()
        .map(|f| (f.name(), f.code().unwrap().as_str()))
        .collect();
    assert_eq!(names, [("DB_PORT", "conflict")]);
    dir.close().unwrap();
}

#[test]
fn an_unreadable_or_empty_secret_file_is_a_named_failure() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope");
    let err = Config::from_vars([
        ("DB_PASSWORD_FILE", missing.to_str().unwrap()),
        ("REGION", "eu"),
    ])
    .unwrap_err();
    let failure = err.iter().next().unwrap();
    assert_eq!(failure.name(), "DB_PASSWORD");
    assert_eq!(failure.code().unwrap(), "unreadable_file");
    assert!(
        failure
            .message()
            .unwrap()
            .contains(missing.to_str().unwrap()),
        "{err}"
    );

    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    let err = Config::from_vars([
        ("DB_PASSWORD_FILE", empty.to_str().unwrap()),
        ("REGION", "eu"),
    ])
    .unwrap_err();
    assert_eq!(err.iter().next().unwrap().code().unwrap(), "empty");

    // A directory is unreadable as a file; its content is never shown, only the path.
    let err = Config::from_vars([
        ("DB_PASSWORD_FILE", dir.path().to_str().unwrap()),
        ("REGION", "eu"),
    ])
    .unwrap_err();
    assert_eq!(
        err.iter().next().unwrap().code().unwrap(),
        "unreadable_file"
    );
    dir.close().unwrap();
}

#[cfg(feature = "dotenv")]
#[test]
fn dotenv_files_fill_what_the_process_lacks_and_say_so() {
    use health::LayeredEnv;

    #[derive(Debug, ReadinessContract)]
    #[contract(prefix = "HEALTH_SRC_")]
    #[allow(dead_code)]
    struct Local {
        api_url: String,
        #[contract(secret)]
        api_token: String,
        path: Option<String>,
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".env");
    std::fs::write(
        &file,
        "HEALTH_SRC_API_URL=http://localhost:9000\nHEALTH_SRC_API_TOKEN=dev-token\n",
    )
    .unwrap();
    let env = LayeredEnv::new().dotenv(&file).unwrap();
    let local = Local::from_source(&env).unwrap();
    assert_eq!(local.api_url, "http://localhost:9000");
    assert_eq!(local.api_token, "dev-token");
    let report = Local::check_source(&env);
    assert_eq!(
        report.entries()[0].origin(),
        Some(&Origin::DotEnv(file.clone()))
    );
    assert_eq!(
        report.entries()[2].origin(),
        None,
        "an absent optional has no origin"
    );
    #[cfg(feature = "json")]
    assert!(!report.to_json().contains("dev-token"));
    // Never written to the process environment.
    assert!(std::env::var_os("HEALTH_SRC_API_URL").is_none());
    dir.close().unwrap();
}

mod outside_the_prefix {
    use health::{Code, ReadinessContract};

    #[derive(Debug, ReadinessContract)]
    struct Db {
        /// The platform sets it under this name, whatever the service's prefix.
        #[contract(env = "DATABASE_URL", no_prefix, alias = "DB_URL")]
        url: String,
        #[contract(default = 5)]
        pool: u32,
    }

    #[derive(Debug, ReadinessContract)]
    #[contract(prefix = "BILLING_", deny_unknown)]
    struct Config {
        #[contract(nested, prefix = "DB_")]
        db: Db,
        #[contract(no_prefix)]
        port: u16,
    }

    #[test]
    fn a_no_prefix_variable_is_read_under_its_own_name() {
        let config = Config::from_vars([
            ("DATABASE_URL", "postgres://db/billing"),
            ("BILLING_DB_POOL", "9"),
            ("PORT", "8080"),
        ])
        .unwrap();
        assert_eq!(config.db.url, "postgres://db/billing");
        assert_eq!(config.db.pool, 9);
        assert_eq!(config.port, 8080);
        let names: Vec<String> = Config::contract()
            .variables()
            .iter()
            .map(|v| v.name().to_owned())
            .collect();
        assert_eq!(names, ["DATABASE_URL", "BILLING_DB_POOL", "PORT"]);
        assert_eq!(Config::contract().variables()[0].old_names(), ["DB_URL"]);
    }

    #[test]
    fn a_no_prefix_variable_is_named_in_failures_and_old_names_and_is_no_stray() {
        let report = Config::check_vars([("BILLING_DB_URL", "x"), ("PORT", "80")]);
        let url = report.get("DATABASE_URL").unwrap();
        assert_eq!(url.code(), Some(&Code::MISSING));
        // Under the prefix, the prefixed name is a stray (`deny_unknown`).
        assert_eq!(
            report.get("BILLING_DB_URL").unwrap().code(),
            Some(&Code::UNKNOWN_VARIABLE)
        );
        let report = Config::check_vars([("DB_URL", "postgres://old"), ("PORT", "80")]);
        assert_eq!(
            report.get("DATABASE_URL").unwrap().code(),
            Some(&Code::RENAMED)
        );
        assert!(report.is_ready());
    }
}

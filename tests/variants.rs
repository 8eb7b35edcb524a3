//! Selected variants: an enum whose variants carry config structs, chosen by a tag variable
//! or by which variant is configured; the variables of the others are ignored with a warning.
//!
//! What the contract records of a choice, and how the generators show it: `variants/contract.rs`.

#![allow(dead_code)]

mod common;
#[path = "variants/contract.rs"]
mod contract;

use common::failing;
use health::{Code, ReadinessContract, Status};
use proptest::prelude::*;

#[derive(Debug, PartialEq, ReadinessContract)]
struct LocalDisk {
    /// Directory the uploads go to.
    path: String,
}

#[derive(Debug, PartialEq, ReadinessContract)]
#[contract(requires(access_key => secret_key))]
struct S3Config {
    bucket: String,
    #[contract(default = "us-east-1")]
    region: String,
    access_key: Option<String>,
    #[contract(secret)]
    secret_key: Option<String>,
}

#[derive(Debug, PartialEq, ReadinessContract)]
struct RedisConfig {
    url: String,
}

/// Where uploads are stored.
#[derive(Debug, PartialEq, ReadinessContract)]
#[contract(tag = "BACKEND")]
enum Storage {
    #[contract(default)]
    Local(LocalDisk),
    #[contract(prefix = "S3_")]
    S3(S3Config),
    #[contract(tag = "redis", prefix = "REDIS_")]
    RedisCache(RedisConfig),
    Memory,
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "APP_")]
struct Config {
    name: String,
    #[contract(nested, prefix = "STORAGE_")]
    storage: Storage,
}

/// The queue: the first configured backend wins.
#[derive(Debug, PartialEq, ReadinessContract)]
enum Queue {
    #[contract(prefix = "KAFKA_")]
    Kafka(Kafka),
    #[contract(prefix = "SQS_")]
    Sqs(Sqs),
    #[contract(default)]
    InProcess,
}

#[derive(Debug, PartialEq, ReadinessContract)]
struct Kafka {
    brokers: String,
}

#[derive(Debug, PartialEq, ReadinessContract)]
struct Sqs {
    queue_url: String,
    #[contract(secret)]
    token: String,
}

/// Exactly one payment provider must be configured.
#[derive(Debug, PartialEq, ReadinessContract)]
#[contract(exactly_one)]
enum Payments {
    #[contract(prefix = "STRIPE_")]
    Stripe(Stripe),
    #[contract(prefix = "ADYEN_")]
    Adyen(Adyen),
}

#[derive(Debug, PartialEq, ReadinessContract)]
struct Stripe {
    #[contract(secret)]
    key: String,
}

#[derive(Debug, PartialEq, ReadinessContract)]
struct Adyen {
    #[contract(secret)]
    api_key: String,
    merchant: String,
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "SHOP_")]
struct Shop {
    #[contract(nested, prefix = "QUEUE_")]
    queue: Queue,
    #[contract(nested, prefix = "PAY_")]
    payments: Payments,
}

/// Every variable of the payment variants, blamed when none or two are configured.
const PAYMENT_VARIABLES: [&str; 3] = [
    "SHOP_PAY_STRIPE_KEY",
    "SHOP_PAY_ADYEN_API_KEY",
    "SHOP_PAY_ADYEN_MERCHANT",
];

#[test]
fn the_tag_chooses_each_variant() {
    let config = Config::from_vars([
        ("APP_NAME", "up"),
        ("APP_STORAGE_BACKEND", "local"),
        ("APP_STORAGE_PATH", "/srv"),
    ])
    .unwrap();
    assert_eq!(
        config.storage,
        Storage::Local(LocalDisk {
            path: "/srv".into()
        })
    );
    let config = Config::from_vars([
        ("APP_NAME", "up"),
        ("APP_STORAGE_BACKEND", "s3"),
        ("APP_STORAGE_S3_BUCKET", "uploads"),
    ])
    .unwrap();
    assert_eq!(
        config.storage,
        Storage::S3(S3Config {
            bucket: "uploads".into(),
            region: "us-east-1".into(),
            access_key: None,
            secret_key: None,
        })
    );
    let config = Config::from_vars([
        ("APP_NAME", "up"),
        ("APP_STORAGE_BACKEND", "redis"),
        ("APP_STORAGE_REDIS_URL", "redis://cache"),
    ])
    .unwrap();
    assert_eq!(
        config.storage,
        Storage::RedisCache(RedisConfig {
            url: "redis://cache".into()
        })
    );
    let config =
        Config::from_vars([("APP_NAME", "up"), ("APP_STORAGE_BACKEND", "memory")]).unwrap();
    assert_eq!(config.storage, Storage::Memory);
}

#[test]
fn the_tag_is_a_variable_with_its_own_entry() {
    let report = Config::check_vars([("APP_NAME", "up"), ("APP_STORAGE_BACKEND", "memory")]);
    assert!(report.is_ready(), "{report:?}");
    let names: Vec<&str> = report.entries().iter().map(|e| e.name()).collect();
    assert_eq!(names, ["APP_NAME", "APP_STORAGE_BACKEND"]);
    let tag = report.get("APP_STORAGE_BACKEND").unwrap();
    assert_eq!(tag.status(), Status::Pass);
    assert_eq!(tag.field(), Some("storage.backend"));
}

#[test]
fn an_unknown_tag_is_invalid_and_lists_the_choices() {
    let vars = [("APP_NAME", "up"), ("APP_STORAGE_BACKEND", "azure")];
    let report = Config::check_vars(vars);
    assert_eq!(failing(&report), [("APP_STORAGE_BACKEND", "invalid")]);
    assert_eq!(
        report.get("APP_STORAGE_BACKEND").unwrap().message(),
        Some("`azure` is not a variant: expected `local`, `s3`, `redis` or `memory`")
    );
    assert!(Config::from_vars(vars).is_err());
}

#[test]
fn no_tag_uses_the_default_variant_and_says_why_a_variable_is_missing() {
    let config = Config::from_vars([("APP_NAME", "up"), ("APP_STORAGE_PATH", "/srv")]).unwrap();
    assert_eq!(
        config.storage,
        Storage::Local(LocalDisk {
            path: "/srv".into()
        })
    );
    let report = Config::check_vars([("APP_NAME", "up")]);
    assert_eq!(failing(&report), [("APP_STORAGE_PATH", "missing")]);
    assert_eq!(
        report.get("APP_STORAGE_PATH").unwrap().message(),
        Some(
            "required variable is not set: the `local` variant of `storage` is used because `APP_STORAGE_BACKEND` is not set and it is the default"
        )
    );
    let report = Config::check_vars([("APP_NAME", "up"), ("APP_STORAGE_BACKEND", "s3")]);
    let bucket = report.get("APP_STORAGE_S3_BUCKET").unwrap();
    assert_eq!(bucket.code(), Some(&Code::MISSING));
    assert!(
        bucket.message().unwrap().ends_with(
            "the `s3` variant of `storage` is used because `APP_STORAGE_BACKEND` is `s3`"
        ),
        "{bucket:?}"
    );
    assert_eq!(bucket.field(), Some("storage.s3.bucket"));
}

/// The same enum without a default: the tag is required.
#[derive(Debug, ReadinessContract)]
#[contract(tag = "KIND")]
enum Mailer {
    Smtp(LocalDisk),
    Log,
}

#[test]
fn a_missing_tag_without_a_default_is_missing() {
    let report = Mailer::check_vars([("PATH", "/x")]);
    assert_eq!(failing(&report), [("KIND", "missing")]);
    assert!(Mailer::from_vars([("KIND", "log")]).is_ok());
}

#[test]
fn variables_of_variants_not_chosen_are_ignored_with_a_warning() {
    let vars = [
        ("APP_NAME", "up"),
        ("APP_STORAGE_BACKEND", "s3"),
        ("APP_STORAGE_S3_BUCKET", "uploads"),
        ("APP_STORAGE_PATH", "not parsed"),
        ("APP_STORAGE_REDIS_URL", "redis://cache"),
    ];
    assert!(matches!(
        Config::from_vars(vars).unwrap().storage,
        Storage::S3(_)
    ));
    let report = Config::check_vars(vars);
    assert!(report.is_ready(), "{report:?}");
    let path = report.get("APP_STORAGE_PATH").unwrap();
    assert_eq!(path.status(), Status::Warn);
    assert_eq!(path.code(), Some(&Code::IGNORED));
    assert_eq!(
        path.message(),
        Some(
            "not read: the `s3` variant of `storage` is used because `APP_STORAGE_BACKEND` is `s3`, so `local` is ignored"
        )
    );
    assert_eq!(path.field(), Some("storage.local"));
    let url = report.get("APP_STORAGE_REDIS_URL").unwrap();
    assert_eq!(url.code(), Some(&Code::IGNORED));
}

#[test]
fn presence_chooses_the_first_configured_variant() {
    let vars = [
        ("SHOP_QUEUE_SQS_QUEUE_URL", "https://sqs"),
        ("SHOP_QUEUE_SQS_TOKEN", "t0ken-value"),
        ("SHOP_QUEUE_KAFKA_BROKERS", "k1:9092"),
        ("SHOP_PAY_STRIPE_KEY", "sk_live_1"),
    ];
    let shop = Shop::from_vars(vars).unwrap();
    assert_eq!(
        shop.queue,
        Queue::Kafka(Kafka {
            brokers: "k1:9092".into()
        })
    );
    let report = Shop::check_vars(vars);
    assert!(report.is_ready(), "{report:?}");
    let choice = report.get("variant:queue").unwrap();
    assert_eq!(choice.status(), Status::Pass);
    assert_eq!(choice.variables(), ["SHOP_QUEUE_KAFKA_BROKERS"]);
    let ignored = report.get("SHOP_QUEUE_SQS_TOKEN").unwrap();
    assert_eq!(ignored.code(), Some(&Code::IGNORED));
    assert_eq!(
        ignored.message(),
        Some(
            "not read: the `kafka` variant of `queue` is used because `SHOP_QUEUE_KAFKA_BROKERS` is set (it is the first configured), so `sqs` is ignored"
        )
    );
    // Only the second one configured: it is chosen.
    let shop = Shop::from_vars([
        ("SHOP_QUEUE_SQS_QUEUE_URL", "https://sqs"),
        (
            "SHOP_QUEUE_SQS_TOKEN_FILE",
            file_holding("t0ken-value").as_str(),
        ),
        ("SHOP_PAY_STRIPE_KEY", "sk_live_1"),
    ])
    .unwrap();
    assert!(matches!(shop.queue, Queue::Sqs(Sqs { ref token, .. }) if token == "t0ken-value"));
}

#[test]
fn presence_uses_the_default_when_none_is_configured() {
    let shop = Shop::from_vars([
        ("SHOP_PAY_ADYEN_API_KEY", "k"),
        ("SHOP_PAY_ADYEN_MERCHANT", "m"),
    ])
    .unwrap();
    assert_eq!(shop.queue, Queue::InProcess);
    assert!(matches!(shop.payments, Payments::Adyen(_)));
    // One variable of a variant configures it: the others are then required, and said why.
    let report = Shop::check_vars([("SHOP_PAY_ADYEN_MERCHANT", "m")]);
    assert_eq!(failing(&report), [("SHOP_PAY_ADYEN_API_KEY", "missing")]);
    assert!(
        report
            .get("SHOP_PAY_ADYEN_API_KEY")
            .unwrap()
            .message()
            .unwrap()
            .ends_with("the `adyen` variant of `payments` is used because `SHOP_PAY_ADYEN_MERCHANT` is set (it is the one configured)")
    );
}

#[test]
fn presence_without_a_default_needs_a_configured_variant() {
    let report = Shop::check_vars([("SHOP_QUEUE_KAFKA_BROKERS", "k1")]);
    assert_eq!(failing(&report), [("variant:payments", "missing")]);
    let entry = report.get("variant:payments").unwrap();
    assert_eq!(
        entry.message(),
        Some(
            "no variant of `payments` is configured: configure one of `stripe` (`SHOP_PAY_STRIPE_KEY`) or `adyen` (`SHOP_PAY_ADYEN_API_KEY` and `SHOP_PAY_ADYEN_MERCHANT`)"
        )
    );
    assert_eq!(entry.variables(), PAYMENT_VARIABLES);
}

#[test]
fn exactly_one_fails_two_configured_variants_naming_both() {
    let vars = [
        ("SHOP_PAY_STRIPE_KEY", "sk_live_secret"),
        ("SHOP_PAY_ADYEN_API_KEY", "adyen-secret"),
        ("SHOP_PAY_ADYEN_MERCHANT", "m"),
    ];
    assert!(Shop::from_vars(vars).is_err());
    let report = Shop::check_vars(vars);
    assert_eq!(failing(&report), [("variant:payments", "conflict")]);
    let entry = report.get("variant:payments").unwrap();
    assert_eq!(
        entry.message(),
        Some(
            "the variants `stripe` (`SHOP_PAY_STRIPE_KEY`) and `adyen` (`SHOP_PAY_ADYEN_API_KEY` and `SHOP_PAY_ADYEN_MERCHANT`) of `payments` are both configured: configure exactly one"
        )
    );
    assert_eq!(entry.variables(), PAYMENT_VARIABLES);
}

#[test]
fn a_secret_of_a_variant_never_shows() {
    let secrets = [
        "sk_live_secret",
        "adyen-secret",
        "t0ken-value",
        "s3-secret-key",
    ];
    let runs = [
        // Chosen, conflicting, and ignored secrets.
        vec![
            ("SHOP_PAY_STRIPE_KEY", "sk_live_secret"),
            ("SHOP_PAY_ADYEN_API_KEY", "adyen-secret"),
            ("SHOP_QUEUE_KAFKA_BROKERS", "k1"),
            ("SHOP_QUEUE_SQS_TOKEN", "t0ken-value"),
        ],
        vec![("SHOP_PAY_ADYEN_API_KEY", "adyen-secret")],
    ];
    for vars in runs {
        let report = Shop::check_vars(vars.clone());
        let error = Shop::from_vars(vars).unwrap_err();
        let shown = format!("{}{error}{error:?}", shown(&report));
        for secret in secrets {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
    let vars = [
        ("APP_NAME", "up"),
        ("APP_STORAGE_S3_ACCESS_KEY", "AKIA"),
        ("APP_STORAGE_S3_SECRET_KEY", "s3-secret-key"),
    ];
    let report = Config::check_vars(vars);
    assert_eq!(
        report.get("APP_STORAGE_S3_SECRET_KEY").unwrap().code(),
        Some(&Code::IGNORED)
    );
    let shown = shown(&report);
    assert!(!shown.contains("s3-secret-key"), "{shown}");
}

#[test]
fn rules_inside_a_variant_still_run() {
    let vars = [
        ("APP_NAME", "up"),
        ("APP_STORAGE_BACKEND", "s3"),
        ("APP_STORAGE_S3_BUCKET", "uploads"),
        ("APP_STORAGE_S3_ACCESS_KEY", "AKIA"),
    ];
    let report = Config::check_vars(vars);
    assert_eq!(
        failing(&report),
        [(
            "requires:APP_STORAGE_S3_ACCESS_KEY,APP_STORAGE_S3_SECRET_KEY",
            "missing"
        )]
    );
    assert!(Config::from_vars(vars).is_err());
    // Not chosen: its rules do not run, its variables are ignored.
    let report = Config::check_vars([
        ("APP_NAME", "up"),
        ("APP_STORAGE_PATH", "/srv"),
        ("APP_STORAGE_S3_ACCESS_KEY", "AKIA"),
    ]);
    assert!(report.is_ready(), "{report:?}");
}

#[test]
fn an_enum_is_a_config_of_its_own() {
    let mailer = Mailer::from_vars([("KIND", "smtp"), ("PATH", "/spool")]).unwrap();
    assert!(matches!(mailer, Mailer::Smtp(LocalDisk { ref path }) if path == "/spool"));
    assert_eq!(Mailer::contract().variants()[0].name(), "variant:Mailer");
}

#[derive(Debug, ReadinessContract)]
struct Worker {
    #[contract(nested, prefix = "QUEUE_")]
    queue: Option<Queue>,
}

#[test]
fn an_optional_choice_is_none_until_one_of_its_variables_is_set() {
    assert_eq!(Worker::from_vars([("OTHER", "x")]).unwrap().queue, None);
    let worker = Worker::from_vars([
        ("QUEUE_SQS_QUEUE_URL", "https://sqs"),
        ("QUEUE_SQS_TOKEN", "t"),
    ])
    .unwrap();
    assert!(matches!(worker.queue, Some(Queue::Sqs(_))));
}

/// Everything a report shows: its debug form and, with feature `json`, its body.
fn shown(report: &health::Report) -> String {
    #[cfg(feature = "json")]
    return format!("{report:?}{}", report.to_json());
    #[cfg(not(feature = "json"))]
    return format!("{report:?}");
}

/// A file holding `text`, for `NAME_FILE`; kept until the process exits.
fn file_holding(text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("health-variants-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("token");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// `vars` loaded and reported: the load passes exactly when the report is ready, with one
/// failure each, and no secret's value shows in the report.
fn load_and_report_agree<C: ReadinessContract + std::fmt::Debug>(
    vars: &[(String, String)],
) -> Result<(), TestCaseError> {
    let report = C::check_vars(vars.iter().cloned());
    let shown = shown(&report);
    for variable in C::contract().variables() {
        if variable.spec().is_secret()
            && let Some((_, value)) = vars.iter().find(|(name, _)| name == variable.name())
        {
            prop_assert!(!shown.contains(value.as_str()), "{shown}");
        }
    }
    match C::from_vars(vars.iter().cloned()) {
        Ok(_) => prop_assert!(report.is_ready(), "{report:?}"),
        Err(error) => {
            prop_assert!(!report.is_ready());
            prop_assert_eq!(error.len(), report.failures().count());
        }
    }
    Ok(())
}

/// Up to ten of `C`'s variables (tags among the values), a secret's value marked `hush-`.
fn vars_of<C: ReadinessContract>() -> impl Strategy<Value = Vec<(String, String)>> {
    let variables = C::contract().variables();
    let value = prop_oneof![
        Just("s3".to_owned()),
        Just("local".to_owned()),
        Just("memory".to_owned()),
        "[ -~]{0,12}",
    ];
    prop::collection::vec((0..variables.len(), value), 0..10).prop_map(move |picks| {
        picks
            .into_iter()
            .map(|(i, value)| {
                let variable = &variables[i];
                let value = if variable.spec().is_secret() {
                    format!("hush-{value}-hush")
                } else {
                    value
                };
                (variable.name().to_owned(), value)
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_choice_loads_as_it_reports(vars in vars_of::<Config>()) {
        load_and_report_agree::<Config>(&vars)?;
    }

    #[test]
    fn any_presence_choice_loads_as_it_reports(vars in vars_of::<Shop>()) {
        load_and_report_agree::<Shop>(&vars)?;
    }
}

#[derive(ReadinessContract)]
#[contract(debug)]
struct Vault {
    #[contract(secret)]
    token: String,
}

#[derive(ReadinessContract)]
#[contract(tag = "KIND", debug)]
enum Secrets {
    #[contract(prefix = "VAULT_")]
    Vault(Vault),
    #[contract(default)]
    Env,
}

#[derive(ReadinessContract)]
#[contract(debug)]
struct Redacting {
    #[contract(nested)]
    secrets: Secrets,
}

#[test]
fn a_redacting_debug_prints_the_chosen_variant_without_its_secrets() {
    let config = Redacting::from_vars([("KIND", "vault"), ("VAULT_TOKEN", "hush-token")]).unwrap();
    assert_eq!(
        format!("{config:?}"),
        "Redacting { secrets: Vault(Vault { token: *** }) }"
    );
    let config = Redacting::from_vars([("OTHER", "x")]).unwrap();
    assert_eq!(format!("{config:?}"), "Redacting { secrets: Env }");
}

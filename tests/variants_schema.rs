//! The JSON Schema of `health::docs` holds the selected variants exactly as the loader does.
//!
//! One config has a choice by a tag variable with a default (and a unit variant), one by
//! presence where the first configured variant wins with a default, one by presence without a
//! default, and one where exactly one must be configured; a rule inside a variant holds only
//! while it is chosen. Environments are drawn by a seeded generator: each variable absent,
//! empty, or set to one of a few values, some of which its parser refuses (which counts only
//! while its variant is chosen). Each one is checked by the loader and by Python's
//! `jsonschema` against the generated schema (`schema_parity.py`), and the verdicts must be
//! equal.
//!
//! The generator and the run of the validator are the parity tests' harness
//! (`common/schema.rs`); here the config, its values and what the verdicts must show.
//!
//! Without `python3` or the package, the test prints a line starting with `SKIP:` and passes,
//! unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

#![allow(dead_code)]

mod common;

use common::schema;

use std::collections::BTreeMap;

use health::{ReadinessContract, Report, docs};
use serde_json::json;

#[derive(Debug, ReadinessContract)]
struct Disk {
    path: String,
    #[contract(default = 4)]
    shards: u16,
}

#[derive(Debug, ReadinessContract)]
#[contract(requires(access_key => secret_key))]
struct S3 {
    bucket: String,
    #[contract(default = "us-east-1")]
    region: String,
    access_key: Option<String>,
    #[contract(secret)]
    secret_key: Option<String>,
    #[contract(default = 3)]
    retries: u8,
}

#[derive(Debug, ReadinessContract)]
struct Redis {
    url: String,
    #[contract(default = 6379)]
    port: u16,
}

/// Chosen by `V_STORE_BACKEND`, `disk` when it is not set.
#[derive(Debug, ReadinessContract)]
#[contract(tag = "BACKEND")]
enum Store {
    #[contract(default, prefix = "DISK_")]
    Disk(Disk),
    #[contract(prefix = "S3_")]
    S3(S3),
    #[contract(prefix = "REDIS_")]
    Redis(Redis),
    Memory,
}

#[derive(Debug, ReadinessContract)]
struct Kafka {
    brokers: String,
    #[contract(default = 1)]
    partitions: u16,
}

#[derive(Debug, ReadinessContract)]
struct Sqs {
    queue_url: String,
    #[contract(alias = "ARN")]
    queue_arn: Option<String>,
}

/// The first configured queue wins; in-process when none is.
#[derive(Debug, ReadinessContract)]
enum Queue {
    #[contract(prefix = "KAFKA_")]
    Kafka(Kafka),
    #[contract(prefix = "SQS_")]
    Sqs(Sqs),
    #[contract(default)]
    InProcess,
}

#[derive(Debug, ReadinessContract)]
struct Memcached {
    hosts: String,
}

#[derive(Debug, ReadinessContract)]
struct RedisCache {
    url: String,
    #[contract(default = 16)]
    pool: u16,
}

/// The first configured cache wins, and one must be.
#[derive(Debug, ReadinessContract)]
enum Cache {
    #[contract(prefix = "MEMCACHED_")]
    Memcached(Memcached),
    #[contract(prefix = "REDIS_")]
    Redis(RedisCache),
}

#[derive(Debug, ReadinessContract)]
struct Stripe {
    #[contract(secret)]
    key: String,
}

#[derive(Debug, ReadinessContract)]
struct Adyen {
    #[contract(secret)]
    api_key: String,
    merchant: String,
}

/// Exactly one payment provider.
#[derive(Debug, ReadinessContract)]
#[contract(exactly_one)]
enum Payments {
    #[contract(prefix = "STRIPE_")]
    Stripe(Stripe),
    #[contract(prefix = "ADYEN_")]
    Adyen(Adyen),
}

#[derive(Debug, ReadinessContract)]
#[contract(prefix = "V_")]
struct Config {
    name: String,
    #[contract(nested, prefix = "STORE_")]
    store: Store,
    #[contract(nested, prefix = "QUEUE_")]
    queue: Queue,
    #[contract(nested, prefix = "CACHE_")]
    cache: Cache,
    #[contract(nested, prefix = "PAY_")]
    payments: Payments,
}

/// Each variable's values: `None` is absent; the values marked do not parse.
const VALUES: &[(&str, &[Option<&str>])] = &[
    ("V_NAME", &[Some("shop"), Some("shop"), Some(""), None]),
    (
        "V_STORE_BACKEND",
        &[
            None,
            Some(""),
            Some("disk"),
            Some("s3"),
            Some("redis"),
            Some("memory"),
            // Unknown tags.
            Some("S3"),
            Some("gcs"),
        ],
    ),
    ("V_STORE_DISK_PATH", &[None, Some(""), Some("/srv")]),
    // `x` does not parse.
    ("V_STORE_DISK_SHARDS", &[None, None, Some("8"), Some("x")]),
    ("V_STORE_S3_BUCKET", &[None, Some(""), Some("b")]),
    ("V_STORE_S3_REGION", &[None, None, Some("eu-west-1")]),
    ("V_STORE_S3_ACCESS_KEY", &[None, None, Some("AK")]),
    ("V_STORE_S3_SECRET_KEY", &[None, Some("sk"), Some("")]),
    // `many` does not parse, nor does `300` fit a `u8`.
    (
        "V_STORE_S3_RETRIES",
        &[None, None, Some("5"), Some("many"), Some("300")],
    ),
    ("V_STORE_REDIS_URL", &[None, Some("redis://r")]),
    (
        "V_STORE_REDIS_PORT",
        &[None, None, Some("6380"), Some("99999")],
    ),
    (
        "V_QUEUE_KAFKA_BROKERS",
        &[None, None, Some(""), Some("k:9092")],
    ),
    (
        "V_QUEUE_KAFKA_PARTITIONS",
        &[None, None, Some("3"), Some("-1")],
    ),
    (
        "V_QUEUE_SQS_QUEUE_URL",
        &[None, None, Some("https://sqs/q")],
    ),
    ("V_QUEUE_SQS_QUEUE_ARN", &[None, None, Some("arn:q")]),
    ("V_QUEUE_SQS_ARN", &[None, None, Some("arn:old")]),
    ("V_CACHE_MEMCACHED_HOSTS", &[None, Some(""), Some("m1,m2")]),
    ("V_CACHE_REDIS_URL", &[None, Some("redis://c")]),
    ("V_CACHE_REDIS_POOL", &[None, None, Some("8"), Some("lots")]),
    ("V_PAY_STRIPE_KEY", &[None, Some(""), Some("sk_live")]),
    ("V_PAY_ADYEN_API_KEY", &[None, None, Some("ak")]),
    ("V_PAY_ADYEN_MERCHANT", &[None, Some(""), Some("m")]),
];

/// What a sparse environment starts from, one drawn for each: each loads, and between them
/// every variant is taken.
const BASES: &[&[(&str, &str)]] = &[
    &[
        ("V_NAME", "shop"),
        ("V_STORE_DISK_PATH", "/srv"),
        ("V_CACHE_REDIS_URL", "redis://c"),
        ("V_PAY_STRIPE_KEY", "sk_live"),
    ],
    &[
        ("V_NAME", "shop"),
        ("V_STORE_BACKEND", "s3"),
        ("V_STORE_S3_BUCKET", "b"),
        ("V_QUEUE_SQS_QUEUE_URL", "https://sqs/q"),
        ("V_CACHE_MEMCACHED_HOSTS", "m1,m2"),
        ("V_PAY_ADYEN_API_KEY", "ak"),
        ("V_PAY_ADYEN_MERCHANT", "m"),
    ],
    &[
        ("V_NAME", "shop"),
        ("V_STORE_BACKEND", "redis"),
        ("V_STORE_REDIS_URL", "redis://r"),
        ("V_QUEUE_KAFKA_BROKERS", "k:9092"),
        ("V_CACHE_REDIS_URL", "redis://c"),
        ("V_PAY_STRIPE_KEY", "sk_live"),
    ],
];

/// How many environments are drawn.
const ENVIRONMENTS: usize = 12_000;

/// The environments: every other one draws each variable's value evenly; the others keep
/// one of [`BASES`] (and leave the other variables absent) for three variables in four, so
/// that more of them are ready.
const GENERATOR: schema::Generator = schema::Generator {
    seed: 0x2545_f491_4f6c_dd1d,
    values: VALUES,
    bases: BASES,
    redraw: 4,
};

/// Which variant each choice of a loaded config took: `store=s3`, ...
fn chosen(config: &Config) -> [String; 4] {
    let store = match config.store {
        Store::Disk(_) => "disk",
        Store::S3(_) => "s3",
        Store::Redis(_) => "redis",
        Store::Memory => "memory",
    };
    let queue = match config.queue {
        Queue::Kafka(_) => "kafka",
        Queue::Sqs(_) => "sqs",
        Queue::InProcess => "in_process",
    };
    let cache = match config.cache {
        Cache::Memcached(_) => "memcached",
        Cache::Redis(_) => "redis",
    };
    let payments = match config.payments {
        Payments::Stripe(_) => "stripe",
        Payments::Adyen(_) => "adyen",
    };
    [
        format!("store={store}"),
        format!("queue={queue}"),
        format!("cache={cache}"),
        format!("payments={payments}"),
    ]
}

#[test]
fn the_schema_and_the_loader_agree_on_every_choice() {
    let envs = GENERATOR.environments(ENVIRONMENTS);
    let mut cases = Vec::with_capacity(envs.len());
    // How many ready environments took each variant, and how many failed each entry.
    let mut took: BTreeMap<String, usize> = BTreeMap::new();
    let mut failed: BTreeMap<String, usize> = BTreeMap::new();
    let mut ready = 0;
    for (i, env) in envs.iter().enumerate() {
        let report: Report = Config::check_vars(env.iter().copied());
        for entry in report.failures() {
            *failed.entry(entry.name().to_owned()).or_default() += 1;
        }
        if report.is_ready() {
            ready += 1;
            let config = Config::from_vars(env.iter().copied()).unwrap();
            for variant in chosen(&config) {
                *took.entry(variant).or_default() += 1;
            }
        }
        cases.push(schema::case(
            "variants",
            &format!("env {i}"),
            env,
            report.is_ready(),
        ));
    }
    println!("{} environments, {ready} ready", envs.len());
    println!("ready, by variant: {took:?}");
    println!("failures, by entry: {failed:?}");
    // Every variant is taken by ready environments, and every choice fails somewhere.
    for variant in [
        "store=disk",
        "store=s3",
        "store=redis",
        "store=memory",
        "queue=kafka",
        "queue=sqs",
        "queue=in_process",
        "cache=memcached",
        "cache=redis",
        "payments=stripe",
        "payments=adyen",
    ] {
        assert!(
            took.get(variant).is_some_and(|n| *n >= 20),
            "{variant} {took:?}"
        );
    }
    for entry in [
        "V_STORE_BACKEND",
        "variant:cache",
        "variant:payments",
        "requires:V_STORE_S3_ACCESS_KEY,V_STORE_S3_SECRET_KEY",
        "V_STORE_S3_RETRIES",
        "V_QUEUE_KAFKA_PARTITIONS",
    ] {
        assert!(
            failed.get(entry).is_some_and(|n| *n >= 20),
            "{entry} {failed:?}"
        );
    }
    assert!(ready >= 500 && envs.len() - ready >= 500, "{ready}");

    schema::assert_schema_agrees("variants", docs::json_schema(Config::contract()), cases);
}

#[test]
fn each_choice_is_listed_and_each_if_names_what_it_compares() {
    let schema = docs::json_schema(Config::contract());
    let listed = schema["x-rules"].as_array().unwrap();
    let choices: Vec<(&str, &str)> = listed
        .iter()
        .filter(|r| r["kind"] == "variant")
        .map(|r| (r["name"].as_str().unwrap(), r["mode"].as_str().unwrap()))
        .collect();
    assert_eq!(
        choices,
        [
            ("variant:store", "tag"),
            ("variant:queue", "first_set"),
            ("variant:cache", "first_set"),
            ("variant:payments", "exactly_one"),
        ]
    );
    let store = listed
        .iter()
        .find(|r| r["name"] == "variant:store")
        .unwrap();
    assert_eq!(
        store["sentence"],
        Config::contract().variants()[0].sentence()
    );
    assert_eq!(store["variables"][0], "V_STORE_BACKEND");
    // Only a choice by presence with a secret has something the schema cannot see.
    let payments = listed
        .iter()
        .find(|r| r["name"] == "variant:payments")
        .unwrap();
    assert!(
        payments["notInSchema"]
            .as_str()
            .unwrap()
            .contains("NAME_FILE")
    );
    assert!(store.get("notInSchema").is_none());
    // An unknown tag is refused by the tag's `enum`; the empty value means the default,
    // accepted beside it.
    assert_eq!(
        schema["properties"]["V_STORE_BACKEND"]["anyOf"],
        json!([{"maxLength": 0}, {"enum": ["disk", "s3", "redis", "memory"]}])
    );
    // A variant's required variable is not required at the top, and its values are checked
    // only while it is chosen.
    let required = schema["required"].as_array().unwrap();
    assert!(
        !required.contains(&json!("V_STORE_S3_BUCKET")),
        "{required:?}"
    );
    assert!(
        schema["properties"]["V_STORE_S3_RETRIES"]
            .get("pattern")
            .is_none()
    );
    // Every `if` of the tag names the tag in `required`, or says it is not set.
    let all_of = schema["allOf"].as_array().unwrap();
    let s3 = all_of
        .iter()
        .find(|s| s["if"]["properties"]["V_STORE_BACKEND"]["const"] == "s3")
        .expect("an if on the s3 tag");
    assert_eq!(s3["if"]["required"], json!(["V_STORE_BACKEND"]));
    assert_eq!(s3["then"]["required"], json!(["V_STORE_S3_BUCKET"]));
    // Exactly one: the pair is refused.
    assert!(all_of.iter().any(|s| s["not"]["anyOf"].is_null()
        && s["not"].to_string().contains("V_PAY_STRIPE_KEY")
        && s["not"].to_string().contains("V_PAY_ADYEN_API_KEY")));
}

//! The `.env.example` and the Markdown table of a config with selected variants: the example
//! uses one variant of each choice and, filled in, loads when read back through `LayeredEnv`;
//! uncommenting another variant's block (and setting its tag, or commenting out the block in
//! use) switches the choice. The table gives each choice's sentence and its variants.
#![cfg(all(feature = "docs", feature = "dotenv"))]
#![allow(dead_code)]

mod common;

use common::failing;
use health::{LayeredEnv, ReadinessContract, Report, docs};

#[derive(Debug, ReadinessContract)]
struct Disk {
    path: String,
    #[contract(default = 4)]
    shards: u16,
}

#[derive(Debug, ReadinessContract)]
struct S3 {
    bucket: String,
    #[contract(default = "us-east-1")]
    region: String,
}

/// Where files are stored.
#[derive(Debug, ReadinessContract)]
#[contract(tag = "BACKEND")]
enum Store {
    #[contract(default, prefix = "DISK_")]
    Disk(Disk),
    #[contract(prefix = "S3_")]
    S3(S3),
    Memory,
}

#[derive(Debug, ReadinessContract)]
struct Kafka {
    brokers: String,
}

#[derive(Debug, ReadinessContract)]
struct Sqs {
    queue_url: String,
}

/// The first configured queue wins.
#[derive(Debug, ReadinessContract)]
enum Queue {
    #[contract(prefix = "KAFKA_")]
    Kafka(Kafka),
    #[contract(prefix = "SQS_")]
    Sqs(Sqs),
}

#[derive(Debug, ReadinessContract)]
struct Stripe {
    #[contract(secret)]
    key: String,
}

#[derive(Debug, ReadinessContract)]
struct Adyen {
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

/// A shop with a store chosen by a tag, and a queue and payments chosen by presence.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "W_")]
struct Shop {
    #[contract(nested, prefix = "STORE_")]
    store: Store,
    #[contract(nested, prefix = "QUEUE_")]
    queue: Queue,
    #[contract(nested, prefix = "PAY_")]
    payments: Payments,
}

/// `text` with the line of `name` (blank or commented out) set to `value`.
fn set(text: &str, name: &str, value: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let bare = line.trim_start_matches("# ");
            match bare.split_once('=') {
                Some((n, _)) if n == name => format!("{name}={value}"),
                _ => line.to_owned(),
            }
        })
        .collect();
    assert!(
        lines.iter().any(|l| *l == format!("{name}={value}")),
        "no line {name}"
    );
    lines.join("\n") + "\n"
}

/// `text` with every line of a variable under `prefix` commented out (`comment`) or
/// uncommented.
fn toggle_block(text: &str, prefix: &str, comment: bool) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let bare = line.trim_start_matches("# ");
            let ours = bare.starts_with(prefix) && bare.contains('=');
            match (ours, comment) {
                (true, true) => format!("# {bare}"),
                (true, false) => bare.to_owned(),
                (false, _) => line.to_owned(),
            }
        })
        .collect();
    lines.join("\n") + "\n"
}

/// The example's text read back by the loader: the report, and the variants chosen.
fn load(example: &str) -> (Report, Option<[&'static str; 3]>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".env.example");
    std::fs::write(&path, example).unwrap();
    let source = LayeredEnv::new().dotenv(&path).unwrap();
    let report = Shop::check_source(&source);
    let chosen = Shop::from_source(&source).ok().map(|shop| {
        [
            match shop.store {
                Store::Disk(_) => "disk",
                Store::S3(_) => "s3",
                Store::Memory => "memory",
            },
            match shop.queue {
                Queue::Kafka(_) => "kafka",
                Queue::Sqs(_) => "sqs",
            },
            match shop.payments {
                Payments::Stripe(_) => "stripe",
                Payments::Adyen(_) => "adyen",
            },
        ]
    });
    dir.close().unwrap();
    (report, chosen)
}

/// The example with the required variables of the variants it uses filled in.
fn filled() -> String {
    let example = docs::env_example(Shop::contract());
    let example = set(&example, "W_STORE_DISK_PATH", "/srv");
    let example = set(&example, "W_QUEUE_KAFKA_BROKERS", "k:9092");
    set(&example, "W_PAY_STRIPE_KEY", "sk_test")
}

#[test]
fn the_example_uses_one_variant_of_each_choice_and_loads_once_filled_in() {
    let example = docs::env_example(Shop::contract());
    for block in [
        // The tag is set to the default variant, whose block is shown to fill in.
        "W_STORE_BACKEND=disk\n",
        "# --- store.disk ---\n# The `disk` variant: the one this file uses (`W_STORE_BACKEND=disk`).\n",
        "W_STORE_DISK_PATH=\n",
        // Another variant: commented out, saying which tag value uses it.
        "# --- store.s3 ---\n# The `s3` variant, used when `W_STORE_BACKEND` is `s3`: to use it, \
         set `W_STORE_BACKEND=s3` and uncomment this block.\n",
        "# W_STORE_S3_BUCKET=\n",
        "# W_STORE_S3_REGION=us-east-1\n",
        // By presence: the first variant is shown, the other commented out.
        "# The `kafka` variant: the one this file uses (this block being the one configured).\n",
        "W_QUEUE_KAFKA_BROKERS=\n",
        "# The `sqs` variant, used when it is configured: to use it, comment out the `kafka` \
         block and uncomment this block.\n",
        "# W_QUEUE_SQS_QUEUE_URL=\n",
        "W_PAY_STRIPE_KEY=\n",
        "# W_PAY_ADYEN_MERCHANT=\n",
    ] {
        assert!(example.contains(block), "missing:\n{block}\nin:\n{example}");
    }
    // As it is: the variant in use needs its required variable; no variant is configured by
    // presence, which fails where one must be.
    let (report, _) = load(&example);
    assert_eq!(
        failing(&report),
        [
            ("W_STORE_DISK_PATH", "empty"),
            ("variant:queue", "missing"),
            ("variant:payments", "missing"),
        ]
    );
    // Filled in: ready, with the variants the example uses.
    let (report, chosen) = load(&filled());
    assert!(report.is_ready(), "{:?}", failing(&report));
    assert_eq!(chosen, Some(["disk", "kafka", "stripe"]));
    // No secret value is in the example: the secret's line is blank.
    assert!(!example.contains("sk_"));
}

#[test]
fn uncommenting_another_block_as_its_header_says_switches_the_choice() {
    let example = filled();
    // By tag: set the tag and uncomment the block (the other block's values are ignored).
    let s3 = toggle_block(&example, "W_STORE_S3_", false);
    let s3 = set(&set(&s3, "W_STORE_BACKEND", "s3"), "W_STORE_S3_BUCKET", "b");
    let (report, chosen) = load(&s3);
    assert!(report.is_ready(), "{:?}", failing(&report));
    assert_eq!(chosen, Some(["s3", "kafka", "stripe"]));
    // Uncommented without its required variable filled in: the variant chosen says so.
    let unfilled = set(
        &toggle_block(&example, "W_STORE_S3_", false),
        "W_STORE_BACKEND",
        "s3",
    );
    assert_eq!(
        failing(&load(&unfilled).0),
        [("W_STORE_S3_BUCKET", "empty")]
    );

    // By presence: comment out the block in use and uncomment the other.
    let sqs = toggle_block(&example, "W_QUEUE_KAFKA_", true);
    let sqs = set(&sqs, "W_QUEUE_SQS_QUEUE_URL", "https://sqs/q");
    let (report, chosen) = load(&sqs);
    assert!(report.is_ready(), "{:?}", failing(&report));
    assert_eq!(chosen, Some(["disk", "sqs", "stripe"]));

    // Exactly one: both blocks in use fail, naming both variants; one of them passes.
    let both = set(&example, "W_PAY_ADYEN_MERCHANT", "m");
    assert_eq!(failing(&load(&both).0), [("variant:payments", "conflict")]);
    let adyen = set(
        &toggle_block(&example, "W_PAY_STRIPE_", true),
        "W_PAY_ADYEN_MERCHANT",
        "m",
    );
    let (report, chosen) = load(&adyen);
    assert!(report.is_ready(), "{:?}", failing(&report));
    assert_eq!(chosen, Some(["disk", "kafka", "adyen"]));
}

#[test]
fn the_table_gives_each_choices_sentence_and_its_variants() {
    let table = docs::markdown_table(Shop::contract());
    let choices = Shop::contract().variants();
    assert_eq!(choices.len(), 3, "one block of rows per choice");
    for (choice, rows) in choices.iter().zip([
        &[
            "| `disk` (default) | `W_STORE_BACKEND` is `disk` or not set | `W_STORE_DISK_PATH` (required), `W_STORE_DISK_SHARDS` |",
            "| `s3` | `W_STORE_BACKEND` is `s3` | `W_STORE_S3_BUCKET` (required), `W_STORE_S3_REGION` |",
            "| `memory` | `W_STORE_BACKEND` is `memory` | (none) |",
        ][..],
        &[
            "| `kafka` | it is the first configured | `W_QUEUE_KAFKA_BROKERS` (required) |",
            "| `sqs` | it is the first configured | `W_QUEUE_SQS_QUEUE_URL` (required) |",
        ][..],
        &[
            "| `stripe` | it is the one configured | `W_PAY_STRIPE_KEY` (required) |",
            "| `adyen` | it is the one configured | `W_PAY_ADYEN_MERCHANT` (required) |",
        ][..],
    ]) {
        let block = format!(
            "**Selected variant `{}`**\n\n{}\n\n| Variant | Chosen when | Variables |\n|---|---|---|\n{}\n",
            choice.name(),
            choice.sentence(),
            rows.join("\n")
        );
        assert!(table.contains(&block), "missing:\n{block}\nin:\n{table}");
    }
    assert!(
        table.contains("Exactly one of `stripe` (`W_PAY_STRIPE_KEY`) or `adyen` (`W_PAY_ADYEN_MERCHANT`) may be configured"),
        "{table}"
    );
}

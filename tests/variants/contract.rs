//! What the contract records of a choice: its mode, tag and default, each variant's tag,
//! field and variables, the views' full names and sentences, and how the generators show a
//! variant's variables.

use health::{Activation, ChoiceMode, FieldKind, ReadinessContract};

use super::{Config, Shop, Storage};

#[test]
fn the_contract_records_the_choice() {
    let contract = Storage::contract();
    let choice = contract.choice().unwrap();
    assert_eq!(choice.mode(), ChoiceMode::Tag);
    assert_eq!(choice.tag(), Some(0));
    assert_eq!(choice.default(), Some(0));
    let tags: Vec<(&str, &str, Option<usize>)> = choice
        .variants()
        .iter()
        .map(|v| (v.ident(), v.tag(), v.field()))
        .collect();
    assert_eq!(
        tags,
        [
            ("Local", "local", Some(1)),
            ("S3", "s3", Some(2)),
            ("RedisCache", "redis", Some(3)),
            ("Memory", "memory", None)
        ]
    );
    let activations: Vec<Activation> = contract.fields().iter().map(|f| f.activation()).collect();
    assert_eq!(
        activations,
        [
            Activation::Always,
            Activation::Variant(0),
            Activation::Variant(1),
            Activation::Variant(2)
        ]
    );
    let FieldKind::Var(tag) = contract.fields()[0].kind() else {
        panic!("the tag is a variable");
    };
    assert_eq!(
        tag.constraints().one_of(),
        ["local", "s3", "redis", "memory"]
    );
    assert_eq!(tag.default(), Some("local"));
    // Every variable of every variant is a variable of the contract.
    let names: Vec<String> = Config::contract()
        .variables()
        .iter()
        .map(|v| v.name().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "APP_NAME",
            "APP_STORAGE_BACKEND",
            "APP_STORAGE_PATH",
            "APP_STORAGE_S3_BUCKET",
            "APP_STORAGE_S3_REGION",
            "APP_STORAGE_S3_ACCESS_KEY",
            "APP_STORAGE_S3_SECRET_KEY",
            "APP_STORAGE_REDIS_URL"
        ]
    );
    assert!(Config::contract().choice().is_none());
}

#[test]
fn the_contract_views_have_full_names_and_sentences() {
    let choices = Config::contract().variants();
    assert_eq!(choices.len(), 1);
    let storage = &choices[0];
    assert_eq!(storage.name(), "variant:storage");
    assert_eq!(storage.field(), "storage");
    assert_eq!(storage.tag().unwrap().name(), "APP_STORAGE_BACKEND");
    assert_eq!(storage.default().unwrap().tag(), "local");
    let s3 = &storage.variants()[1];
    assert_eq!(s3.field(), "storage.s3");
    let names: Vec<&str> = s3.variables().iter().map(|v| v.name()).collect();
    assert_eq!(
        names,
        [
            "APP_STORAGE_S3_BUCKET",
            "APP_STORAGE_S3_REGION",
            "APP_STORAGE_S3_ACCESS_KEY",
            "APP_STORAGE_S3_SECRET_KEY"
        ]
    );
    assert_eq!(
        storage.sentence(),
        "`APP_STORAGE_BACKEND` selects one of: `local` (`APP_STORAGE_PATH`), `s3` (`APP_STORAGE_S3_BUCKET`, `APP_STORAGE_S3_REGION`, `APP_STORAGE_S3_ACCESS_KEY` and `APP_STORAGE_S3_SECRET_KEY`), `redis` (`APP_STORAGE_REDIS_URL`), `memory` (no variables); `local` when it is not set."
    );
    let shop = Shop::contract().variants();
    let sentences: Vec<String> = shop.iter().map(|c| c.sentence()).collect();
    assert_eq!(
        sentences,
        [
            "The first configured of `kafka` (`SHOP_QUEUE_KAFKA_BROKERS`), `sqs` (`SHOP_QUEUE_SQS_QUEUE_URL` and `SHOP_QUEUE_SQS_TOKEN`) or `in_process` (no variables) is used (a variant is configured once any of its variables is set); `in_process` when none is.",
            "Exactly one of `stripe` (`SHOP_PAY_STRIPE_KEY`) or `adyen` (`SHOP_PAY_ADYEN_API_KEY` and `SHOP_PAY_ADYEN_MERCHANT`) may be configured (a variant is configured once any of its variables is set); one must be."
        ]
    );
    assert_eq!(shop[1].mode(), ChoiceMode::ExactlyOne);
    assert!(shop[1].tag().is_none());
    #[cfg(feature = "json")]
    {
        let json = serde_json::to_value(Shop::contract()).unwrap();
        assert_eq!(json["variants"][1]["name"], "variant:payments");
        assert_eq!(json["variants"][1]["mode"], "exactly_one");
        assert_eq!(
            json["variants"][0]["variants"][1]["variables"],
            serde_json::json!(["SHOP_QUEUE_SQS_QUEUE_URL", "SHOP_QUEUE_SQS_TOKEN"])
        );
    }
}

#[cfg(feature = "docs")]
#[test]
fn the_generators_show_a_variants_variables_as_read_only_when_chosen() {
    let contract = Config::contract();
    let example = health::docs::env_example(contract);
    assert!(
        example.contains(
            "# type: String, required when `APP_STORAGE_BACKEND` is `s3`\n# read only when `APP_STORAGE_BACKEND` is `s3`\n# APP_STORAGE_S3_BUCKET=\n"
        ),
        "{example}"
    );
    assert!(
        example.contains(
            "# must be one of `local`, `s3`, `redis`, `memory`\nAPP_STORAGE_BACKEND=local\n"
        ),
        "{example}"
    );
    let table = health::docs::markdown_table(contract);
    assert!(
        table.contains(
            "| `APP_STORAGE_S3_BUCKET` | `String` | yes, when `APP_STORAGE_BACKEND` is `s3` |"
        ),
        "{table}"
    );
    let schema = health::docs::json_schema(contract);
    assert_eq!(schema["required"], serde_json::json!(["APP_NAME"]));
    let shop = health::docs::markdown_table(Shop::contract());
    assert!(
        shop.contains("Read only when the `sqs` variant of `queue` is used."),
        "{shop}"
    );
}

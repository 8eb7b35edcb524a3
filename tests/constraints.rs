//! `range`, `one_of` and `len`: enforced by the loader as `rejected` with a message that
//! states the rule and never the value, applied to defaults, recorded in the contract.

#![allow(dead_code)] // fields exist to be loaded, not read

mod common;

use std::time::Duration;

use common::statuses;
use health::{ReadinessContract, Status, VarSpec};

/// The `(code, message)` of the entry `name` of a report.
fn failure(report: &health::Report, name: &str) -> (String, String) {
    let entry = report
        .get(name)
        .unwrap_or_else(|| panic!("{name} not in report"));
    (
        entry
            .code()
            .map(|c| c.as_str().to_owned())
            .unwrap_or_default(),
        entry.message().unwrap_or_default().to_owned(),
    )
}

fn rejected(message: &str) -> (String, String) {
    ("rejected".to_owned(), message.to_owned())
}

/// Each `(name, message)`: the report's entry `name` is `rejected` with that message.
fn assert_rejected(report: &health::Report, expected: &[(&str, &str)]) {
    for (name, message) in expected {
        assert_eq!(failure(report, name), rejected(message), "{name}");
    }
}

#[derive(Debug, ReadinessContract)]
struct Numbers {
    #[contract(range = 1..=65535)]
    port: u32,
    #[contract(range = 0..10)]
    digit: i64,
    #[contract(range = -5..)]
    floor: i8,
    #[contract(range = ..=100)]
    percent: u8,
    #[contract(range = 0.0..1.0)]
    ratio: f64,
    #[contract(range = 1..=2)]
    scale: f32,
}

fn numbers(overrides: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut vars = vec![
        ("PORT", "8080"),
        ("DIGIT", "9"),
        ("FLOOR", "-5"),
        ("PERCENT", "100"),
        ("RATIO", "0"),
        ("SCALE", "2"),
    ];
    for (name, value) in overrides {
        vars.retain(|(n, _)| n != name);
        vars.push((name, value));
    }
    vars
}

#[test]
fn integers_and_floats_in_range_load_at_their_bounds() {
    let config = Numbers::from_vars(numbers(&[])).unwrap();
    assert_eq!(
        (
            config.port,
            config.digit,
            config.floor,
            config.percent,
            config.ratio
        ),
        (8080, 9, -5, 100, 0.0)
    );
    for port in ["1", "65535"] {
        assert!(
            Numbers::from_vars(numbers(&[("PORT", port)])).is_ok(),
            "{port}"
        );
    }
}

#[test]
fn integers_and_floats_out_of_range_are_rejected_with_the_rule() {
    let report = Numbers::check_vars(numbers(&[
        ("PORT", "0"),
        ("DIGIT", "10"),
        ("FLOOR", "-6"),
        ("PERCENT", "101"),
        ("RATIO", "1.0"),
        ("SCALE", "NaN"),
    ]));
    assert_rejected(
        &report,
        &[
            ("PORT", "must be in 1..=65535"),
            ("DIGIT", "must be in 0..10 (10 excluded)"),
            ("FLOOR", "must be at least -5"),
            ("PERCENT", "must be at most 100"),
            ("RATIO", "must be in 0.0..1.0 (1.0 excluded)"),
            // NaN parses as a float but has no place in any range.
            ("SCALE", "must be in 1..=2"),
        ],
    );
}

#[test]
fn a_value_that_does_not_parse_is_invalid_not_rejected() {
    let report = Numbers::check_vars(numbers(&[("PORT", "eighty"), ("PERCENT", "300")]));
    assert_eq!(report.get("PORT").unwrap().code().unwrap(), "invalid");
    // 300 does not fit u8: the parser says so before the range could.
    assert_eq!(report.get("PERCENT").unwrap().code().unwrap(), "invalid");
}

#[derive(Debug, ReadinessContract)]
struct Timing {
    #[contract(range = "1s"..="1h", default = "30s")]
    timeout: Duration,
    #[contract(range = "100ms"..)]
    interval: Option<Duration>,
    #[contract(range = .."1m", default = Duration::from_secs(120))]
    grace: Duration,
}

#[test]
fn durations_take_string_bounds_read_by_their_own_rule() {
    let report = Timing::check_vars([("GRACE", "10s")]);
    assert!(report.is_ready(), "{report:?}");
    let config = Timing::from_vars([("GRACE", "59s"), ("INTERVAL", "100ms")]).unwrap();
    assert_eq!(config.timeout, Duration::from_secs(30));
    assert_eq!(config.interval, Some(Duration::from_millis(100)));

    let report = Timing::check_vars([("TIMEOUT", "2h"), ("INTERVAL", "99ms"), ("GRACE", "1m")]);
    assert_rejected(
        &report,
        &[
            ("TIMEOUT", "must be in 1s..=1h"),
            ("INTERVAL", "must be at least 100ms"),
            ("GRACE", "must be less than 1m"),
        ],
    );
}

#[test]
fn an_absent_option_passes_its_range() {
    let report = Timing::check_vars([("GRACE", "1s")]);
    assert_eq!(
        report.get("INTERVAL").map(health::ReportEntry::status),
        Some(Status::Pass)
    );
}

#[test]
fn a_typed_default_outside_its_range_is_an_invalid_default() {
    // `default = Duration::from_secs(120)` is not a literal, so only the loader can see that
    // it breaks `..1m`; the fix is in the code, hence `invalid_default`.
    let report = Timing::check_vars(Vec::<(&str, &str)>::new());
    assert_eq!(
        failure(&report, "GRACE"),
        (
            "invalid_default".to_owned(),
            "default `Duration::from_secs(120)` breaks the contract: must be less than 1m"
                .to_owned()
        )
    );
    assert!(report.get("TIMEOUT").unwrap().status() == Status::Pass);
}

#[derive(Debug, ReadinessContract)]
struct Texts {
    #[contract(one_of = ["debug", "info", "warn"], default = "info")]
    level: String,
    #[contract(len = 1..=8)]
    name: String,
    #[contract(len = ..=3)]
    code: Option<String>,
    #[contract(range = "b".."m")]
    shard: String,
    #[contract(one_of = ["eu", "us"])]
    region: Option<String>,
}

#[test]
fn strings_check_one_of_len_and_an_ordered_range() {
    let config = Texts::from_vars([("NAME", "été"), ("SHARD", "b")]).unwrap();
    assert_eq!(config.level, "info");
    assert_eq!(config.code, None);
    assert_eq!(config.region, None);

    let report = Texts::check_vars([
        ("LEVEL", "trace"),
        ("NAME", "ninechars"),
        ("CODE", "abcd"),
        ("SHARD", "m"),
        ("REGION", "EU"),
    ]);
    assert_rejected(
        &report,
        &[
            ("LEVEL", "must be one of `debug`, `info`, `warn`"),
            ("NAME", "must be 1 to 8 characters long"),
            ("CODE", "must be at most 3 characters long"),
            ("SHARD", "must be in b..m (m excluded)"),
            // `one_of` compares the text exactly: no case folding, no trimming of a single value.
            ("REGION", "must be one of `eu`, `us`"),
        ],
    );
    let report = Texts::check_vars([("NAME", "x"), ("SHARD", "c"), ("LEVEL", " info")]);
    assert_eq!(report.get("LEVEL").unwrap().code().unwrap(), "rejected");
}

#[test]
fn an_empty_string_is_counted_when_empty_is_allowed() {
    #[derive(Debug, ReadinessContract)]
    struct Suffix {
        #[contract(allow_empty, len = 1..)]
        suffix: String,
    }
    let report = Suffix::check_vars([("SUFFIX", "")]);
    assert_eq!(
        failure(&report, "SUFFIX"),
        rejected("must be at least 1 character long")
    );
}

#[derive(Debug, ReadinessContract)]
struct Lists {
    #[contract(one_of = ["a", "b", "c"], len = 1..=2)]
    modes: Vec<String>,
    #[contract(split = ";", range = 1..=1024)]
    ports: Vec<u16>,
    #[contract(len = 2.., default = "x|y", split = "|")]
    pair: Vec<String>,
    #[contract(range = 1..=9)]
    extra: Option<Vec<u8>>,
}

#[test]
fn lists_check_each_item_and_count_items() {
    let config = Lists::from_vars([("MODES", " a , c ,"), ("PORTS", "80; 443")]).unwrap();
    assert_eq!(config.modes, ["a", "c"]);
    assert_eq!(config.ports, [80, 443]);
    assert_eq!(config.pair, ["x", "y"]);

    let report = Lists::check_vars([
        ("MODES", "a,d"),
        ("PORTS", "80;2000;443"),
        ("PAIR", "x"),
        ("EXTRA", "1,10"),
    ]);
    assert_rejected(
        &report,
        &[
            ("MODES", "item 2: must be one of `a`, `b`, `c`"),
            ("PORTS", "item 2: must be in 1..=1024"),
            ("PAIR", "must have at least 2 items"),
            ("EXTRA", "item 2: must be in 1..=9"),
        ],
    );
    let report = Lists::check_vars([("MODES", "a,b,c"), ("PORTS", "1")]);
    assert_eq!(
        failure(&report, "MODES"),
        rejected("must have 1 to 2 items")
    );
    // Empty items are skipped by the splitter, and by the count.
    let report = Lists::check_vars([("MODES", " , "), ("PORTS", "1")]);
    assert_eq!(
        failure(&report, "MODES"),
        rejected("must have 1 to 2 items")
    );
}

fn at_most_100(v: &u32) -> Result<(), String> {
    if *v <= 100 {
        Ok(())
    } else {
        Err("validator says too big".to_owned())
    }
}

#[derive(Debug, ReadinessContract)]
struct Ordered {
    #[contract(range = 10..=1000, validate = at_most_100)]
    workers: u32,
}

#[test]
fn constraints_run_after_the_parser_and_before_validate() {
    let check = |value| {
        let report = Ordered::check_vars([("WORKERS", value)]);
        failure(&report, "WORKERS")
    };
    assert_eq!(check("x").0, "invalid");
    assert_eq!(check("5"), rejected("must be in 10..=1000"));
    assert_eq!(check("2000"), rejected("must be in 10..=1000"));
    assert_eq!(check("500"), rejected("validator says too big"));
    assert!(Ordered::from_vars([("WORKERS", "50")]).is_ok());
}

/// `json` with every `"time":"..."` value left out.
fn untimed(json: &str) -> String {
    let mut parts = json.split(r#""time":""#);
    let mut out = parts.next().unwrap_or_default().to_owned();
    for part in parts {
        out.push_str(part.split_once('"').map_or(part, |(_, rest)| rest));
    }
    out
}

#[derive(Debug, ReadinessContract)]
struct Secrets {
    #[contract(secret, len = 32..=64)]
    api_key: String,
    #[contract(secret, one_of = ["alpha-key", "beta-key"])]
    tier_key: String,
    #[contract(secret, range = 1000..)]
    pin: u32,
    #[contract(secret, split = ",", one_of = ["k1", "k2"])]
    keys: Vec<String>,
    token: secrecy::SecretString,
}

#[test]
fn secrets_get_the_rule_and_nothing_of_the_value() {
    let report = Secrets::check_vars([
        ("API_KEY", "short-secret-value"),
        ("TIER_KEY", "gamma-secret"),
        ("PIN", "42"),
        ("KEYS", "k1,leaked-secret"),
        ("TOKEN", "t"),
    ]);
    assert_rejected(
        &report,
        &[
            ("API_KEY", "must be 32 to 64 characters long"),
            ("TIER_KEY", "must be one of `alpha-key`, `beta-key`"),
            ("PIN", "must be at least 1000"),
            // Not even which item: that would tell how many there are.
            ("KEYS", "an item must be one of `k1`, `k2`"),
        ],
    );
    // Without the timestamps, whose digits can hold `42` or `18` (`02:42:18`).
    let json = untimed(&common::json_bodies(&report));
    for leak in [
        "short-secret-value",
        "gamma-secret",
        "42",
        "leaked-secret",
        "18", // the length of `short-secret-value`
    ] {
        assert!(!json.contains(leak), "{leak} in {json}");
    }
}

#[test]
fn constraints_apply_to_string_defaults_of_types_the_macro_cannot_read() {
    /// A level read through `FromStr`: the macro cannot parse its default at compile time.
    #[derive(Debug, PartialEq, PartialOrd)]
    struct Level(u8);
    impl std::str::FromStr for Level {
        type Err = std::num::ParseIntError;
        fn from_str(s: &str) -> Result<Level, Self::Err> {
            s.parse().map(Level)
        }
    }
    #[derive(Debug, ReadinessContract)]
    struct Config {
        #[contract(range = "1"..="5", default = "9")]
        level: Level,
    }
    let report = Config::check_vars(Vec::<(&str, &str)>::new());
    assert_eq!(
        failure(&report, "LEVEL"),
        (
            "invalid_default".to_owned(),
            "default `9` breaks the contract: must be in 1..=5".to_owned()
        )
    );
    assert_eq!(Config::from_vars([("LEVEL", "3")]).unwrap().level, Level(3));
}

/// `(min, max, max_inclusive)` of a variable's `range`.
fn range_of(spec: &VarSpec) -> Option<(Option<&str>, Option<&str>, bool)> {
    let range = spec.constraints().range()?;
    Some((range.min, range.max, range.max_inclusive))
}

/// `(min, max)` of a variable's `len`.
fn len_of(spec: &VarSpec) -> Option<(usize, Option<usize>)> {
    let len = spec.constraints().len()?;
    Some((len.min, len.max))
}

#[test]
fn the_contract_records_each_constraint_as_written() {
    let vars = Numbers::contract().variables();
    let spec = |i: usize| vars[i].spec();
    assert_eq!(range_of(spec(0)), Some((Some("1"), Some("65535"), true)));
    assert!(spec(0).constraints().one_of().is_empty() && spec(0).constraints().len().is_none());
    assert_eq!(range_of(spec(1)), Some((Some("0"), Some("10"), false)));
    assert_eq!(range_of(spec(2)), Some((Some("-5"), None, false)));
    assert_eq!(range_of(spec(3)), Some((None, Some("100"), true)));
    assert_eq!(range_of(spec(4)), Some((Some("0.0"), Some("1.0"), false)));

    let vars = Timing::contract().variables();
    assert_eq!(
        range_of(vars[0].spec()),
        Some((Some("1s"), Some("1h"), true))
    );

    let vars = Lists::contract().variables();
    assert_eq!(vars[0].spec().constraints().one_of(), ["a", "b", "c"]);
    assert_eq!(len_of(vars[0].spec()), Some((1, Some(2))));
    assert_eq!(len_of(vars[2].spec()), Some((2, None)));

    // `..=3` is recorded as an inclusive maximum; `..4` would be the same rule.
    let vars = Texts::contract().variables();
    assert_eq!(len_of(vars[2].spec()), Some((0, Some(3))));
    assert_eq!(
        vars[0].spec().constraints().one_of(),
        ["debug", "info", "warn"]
    );

    let vars = Secrets::contract().variables();
    assert!(vars[4].spec().constraints().is_empty());
}

#[test]
fn a_load_fails_naming_every_broken_constraint() {
    let err = Texts::from_vars([("NAME", ""), ("SHARD", "z"), ("LEVEL", "loud")]).unwrap_err();
    assert_eq!(
        statuses(err.report())
            .into_iter()
            .filter(|(_, status, _)| *status == Status::Fail)
            .collect::<Vec<_>>(),
        [
            ("LEVEL", Status::Fail, Some("rejected")),
            ("NAME", Status::Fail, Some("empty")),
            ("SHARD", Status::Fail, Some("rejected")),
        ]
    );
}

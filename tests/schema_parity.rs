//! The JSON Schema of `health::docs` accepts a value exactly when the loader does.
//!
//! A table of values per rule (bool words, humantime durations, integers of every width,
//! floats, text, lists with their separators) and per constraint (`range`, `one_of`, `len`,
//! old names, empty values, `deny_unknown`), plus generated values: every integer type's
//! bounds, every duration unit with every fraction of up to three digits, and random texts
//! over each rule's alphabet. Each value is loaded by the real loader, and the whole table
//! is validated against the generated schemas in one run of Python's `jsonschema`
//! (`schema_parity.py`); the schema's verdict must equal the loader's.
//!
//! The run of the validator is the parity tests' harness (`common/schema.rs`), shared with
//! `rules_schema` and `variants_schema`.
//!
//! What the schema cannot tell, as `json_schema`'s doc states, is a known gap: a value the
//! loader refuses for one of these reasons may pass the schema (it is not held either way,
//! and the test counts those that do): a parser the contract does not know (`FromStr`,
//! `parse_with`, `deserialize`), a float's or a duration's `range`, and a duration whose
//! numbers overflow the loader's 64-bit arithmetic (a number of 9 digits or more) or whose
//! fraction has whitespace among its digits. A value the loader accepts must always pass.
//!
//! Here the contracts, the cases and the run; the values by concept: `schema_parity/values.rs`
//! (each rule's and constraint's table), `schema_parity/generated.rs` (integer bounds,
//! duration fractions, random texts), `schema_parity/presence.rs` (environments of
//! presence, empty values, old names and `deny_unknown`), `schema_parity/gaps.rs` (what the
//! schema cannot tell).
//!
//! Without `python3` or the package, the test prints a line starting with `SKIP:` and
//! passes, unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

mod common;
#[path = "schema_parity/gaps.rs"]
mod gaps;
#[path = "schema_parity/generated.rs"]
mod generated;
#[path = "schema_parity/presence.rs"]
mod presence;
#[path = "schema_parity/values.rs"]
mod values;

use common::{kilo, schema};
use gaps::is_gap;
use generated::{fractions, integer_bounds, random_values};
use presence::{presence_cases, strict_cases};
use values::parity_values;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use health::{ReadinessContract, Report, docs};
use serde_json::{Value, json};

/// A level read through serde.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum Level {
    Debug,
    Info,
}

/// One optional variable per rule and constraint: each case sets one of them.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "P_")]
#[allow(dead_code)]
struct Parity {
    flag: Option<bool>,
    wait: Option<Duration>,
    tiny: Option<u8>,
    small: Option<i8>,
    port: Option<u16>,
    count: Option<u64>,
    offset: Option<i64>,
    huge: Option<i128>,
    whole: Option<u128>,
    size: Option<usize>,
    ratio: Option<f64>,
    scale: Option<f32>,
    text: Option<String>,
    path: Option<PathBuf>,
    url: Option<url::Url>,
    #[contract(parse_with = kilo)]
    buffer: Option<u16>,
    #[contract(deserialize)]
    level: Option<Level>,
    ports: Option<Vec<u16>>,
    #[contract(split = ";")]
    waits: Option<Vec<Duration>>,
    #[contract(split = " ")]
    flags: Option<Vec<bool>>,
    #[contract(split = "::", len = 1..=2)]
    names: Option<Vec<String>>,
    #[contract(split = "-")]
    deltas: Option<Vec<i32>>,
    #[contract(split = "|")]
    ratios: Option<Vec<f64>>,
    #[contract(one_of = ["a", "b c"])]
    items: Option<Vec<String>>,
    #[contract(range = 1..=65535)]
    listen: Option<u16>,
    #[contract(range = -10..10)]
    delta: Option<i32>,
    #[contract(range = 0.0..1.0)]
    share: Option<f64>,
    #[contract(range = "1s"..="1h")]
    timeout: Option<Duration>,
    #[contract(one_of = ["debug", "info", " warn "])]
    log: Option<String>,
    #[contract(one_of = ["on", "off"])]
    switch: Option<bool>,
    #[contract(len = 2..=4)]
    code: Option<String>,
    #[contract(len = 1..=3)]
    hosts: Option<Vec<String>>,
    #[contract(one_of = ["80", "443"])]
    web: Option<Vec<u16>>,
    #[contract(range = 1..=100)]
    percents: Option<Vec<u8>>,
}

/// Required, defaulted, optional and empty values, and old names.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "E_")]
#[allow(dead_code)]
struct Presence {
    need: u16,
    #[contract(default = 8)]
    fallback: u16,
    maybe: Option<u16>,
    #[contract(allow_empty)]
    blank: String,
    #[contract(allow_empty)]
    blank_port: Option<u16>,
    #[contract(len = 3..=5)]
    named: String,
    #[contract(default = "ab", len = 2..)]
    label: String,
    #[contract(alias = "OLD_RENAMED", alias = "OLDEST_RENAMED")]
    renamed: u16,
    #[contract(alias = "OLD_MODE", one_of = ["a", "b"])]
    mode: Option<String>,
    list: Vec<u16>,
    #[contract(len = 1..)]
    tags: Vec<String>,
}

/// The database part of [`Strict`].
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct StrictDb {
    host: Option<String>,
}

/// Unknown variables under the prefix fail.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "S_", deny_unknown)]
#[allow(dead_code)]
struct Strict {
    #[contract(alias = "OLD_PORT")]
    port: Option<u16>,
    #[contract(nested, prefix = "DB_")]
    db: StrictDb,
}

/// Why the schema may accept what the loader refuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    /// `FromStr`, `parse_with`, `deserialize`: no pattern.
    Parser,
    /// A float's or a duration's `range`.
    Range,
    /// A duration beyond 64 bits, or a fraction with whitespace among its digits.
    Duration,
}

/// One case: which schema, the environment, the loader's verdict and the gap it may fall in.
struct Case {
    schema: &'static str,
    name: String,
    env: Vec<(String, String)>,
    loads: bool,
    gap: Option<Gap>,
}

/// Every case, each loaded by the real loader.
fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let mut parity = |name: &'static str, value: &str, gap: Option<Gap>, label: &str| {
        let report = Parity::check_vars([(name, value)]);
        let loads = report.is_ready();
        let gap = gap.filter(|gap| !loads && is_gap(*gap, value, &report));
        out.push(Case {
            schema: "parity",
            name: format!("{label} {name}={value:?}"),
            env: vec![(name.to_owned(), value.to_owned())],
            loads,
            gap,
        });
    };
    for (name, values, gap) in parity_values() {
        for value in values {
            parity(name, &value, gap, "table");
        }
    }
    for (name, values) in integer_bounds() {
        for value in values {
            parity(name, &value, None, "bounds");
        }
    }
    for value in fractions() {
        parity("P_WAIT", &value, Some(Gap::Duration), "fraction");
    }
    let gaps: BTreeMap<&str, Option<Gap>> = parity_values()
        .into_iter()
        .map(|(name, _, gap)| (name, gap))
        .collect();
    for (name, values) in random_values() {
        for value in values {
            parity(name, &value, gaps[name], "random");
        }
    }
    for (name, env) in presence_cases() {
        let loads = Presence::check_vars(env.iter().cloned()).is_ready();
        out.push(Case {
            schema: "presence",
            name,
            env,
            loads,
            gap: None,
        });
    }
    for (name, env) in strict_cases() {
        let loads = Strict::check_vars(env.iter().cloned()).is_ready();
        out.push(Case {
            schema: "strict",
            name,
            env,
            loads,
            gap: None,
        });
    }
    out
}

#[test]
fn json_schema_accepts_exactly_what_the_loader_accepts() {
    let cases = cases();
    let mut input_cases = Vec::new();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut gap_of: BTreeMap<String, Gap> = BTreeMap::new();
    for case in &cases {
        // A known gap: the loader refuses, and the schema may accept.
        let valid = match case.gap {
            Some(_) => Value::Null,
            None => json!(case.loads),
        };
        if let Some(gap) = case.gap {
            gap_of.insert(case.name.clone(), gap);
        }
        let group = case.name.split(' ').next().unwrap_or_default();
        let count = counts
            .entry(format!("{} {group}", case.schema))
            .or_default();
        count.0 += 1;
        count.1 += usize::from(case.loads);
        input_cases.push(schema::case(case.schema, &case.name, &case.env, valid));
    }
    let mut gaps: BTreeMap<Gap, usize> = BTreeMap::new();
    for gap in gap_of.values() {
        *gaps.entry(*gap).or_default() += 1;
    }

    let schemas = json!({
        "parity": docs::json_schema(Parity::contract()),
        "presence": docs::json_schema(Presence::contract()),
        "strict": docs::json_schema(Strict::contract()),
    });
    let result = schema::validate("parity.json", schemas, input_cases);
    for (group, (total, loaded)) in &counts {
        println!("{group}: {total} values, {loaded} loaded");
    }
    println!("values in a known gap (the loader refuses, not held): {gaps:?}");
    let Some(result) = result else { return };
    schema::assert_checked(&result, cases.len(), "cases");
    let mut accepted: BTreeMap<Gap, Vec<&str>> = BTreeMap::new();
    for name in result["unheld_accepted"].as_array().unwrap() {
        let name = name.as_str().unwrap();
        accepted.entry(gap_of[name]).or_default().push(name);
    }
    for (gap, names) in &accepted {
        println!(
            "{gap:?}: the schema accepts {} of {} values the loader refuses, e.g. {:?}",
            names.len(),
            gaps[gap],
            &names[..names.len().min(4)]
        );
    }
    // Each gap is real: the schema does let some of its values through.
    for gap in [Gap::Parser, Gap::Range, Gap::Duration] {
        assert!(accepted.contains_key(&gap), "{gap:?}: {accepted:?}");
    }
    schema::assert_no_mismatches(&result, 40, |m| {
        let verdict = if m["valid"] == true {
            "the loader accepts, the schema refuses"
        } else {
            "the loader refuses, the schema accepts"
        };
        format!("{}: {verdict}: {}", m["name"], m["errors"])
    });
}

/// The parity test's constraints are the derive's: the contract records them as written.
#[test]
fn the_contract_records_the_constraints_used_here() {
    let vars = Parity::contract().variables();
    let spec = |name: &str| {
        vars.iter()
            .find(|v| v.name() == name)
            .unwrap_or_else(|| panic!("{name}"))
            .spec()
    };
    let listen = spec("P_LISTEN").constraints().range().unwrap();
    assert_eq!(
        (listen.min, listen.max, listen.max_inclusive),
        (Some("1"), Some("65535"), true)
    );
    let delta = spec("P_DELTA").constraints().range().unwrap();
    assert_eq!(
        (delta.min, delta.max, delta.max_inclusive),
        (Some("-10"), Some("10"), false)
    );
    assert_eq!(
        spec("P_LOG").constraints().one_of(),
        ["debug", "info", " warn "]
    );
    assert_eq!(spec("P_NAMES").split(), Some("::"));
    let presence = Presence::contract().variables();
    assert_eq!(
        presence[7].spec().aliases(),
        ["OLD_RENAMED", "OLDEST_RENAMED"]
    );
    assert!(Strict::contract().denies_unknown());
}

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
//! What the schema cannot tell, as `json_schema`'s doc states, is a known gap: a value the
//! loader refuses for one of these reasons may pass the schema (it is not held either way,
//! and the test counts those that do): a parser the contract does not know (`FromStr`,
//! `parse_with`, `deserialize`), a float's or a duration's `range`, and a duration whose
//! numbers overflow the loader's 64-bit arithmetic (a number of 9 digits or more) or whose
//! fraction has whitespace among its digits. A value the loader accepts must always pass.
//!
//! Without `python3` or the package, the test prints a line starting with `SKIP:` and
//! passes, unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

mod common;

use common::kilo;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
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

const BOOLS: &[&str] = &[
    "true",
    "TRUE",
    "True",
    "tRuE",
    "1",
    "0",
    "yes",
    "YES",
    "no",
    "No",
    "on",
    "ON",
    "off",
    "Off",
    " on ",
    "\ttrue\n",
    "true\n",
    "\u{a0}yes\u{3000}",
    "\u{85}off",
    "\u{2028}no\u{202f}",
    "\u{feff}true",
    "\u{1c}true",
    "",
    " ",
    "2",
    "y",
    "enabled",
    "truee",
    "t rue",
    "yes\nno",
    "oN",
    "0n",
    "１",
    "+1",
    "01",
    "true,false",
    "ｔrue",
];

const DURATIONS: &[&str] = &[
    "0",
    "00",
    " 0 ",
    "0s",
    "1s",
    "250ms",
    "1m 30s",
    "1h30m",
    "1h 30m",
    "1 h",
    "1 0s",
    "1.5h",
    "1.5 h",
    "1. 5s",
    "1 .5s",
    "0.5s",
    "1.s",
    ".5s",
    "1.5ns",
    "0.0001h",
    "0.001h",
    "1.0000000001s",
    "1.000000001s",
    "0.3M",
    "0.5M",
    "0.25M",
    "1.1y",
    "0.01y",
    "0.001y",
    "0.125d",
    "0.1d",
    "0.01d",
    "0.001d",
    "1 day",
    "2 weeks",
    "3months",
    "5y",
    "1µs",
    "1us",
    "1 usec",
    "1nanos",
    "1nsec",
    "1sec",
    "1secs",
    "2 mins",
    "1 hour",
    "1hrs",
    "1wk",
    "1 wks",
    "1yr",
    "1yrs",
    "1S",
    "1H",
    "1Ms",
    "1 m s",
    "1m s",
    "5",
    "",
    " ",
    "s",
    "1s2",
    "1s 2",
    "1s,2s",
    "-1s",
    "+1s",
    "1e3s",
    "1_000s",
    "１s",
    "1s\n",
    "\t1s\u{3000}",
    "\u{feff}1s",
    "1\u{a0}s",
    "1s\u{1c}",
    "18446744073709551615s",
    "18446744073709551616s",
    "18446744073709551615ns",
    "600000000000000000000h",
    "1.5 0h",
    "0.00 01h",
    "0.1234567890123456789s",
    "0.10000000000000000000s",
    "0.999999999m",
    "1.5\n0s",
    "1h\n30m",
];

const INTEGERS: &[&str] = &[
    "0",
    "+0",
    "-0",
    "00",
    "007",
    "+007",
    "-007",
    "1",
    "+5",
    "-5",
    " 5",
    "5 ",
    "5\n",
    "",
    "+",
    "-",
    "+-5",
    "--5",
    "-+5",
    "1_000",
    "1e3",
    "0x10",
    "1.0",
    "１",
    "٣",
    "5\u{0}",
    "\u{feff}5",
];

const FLOATS: &[&str] = &[
    "0",
    "1",
    "-1",
    "+1.5",
    "1.",
    "1.e5",
    ".5",
    "-.5",
    ".",
    "+.",
    "1e3",
    "1E3",
    "1e+3",
    "1e-3",
    "1e",
    "1e+",
    "e3",
    "1.5.5",
    "inf",
    "+inf",
    "-inf",
    "INF",
    "Infinity",
    "-infinity",
    "+Infinity",
    "infinit",
    "infinityy",
    "nan",
    "NaN",
    "-nan",
    "+NaN",
    "NAN",
    "nana",
    " 1",
    "1 ",
    "1\n",
    "",
    "1_0",
    "0x1p3",
    "1e99999999999999999999",
    "-1e-99999",
    "1,5",
    "١",
    "0.1e-1",
    "00.5",
    "+-1",
];

const TEXTS: &[&str] = &[
    "",
    " ",
    "a",
    "été",
    "😀",
    "日本語",
    "a\nb",
    "\u{feff}",
    "x y z",
];

/// The values of each variable of [`Parity`]: the rule's table, and more for constraints.
fn parity_values() -> Vec<(&'static str, Vec<String>, Option<Gap>)> {
    let own = |values: &[&str]| values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>();
    let ints = |extra: &[&str]| {
        let mut values = own(INTEGERS);
        values.extend(own(extra));
        values
    };
    let mut texts = own(TEXTS);
    texts.push("x".repeat(300));
    vec![
        ("P_FLAG", own(BOOLS), None),
        ("P_WAIT", own(DURATIONS), Some(Gap::Duration)),
        ("P_TINY", ints(&[]), None),
        ("P_SMALL", ints(&[]), None),
        (
            "P_PORT",
            ints(&["8080", "65535", "65536", "0065535", "-1"]),
            None,
        ),
        ("P_COUNT", ints(&[]), None),
        ("P_OFFSET", ints(&[]), None),
        ("P_HUGE", ints(&[]), None),
        ("P_WHOLE", ints(&[]), None),
        ("P_SIZE", ints(&[]), None),
        ("P_RATIO", own(FLOATS), None),
        ("P_SCALE", own(FLOATS), None),
        ("P_TEXT", texts.clone(), None),
        ("P_PATH", texts, None),
        (
            "P_URL",
            own(&[
                "https://x.example",
                "not a url",
                "",
                " ",
                "http://[::1]:80/",
            ]),
            Some(Gap::Parser),
        ),
        (
            "P_BUFFER",
            own(&["8k", "8000", "x", "70000", "65k", "66k", "", " 8k"]),
            Some(Gap::Parser),
        ),
        (
            "P_LEVEL",
            own(&["debug", "info", "loud", "", "INFO"]),
            Some(Gap::Parser),
        ),
        (
            "P_PORTS",
            own(&[
                "",
                " ",
                ",",
                ",,",
                "1",
                "1,2",
                " 1 , 2 ",
                "1,,2",
                "1,2,",
                ",1",
                "1 2",
                "1;2",
                "+1,-0",
                "65535,65536",
                "1,x",
                "1,\u{3000}2\u{a0}",
                "1\n,2",
                "007,+8",
            ]),
            None,
        ),
        (
            "P_WAITS",
            own(&[
                "1s;2m",
                "1s; 2m ;",
                "1s;;",
                "1s 2m",
                "1.5h;0",
                "1s,2s",
                ";",
                "1s;x",
                "0;0",
                " ; ",
                "1.5ns;1s",
                "0.5 s ; 1 h",
            ]),
            Some(Gap::Duration),
        ),
        (
            "P_FLAGS",
            own(&[
                "true false",
                "true  false",
                " on off ",
                "true\tfalse",
                "yes",
                "",
                "   ",
                "truefalse",
                "1 0 1",
                "on\u{a0}off",
                "on  ",
            ]),
            None,
        ),
        (
            "P_NAMES",
            own(&[
                "a",
                "a::b",
                "a::b::c",
                "::",
                "a::",
                "a:::b",
                "a:b",
                " :: a :: ",
                "",
                " ",
                "a::::b",
                ":a::b:",
                "a :: b :: ",
            ]),
            None,
        ),
        (
            "P_DELTAS",
            own(&[
                "1-2",
                "1--2",
                "-1",
                "+1-+2",
                "1- 2",
                "1-x",
                "1 2",
                "-",
                "--",
                "007-0",
                "2147483647-2147483648",
            ]),
            None,
        ),
        (
            "P_RATIOS",
            own(&[
                "1.5|2",
                "inf|nan",
                "1e3 | .5",
                "1||2",
                "1|",
                "|",
                "1|a",
                "1 |2",
                "-.5|+1e-3",
            ]),
            None,
        ),
        (
            "P_ITEMS",
            own(&[
                "a", "b c", "a, b c", " a ,a", "b  c", "c", "a,", "", " ", "A", "a,b", "b c,",
            ]),
            None,
        ),
        (
            "P_LISTEN",
            ints(&["65535", "65536", "+1", "01", "0000", "-0"]),
            None,
        ),
        (
            "P_DELTA",
            ints(&["-10", "-11", "9", "10", "+9", "-010", "-9", "-0010"]),
            None,
        ),
        (
            "P_SHARE",
            own(&[
                "0", "0.5", "1", "-0.1", "nan", "NaN", "inf", "-inf", "1e-9", "0.999", "-0", "x",
                "",
            ]),
            Some(Gap::Range),
        ),
        (
            "P_TIMEOUT",
            own(&[
                "1s", "1h", "0s", "2h", "500ms", "59m", "3600s", "3601s", "x",
            ]),
            Some(Gap::Range),
        ),
        (
            "P_LOG",
            own(&[
                "debug", "info", " warn ", "warn", "Debug", " debug", "", "info\n",
            ]),
            None,
        ),
        (
            "P_SWITCH",
            own(&["on", "off", "ON", " on ", "true", "", "1"]),
            None,
        ),
        (
            "P_CODE",
            own(&[
                "a",
                "ab",
                "été",
                "😀😀",
                "😀😀😀😀😀",
                "abcd",
                "abcde",
                " ab",
                "e\u{301}t",
                "",
                "  ",
            ]),
            None,
        ),
        (
            "P_HOSTS",
            own(&[
                "a", "a,b,c", "a,b,c,d", "", " ", ",", "a,,b", "a, ,b,,c", " x y ,z",
            ]),
            None,
        ),
        (
            "P_WEB",
            own(&[
                "80", "443", "80,443", "8080", "080", "80,", " 443 ", "80;443", "", ",",
            ]),
            None,
        ),
        (
            "P_PERCENTS",
            own(&["1,100", "0", "101", "50, 60", "+1,0100", "1,x", ""]),
            None,
        ),
    ]
}

/// Every integer type's bounds, as `str::parse` might be given them.
fn integer_bounds() -> Vec<(&'static str, Vec<String>)> {
    let around = |min: i128, max: u128| {
        let mut values = Vec::new();
        let max_plus = max.checked_add(1).map_or_else(
            || "340282366920938463463374607431768211456".to_owned(),
            |m| m.to_string(),
        );
        let max = max.to_string();
        values.extend([
            max.clone(),
            format!("+{max}"),
            format!("000{max}"),
            max_plus.clone(),
            format!("0{max_plus}"),
        ]);
        if min < 0 {
            let below = min.checked_sub(1).map_or_else(
                || "-170141183460469231731687303715884105729".to_owned(),
                |m| m.to_string(),
            );
            values.extend([
                min.to_string(),
                format!("-000{}", min.unsigned_abs()),
                below,
                (min + 1).to_string(),
            ]);
        }
        values
    };
    vec![
        ("P_TINY", around(0, u8::MAX.into())),
        ("P_SMALL", around(i8::MIN.into(), i8::MAX as u128)),
        ("P_PORT", around(0, u16::MAX.into())),
        ("P_COUNT", around(0, u64::MAX.into())),
        ("P_OFFSET", around(i64::MIN.into(), i64::MAX as u128)),
        ("P_HUGE", around(i128::MIN, i128::MAX as u128)),
        ("P_WHOLE", around(0, u128::MAX)),
        ("P_SIZE", around(0, usize::MAX as u128)),
    ]
}

/// Every unit, with every fraction of one to three digits, and longer ones for the units
/// whose precision depends on more digits.
fn fractions() -> Vec<String> {
    let units = ["ns", "us", "ms", "s", "m", "h", "d", "w", "M", "y"];
    let mut out = Vec::new();
    for unit in units {
        for digits in 1..=3u32 {
            for n in 0..10u32.pow(digits) {
                out.push(format!("0.{n:0width$}{unit}", width = digits as usize));
            }
        }
    }
    let mut random = Lcg(7);
    for unit in ["m", "h", "d", "w", "M", "y"] {
        for digits in 4..=13u32 {
            for _ in 0..40 {
                let mut fraction = String::new();
                for _ in 0..digits {
                    // Mostly zeros and fives, so that exact fractions come up.
                    let digit = *random.pick(&['0', '0', '0', '5', '5', '2', '1', '7', '8', '9']);
                    fraction.push(digit);
                }
                out.push(format!("{}.{fraction}{unit}", random.below(3)));
            }
        }
    }
    out
}

/// A small deterministic generator, so that a failure is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Random texts over each rule's alphabet.
fn random_values() -> Vec<(&'static str, Vec<String>)> {
    const SPACE: &[&str] = &[" ", "\t", "\n", "\u{a0}", "\u{3000}"];
    let alphabets: [(&str, &[&str], usize); 12] = [
        (
            "P_FLAG",
            &["t", "r", "u", "e", "O", "N", "f", "1", "0", "y", "s", "x"],
            4,
        ),
        (
            "P_WAIT",
            &[
                "0", "1", "5", "9", ".", "s", "m", "h", "M", "n", "u", "µ", "e", "c", "y", "d",
            ],
            7,
        ),
        ("P_SMALL", &["0", "1", "2", "8", "9", "+", "-"], 4),
        ("P_TINY", &["0", "1", "2", "5", "6", "+", "-"], 4),
        ("P_PORT", &["0", "6", "5", "3", "9", "+"], 6),
        (
            "P_RATIO",
            &["0", "1", ".", "e", "E", "+", "-", "i", "n", "f", "a"],
            6,
        ),
        ("P_PORTS", &["1", "7", "0", ",", "+", "-", "9"], 8),
        ("P_WAITS", &["1", "0", ".", "5", "s", "m", ";", "h"], 8),
        ("P_FLAGS", &["1", "0", "o", "n", "f", "y", "e", "s"], 8),
        ("P_NAMES", &[":", "a", "b", ":"], 7),
        ("P_DELTAS", &["1", "0", "-", "+", "9"], 6),
        ("P_ITEMS", &["a", "b", "c", ","], 6),
    ];
    let mut random = Lcg(42);
    alphabets
        .iter()
        .map(|(name, alphabet, max)| {
            let values = (0..250)
                .map(|_| {
                    let len = random.below(max + 1);
                    (0..len)
                        .map(|_| {
                            if random.below(6) == 0 {
                                *random.pick(SPACE)
                            } else {
                                *random.pick(alphabet)
                            }
                        })
                        .collect()
                })
                .collect();
            (*name, values)
        })
        .collect()
}

/// The environments of [`Presence`]: a complete one with changes, by name.
fn presence_cases() -> Vec<(String, Vec<(String, String)>)> {
    let base = [
        ("E_NEED", "1"),
        ("E_BLANK", ""),
        ("E_NAMED", "abc"),
        ("E_RENAMED", "1"),
        ("E_LIST", "1"),
        ("E_TAGS", "a"),
    ];
    // (name, changes: `Some` sets, `None` unsets)
    type Changes = Vec<(&'static str, Option<&'static str>)>;
    let changes: Vec<(&str, Changes)> = vec![
        ("complete", vec![]),
        ("need_missing", vec![("E_NEED", None)]),
        ("need_empty", vec![("E_NEED", Some(""))]),
        ("need_space", vec![("E_NEED", Some(" "))]),
        ("fallback_empty", vec![("E_FALLBACK", Some(""))]),
        ("fallback_bad", vec![("E_FALLBACK", Some("x"))]),
        ("maybe_empty", vec![("E_MAYBE", Some(""))]),
        ("blank_missing", vec![("E_BLANK", None)]),
        ("blank_text", vec![("E_BLANK", Some(" x "))]),
        ("blank_port_empty", vec![("E_BLANK_PORT", Some(""))]),
        ("blank_port_set", vec![("E_BLANK_PORT", Some("8"))]),
        ("named_short", vec![("E_NAMED", Some("ab"))]),
        ("named_long", vec![("E_NAMED", Some("abcdef"))]),
        ("named_empty", vec![("E_NAMED", Some(""))]),
        ("label_empty", vec![("E_LABEL", Some(""))]),
        ("label_short", vec![("E_LABEL", Some("a"))]),
        ("label_long", vec![("E_LABEL", Some("abcdefgh"))]),
        (
            "renamed_old",
            vec![("E_RENAMED", None), ("E_OLD_RENAMED", Some("2"))],
        ),
        (
            "renamed_oldest",
            vec![("E_RENAMED", None), ("E_OLDEST_RENAMED", Some("2"))],
        ),
        (
            "renamed_old_bad",
            vec![("E_RENAMED", None), ("E_OLD_RENAMED", Some("x"))],
        ),
        ("renamed_both", vec![("E_OLD_RENAMED", Some("2"))]),
        (
            "renamed_two_old",
            vec![
                ("E_RENAMED", None),
                ("E_OLD_RENAMED", Some("2")),
                ("E_OLDEST_RENAMED", Some("3")),
            ],
        ),
        (
            "renamed_new_empty_old_set",
            vec![("E_RENAMED", Some("")), ("E_OLD_RENAMED", Some("2"))],
        ),
        ("renamed_old_empty", vec![("E_OLD_RENAMED", Some(""))]),
        ("renamed_none", vec![("E_RENAMED", None)]),
        ("renamed_only_empty", vec![("E_RENAMED", Some(""))]),
        (
            "renamed_all_empty",
            vec![("E_RENAMED", Some("")), ("E_OLD_RENAMED", Some(""))],
        ),
        ("mode_old", vec![("E_OLD_MODE", Some("a"))]),
        ("mode_old_bad", vec![("E_OLD_MODE", Some("c"))]),
        (
            "mode_both",
            vec![("E_MODE", Some("a")), ("E_OLD_MODE", Some("b"))],
        ),
        (
            "mode_empty_old_set",
            vec![("E_MODE", Some("")), ("E_OLD_MODE", Some("b"))],
        ),
        ("list_empty", vec![("E_LIST", Some(""))]),
        ("list_space", vec![("E_LIST", Some(" "))]),
        ("list_commas", vec![("E_LIST", Some(",,"))]),
        ("list_missing", vec![("E_LIST", None)]),
        ("tags_commas", vec![("E_TAGS", Some(" , "))]),
        ("tags_empty", vec![("E_TAGS", Some(""))]),
        (
            "other_variable",
            vec![("OTHER", Some("x")), ("E_UNKNOWN", Some("x"))],
        ),
    ];
    changes
        .into_iter()
        .map(|(name, changes)| {
            let mut env: BTreeMap<&str, &str> = base.into_iter().collect();
            for (key, value) in changes {
                match value {
                    Some(value) => env.insert(key, value),
                    None => env.remove(key),
                };
            }
            let env = env
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            (name.to_owned(), env)
        })
        .collect()
}

/// The environments of [`Strict`].
fn strict_cases() -> Vec<(String, Vec<(String, String)>)> {
    let cases: [(&str, &[(&str, &str)]); 9] = [
        ("nothing", &[]),
        ("known", &[("S_PORT", "1"), ("S_DB_HOST", "db")]),
        ("old_name", &[("S_OLD_PORT", "1")]),
        ("file_name", &[("S_PORT_FILE", ""), ("S_OLD_PORT_FILE", "")]),
        ("typo", &[("S_PROT", "1")]),
        ("nested_typo", &[("S_DB_HSOT", "db")]),
        (
            "outside_the_prefix",
            &[("PORT", "1"), ("S", "x"), ("s_port", "1")],
        ),
        ("prefix_alone", &[("S_", "x")]),
        ("both_names", &[("S_PORT", "1"), ("S_OLD_PORT", "2")]),
    ];
    cases
        .iter()
        .map(|(name, env)| {
            let env = env
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            ((*name).to_owned(), env)
        })
        .collect()
}

/// Whether a refusal of the loader's is a known gap of the schema's, for a variable whose
/// table allows `gap`.
fn is_gap(gap: Gap, value: &str, report: &Report) -> bool {
    let failure = report.failures().next();
    let code = failure
        .and_then(|f| f.code())
        .map(|c| c.as_str().to_owned());
    let message = failure.and_then(|f| f.message()).unwrap_or_default();
    match gap {
        Gap::Parser => code.as_deref() == Some("invalid"),
        Gap::Range => code.as_deref() == Some("rejected"),
        Gap::Duration => {
            code.as_deref() == Some("invalid")
                && message.contains("number is too large")
                && (longest_number(value) >= 9 || spaced_fraction(value))
                // A fraction finer than its unit is not a gap: the schema must refuse it.
                && fraction_is_exact(value) != Some(false)
        }
    }
}

/// For a duration written `<digits>.<digits><unit>`, whether its fraction is a whole number
/// of the unit's resolution (humantime's rule, computed without overflow); `None` for any
/// other form.
fn fraction_is_exact(value: &str) -> Option<bool> {
    let (_, rest) = value.split_once('.')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let unit = &rest[digits.len()..];
    // What one unit is worth in the resolution its fraction is computed in (humantime 2.4).
    let worth: u128 = match unit {
        "us" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        "M" => 2_630_016,
        "y" => 31_557_600,
        "ns" => return Some(false),
        _ => return None,
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    let numerator: u128 = digits.parse().ok()?;
    Some((numerator * worth).is_multiple_of(10u128.pow(digits.len() as u32)))
}

/// The most digits of one number in a duration, whitespace among them not counted.
fn longest_number(value: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in value.chars() {
        if c.is_ascii_digit() {
            run += 1;
            longest = longest.max(run);
        } else if !c.is_whitespace() {
            run = 0;
        }
    }
    longest
}

/// Whether a fraction has whitespace between two of its digits (`1.5 0h`).
fn spaced_fraction(value: &str) -> bool {
    value.split('.').skip(1).any(|after| {
        let digits: String = after
            .chars()
            .take_while(|c| c.is_ascii_digit() || c.is_whitespace())
            .collect();
        digits.trim().chars().any(char::is_whitespace)
    })
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

/// Runs `schema_parity.py` on `input`; `None` after a `SKIP:` line when python3 or the
/// package is missing (a failure under `HEALTH_REQUIRE_SERVICES=1`).
fn python(input: &Path) -> Option<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("schema_parity.py");
    common::python::run_json(&script, [input], "jsonschema")
}

#[test]
fn json_schema_accepts_exactly_what_the_loader_accepts() {
    let cases = cases();
    let mut input_cases = Vec::new();
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut gap_of: BTreeMap<String, Gap> = BTreeMap::new();
    for case in &cases {
        let env: serde_json::Map<String, Value> = case
            .env
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
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
        input_cases.push(json!({
            "schema": case.schema,
            "name": case.name,
            "env": env,
            "valid": valid,
        }));
    }
    let mut gaps: BTreeMap<Gap, usize> = BTreeMap::new();
    for gap in gap_of.values() {
        *gaps.entry(*gap).or_default() += 1;
    }

    let input = json!({
        "schemas": {
            "parity": docs::json_schema(Parity::contract()),
            "presence": docs::json_schema(Presence::contract()),
            "strict": docs::json_schema(Strict::contract()),
        },
        "cases": input_cases,
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parity.json");
    std::fs::write(&path, input.to_string()).unwrap();
    let result = python(&path);
    dir.close().unwrap();
    for (group, (total, loaded)) in &counts {
        println!("{group}: {total} values, {loaded} loaded");
    }
    println!("values in a known gap (the loader refuses, not held): {gaps:?}");
    let Some(result) = result else { return };
    println!(
        "validated {} cases with jsonschema {}",
        result["checked"], result["jsonschema"]
    );
    assert_eq!(result["checked"], cases.len());
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
    let mismatches = result["mismatches"].as_array().unwrap();
    let shown: Vec<String> = mismatches
        .iter()
        .take(40)
        .map(|m| {
            let verdict = if m["valid"] == true {
                "the loader accepts, the schema refuses"
            } else {
                "the loader refuses, the schema accepts"
            };
            format!("{}: {verdict}: {}", m["name"], m["errors"])
        })
        .collect();
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        shown.join("\n")
    );
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

//! The fuzz targets' properties, as plain functions of the input bytes.
//!
//! One copy, two users: each `fuzz/fuzz_targets/<target>.rs` calls its function under
//! libFuzzer (`fuzz/run.sh <target> <seconds>`), and the root crate's `tests/fuzz_corpus.rs`
//! includes this file (`#[path = "../fuzz/src/lib.rs"] mod properties;`) and replays every
//! checked-in corpus file and regression through the same functions under `cargo test`. So
//! this file uses only crates that are dev-dependencies of the root crate.
//!
//! A property that does not hold panics (libFuzzer records the input as a crash).
//!
//! Targets:
//! - [`values`]: the input as the value of every built-in rule.
//! - [`from_vars`]: arbitrary names and values, `_FILE` twins to nonexistent paths.
//! - [`respond`]: `Health::respond(path, query)` on passing, failing, non-critical checks.
//! - [`dotenv`]: the input as a `.env` file, then a load from it.
//! - [`name_file`]: the input as the contents of a secret's `NAME_FILE`.
//! - [`relations`]: a config with rules between variables, optional and switched groups and
//!   a derived default, from arbitrary variables (`relations.rs`).
//! - [`reload`]: versions of a `.env` file and a `NAME_FILE` secret, read again by a live
//!   config (`health::live`) between them (`reload.rs`).
//! - `manifest` (feature `verify`, on by default in the fuzz crate): the input as deploy
//!   files for `health::verify`, and as the values of a Secret (`manifest.rs`).

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

use health::{Code, ContractError, Health, Outcome, ReadinessContract, Report, Status, Vars};

#[path = "reload.rs"]
mod reload;
pub use reload::reload;

#[path = "relations.rs"]
mod relations;
pub use relations::relations;

#[cfg(feature = "verify")]
#[path = "manifest.rs"]
mod manifest;
#[cfg(feature = "verify")]
pub use manifest::manifest;

/// One field per built-in rule and per constraint; the secrets' parser and validator quote
/// their input, so a message that is not withheld would leak.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "FZ_")]
#[allow(dead_code)]
pub struct Rules {
    text: String,
    count: i64,
    small: u8,
    ratio: f64,
    flag: bool,
    timeout: Duration,
    path: PathBuf,
    raw: OsString,
    maybe: Option<u16>,
    #[contract(split = ",")]
    ports: Vec<u16>,
    #[contract(split = ";")]
    waits: Vec<Duration>,
    url: url::Url,
    #[contract(parse_with = parse_level)]
    level: u8,
    #[contract(deserialize)]
    mode: Mode,
    #[contract(validate = short)]
    name: String,
    #[contract(allow_empty)]
    suffix: String,
    #[contract(default = "2s")]
    grace: Duration,
    #[contract(secret, validate = short)]
    token: String,
    #[contract(secret, parse_with = quoting_port)]
    pin: u16,
    // The constraints: on plain fields, and on secrets with outcomes that `shift` keeps
    // (lengths, numbers, and `one_of` sets that ROT13 maps onto themselves).
    #[contract(range = 1..=1024)]
    workers: u16,
    #[contract(range = "100ms"..="1h")]
    deadline: Duration,
    #[contract(range = -1.0..1.0)]
    bias: f64,
    #[contract(one_of = ["debug", "info", "warn"])]
    verbosity: String,
    #[contract(len = 2..=8)]
    code: String,
    #[contract(range = "b".."m")]
    initial: String,
    #[contract(split = ";", one_of = ["a", "b"], len = 1..=2)]
    tags: Vec<String>,
    #[contract(secret, len = 8..=64)]
    key: String,
    #[contract(secret, one_of = ["abc-key", "nop-xrl"])]
    tier: String,
    #[contract(secret, range = 1000..)]
    seed: u64,
    #[contract(secret, split = ",", one_of = ["k1", "x1"])]
    keys: Vec<String>,
}

/// Read with `#[contract(deserialize)]`: by variant name.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
pub enum Mode {
    /// `fast`
    Fast,
    /// `safe`
    Safe,
}

fn parse_level(text: &str) -> Result<u8, String> {
    match text.trim() {
        "low" => Ok(1),
        "high" => Ok(9),
        other => Err(format!("unknown level {other:?}")),
    }
}

/// A validator whose message quotes the value.
fn short(s: &str) -> Result<(), String> {
    if s.len() < 16 {
        Ok(())
    } else {
        Err(format!("too long: {s}"))
    }
}

/// A parser whose message quotes the value.
fn quoting_port(s: &str) -> Result<u16, String> {
    s.parse().map_err(|_| format!("not a port: {s}"))
}

/// Every code a config variable can fail with.
const CODES: [&str; 8] = [
    "missing",
    "empty",
    "invalid",
    "invalid_default",
    "rejected",
    "not_unicode",
    "unreadable_file",
    "conflict",
];

#[cfg(unix)]
fn os(bytes: &[u8]) -> OsString {
    <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(bytes).to_os_string()
}

#[cfg(not(unix))]
fn os(bytes: &[u8]) -> OsString {
    OsString::from(String::from_utf8_lossy(bytes).into_owned())
}

#[cfg(unix)]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    std::os::unix::ffi::OsStrExt::as_bytes(s).to_vec()
}

#[cfg(not(unix))]
fn os_bytes(s: &std::ffi::OsStr) -> Vec<u8> {
    s.to_string_lossy().into_owned().into_bytes()
}

/// The contract's variable names, and which are secret.
fn variables() -> &'static [(String, bool)] {
    static VARS: OnceLock<Vec<(String, bool)>> = OnceLock::new();
    VARS.get_or_init(|| {
        Rules::contract()
            .variables()
            .iter()
            .map(|v| (v.name().to_owned(), v.spec().is_secret()))
            .collect()
    })
}

/// Everything the library writes about a load: the error's `Display` and `Debug`, both
/// JSON bodies without their timestamp, and the check table's columns (name, status, code,
/// origin, reason) of every entry.
fn outputs(result: &Result<Rules, ContractError>, report: &Report) -> String {
    let untimed = |report: &Report, json: String| {
        json.replace(
            &humantime::format_rfc3339_seconds(report.time()).to_string(),
            "",
        )
    };
    let mut out = String::new();
    if let Err(err) = result {
        out.push_str(&format!("{err}\n{err:?}\n"));
        out.push_str(&untimed(err.report(), err.report().to_json()));
    }
    out.push_str(&untimed(report, report.to_json()));
    out.push_str(&untimed(report, report.to_json_detailed()));
    for entry in report.entries() {
        let origin = entry.origin().map(ToString::to_string).unwrap_or_default();
        out.push_str(&format!(
            "\n{} {:?} {} {} {}",
            entry.name(),
            entry.status(),
            entry.code().map(Code::as_str).unwrap_or_default(),
            origin,
            entry.message().unwrap_or_default(),
        ));
    }
    out
}

/// Loads `vars` both ways and checks the report: one entry per variable, in the contract's
/// names, every failure a known code with a short message, the error agreeing with it.
fn load(vars: &[(OsString, OsString)]) -> (Result<Rules, ContractError>, Report) {
    let source: Vars = vars.iter().cloned().collect();
    let report = Rules::check_source(&source);
    let result = Rules::from_source(&source);
    let names: HashSet<&str> = variables().iter().map(|(n, _)| n.as_str()).collect();
    let (fields, strays) = report
        .entries()
        .split_at(names.len().min(report.entries().len()));
    assert_eq!(fields.len(), names.len(), "one entry per variable");
    // After the variables, one `warn` per stray: a name under the prefix that no field reads,
    // with a short message that does not repeat the (arbitrarily long) name.
    for stray in strays {
        assert!(stray.name().starts_with("FZ_") && !names.contains(stray.name()));
        assert!(stray.field().is_none() && stray.status() == Status::Warn);
        assert_eq!(stray.code().map(Code::as_str), Some("unknown_variable"));
        assert!(stray.message().is_some_and(|m| m.len() <= 210));
    }
    for entry in fields {
        assert!(
            names.contains(entry.name()),
            "unknown check {}",
            entry.name()
        );
        if entry.status() == Status::Fail {
            let code = entry.code().map(Code::as_str).unwrap_or_default();
            assert!(CODES.contains(&code), "unexpected code {code:?}");
            assert!(entry.message().is_some_and(|m| m.len() <= 210));
        }
    }
    match &result {
        Ok(_) => assert!(report.is_ready(), "loaded, yet the report fails"),
        Err(err) => {
            assert_eq!(err.len(), report.failures().count());
            for failure in err {
                assert!(names.contains(failure.name()), "{}", failure.name());
            }
        }
    }
    (result, report)
}

/// ROT13 on ASCII letters, every other byte kept: the same length, the same UTF-8 validity,
/// the same digits, so the secrets' parser (`u16`) and validator (length) give the same
/// outcome for `shift(value)` as for `value`.
fn shift(bytes: &[u8]) -> Vec<u8> {
    bytes
        .iter()
        .map(|&b| match b {
            b'a'..=b'z' => (b - b'a' + 13) % 26 + b'a',
            b'A'..=b'Z' => (b - b'A' + 13) % 26 + b'A',
            other => other,
        })
        .collect()
}

/// `vars` with the value of every secret of `variables` (names and whether secret) shifted
/// by [`shift`].
fn secrets_shifted(
    vars: &[(OsString, OsString)],
    variables: &[(String, bool)],
) -> Vec<(OsString, OsString)> {
    let secret = |name: &OsString| variables.iter().any(|(n, s)| *s && name == n.as_str());
    vars.iter()
        .map(|(k, v)| match secret(k) {
            true => (k.clone(), os(&shift(&os_bytes(v)))),
            false => (k.clone(), v.clone()),
        })
        .collect()
}

/// The secret leak oracle, exact rather than a substring search (a fuzzer soon builds a
/// "secret" out of the library's own text): loads `vars`, then again with every secret
/// variable's value shifted by [`shift`], which keeps each secret's outcome, and requires
/// every output to be byte for byte the same. An output that quotes any part of a secret
/// holding a letter differs.
fn load_without_leaks(vars: &[(OsString, OsString)]) {
    let written = {
        let (result, report) = load(vars);
        outputs(&result, &report)
    };
    let shifted = secrets_shifted(vars, variables());
    if shifted == vars {
        return;
    }
    let rewritten = {
        let (result, report) = load(&shifted);
        outputs(&result, &report)
    };
    assert!(
        written == rewritten,
        "a secret's value shows in the output:\n{written}\n--- with the secrets shifted:\n{rewritten}"
    );
}

/// `values`: the first byte `n` cuts the rest: its first `n` bytes (at most all of it) are
/// the secrets' value, the others every other variable's value (non-UTF-8 included).
/// Properties: no panic, a report entry per variable with known codes, the error agreeing,
/// no secret in any output.
pub fn values(data: &[u8]) {
    let Some((&n, rest)) = data.split_first() else {
        return;
    };
    let (secret, value) = rest.split_at(usize::from(n).min(rest.len()));
    let vars: Vec<(OsString, OsString)> = variables()
        .iter()
        .map(|(name, is_secret)| {
            let v = if *is_secret { secret } else { value };
            (OsString::from(name), os(v))
        })
        .collect();
    load_without_leaks(&vars);
}

/// `from_vars`: records separated by `0x1E`; a record's first byte `s` picks its shape:
/// `s % 4 == 0` sets variable `s / 4` (modulo their number) to the rest, `1` sets its
/// `_FILE` twin to a nonexistent path ending in the rest, `2` is `name 0x1F value` with
/// arbitrary bytes (a name ending in `_FILE` gets a nonexistent path), `3` sets the
/// variable with a `,`-joined repetition of the rest. Properties as in [`values`].
pub fn from_vars(data: &[u8]) {
    let mut vars: Vec<(OsString, OsString)> = Vec::new();
    for (shape, name, rest) in records(data, variables()) {
        match shape {
            0 | 1 => vars.push(set_or_twin(shape, name, rest)),
            2 => {
                let (key, value) = match rest.iter().position(|b| *b == 0x1F) {
                    Some(at) => (&rest[..at], &rest[at + 1..]),
                    None => (rest, &[][..]),
                };
                // A file name from the input could be `/dev/zero`: never read real files.
                let value = if key.ends_with(b"_FILE") {
                    nowhere(value)
                } else {
                    os(value)
                };
                vars.push((os(key), value));
            }
            _ => {
                let joined = [rest, rest, rest].join(&b","[..]);
                vars.push((OsString::from(name), os(&joined)));
            }
        }
    }
    load_without_leaks(&vars);
}

/// The records of an input, separated by `0x1E`: each record's first byte `s` picks the
/// variable `s / 4` of `names` (modulo their number) and a shape `s % 4`; the rest is the
/// record's payload. Empty records are skipped.
fn records<'d>(
    data: &'d [u8],
    names: &'d [(String, bool)],
) -> impl Iterator<Item = (u8, &'d str, &'d [u8])> + 'd {
    data.split(|b| *b == 0x1E).filter_map(|record| {
        let (&s, rest) = record.split_first()?;
        Some((
            s % 4,
            names[usize::from(s / 4) % names.len()].0.as_str(),
            rest,
        ))
    })
}

/// Shapes `0` and `1` of a record: `name` set to `rest`, or its `_FILE` twin set to a
/// nonexistent path ending in `rest`.
fn set_or_twin(shape: u8, name: &str, rest: &[u8]) -> (OsString, OsString) {
    if shape == 0 {
        (OsString::from(name), os(rest))
    } else {
        (OsString::from(format!("{name}_FILE")), nowhere(rest))
    }
}

/// A path under a directory that does not exist.
fn nowhere(tail: &[u8]) -> OsString {
    let mut path = os(b"/nonexistent-health-fuzz/");
    path.push(os(tail));
    path
}

fn runtime() -> &'static (tokio::runtime::Runtime, Health) {
    static HEALTH: OnceLock<(tokio::runtime::Runtime, Health)> = OnceLock::new();
    HEALTH.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a current-thread runtime");
        let config = Rules::check_vars([("FZ_TEXT", "x"), ("FZ_COUNT", "nope")]);
        let health = rt.block_on(async {
            Health::builder()
                .config(&config)
                .readiness("ping", || async { Outcome::pass() })
                .readiness("queue", || async {
                    Outcome::fail(Code::CONNECTION_REFUSED, "queue refused the connection")
                })
                .readiness("payments", || async {
                    Outcome::fail(Code::TIMEOUT, "payments timed out")
                })
                .non_critical()
                .build()
        });
        (rt, health)
    })
}

/// `respond`: the input (lossy UTF-8) is a request target, split at the first `?` into path
/// and query. The runtime has the config's passing and failing variables, a passing check,
/// a failing one and a failing non-critical one (`?exclude=` excludes them).
/// Properties: the status is 200, 404 or 503; the content type is a documented one; a
/// JSON body parses; a verbose (text) 200/503 body ends with ` check passed` / ` check
/// failed` matching the status.
pub fn respond(data: &[u8]) {
    let target = String::from_utf8_lossy(data);
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (&*target, None),
    };
    let (rt, health) = runtime();
    let response = rt.block_on(health.respond(path, query));
    let status = response.status().as_u16();
    assert!([200, 404, 503].contains(&status), "status {status}");
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let body = String::from_utf8_lossy(response.body());
    match content_type {
        "application/health+json" => {
            assert_ne!(status, 404, "a 404 in JSON: {body}");
            let json: serde_json::Value = serde_json::from_str(&body).expect("a JSON body");
            let expected = if status == 200 {
                ["pass", "warn"]
            } else {
                ["fail"; 2]
            };
            assert!(
                json["status"]
                    .as_str()
                    .is_some_and(|s| expected.contains(&s)),
                "{status}: {body}"
            );
        }
        "text/plain; charset=utf-8" if status != 404 => {
            let end = if status == 200 {
                " check passed\n"
            } else {
                " check failed\n"
            };
            assert!(body.ends_with(end), "{status}: {body:?}");
        }
        "text/plain; charset=utf-8" => {}
        other => panic!("content type {other:?}"),
    }
}

/// `dotenv`: the input is a `.env` file, read by `LayeredEnv::dotenv`. Properties: no panic;
/// a failure is exactly `cannot load <path>: <reason>` with one of the fixed reasons, so it
/// holds no line of the file (no secret-looking value either); when it reads, the
/// contract's variables it sets load as in [`from_vars`] (no secret in any output).
pub fn dotenv(data: &[u8]) {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let path = dir.path().join("fuzz.env");
    std::fs::write(&path, data).expect("write the .env file");
    match health::LayeredEnv::new().dotenv(&path) {
        Err(err) => {
            // Exact: the message is the path and one of the fixed reasons, so it holds no
            // line of the file, secret-looking or not.
            let prefix = format!("cannot load {}: ", path.display());
            let message = err.to_string();
            let reason = message.strip_prefix(&prefix);
            assert!(
                reason.is_some_and(known_dotenv_reason),
                "unexpected DotEnvError: {message:?}"
            );
            assert_eq!(err.path(), path, "{err:?}");
        }
        Ok(env) => {
            // Only the contract's own names: a `_FILE` from the input could name `/dev/zero`.
            use health::Source as _;
            let vars: Vec<(OsString, OsString)> = variables()
                .iter()
                .filter_map(|(name, _)| {
                    env.get(name)
                        .map(|v| (OsString::from(name), v.into_owned()))
                })
                .collect();
            load_without_leaks(&vars);
        }
    }
    dir.close().expect("remove the scratch directory");
}

/// A reason a `DotEnvError` gives: a line that does not parse (with a byte index), a
/// substitution that is not UTF-8, or an I/O error kind (lower-case words from std).
fn known_dotenv_reason(reason: &str) -> bool {
    let at_byte = reason
        .strip_prefix("a line does not parse (at byte ")
        .and_then(|r| r.strip_suffix(" of that line)"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    at_byte
        || reason == "a substitution refers to a variable that is not UTF-8"
        || reason == "it does not parse"
        || (reason.len() <= 48
            && reason
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b' ' || b == b'-'))
}

/// `name_file`: the input is the contents of the file `FZ_TOKEN_FILE` and `FZ_PIN_FILE`
/// name (the other variables valid). Properties: as in [`values`]; the outputs are the same
/// byte for byte when the file's letters are shifted (the contents never show); a token
/// that loads is the contents without their trailing line breaks.
pub fn name_file(data: &[u8]) {
    let dir = tempfile::tempdir().expect("a scratch directory");
    let path = dir.path().join("secret");
    std::fs::write(&path, data).expect("write the secret file");
    let mut vars: Vec<(OsString, OsString)> = [
        ("FZ_TEXT", "text"),
        ("FZ_COUNT", "-3"),
        ("FZ_SMALL", "7"),
        ("FZ_RATIO", "0.5"),
        ("FZ_FLAG", "on"),
        ("FZ_TIMEOUT", "250ms"),
        ("FZ_PATH", "/srv"),
        ("FZ_RAW", "raw"),
        ("FZ_PORTS", "80,443"),
        ("FZ_WAITS", "1s;2s"),
        ("FZ_URL", "https://example.com/"),
        ("FZ_LEVEL", "low"),
        ("FZ_MODE", "fast"),
        ("FZ_NAME", "name"),
    ]
    .into_iter()
    .map(|(k, v)| (OsString::from(k), OsString::from(v)))
    .collect();
    vars.push(("FZ_TOKEN_FILE".into(), path.clone().into_os_string()));
    vars.push(("FZ_PIN_FILE".into(), path.clone().into_os_string()));
    let (result, report) = load(&vars);
    let written = outputs(&result, &report);
    let mut contents = data;
    while let [rest @ .., b'\n' | b'\r'] = contents {
        contents = rest;
    }
    if let Ok(config) = &result {
        assert_eq!(config.token.as_bytes(), contents);
    }
    // The leak oracle of `load_without_leaks`, on the file's contents.
    let shifted = shift(data);
    if shifted != data {
        std::fs::write(&path, &shifted).expect("rewrite the secret file");
        let (result, report) = load(&vars);
        let rewritten = outputs(&result, &report);
        assert!(
            written == rewritten,
            "the secret file's contents show in the output:\n{written}\n--- shifted:\n{rewritten}"
        );
    }
    dir.close().expect("remove the scratch directory");
}

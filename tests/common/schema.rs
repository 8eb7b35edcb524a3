//! The harness of the JSON Schema parity tests (`schema_parity`, `rules_schema`,
//! `variants_schema`): environments drawn by a seeded generator, each one a case carrying the
//! loader's verdict, and every case validated against the generated schemas in one run of
//! Python's `jsonschema` (`tests/schema_parity.py`), whose verdicts must equal the loader's.
//!
//! ```ignore
//! let envs = schema::Generator { seed: 7, values: VALUES, bases: &[BASE], redraw: 3 }
//!     .environments(12_000);
//! let cases = envs.iter().enumerate().map(|(i, env)| {
//!     let ready = Rules::check_vars(env.iter().copied()).is_ready();
//!     schema::case("rules", &format!("env {i}"), env, ready)
//! });
//! schema::assert_schema_agrees("rules", docs::json_schema(Rules::contract()), cases.collect());
//! ```
//!
//! Without `python3` or the package, [`validate`] prints a line starting with `SKIP:` and
//! returns `None` (the test passes), unless `HEALTH_REQUIRE_SERVICES=1` (CI), where it fails.

use std::path::Path;

use serde_json::{Value, json};

/// An environment: each variable set, by name, with its value; the others are absent.
pub type Env = Vec<(&'static str, &'static str)>;

/// A seeded xorshift, so every run draws the same environments.
pub struct Draw(pub u64);

impl Draw {
    /// The next number drawn, below `n`.
    pub fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// How a parity test draws its environments: every other one draws each variable's value
/// evenly; the others (the sparse ones) start from a base, so that more of them are ready.
pub struct Generator {
    /// The seed of the [`Draw`].
    pub seed: u64,
    /// Each variable's values, in the order they are drawn: `None` is absent.
    pub values: &'static [(&'static str, &'static [Option<&'static str>])],
    /// What a sparse environment starts from. With several, each environment (sparse or not)
    /// draws one first; with one, nothing is drawn for it.
    pub bases: &'static [&'static [(&'static str, &'static str)]],
    /// A sparse environment draws one variable in `redraw` as the others do; for the rest it
    /// keeps the base's value, or leaves the variable absent where the base has none.
    pub redraw: usize,
}

impl Generator {
    /// The first `count` environments drawn, the same on every run.
    pub fn environments(&self, count: usize) -> Vec<Env> {
        let mut draw = Draw(self.seed);
        let mut out = Vec::with_capacity(count);
        while out.len() < count {
            let sparse = out.len() % 2 == 1;
            let base = match self.bases {
                [base] => *base,
                bases => bases[draw.next(bases.len())],
            };
            let env: Env = self
                .values
                .iter()
                .filter_map(|(name, values)| {
                    let drawn = !sparse || draw.next(self.redraw) == 0;
                    let value = values[draw.next(values.len())];
                    let base = base.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
                    if drawn { value } else { base }.map(|v| (*name, v))
                })
                .collect();
            out.push(env);
        }
        out
    }
}

/// One case of `schema_parity.py`: `env` validated against the schema named `schema`, whose
/// verdict must be `valid` (a `bool`; `null` holds it neither way: a known gap).
pub fn case<K: AsRef<str>, V: AsRef<str>>(
    schema: &str,
    name: &str,
    env: &[(K, V)],
    valid: impl Into<Value>,
) -> Value {
    let env: serde_json::Map<String, Value> = env
        .iter()
        .map(|(k, v)| (k.as_ref().to_owned(), json!(v.as_ref())))
        .collect();
    json!({
        "schema": schema,
        "name": name,
        "env": env,
        "valid": valid.into(),
    })
}

/// Runs `schema_parity.py` on `schemas` (an object of schemas by name) and `cases`, written
/// to a scratch file named `file`: its result, or `None` after a `SKIP:` line when python3
/// or the package is missing (a failure under `HEALTH_REQUIRE_SERVICES=1`).
pub fn validate(file: &str, schemas: Value, cases: Vec<Value>) -> Option<Value> {
    let input = json!({ "schemas": schemas, "cases": cases });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    std::fs::write(&path, input.to_string()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("schema_parity.py");
    let result = super::python::run_json(&script, [&path], "jsonschema");
    dir.close().unwrap();
    result
}

/// Prints how many `what` (environments, cases) the run validated and with which
/// `jsonschema`, and asserts that it validated all `expected` of them.
#[track_caller]
pub fn assert_checked(result: &Value, expected: usize, what: &str) {
    println!(
        "validated {} {what} with jsonschema {}",
        result["checked"], result["jsonschema"]
    );
    assert_eq!(result["checked"], expected);
}

/// Asserts that the run found no case whose verdict differs from the loader's; else fails
/// with how many did, and the first `first` of them, each written by `show`.
#[track_caller]
pub fn assert_no_mismatches(result: &Value, first: usize, show: impl Fn(&Value) -> String) {
    let mismatches = result["mismatches"].as_array().unwrap();
    let shown: Vec<String> = mismatches.iter().take(first).map(show).collect();
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        shown.join("\n")
    );
}

/// A mismatched environment, as the environment tests show it: its name, the loader's
/// verdict, the environment and the schema's errors.
pub fn show_environment(m: &Value) -> String {
    format!(
        "{} valid={} {}: {}",
        m["name"], m["valid"], m["env"], m["errors"]
    )
}

/// The end of an environment parity test: validates `cases` against `schema` (the one named
/// `name` in every case) and asserts that every case was checked and that none mismatches
/// (the first 20 shown). Returns early, passing, where [`validate`] skips.
#[track_caller]
pub fn assert_schema_agrees(name: &str, schema: Value, cases: Vec<Value>) {
    let expected = cases.len();
    let schemas = json!({ name: schema });
    let Some(result) = validate(&format!("{name}.json"), schemas, cases) else {
        return;
    };
    assert_checked(&result, expected, "environments");
    assert_no_mismatches(&result, 20, show_environment);
}

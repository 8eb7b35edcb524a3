//! Documentation and manifests generated from a contract, so no list of variables is kept by
//! hand: a `.env.example`, a Markdown table, a JSON Schema of the environment, and Kubernetes
//! probes whose timings agree with the registered checks.
//!
//! Every function here is pure: it reads the [`Contract`] (or the [`Health`]) and nothing
//! else, never the environment. A secret's value cannot appear in any output because the
//! contract does not hold one, and a secret's default is never shown either.
//!
//! ```
//! use health_core::{Contract, docs};
//!
//! fn write_docs(contract: &Contract) -> std::io::Result<()> {
//!     std::fs::write(".env.example", docs::env_example(contract))?;
//!     std::fs::write("CONFIG.md", docs::markdown_table(contract))?;
//!     let schema = serde_json::to_string_pretty(&docs::json_schema(contract))?;
//!     std::fs::write("config.schema.json", schema)
//! }
//! ```

use std::borrow::Cow;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::contract::{Contract, FieldKind, Requirement, Variable};
use crate::runtime::{Health, Probe, Refresh};

/// The JSON Schema dialect of [`json_schema`].
pub const JSON_SCHEMA_DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// How a variable's value is read, as far as the type written in the contract tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `bool`: true/false, 1/0, yes/no, on/off, any case, surrounding whitespace trimmed.
    Bool,
    /// `Duration`: humantime.
    Duration,
    /// A signed primitive integer.
    Signed,
    /// An unsigned primitive integer.
    Unsigned,
    /// `f32`, `f64`.
    Float,
    /// `Vec<T>`: split on a separator the contract does not record.
    List,
    /// Anything else (`String`, `Url`, `PathBuf`, a `FromStr` type).
    Other,
}

/// The kind of a type as written, looking through `Option<..>`.
fn kind(ty: &str) -> Kind {
    let ty: String = ty.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = wrapped(&ty, "Option").unwrap_or(&ty);
    if wrapped(inner, "Vec").is_some() {
        return Kind::List;
    }
    match inner.rsplit("::").next().unwrap_or(inner) {
        "bool" => Kind::Bool,
        "Duration" => Kind::Duration,
        "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => Kind::Signed,
        "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => Kind::Unsigned,
        "f32" | "f64" => Kind::Float,
        _ => Kind::Other,
    }
}

/// `T` of `wrapper<T>` (`Option<T>`, `std::option::Option<T>`), whitespace already removed.
fn wrapped<'a>(ty: &'a str, wrapper: &str) -> Option<&'a str> {
    let open = ty.find('<')?;
    let head = ty[..open].rsplit("::").next()?;
    let inner = ty.strip_suffix('>')?.get(open + 1..)?;
    (head == wrapper).then_some(inner)
}

/// The regular expression (without anchors) a value of this kind matches, if there is one.
///
/// Each follows the parser the derive uses for the type: `str::parse` for integers and
/// floats (a leading `+` is accepted, whitespace is not), `health::value::bool` and
/// humantime (both trim surrounding whitespace). Ranges are not checked (`70000` matches a
/// `u16`), and duration units are checked loosely (any word).
fn pattern_body(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Bool => Some(
            r"\s*(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|[Oo][Nn]|[Oo][Ff][Ff]|1|0)\s*",
        ),
        Kind::Duration => Some(r"\s*(?:0|(?:[0-9]+(?:\.[0-9]+)?\s*[A-Za-zµ]+\s*)+)\s*"),
        Kind::Signed => Some(r"[+-]?[0-9]+"),
        Kind::Unsigned => Some(r"\+?[0-9]+"),
        Kind::Float => Some(
            r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[Ii][Nn][Ff](?:[Ii][Nn][Ii][Tt][Yy])?|[Nn][Aa][Nn])",
        ),
        Kind::List | Kind::Other => None,
    }
}

/// Whether an empty value is accepted: it then means "use the default" or `None`.
fn empty_means_absent(var: &Variable) -> bool {
    let spec = var.spec();
    spec.requirement() != Requirement::Required && !spec.allows_empty()
}

/// A variable's default as text the variable could be set to, when the contract shows one
/// that is a value rather than a Rust expression.
///
/// `default = "2s"` and `default = 8000` are values; `default = Duration::from_millis(1500)`
/// becomes `1500ms`; other expressions (`Ipv4Addr::LOCALHOST`, `vec![..]`) have no text
/// form, and secrets never show their default.
fn default_value(var: &Variable) -> Option<Cow<'static, str>> {
    let text = var.spec().default()?;
    match kind(var.spec().ty()) {
        Kind::Bool => crate::value::bool(OsStr::new(text))
            .is_ok()
            .then_some(Cow::Borrowed(text)),
        Kind::Duration => {
            if crate::value::duration(OsStr::new(text)).is_ok() {
                Some(Cow::Borrowed(text))
            } else {
                duration_constructor(text).map(Cow::Owned)
            }
        }
        Kind::Signed | Kind::Unsigned | Kind::Float => {
            let number: String = text
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '_')
                .collect();
            let parses = number.parse::<i128>().is_ok()
                || number.parse::<u128>().is_ok()
                || number.parse::<f64>().is_ok();
            if !parses {
                None
            } else if number == text {
                Some(Cow::Borrowed(text))
            } else {
                Some(Cow::Owned(number))
            }
        }
        Kind::List | Kind::Other => (!looks_like_rust(text)).then_some(Cow::Borrowed(text)),
    }
}

/// `Duration::from_secs(2)` (any path before `Duration`) as humantime text: `2s`.
fn duration_constructor(text: &str) -> Option<String> {
    let call = text.rsplit("Duration::").next()?;
    let (function, rest) = call.split_once('(')?;
    let number: String = rest.strip_suffix(')')?.replace('_', "");
    number.parse::<u64>().ok()?;
    let unit = match function {
        "from_nanos" => "ns",
        "from_micros" => "us",
        "from_millis" => "ms",
        "from_secs" => "s",
        "from_mins" => "m",
        "from_hours" => "h",
        _ => return None,
    };
    Some(format!("{number}{unit}"))
}

/// Whether a default as written is a Rust expression rather than a value: a path
/// (`Ipv4Addr::LOCALHOST`, `String::from("x")`), a macro (`vec![..]`) or a string literal
/// with a method (`"x".to_owned()`). Text shaped like an IPv6 address is a value.
fn looks_like_rust(text: &str) -> bool {
    let ident_start = |c: char| c.is_ascii_alphabetic() || c == '_';
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let path = text.split_once("::").is_some_and(|(head, tail)| {
        !head.is_empty()
            && head.starts_with(ident_start)
            && head.chars().all(|c| ident(c) || c == ':')
            && tail.starts_with(ident_start)
    });
    let ipv6 = text
        .chars()
        .all(|c| c.is_ascii_hexdigit() || matches!(c, ':' | '.' | '%' | '/'));
    text.starts_with('"') || ["!(", "![", "!{"].iter().any(|m| text.contains(m)) || (path && !ipv6)
}

/// The doc of the nested struct at a field path (`db`), for section headers.
fn section_doc(contract: &Contract, path: &str) -> &'static str {
    let mut current = contract;
    for ident in path.split('.') {
        let nested = current.fields().iter().find_map(|f| match f.kind() {
            FieldKind::Nested { contract, .. } if f.ident() == ident => Some(*contract),
            _ => None,
        });
        match nested {
            Some(next) => current = next,
            None => return "",
        }
    }
    current.doc()
}

/// The field path of the struct holding a variable: `db` for `db.host`, empty at the root.
fn parent(field: &str) -> &str {
    field.rsplit_once('.').map_or("", |(parent, _)| parent)
}

/// A value written so that a `.env` parser (dotenvy) reads it back unchanged.
fn dotenv_quote(value: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:,@+%=-".contains(c);
    if value.chars().all(plain) {
        Cow::Borrowed(value)
    } else if !value.contains(['\'', '\n', '\r']) {
        Cow::Owned(format!("'{value}'"))
    } else {
        let mut out = String::from("\"");
        for c in value.chars() {
            match c {
                '\\' | '"' | '$' => {
                    out.push('\\');
                    out.push(c);
                }
                '\n' => out.push_str("\\n"),
                '\r' => {}
                _ => out.push(c),
            }
        }
        out.push('"');
        Cow::Owned(out)
    }
}

/// Doc text as `# ` comment lines (a blank line of the doc becomes a bare `#`).
fn comment_lines(out: &mut String, doc: &str) {
    for line in doc.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {line}");
        }
    }
}

/// A `.env.example`: every variable, nested ones included, in declaration order.
///
/// Each variable gets its doc comment as `# ` lines, a line
/// `# type: u16, default: 8000` (or `required` / `optional`, then `secret` with the
/// `NAME_FILE` alternative), then `NAME=` with the default filled in when it is a value and
/// not a secret's. Blank means unset: a required variable must be filled in, and a blank
/// optional or defaulted one reads as absent. Values are quoted so that a `.env` parser reads
/// them back unchanged.
pub fn env_example(contract: &Contract) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Environment of `{}`, generated from its contract.",
        contract.type_name()
    );
    comment_lines(&mut out, contract.doc());
    out.push_str(
        "# Copy to `.env` and fill in the required variables; a blank value reads as unset.\n",
    );
    let mut section = String::new();
    for var in contract.variables() {
        let spec = var.spec();
        out.push('\n');
        let here = parent(var.field());
        if here != section && !here.is_empty() {
            let _ = writeln!(out, "# --- {here} ---");
            comment_lines(&mut out, section_doc(contract, here));
            out.push('\n');
        }
        section = here.to_owned();
        comment_lines(&mut out, spec.doc());
        let mut line = format!("# type: {}", spec.ty());
        let value = default_value(&var);
        match spec.requirement() {
            Requirement::Required => line.push_str(", required"),
            Requirement::Optional => line.push_str(", optional"),
            Requirement::Default => match (spec.default(), &value) {
                (None, _) => line.push_str(", default: (hidden)"),
                (Some(_), Some(value)) => {
                    let _ = write!(line, ", default: {value}");
                }
                (Some(expr), None) => {
                    let _ = write!(line, ", default: {expr} (leave blank to use it)");
                }
            },
        }
        if spec.allows_empty() {
            line.push_str(", may be empty");
        }
        if spec.is_secret() {
            let _ = write!(
                line,
                ", secret (or set {}_FILE to a file holding it)",
                var.name()
            );
        }
        let _ = writeln!(out, "{line}");
        let shown = match (spec.is_secret(), value) {
            (false, Some(value)) => dotenv_quote(&value).into_owned(),
            _ => String::new(),
        };
        let _ = writeln!(out, "{}={shown}", var.name());
    }
    out
}

/// Escapes a Markdown table cell: `|` as `\|`, a line break as a space, a paragraph break as
/// `<br>`.
fn cell(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs.join("<br>").replace('|', "\\|")
}

/// Inline code that survives a table cell, backticks in the text included.
fn code(text: &str) -> String {
    let text = cell(text);
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// A Markdown table of every variable:
/// `| Variable | Type | Required | Default | Secret | Description |`.
///
/// `|` and line breaks in docs, types and defaults are escaped so that each variable stays
/// one row. A secret's default shows as `(hidden)`.
pub fn markdown_table(contract: &Contract) -> String {
    let mut out = String::from(
        "| Variable | Type | Required | Default | Secret | Description |\n|---|---|---|---|---|---|\n",
    );
    for var in contract.variables() {
        let spec = var.spec();
        let required = match spec.requirement() {
            Requirement::Required => "yes",
            Requirement::Optional | Requirement::Default => "no",
        };
        let default = match (spec.requirement(), spec.default()) {
            (Requirement::Default, None) => "(hidden)".to_owned(),
            (_, Some(text)) => code(&default_value(&var).unwrap_or(Cow::Borrowed(text))),
            (_, None) => String::new(),
        };
        let secret = if spec.is_secret() { "yes" } else { "" };
        let mut description = cell(spec.doc());
        if spec.is_secret() {
            let note = format!("Or `{}_FILE`: a file holding it.", var.name());
            description = join_sentence(description, &note);
        }
        let _ = writeln!(
            out,
            "| {} | {} | {required} | {default} | {secret} | {description} |",
            code(var.name()),
            code(spec.ty()),
        );
    }
    out
}

fn join_sentence(text: String, more: &str) -> String {
    if text.is_empty() {
        more.to_owned()
    } else {
        format!("{text} {more}")
    }
}

/// A JSON Schema (draft 2020-12) of the environment the contract reads.
///
/// An object whose properties are the variable names, each `"type": "string"` (environment
/// values are strings) with a `title` (the field path), a `description` (the doc), a `default`
/// (non-secrets whose default is a value), `"writeOnly": true` for secrets, and a `pattern`
/// where the type's parser is known: integers, floats, `bool` and `Duration`, empty allowed
/// where an empty value means absent. A required text variable gets `"minLength": 1`.
/// `required` lists the required variables, and `additionalProperties` is `true`: an
/// environment holds other variables.
///
/// Patterns follow the built-in parsing rule of the type as written; a field read with
/// `parse_with` or `deserialize`, or a `Vec` (whose separator the contract does not record),
/// gets none. A secret given through `NAME_FILE` instead of `NAME` is not modelled: `required`
/// names `NAME`.
pub fn json_schema(contract: &Contract) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for var in contract.variables() {
        let spec = var.spec();
        let mut property = Map::new();
        property.insert("type".into(), json!("string"));
        property.insert("title".into(), json!(var.field()));
        let mut description = spec.doc().to_owned();
        if description.is_empty() {
            description = format!("`{}` ({})", var.field(), spec.ty());
        }
        let value = default_value(&var);
        if let (Some(expr), None) = (spec.default(), &value) {
            let _ = write!(description, "\n\nDefault: `{expr}` (a Rust expression).");
        }
        if spec.is_secret() {
            let _ = write!(
                description,
                "\n\nSecret: or set `{}_FILE` to the path of a file holding it.",
                var.name()
            );
            property.insert("writeOnly".into(), json!(true));
        }
        property.insert("description".into(), json!(description));
        if let (false, Some(value)) = (spec.is_secret(), value) {
            property.insert("default".into(), json!(value));
        }
        let empty_ok = empty_means_absent(&var);
        match pattern_body(kind(spec.ty())) {
            Some(body) if empty_ok => {
                property.insert("pattern".into(), json!(format!("^(?:{body})?$")));
            }
            Some(body) => {
                property.insert("pattern".into(), json!(format!("^(?:{body})$")));
            }
            None if spec.requirement() == Requirement::Required && !spec.allows_empty() => {
                property.insert("minLength".into(), json!(1));
            }
            None => {}
        }
        if spec.requirement() == Requirement::Required {
            required.push(json!(var.name()));
        }
        properties.insert(var.name().to_owned(), Value::Object(property));
    }
    let mut schema = Map::new();
    schema.insert("$schema".into(), json!(JSON_SCHEMA_DIALECT));
    schema.insert("title".into(), json!(contract.type_name()));
    if !contract.doc().is_empty() {
        schema.insert("description".into(), json!(contract.doc()));
    }
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), Value::Array(required));
    schema.insert("additionalProperties".into(), json!(true));
    Value::Object(schema)
}

/// Whole seconds, rounded up.
fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// A duration for a comment: `300ms`, `2.5s`, `1m 30s`.
fn human(d: Duration) -> String {
    if d.subsec_nanos() == 0 || d < Duration::from_millis(1) {
        humantime::format_duration(d).to_string()
    } else if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        let text = format!("{:.3}", d.as_secs_f64());
        format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// A name safe to put in a YAML comment (one line).
fn one_line(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Kubernetes' default `periodSeconds`, used when no check refreshes in the background.
const DEFAULT_PERIOD: u64 = 10;

/// Kubernetes `startupProbe`, `readinessProbe` and `livenessProbe` (HTTP GET on `/startupz`,
/// `/ready` and `/health` at `port`) whose numbers agree with the registered checks, to paste
/// under a container. Each derived number carries a comment saying where it came from:
///
/// - `timeoutSeconds` of readiness and startup: the largest check timeout rounded up, at
///   least 1 (a probe may wait for a check refreshed on probe); liveness: 1, since it reads
///   heartbeats only.
/// - readiness `periodSeconds`: the smallest background refresh interval rounded down, at
///   least 1, or Kubernetes' 10 when no check refreshes in the background; startup uses the
///   same period.
/// - liveness: `periodSeconds` and `failureThreshold` such that their product covers the
///   largest heartbeat silence (no restart for a shorter stall than the heartbeat allows).
/// - startup `failureThreshold`: enough periods that the container is not restarted before
///   the startup grace ends (`(threshold - 1) * period >= grace`).
pub fn kubernetes_probes(health: &Health, port: u16) -> String {
    let checks = health.check_settings();

    let slowest = checks.iter().max_by_key(|c| c.timeout);
    let timeout = slowest.map_or(1, |c| ceil_secs(c.timeout).max(1));
    let timeout_note = match slowest {
        Some(c) => format!(
            "largest check timeout ({} {}) rounded up, at least 1: a probe may wait for an on-probe run",
            one_line(&c.name),
            human(c.timeout)
        ),
        None => "no checks registered: the minimum".to_owned(),
    };

    let fastest = checks
        .iter()
        .filter_map(|c| match c.refresh {
            Refresh::Every(every) => Some((c, every)),
            Refresh::OnProbe(_) => None,
        })
        .min_by_key(|(_, every)| *every);
    let period = fastest.map_or(DEFAULT_PERIOD, |(_, every)| every.as_secs().max(1));
    let period_note = match fastest {
        Some((c, every)) => format!(
            "smallest background refresh ({} every {}) rounded down, at least 1: each probe can see a new result",
            one_line(&c.name),
            human(every)
        ),
        None => "no check refreshes in the background: Kubernetes' default".to_owned(),
    };

    let grace = health.startup_grace();
    let startup_checks: Vec<&str> = checks
        .iter()
        .filter(|c| c.probe == Probe::Startup)
        .map(|c| c.name.as_str())
        .collect();
    let (startup_threshold, startup_note) = if !grace.is_zero() {
        let threshold = ceil_secs(grace).div_ceil(period) + 1;
        (
            threshold,
            format!(
                "({threshold} - 1) x {period}s = {}s >= the startup grace ({}): no restart before it ends",
                (threshold - 1) * period,
                human(grace)
            ),
        )
    } else if !startup_checks.is_empty() {
        let threshold = 60u64.div_ceil(period).max(3);
        (
            threshold,
            format!(
                "no startup grace: {}s for the startup checks ({}) to pass once; raise it for slower starts",
                threshold * period,
                one_line(&startup_checks.join(", "))
            ),
        )
    } else {
        (
            3,
            "no startup grace or startup checks: /startupz passes at once (Kubernetes' default)"
                .to_owned(),
        )
    };

    let slowest_beat = health
        .heartbeat_limits()
        .into_iter()
        .max_by_key(|(_, silence)| *silence);
    let (live_period, live_threshold, live_period_note, live_threshold_note) = match &slowest_beat {
        Some((name, silence)) => {
            let limit = ceil_secs(*silence).max(1);
            let live_period = limit.div_ceil(3).clamp(1, DEFAULT_PERIOD);
            let threshold = limit.div_ceil(live_period).max(3);
            (
                live_period,
                threshold,
                format!(
                    "a third of the largest heartbeat silence ({} {}), between 1 and 10",
                    one_line(name),
                    human(*silence)
                ),
                format!(
                    "{threshold} x {live_period}s = {}s >= that silence: no restart for a shorter stall",
                    threshold * live_period
                ),
            )
        }
        None => (
            DEFAULT_PERIOD,
            3,
            "no liveness heartbeats: Kubernetes' default".to_owned(),
            "Kubernetes' default".to_owned(),
        ),
    };

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Probes for a container serving health on port {port}, derived from the registered checks."
    );
    let _ = writeln!(
        out,
        "# Paste under the container (spec.template.spec.containers[*])."
    );
    let _ = write!(
        out,
        "startupProbe:
  httpGet:
    path: /startupz
    port: {port}
  periodSeconds: {period}  # as readinessProbe: the checks' refresh
  timeoutSeconds: {timeout}  # {timeout_note}
  failureThreshold: {startup_threshold}  # {startup_note}
readinessProbe:
  httpGet:
    path: /ready
    port: {port}
  periodSeconds: {period}  # {period_note}
  timeoutSeconds: {timeout}  # {timeout_note}
  successThreshold: 1  # Kubernetes' default (checks debounce with success_threshold)
  failureThreshold: 3  # Kubernetes' default (checks debounce with failure_threshold)
livenessProbe:
  httpGet:
    path: /health
    port: {port}
  periodSeconds: {live_period}  # {live_period_note}
  timeoutSeconds: 1  # liveness reads heartbeats only and never waits on a dependency
  failureThreshold: {live_threshold}  # {live_threshold_note}
"
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_look_through_option_and_paths() {
        assert_eq!(kind("u16"), Kind::Unsigned);
        assert_eq!(kind("Option<i64>"), Kind::Signed);
        assert_eq!(
            kind("std::option::Option<std::time::Duration>"),
            Kind::Duration
        );
        assert_eq!(kind("Option<Vec<u16>>"), Kind::List);
        assert_eq!(kind("Vec<(u8, u8)>"), Kind::List);
        assert_eq!(kind("bool"), Kind::Bool);
        assert_eq!(kind("f64"), Kind::Float);
        assert_eq!(kind("Option<url::Url>"), Kind::Other);
        assert_eq!(kind("HashMap<String,Option<u8>>"), Kind::Other);
    }

    #[test]
    fn rust_expressions_are_told_from_values() {
        for expr in [
            "Ipv4Addr::LOCALHOST",
            "String::from(\"x\")",
            "vec![1, 2]",
            "\"x\".to_owned()",
            "std::net::Ipv4Addr::new(127, 0, 0, 1)",
        ] {
            assert!(looks_like_rust(expr), "{expr}");
        }
        for value in [
            "http://localhost:8080/x",
            "::1",
            "fe80::abcd",
            "a,b",
            "hello world",
            "C:\\x",
        ] {
            assert!(!looks_like_rust(value), "{value}");
        }
        assert_eq!(
            duration_constructor("Duration::from_millis(1_500)").as_deref(),
            Some("1500ms")
        );
        assert_eq!(
            duration_constructor("std::time::Duration::from_secs(2)").as_deref(),
            Some("2s")
        );
        assert_eq!(duration_constructor("Duration::ZERO"), None);
    }

    #[test]
    fn dotenv_quoting_reads_back() {
        assert_eq!(dotenv_quote("8000"), "8000");
        assert_eq!(dotenv_quote("a b # c"), "'a b # c'");
        assert_eq!(dotenv_quote("it's $HOME"), "\"it's \\$HOME\"");
    }

    #[test]
    fn durations_read_well_in_comments() {
        assert_eq!(human(Duration::from_millis(300)), "300ms");
        assert_eq!(human(Duration::from_millis(2500)), "2.5s");
        assert_eq!(human(Duration::from_secs(90)), "1m 30s");
        assert_eq!(human(Duration::from_nanos(5)), "5ns");
    }

    #[test]
    fn ceil_rounds_up_whole_seconds() {
        assert_eq!(ceil_secs(Duration::from_millis(300)), 1);
        assert_eq!(ceil_secs(Duration::from_secs(2)), 2);
        assert_eq!(ceil_secs(Duration::from_millis(2001)), 3);
        assert_eq!(ceil_secs(Duration::ZERO), 0);
    }
}

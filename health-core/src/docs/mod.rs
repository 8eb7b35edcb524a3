//! Documentation and manifests generated from a contract, so no list of variables is kept by
//! hand: a `.env.example`, a Markdown table, a JSON Schema of the environment, and Kubernetes
//! probes whose timings agree with the registered checks.
//!
//! Every function here is pure: it reads the [`Contract`](crate::Contract) (or the
//! [`Health`](crate::Health)) and nothing else, never the environment. A secret's value
//! cannot appear in any output because the contract does not hold one, and a secret's default
//! is never shown either.
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

mod env_example;
mod json_schema;
mod markdown;
mod probes;

use std::borrow::Cow;
use std::ffi::OsStr;

use crate::contract::Variable;

pub use self::env_example::env_example;
pub use self::json_schema::{JSON_SCHEMA_DIALECT, json_schema};
pub use self::markdown::markdown_table;
pub use self::probes::kubernetes_probes;

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
}

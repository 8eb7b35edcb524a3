//! A variable's default as the generators show it: text the variable could be set to, or
//! nothing when the default is a Rust expression with no text form.

use std::borrow::Cow;
use std::ffi::OsStr;

use crate::contract::{ValueRule, Variable};

/// A variable's default as text the variable could be set to, when the contract shows one
/// that is a value rather than a Rust expression.
///
/// `default = "2s"` and `default = 8000` are values; `default = Duration::from_millis(1500)`
/// becomes `1500ms`; other expressions (`Ipv4Addr::LOCALHOST`, `vec![..]`) have no text
/// form, and secrets never show their default. The default is read as the recorded rule
/// reads a value: a `bool` default must be a word the loader takes, a number's
/// underscores are dropped.
pub(super) fn default_value(var: &Variable) -> Option<Cow<'static, str>> {
    let spec = var.spec();
    let text = spec.default()?;
    // A derived default is computed from other variables: no text to set.
    if !spec.derived_from().is_empty() {
        return None;
    }
    if spec.split().is_some() {
        return (!looks_like_rust(text)).then_some(Cow::Borrowed(text));
    }
    match spec.rule() {
        ValueRule::Bool => crate::value::bool(OsStr::new(text))
            .is_ok()
            .then_some(Cow::Borrowed(text)),
        ValueRule::Duration => {
            if crate::value::duration(OsStr::new(text)).is_ok() {
                Some(Cow::Borrowed(text))
            } else {
                duration_constructor(text).map(Cow::Owned)
            }
        }
        ValueRule::Integer { .. } | ValueRule::Float => {
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
        ValueRule::Text
        | ValueRule::OsText
        | ValueRule::FromStr
        | ValueRule::ParseWith(_)
        | ValueRule::Deserialize => (!looks_like_rust(text)).then_some(Cow::Borrowed(text)),
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

//! Documentation and manifests generated from a contract, so no list of variables is kept by
//! hand: a `.env.example`, a Markdown table, a JSON Schema of the environment, and (feature
//! `runtime`) Kubernetes probes whose timings agree with the registered checks.
//!
//! Every function here is pure: it reads the [`Contract`](crate::Contract) (or the
//! [`Health`](crate::Health)) and nothing else, never the environment. A secret's value
//! cannot appear in any output because the contract does not hold one, and a secret's default
//! is never shown either.
//!
//! How a value is read comes from the contract's record of it ([`VarSpec::rule`], and
//! [`VarSpec::split`] for a list), never from the text of the field's type: a `parse_with`
//! field of type `u16` is documented as its function reads it, not as a `u16`. The
//! constraints (`range`, `one_of`, `len`) and the old names (`alias`) are shown by every
//! generator, worded as the loader words them when a value breaks one.
//!
//! The rules between variables (`requires`, `exactly_one_of`, ...) and the optional groups
//! are in every output, each rule with its name in reports and its sentence: the
//! `.env.example` passes its own rules once filled in, the Markdown gives each rule's sentence
//! on its variables' rows, and the JSON Schema holds every rule it can express. So are the
//! selected variants: the `.env.example` uses one variant of each choice and comments out the
//! others, saying how to switch; the Markdown gives each choice's sentence and a table of its
//! variants; the JSON Schema holds which variant is chosen and what it then requires.
//!
//! ```
//! # use health_core as health;
//! use health::{Contract, docs};
//!
//! fn write_docs(contract: &Contract) -> std::io::Result<()> {
//!     std::fs::write(".env.example", docs::env_example(contract))?;
//!     std::fs::write("CONFIG.md", docs::markdown_table(contract))?;
//!     let schema = serde_json::to_string_pretty(&docs::json_schema(contract))?;
//!     std::fs::write("config.schema.json", schema)
//! }
//! ```
//!
//! [`VarSpec::rule`]: crate::VarSpec::rule
//! [`VarSpec::split`]: crate::VarSpec::split

mod env_example;
mod json_schema;
mod markdown;
mod pattern;
#[cfg(feature = "runtime")]
mod probes;
mod rules;
mod schema_rules;
mod schema_variants;
mod value_rules;

use std::borrow::Cow;
use std::ffi::OsStr;

use crate::constraint::{describe_len, describe_one_of, describe_range};
use crate::contract::{ValueRule, Variable};
use crate::variant::Choice;

pub use self::env_example::env_example;
pub use self::json_schema::{JSON_SCHEMA_DIALECT, json_schema};
pub use self::markdown::markdown_table;
#[cfg(feature = "runtime")]
pub use self::probes::kubernetes_probes;

/// A variable's default as text the variable could be set to, when the contract shows one
/// that is a value rather than a Rust expression.
///
/// `default = "2s"` and `default = 8000` are values; `default = Duration::from_millis(1500)`
/// becomes `1500ms`; other expressions (`Ipv4Addr::LOCALHOST`, `vec![..]`) have no text
/// form, and secrets never show their default. The default is read as the recorded rule
/// reads a value: a `bool` default must be a word the loader takes, a number's
/// underscores are dropped.
fn default_value(var: &Variable) -> Option<Cow<'static, str>> {
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

/// What the `.env.example` and the Markdown table say about a variable beyond its type,
/// requirement and default, one phrase each, in the loader's words: the list separator,
/// then `range`, `one_of` and `len` as the messages of a value that breaks them state them
/// (`must be in 1..=65535`; `each item must be ...` for a list), then the old names.
///
/// `code` wraps a literal (a separator, a name) for the output: as it is for a `.env` comment,
/// in backticks for Markdown.
fn notes(var: &Variable, code: fn(&str) -> String) -> Vec<String> {
    let spec = var.spec();
    let constraints = spec.constraints();
    let list = spec.split().is_some();
    let each = |rule: String| {
        if list {
            format!("each item {rule}")
        } else {
            rule
        }
    };
    let mut out = Vec::new();
    if let Some(separator) = spec.split() {
        out.push(format!(
            "a list separated by {}",
            code(&format!("{separator:?}"))
        ));
    }
    if let Some(range) = constraints.range() {
        out.push(each(describe_range(range)));
    }
    if !constraints.one_of().is_empty() {
        out.push(each(describe_one_of(constraints.one_of())));
    }
    if let Some(len) = constraints.len() {
        out.push(describe_len(len, list));
    }
    let aliases = var.old_names();
    if !aliases.is_empty() {
        let names: Vec<String> = aliases.iter().map(|name| code(name)).collect();
        let label = if names.len() == 1 {
            "old name"
        } else {
            "old names"
        };
        out.push(format!(
            "{label}: {} (still read, with a warning; set only one name)",
            names.join(", ")
        ));
        for (old, new) in spec.old_values() {
            out.push(format!(
                "under an old name, {} stands for {}",
                code(old),
                code(new)
            ));
        }
    }
    let sources = var.derived_from();
    if !sources.is_empty() {
        let names: Vec<String> = sources.iter().map(|name| code(name)).collect();
        out.push(format!(
            "when unset, derived from {}",
            crate::rule::and(&names)
        ));
    }
    if let Some(why) = spec.deprecated() {
        out.push(format!("deprecated: {why}"));
    }
    out
}

/// When a variable of a selected variant is read, for the generators: `` when
/// `APP_STORAGE_BACKEND` is `s3` `` (by tag), `` when the `s3` variant of `storage` is used ``
/// (by presence); `None` for a variable of no variant. Inside variants of variants, the
/// innermost one.
fn variant_condition(
    choices: &[Choice],
    var: &Variable,
    code: fn(&str) -> String,
) -> Option<String> {
    let (choice, variant) = choices
        .iter()
        .rev()
        .flat_map(|choice| {
            choice
                .variants()
                .iter()
                .map(move |variant| (choice, variant))
        })
        .find(|(_, variant)| variant.variables().iter().any(|v| v.name() == var.name()))?;
    Some(match choice.tag() {
        Some(tag) => format!("when {} is {}", code(tag.name()), code(variant.tag())),
        None if choice.field().is_empty() => {
            format!("when the {} variant is used", code(variant.tag()))
        }
        None => format!(
            "when the {} variant of {} is used",
            code(variant.tag()),
            code(choice.field())
        ),
    })
}

/// Phrases as sentences: each capitalized and ended with a period.
fn sentences(phrases: &[String]) -> String {
    let mut out = String::new();
    for phrase in phrases {
        if !out.is_empty() {
            out.push(' ');
        }
        let mut chars = phrase.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
            out.push('.');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Bounds, Constraints, Contract, Field, LenBounds, Requirement, VarSpec};

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

    const U16: ValueRule = ValueRule::Integer {
        min: 0,
        max: u16::MAX as u128,
    };

    /// A `parse_with` field of type `u16` with the default `8k`, a list, and constrained
    /// fields with old names, under a prefix.
    static CONTRACT: Contract = Contract::__new(
        "Notes",
        "",
        "APP_",
        &[
            Field::__var(
                "buffer",
                &VarSpec::__new(
                    "BUFFER",
                    "u16",
                    "",
                    Requirement::Default,
                    Some("8k"),
                    false,
                    false,
                )
                .__rule(ValueRule::ParseWith("kilo"), None),
            ),
            Field::__var(
                "port",
                &VarSpec::__new(
                    "PORT",
                    "u16",
                    "",
                    Requirement::Default,
                    Some("8_000"),
                    false,
                    false,
                )
                .__rule(U16, None)
                .__aliases(&["LISTEN_PORT"])
                .__constraints(Constraints::__new(
                    Some(Bounds {
                        min: Some("1"),
                        max: Some("65535"),
                        max_inclusive: true,
                    }),
                    &[],
                    None,
                )),
            ),
            Field::__var(
                "ports",
                &VarSpec::__new(
                    "PORTS",
                    "Vec<u16>",
                    "",
                    Requirement::Required,
                    None,
                    false,
                    false,
                )
                .__rule(U16, Some(";"))
                .__aliases(&["OLD_PORTS", "OLDER_PORTS"])
                .__constraints(Constraints::__new(
                    None,
                    &["80", "443"],
                    Some(LenBounds {
                        min: 1,
                        max: Some(2),
                    }),
                )),
            ),
            Field::__var(
                "on",
                &VarSpec::__new(
                    "ON",
                    "bool",
                    "",
                    Requirement::Default,
                    Some("maybe"),
                    false,
                    false,
                )
                .__rule(ValueRule::Bool, None),
            ),
        ],
    );

    #[test]
    fn defaults_and_notes_follow_the_recorded_rule() {
        let vars = CONTRACT.variables();
        // `parse_with` reads `8k`: a value, shown as it is, whatever the type's name says.
        assert_eq!(default_value(&vars[0]).as_deref(), Some("8k"));
        assert_eq!(default_value(&vars[1]).as_deref(), Some("8000"));
        // Not a word the bool rule takes: no text form.
        assert_eq!(default_value(&vars[3]), None);

        let plain = |s: &str| s.to_owned();
        assert!(notes(&vars[0], plain).is_empty());
        assert_eq!(
            notes(&vars[1], plain),
            [
                "must be in 1..=65535",
                "old name: APP_LISTEN_PORT (still read, with a warning; set only one name)"
            ]
        );
        let code = |s: &str| format!("`{s}`");
        assert_eq!(
            notes(&vars[2], code),
            [
                "a list separated by `\";\"`",
                "each item must be one of `80`, `443`",
                "must have 1 to 2 items",
                "old names: `APP_OLD_PORTS`, `APP_OLDER_PORTS` (still read, with a warning; set only one name)"
            ]
        );
    }
}

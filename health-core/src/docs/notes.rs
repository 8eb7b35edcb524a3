//! What the `.env.example`, the Markdown and the JSON Schema say about a variable beyond its
//! type, requirement and default, as phrases, and phrases as sentences.

use crate::constraint::{describe_len, describe_one_of, describe_range};
use crate::contract::Variable;

/// What the `.env.example` and the Markdown table say about a variable beyond its type,
/// requirement and default, one phrase each, in the loader's words: the list separator,
/// then `range`, `one_of` and `len` as the messages of a value that breaks them state them
/// (`must be in 1..=65535`; `each item must be ...` for a list), then the old names.
///
/// `code` wraps a literal (a separator, a name) for the output: as it is for a `.env` comment,
/// in backticks for Markdown.
pub(super) fn notes(var: &Variable, code: fn(&str) -> String) -> Vec<String> {
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

/// Phrases as sentences: each capitalized and ended with a period.
pub(super) fn sentences(phrases: &[String]) -> String {
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
    use crate::contract::{
        Bounds, Constraints, Contract, Field, LenBounds, Requirement, ValueRule, VarSpec,
    };
    use crate::docs::default_text::default_value;

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

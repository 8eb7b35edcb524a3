//! The selected variant a variable belongs to, and the phrase saying when it is read.

use crate::contract::Variable;
use crate::variant::{Choice, Variant};

/// The innermost variant of `choices` holding the variable `name`, with its choice.
pub(super) fn owner<'a>(choices: &'a [Choice], name: &str) -> Option<(&'a Choice, &'a Variant)> {
    choices
        .iter()
        .rev()
        .flat_map(|choice| {
            choice
                .variants()
                .iter()
                .map(move |variant| (choice, variant))
        })
        .find(|(_, variant)| variant.variables().iter().any(|v| v.name() == name))
}

/// The innermost variant of `choices` holding the variable `name`.
pub(super) fn variant_of<'a>(choices: &'a [Choice], name: &str) -> Option<&'a Variant> {
    owner(choices, name).map(|(_, variant)| variant)
}

/// When a variable of a selected variant is read, for the generators: `` when
/// `APP_STORAGE_BACKEND` is `s3` `` (by tag), `` when the `s3` variant of `storage` is used ``
/// (by presence); `None` for a variable of no variant. Inside variants of variants, the
/// innermost one.
pub(super) fn variant_condition(
    choices: &[Choice],
    var: &Variable,
    code: fn(&str) -> String,
) -> Option<String> {
    let (choice, variant) = owner(choices, var.name())?;
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

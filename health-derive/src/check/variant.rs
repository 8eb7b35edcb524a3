//! Rules a selected enum must follow, one function a rule, all run on every expansion.

use std::collections::HashMap;

use super::check_name_literal;
use crate::ctxt::Ctxt;
use crate::model::{Choice, Variant};

/// Runs every rule, recording each violation in source order.
pub fn check_choice(cx: &mut Ctxt, choice: &Choice) {
    check_name_literal(cx, choice.attrs.prefix.get());
    check_tag_variable(cx, choice);
    check_has_variants(cx, choice);
    check_exactly_one_needs_presence(cx, choice);
    check_unique_tags(cx, choice);
    check_one_default(cx, choice);
    check_unit_variants_selectable(cx, choice);
    for variant in &choice.variants {
        check_name_literal(cx, variant.attrs.prefix.get());
    }
}

/// The tag variable's name is a name an environment can hold.
fn check_tag_variable(cx: &mut Ctxt, choice: &Choice) {
    let Some(tag) = choice.attrs.tag.get() else {
        return;
    };
    if tag.value().is_empty() {
        cx.error_spanned_by(
            tag,
            "`tag` names the variable that selects the variant, and is empty",
        );
    }
    check_name_literal(cx, Some(tag));
}

/// An enum without variants has nothing to choose.
fn check_has_variants(cx: &mut Ctxt, choice: &Choice) {
    if choice.variants.is_empty() {
        cx.error_spanned_by(
            choice.ident,
            "a selected enum needs variants: each carries a config struct (`S3(S3Config)`) or nothing (`Memory`)",
        );
    }
}

/// `exactly_one` is about configured variants, which a tag does not look at.
fn check_exactly_one_needs_presence(cx: &mut Ctxt, choice: &Choice) {
    if let (Some(key), true) = (choice.attrs.exactly_one.key(), choice.attrs.tag.is_set()) {
        cx.error_spanned_by(
            key,
            "`exactly_one` cannot be combined with `tag`: the tag variable already names exactly one variant; drop `tag` to choose by which variant is configured",
        );
    }
}

/// Two variants never share a tag (the tag variable could not tell them apart), and a tag is
/// not empty.
fn check_unique_tags(cx: &mut Ctxt, choice: &Choice) {
    let mut seen: HashMap<&str, &Variant> = HashMap::new();
    for variant in &choice.variants {
        let span = tag_span(variant);
        if variant.tag.is_empty() {
            cx.syn_error(syn::Error::new(span, "a variant's `tag` is empty"));
        } else if let Some(first) = seen.get(variant.tag.as_str()) {
            cx.syn_error(syn::Error::new(
                span,
                format!(
                    "variant `{}` has the tag `{}` of variant `{}`: give one of them another `#[contract(tag = \"..\")]`",
                    variant.ident, variant.tag, first.ident
                ),
            ));
        } else {
            seen.insert(&variant.tag, variant);
        }
    }
}

/// One variant at most is the default.
fn check_one_default(cx: &mut Ctxt, choice: &Choice) {
    let mut first: Option<&Variant> = None;
    for variant in &choice.variants {
        let Some(key) = variant.attrs.default.key() else {
            continue;
        };
        match first {
            Some(first) => cx.error_spanned_by(
                key,
                format!(
                    "variant `{}` is the `default` already: one variant is used when none is chosen",
                    first.ident
                ),
            ),
            None => first = Some(variant),
        }
    }
}

/// Without a tag, a variant is chosen by its set variables: a unit variant has none, so it can
/// only be the default.
fn check_unit_variants_selectable(cx: &mut Ctxt, choice: &Choice) {
    if choice.attrs.tag.is_set() {
        return;
    }
    let all_unit = choice.variants.iter().all(|v| v.ty.is_none());
    for variant in &choice.variants {
        if variant.ty.is_some() || variant.attrs.default.is_set() {
            continue;
        }
        let hint = if all_unit {
            "; an enum read from one variable's text is a field's type (`FromStr`, or `#[contract(deserialize)]`), not a derive"
        } else {
            ""
        };
        cx.error_spanned_by(
            variant.ident,
            format!(
                "variant `{}` has no variables, so without `#[contract(tag = \"..\")]` on the enum nothing can choose it: make it the `#[contract(default)]` or add a tag{hint}",
                variant.ident
            ),
        );
    }
}

/// Where to point an error about a variant's tag: the `tag` literal or the variant's name.
fn tag_span(variant: &Variant) -> proc_macro2::Span {
    match variant.attrs.tag.get() {
        Some(tag) => tag.span(),
        None => variant.ident.span(),
    }
}

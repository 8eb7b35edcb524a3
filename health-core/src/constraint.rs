//! Declarative constraints on a value: `range`, `one_of` and `len`.
//!
//! The loader checks them after a value parses and before the field's `validate`; a value
//! that breaks one fails as `rejected` with a message built from the contract alone ("must
//! be in 1..=65535", "must be one of `debug`, `info`", "must be 1 to 64 characters long"), so
//! it never quotes the value, nor tells a secret's length.
//!
//! `one_of` and `len` read the value's text (each trimmed item of a list, as the list splitter
//! reads it), so they are checked here without knowing the field's type; `range` compares
//! typed values, through [`range`], which the derive calls with the field's own parser.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::ffi::OsStr;

use crate::contract::{Bounds, LenBounds, VarSpec};
use crate::value::{ValueError, parts};

/// The rule of a `range`, as a message: `must be in 1..=65535`, `must be at least 1`.
pub fn describe_range(bounds: &Bounds) -> String {
    match (bounds.min, bounds.max, bounds.max_inclusive) {
        (Some(min), Some(max), true) => format!("must be in {min}..={max}"),
        (Some(min), Some(max), false) => format!("must be in {min}..{max} ({max} excluded)"),
        (Some(min), None, _) => format!("must be at least {min}"),
        (None, Some(max), true) => format!("must be at most {max}"),
        (None, Some(max), false) => format!("must be less than {max}"),
        (None, None, _) => "may be any value".to_owned(),
    }
}

/// The rule of a `one_of`, as a message: ``must be one of `debug`, `info` ``.
pub fn describe_one_of(one_of: &[&str]) -> String {
    let mut out = String::from("must be one of ");
    for (i, text) in one_of.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('`');
        out.push_str(text);
        out.push('`');
    }
    out
}

/// The rule of a `len`, as a message: `must be 1 to 64 characters long`, `must have at most 8
/// items` (`list` for a list's item count).
pub fn describe_len(len: &LenBounds, list: bool) -> String {
    let noun = |n: usize| match (list, n) {
        (true, 1) => "item",
        (true, _) => "items",
        (false, 1) => "character",
        (false, _) => "characters",
    };
    let (verb, tail) = if list {
        ("have ", "")
    } else {
        ("be ", " long")
    };
    match (len.min, len.max) {
        (min, Some(max)) if min == max => format!("must {verb}{min} {}{tail}", noun(min)),
        (0, Some(max)) => format!("must {verb}at most {max} {}{tail}", noun(max)),
        (min, Some(max)) => format!("must {verb}{min} to {max} {}{tail}", noun(max)),
        (min, None) => format!("must {verb}at least {min} {}{tail}", noun(min)),
    }
}

/// Whether the variable has a constraint on its text (`one_of` or `len`), so that the loader
/// checks the text it read.
pub(crate) fn has_text_rules(spec: &VarSpec) -> bool {
    let constraints = spec.constraints();
    !constraints.one_of().is_empty() || constraints.len().is_some()
}

/// Checks `one_of` and `len` on the text of a value (each item's, for a list): `Err` with the
/// rule it breaks. Non-UTF-8 text is in no `one_of`, and its characters are counted lossily.
pub(crate) fn check_text(spec: &VarSpec, raw: &OsStr) -> Result<(), String> {
    let constraints = spec.constraints();
    let text = raw.to_string_lossy();
    let one_of = constraints.one_of();
    let allowed = |item: &str| raw.to_str().is_some() && one_of.contains(&item);
    match spec.split() {
        Some(separator) => {
            let mut count = 0;
            for (index, item) in parts(&text, separator).enumerate() {
                count += 1;
                if !one_of.is_empty() && !allowed(item) {
                    return Err(at_item(spec, index, describe_one_of(one_of)));
                }
            }
            match constraints.len() {
                Some(len) if !fits(len, count) => Err(describe_len(len, true)),
                _ => Ok(()),
            }
        }
        None => {
            if !one_of.is_empty() && !allowed(&text) {
                return Err(describe_one_of(one_of));
            }
            match constraints.len() {
                Some(len) if !fits(len, text.chars().count()) => Err(describe_len(len, false)),
                _ => Ok(()),
            }
        }
    }
}

fn fits(len: &LenBounds, count: usize) -> bool {
    count >= len.min && len.max.is_none_or(|max| count <= max)
}

/// The message about one item of a list: `item 2: ...`, without the position for a secret.
fn at_item(spec: &VarSpec, index: usize, message: String) -> String {
    if spec.is_secret() {
        format!("an item {message}")
    } else {
        format!("item {}: {message}", index + 1)
    }
}

/// A type a `range` can bound: one with an order.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no order, so `range` cannot bound it",
    label = "`range` compares values with `PartialOrd`",
    note = "implement `PartialOrd` for `{Self}`, or check the value with `validate = path`"
)]
pub trait Ordered: PartialOrd {}

#[diagnostic::do_not_recommend]
impl<T: PartialOrd + ?Sized> Ordered for T {}

/// Checks the `range` of `spec` on every value of `values` (the value, the `Some` of an
/// `Option`, each item of a list), its bounds parsed by `parse`, the field's own parser.
///
/// Called by the generated code; `Err` holds the message. A bound the parser rejects (a
/// `FromStr` type given a bound it cannot read) fails the same way, naming the bound.
#[doc(hidden)]
pub fn range<'v, T: Ordered + 'v>(
    spec: &VarSpec,
    values: impl IntoIterator<Item = &'v T>,
    parse: impl Fn(Cow<'_, OsStr>) -> Result<T, ValueError>,
) -> Result<(), String> {
    let Some(bounds) = spec.constraints().range() else {
        return Ok(());
    };
    let bound = |text: Option<&'static str>| {
        text.map(|text| parse(Cow::Borrowed(OsStr::new(text))).map_err(|e| bound_error(text, &e)))
            .transpose()
    };
    let (min, max) = (bound(bounds.min)?, bound(bounds.max)?);
    for (index, value) in values.into_iter().enumerate() {
        // A value with no order to a bound (NaN) is out of range.
        let low = min
            .as_ref()
            .is_some_and(|min| matches!(value.partial_cmp(min), None | Some(Ordering::Less)));
        let high = max
            .as_ref()
            .is_some_and(|max| match value.partial_cmp(max) {
                None | Some(Ordering::Greater) => true,
                Some(Ordering::Equal) => !bounds.max_inclusive,
                Some(Ordering::Less) => false,
            });
        if low || high {
            let message = describe_range(bounds);
            return Err(match spec.split() {
                Some(_) => at_item(spec, index, message),
                None => message,
            });
        }
    }
    Ok(())
}

fn bound_error(text: &str, error: &ValueError) -> String {
    format!(
        "the contract's range bound `{text}` does not parse as this field's type: {}",
        error.message()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Constraints, Requirement};

    fn spec(constraints: Constraints, split: Option<&'static str>) -> VarSpec {
        VarSpec::__new("V", "T", "", Requirement::Required, None, false, false)
            .__rule(crate::contract::ValueRule::Text, split)
            .__constraints(constraints)
    }

    fn bounds(min: Option<&'static str>, max: Option<&'static str>, inc: bool) -> Bounds {
        Bounds {
            min,
            max,
            max_inclusive: inc,
        }
    }

    #[test]
    fn messages_state_the_rule() {
        let b = |min, max, inc| describe_range(&bounds(min, max, inc));
        assert_eq!(b(Some("1"), Some("65535"), true), "must be in 1..=65535");
        assert_eq!(
            b(Some("0"), Some("1"), false),
            "must be in 0..1 (1 excluded)"
        );
        assert_eq!(b(Some("1s"), None, false), "must be at least 1s");
        assert_eq!(b(None, Some("10"), true), "must be at most 10");
        assert_eq!(b(None, Some("10"), false), "must be less than 10");
        assert_eq!(
            describe_one_of(&["debug", "info"]),
            "must be one of `debug`, `info`"
        );
        let len = |min, max, list| describe_len(&LenBounds { min, max }, list);
        assert_eq!(len(1, Some(64), false), "must be 1 to 64 characters long");
        assert_eq!(len(1, None, false), "must be at least 1 character long");
        assert_eq!(len(0, Some(8), false), "must be at most 8 characters long");
        assert_eq!(len(8, Some(8), false), "must be 8 characters long");
        assert_eq!(len(1, Some(3), true), "must have 1 to 3 items");
        assert_eq!(len(1, None, true), "must have at least 1 item");
    }

    #[test]
    fn text_rules_read_items_as_the_list_splitter_does() {
        let spec = spec(
            Constraints::__new(
                None,
                &["a", "b"],
                Some(LenBounds {
                    min: 1,
                    max: Some(2),
                }),
            ),
            Some(","),
        );
        assert_eq!(check_text(&spec, OsStr::new(" a, b ,")), Ok(()));
        assert_eq!(
            check_text(&spec, OsStr::new("a,c")),
            Err("item 2: must be one of `a`, `b`".to_owned())
        );
        assert_eq!(
            check_text(&spec, OsStr::new("a,b,a")),
            Err("must have 1 to 2 items".to_owned())
        );
        assert_eq!(
            check_text(&spec, OsStr::new(" , ")),
            Err("must have 1 to 2 items".to_owned())
        );
    }

    #[test]
    fn len_counts_characters_not_bytes() {
        let spec = spec(
            Constraints::__new(
                None,
                &[],
                Some(LenBounds {
                    min: 0,
                    max: Some(3),
                }),
            ),
            None,
        );
        assert_eq!(check_text(&spec, OsStr::new("été")), Ok(()));
        assert!(check_text(&spec, OsStr::new("étés")).is_err());
    }

    #[test]
    fn range_parses_bounds_with_the_field_parser_and_rejects_nan() {
        let spec = spec(
            Constraints::__new(Some(bounds(Some("0"), Some("1"), false)), &[], None),
            None,
        );
        let parse = |raw: Cow<'_, OsStr>| crate::value::from_str::<f64>(&raw);
        assert_eq!(range(&spec, [&0.0], parse), Ok(()));
        assert_eq!(range(&spec, [&0.5], parse), Ok(()));
        assert!(range(&spec, [&1.0], parse).is_err());
        assert!(range(&spec, [&f64::NAN], parse).is_err());
        let parse = |_: Cow<'_, OsStr>| Err::<f64, _>(ValueError::invalid("nope"));
        assert_eq!(
            range(&spec, [&0.5], parse),
            Err(
                "the contract's range bound `0` does not parse as this field's type: nope"
                    .to_owned()
            )
        );
    }
}

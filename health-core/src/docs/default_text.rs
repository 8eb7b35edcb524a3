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
    if spec.default_is_expression() {
        // The one expression with a text form: a `Duration` constructor.
        return (spec.rule() == ValueRule::Duration)
            .then(|| duration_constructor(text))
            .flatten()
            .map(Cow::Owned);
    }
    if spec.split().is_some() {
        return Some(Cow::Borrowed(text));
    }
    match spec.rule() {
        ValueRule::Bool => crate::value::bool(OsStr::new(text))
            .is_ok()
            .then_some(Cow::Borrowed(text)),
        ValueRule::Duration => crate::value::duration(OsStr::new(text))
            .is_ok()
            .then_some(Cow::Borrowed(text)),
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
        | ValueRule::Deserialize => Some(Cow::Borrowed(text)),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duration_constructors_read_as_humantime() {
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

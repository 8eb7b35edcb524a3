//! What the schema cannot tell: whether a refusal of the loader's is a known gap.

use super::*;

/// Whether a refusal of the loader's is a known gap of the schema's, for a variable whose
/// table allows `gap`.
pub(super) fn is_gap(gap: Gap, value: &str, report: &Report) -> bool {
    let failure = report.failures().next();
    let code = failure
        .and_then(|f| f.code())
        .map(|c| c.as_str().to_owned());
    let message = failure.and_then(|f| f.message()).unwrap_or_default();
    match gap {
        Gap::Parser => code.as_deref() == Some("invalid"),
        Gap::Range => code.as_deref() == Some("rejected"),
        Gap::Duration => {
            code.as_deref() == Some("invalid")
                && message.contains("too large for a duration")
                && (longest_number(value) >= 9 || spaced_fraction(value))
                // A fraction finer than its unit is not a gap: the schema must refuse it.
                && fraction_is_exact(value) != Some(false)
        }
    }
}

/// For a duration written `<digits>.<digits><unit>`, whether its fraction is a whole number
/// of the unit's resolution (humantime's rule, computed without overflow); `None` for any
/// other form.
pub(super) fn fraction_is_exact(value: &str) -> Option<bool> {
    let (_, rest) = value.split_once('.')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let unit = &rest[digits.len()..];
    // What one unit is worth in the resolution its fraction is computed in (humantime 2.4).
    let worth: u128 = match unit {
        "us" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 604_800,
        "M" => 2_630_016,
        "y" => 31_557_600,
        "ns" => return Some(false),
        _ => return None,
    };
    if digits.is_empty() || digits.len() > 19 {
        return None;
    }
    let numerator: u128 = digits.parse().ok()?;
    Some((numerator * worth).is_multiple_of(10u128.pow(digits.len() as u32)))
}

/// The most digits of one number in a duration, whitespace among them not counted.
pub(super) fn longest_number(value: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in value.chars() {
        if c.is_ascii_digit() {
            run += 1;
            longest = longest.max(run);
        } else if !c.is_whitespace() {
            run = 0;
        }
    }
    longest
}

/// Whether a fraction has whitespace between two of its digits (`1.5 0h`).
pub(super) fn spaced_fraction(value: &str) -> bool {
    value.split('.').skip(1).any(|after| {
        let digits: String = after
            .chars()
            .take_while(|c| c.is_ascii_digit() || c.is_whitespace())
            .collect();
        digits.trim().chars().any(char::is_whitespace)
    })
}

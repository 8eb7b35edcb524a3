//! humantime durations as a pattern: `0`, or items of a number and a unit, compound and
//! fractional, a fraction no finer than its unit's precision.

use std::collections::BTreeMap;

use super::re::{Re, WHITESPACE, any_of};

/// humantime's units, each with what one is worth in the resolution its fraction is computed
/// in (nanoseconds below an hour, seconds from an hour on); `None`: a fraction of it fails.
const UNITS: [(&[&str], Option<u64>); 10] = [
    (&["nanos", "nsec", "ns"], None),
    (&["usec", "us", "µs"], Some(1_000)),
    (&["millis", "msec", "ms"], Some(1_000_000)),
    (
        &["seconds", "second", "secs", "sec", "s"],
        Some(1_000_000_000),
    ),
    (
        &["minutes", "minute", "mins", "min", "m"],
        Some(60_000_000_000),
    ),
    (&["hours", "hour", "hrs", "hr", "h"], Some(3_600)),
    (&["days", "day", "d"], Some(86_400)),
    (&["weeks", "week", "wks", "wk", "w"], Some(604_800)),
    (&["months", "month", "M"], Some(2_630_016)),
    (&["years", "year", "yrs", "yr", "y"], Some(31_557_600)),
];

/// The most fraction digits humantime reads (its denominator is a `u64` power of ten).
const MAX_FRACTION_DIGITS: u32 = 19;

/// A trimmed humantime duration: `0`, or items `<number><unit>`, whitespace allowed between
/// items, between digits and before the unit, an item's unit ending at whitespace or at the
/// next item's digit. A number is digits (humantime skips whitespace among them), with an
/// optional fraction for any unit but `ns`, no finer than the unit's precision.
pub(crate) fn duration(re: &Re) -> String {
    let ws = re.ws();
    let units = |names: &[&str]| {
        names
            .iter()
            .map(|n| re.literal(n))
            .collect::<Vec<_>>()
            .join("|")
    };
    let all: Vec<&str> = UNITS
        .iter()
        .flat_map(|(names, _)| names.iter().copied())
        .collect();
    let fractional: Vec<&str> = UNITS
        .iter()
        .filter(|(_, worth)| worth.is_some())
        .flat_map(|(names, _)| names.iter().copied())
        .collect();
    // Units whose fractions follow the same rule share one branch (days and weeks).
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for (names, worth) in UNITS {
        let Some(worth) = worth else { continue };
        let digits = fraction_digits(re, worth);
        match groups.iter_mut().find(|(d, _)| *d == digits) {
            Some((_, all)) => all.extend_from_slice(names),
            None => groups.push((digits, names.to_vec())),
        }
    }
    let mut fractions: Vec<String> = groups
        .iter()
        .map(|(digits, names)| format!("(?:{digits}){ws}*(?:{})", units(names)))
        .collect();
    // Whitespace among the fraction's digits: read by humantime, not checked for precision.
    let digit = re.digit();
    fractions.push(format!(
        "{digit}+(?:{ws}+{digit}+)+{ws}*(?:{})",
        units(&fractional)
    ));
    let number = format!("{digit}{}*", re.ch(&format!("[0-9{WHITESPACE}]")));
    let item = format!(
        "{number}(?:{}|{}{ws}*(?:{}))",
        units(&all),
        re.ch(r"\."),
        fractions.join("|")
    );
    // An item's unit ends at whitespace or at the next item's first digit.
    format!("{}|(?:{item}{ws}*)+", re.literal("0"))
}

/// The fraction digits humantime takes before a unit worth `worth` (in its resolution): as
/// many as it reads, and a fraction times `worth` must be a whole number of the resolution.
///
/// With `worth = 2^a 5^b m`, the `k` digits of a fraction, read as the integer `n`, need
/// `10^k | n * worth`: `2^(k-a)` and `5^(k-b)` divide `n`. Every unit has `a >= b`: the first
/// `b` digits are free, the next `a - b` (or fewer, for a shorter fraction) must be a
/// multiple of the power of 5 of their count, and any further digit is 0.
fn fraction_digits(re: &Re, worth: u64) -> String {
    let (a, b) = (factors(worth, 2), factors(worth, 5));
    debug_assert!(a >= b, "{worth}");
    let zeros = format!(
        "{}{{0,{}}}",
        re.ch("0"),
        MAX_FRACTION_DIGITS.saturating_sub(a)
    );
    let free = |count: u32| format!("{}{{{count}}}", re.digit());
    if a == b {
        return format!("{}{{1,{a}}}{zeros}", re.digit());
    }
    let mut blocks: Vec<String> = (1..a - b).map(|l| multiples_of_five(re, l)).collect();
    blocks.push(format!("{}{zeros}", multiples_of_five(re, a - b)));
    let blocks = any_of(&blocks);
    if b == 0 {
        blocks
    } else {
        format!("{}{{1,{b}}}|{}{blocks}", re.digit(), free(b))
    }
}

/// How many times `p` divides `n`.
fn factors(mut n: u64, p: u64) -> u32 {
    let mut count = 0;
    while n > 0 && n.is_multiple_of(p) {
        n /= p;
        count += 1;
    }
    count
}

/// The `l`-digit texts (leading zeros included) of the multiples of `5^l`.
fn multiples_of_five(re: &Re, l: u32) -> String {
    let step = 5u64.pow(l);
    let texts: Vec<Vec<u8>> = (0..2u64.pow(l))
        .map(|m| format!("{:0width$}", m * step, width = l as usize).into_bytes())
        .collect();
    digit_strings(re, &texts)
}

/// Equal-length digit strings as a compact pattern: a trie whose first digits sharing the
/// same rest are merged into a class.
fn digit_strings(re: &Re, texts: &[Vec<u8>]) -> String {
    if texts.first().is_none_or(Vec::is_empty) {
        return String::new();
    }
    let mut by_first: BTreeMap<u8, Vec<Vec<u8>>> = BTreeMap::new();
    for text in texts {
        by_first
            .entry(text[0])
            .or_default()
            .push(text[1..].to_vec());
    }
    let mut by_rest: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (first, rests) in by_first {
        by_rest
            .entry(digit_strings(re, &rests))
            .or_default()
            .push(first);
    }
    let alternatives: Vec<String> = by_rest
        .into_iter()
        .map(|(rest, firsts)| format!("{}{rest}", re.digits(&firsts)))
        .collect();
    any_of(&alternatives)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fraction_digits_follow_the_unit_precision() {
        let re = Re::plain();
        assert_eq!(fraction_digits(&re, 1_000_000_000), "[0-9]{1,9}0{0,10}");
        assert_eq!(
            fraction_digits(&re, 3_600),
            "[0-9]{1,2}|[0-9]{2}(?:[05]|(?:[05]0|[27]5)0{0,15})"
        );
        assert_eq!(multiples_of_five(&re, 2), "(?:[05]0|[27]5)");
        assert_eq!(multiples_of_five(&re, 3), "(?:[05]00|[16]25|[27]50|[38]75)");
        assert_eq!((factors(2_630_016, 2), factors(2_630_016, 5)), (7, 0));
    }

    #[test]
    fn patterns_stay_readable_in_size() {
        let duration = duration(&Re::plain());
        assert!(
            duration.len() < 4_000,
            "{} bytes: {duration}",
            duration.len()
        );
    }
}

//! Numbers as `str::parse` reads them: a float, and an integer of a primitive type by an exact
//! decimal range, within the type's bounds and the `range`.

use std::cmp::Ordering;

use serde_json::{Value, json};

use super::re::{Re, any_of};
use crate::contract::Bounds;

/// A float as `str::parse` reads one: an optional sign, then digits with an optional point
/// (`1`, `1.`, `.5`) and exponent, or `inf`/`infinity`/`nan` in any case. With a `range`,
/// `NaN` (no order) fails, and so does the infinity beyond a bound.
pub(crate) fn float(re: &Re, range: Option<&Bounds>) -> String {
    let digits = format!("{}+", re.digit());
    let sign = re.digits(b"+-");
    let point = re.ch(r"\.");
    let finite = format!(
        "{sign}?(?:{digits}(?:{point}{}*)?|{point}{digits})(?:{}{sign}?{digits})?",
        re.digit(),
        re.ch("[Ee]")
    );
    let infinity = format!("{}(?:{})?", re.word("inf"), re.word("inity"));
    let mut alternatives = vec![finite];
    if range.is_none_or(|r| r.max.is_none()) {
        alternatives.push(format!("{}?{infinity}", re.ch(r"\+")));
    }
    if range.is_none_or(|r| r.min.is_none()) {
        alternatives.push(format!("{}{infinity}", re.ch("-")));
    }
    if range.is_none() {
        alternatives.push(format!("{sign}?{}", re.word("nan")));
    }
    alternatives.join("|")
}

/// An integer of any primitive type: a sign and a magnitude (`-0` is `0`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Int {
    negative: bool,
    magnitude: u128,
}

impl Int {
    fn new(negative: bool, magnitude: u128) -> Int {
        Int {
            negative: negative && magnitude != 0,
            magnitude,
        }
    }

    /// `text` as `str::parse` reads an integer of a type with these bounds (`-` refused
    /// for an unsigned one, even `-0`).
    pub(crate) fn parse(text: &str, min: i128, max: u128) -> Option<Int> {
        let value = match text.strip_prefix('-') {
            Some(_) if min >= 0 => return None,
            Some(_) => Int::new(true, text.parse::<i128>().ok()?.unsigned_abs()),
            None => Int::new(false, text.parse::<u128>().ok()?),
        };
        (Int::new(min < 0, min.unsigned_abs()) <= value && value <= Int::new(false, max))
            .then_some(value)
    }

    /// The integer just below.
    fn pred(self) -> Option<Int> {
        match (self.negative, self.magnitude) {
            (false, 0) => Some(Int::new(true, 1)),
            (false, m) => Some(Int::new(false, m - 1)),
            (true, m) => m.checked_add(1).map(|m| Int::new(true, m)),
        }
    }

    /// As a JSON number, when it fits `i64` or `u64`.
    pub(crate) fn to_json(self) -> Option<Value> {
        if self.negative {
            let magnitude = i64::try_from(self.magnitude).ok();
            magnitude
                .map(|m| json!(-m))
                .or_else(|| (self.magnitude == 1u128 << 63).then(|| json!(i64::MIN)))
        } else {
            u64::try_from(self.magnitude).ok().map(|m| json!(m))
        }
    }
}

impl std::fmt::Display for Int {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.negative { "-" } else { "" };
        write!(f, "{sign}{}", self.magnitude)
    }
}

impl PartialOrd for Int {
    fn partial_cmp(&self, other: &Int) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Int {
    fn cmp(&self, other: &Int) -> Ordering {
        match (self.negative, other.negative) {
            (false, false) => self.magnitude.cmp(&other.magnitude),
            (true, true) => other.magnitude.cmp(&self.magnitude),
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
        }
    }
}

/// The values of an integer rule within its `range`: `None` when none is left, or when a
/// bound does not parse as the type (the loader then fails every value).
pub(crate) fn integer_bounds(min: i128, max: u128, range: Option<&Bounds>) -> Option<(Int, Int)> {
    let mut lo = Int::new(min < 0, min.unsigned_abs());
    let mut hi = Int::new(false, max);
    if let Some(range) = range {
        if let Some(text) = range.min {
            lo = lo.max(Int::parse(text, min, max)?);
        }
        if let Some(text) = range.max {
            let bound = Int::parse(text, min, max)?;
            let bound = if range.max_inclusive {
                bound
            } else {
                bound.pred()?
            };
            hi = hi.min(bound);
        }
    }
    (lo <= hi).then_some((lo, hi))
}

/// The texts `str::parse` reads as an integer in `lo..=hi`: an optional `+` (or `-`, for a
/// signed type, `-0` included), any leading zeros, then the decimal digits of a value in
/// range.
pub(crate) fn integer(re: &Re, signed: bool, lo: Int, hi: Int) -> String {
    let zeros = format!("{}*", re.ch("0"));
    let mut alternatives = Vec::new();
    if !hi.negative {
        let from = if lo.negative { 0 } else { lo.magnitude };
        alternatives.push(format!(
            "{}?{zeros}{}",
            re.ch(r"\+"),
            any_of(&decimal_range(re, from, hi.magnitude))
        ));
    }
    if signed && (lo.negative || lo.magnitude == 0) {
        let from = if hi.negative { hi.magnitude } else { 0 };
        let to = if lo.negative { lo.magnitude } else { 0 };
        alternatives.push(format!(
            "{}{zeros}{}",
            re.ch("-"),
            any_of(&decimal_range(re, from, to))
        ));
    }
    alternatives.join("|")
}

/// The decimal digits, without leading zeros (`0` for zero), of every integer in
/// `from..=to`, as alternatives.
fn decimal_range(re: &Re, from: u128, to: u128) -> Vec<String> {
    let mut out = Vec::new();
    // A run of lengths whose every value is in range: `[1-9][0-9]{n,m}`.
    let mut whole: Option<(u32, u32)> = None;
    let flush = |whole: &mut Option<(u32, u32)>, out: &mut Vec<String>| {
        if let Some((first, last)) = whole.take() {
            let (first, last) = (first - 1, last - 1);
            let count = if first == last {
                format!("{{{first}}}")
            } else {
                format!("{{{first},{last}}}")
            };
            let tail = if last == 1 && first == 1 {
                re.digit()
            } else {
                format!("{}{count}", re.digit())
            };
            out.push(format!("{}{tail}", re.digits(b"123456789")));
        }
    };
    let mut low = from;
    loop {
        let digits = low.checked_ilog10().unwrap_or(0) + 1;
        // The largest value of this many digits (`u128::MAX` has 39 digits, and not all 9s).
        let top = 10u128.checked_pow(digits).map(|p| p - 1);
        let high = top.unwrap_or(u128::MAX).min(to);
        if digits >= 2 && low == 10u128.pow(digits - 1) && Some(high) == top {
            whole = match whole {
                Some((first, _)) => Some((first, digits)),
                None => Some((digits, digits)),
            };
        } else {
            flush(&mut whole, &mut out);
            out.extend(same_length(
                re,
                low.to_string().as_bytes(),
                high.to_string().as_bytes(),
            ));
        }
        if high == to {
            break;
        }
        low = high + 1;
    }
    flush(&mut whole, &mut out);
    out
}

/// The digit strings of one length from `lo` to `hi`, as alternatives.
fn same_length(re: &Re, lo: &[u8], hi: &[u8]) -> Vec<String> {
    let (Some(&a), Some(&b)) = (lo.first(), hi.first()) else {
        return vec![String::new()];
    };
    let rest = lo.len() - 1;
    if a == b {
        let tails = same_length(re, &lo[1..], &hi[1..]);
        return vec![format!("{}{}", re.digits(&[a]), any_of(&tails))];
    }
    let mut out = Vec::new();
    let (mut first, mut last) = (a, b);
    if lo[1..].iter().any(|d| *d != b'0') {
        let tails = same_length(re, &lo[1..], &vec![b'9'; rest]);
        out.push(format!("{}{}", re.digits(&[a]), any_of(&tails)));
        first += 1;
    }
    let mut upper = None;
    if hi[1..].iter().any(|d| *d != b'9') {
        let tails = same_length(re, &vec![b'0'; rest], &hi[1..]);
        upper = Some(format!("{}{}", re.digits(&[b]), any_of(&tails)));
        last -= 1;
    }
    if first <= last {
        let set: Vec<u8> = (first..=last).collect();
        out.push(format!("{}{}", re.digits(&set), re.any_digits(rest)));
    }
    out.extend(upper);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(text: &str) -> Int {
        Int::parse(text, i128::MIN, u128::MAX).unwrap()
    }

    #[test]
    fn decimal_ranges_are_compact() {
        let re = Re::plain();
        let range = |from, to| decimal_range(&re, from, to).join("|");
        assert_eq!(
            range(0, 65535),
            "[0-9]|[1-9][0-9]{1,3}|[1-5][0-9]{4}|6(?:[0-4][0-9]{3}|5(?:[0-4][0-9]{2}|5(?:[0-2][0-9]|3[0-5])))"
        );
        assert_eq!(range(1, 65535).split('|').next(), Some("[1-9]"));
        assert_eq!(
            range(0, 255),
            "[0-9]|[1-9][0-9]|1[0-9]{2}|2(?:[0-4][0-9]|5[0-5])"
        );
        assert_eq!(range(128, 128), "128");
        assert_eq!(range(10, 99), "[1-9][0-9]");
        assert_eq!(range(7, 12), "[7-9]|1[0-2]");
        // `u128::MAX` (340282366920938463463374607431768211455) has 39 digits, not all 9s.
        assert!(
            range(0, u128::MAX)
                .starts_with("[0-9]|[1-9][0-9]{1,37}|[12][0-9]{38}|3(?:[0-3][0-9]{37}|40(?:"),
            "{}",
            range(0, u128::MAX)
        );
    }

    #[test]
    fn integer_patterns_follow_sign_and_bounds() {
        let re = Re::plain();
        let i8s = integer_bounds(-128, 127, None).unwrap();
        assert_eq!(
            integer(&re, true, i8s.0, i8s.1),
            r"\+?0*(?:[0-9]|[1-9][0-9]|1(?:[01][0-9]|2[0-7]))|-0*(?:[0-9]|[1-9][0-9]|1(?:[01][0-9]|2[0-8]))"
        );
        let range = Bounds {
            min: Some("1"),
            max: Some("10"),
            max_inclusive: false,
        };
        let (lo, hi) = integer_bounds(0, 255, Some(&range)).unwrap();
        assert_eq!((lo, hi), (int("1"), int("9")));
        assert_eq!(integer(&re, false, lo, hi), r"\+?0*[1-9]");
        // A bound that is not a `u8` fails every value, as in the loader.
        let bad = Bounds {
            min: Some("-1"),
            max: None,
            max_inclusive: true,
        };
        assert_eq!(integer_bounds(0, 255, Some(&bad)), None);
        let empty = Bounds {
            min: Some("5"),
            max: Some("5"),
            max_inclusive: false,
        };
        assert_eq!(integer_bounds(0, 255, Some(&empty)), None);
        assert!(int("-0") == int("0") && int("-1") < int("0") && int("-2") < int("-1"));
        assert_eq!(Int::parse("-0", 0, 255), None);
        assert_eq!(Int::parse("+7", 0, 255), Some(int("7")));
        assert_eq!(Int::parse("256", 0, 255), None);
        assert_eq!(int("-9223372036854775808").to_json(), Some(json!(i64::MIN)));
        assert_eq!(int("18446744073709551616").to_json(), None);
    }
}

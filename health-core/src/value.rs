//! How a raw variable value becomes a typed value.
//!
//! Each parser takes the raw value (`&OsStr`; [`string`] takes a `Cow<OsStr>` so that it can
//! keep an owned buffer) and returns the value or a [`ValueError`] carrying a stable code
//! (`invalid` or `not_unicode`) and a short message. The derive picks the parser from the
//! field's type and attributes; the functions are public so that a hand-written loader or a
//! `parse_with` function can reuse them.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::fmt::Display;
use std::str::FromStr;
use std::time::Duration;

use crate::status::Code;

/// Why a value could not be parsed.
///
/// The message may quote the value, so it is dropped for secret fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueError {
    code: Code,
    message: String,
}

impl Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ValueError {}

impl ValueError {
    /// A value that did not parse (code `invalid`).
    pub fn invalid(message: impl Display) -> ValueError {
        ValueError {
            code: Code::INVALID,
            message: message.to_string(),
        }
    }

    /// A value that is not UTF-8 where text is needed (code `not_unicode`).
    pub fn not_unicode() -> ValueError {
        ValueError {
            code: Code::NOT_UNICODE,
            message: "value is not valid UTF-8".to_owned(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> &Code {
        &self.code
    }

    /// The parser's message (may quote the value).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error of a list's item `index` (from 0), named `item N` from 1.
    fn at_item(self, index: usize) -> ValueError {
        ValueError {
            code: self.code,
            message: format!("item {}: {}", index + 1, self.message),
        }
    }
}

/// Types that parse from a variable's text through [`FromStr`].
///
/// Implemented for every `FromStr` type whose error implements `Display`; it exists so that
/// a field whose type cannot be read gets an error message that says what to do.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from an environment variable",
    label = "this field's type implements neither `FromStr` (with a `Display` error) nor a built-in rule",
    note = "implement `FromStr` for `{Self}`, or add `#[contract(deserialize)]` to read it through its serde `Deserialize`, or `#[contract(parse_with = path)]` with a `fn(&str) -> Result<{Self}, E>`",
    note = "for a nested config struct, add `#[contract(nested)]`"
)]
pub trait FromStrValue: Sized {
    /// Parses the text of a value.
    fn from_str_value(text: &str) -> Result<Self, String>;
}

#[diagnostic::do_not_recommend]
impl<T> FromStrValue for T
where
    T: FromStr,
    T::Err: Display,
{
    fn from_str_value(text: &str) -> Result<Self, String> {
        text.parse().map_err(|e: T::Err| e.to_string())
    }
}

/// The value as UTF-8 text, or `not_unicode`.
#[inline]
pub fn text(raw: &OsStr) -> Result<&str, ValueError> {
    raw.to_str().ok_or_else(ValueError::not_unicode)
}

/// Any `FromStr` type.
#[inline]
pub fn from_str<T: FromStrValue>(raw: &OsStr) -> Result<T, ValueError> {
    T::from_str_value(text(raw)?).map_err(ValueError::invalid)
}

/// A primitive integer type (`u16`, `i64`...), with its bounds: what [`integer`] names when a
/// value does not fit.
pub trait Integer: FromStr {
    /// The type's `MIN`.
    const MIN: i128;
    /// The type's `MAX`.
    const MAX: u128;
}

macro_rules! integers {
    ($($t:ty)*) => {$(
        impl Integer for $t {
            const MIN: i128 = <$t>::MIN as i128;
            const MAX: u128 = <$t>::MAX as u128;
        }
    )*};
}
integers!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

/// A type a variable is read into by a built-in rule, the one the derive picks for the same
/// type: what [`Loaded::value`](crate::Loaded::value) parses with.
///
/// Implemented for the primitive integers ([`integer`]), floats and addresses ([`from_str`]),
/// `bool` ([`bool()`]), `Duration` ([`duration`]), `String` ([`string`]), `PathBuf` and
/// `OsString` ([`os_string`]).
pub trait Value: Sized {
    /// Parses one raw value.
    fn parse(raw: Cow<'_, OsStr>) -> Result<Self, ValueError>;
}

macro_rules! values {
    ($rule:ident: $($t:ty)*) => {$(
        impl Value for $t {
            fn parse(raw: Cow<'_, OsStr>) -> Result<$t, ValueError> {
                $rule(&raw)
            }
        }
    )*};
}
values!(integer: i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);
values!(from_str: f32 f64 std::net::IpAddr std::net::Ipv4Addr std::net::Ipv6Addr std::net::SocketAddr);
values!(bool: bool);
values!(duration: Duration);
values!(os_string: std::path::PathBuf OsString);

impl Value for String {
    fn parse(raw: Cow<'_, OsStr>) -> Result<String, ValueError> {
        string(raw)
    }
}

/// A primitive integer; a value that is not one, or does not fit, is named with the type's
/// range: `must be an integer from 0 to 65535`.
pub fn integer<T: Integer>(raw: &OsStr) -> Result<T, ValueError> {
    text(raw)?.parse().map_err(|_| {
        ValueError::invalid(format_args!(
            "must be an integer from {} to {}",
            T::MIN,
            T::MAX
        ))
    })
}

/// A boolean: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, in any case, surrounding
/// whitespace ignored.
pub fn bool(raw: &OsStr) -> Result<bool, ValueError> {
    let text = text(raw)?.trim();
    const TRUE: [&str; 4] = ["true", "1", "yes", "on"];
    const FALSE: [&str; 4] = ["false", "0", "no", "off"];
    if TRUE.iter().any(|t| t.eq_ignore_ascii_case(text)) {
        Ok(true)
    } else if FALSE.iter().any(|f| f.eq_ignore_ascii_case(text)) {
        Ok(false)
    } else {
        Err(ValueError::invalid(
            "expected true/false, 1/0, yes/no or on/off",
        ))
    }
}

/// A duration in humantime form: `250ms`, `5s`, `1m 30s`, `2h`. A value that is not one says
/// what one looks like.
pub fn duration(raw: &OsStr) -> Result<Duration, ValueError> {
    use humantime::DurationError as Error;
    const LOOKS_LIKE: &str = "a duration looks like `250ms`, `2s` or `1h 30m`";
    humantime::parse_duration(text(raw)?.trim()).map_err(|error| {
        ValueError::invalid(match error {
            Error::UnknownUnit { unit, .. } if unit.is_empty() => {
                format!("a number needs a unit: {LOOKS_LIKE}")
            }
            Error::UnknownUnit { unit, .. } => format!("unknown unit `{unit}`: {LOOKS_LIKE}"),
            Error::NumberOverflow => "too large for a duration".to_owned(),
            _ => format!("not a duration: {LOOKS_LIKE}"),
        })
    })
}

/// A `String`, taking the value's buffer when it is owned (no copy).
#[inline]
pub fn string(raw: Cow<'_, OsStr>) -> Result<String, ValueError> {
    raw.into_owned()
        .into_string()
        .map_err(|_| ValueError::not_unicode())
}

/// A type built `From<String>`, such as `secrecy::SecretString`.
pub fn from_string<T: From<String>>(raw: &OsStr) -> Result<T, ValueError> {
    Ok(T::from(text(raw)?.to_owned()))
}

/// A type built from the raw value as it is, UTF-8 or not (`PathBuf`, `OsString`).
pub fn os_string<T: From<OsString>>(raw: &OsStr) -> Result<T, ValueError> {
    Ok(T::from(raw.to_os_string()))
}

/// A value parsed by a function of the user's (`#[contract(parse_with = path)]`).
pub fn parse_with<T, E: Display>(
    raw: &OsStr,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, ValueError> {
    parse(text(raw)?).map_err(ValueError::invalid)
}

/// A value read through its serde `Deserialize` with envy's rules for one variable
/// (`#[contract(deserialize)]`): enums by variant name, numbers, bools, comma lists.
#[cfg(feature = "serde")]
pub fn deserialize<T: serde::de::DeserializeOwned>(raw: &OsStr) -> Result<T, ValueError> {
    #[derive(serde::Deserialize)]
    struct One<T> {
        v: T,
    }
    let pair = ("V".to_owned(), text(raw)?.to_owned());
    envy::from_iter::<_, One<T>>([pair])
        .map(|one| one.v)
        .map_err(ValueError::invalid)
}

/// The items of a list's text: split on `separator`, each trimmed, empty ones skipped (the
/// list parser's reading, shared with the `one_of` and `len` constraints). An empty
/// separator (which the derive refuses) does not split.
pub(crate) fn parts<'a>(text: &'a str, separator: &'a str) -> Parts<'a> {
    // A one-character separator splits on the char: cheaper than a substring search.
    let mut chars = separator.chars();
    let separator = match (chars.next(), chars.next()) {
        (None, _) => Separator::Nothing,
        (Some(c), None) => Separator::Char(c),
        _ => Separator::Str(separator),
    };
    Parts {
        rest: Some(text),
        separator,
    }
}

/// The iterator of [`parts`]: a plain loop over `split_once`, which a list's parser calls
/// once per item.
pub(crate) struct Parts<'a> {
    /// The text not split yet; `None` once the last item is out.
    rest: Option<&'a str>,
    separator: Separator<'a>,
}

enum Separator<'a> {
    Nothing,
    Char(char),
    Str(&'a str),
}

impl<'a> Iterator for Parts<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        loop {
            let rest = self.rest?;
            let split = match self.separator {
                Separator::Nothing => None,
                Separator::Char(c) => rest.split_once(c),
                Separator::Str(separator) => rest.split_once(separator),
            };
            let part = match split {
                Some((part, after)) => {
                    self.rest = Some(after);
                    part
                }
                None => {
                    self.rest = None;
                    rest
                }
            }
            .trim();
            if !part.is_empty() {
                return Some(part);
            }
        }
    }
}

/// A list split on `separator` (`#[contract(split = ",")]`), each item trimmed and parsed by
/// `item`. Empty items are skipped, so `a,b,` and `a, b` both give two items.
pub fn list<T>(
    raw: &OsStr,
    separator: &str,
    item: impl Fn(Cow<'_, OsStr>) -> Result<T, ValueError>,
) -> Result<Vec<T>, ValueError> {
    let mut items = Vec::new();
    for (index, part) in parts(text(raw)?, separator).enumerate() {
        match item(Cow::Borrowed(OsStr::new(part))) {
            Ok(value) => items.push(value),
            Err(error) => return Err(error.at_item(index)),
        }
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[cfg(unix)]
    fn non_utf8() -> OsString {
        use std::os::unix::ffi::OsStringExt;
        OsString::from_vec(vec![b'/', b't', 0xff, 0xfe])
    }

    fn os_str(s: &str) -> &OsStr {
        OsStr::new(s)
    }

    #[test]
    fn from_str_parses_and_names_the_parse_error() {
        assert_eq!(from_str::<u16>(os_str("8000")), Ok(8000));
        let err = from_str::<u16>(os_str("70000")).unwrap_err();
        assert_eq!(err.code(), &Code::INVALID);
        assert_eq!(err.message(), "number too large to fit in target type");
        let err = from_str::<u16>(os_str("")).unwrap_err();
        assert_eq!(err.message(), "cannot parse integer from empty string");
    }

    #[test]
    fn integers_name_their_type_range() {
        assert_eq!(integer::<u16>(os_str("8000")), Ok(8000));
        assert_eq!(integer::<i8>(os_str("-128")), Ok(-128));
        for bad in ["70000", "-1", "eighty", "", "1.5"] {
            let err = integer::<u16>(os_str(bad)).unwrap_err();
            assert_eq!(err.code(), &Code::INVALID);
            assert_eq!(err.message(), "must be an integer from 0 to 65535", "{bad}");
        }
        let err = integer::<i64>(os_str("x")).unwrap_err();
        assert_eq!(
            err.message(),
            "must be an integer from -9223372036854775808 to 9223372036854775807"
        );
        let err = integer::<u128>(os_str("x")).unwrap_err();
        assert_eq!(
            err.message(),
            format!("must be an integer from 0 to {}", u128::MAX)
        );
    }

    #[test]
    fn bools_accept_the_usual_spellings_in_any_case() {
        for t in ["true", "TRUE", "1", "yes", "Yes", "on", "ON", " on "] {
            assert_eq!(bool(os_str(t)), Ok(true), "{t}");
        }
        for f in ["false", "False", "0", "no", "NO", "off", "Off"] {
            assert_eq!(bool(os_str(f)), Ok(false), "{f}");
        }
        for bad in ["", "2", "y", "enabled", "truee"] {
            assert_eq!(
                bool(os_str(bad)).unwrap_err().code(),
                &Code::INVALID,
                "{bad}"
            );
        }
    }

    #[test]
    fn durations_use_humantime() {
        assert_eq!(duration(os_str("250ms")), Ok(Duration::from_millis(250)));
        assert_eq!(duration(os_str("5s")), Ok(Duration::from_secs(5)));
        assert_eq!(duration(os_str("1m")), Ok(Duration::from_secs(60)));
        assert_eq!(duration(os_str("1m 30s")), Ok(Duration::from_secs(90)));
        assert_eq!(duration(os_str("1h 30m")), Ok(Duration::from_secs(5400)));
    }

    #[test]
    fn a_bad_duration_says_what_one_looks_like() {
        let message = |text| {
            let err = duration(os_str(text)).unwrap_err();
            assert_eq!(err.code(), &Code::INVALID);
            err.message().to_owned()
        };
        let looks_like = "a duration looks like `250ms`, `2s` or `1h 30m`";
        assert_eq!(message("5"), format!("a number needs a unit: {looks_like}"));
        assert_eq!(
            message("5 parsecs"),
            format!("unknown unit `parsecs`: {looks_like}")
        );
        for bad in ["", "soon", "s5", "1h-"] {
            assert_eq!(
                message(bad),
                format!("not a duration: {looks_like}"),
                "{bad}"
            );
        }
        assert_eq!(message("99999999999999999999s"), "too large for a duration");
    }

    #[test]
    fn lists_trim_items_skip_empty_ones_and_name_the_bad_item() {
        let items: Vec<u8> = list(os_str(" 1, 2,,3 ,"), ",", |raw| from_str(&raw)).unwrap();
        assert_eq!(items, [1, 2, 3]);
        let items: Vec<String> = list(os_str("a|b"), "|", |raw| from_str(&raw)).unwrap();
        assert_eq!(items, ["a", "b"]);
        let err = list::<u8>(os_str("1,x"), ",", |raw| from_str(&raw)).unwrap_err();
        assert_eq!(err.code(), &Code::INVALID);
        assert_eq!(err.message(), "item 2: invalid digit found in string");
        assert_eq!(
            list::<u8>(os_str(""), ",", |raw| from_str(&raw)),
            Ok(vec![])
        );
    }

    #[test]
    fn parts_split_on_a_char_a_string_or_nothing() {
        let split = |text, separator| parts(text, separator).collect::<Vec<_>>();
        assert_eq!(split(" a ; b;;c ", ";"), ["a", "b", "c"]);
        assert_eq!(split("a::b:c::", "::"), ["a", "b:c"]);
        assert_eq!(split("é→ü→ ", "→"), ["é", "ü"]);
        assert_eq!(split(" a,b ", ""), ["a,b"]);
        assert_eq!(split(" , ,", ","), Vec::<&str>::new());
        assert_eq!(split("", "::"), Vec::<&str>::new());
    }

    #[test]
    fn empty_values_reach_the_parser_as_they_are() {
        assert_eq!(from_str::<String>(os_str("")), Ok(String::new()));
        assert_eq!(os_string::<PathBuf>(os_str("")), Ok(PathBuf::new()));
    }

    #[cfg(unix)]
    #[test]
    fn non_utf8_is_kept_for_os_types_and_named_for_text_types() {
        let raw = non_utf8();
        assert_eq!(os_string::<PathBuf>(&raw), Ok(PathBuf::from(raw.clone())));
        assert_eq!(os_string::<OsString>(&raw), Ok(raw.clone()));
        for err in [
            from_str::<String>(&raw).unwrap_err(),
            bool(&raw).unwrap_err(),
            duration(&raw).unwrap_err(),
            #[cfg(feature = "serde")]
            deserialize::<String>(&raw).unwrap_err(),
            parse_with(&raw, |s| Ok::<_, String>(s.len())).unwrap_err(),
            list::<String>(&raw, ",", |raw| from_str(&raw)).unwrap_err(),
        ] {
            assert_eq!(err.code(), &Code::NOT_UNICODE);
        }
    }

    #[cfg(feature = "serde")]
    #[test]
    fn deserialize_uses_envy_value_rules() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Level {
            Debug,
            Info,
        }
        assert_eq!(deserialize::<Level>(os_str("info")), Ok(Level::Info));
        assert_eq!(deserialize::<u8>(os_str("7")), Ok(7));
        assert_eq!(deserialize::<Vec<u8>>(os_str("1,2")), Ok(vec![1, 2]));
        let err = deserialize::<Level>(os_str("loud")).unwrap_err();
        assert_eq!(err.code(), &Code::INVALID);
        assert!(err.message().contains("unknown variant `loud`"), "{err}");
        let _ = Level::Debug;
    }

    #[test]
    fn parse_with_passes_the_function_error_through() {
        let err = parse_with(os_str("x"), |_| Err::<u8, _>("not a level")).unwrap_err();
        assert_eq!(err.message(), "not a level");
        assert_eq!(
            parse_with(os_str("ab"), |s| Ok::<_, String>(s.len())),
            Ok(2)
        );
    }
}

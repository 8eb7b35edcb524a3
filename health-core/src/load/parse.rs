//! The parsers the generated code passes to the [`Loader`](super::Loader): the `value`
//! rules in one shape, `fn(Cow<OsStr>) -> Result<T, ValueError>`, taking the value's buffer
//! where the type can (`String`, `PathBuf`, `SecretString`): no copy.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::time::Duration;

use super::{Loader, ReadinessContract};
use crate::contract::Contract;
use crate::value::{self, FromStrValue, Integer, ValueError};

/// Any `FromStr` type (integers, floats, `Url`...).
#[inline]
pub fn from_str<T: FromStrValue>(raw: Cow<'_, OsStr>) -> Result<T, ValueError> {
    value::from_str(&raw)
}

/// [`value::integer`]: a primitive integer, whose error names the type's range.
#[inline]
pub fn integer<T: Integer>(raw: Cow<'_, OsStr>) -> Result<T, ValueError> {
    value::integer(&raw)
}

/// [`value::bool`].
#[inline]
pub fn bool(raw: Cow<'_, OsStr>) -> Result<bool, ValueError> {
    value::bool(&raw)
}

/// [`value::duration`].
#[inline]
pub fn duration(raw: Cow<'_, OsStr>) -> Result<Duration, ValueError> {
    value::duration(&raw)
}

/// [`value::string`].
#[inline]
pub fn string(raw: Cow<'_, OsStr>) -> Result<String, ValueError> {
    value::string(raw)
}

/// A type built `From<String>` (`secrecy::SecretString`), given the value's buffer.
#[inline]
pub fn from_string<T: From<String>>(raw: Cow<'_, OsStr>) -> Result<T, ValueError> {
    value::string(raw).map(T::from)
}

/// A type built from the raw value as it is, UTF-8 or not (`PathBuf`, `OsString`).
#[inline]
pub fn os_string<T: From<OsString>>(raw: Cow<'_, OsStr>) -> Result<T, ValueError> {
    Ok(T::from(raw.into_owned()))
}

/// [`value::deserialize`] (`#[contract(deserialize)]`).
#[cfg(feature = "serde")]
pub fn deserialize<T: serde::de::DeserializeOwned>(raw: Cow<'_, OsStr>) -> Result<T, ValueError> {
    value::deserialize(&raw)
}

/// Without the `serde` feature, `#[contract(deserialize)]` is a compile error naming it.
#[cfg(not(feature = "serde"))]
pub fn deserialize<T: SerdeFeature>(_: Cow<'_, OsStr>) -> Result<T, ValueError> {
    Err(ValueError::invalid("the `serde` feature is off"))
}

/// Implemented for no type: what `#[contract(deserialize)]` asks for without the `serde`
/// feature, so the error says which feature to turn on.
#[cfg(not(feature = "serde"))]
#[diagnostic::on_unimplemented(
    message = "`#[contract(deserialize)]` needs the `serde` feature of `health-contract`",
    label = "read through serde's `Deserialize`",
    note = "turn it on: `health-contract = {{ version = \"0.1\", features = [\"serde\"] }}`"
)]
pub trait SerdeFeature {}

/// A `#[contract(nested)]` field's type: a config struct deriving `ReadinessContract`. The
/// derive reaches the nested contract and loader through it, so that a type which does not
/// derive gets one error that says to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a `#[contract(nested)]` field, so it must derive `ReadinessContract`",
    label = "a nested config struct",
    note = "add `#[derive(ReadinessContract)]` to `{Self}`, or remove `nested` to read the field from one variable"
)]
pub trait Nested: Sized {
    /// The nested struct's contract.
    const NESTED: &'static Contract;

    /// Loads the nested struct under the field `ident`'s `prefix`.
    fn load_nested(
        loader: &mut Loader<'_>,
        ident: &'static str,
        prefix: &'static str,
    ) -> Option<Self>;
}

#[diagnostic::do_not_recommend]
impl<C: ReadinessContract> Nested for C {
    const NESTED: &'static Contract = C::CONTRACT;

    #[inline]
    fn load_nested(
        loader: &mut Loader<'_>,
        ident: &'static str,
        prefix: &'static str,
    ) -> Option<C> {
        loader.nested::<C>(ident, prefix)
    }
}

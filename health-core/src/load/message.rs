//! The loader's failure messages: withheld for a secret, cut when long, old names quoted,
//! and the message of a default that breaks its field's constraints.

use crate::contract::VarSpec;
use crate::status::Code;

/// Longest parser or validator message kept; longer ones are cut (values can be huge).
const MAX_MESSAGE: usize = 200;

/// The message for a secret field: the code alone, since parser and validator messages may
/// quote the value.
pub(super) fn withheld(code: &Code) -> String {
    format!("{code} (details withheld: secret)")
}

pub(super) fn truncate(mut message: String) -> String {
    if message.len() > MAX_MESSAGE {
        let mut cut = MAX_MESSAGE;
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        message.truncate(cut);
        message.push('…');
    }
    message
}

/// `` `A`, `B` and `C` ``.
pub(super) fn quoted(names: &[String]) -> String {
    let mut out = String::new();
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == names.len() { " and " } else { ", " });
        }
        out.push('`');
        out.push_str(name);
        out.push('`');
    }
    out
}

/// A default that breaks a constraint: `invalid_default`, for the fix is in the code. A
/// literal default is checked at compile time; this is a typed expression's or a `FromStr`
/// type's.
pub(super) fn default_breaks(spec: &VarSpec, rule: &str) -> (Code, String) {
    let message = match spec.default() {
        Some(shown) => format!("default `{shown}` breaks the contract: {rule}"),
        None => format!("the default breaks the contract: {rule}"),
    };
    (Code::INVALID_DEFAULT, message)
}

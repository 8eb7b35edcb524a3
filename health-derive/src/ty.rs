//! Reading a field's type: `Option<T>`, `Vec<T>` and the names with built-in parsing rules.

use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

/// The last path segment's name of a plain path type: `Duration` for `std::time::Duration`.
pub fn last_ident(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) if path.qself.is_none() => {
            path.path.segments.last().map(|s| s.ident.to_string())
        }
        Type::Group(group) => last_ident(&group.elem),
        Type::Paren(paren) => last_ident(&paren.elem),
        _ => None,
    }
}

/// `T` of `wrapper<T>` when `ty` is that wrapper with one type argument.
fn generic_inner<'a>(ty: &'a Type, wrapper: &str) -> Option<&'a Type> {
    let Type::Path(path) = ty else {
        return match ty {
            Type::Group(group) => generic_inner(&group.elem, wrapper),
            _ => None,
        };
    };
    let segment = path.path.segments.last()?;
    if path.qself.is_some() || segment.ident != wrapper {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    let mut types = args.args.iter().filter_map(|arg| match arg {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    });
    let inner = types.next()?;
    types.next().is_none().then_some(inner)
}

/// `T` of `Setting<T>` (`health::Setting`: a value and whether it was set or defaulted).
pub fn setting_inner(ty: &Type) -> Option<&Type> {
    generic_inner(ty, "Setting")
}

/// `T` of `Option<T>`.
pub fn option_inner(ty: &Type) -> Option<&Type> {
    generic_inner(ty, "Option")
}

/// `T` of `Vec<T>`.
pub fn vec_inner(ty: &Type) -> Option<&Type> {
    generic_inner(ty, "Vec")
}

/// The built-in rule a scalar type is parsed with, by its name.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// `bool`: true/false, 1/0, yes/no, on/off.
    Bool,
    /// `Duration`: humantime.
    Duration,
    /// `PathBuf`, `OsString`: the raw value, UTF-8 or not.
    Os,
    /// `String`: the value's own buffer when it is owned.
    String,
    /// `SecretString` (the `secrecy` crate's): built `From<String>`, always secret.
    Secret,
    /// A primitive integer, so a string default can be checked at compile time.
    Integer,
    /// A primitive float.
    Float,
    /// Anything else: `FromStr`.
    FromStr,
}

impl Builtin {
    /// The rule for a type, by its last path segment.
    pub fn of(ty: &Type) -> Builtin {
        match last_ident(ty).as_deref() {
            Some("bool") => Builtin::Bool,
            Some("Duration") => Builtin::Duration,
            Some("PathBuf" | "OsString") => Builtin::Os,
            Some("SecretString") => Builtin::Secret,
            Some("String") => Builtin::String,
            Some(
                "u8" | "u16" | "u32" | "u64" | "u128" | "usize" | "i8" | "i16" | "i32" | "i64"
                | "i128" | "isize",
            ) => Builtin::Integer,
            Some("f32" | "f64") => Builtin::Float,
            _ => Builtin::FromStr,
        }
    }
}

/// The type as a user wrote it, without the spaces token printing adds:
/// `Option<url::Url>`, `&'static str`, `Vec<(u8, u8)>`.
pub fn display(ty: &Type) -> String {
    let text = ty.to_token_stream().to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != ' ' {
            out.push(c);
            continue;
        }
        let before = out.chars().last().unwrap_or(' ');
        let after = chars.peek().copied().unwrap_or(' ');
        let word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'' || c == ')';
        if (word(before) && word(after))
            || before == ','
            || before == ';'
            || (before == ']' && word(after))
        {
            out.push(' ');
        }
    }
    out.replace("->", " -> ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> Type {
        syn::parse_str(s).unwrap()
    }

    #[test]
    fn displays_types_as_written() {
        for s in [
            "String",
            "Option<url::Url>",
            "std::time::Duration",
            "Vec<String>",
            "&'static str",
            "Vec<(u8, u16)>",
            "HashMap<String, Vec<u8>>",
            "[u8; 4]",
            "dyn Fn(u8) -> u8",
        ] {
            assert_eq!(display(&ty(s)), s);
        }
    }

    #[test]
    fn spots_wrappers_and_builtins() {
        assert!(option_inner(&ty("Option<u8>")).is_some());
        assert!(option_inner(&ty("std::option::Option<u8>")).is_some());
        assert!(option_inner(&ty("Vec<u8>")).is_none());
        assert!(vec_inner(&ty("Vec<String>")).is_some());
        assert!(Builtin::of(&ty("std::time::Duration")) == Builtin::Duration);
        assert!(Builtin::of(&ty("bool")) == Builtin::Bool);
        assert!(Builtin::of(&ty("std::path::PathBuf")) == Builtin::Os);
        assert!(Builtin::of(&ty("u16")) == Builtin::Integer);
        assert!(Builtin::of(&ty("url::Url")) == Builtin::FromStr);
    }
}

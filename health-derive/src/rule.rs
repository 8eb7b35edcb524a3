//! Parses the rules between variables written on the struct:
//!
//! ```text
//! #[contract(requires(tls_cert => tls_key))]
//! #[contract(conflicts(database_url => database_host, database_port))]
//! #[contract(exactly_one_of(a, b))]  // at_most_one_of, at_least_one_of
//! #[contract(required_if(mode == "tls", cert, key))]
//! #[contract(check(tls_pair, reads(cert, key)))]
//! ```
//!
//! Members are field identifiers, resolved (with their spans) by the rules' checks.

use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Ident, Lit, Path, Token};

/// What a rule asks (the derive's mirror of the runtime's `RuleKind`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    Requires,
    Conflicts,
    ExactlyOneOf,
    AtMostOneOf,
    AtLeastOneOf,
    RequiredIf,
    Check,
}

impl RuleKind {
    /// The kind a struct key names, if it names one.
    pub fn from_key(key: &Ident) -> Option<RuleKind> {
        Some(match key.to_string().as_str() {
            "requires" => RuleKind::Requires,
            "conflicts" => RuleKind::Conflicts,
            "exactly_one_of" => RuleKind::ExactlyOneOf,
            "at_most_one_of" => RuleKind::AtMostOneOf,
            "at_least_one_of" => RuleKind::AtLeastOneOf,
            "required_if" => RuleKind::RequiredIf,
            "check" => RuleKind::Check,
            _ => return None,
        })
    }

    /// The runtime's variant name.
    pub fn variant(self) -> &'static str {
        match self {
            RuleKind::Requires => "Requires",
            RuleKind::Conflicts => "Conflicts",
            RuleKind::ExactlyOneOf => "ExactlyOneOf",
            RuleKind::AtMostOneOf => "AtMostOneOf",
            RuleKind::AtLeastOneOf => "AtLeastOneOf",
            RuleKind::RequiredIf => "RequiredIf",
            RuleKind::Check => "Check",
        }
    }

    /// Whether the rule is a group of alternatives (`exactly_one_of` and its kin).
    pub fn is_one_of(self) -> bool {
        matches!(
            self,
            RuleKind::ExactlyOneOf | RuleKind::AtMostOneOf | RuleKind::AtLeastOneOf
        )
    }
}

/// One rule as written.
pub struct RuleAttr {
    pub kind: RuleKind,
    /// The key (`requires`), for spans.
    pub key: Ident,
    /// The fields named, in order (`requires`, `conflicts`: the trigger first; `check`: the
    /// fields it reads).
    pub members: Vec<Ident>,
    /// `required_if`: the field compared and the value.
    pub condition: Option<(Ident, Lit)>,
    /// `check`: the function.
    pub function: Option<Path>,
}

impl RuleAttr {
    /// Parses the parenthesized part after `key`.
    pub fn parse(kind: RuleKind, key: &Ident, input: ParseStream) -> syn::Result<RuleAttr> {
        parens(input, |content| RuleAttr::parse_inside(kind, key, content))
    }

    fn parse_inside(kind: RuleKind, key: &Ident, content: ParseStream) -> syn::Result<RuleAttr> {
        let mut rule = RuleAttr {
            kind,
            key: key.clone(),
            members: Vec::new(),
            condition: None,
            function: None,
        };
        let usage = usage(kind);
        let wrap = |e: syn::Error| syn::Error::new(e.span(), format!("`{key}` expects {usage}"));
        match kind {
            RuleKind::Requires | RuleKind::Conflicts => {
                let trigger: Ident = content.parse().map_err(wrap)?;
                content.parse::<Token![=>]>().map_err(wrap)?;
                rule.members.push(trigger);
                rule.members.extend(idents(content).map_err(wrap)?);
            }
            RuleKind::ExactlyOneOf | RuleKind::AtMostOneOf | RuleKind::AtLeastOneOf => {
                rule.members.extend(idents(content).map_err(wrap)?);
            }
            RuleKind::RequiredIf => {
                let field: Ident = content.parse().map_err(wrap)?;
                content.parse::<Token![==]>().map_err(wrap)?;
                let value: Lit = content.parse().map_err(wrap)?;
                content.parse::<Token![,]>().map_err(wrap)?;
                rule.condition = Some((field, value));
                rule.members.extend(idents(content).map_err(wrap)?);
            }
            RuleKind::Check => {
                rule.function = Some(content.parse().map_err(wrap)?);
                content.parse::<Token![,]>().map_err(wrap)?;
                let reads: Ident = content.parse().map_err(wrap)?;
                if reads != "reads" {
                    return Err(syn::Error::new(
                        reads.span(),
                        format!("`{key}` expects {usage}"),
                    ));
                }
                rule.members.extend(parens(content, idents).map_err(wrap)?);
                if !content.is_empty() {
                    return Err(content.error(format!("`{key}` expects {usage}")));
                }
            }
        }
        Ok(rule)
    }
}

/// The parenthesized group next in `input`, read by `parse`. On failure the rest of the group
/// is read too: a group left unread adds an "unexpected token" error of its own.
pub fn parens<T>(
    input: ParseStream,
    parse: impl FnOnce(ParseStream) -> syn::Result<T>,
) -> syn::Result<T> {
    let content;
    syn::parenthesized!(content in input);
    let parsed = parse(&content);
    if parsed.is_err() {
        let _: proc_macro2::TokenStream = content.parse()?;
    }
    parsed
}

/// Field identifiers separated by commas, to the end of the input; at least one.
pub fn idents(input: ParseStream) -> syn::Result<Vec<Ident>> {
    let list = Punctuated::<Ident, Token![,]>::parse_terminated(input)?;
    if list.is_empty() {
        return Err(input.error("expected a field name"));
    }
    Ok(list.into_iter().collect())
}

/// How a rule is written, for its error messages.
fn usage(kind: RuleKind) -> &'static str {
    match kind {
        RuleKind::Requires => {
            "a field, `=>` and the fields it needs: `requires(tls_cert => tls_key)`"
        }
        RuleKind::Conflicts => {
            "a field, `=>` and the fields it excludes: `conflicts(database_url => database_host)`"
        }
        RuleKind::ExactlyOneOf | RuleKind::AtMostOneOf | RuleKind::AtLeastOneOf => {
            "two fields or more: `exactly_one_of(database_url, database_host)`"
        }
        RuleKind::RequiredIf => {
            "a field, `==`, a literal and the fields it requires: `required_if(mode == \"tls\", cert, key)`"
        }
        RuleKind::Check => {
            "a function and the fields it reads: `check(tls_pair, reads(cert, key))`"
        }
    }
}

//! The `#[derive(ReadinessContract)]` macro. Use it through the `health` crate, whose
//! documentation describes the attributes.
//!
//! The crate is parse, model, check, expand: `attr` reads the `#[contract(...)]` keys,
//! `model` builds the struct's model, `check` enforces the rules (every violation in one
//! compile), `expand` writes the impl.

mod attr;
mod check;
mod ctxt;
mod debug;
mod expand;
mod model;
mod rule;
mod ty;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `health::ReadinessContract`: env loading, one check per variable, a static contract.
///
/// On the struct, `#[contract(...)]` takes `prefix = "APP_"` (before every variable name,
/// chained through nested structs), `crate = path` (for re-exporters), `deny_unknown` (a
/// variable that carries the prefix but belongs to no field fails instead of warning),
/// `debug` (an `impl Debug` printing every field but a secret, which shows as `***`; use it
/// instead of `#[derive(Debug)]`, and on nested config types too, which it requires),
/// `parse_with(bool = yes_no, Duration = minutes)` (one parser for every field of a type,
/// unless the field says its own) and the rules between variables, each its own named entry
/// of the report and recorded in the contract:
///
/// | rule | meaning |
/// |---|---|
/// | `requires(a => b, c)` | when `a` is set (a `bool`: true), `b` and `c` must be set too |
/// | `conflicts(a => b, c)` | when `a` is set, `b` and `c` must not be |
/// | `exactly_one_of(a, b)`, `at_most_one_of(..)`, `at_least_one_of(..)` | alternatives |
/// | `required_if(mode == "tls", cert, key)` | while `mode` equals the value, `cert` and `key` must be set |
/// | `check(path, reads(a, b))` | `fn(&A, &B) -> Result<(), E: Display>` (or `bool`), run once both loaded |
///
/// A set variable is one set and non-empty (its `NAME_FILE` or an old name counts); a `bool`
/// counts only while `true`. Fields are named by their identifiers: a typo, a comparison of
/// the wrong type or a rule that can never fire is a compile error on its token.
///
/// A field of type `health::Setting<T>` reads as `T` and also tells whether its variable
/// was set or its default was used.
///
/// On a field:
///
/// | key | effect |
/// |---|---|
/// | `env = "NAME"` | read `NAME` instead of the field name in upper case |
/// | `no_prefix` | the name is used as written, outside every struct's prefix (`DATABASE_URL` among `APP_..` variables) |
/// | `probe_port` | the port the service listens on: `config probes` points the probes at its default (rather than at the variable `PORT` after the struct's prefix). One per struct |
/// | `alias = "OLD_NAME"` | an old name still read (prefixes apply) when the name is absent: a `warn` (`renamed`) naming the new one; both set fail as `alias_conflict`; `OLD_NAME_FILE` works too. Repeatable |
/// | `secret` | the value never appears in any output |
/// | `default = expr` or `default = "text"` | used when the variable is absent or empty |
/// | `split = ";"` | the separator of a `Vec<T>` (`,` by default) |
/// | `range = 1..=65535` | the value (each `Some`, each list item) lies in the range: `a..=b`, `a..b`, `a..`, `..=b`, `..b`; bounds are literals, a string read by the field's rule (`range = "1s"..="1h"`); the type needs `PartialOrd` |
/// | `one_of = ["debug", "info"]` | the value's text (each trimmed item's, for a list) is one of these |
/// | `len = 1..=64` | the text's length in characters, or a list's item count |
/// | `validate = path` | `fn(&T) -> Result<(), E: Display>` or `-> bool`, run last; `-> Result<(), health::Warning>` (or `Result<Option<Warning>, E>`) accepts with a `warn` |
/// | `deprecated = "why"` | a `warn` (`deprecated`) while the variable is set; the field must be optional |
/// | `old_values("prod" => "production")` | old values still read under an `alias`, mapped to the new ones |
/// | `parse_with = path` | parse with `fn(&str) -> Result<T, E: Display>` |
/// | `deserialize` | parse with the type's serde `Deserialize` |
/// | `allow_empty` | an empty value is a value |
/// | `nested`, `nested, prefix = "DB_"` | the field is a config struct of its own; an `Option` of one is an optional group: `None` while none of its variables is set, all or nothing once one is |
/// | `nested, switch = field` | an optional group read only while the `bool` field (declared before it) is true; off, its set variables get a `warn` (`ignored`) |
///
/// On an enum, the derive makes a *selected variant*: each variant carries a config struct
/// (`S3(S3Config)`, the struct derives `ReadinessContract`) or nothing (`Memory`), one is
/// chosen per load, and the enum is a `nested` field of a config. The variables of the
/// variants not chosen are not parsed; in a report, each one that is set gets a `warn`
/// (`ignored`) naming the chosen variant. A missing variable of the chosen one says which
/// variant is used and why. The contract records the choice (`health::Contract::variants`).
///
/// | key | on | effect |
/// |---|---|---|
/// | `tag = "BACKEND"` | the enum | the variable (under the enum's prefixes: `APP_STORAGE_BACKEND`) whose value names the variant; an unknown value is `invalid` and lists the tags; unset, the `default` variant is used, else `missing` |
/// | (no `tag`) | the enum | the first variant, in declared order, with a variable set (a `NAME_FILE` or an old name counts) is used; the `default` one when none is, else the entry `variant:<field>` fails as `missing` |
/// | `exactly_one` | the enum | without a `tag`: two configured variants fail as `conflict`, naming both and their set variables |
/// | `prefix = "APP_"`, `crate = path`, `debug` | the enum | as on a struct (`debug`: the chosen variant and its struct, which needs `debug` too) |
/// | `tag = "s3"` | a variant | its tag (the tag variable's value that chooses it); its name in snake_case by default (`LocalDisk`: `local_disk`) |
/// | `prefix = "S3_"` | a variant | before every variable of its struct |
/// | `default` | a variant | used when no tag is set or, without a tag, no variant is configured; a unit variant needs it when there is no tag |
///
/// A value is parsed, then checked against `range`, `one_of` and `len`, then `validate`; a
/// broken constraint fails as `rejected` with the rule ("must be in 1..=65535"), never the
/// value, for secrets too. A default that breaks one fails as `invalid_default`; a literal
/// default is checked at compile time, with every other mistake the macro can see: an empty
/// range, a bound that does not fit the type, a `one_of` default not in the set, `len` on a
/// number, `range` on a `bool`, an alias that is the field's own name or another field's.
#[proc_macro_derive(ReadinessContract, attributes(contract))]
pub fn derive_readiness_contract(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive(&input).into()
}

fn derive(input: &DeriveInput) -> proc_macro2::TokenStream {
    let mut cx = ctxt::Ctxt::default();
    let model = match &input.data {
        syn::Data::Enum(data) => model::Choice::from_ast(&mut cx, input, data).map(Model::Choice),
        _ => model::Container::from_ast(&mut cx, input).map(Model::Struct),
    };
    match &model {
        Some(Model::Struct(cont)) => check::check(&mut cx, cont),
        Some(Model::Choice(choice)) => check::check_choice(&mut cx, choice),
        None => {}
    }
    match (cx.finish(), model) {
        (Ok(()), Some(Model::Struct(cont))) => [expand::expand(&cont), debug::expand(&cont)]
            .into_iter()
            .collect(),
        (Ok(()), Some(Model::Choice(choice))) => [
            expand::expand_choice(&choice),
            debug::expand_choice(&choice),
        ]
        .into_iter()
        .collect(),
        (result, model) => {
            let errors = result.err().map(|e| e.to_compile_error());
            let (krate, debug) = match &model {
                Some(Model::Struct(c)) => (c.krate(), Some(debug::fallback(c))),
                Some(Model::Choice(c)) => (c.krate(), None),
                None => (syn::parse_quote!(::health), None),
            };
            // A generic type is itself the error: an impl without its generics adds noise.
            let fallback = input.generics.params.is_empty().then(|| {
                let contract = expand::fallback_impl(&input.ident, &krate);
                quote::quote!(#contract #debug)
            });
            quote::quote!(#errors #fallback)
        }
    }
}

/// What the input is: a config struct, or a selected enum.
enum Model<'a> {
    Struct(model::Container<'a>),
    Choice(model::Choice<'a>),
}

#[cfg(test)]
mod tests {
    /// The expansion of a representative struct, pretty-printed and compared with the stored
    /// snapshot. Set `HEALTH_BLESS=1` to rewrite it after an intended change.
    #[test]
    fn expansion_matches_the_snapshot() {
        let input: syn::DeriveInput = syn::parse_quote! {
            /// Settings.
            #[contract(prefix = "APP_", deny_unknown)]
            struct Config {
                /// Account.
                #[contract(alias = "ACCOUNT_SID")]
                account: String,
                #[contract(secret, env = "API_KEY", len = 32..=64)]
                key: String,
                public_url: Option<url::Url>,
                #[contract(default = 8000, range = 1024..=65535)]
                port: u16,
                #[contract(default = "2s", range = "1s"..)]
                timeout: std::time::Duration,
                #[contract(split = ";", validate = not_empty, one_of = ["a", "b"])]
                origins: Vec<String>,
                #[contract(nested, prefix = "DB_")]
                db: Db,
            }
        };
        let file: syn::File = syn::parse2(super::derive(&input)).unwrap();
        let actual = prettyplease::unparse(&file);
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/snapshots/config.expanded.rs"
        );
        if std::env::var_os("HEALTH_BLESS").is_some() {
            std::fs::write(path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            actual == expected,
            "expansion changed; rerun with HEALTH_BLESS=1 if intended:\n{actual}"
        );
    }
}

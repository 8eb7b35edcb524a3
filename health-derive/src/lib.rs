//! The `#[derive(ReadinessContract)]` macro. Use it through the `health` crate, whose
//! documentation describes the attributes.
//!
//! The crate is parse, model, check, expand: `attr` reads the `#[contract(...)]` keys,
//! `model` builds the struct's model, `check` enforces the rules (every violation in one
//! compile), `expand` writes the impl.

mod attr;
mod check;
mod ctxt;
mod expand;
mod model;
mod ty;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

/// Derives `health::ReadinessContract`: env loading, one check per variable, a static contract.
#[proc_macro_derive(ReadinessContract, attributes(contract))]
pub fn derive_readiness_contract(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    derive(&input).into()
}

fn derive(input: &DeriveInput) -> proc_macro2::TokenStream {
    let mut cx = ctxt::Ctxt::default();
    let cont = model::Container::from_ast(&mut cx, input);
    if let Some(cont) = &cont {
        check::check(&mut cx, cont);
    }
    match (cx.finish(), cont) {
        (Ok(()), Some(cont)) => expand::expand(&cont),
        (result, cont) => {
            let errors = result.err().map(|e| e.to_compile_error());
            let krate = cont.map_or_else(|| syn::parse_quote!(::health), |c| c.krate());
            // A generic struct is itself the error: an impl without its generics adds noise.
            let fallback = input
                .generics
                .params
                .is_empty()
                .then(|| expand::fallback_impl(&input.ident, &krate));
            quote::quote!(#errors #fallback)
        }
    }
}

#[cfg(test)]
mod tests {
    /// The expansion of a representative struct, pretty-printed and compared with the stored
    /// snapshot. Set `HEALTH_BLESS=1` to rewrite it after an intended change.
    #[test]
    fn expansion_matches_the_snapshot() {
        let input: syn::DeriveInput = syn::parse_quote! {
            /// Settings.
            #[contract(prefix = "APP_")]
            struct Config {
                /// Account.
                account: String,
                #[contract(secret, env = "API_KEY")]
                key: String,
                public_url: Option<url::Url>,
                #[contract(default = 8000)]
                port: u16,
                #[contract(default = "2s")]
                timeout: std::time::Duration,
                #[contract(split = ";", validate = not_empty)]
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

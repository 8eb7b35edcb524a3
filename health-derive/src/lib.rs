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

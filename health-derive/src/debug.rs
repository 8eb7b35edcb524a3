//! `#[contract(debug)]`: a `Debug` impl that prints every field but a secret, which shows as
//! `***` (`Some(***)` or `None` for an `Option`). A nested config must redact too: its type
//! needs `RedactedDebug`, which this impl also gives.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::model::{Choice, Container, Field};

/// The `Debug` and `RedactedDebug` impls, or nothing without `#[contract(debug)]`.
pub fn expand(cont: &Container) -> TokenStream {
    if !cont.attrs.debug.is_set() {
        return TokenStream::new();
    }
    let p = private(cont);
    let fields = cont.fields.iter().map(|field| {
        let name = field.ident_str();
        let shown = shown(&p, field);
        quote!(.field(#name, #shown))
    });
    let name = cont.ident.to_string();
    impls(
        &cont.krate(),
        cont.ident,
        quote!(f.debug_struct(#name)#(#fields)*.finish()),
    )
}

/// Next to the errors of a broken struct: the same impls printing only the type's name, so
/// that its uses add no second wave of errors.
pub fn fallback(cont: &Container) -> TokenStream {
    if !cont.attrs.debug.is_set() {
        return TokenStream::new();
    }
    let name = cont.ident.to_string();
    impls(
        &cont.krate(),
        cont.ident,
        quote!(f.debug_struct(#name).finish_non_exhaustive()),
    )
}

/// The impls of a selected enum with `#[contract(debug)]`: the variant's name and its struct,
/// printed by that struct's own redacting `Debug`.
pub fn expand_choice(choice: &Choice) -> TokenStream {
    if !choice.attrs.debug.is_set() {
        return TokenStream::new();
    }
    let krate = choice.krate();
    let p = quote!(#krate::__private);
    let arms = choice.variants.iter().map(|variant| {
        let constructor = variant.ident;
        let name = variant.ident.to_string();
        match variant.ty {
            Some(ty) => {
                let shown = quote_spanned!(ty.span()=> #p::nested_debug::<#ty>(__inner));
                quote!(Self::#constructor(__inner) => f.debug_tuple(#name).field(#shown).finish(),)
            }
            None => quote!(Self::#constructor => f.write_str(#name),),
        }
    });
    impls(&krate, choice.ident, quote!(match self { #(#arms)* }))
}

/// `impl Debug` whose `fmt` is `body`, and `impl RedactedDebug`.
fn impls(krate: &syn::Path, ident: &syn::Ident, body: TokenStream) -> TokenStream {
    quote! {
        #[automatically_derived]
        impl ::core::fmt::Debug for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #body
            }
        }
        #[automatically_derived]
        impl #krate::RedactedDebug for #ident {}
    }
}

/// What the impl prints for `field`: the value, `***` for a secret, and a nested config
/// through `RedactedDebug` (checked at the field's type).
fn shown(p: &TokenStream, field: &Field) -> TokenStream {
    let member = field.ident;
    if field.attrs.nested.is_set() {
        let ty = field.shape.option.unwrap_or(field.ty);
        return match field.shape.option {
            // An optional group: `None`, or the config redacted.
            Some(_) => quote_spanned! {ty.span()=>
                &self.#member.as_ref().map(#p::nested_debug::<#ty>)
            },
            None => quote_spanned!(ty.span()=> #p::nested_debug::<#ty>(&self.#member)),
        };
    }
    match (field.is_secret(), field.shape.option) {
        (false, _) => quote!(&self.#member),
        (true, None) => quote!(&#p::Redacted),
        (true, Some(_)) => quote!(&self.#member.as_ref().map(|_| #p::Redacted)),
    }
}

fn private(cont: &Container) -> TokenStream {
    let krate = cont.krate();
    quote!(#krate::__private)
}

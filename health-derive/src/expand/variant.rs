//! The `ReadinessContract` impl of a selected enum: a contract whose fields are the tag
//! variable and one nested field per variant that carries a struct, with the choice recorded
//! as data, and a loader that chooses the variant, then loads its struct.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::Header;
use crate::model::Choice;

/// The whole impl, wrapped in `const _: () = { ... };` as a struct's is.
pub fn expand_choice(choice: &Choice) -> TokenStream {
    let krate = choice.krate();
    let p = quote!(__health);
    let ident = choice.ident;
    let type_name = ident.to_string();
    let doc = &choice.doc;
    let prefix = choice.attrs.prefix.value_or_empty();
    let default = choice
        .variants
        .iter()
        .position(|v| v.attrs.default.is_set());

    let mut entries = Vec::new();
    let tag_spec = choice.attrs.tag.get().map(|tag| {
        let name = tag.value();
        let field = name.to_lowercase();
        let tags = choice.variants.iter().map(|v| &v.tag);
        let (requirement, shown) = match default {
            Some(at) => {
                let text = &choice.variants[at].tag;
                (quote!(Default), quote!(#p::Option::Some(#text)))
            }
            None => (quote!(Required), quote!(#p::Option::None)),
        };
        let tag_doc = if doc.is_empty() {
            format!("Which variant of `{type_name}` is used.")
        } else {
            doc.clone()
        };
        entries.push(quote!(#p::Field::__var(#field, &__HEALTH_TAG)));
        quote! {
            const __HEALTH_TAG: #p::VarSpec = #p::VarSpec::__new(
                #name, #type_name, #tag_doc, #p::Requirement::#requirement, #shown, false, false,
            )
            .__rule(#p::ValueRule::Text, #p::Option::None)
            .__constraints(#p::Constraints::__new(#p::Option::None, &[#(#tags),*], #p::Option::None));
        }
    });
    let tag_call = tag_spec.is_some().then(|| quote!(.__tag(0)));

    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for (index, variant) in choice.variants.iter().enumerate() {
        let name = variant.ident.to_string();
        let constructor = variant.ident;
        let tag = &variant.tag;
        match variant.ty {
            Some(ty) => {
                let at = entries.len();
                let field = &variant.field;
                let nested_prefix = variant.attrs.prefix.value_or_empty();
                // Both through `Nested`, on the type: one error, saying to derive, if it does
                // not.
                let nested = quote_spanned!(ty.span()=> <#ty as #p::Nested>);
                entries.push(quote! {
                    #p::Field::__nested(#field, #nested_prefix, #nested::NESTED)
                        .__group(#p::Activation::Variant(#index))
                });
                variants.push(quote!(#p::VariantSpec::__new(#name, #tag, #p::Option::Some(#at))));
                arms.push(quote! {
                    #index => __loader
                        .variant(__chosen, #nested::load_nested, #field, #nested_prefix)
                        .map(Self::#constructor),
                });
            }
            None => {
                variants.push(quote!(#p::VariantSpec::__new(#name, #tag, #p::Option::None)));
                arms.push(quote!(#index => #p::Option::Some(Self::#constructor),));
            }
        }
    }
    let mode = if choice.attrs.tag.is_set() {
        quote!(Tag)
    } else if choice.attrs.exactly_one.is_set() {
        quote!(ExactlyOne)
    } else {
        quote!(FirstSet)
    };
    let default_call = default.map(|at| quote!(.__default(#at)));

    let record = quote! {
        .__choice(&#p::ChoiceSpec::__new(#p::ChoiceMode::#mode, &[#(#variants),*]) #tag_call #default_call)
    };
    let load = quote! {
        let __chosen = __loader.select(<Self as #p::ReadinessContract>::CONTRACT)?;
        match __chosen.index() {
            #(#arms)*
            _ => #p::Option::None,
        }
    };
    let header = Header {
        krate: &krate,
        ident,
        doc,
        prefix: &prefix,
    };
    header.wrap(quote!(#tag_spec), &entries, record, load)
}

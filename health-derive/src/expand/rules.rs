//! The rules between variables in generated code: their record in the contract, and the
//! calls that check them once every field has loaded.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::Lit;
use syn::spanned::Spanned;

use super::scalar_parser;
use crate::check::is_toggle;
use crate::model::Container;
use crate::rule::{RuleAttr, RuleKind};

/// The index of the field named `ident` (the checks resolved every name already).
pub fn field_index(cont: &Container, ident: &syn::Ident) -> usize {
    cont.fields
        .iter()
        .position(|f| f.ident == ident)
        .unwrap_or_default()
}

/// `.__rules(&[..])` recording every rule, or nothing without rules.
pub fn record(p: &TokenStream, cont: &Container) -> Option<TokenStream> {
    if cont.attrs.rules.is_empty() {
        return None;
    }
    let specs = cont.attrs.rules.iter().map(|rule| {
        let kind = format_ident!("{}", rule.kind.variant());
        let members = rule.members.iter().map(|m| field_index(cont, m));
        let condition = rule.condition.as_ref().map(|(field, value)| {
            let index = field_index(cont, field);
            let text = literal_text(value);
            quote!(.__condition(#index, #text))
        });
        let function = rule.function.as_ref().map(|path| {
            let text = super::expr_text(&syn::parse_quote!(#path));
            quote!(.__function(#text))
        });
        quote!(#p::RuleSpec::__new(#p::RuleKind::#kind, &[#(#members),*]) #condition #function)
    });
    Some(quote!(.__rules(&[#(#specs),*])))
}

/// The checks of every rule, after the fields loaded and before the struct is built: each
/// field's presence, then one call per rule; a failed rule fails the struct.
pub fn check(p: &TokenStream, cont: &Container) -> Option<TokenStream> {
    if cont.attrs.rules.is_empty() {
        return None;
    }
    let presence = cont.fields.iter().enumerate().map(|(index, field)| {
        let named = cont
            .attrs
            .rules
            .iter()
            .any(|rule| rule.members.iter().any(|m| m == field.ident));
        let local = format_ident!("__field_{}", index);
        let spec = format_ident!("__HEALTH_VAR_{}", index);
        match (named, field.attrs.nested.is_set(), is_toggle(field)) {
            (true, false, true) => quote!(#p::toggle(&#local)),
            (true, false, false) => quote!(__loader.presence(&#spec)),
            _ => quote!(#p::Presence::Unset),
        }
    });
    let calls = cont.attrs.rules.iter().enumerate().map(|(index, rule)| {
        let input = input(p, cont, rule);
        quote! {
            __rules_hold &= __loader.rule(
                <Self as #p::ReadinessContract>::CONTRACT,
                &<Self as #p::ReadinessContract>::CONTRACT.rule_specs()[#index],
                &__presence,
                #input,
            );
        }
    });
    Some(quote! {
        let __presence = [#(#presence),*];
        let mut __rules_hold = true;
        #(#calls)*
        if !__rules_hold {
            return #p::Option::None;
        }
    })
}

/// What the rule reads beyond presence: a `required_if` comparison, a `check`'s verdict.
fn input(p: &TokenStream, cont: &Container, rule: &RuleAttr) -> TokenStream {
    match rule.kind {
        RuleKind::RequiredIf => {
            let Some((ident, value)) = &rule.condition else {
                return quote!(#p::RuleInput::Presence);
            };
            let index = field_index(cont, ident);
            let field = &cont.fields[index];
            let local = format_ident!("__field_{}", index);
            let value_of = match field.shape.option {
                Some(_) => quote!(#local.as_ref().map(#p::Option::as_ref)),
                None => quote!(#local.as_ref().map(#p::Option::Some)),
            };
            let parse = scalar_parser(p, field);
            let text = literal_text(value);
            // The type argument is re-spanned on the value: a type without `PartialEq` is
            // reported there.
            let scalar = super::respan(
                quote::ToTokens::to_token_stream(field.shape.scalar),
                value.span(),
            );
            let compare =
                quote_spanned!(value.span()=> #p::condition::<#scalar>(#value_of, #text, #parse));
            quote!(#p::RuleInput::Condition(#compare))
        }
        RuleKind::Check => {
            let Some(path) = &rule.function else {
                return quote!(#p::RuleInput::Presence);
            };
            let locals: Vec<_> = rule
                .members
                .iter()
                .map(|m| format_ident!("__field_{}", field_index(cont, m)))
                .collect();
            // Each argument carries its field's span: a field of the wrong type is reported
            // there.
            let values: Vec<_> = rule
                .members
                .iter()
                .enumerate()
                .map(|(i, member)| format_ident!("__read_{}", i, span = member.span()))
                .collect();
            // Spanned on the path: a function of the wrong shape is reported there.
            let call = quote_spanned!(path.span()=> #path(#(#values),*));
            quote! {
                #p::RuleInput::Check(match (#(&#locals,)*) {
                    (#(#p::Option::Some(#values),)*) => #p::Option::Some(#p::verdict(#call)),
                    _ => #p::Option::None,
                })
            }
        }
        _ => quote!(#p::RuleInput::Presence),
    }
}

/// A `required_if` value's text, as the contract records it and the field's rule reads it.
fn literal_text(value: &Lit) -> String {
    match value {
        Lit::Str(s) => s.value(),
        Lit::Bool(b) => b.value.to_string(),
        Lit::Int(i) => i.base10_digits().to_owned(),
        Lit::Float(f) => f.base10_digits().to_owned(),
        other => quote::ToTokens::to_token_stream(other).to_string(),
    }
}

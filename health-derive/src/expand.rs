//! Generates the `ReadinessContract` impl: the static contract and the loader.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, Path};

use crate::check::{len_bounds, string_default};
use crate::model::{Container, Field};
use crate::ty::{self, Builtin};

mod rules;
mod variant;

pub use variant::expand_choice;

/// The whole impl, wrapped in `const _: () = { ... };` so its helper constants stay private.
///
/// Inside, `__health` names the facade's `__private` module (short paths: fewer tokens to
/// expand and parse per field). Each field is one static `VarSpec` and one loader call with
/// plain functions (the rule's parser), so a field costs no closure unless it has a typed
/// default, a `range`, a `validate` or a `parse_with`.
pub fn expand(cont: &Container) -> TokenStream {
    let krate = cont.krate();
    let p = quote!(__health);
    let ident = cont.ident;
    let doc = &cont.doc;
    let prefix = cont.attrs.prefix.value_or_empty();

    let mut specs = Vec::new();
    let mut entries = Vec::new();
    let mut loads = Vec::new();
    let mut members = Vec::new();
    let mut locals = Vec::new();
    for (index, field) in cont.fields.iter().enumerate() {
        let member = field.ident;
        let ident_str = field.ident_str();
        let local = format_ident!("__field_{}", index);
        if field.attrs.nested.is_set() {
            let nested_ty = field.shape.option.unwrap_or(field.ty);
            let nested_prefix = field.attrs.prefix.value_or_empty();
            // Both through `Nested`, on the type: one error, saying to derive, if it does not.
            let nested = quote_spanned!(nested_ty.span()=> <#nested_ty as #p::Nested>);
            let entry = quote!(#p::Field::__nested(#ident_str, #nested_prefix, #nested::NESTED));
            if field.shape.option.is_none() {
                entries.push(entry);
                loads.push(quote! {
                    let #local = #nested::load_nested(__loader, #ident_str, #nested_prefix);
                });
            } else {
                // An optional group, on when any variable is set or while its switch is true.
                let switch = field
                    .attrs
                    .switch
                    .get()
                    .map(|ident| rules::field_index(cont, ident));
                let (activation, switch) = match switch {
                    Some(at) => {
                        let (spec, value) = (
                            format_ident!("__HEALTH_VAR_{}", at),
                            format_ident!("__field_{}", at),
                        );
                        (
                            quote!(#p::Activation::Switch(#at)),
                            quote!(#p::Option::Some((&#spec, #p::toggle(&#value)))),
                        )
                    }
                    None => (quote!(#p::Activation::AnySet), quote!(#p::Option::None)),
                };
                entries.push(quote!(#entry.__group(#activation)));
                loads.push(quote! {
                    let #local = __loader.optional_nested::<#nested_ty>(#ident_str, #nested_prefix, #switch);
                });
            }
        } else {
            let spec = format_ident!("__HEALTH_VAR_{}", index);
            specs.push(var_spec(&p, cont, &spec, field));
            entries.push(quote!(#p::Field::__var(#ident_str, &#spec)));
            let parse = scalar_parser(&p, field);
            let range = option(&p, range_check(&p, &spec, field));
            let validate = option(&p, validator(&p, field));
            let call = match (field.shape.option, field.shape.list) {
                (Some(_), list) => {
                    let method = if list.is_some() {
                        quote!(optional_list)
                    } else {
                        quote!(optional)
                    };
                    quote!(__loader.#method(&#spec, #ident_str, #parse, #range, #validate))
                }
                (None, list) => {
                    let method = if list.is_some() {
                        quote!(list)
                    } else {
                        quote!(scalar)
                    };
                    let if_absent = if_absent(&p, cont, field);
                    quote!(__loader.#method(&#spec, #ident_str, #parse, #if_absent, #range, #validate))
                }
            };
            loads.push(quote!(let #local = #call;));
        }
        if field.setting {
            // Whether the variable was set, or the default was used.
            let set = format_ident!("__set_{}", index);
            let spec = format_ident!("__HEALTH_VAR_{}", index);
            loads.push(quote!(let #set = __loader.presence(&#spec) == #p::Presence::Set;));
            members.push(quote!(#member: #p::Setting::__new(#local, #set)));
        } else {
            members.push(quote!(#member: #local));
        }
        locals.push(local);
    }

    // One pattern for every field (not a `?` each): a failed field is dropped with the tuple,
    // so the function has one exit for a failure instead of one cleanup path per field.
    let all_loaded = (!locals.is_empty()).then(|| {
        quote! {
            let (#(#p::Option::Some(#locals),)*) = (#(#locals,)*) else {
                return #p::Option::None;
            };
        }
    });

    let rules_record = rules::record(&p, cont);
    let rules_check = rules::check(&p, cont);

    let deny_unknown = cont
        .attrs
        .deny_unknown
        .is_set()
        .then(|| quote!(.__deny_unknown()));

    let load = quote! {
        #(#loads)*
        #rules_check
        #all_loaded
        #p::Option::Some(Self { #(#members),* })
    };
    let header = Header {
        krate: &krate,
        ident,
        doc,
        prefix: &prefix,
    };
    header.wrap(
        quote!(#(#specs)*),
        &entries,
        quote!(#deny_unknown #rules_record),
        load,
    )
}

/// What the impls of a struct and of a selected enum share.
pub(crate) struct Header<'a> {
    pub krate: &'a Path,
    pub ident: &'a syn::Ident,
    pub doc: &'a str,
    pub prefix: &'a str,
}

impl Header<'_> {
    /// The impl in `const _: () = { ... };`, after `helpers` (the static `VarSpec`s), which
    /// stay private there. `CONTRACT` is the type's name, doc, prefix and `entries`, then
    /// `record` (`.__rules(..)` and the like); `__load` runs `load`.
    pub(crate) fn wrap(
        &self,
        helpers: TokenStream,
        entries: &[TokenStream],
        record: TokenStream,
        load: TokenStream,
    ) -> TokenStream {
        let Header {
            krate,
            ident,
            doc,
            prefix,
        } = self;
        let p = quote!(__health);
        let type_name = ident.to_string();
        quote! {
            #[doc(hidden)]
            #[allow(non_upper_case_globals, clippy::all)]
            const _: () = {
                use #krate::__private as __health;

                #helpers

                #[automatically_derived]
                impl #p::ReadinessContract for #ident {
                    const CONTRACT: &'static #p::Contract = &#p::Contract::__new(
                        #type_name,
                        #doc,
                        #prefix,
                        &[#(#entries),*],
                    )#record;

                    fn __load(__loader: &mut #p::Loader<'_>) -> #p::Option<Self> {
                        #load
                    }
                }
            };
        }
    }
}

/// `Option::Some(tokens)`, or `Option::None`.
fn option(p: &TokenStream, tokens: Option<TokenStream>) -> TokenStream {
    match tokens {
        Some(tokens) => quote!(#p::Option::Some(#tokens)),
        None => quote!(#p::Option::None),
    }
}

/// An impl that compiles, emitted next to the errors so that uses of the type do not add a
/// second wave of errors.
pub fn fallback_impl(cont_ident: &syn::Ident, krate: &Path) -> TokenStream {
    let p = quote!(#krate::__private);
    let name = cont_ident.to_string();
    quote! {
        #[automatically_derived]
        impl #p::ReadinessContract for #cont_ident {
            const CONTRACT: &'static #p::Contract = &#p::Contract::__new(#name, "", "", &[]);
            fn __load(_: &mut #p::Loader<'_>) -> #p::Option<Self> {
                #p::Option::None
            }
        }
    }
}

fn var_spec(p: &TokenStream, cont: &Container, spec: &syn::Ident, field: &Field) -> TokenStream {
    let name = &field.name;
    let ty = ty::display(field.ty);
    let doc = &field.doc;
    let secret = field.is_secret();
    let allow_empty = field.attrs.allow_empty.is_set();
    let requirement = if field.shape.option.is_some() {
        quote!(Optional)
    } else if field.attrs.default.is_set() || field.attrs.default_from.is_set() {
        quote!(Default)
    } else {
        quote!(Required)
    };
    let shown = match (field.attrs.default.get(), secret) {
        (Some(expr), false) => {
            let text = match string_default(&field.attrs.default) {
                Some(lit) => lit.value(),
                None => expr_text(expr),
            };
            quote!(#p::Option::Some(#text))
        }
        _ => match field.attrs.default_from.get() {
            Some((path, sources)) if !secret => {
                let names: Vec<String> = sources.iter().map(ToString::to_string).collect();
                let text = format!(
                    "{}({})",
                    expr_text(&syn::parse_quote!(#path)),
                    names.join(", ")
                );
                quote!(#p::Option::Some(#text))
            }
            _ => quote!(#p::Option::None),
        },
    };
    let rule = rule(p, field);
    let split = match field.shape.list {
        Some(_) => {
            let separator = separator(field);
            quote!(#p::Option::Some(#separator))
        }
        None => quote!(#p::Option::None),
    };
    let aliases: Vec<String> = field.attrs.alias.values().map(|a| a.value()).collect();
    let aliases = (!aliases.is_empty()).then(|| quote!(.__aliases(&[#(#aliases),*])));
    let constraints = constraints(p, field);
    let deprecated = field
        .attrs
        .deprecated
        .get()
        .map(|why| quote!(.__deprecated(#why)));
    let old_values = field.attrs.old_values.get().map(|values| {
        let pairs = values.iter().map(|(old, new)| quote!((#old, #new)));
        quote!(.__old_values(&[#(#pairs),*]))
    });
    let unprefixed = field
        .attrs
        .no_prefix
        .is_set()
        .then(|| quote!(.__unprefixed()));
    let probe_port = field
        .attrs
        .probe_port
        .is_set()
        .then(|| quote!(.__probe_port()));
    let toggle = crate::check::is_toggle(field).then(|| quote!(.__toggle()));
    let expression = field
        .attrs
        .default
        .get()
        .filter(|expr| !secret && !is_literal(expr))
        .map(|_| quote!(.__default_expression()));
    let derived = field.attrs.default_from.get().map(|(_, sources)| {
        let specs = sources
            .iter()
            .map(|source| format_ident!("__HEALTH_VAR_{}", rules::field_index(cont, source)));
        quote!(.__derived_from(&[#(&#specs),*]))
    });
    quote! {
        const #spec: #p::VarSpec = #p::VarSpec::__new(
            #name, #ty, #doc, #p::Requirement::#requirement, #shown, #secret, #allow_empty,
        )
        .__rule(#rule, #split)
        #aliases
        #constraints
        #deprecated
        #old_values
        #unprefixed
        #probe_port
        #toggle
        #expression
        #derived;
    }
}

/// `.__constraints(..)` recording `range`, `one_of` and `len`, or nothing without them.
fn constraints(p: &TokenStream, field: &Field) -> Option<TokenStream> {
    let a = &field.attrs;
    if !a.range.is_set() && !a.one_of.is_set() && !a.len.is_set() {
        return None;
    }
    let some = |t: Option<TokenStream>| match t {
        Some(t) => quote!(#p::Option::Some(#t)),
        None => quote!(#p::Option::None),
    };
    let range = some(a.range.get().map(|range| {
        let text =
            |b: &Option<crate::attr::Bound>| some(b.as_ref().map(|b| b.text.to_token_stream()));
        let (min, max) = (text(&range.start), text(&range.end));
        let inclusive = range.inclusive && range.end.is_some();
        quote!(#p::Bounds { min: #min, max: #max, max_inclusive: #inclusive })
    }));
    let one_of: Vec<String> = a
        .one_of
        .get()
        .map(|o| o.items.iter().map(syn::LitStr::value).collect())
        .unwrap_or_default();
    let len = some(a.len.get().and_then(len_bounds).map(|(min, max)| {
        let min = proc_macro2::Literal::usize_unsuffixed(min);
        let max =
            some(max.map(|max| proc_macro2::Literal::usize_unsuffixed(max).to_token_stream()));
        quote!(#p::LenBounds { min: #min, max: #max })
    }));
    Some(quote!(.__constraints(#p::Constraints::__new(#range, &[#(#one_of),*], #len))))
}

/// The field's `range` check: the runtime's `range` with the field's own parser for the
/// bounds, over the value, an `Option`'s `Some` or a list's items. The call carries the
/// `range` key's span, so a type without an order is reported there.
fn range_check(p: &TokenStream, spec: &syn::Ident, field: &Field) -> Option<TokenStream> {
    let key = field.attrs.range.key()?;
    let ty = field.ty;
    let parse = scalar_parser(p, field);
    let values = match (field.shape.option, field.shape.list) {
        (None, None) => quote!([value]),
        (Some(_), Some(_)) => quote!(value.iter().flatten()),
        _ => quote!(value.iter()),
    };
    // The type argument is re-spanned on the key: an unmet `Ordered` bound (a type without
    // an order) is reported where the type argument is, that is at `range`.
    let scalar = respan(field.shape.scalar.to_token_stream(), key.span());
    let range = quote_spanned!(key.span()=> #p::range::<#scalar>);
    Some(quote! {
        |value: &#ty| -> #p::Result<(), #p::String> { #range(&#spec, #values, #parse) }
    })
}

/// The list separator: `split = ".."`, `,` by default.
fn separator(field: &Field) -> String {
    field
        .attrs
        .split
        .get()
        .map_or_else(|| ",".to_owned(), |s| s.value())
}

/// The contract's record of the rule [`scalar_parser`] generates.
fn rule(p: &TokenStream, field: &Field) -> TokenStream {
    if let Some(path) = field.attrs.parse_with.get() {
        let text = expr_text(&syn::parse_quote!(#path));
        return quote!(#p::ValueRule::ParseWith(#text));
    }
    if field.attrs.deserialize.is_set() {
        return quote!(#p::ValueRule::Deserialize);
    }
    let ty = field.shape.scalar;
    match Builtin::of(ty) {
        Builtin::Bool => quote!(#p::ValueRule::Bool),
        Builtin::Duration => quote!(#p::ValueRule::Duration),
        Builtin::Os => quote!(#p::ValueRule::OsText),
        Builtin::Secret | Builtin::String => quote!(#p::ValueRule::Text),
        Builtin::Integer => quote! {
            #p::ValueRule::Integer { min: <#ty>::MIN as i128, max: <#ty>::MAX as u128 }
        },
        Builtin::Float => quote!(#p::ValueRule::Float),
        Builtin::FromStr => quote!(#p::ValueRule::FromStr),
    }
}

/// The function parsing one raw value into the field's scalar type (a list's item, an
/// `Option`'s `Some`), spanned on the type so that a type that cannot be read is reported at
/// the field.
pub(crate) fn scalar_parser(p: &TokenStream, field: &Field) -> TokenStream {
    let ty = field.shape.scalar;
    let span = ty.span();
    if let Some(path) = field.attrs.parse_with.get() {
        return quote_spanned! {path.span()=>
            |raw: #p::Cow<'_, #p::OsStr>| #p::parse_with::<#ty, _>(&raw, #path)
        };
    }
    if field.attrs.deserialize.is_set() {
        return quote_spanned!(span=> #p::deserialize::<#ty>);
    }
    match Builtin::of(ty) {
        Builtin::Bool => quote_spanned!(span=> #p::bool),
        Builtin::Duration => quote_spanned!(span=> #p::duration),
        Builtin::Os => quote_spanned!(span=> #p::os_string::<#ty>),
        Builtin::Secret => quote_spanned!(span=> #p::from_string::<#ty>),
        // `string` keeps the `String` type check of `from_str` through its return type.
        Builtin::String => quote_spanned!(span=> #p::string),
        Builtin::Integer => quote_spanned!(span=> #p::integer::<#ty>),
        Builtin::Float | Builtin::FromStr => quote_spanned!(span=> #p::from_str::<#ty>),
    }
}

/// What the loader does when the variable is absent: fail, use a value, or parse a text.
fn if_absent(p: &TokenStream, cont: &Container, field: &Field) -> TokenStream {
    let ty = field.ty;
    if let Some((path, sources)) = field.attrs.default_from.get() {
        let locals: Vec<_> = sources
            .iter()
            .map(|source| format_ident!("__field_{}", rules::field_index(cont, source)))
            .collect();
        // Each argument carries its field's span: a field of the wrong type is reported there.
        let values: Vec<_> = sources
            .iter()
            .enumerate()
            .map(|(i, source)| format_ident!("__from_{}", i, span = source.span()))
            .collect();
        // Spanned on the path: a function of the wrong shape is reported there.
        let call = quote_spanned!(path.span()=> #path(#(#values),*));
        return quote! {
            #p::IfAbsent::Derived(&|| -> #p::Option<#ty> {
                match (#(&#locals,)*) {
                    (#(#p::Option::Some(#values),)*) => #p::Option::Some(#call),
                    _ => #p::Option::None,
                }
            })
        };
    }
    match field.attrs.default.get() {
        None => quote!(#p::IfAbsent::Fail),
        Some(_) if string_default(&field.attrs.default).is_some() => {
            let lit = string_default(&field.attrs.default);
            quote!(#p::IfAbsent::Parse(#lit))
        }
        Some(expr) => quote_spanned! {expr.span()=>
            #p::IfAbsent::Value(|| -> #ty { #expr })
        },
    }
}

/// The field's `validate` call as a closure over the typed value.
fn validator(p: &TokenStream, field: &Field) -> Option<TokenStream> {
    let path = field.attrs.validate.get()?;
    let ty = field.ty;
    // The call carries the path's span, so a wrong signature is reported on the path; the
    // call keeps deref coercion (`fn(&str)` validates a `String`).
    let call = quote_spanned!(path.span()=> #path(value));
    let call = quote!(#p::verdict(#call));
    let body = match field.shape.option {
        Some(_) => quote! {
            match value {
                #p::Option::Some(value) => #call,
                #p::Option::None => #p::Result::Ok(()),
            }
        },
        None => call,
    };
    Some(quote!(|value: &#ty| -> #p::Result<(), #p::Refusal> { #body }))
}

/// `tokens` with every span set to `span`.
pub(crate) fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let proc_macro2::TokenTree::Group(group) = &tt {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tt = proc_macro2::TokenTree::Group(inner);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// An expression as written, for the contract's `default`.
/// Whether a `default` is a literal (`"2s"`, `8000`, `-1`, `true`) rather than an expression.
fn is_literal(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(_) => true,
        Expr::Unary(unary) => matches!(unary.op, syn::UnOp::Neg(_)) && is_literal(&unary.expr),
        Expr::Group(group) => is_literal(&group.expr),
        Expr::Paren(paren) => is_literal(&paren.expr),
        _ => false,
    }
}

pub(crate) fn expr_text(expr: &Expr) -> String {
    let text = expr.to_token_stream().to_string();
    // Token printing spaces out paths and calls; tighten the common cases.
    text.replace(" :: ", "::")
        .replace(" (", "(")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace(" ,", ",")
        .replace(" !", "!")
        .replace("! [", "![")
        .replace("[ ", "[")
        .replace(" ]", "]")
        .replace(" . ", ".")
        // A negative literal: `-1`, not `- 1`.
        .replacen("- ", "-", usize::from(text.starts_with("- ")))
}

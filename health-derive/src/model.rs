//! The model of a config struct, built from syn's tree and the parsed attributes.

use syn::ext::IdentExt;
use syn::{Data, DeriveInput, Fields, Ident, Path, Type};

use crate::attr::{ContainerAttrs, FieldAttrs, doc_comment};
use crate::ctxt::Ctxt;
use crate::ty;

mod variant;

pub use variant::{Choice, Variant};

/// A config struct.
pub struct Container<'a> {
    pub ident: &'a Ident,
    pub attrs: ContainerAttrs,
    pub doc: String,
    pub fields: Vec<Field<'a>>,
}

/// One named field.
pub struct Field<'a> {
    pub ident: &'a Ident,
    pub ty: &'a Type,
    pub attrs: FieldAttrs,
    pub doc: String,
    /// The variable name without prefixes: `env = "..."` or the field name in upper case.
    pub name: String,
    pub shape: Shape<'a>,
    /// A `health::Setting<T>` field: `ty` is `T`, and the value is wrapped with whether it
    /// was set or defaulted.
    pub setting: bool,
}

/// How the field's type wraps the value that is parsed.
pub struct Shape<'a> {
    /// `Some(T)` for an `Option<T>` field.
    pub option: Option<&'a Type>,
    /// `Some(T)` when the (unwrapped) type is `Vec<T>`.
    pub list: Option<&'a Type>,
    /// The type one value (or one list item) parses into.
    pub scalar: &'a Type,
}

impl<'a> Container<'a> {
    /// The model, or `None` (with an error recorded) for anything but a struct with named
    /// fields.
    pub fn from_ast(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Container<'a>> {
        const WHY: &str = "each field names an environment variable";
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(fields) => &fields.named,
                Fields::Unnamed(fields) => {
                    cx.error_spanned_by(
                        fields,
                        format!("ReadinessContract cannot be derived for a tuple struct: {WHY}, so fields need names"),
                    );
                    return None;
                }
                Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        format!("ReadinessContract cannot be derived for a unit struct: {WHY}, and it has none"),
                    );
                    return None;
                }
            },
            // An enum is a selected choice: `model::variant` reads it.
            Data::Enum(_) => return None,
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    format!("ReadinessContract cannot be derived for a union: {WHY}; use a struct with named fields"),
                );
                return None;
            }
        };
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "ReadinessContract cannot be derived for a generic struct: its contract is a static description of concrete types",
            );
        }
        let attrs = ContainerAttrs::parse(cx, &input.attrs);
        let mut fields: Vec<Field> = fields
            .iter()
            .filter_map(|field| Field::from_ast(cx, field))
            .collect();
        let mut used = vec![false; attrs.parsers.len()];
        for field in &mut fields {
            if let Some(index) = field.inherit_parser(&attrs.parsers) {
                used[index] = true;
            }
        }
        for ((_, ty, _), used) in attrs.parsers.iter().zip(used) {
            if !used {
                cx.error_spanned_by(
                    ty,
                    format!(
                        "no field of `{}` has the type `{}`: this `parse_with` would never run",
                        input.ident,
                        ty::display(ty)
                    ),
                );
            }
        }
        Some(Container {
            ident: &input.ident,
            attrs,
            doc: doc_comment(&input.attrs),
            fields,
        })
    }

    /// The path of the `health` crate in generated code.
    pub fn krate(&self) -> Path {
        self.attrs.krate.krate()
    }
}

impl<'a> Field<'a> {
    fn from_ast(cx: &mut Ctxt, field: &'a syn::Field) -> Option<Field<'a>> {
        let ident = field.ident.as_ref()?;
        let attrs = FieldAttrs::parse(cx, &field.attrs);
        let name = match attrs.env.get() {
            Some(env) => env.value(),
            None => ident.unraw().to_string().to_uppercase(),
        };
        let setting = ty::setting_inner(&field.ty);
        let ty = setting.unwrap_or(&field.ty);
        let option = ty::option_inner(ty);
        let unwrapped = option.unwrap_or(ty);
        let list = ty::vec_inner(unwrapped);
        Some(Field {
            ident,
            ty,
            setting: setting.is_some(),
            doc: doc_comment(&field.attrs),
            name,
            shape: Shape {
                option,
                list,
                scalar: list.unwrap_or(unwrapped),
            },
            attrs,
        })
    }

    /// Takes the struct's `parse_with` for the field's type, unless the field says how it is
    /// parsed itself (its own `parse_with` or `deserialize`) or is a nested struct.
    fn inherit_parser(&mut self, parsers: &[(Ident, Type, Path)]) -> Option<usize> {
        let a = &self.attrs;
        if a.parse_with.is_set() || a.deserialize.is_set() || a.nested.is_set() {
            return None;
        }
        let scalar = ty::display(self.shape.scalar);
        let last = ty::last_ident(self.shape.scalar);
        let index = parsers.iter().position(|(_, written, _)| {
            let text = ty::display(written);
            text == scalar || (Some(&text) == last.as_ref() && !text.contains("::"))
        })?;
        let (key, _, path) = &parsers[index];
        self.attrs.parse_with.inherit(key, path.clone());
        Some(index)
    }

    /// The field name as a string, without `r#`.
    pub fn ident_str(&self) -> String {
        self.ident.unraw().to_string()
    }

    /// Where to point an error about the variable's name: the `env` literal or the field.
    pub fn name_span(&self) -> proc_macro2::Span {
        match self.attrs.env.get() {
            Some(env) => env.span(),
            None => self.ident.span(),
        }
    }

    /// Whether the value is secret: `#[contract(secret)]`, or a `SecretString` field.
    pub fn is_secret(&self) -> bool {
        self.attrs.secret.is_set() || ty::Builtin::of(self.shape.scalar) == ty::Builtin::Secret
    }
}

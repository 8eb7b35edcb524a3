//! The model of a selected enum: its variants, each carrying one config struct or nothing.

use syn::ext::IdentExt;
use syn::{DataEnum, DeriveInput, Fields, Ident, Path, Type};

use crate::attr::{ChoiceAttrs, VariantAttrs, doc_comment};
use crate::ctxt::Ctxt;

/// An enum whose variants carry config structs, one chosen per load.
pub struct Choice<'a> {
    pub ident: &'a Ident,
    pub attrs: ChoiceAttrs,
    pub doc: String,
    pub variants: Vec<Variant<'a>>,
}

/// One variant: `S3(S3Config)` or `Memory`.
pub struct Variant<'a> {
    pub ident: &'a Ident,
    /// The struct it carries; `None` for a unit variant.
    pub ty: Option<&'a Type>,
    pub attrs: VariantAttrs,
    /// Its tag: `tag = ".."`, or its name in snake_case.
    pub tag: String,
    /// Its field name in the contract and in field paths: its name in snake_case.
    pub field: String,
}

impl<'a> Choice<'a> {
    /// The model, or `None` (with errors recorded) when a variant is neither a newtype nor a
    /// unit variant, or the enum is generic.
    pub fn from_ast(
        cx: &mut Ctxt,
        input: &'a DeriveInput,
        data: &'a DataEnum,
    ) -> Option<Choice<'a>> {
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "ReadinessContract cannot be derived for a generic enum: its contract is a static description of concrete types",
            );
        }
        let attrs = ChoiceAttrs::parse(cx, &input.attrs);
        let mut ok = true;
        let mut variants = Vec::new();
        for variant in &data.variants {
            let ty = match &variant.fields {
                Fields::Unit => None,
                Fields::Unnamed(fields) if fields.unnamed.len() == 1 => {
                    let field = &fields.unnamed[0];
                    if let Some(attr) = field.attrs.iter().find(|a| a.path().is_ident("contract")) {
                        cx.error_spanned_by(
                            attr,
                            "`#[contract(...)]` goes on the variant, not on the struct it carries",
                        );
                    }
                    Some(&field.ty)
                }
                Fields::Unnamed(fields) => {
                    ok = false;
                    cx.error_spanned_by(
                        fields,
                        format!(
                            "a variant carries one config struct: put these fields in a struct that derives ReadinessContract and write `{}(ThatStruct)`",
                            variant.ident
                        ),
                    );
                    continue;
                }
                Fields::Named(fields) => {
                    ok = false;
                    cx.error_spanned_by(
                        fields,
                        format!(
                            "a variant cannot hold fields of its own: move them into a struct that derives ReadinessContract and write `{}({}Config)`",
                            variant.ident, variant.ident
                        ),
                    );
                    continue;
                }
            };
            let attrs = VariantAttrs::parse(cx, &variant.attrs);
            let field = snake_case(&variant.ident.unraw().to_string());
            let tag = attrs
                .tag
                .get()
                .map_or_else(|| field.clone(), syn::LitStr::value);
            variants.push(Variant {
                ident: &variant.ident,
                ty,
                attrs,
                tag,
                field,
            });
        }
        ok.then(|| Choice {
            ident: &input.ident,
            attrs,
            doc: doc_comment(&input.attrs),
            variants,
        })
    }

    /// The path of the `health` crate in generated code.
    pub fn krate(&self) -> Path {
        self.attrs.krate.krate()
    }
}

/// `LocalDisk` as `local_disk`, `S3` as `s3`, `HTTPCache` as `http_cache`.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() && i > 0 {
            let after_lower = chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit();
            let before_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if (after_lower || (before_lower && chars[i - 1].is_uppercase())) && chars[i - 1] != '_'
            {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn snake_case_splits_words() {
        for (name, snake) in [
            ("LocalDisk", "local_disk"),
            ("S3", "s3"),
            ("HTTPCache", "http_cache"),
            ("Redis", "redis"),
            ("Gcs2Bucket", "gcs2_bucket"),
        ] {
            assert_eq!(super::snake_case(name), snake);
        }
    }
}

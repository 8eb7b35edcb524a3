//! The `#[contract(...)]` keys of a selected enum and of its variants.

use syn::{Attribute, Ident, LitStr, Path};

use super::{STRING, Slot, flag, for_each_key, parse_path, value};
use crate::ctxt::Ctxt;

/// Keys on the enum: `#[contract(prefix = "..", crate = path, tag = "BACKEND", exactly_one,
/// debug)]`.
pub struct ChoiceAttrs {
    pub prefix: Slot<LitStr>,
    pub krate: Slot<Path>,
    /// The tag variable's name: the choice is made by its value.
    pub tag: Slot<LitStr>,
    /// Without a tag: two configured variants fail.
    pub exactly_one: Slot<()>,
    /// A `Debug` that prints the chosen variant through its struct's redacting `Debug`.
    pub debug: Slot<()>,
}

/// Keys on a variant: `#[contract(tag = "s3", prefix = "S3_", default)]`.
pub struct VariantAttrs {
    /// The tag variable's value that chooses it.
    pub tag: Slot<LitStr>,
    /// Before every variable of the struct it carries.
    pub prefix: Slot<LitStr>,
    /// Used when no tag is set, or (without a tag) when no variant is configured.
    pub default: Slot<()>,
}

const CHOICE_KEYS: &[&str] = &["prefix", "crate", "tag", "exactly_one", "debug"];
const VARIANT_KEYS: &[&str] = &["tag", "prefix", "default"];

impl ChoiceAttrs {
    /// Reads every `#[contract(...)]` on the enum.
    pub fn parse(cx: &mut Ctxt, attrs: &[Attribute]) -> ChoiceAttrs {
        let mut out = ChoiceAttrs {
            prefix: Slot::new("prefix"),
            krate: Slot::new("crate"),
            tag: Slot::new("tag"),
            exactly_one: Slot::new("exactly_one"),
            debug: Slot::new("debug"),
        };
        for_each_key(cx, attrs, CHOICE_KEYS, |cx, key, meta| {
            match key.to_string().as_str() {
                "prefix" => out.prefix.set_some(string(cx, &key, meta), cx, &key),
                "tag" => out.tag.set_some(string(cx, &key, meta), cx, &key),
                "exactly_one" => flag(cx, &key, meta, &mut out.exactly_one),
                "debug" => flag(cx, &key, meta, &mut out.debug),
                "crate" => {
                    let path = value(
                        cx,
                        &key,
                        meta,
                        "a path: `crate = my_crate::health`",
                        parse_path,
                    );
                    out.krate.set_some(path, cx, &key);
                }
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

impl VariantAttrs {
    /// Reads every `#[contract(...)]` on a variant.
    pub fn parse(cx: &mut Ctxt, attrs: &[Attribute]) -> VariantAttrs {
        let mut out = VariantAttrs {
            tag: Slot::new("tag"),
            prefix: Slot::new("prefix"),
            default: Slot::new("default"),
        };
        for_each_key(cx, attrs, VARIANT_KEYS, |cx, key, meta| {
            match key.to_string().as_str() {
                "tag" => out.tag.set_some(string(cx, &key, meta), cx, &key),
                "prefix" => out.prefix.set_some(string(cx, &key, meta), cx, &key),
                "default" => flag(cx, &key, meta, &mut out.default),
                _ => return Ok(false),
            }
            Ok(true)
        });
        out
    }
}

/// `= "text"` after `key`.
fn string(cx: &mut Ctxt, key: &Ident, meta: &syn::meta::ParseNestedMeta) -> Option<LitStr> {
    value(cx, key, meta, STRING, |input| input.parse())
}

//! How a selected enum's variant is chosen, as the derive records it: the mode, the tag
//! variable and the variants, as indexes into the enum's fields.

/// How an enum's variant is chosen, as the derive records it.
#[derive(Debug)]
pub struct ChoiceSpec {
    mode: ChoiceMode,
    /// The tag variable's index in the enum's [`fields`](crate::Contract::fields).
    tag: Option<usize>,
    variants: &'static [VariantSpec],
    /// The index in `variants` of the `#[contract(default)]` variant.
    default: Option<usize>,
}

/// How the variant is chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChoiceMode {
    /// `#[contract(tag = "BACKEND")]`: a variable names the variant.
    Tag,
    /// No tag: the first variant, in declared order, that is configured.
    FirstSet,
    /// `#[contract(exactly_one)]`: the one configured variant; two configured fail
    /// (`conflict`).
    ExactlyOne,
}

/// One variant of a selected enum.
#[derive(Debug)]
pub struct VariantSpec {
    ident: &'static str,
    tag: &'static str,
    /// The index in the enum's [`fields`](crate::Contract::fields) of the struct it carries; `None`
    /// for a unit variant.
    field: Option<usize>,
}

impl ChoiceMode {
    /// The snake_case name: `tag`, `first_set`, `exactly_one`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChoiceMode::Tag => "tag",
            ChoiceMode::FirstSet => "first_set",
            ChoiceMode::ExactlyOne => "exactly_one",
        }
    }
}

impl ChoiceSpec {
    #[doc(hidden)]
    pub const fn __new(mode: ChoiceMode, variants: &'static [VariantSpec]) -> ChoiceSpec {
        ChoiceSpec {
            mode,
            tag: None,
            variants,
            default: None,
        }
    }

    #[doc(hidden)]
    pub const fn __tag(mut self, field: usize) -> ChoiceSpec {
        self.tag = Some(field);
        self
    }

    #[doc(hidden)]
    pub const fn __default(mut self, variant: usize) -> ChoiceSpec {
        self.default = Some(variant);
        self
    }

    /// How the variant is chosen.
    pub fn mode(&self) -> ChoiceMode {
        self.mode
    }

    /// The tag variable's index in the enum's [`fields`](crate::Contract::fields), in
    /// [`ChoiceMode::Tag`].
    pub fn tag(&self) -> Option<usize> {
        self.tag
    }

    /// The variants, in declared order.
    pub fn variants(&self) -> &'static [VariantSpec] {
        self.variants
    }

    /// The index in [`variants`](Self::variants) of the variant used when no tag is set (or,
    /// without a tag, when none is configured).
    pub fn default(&self) -> Option<usize> {
        self.default
    }
}

impl VariantSpec {
    #[doc(hidden)]
    pub const fn __new(
        ident: &'static str,
        tag: &'static str,
        field: Option<usize>,
    ) -> VariantSpec {
        VariantSpec { ident, tag, field }
    }

    /// The variant's Rust name: `S3`.
    pub fn ident(&self) -> &'static str {
        self.ident
    }

    /// Its tag: `#[contract(tag = "..")]`, or its name in snake_case (`local_disk`). The value
    /// of the tag variable that chooses it, and its name in field paths.
    pub fn tag(&self) -> &'static str {
        self.tag
    }

    /// The index in the enum's [`fields`](crate::Contract::fields) of the struct it carries; `None`
    /// for a unit variant, which has no variables.
    pub fn field(&self) -> Option<usize> {
        self.field
    }
}

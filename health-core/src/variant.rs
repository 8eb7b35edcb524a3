//! Selected variants: an enum whose variants carry config structs (a storage backend: local
//! disk, S3, ...), one of them chosen on each load, recorded in its contract as data.
//!
//! `#[derive(ReadinessContract)]` on such an enum gives it a [`Contract`] whose fields are the
//! tag variable (when the choice is made by one) and one nested field per variant that
//! carries a struct, marked [`Activation::Variant`](crate::Activation::Variant); the enum's
//! [`ChoiceSpec`] says how the variant is chosen. [`Contract::variants`] gives every choice
//! of a config with full variable names, for the docs and `config verify`.
//!
//! A variant is *configured* when any of its variables is set and non-empty (its `NAME_FILE`
//! or an old name counts), as for an optional group.

use crate::contract::{Contract, FieldKind, Variable, join_path};
use crate::rule::{and, or};

mod spec;

pub use self::spec::{ChoiceMode, ChoiceSpec, VariantSpec};

/// A selected enum of a config, with its variables' full names: what the docs and
/// `config verify` show.
#[derive(Clone, Debug)]
pub struct Choice {
    field: String,
    type_name: &'static str,
    spec: &'static ChoiceSpec,
    tag: Option<Variable>,
    variants: Vec<Variant>,
}

/// One variant of a [`Choice`], with its variables' full names.
#[derive(Clone, Debug)]
pub struct Variant {
    spec: &'static VariantSpec,
    field: String,
    variables: Vec<Variable>,
}

impl Choice {
    /// The field path of the enum (`storage`), empty when the config itself is the enum.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// How the variant is chosen.
    pub fn mode(&self) -> ChoiceMode {
        self.spec.mode()
    }

    /// The tag variable, in [`ChoiceMode::Tag`].
    pub fn tag(&self) -> Option<&Variable> {
        self.tag.as_ref()
    }

    /// The variants, in declared order.
    pub fn variants(&self) -> &[Variant] {
        &self.variants
    }

    /// The `#[contract(default)]` variant.
    pub fn default(&self) -> Option<&Variant> {
        self.spec.default().map(|i| &self.variants[i])
    }

    /// The stable name of the choice's entry in reports when it is made by presence (by a
    /// tag, the tag variable's entry is the check): `variant:` and its field path (the
    /// type's name for a config that is the enum itself).
    pub fn name(&self) -> String {
        choice_name(&self.field, self.type_name)
    }

    /// The choice in one plain sentence, with full variable names.
    pub fn sentence(&self) -> String {
        let listed: Vec<String> = self.variants.iter().map(Variant::listed).collect();
        let default = self.default().map(|v| v.spec.tag());
        match (&self.tag, self.spec.mode()) {
            (Some(tag), _) => {
                let unset = match default {
                    Some(d) => format!("`{d}` when it is not set"),
                    None => "it must be set".to_owned(),
                };
                format!(
                    "`{}` selects one of: {}; {unset}.",
                    tag.name(),
                    listed.join(", ")
                )
            }
            (None, mode) => {
                let none = match default {
                    Some(d) => format!("`{d}` when none is"),
                    None => "one must be".to_owned(),
                };
                let how = if mode == ChoiceMode::ExactlyOne {
                    format!("Exactly one of {} may be configured", or(&listed))
                } else {
                    format!("The first configured of {} is used", or(&listed))
                };
                format!("{how} (a variant is configured once any of its variables is set); {none}.")
            }
        }
    }
}

impl Variant {
    /// The variant's Rust name: `S3`.
    pub fn ident(&self) -> &'static str {
        self.spec.ident()
    }

    /// Its tag: the tag variable's value that chooses it, `s3`.
    pub fn tag(&self) -> &'static str {
        self.spec.tag()
    }

    /// The field path of its struct (`storage.s3`).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Every variable of its struct, nested ones included; none for a unit variant.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// `` `s3` (`APP_S3_BUCKET`, `APP_S3_REGION`) ``, or `(no variables)`.
    fn listed(&self) -> String {
        let names: Vec<String> = self
            .variables
            .iter()
            .map(|v| format!("`{}`", v.name()))
            .collect();
        if names.is_empty() {
            format!("`{}` (no variables)", self.spec.tag())
        } else {
            format!("`{}` ({})", self.spec.tag(), and(&names))
        }
    }
}

/// The entry name of a choice at `path`: `variant:storage`, or `variant:` and the type's name
/// for a config that is the enum itself.
pub(crate) fn choice_name(path: &str, type_name: &str) -> String {
    if path.is_empty() {
        format!("variant:{type_name}")
    } else {
        format!("variant:{path}")
    }
}

impl Contract {
    /// Every selected enum of the contract (the contract's own, when it is one), nested ones
    /// included, in declaration order.
    pub fn variants(&self) -> Vec<Choice> {
        let variables = self.variables();
        let mut out = Vec::new();
        self.collect_choices(&variables, &mut 0, "", &mut out);
        out
    }

    /// Walks the fields in the order of [`variables`](Contract::variables), `next` being the
    /// index of the struct's first variable there.
    fn collect_choices(
        &self,
        variables: &[Variable],
        next: &mut usize,
        path: &str,
        out: &mut Vec<Choice>,
    ) {
        let at = out.len();
        // The range in `variables` of each field.
        let mut of_field = Vec::with_capacity(self.fields().len());
        for field in self.fields() {
            let start = *next;
            match field.kind() {
                FieldKind::Var(_) => *next += 1,
                FieldKind::Nested { contract, .. } => {
                    let field_path = join_path(path, field.ident());
                    contract.collect_choices(variables, next, &field_path, out);
                }
            }
            of_field.push(start..*next);
        }
        let Some(spec) = self.choice() else {
            return;
        };
        let variants = spec
            .variants()
            .iter()
            .map(|variant| Variant {
                spec: variant,
                field: variant
                    .field()
                    .map_or_else(String::new, |i| join_path(path, self.fields()[i].ident())),
                variables: variant
                    .field()
                    .map(|i| variables[of_field[i].clone()].to_vec())
                    .unwrap_or_default(),
            })
            .collect();
        let choice = Choice {
            field: path.to_owned(),
            type_name: self.type_name(),
            spec,
            tag: spec.tag().map(|i| variables[of_field[i].start].clone()),
            variants,
        };
        out.insert(at, choice);
    }
}

#[cfg(feature = "json")]
impl serde::Serialize for Choice {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Choice", 7)?;
        s.serialize_field("name", &self.name())?;
        s.serialize_field("field", &self.field)?;
        s.serialize_field("mode", self.mode().as_str())?;
        s.serialize_field("tag", &self.tag.as_ref().map(Variable::name))?;
        s.serialize_field("default", &self.default().map(Variant::tag))?;
        s.serialize_field("variants", &self.variants)?;
        s.serialize_field("sentence", &self.sentence())?;
        s.end()
    }
}

#[cfg(feature = "json")]
impl serde::Serialize for Variant {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Variant", 3)?;
        s.serialize_field("tag", self.tag())?;
        s.serialize_field("field", &self.field)?;
        let names: Vec<&str> = self.variables.iter().map(Variable::name).collect();
        s.serialize_field("variables", &names)?;
        s.end()
    }
}

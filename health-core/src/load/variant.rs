//! The loader's side of selected variants: choosing the variant of an enum (by its tag
//! variable, or by which variant is configured), warning about the variables of the variants
//! not chosen, and loading the chosen one's struct.

use std::borrow::Cow;
use std::ffi::OsStr;

use super::loader::{IfAbsent, Loader};
use super::message::quoted;
use crate::contract::{Contract, FieldKind, Requirement, Variable};
use crate::outcome::Outcome;
use crate::report::ReportEntry;
use crate::rule::or;
use crate::status::Code;
use crate::value::{self, ValueError};
use crate::variant::{ChoiceMode, ChoiceSpec, VariantSpec, choice_name};

/// The variant a load chose, and why (said in a missing variable's message).
#[doc(hidden)]
pub struct Chosen {
    index: usize,
    why: String,
}

impl Chosen {
    /// The chosen variant's index in the enum's declared order.
    pub fn index(&self) -> usize {
        self.index
    }
}

/// A nested config's loader: `Nested::load_nested` of the variant's type.
#[doc(hidden)]
pub type NestedLoad<C> = fn(&mut Loader<'_>, &'static str, &'static str) -> Option<C>;

/// A failed choice: its code, message and the variables it blames.
type Failed = (Code, String, Vec<String>);

impl Loader<'_> {
    /// Chooses the variant of `contract`, the selected enum being read, and records what the
    /// choice found: the tag variable's entry, a failed choice, and (in a report) a `warn`
    /// (`ignored`) for each set variable of a variant not chosen. `None` when no variant
    /// could be chosen.
    pub fn select(&mut self, contract: &'static Contract) -> Option<Chosen> {
        let choice = contract.choice()?;
        // Each variant's set variables: what a choice by presence goes by, and what a report
        // warns about; a load that a tag chooses needs none of them.
        let configured: Vec<Vec<String>> = if choice.tag().is_some() && !self.records_passes() {
            Vec::new()
        } else {
            choice
                .variants()
                .iter()
                .map(|variant| match variant_struct(contract, variant) {
                    Some((_, prefix, inner)) => self.set_variables(inner, prefix),
                    None => Vec::new(),
                })
                .collect()
        };
        let (index, why) = match choice.tag() {
            Some(tag) => self.by_tag(contract, choice, tag)?,
            None => {
                let chosen = by_presence(choice, &configured, &self.of_enum());
                let name = choice_name(self.path(), contract.type_name());
                match chosen {
                    Ok(chosen) => {
                        if self.records_passes() {
                            let blamed = configured.get(chosen.0).cloned().unwrap_or_default();
                            self.push(ReportEntry::rule(name, Outcome::pass(), blamed));
                        }
                        chosen
                    }
                    Err((code, message, blamed)) => {
                        let (message, blamed) = if code == Code::MISSING {
                            self.unconfigured(contract, choice, message)
                        } else {
                            (message, blamed)
                        };
                        self.push(ReportEntry::rule(
                            name,
                            Outcome::fail(code, message),
                            blamed,
                        ));
                        return None;
                    }
                }
            }
        };
        let tag = choice.variants()[index].tag();
        let of = self.of_enum();
        if self.records_passes() {
            let reads = &configured[index];
            for (other, names) in configured.iter().enumerate() {
                if other == index {
                    continue;
                }
                let other_tag = choice.variants()[other].tag();
                for name in names.iter().filter(|n| !reads.contains(n)) {
                    let message = format!(
                        "not read: the `{tag}` variant{of} is used because {why}, so `{other_tag}` is ignored"
                    );
                    let field = variant_struct(contract, &choice.variants()[other])
                        .map(|(ident, ..)| self.field_path(ident))
                        .unwrap_or_default();
                    self.push(
                        ReportEntry::new(name.clone(), Outcome::warn(Code::IGNORED, message))
                            .with_field(field),
                    );
                }
            }
        }
        Some(Chosen {
            index,
            why: format!("the `{tag}` variant{of} is used because {why}"),
        })
    }

    /// Loads the chosen variant's struct with `load` (its type's loader), named `ident`
    /// under `prefix`; a missing variable's message says which variant is used and why.
    pub fn variant<C>(
        &mut self,
        chosen: Chosen,
        load: NestedLoad<C>,
        ident: &'static str,
        prefix: &'static str,
    ) -> Option<C> {
        let outer = self.enter_group(chosen.why);
        let config = load(self, ident, prefix);
        self.leave_group(outer);
        config
    }

    /// The variant the tag variable (field `tag` of `contract`) names, read and recorded as
    /// any variable: `missing` without a default variant, `invalid` (listing the tags) when
    /// it names none.
    fn by_tag(
        &mut self,
        contract: &'static Contract,
        choice: &'static ChoiceSpec,
        tag: usize,
    ) -> Option<(usize, String)> {
        let field = &contract.fields()[tag];
        let FieldKind::Var(spec) = field.kind() else {
            return None;
        };
        let name = [self.prefix_of(spec), spec.name()].concat();
        let given = self.is_set(&name, false);
        let variants = choice.variants();
        let parse = |raw: Cow<'_, OsStr>| tag_of(&raw, variants);
        let if_absent = match choice.default() {
            Some(default) => IfAbsent::Parse(variants[default].tag()),
            None => IfAbsent::Fail,
        };
        let index = self.full_field(spec, field.ident(), &parse, if_absent, None, None)?;
        let tag = variants[index].tag();
        let why = if given {
            format!("`{name}` is `{tag}`")
        } else {
            format!("`{name}` is not set and it is the default")
        };
        Some((index, why))
    }

    /// ` of `storage``, or nothing for a config that is the enum itself.
    fn of_enum(&self) -> String {
        if self.path().is_empty() {
            String::new()
        } else {
            format!(" of `{}`", self.path())
        }
    }

    /// The message and blamed variables of a choice without a configured variant: the
    /// required variables of each variant (every one of a variant with none required).
    fn unconfigured(
        &self,
        contract: &'static Contract,
        choice: &'static ChoiceSpec,
        message: String,
    ) -> (String, Vec<String>) {
        let mut blamed = Vec::new();
        let needs: Vec<String> = choice
            .variants()
            .iter()
            .filter_map(|variant| {
                let (_, prefix, inner) = variant_struct(contract, variant)?;
                let names = self.required_names(inner, prefix);
                let listed = format!("`{}` ({})", variant.tag(), quoted(&names));
                blamed.extend(names);
                Some(listed)
            })
            .collect();
        (
            format!("{message}: configure one of {}", or(&needs)),
            blamed,
        )
    }

    /// The full names of the required variables of `contract` nested under `prefix` (every
    /// variable when none is required).
    fn required_names(&self, contract: &Contract, prefix: &str) -> Vec<String> {
        let variables = contract.variables_under(&[self.prefix(), prefix].concat());
        let required = |v: &Variable| v.spec().requirement() == Requirement::Required;
        let any_required = variables.iter().any(required);
        variables
            .iter()
            .filter(|v| !any_required || required(v))
            .map(|v| v.name().to_owned())
            .collect()
    }
}

/// The field name, prefix and contract of the struct a variant carries; `None` for a unit
/// variant.
fn variant_struct(
    contract: &'static Contract,
    variant: &VariantSpec,
) -> Option<(&'static str, &'static str, &'static Contract)> {
    let field = contract.fields().get(variant.field()?)?;
    match field.kind() {
        FieldKind::Nested { prefix, contract } => Some((field.ident(), prefix, contract)),
        FieldKind::Var(_) => None,
    }
}

/// The variant chosen by presence: the first configured one (with `exactly_one`, the only
/// one), or the default when none is. `configured` holds each variant's set variables; `of`
/// names the enum in messages (`` of `storage` ``).
fn by_presence(
    choice: &ChoiceSpec,
    configured: &[Vec<String>],
    of: &str,
) -> Result<(usize, String), Failed> {
    let variants = choice.variants();
    let set: Vec<usize> = (0..variants.len())
        .filter(|&i| !configured[i].is_empty())
        .collect();
    if choice.mode() == ChoiceMode::ExactlyOne && set.len() > 1 {
        let each: Vec<String> = set
            .iter()
            .map(|&i| format!("`{}` ({})", variants[i].tag(), quoted(&configured[i])))
            .collect();
        let blamed = set.iter().flat_map(|&i| configured[i].clone()).collect();
        let all = if set.len() == 2 { "both" } else { "all" };
        let message = format!(
            "the variants {}{of} are {all} configured: configure exactly one",
            crate::rule::and(&each)
        );
        return Err((Code::CONFLICT, message, blamed));
    }
    match (set.first(), choice.default()) {
        (Some(&first), _) => {
            let how = if choice.mode() == ChoiceMode::ExactlyOne {
                "it is the one configured"
            } else {
                "it is the first configured"
            };
            Ok((first, format!("`{}` is set ({how})", configured[first][0])))
        }
        (None, Some(default)) => Ok((
            default,
            "no variant is configured and it is the default".to_owned(),
        )),
        (None, None) => Err((
            Code::MISSING,
            format!("no variant{of} is configured"),
            Vec::new(),
        )),
    }
}

/// The index of the variant whose tag `raw` is; `invalid`, listing the tags, for any other
/// text.
fn tag_of(raw: &OsStr, variants: &[VariantSpec]) -> Result<usize, ValueError> {
    let text = value::text(raw)?;
    variants
        .iter()
        .position(|variant| variant.tag() == text)
        .ok_or_else(|| {
            let tags: Vec<String> = variants.iter().map(|v| format!("`{}`", v.tag())).collect();
            ValueError::invalid(format!("`{text}` is not a variant: expected {}", or(&tags)))
        })
}

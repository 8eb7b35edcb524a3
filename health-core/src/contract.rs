//! The static description of a config type: every variable, built at compile time.
//!
//! The derive writes a [`Contract`] as a `const` tree (nested structs point at their own
//! contract), so documentation, examples and checks all come from the same place and nothing
//! is read from the environment to build it.

use crate::rule::RuleSpec;
use crate::variant::ChoiceSpec;
#[cfg(feature = "json")]
use serde::ser::SerializeStruct;
#[cfg(feature = "json")]
use serde::{Serialize, Serializer};

/// What the derive knows about a config struct.
#[derive(Debug)]
pub struct Contract {
    type_name: &'static str,
    doc: &'static str,
    prefix: &'static str,
    fields: &'static [Field],
    deny_unknown: bool,
    /// Every variable, nested ones included (the loader sizes its work by it).
    variable_count: usize,
    rules: &'static [RuleSpec],
    /// How the variant of a selected enum is chosen; `None` for a struct.
    choice: Option<&'static ChoiceSpec>,
}

/// One field of a config struct: a variable, or a nested config struct.
#[derive(Debug)]
pub struct Field {
    ident: &'static str,
    kind: FieldKind,
    activation: Activation,
}

/// When a nested struct's variables are read: always, or as an optional group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// A variable, or a plain nested struct: always read.
    Always,
    /// An `Option<Nested>` group: `None` when none of its variables is set (a `NAME_FILE` or
    /// an old name counts); once any is, all of its required variables are required.
    AnySet,
    /// An `Option<Nested>` group switched by a `bool` field of the same struct (its index in
    /// [`Contract::fields`]): off, its variables are neither read nor required (set ones get a
    /// `warn`, `ignored`); on, its required variables are required.
    Switch(usize),
    /// A variant of a selected enum (its index in the enum's
    /// [`ChoiceSpec::variants`](crate::ChoiceSpec::variants)): read only while it is the
    /// chosen one; set variables of a variant not chosen get a `warn` (`ignored`).
    Variant(usize),
}

/// Whether a field is one variable or a nested contract.
#[derive(Debug)]
// Contracts are `const` trees in static memory, never moved: a `VarSpec` inline costs nothing.
pub enum FieldKind {
    /// A field read from one variable.
    Var(&'static VarSpec),
    /// A field whose type is itself a config struct, read under an extra prefix.
    Nested {
        /// The prefix added before every variable of the nested struct.
        prefix: &'static str,
        /// The nested struct's contract.
        contract: &'static Contract,
    },
}

/// One variable as declared: its name without prefixes, type, docs and requirement.
#[derive(Debug)]
pub struct VarSpec {
    name: &'static str,
    ty: &'static str,
    doc: &'static str,
    requirement: Requirement,
    default: Option<&'static str>,
    secret: bool,
    allow_empty: bool,
    rule: ValueRule,
    split: Option<&'static str>,
    aliases: &'static [&'static str],
    constraints: Constraints,
    /// Why the variable is deprecated, when it is.
    deprecated: Option<&'static str>,
    /// Old values still read under an old name, with the new value each stands for.
    old_values: &'static [(&'static str, &'static str)],
    /// Whether a load can read it the quick way: no old names, no text rules. (A deprecated
    /// one can: only a report records its `warn`, and a report never takes the quick way.)
    plain: bool,
    /// `no_prefix`: the name is used as written, without any struct's prefix.
    unprefixed: bool,
    /// `probe_port`: the port the service listens on, for `config probes`.
    probe_port: bool,
    /// A `bool` field (or `Option<bool>`): present for the rules only while `true`.
    toggle: bool,
    /// The default is a Rust expression (`Ipv4Addr::LOCALHOST`), not a literal value.
    default_expression: bool,
    /// `default_from`: the variables of the same struct its default is computed from.
    derived_from: &'static [&'static VarSpec],
}

/// How a variable's text becomes the field's value: the rule the derive generated, recorded
/// so that the docs and `config verify` never guess it from the type's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRule {
    /// `bool`: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, any case, whitespace trimmed.
    Bool,
    /// `Duration`: humantime (`250ms`, `2s`, `1h 30m`).
    Duration,
    /// A primitive integer, with its type's bounds (`u16`: 0 to 65535).
    Integer {
        /// The type's `MIN`.
        min: i128,
        /// The type's `MAX`.
        max: u128,
    },
    /// `f32`, `f64`.
    Float,
    /// `String`, `SecretString`: any UTF-8 text.
    Text,
    /// `PathBuf`, `OsString`: any bytes, UTF-8 or not.
    OsText,
    /// Another type's `FromStr` (`Url`, `IpAddr`, an enum of your own).
    FromStr,
    /// `#[contract(parse_with = path)]`: the function, by its path as written.
    ParseWith(&'static str),
    /// `#[contract(deserialize)]`: serde, from the text.
    Deserialize,
}

/// Declarative constraints on a value (`range`, `one_of`, `len`), enforced by the loader
/// (`rejected`) and shown by the docs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Constraints {
    range: Option<Bounds>,
    one_of: &'static [&'static str],
    len: Option<LenBounds>,
}

/// `range = min..=max` (or `min..max`, `min..`, `..=max`): the bounds' literals as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// The lower bound's literal (inclusive), if any: `1`, `0.5`, `"1s"` (as `1s`). An
    /// integer is written in base 10 without its suffix (`0xff_u8` is `255`), as the loader
    /// parses it with the field's own parser.
    pub min: Option<&'static str>,
    /// The upper bound's literal, if any.
    pub max: Option<&'static str>,
    /// Whether `max` itself is allowed (`..=`).
    pub max_inclusive: bool,
}

/// `len = min..=max`: the number of characters of a string, or of items of a list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LenBounds {
    /// The least length allowed.
    pub min: usize,
    /// The greatest length allowed (inclusive), if any.
    pub max: Option<usize>,
}

impl Constraints {
    /// No constraint.
    pub const NONE: Constraints = Constraints {
        range: None,
        one_of: &[],
        len: None,
    };

    #[doc(hidden)]
    pub const fn __new(
        range: Option<Bounds>,
        one_of: &'static [&'static str],
        len: Option<LenBounds>,
    ) -> Constraints {
        Constraints { range, one_of, len }
    }

    /// `range = ..`: the value's bounds, compared in the field's type (each item's, for a
    /// list; the `Some`'s, for an `Option`).
    pub fn range(&self) -> Option<&Bounds> {
        self.range.as_ref()
    }

    /// `one_of = [..]`: the texts allowed (each list item's, for a list); empty when any is.
    pub fn one_of(&self) -> &'static [&'static str] {
        self.one_of
    }

    /// `len = ..`: the characters of a string, or the items of a list.
    pub fn len(&self) -> Option<&LenBounds> {
        self.len.as_ref()
    }

    /// Whether no constraint is set.
    pub fn is_empty(&self) -> bool {
        self.range.is_none() && self.one_of.is_empty() && self.len.is_none()
    }
}

/// Whether a variable must be set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// Must be set, and non-empty unless the field allows empty values (`allow_empty`).
    Required,
    /// An `Option<T>` field: absent (or empty, without `allow_empty`) is `None`.
    Optional,
    /// Has a default used when the variable is absent (or empty, without `allow_empty`).
    Default,
}

impl Contract {
    #[doc(hidden)]
    pub const fn __new(
        type_name: &'static str,
        doc: &'static str,
        prefix: &'static str,
        fields: &'static [Field],
    ) -> Contract {
        Contract {
            type_name,
            doc,
            prefix,
            fields,
            deny_unknown: false,
            variable_count: count_variables(fields),
            rules: &[],
            choice: None,
        }
    }

    #[doc(hidden)]
    pub const fn __choice(mut self, choice: &'static ChoiceSpec) -> Contract {
        self.choice = Some(choice);
        self
    }

    /// How the variant is chosen, when the config type is a selected enum
    /// ([`variants`](Contract::variants) gives every choice with full variable names).
    pub fn choice(&self) -> Option<&'static ChoiceSpec> {
        self.choice
    }

    #[doc(hidden)]
    pub const fn __rules(mut self, rules: &'static [RuleSpec]) -> Contract {
        self.rules = rules;
        self
    }

    /// The struct's own rules between variables, as declared (nested structs keep theirs);
    /// [`rules`](Contract::rules) gives every rule with full variable names.
    pub fn rule_specs(&self) -> &'static [RuleSpec] {
        self.rules
    }

    #[doc(hidden)]
    pub const fn __deny_unknown(mut self) -> Contract {
        self.deny_unknown = true;
        self
    }

    /// Whether variables that carry the prefix but belong to no field fail
    /// (`#[contract(deny_unknown)]`) rather than warn.
    pub fn denies_unknown(&self) -> bool {
        self.deny_unknown
    }

    /// The Rust name of the config type.
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The type's doc comment, empty when it has none.
    pub fn doc(&self) -> &'static str {
        self.doc
    }

    /// The type's own prefix (`#[contract(prefix = "...")]`), empty by default.
    pub fn prefix(&self) -> &'static str {
        self.prefix
    }

    /// The fields in declaration order.
    pub fn fields(&self) -> &'static [Field] {
        self.fields
    }

    /// How many variables the contract has, nested ones included (no allocation).
    pub fn variable_count(&self) -> usize {
        self.variable_count
    }

    /// Every variable, nested ones included, in declaration order, with full names.
    pub fn variables(&self) -> Vec<Variable> {
        self.variables_under("")
    }

    /// [`variables`](Self::variables) of the contract nested under `prefix` (the prefixes of
    /// the structs and the field above it), with their full names there.
    pub(crate) fn variables_under(&self, prefix: &str) -> Vec<Variable> {
        let mut out = Vec::new();
        self.collect(&mut prefix.to_owned(), "", &mut out);
        out
    }

    fn collect(&self, prefix: &mut String, path: &str, out: &mut Vec<Variable>) {
        let outer_len = prefix.len();
        prefix.push_str(self.prefix);
        for field in self.fields {
            let field_path = join_path(path, field.ident);
            match &field.kind {
                FieldKind::Var(spec) => out.push(Variable {
                    name: spec.full_name(prefix),
                    field: field_path,
                    spec,
                    derived_from: spec
                        .derived_from
                        .iter()
                        .map(|s| s.full_name(prefix))
                        .collect(),
                }),
                FieldKind::Nested {
                    prefix: nested,
                    contract,
                } => {
                    let len = prefix.len();
                    prefix.push_str(nested);
                    contract.collect(prefix, &field_path, out);
                    prefix.truncate(len);
                }
            }
        }
        prefix.truncate(outer_len);
    }
}

/// The number of variables of `fields`, nested ones included: counted when the contract is
/// built, at compile time.
const fn count_variables(fields: &[Field]) -> usize {
    let (mut count, mut index) = (0, 0);
    while index < fields.len() {
        count += match &fields[index].kind {
            FieldKind::Var(_) => 1,
            FieldKind::Nested { contract, .. } => contract.variable_count,
        };
        index += 1;
    }
    count
}

pub(crate) fn join_path(path: &str, ident: &str) -> String {
    if path.is_empty() {
        ident.to_owned()
    } else {
        [path, ".", ident].concat()
    }
}

impl Field {
    #[doc(hidden)]
    pub const fn __var(ident: &'static str, spec: &'static VarSpec) -> Field {
        Field {
            ident,
            kind: FieldKind::Var(spec),
            activation: Activation::Always,
        }
    }

    #[doc(hidden)]
    pub const fn __nested(
        ident: &'static str,
        prefix: &'static str,
        contract: &'static Contract,
    ) -> Field {
        Field {
            ident,
            kind: FieldKind::Nested { prefix, contract },
            activation: Activation::Always,
        }
    }

    #[doc(hidden)]
    pub const fn __group(mut self, activation: Activation) -> Field {
        self.activation = activation;
        self
    }

    /// When the field's variables are read: [`Activation::Always`] but for an optional group
    /// or a variant of a selected enum.
    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// The Rust field name (raw identifiers without `r#`).
    pub fn ident(&self) -> &'static str {
        self.ident
    }

    /// A variable or a nested contract.
    pub fn kind(&self) -> &FieldKind {
        &self.kind
    }
}

impl VarSpec {
    #[doc(hidden)]
    pub const fn __new(
        name: &'static str,
        ty: &'static str,
        doc: &'static str,
        requirement: Requirement,
        default: Option<&'static str>,
        secret: bool,
        allow_empty: bool,
    ) -> VarSpec {
        VarSpec {
            name,
            ty,
            doc,
            requirement,
            default,
            secret,
            allow_empty,
            rule: ValueRule::FromStr,
            split: None,
            aliases: &[],
            constraints: Constraints::NONE,
            deprecated: None,
            old_values: &[],
            plain: true,
            unprefixed: false,
            probe_port: false,
            toggle: false,
            default_expression: false,
            derived_from: &[],
        }
    }

    #[doc(hidden)]
    pub const fn __derived_from(mut self, sources: &'static [&'static VarSpec]) -> VarSpec {
        self.derived_from = sources;
        self
    }

    /// `#[contract(default_from(path(a, b)))]`: the variables (of the same struct) whose
    /// values compute the default; [`default`](VarSpec::default) is the call as written.
    pub fn derived_from(&self) -> &'static [&'static VarSpec] {
        self.derived_from
    }

    #[doc(hidden)]
    pub const fn __unprefixed(mut self) -> VarSpec {
        self.unprefixed = true;
        self
    }

    /// `#[contract(no_prefix)]`: the variable's name is used as written, outside every
    /// struct's prefix (`DATABASE_URL` in a config whose other variables are `APP_..`).
    pub fn is_unprefixed(&self) -> bool {
        self.unprefixed
    }

    #[doc(hidden)]
    pub const fn __default_expression(mut self) -> VarSpec {
        self.default_expression = true;
        self
    }

    /// Whether the `default` is a Rust expression (`Ipv4Addr::LOCALHOST`, `vec![..]`) rather
    /// than a literal (`"2s"`, `8000`, `true`): [`default`](VarSpec::default) is then the
    /// expression as written, not a value the variable could be set to.
    pub fn default_is_expression(&self) -> bool {
        self.default_expression
    }

    #[doc(hidden)]
    pub const fn __toggle(mut self) -> VarSpec {
        self.toggle = true;
        self
    }

    /// A `bool` field (or `Option<bool>`), whatever parses it: it counts as set for the rules
    /// and groups only while it is `true`, so `FEATURE=false` never switches a rule on.
    pub fn is_toggle(&self) -> bool {
        self.toggle
    }

    #[doc(hidden)]
    pub const fn __probe_port(mut self) -> VarSpec {
        self.probe_port = true;
        self
    }

    /// `#[contract(probe_port)]`: the port the service listens on, where `config probes`
    /// points the probes (rather than a variable named `PORT` after the struct's prefix).
    pub fn is_probe_port(&self) -> bool {
        self.probe_port
    }

    #[doc(hidden)]
    pub const fn __rule(mut self, rule: ValueRule, split: Option<&'static str>) -> VarSpec {
        self.rule = rule;
        self.split = split;
        self
    }

    #[doc(hidden)]
    pub const fn __aliases(mut self, aliases: &'static [&'static str]) -> VarSpec {
        self.aliases = aliases;
        self.plain = false;
        self
    }

    #[doc(hidden)]
    pub const fn __constraints(mut self, constraints: Constraints) -> VarSpec {
        self.constraints = constraints;
        if !constraints.one_of.is_empty() || constraints.len.is_some() {
            self.plain = false;
        }
        self
    }

    #[doc(hidden)]
    pub const fn __deprecated(mut self, why: &'static str) -> VarSpec {
        self.deprecated = Some(why);
        self
    }

    #[doc(hidden)]
    pub const fn __old_values(
        mut self,
        values: &'static [(&'static str, &'static str)],
    ) -> VarSpec {
        self.old_values = values;
        self
    }

    /// `#[contract(deprecated = "..")]`: why the variable is going away. While it is set, its
    /// entry is a `warn` (`deprecated`) saying so; the value is still read.
    pub fn deprecated(&self) -> Option<&'static str> {
        self.deprecated
    }

    /// `#[contract(old_values("prod" => "production"))]`: values still accepted under an old
    /// name (an alias), each with the value it now stands for.
    pub fn old_values(&self) -> &'static [(&'static str, &'static str)] {
        self.old_values
    }

    /// The prefix it takes in a struct whose variables take `prefix`: none for a `no_prefix`
    /// variable.
    pub(crate) fn prefix_in<'p>(&self, prefix: &'p str) -> &'p str {
        if self.unprefixed { "" } else { prefix }
    }

    /// Its full name in a struct whose variables take `prefix`.
    fn full_name(&self, prefix: &str) -> String {
        [self.prefix_in(prefix), self.name].concat()
    }

    /// Whether a load reads it the quick way: no old names, no text rules.
    pub(crate) fn is_plain(&self) -> bool {
        self.plain
    }

    /// How one value (one item, for a list) is read.
    pub fn rule(&self) -> ValueRule {
        self.rule
    }

    /// The separator of a list field (`Vec<T>`, `split = ".."`, `,` by default); `None` for a
    /// single value.
    pub fn split(&self) -> Option<&'static str> {
        self.split
    }

    /// Old names still read (`#[contract(alias = "..")]`), without prefixes, newest first.
    pub fn aliases(&self) -> &'static [&'static str] {
        self.aliases
    }

    /// `range`, `one_of` and `len`.
    pub fn constraints(&self) -> &Constraints {
        &self.constraints
    }

    /// The variable name without any prefix.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The field's Rust type as written, e.g. `Option<url::Url>`.
    pub fn ty(&self) -> &'static str {
        self.ty
    }

    /// The field's doc comment, empty when it has none.
    pub fn doc(&self) -> &'static str {
        self.doc
    }

    /// Required, optional or defaulted.
    pub fn requirement(&self) -> Requirement {
        self.requirement
    }

    /// The default as written in the attribute (a string literal's text, or an expression's
    /// tokens: `8000`, `Duration::from_millis(1500)`); `None` without a default and for
    /// secrets.
    pub fn default(&self) -> Option<&'static str> {
        self.default
    }

    /// Whether the value is secret: it never appears in any output.
    pub fn is_secret(&self) -> bool {
        self.secret
    }

    /// Whether an empty value counts as set (`#[contract(allow_empty)]`).
    pub fn allows_empty(&self) -> bool {
        self.allow_empty
    }
}

/// A variable with its full name (every prefix applied) and field path (`db.host`).
#[derive(Clone, Debug)]
pub struct Variable {
    name: String,
    field: String,
    spec: &'static VarSpec,
    /// The full names of the variables its default is derived from: a `no_prefix` variable's
    /// sources take the struct's prefix, which its own name does not show.
    derived_from: Vec<String>,
}

impl Variable {
    /// The full variable name, prefixes applied: `APP_DB_HOST`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The field path from the root struct: `db.host`.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The declaration: type, docs, requirement, default, secrecy.
    pub fn spec(&self) -> &'static VarSpec {
        self.spec
    }

    /// The full names of the variables its default is derived from (`default_from`), with
    /// their struct's prefixes (even when the variable itself is `no_prefix`): `APP_DATA_DIR`.
    pub fn derived_from(&self) -> Vec<String> {
        self.derived_from.clone()
    }

    /// The full old names (`#[contract(alias = "..")]`), with the same prefixes as the
    /// name: `APP_DB_HOSTNAME`.
    pub fn old_names(&self) -> Vec<String> {
        let prefix = &self.name[..self.name.len() - self.spec.name.len()];
        self.spec
            .aliases
            .iter()
            .map(|alias| [prefix, alias].concat())
            .collect()
    }
}

/// `required`, `optional` or `default`.
#[cfg(feature = "json")]
impl Serialize for Requirement {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match self {
            Requirement::Required => "required",
            Requirement::Optional => "optional",
            Requirement::Default => "default",
        })
    }
}

#[cfg(feature = "json")]
impl Serialize for Variable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Variable", 7)?;
        s.serialize_field("name", &self.name)?;
        s.serialize_field("field", &self.field)?;
        s.serialize_field("type", self.spec.ty)?;
        s.serialize_field("doc", self.spec.doc)?;
        s.serialize_field("requirement", &self.spec.requirement)?;
        s.serialize_field("default", &self.spec.default)?;
        s.serialize_field("secret", &self.spec.secret)?;
        if let Some(why) = self.spec.deprecated {
            s.serialize_field("deprecated", why)?;
        }
        if !self.spec.derived_from.is_empty() {
            s.serialize_field("derived_from", &self.derived_from())?;
        }
        s.end()
    }
}

/// Serializes as `{"type": ..., "doc": ..., "variables": [...], "groups": [...], "rules": [...]}`
/// with full names, and `"variants": [...]` when it has selected enums.
#[cfg(feature = "json")]
impl Serialize for Contract {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Contract", 5)?;
        s.serialize_field("type", self.type_name)?;
        s.serialize_field("doc", self.doc)?;
        s.serialize_field("variables", &self.variables())?;
        s.serialize_field("groups", &self.optional_groups())?;
        s.serialize_field("rules", &self.rules())?;
        let variants = self.variants();
        if !variants.is_empty() {
            s.serialize_field("variants", &variants)?;
        }
        s.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static DATA: VarSpec = VarSpec::__new(
        "DATA_DIR",
        "PathBuf",
        "",
        Requirement::Required,
        None,
        false,
        false,
    );
    static CACHE: VarSpec = VarSpec::__new(
        "CACHE_DIR",
        "PathBuf",
        "",
        Requirement::Default,
        Some("under(data)"),
        false,
        false,
    )
    .__unprefixed()
    .__derived_from(&[&DATA]);
    static DIRS: Contract = Contract::__new(
        "Dirs",
        "",
        "APP_",
        &[Field::__var("data", &DATA), Field::__var("cache", &CACHE)],
    );

    #[test]
    fn a_no_prefix_variable_is_derived_from_its_struct_s_prefixed_names() {
        let variables = DIRS.variables();
        assert_eq!(variables[1].name(), "CACHE_DIR");
        assert_eq!(variables[1].derived_from(), ["APP_DATA_DIR"]);
        assert!(variables[0].derived_from().is_empty());
    }
}

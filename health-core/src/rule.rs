//! Rules between the variables of one config struct, recorded in its contract as data.
//!
//! `#[contract(requires(tls_cert => tls_key))]` on a struct becomes one [`RuleSpec`] in the
//! struct's [`Contract`]: the loader checks it on every load as its own named entry of the
//! report, and every generator (`.env.example`, Markdown, JSON Schema) and `config verify`
//! read the same record, so no rule is written twice.
//!
//! A variable is *present* when it is set and non-empty (its `NAME_FILE` or an old name
//! counts); a `bool` field is present only when it is `true`, so `FEATURE=false` never
//! switches a rule on.

use crate::contract::{Activation, Contract, FieldKind, Variable};

mod spec;

pub use self::spec::{RuleKind, RuleSpec};

/// A rule of a contract with its variables' full names (every prefix applied): what the
/// report, the docs and `config verify` show.
#[derive(Clone, Debug)]
pub struct Rule {
    spec: &'static RuleSpec,
    members: Vec<Variable>,
    condition: Option<(Variable, &'static str)>,
}

impl Rule {
    /// What the rule asks.
    pub fn kind(&self) -> RuleKind {
        self.spec.kind()
    }

    /// The variables the rule names, in the order written (`requires`, `conflicts`: the
    /// trigger first).
    pub fn members(&self) -> &[Variable] {
        &self.members
    }

    /// `required_if`: the variable compared and the value's text.
    pub fn condition(&self) -> Option<(&Variable, &'static str)> {
        self.condition.as_ref().map(|(v, text)| (v, *text))
    }

    /// `check`: the function's path as written.
    pub fn function(&self) -> Option<&'static str> {
        self.spec.function()
    }

    /// The stable name of the rule's entry in reports: the kind, then the variables it names
    /// (`requires:APP_TLS_CERT,APP_TLS_KEY`; `required_if:APP_MODE=tls,APP_CERT`;
    /// `check:tls_pair`).
    pub fn name(&self) -> String {
        rule_name(
            self.spec,
            &self.names(),
            self.condition.as_ref().map(|(v, t)| (v.name(), *t)),
        )
    }

    /// The rule in one plain sentence, with full variable names.
    pub fn sentence(&self) -> String {
        sentence(
            self.spec,
            &self.names(),
            self.condition.as_ref().map(|(v, t)| (v.name(), *t)),
        )
    }

    fn names(&self) -> Vec<&str> {
        self.members.iter().map(Variable::name).collect()
    }
}

/// The entry name of `spec` over the full `names` of its members.
pub(crate) fn rule_name(
    spec: &RuleSpec,
    names: &[&str],
    condition: Option<(&str, &str)>,
) -> String {
    let kind = spec.kind().as_str();
    match (spec.kind(), condition, spec.function()) {
        (RuleKind::Check, _, Some(function)) => format!("{kind}:{}", short_path(function)),
        (RuleKind::RequiredIf, Some((field, value)), _) => {
            format!("{kind}:{field}={value},{}", names.join(","))
        }
        _ => format!("{kind}:{}", names.join(",")),
    }
}

/// `spec` in one sentence over the full `names` of its members.
pub(crate) fn sentence(spec: &RuleSpec, names: &[&str], condition: Option<(&str, &str)>) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    let (first, rest) = quoted
        .split_first()
        .map_or(("", &[][..]), |(f, r)| (f.as_str(), r));
    match spec.kind() {
        RuleKind::Requires => format!("When {first} is set, {} must be set too.", and(rest)),
        RuleKind::Conflicts => format!("When {first} is set, {} must not be.", or(rest)),
        RuleKind::ExactlyOneOf => format!("Exactly one of {} must be set.", or(&quoted)),
        RuleKind::AtMostOneOf => format!("At most one of {} may be set.", or(&quoted)),
        RuleKind::AtLeastOneOf => format!("At least one of {} must be set.", or(&quoted)),
        RuleKind::RequiredIf => {
            let (field, value) = condition.unwrap_or(("", ""));
            format!("When `{field}` is `{value}`, {} must be set.", and(&quoted))
        }
        RuleKind::Check => format!(
            "`{}` checks {} together.",
            spec.function().map(short_path).unwrap_or("a function"),
            and(&quoted)
        ),
    }
}

/// The last segment of a function path: `tls::pair` is `pair`.
fn short_path(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn and(items: &[String]) -> String {
    join(items, "and")
}

/// `a`, `a or b`, `a, b or c`.
pub(crate) fn or(items: &[String]) -> String {
    join(items, "or")
}

fn join(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

/// An optional group (`Option<Nested>`) with its variables' full names.
#[derive(Clone, Debug)]
pub struct OptionalGroup {
    field: String,
    switch: Option<Variable>,
    variables: Vec<Variable>,
}

impl OptionalGroup {
    /// The field path of the group (`mail`, `notify.smtp`).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The `bool` variable that switches the group on, when it has one; without one, the
    /// group is on as soon as any of its variables is set.
    pub fn switch(&self) -> Option<&Variable> {
        self.switch.as_ref()
    }

    /// Every variable of the group, nested ones included, in declaration order.
    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// The group's stable name, as in reports: `group:` and its field path.
    pub fn name(&self) -> String {
        format!("group:{}", self.field)
    }

    /// The group in one plain sentence, with full variable names.
    pub fn sentence(&self) -> String {
        let required: Vec<String> = self
            .variables
            .iter()
            .filter(|v| v.spec().requirement() == crate::contract::Requirement::Required)
            .map(|v| format!("`{}`", v.name()))
            .collect();
        let needs = if required.is_empty() {
            "nothing more".to_owned()
        } else {
            and(&required)
        };
        match &self.switch {
            Some(switch) => format!(
                "While `{}` is true, {needs} must be set; while it is false, the group's variables are ignored.",
                switch.name()
            ),
            None => format!(
                "Set all or none: once any variable of the group is set, {needs} must be set."
            ),
        }
    }
}

impl Contract {
    /// Every optional group of the contract, nested ones included, in declaration order.
    pub fn optional_groups(&self) -> Vec<OptionalGroup> {
        let variables = self.variables();
        let mut out = Vec::new();
        self.collect_groups(&variables, &mut 0, "", &mut out);
        out
    }

    fn collect_groups(
        &self,
        variables: &[Variable],
        next: &mut usize,
        path: &str,
        out: &mut Vec<OptionalGroup>,
    ) {
        let mut of_field = Vec::with_capacity(self.fields().len());
        for field in self.fields() {
            match field.kind() {
                FieldKind::Var(_) => {
                    of_field.push(Some(*next));
                    *next += 1;
                }
                FieldKind::Nested { contract, .. } => {
                    of_field.push(None);
                    let field_path = crate::contract::join_path(path, field.ident());
                    let start = *next;
                    let at = out.len();
                    contract.collect_groups(variables, next, &field_path, out);
                    let switch = match field.activation() {
                        Activation::Always | Activation::Variant(_) => continue,
                        Activation::AnySet => None,
                        Activation::Switch(index) => of_field
                            .get(index)
                            .copied()
                            .flatten()
                            .map(|i| variables[i].clone()),
                    };
                    out.insert(
                        at,
                        OptionalGroup {
                            field: field_path,
                            switch,
                            variables: variables[start..*next].to_vec(),
                        },
                    );
                }
            }
        }
    }

    /// Every rule of the contract, nested structs' included, with full variable names, in
    /// declaration order (a struct's rules after its fields).
    pub fn rules(&self) -> Vec<Rule> {
        let variables = self.variables();
        let mut out = Vec::new();
        let mut next = 0;
        self.collect_rules(&variables, &mut next, &mut out);
        out
    }

    /// Walks the fields in the order of [`variables`](Contract::variables), `next` being the
    /// index of the struct's first variable there.
    fn collect_rules(&self, variables: &[Variable], next: &mut usize, out: &mut Vec<Rule>) {
        // The index in `variables` of each field that is a variable.
        let mut of_field = Vec::with_capacity(self.fields().len());
        for field in self.fields() {
            match field.kind() {
                FieldKind::Var(_) => {
                    of_field.push(Some(*next));
                    *next += 1;
                }
                FieldKind::Nested { contract, .. } => {
                    of_field.push(None);
                    contract.collect_rules(variables, next, out);
                }
            }
        }
        let variable = |index: usize| of_field[index].map(|i| variables[i].clone());
        for spec in self.rule_specs() {
            out.push(Rule {
                spec,
                members: spec.members().iter().filter_map(|&i| variable(i)).collect(),
                condition: spec
                    .condition()
                    .and_then(|(i, text)| variable(i).map(|v| (v, text))),
            });
        }
    }
}

#[cfg(feature = "json")]
impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Rule", 5)?;
        s.serialize_field("name", &self.name())?;
        s.serialize_field("kind", self.kind().as_str())?;
        s.serialize_field("variables", &self.names())?;
        s.serialize_field(
            "condition",
            &self.condition.as_ref().map(|(v, text)| [v.name(), text]),
        )?;
        s.serialize_field("sentence", &self.sentence())?;
        s.end()
    }
}

#[cfg(feature = "json")]
impl serde::Serialize for OptionalGroup {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("OptionalGroup", 5)?;
        s.serialize_field("name", &self.name())?;
        s.serialize_field("field", &self.field)?;
        s.serialize_field("switch", &self.switch.as_ref().map(Variable::name))?;
        let names: Vec<&str> = self.variables.iter().map(Variable::name).collect();
        s.serialize_field("variables", &names)?;
        s.serialize_field("sentence", &self.sentence())?;
        s.end()
    }
}

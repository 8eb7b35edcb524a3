//! A rule between variables as the derive records it: its kind and its members, as indexes
//! into the struct's fields.

/// One rule between variables of a struct, as the derive records it.
///
/// Members are indexes into the struct's [`fields`](crate::Contract::fields), so a rule can
/// only name fields that exist (the derive resolved the identifiers at compile time).
#[derive(Debug)]
pub struct RuleSpec {
    kind: RuleKind,
    members: &'static [usize],
    /// `required_if`: the field compared, and the value's text.
    condition: Option<(usize, &'static str)>,
    /// `check`: the function's path as written.
    function: Option<&'static str>,
}

/// What a rule asks of its members.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// `requires(a => b, c)`: when the first member is present, every other one must be.
    Requires,
    /// `conflicts(a => b, c)`: when the first member is present, no other one may be.
    Conflicts,
    /// `exactly_one_of(a, b, c)`: one member and only one is present.
    ExactlyOneOf,
    /// `at_most_one_of(a, b)`: never two members at once; none is fine.
    AtMostOneOf,
    /// `at_least_one_of(a, b)`: one member or more is present.
    AtLeastOneOf,
    /// `required_if(mode == "tls", cert, key)`: while the field equals the value, every
    /// member must be present.
    RequiredIf,
    /// `check(path, reads(a, b))`: a function of the members' typed values, run once they all
    /// loaded, blaming them when it fails.
    Check,
}

impl RuleKind {
    /// The snake_case name, as written in the attribute and in check names.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Requires => "requires",
            RuleKind::Conflicts => "conflicts",
            RuleKind::ExactlyOneOf => "exactly_one_of",
            RuleKind::AtMostOneOf => "at_most_one_of",
            RuleKind::AtLeastOneOf => "at_least_one_of",
            RuleKind::RequiredIf => "required_if",
            RuleKind::Check => "check",
        }
    }

    /// Whether the rule depends only on which variables are present (every kind but
    /// `required_if`, which compares a value, and `check`, which runs code).
    pub fn is_presence(self) -> bool {
        !matches!(self, RuleKind::RequiredIf | RuleKind::Check)
    }
}

impl RuleSpec {
    #[doc(hidden)]
    pub const fn __new(kind: RuleKind, members: &'static [usize]) -> RuleSpec {
        RuleSpec {
            kind,
            members,
            condition: None,
            function: None,
        }
    }

    #[doc(hidden)]
    pub const fn __condition(mut self, field: usize, value: &'static str) -> RuleSpec {
        self.condition = Some((field, value));
        self
    }

    #[doc(hidden)]
    pub const fn __function(mut self, path: &'static str) -> RuleSpec {
        self.function = Some(path);
        self
    }

    /// What the rule asks.
    pub fn kind(&self) -> RuleKind {
        self.kind
    }

    /// The members, as indexes into the struct's fields, in the order written.
    pub fn members(&self) -> &'static [usize] {
        self.members
    }

    /// `required_if`: the index of the field compared and the value's text.
    pub fn condition(&self) -> Option<(usize, &'static str)> {
        self.condition
    }

    /// `check`: the function's path as written.
    pub fn function(&self) -> Option<&'static str> {
        self.function
    }
}

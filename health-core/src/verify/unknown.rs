//! What the files leave open about each variable, for the rules between variables and the
//! optional groups, and the worlds they allow: the loader runs in each, and a verdict is firm
//! only when every world gives the same one.
//!
//! A value the files give (a literal, a key of a Secret or ConfigMap in the files) is known;
//! so is a variable nothing sets. A `valueFrom` of an object outside the files, the downward
//! API, or a file a `NAME_FILE` names is *set*, its value known only at run time: it stands
//! in the worlds as a placeholder that counts as set, except where its value matters (a
//! `bool` toggle, the field a `required_if` compares). An `envFrom` object or env file outside
//! the files, or the shell of `docker compose`, *may* set a variable or not: both worlds are
//! tried. Nothing is guessed.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::{OsStr, OsString};

use super::env::{Binding, Bulk, Value};
use super::provenance::Provenance;
use crate::contract::Variable;
use crate::load::ReadinessContract;
use crate::outcome::Outcome;
use crate::report::Report;
use crate::source::{Origin, Source};
use crate::status::Code;

/// What stands for a value only known at run time: set, and never a real value.
const STAND_IN: &str = "(known at run time)";

/// The most open variables one verdict enumerates (3^6 worlds at worst); beyond, it is
/// `unverified` without trying.
const MAX_OPEN: usize = 6;

/// What the files tell of one variable.
pub(super) enum Fact {
    /// The files decide: its value is known (`secret`: from a Secret's data, never quoted),
    /// or nothing sets it.
    Known { secret: bool },
    /// Set, to a value only known at run time; from where.
    Hidden(String),
    /// May be set at run time, or not; by what.
    Maybe(String),
}

impl Fact {
    /// The fact of a variable set by `binding` (or through its `NAME_FILE`, `file`), or by
    /// nothing but perhaps by `unseen`, a source outside the files.
    pub(super) fn of(
        binding: Option<&Binding>,
        file: Option<&Binding>,
        unseen: Option<&Bulk>,
    ) -> Fact {
        match (binding, file, unseen) {
            (Some(Binding { value, origin, .. }), _, _) => match (value, origin) {
                (Value::Known { secret, .. }, _) => Fact::Known { secret: *secret },
                (Value::Broken { .. }, _) => Fact::Known { secret: false },
                (Value::Runtime { .. }, Provenance::Shell { .. })
                | (Value::Runtime { .. }, Provenance::Interpolation { .. }) => {
                    Fact::Maybe(origin.describe())
                }
                (Value::Runtime { .. }, _) => Fact::Hidden(origin.describe()),
            },
            (None, Some(_), _) => Fact::Hidden("the file its `_FILE` variable names".to_owned()),
            (None, None, Some(bulk)) => Fact::Maybe(bulk.name.clone()),
            (None, None, None) => Fact::Known { secret: false },
        }
    }
}

/// One variable a verdict depends on that the files leave open, with the values tried for
/// it (`None`: not set).
pub(super) struct Open {
    /// The variable, in the contract's order.
    index: usize,
    /// The values tried for it; empty for one no world can stand for (a `check`'s input).
    choices: Vec<Option<&'static str>>,
    /// Only the world where a compared field equals the rule's value is tried: a failure
    /// there is not firm.
    pub(super) partial: bool,
}

/// The worlds the files allow, over the contract's variables.
pub(super) struct Worlds<'v> {
    variables: &'v [Variable],
    facts: Vec<Fact>,
    /// The known values, and the stand-in for each value only known at run time.
    base: HashMap<String, OsString>,
}

impl<'v> Worlds<'v> {
    /// The worlds of `variables` with these `facts` (in the same order) and `known` values.
    pub(super) fn new(
        variables: &'v [Variable],
        facts: Vec<Fact>,
        mut known: HashMap<String, OsString>,
    ) -> Worlds<'v> {
        for (variable, fact) in variables.iter().zip(&facts) {
            if let Fact::Hidden(_) = fact {
                known.insert(variable.name().to_owned(), STAND_IN.into());
            }
        }
        Worlds {
            variables,
            facts,
            base: known,
        }
    }

    /// The loader's report in the world where every variable that may be set is not.
    pub(super) fn report<C: ReadinessContract>(&self) -> Report {
        C::check_source(&Given(self.base.clone()))
    }

    /// What the files tell of `variable`.
    pub(super) fn fact(&self, variable: &Variable) -> &Fact {
        self.index(variable)
            .map_or(&Fact::Known { secret: false }, |index| &self.facts[index])
    }

    /// Whether `variable` is set in every world: a value only known at run time, or a known
    /// one the loader counts as set (non-empty, unless empty is allowed).
    pub(super) fn is_set(&self, variable: &Variable) -> bool {
        match self.fact(variable) {
            Fact::Hidden(_) => true,
            Fact::Maybe(_) => false,
            Fact::Known { .. } => self
                .base
                .get(variable.name())
                .is_some_and(|v| variable.spec().allows_empty() || !v.is_empty()),
        }
    }

    /// `variable`, when a verdict reading it depends on what the files leave open;
    /// `compared` is the value a `required_if` compares it with.
    pub(super) fn open(&self, variable: &Variable, compared: Option<&'static str>) -> Option<Open> {
        let index = self.index(variable)?;
        let toggle = variable.spec().is_toggle();
        let maybe = matches!(self.facts[index], Fact::Maybe(_));
        let (mut choices, partial) = match (&self.facts[index], toggle, compared) {
            (Fact::Known { .. }, _, _) => return None,
            (_, true, _) => (vec![Some("true"), Some("false")], false),
            (_, false, Some(value)) => (vec![Some(value)], true),
            (Fact::Hidden(_), false, None) => return None,
            (Fact::Maybe(_), false, None) => (vec![Some(STAND_IN)], false),
        };
        if maybe && !partial {
            choices.insert(0, None);
        }
        Some(Open {
            index,
            choices,
            partial,
        })
    }

    /// A selected enum's tag `variable`, when the files leave its value open: each of its
    /// `tags` is tried, and not set too when it may be set or not.
    pub(super) fn tag(&self, variable: &Variable, tags: &[&'static str]) -> Option<Open> {
        let index = self.index(variable)?;
        let unset = match &self.facts[index] {
            Fact::Known { .. } => return None,
            Fact::Hidden(_) => None,
            Fact::Maybe(_) => Some(None),
        };
        Some(Open {
            index,
            choices: unset
                .into_iter()
                .chain(tags.iter().map(|t| Some(*t)))
                .collect(),
            partial: false,
        })
    }

    /// `variable`, when its value is not known from the files: what a `check` cannot run
    /// without. No world is tried for it.
    pub(super) fn unsettled(&self, variable: &Variable) -> Option<Open> {
        let index = self.index(variable)?;
        (!matches!(self.facts[index], Fact::Known { .. })).then(|| Open {
            index,
            choices: Vec::new(),
            partial: true,
        })
    }

    /// Runs `C`'s loader in every world `open` allows, `read` reading each report; `None`
    /// when there are too many.
    pub(super) fn each<C: ReadinessContract, T>(
        &self,
        open: &[Open],
        mut read: impl FnMut(&Report) -> T,
    ) -> Option<Vec<T>> {
        if open.len() > MAX_OPEN || open.iter().any(|o| o.choices.is_empty()) {
            return None;
        }
        let mut picks = vec![0usize; open.len()];
        let mut out = Vec::new();
        loop {
            let mut world = self.base.clone();
            for (open, &pick) in open.iter().zip(&picks) {
                let name = self.variables[open.index].name().to_owned();
                match open.choices[pick] {
                    Some(value) => world.insert(name, value.into()),
                    None => world.remove(&name),
                };
            }
            out.push(read(&C::check_source(&Given(world))));
            // The next combination, like an odometer.
            let mut at = 0;
            loop {
                let Some(pick) = picks.get_mut(at) else {
                    return Some(out);
                };
                *pick += 1;
                if *pick < open[at].choices.len() {
                    break;
                }
                *pick = 0;
                at += 1;
            }
        }
    }

    /// Why `open` leaves a verdict undecided, in a few words per variable:
    /// "`APP_KEY` may be set by Secret `tls` (not in the files)".
    pub(super) fn why(&self, open: &[Open]) -> String {
        let phrases: Vec<String> = open
            .iter()
            .map(|o| {
                let name = self.variables[o.index].name();
                match &self.facts[o.index] {
                    Fact::Hidden(from) => format!("`{name}` comes from {from}"),
                    Fact::Maybe(by) => format!("`{name}` may be set by {by}"),
                    Fact::Known { .. } => format!("`{name}`"),
                }
            })
            .collect();
        phrases.join("; ")
    }

    /// The names of the variables of `open`.
    pub(super) fn names(&self, open: &[Open]) -> Vec<String> {
        open.iter()
            .map(|o| self.variables[o.index].name().to_owned())
            .collect()
    }

    fn index(&self, variable: &Variable) -> Option<usize> {
        self.variables
            .iter()
            .position(|v| v.name() == variable.name())
    }
}

/// Adds `more` to `open`, each variable once.
pub(super) fn add(open: &mut Vec<Open>, more: impl IntoIterator<Item = Open>) {
    for o in more {
        if !open.iter().any(|x| x.index == o.index) {
            open.push(o);
        }
    }
}

/// The outcome of a verdict that depends on what only the run time knows (`why`): a `warn`,
/// a failure when `strict`.
pub(super) fn undecided(why: &str, strict: bool) -> Outcome {
    let message = format!("not verified, it depends on what only the run time knows: {why}");
    if strict {
        Outcome::fail(Code::UNVERIFIED, message)
    } else {
        Outcome::warn(Code::UNVERIFIED, message)
    }
}

/// Exactly the values the files give, under the variables' own names. No `NAME_FILE` is
/// ever read (the path is the container's): what a mounted file holds, when the files have its
/// Secret or ConfigMap, is given under the variable's own name. No name is listed:
/// suggestions and unknown names are the verdict's, with their provenance.
pub(super) struct Given(pub(super) HashMap<String, OsString>);

impl Source for Given {
    fn get(&self, name: &str) -> Option<Cow<'_, OsStr>> {
        self.0.get(name).map(|v| Cow::Borrowed(v.as_os_str()))
    }

    fn origin(&self, _: &str) -> Origin {
        Origin::Provided
    }
}

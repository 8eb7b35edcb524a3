//! The verdict on each variable: the values the files give are run through the loader's own
//! rules (`check_source` on a source of exactly those values), then each outcome is set
//! against where its value comes from (a `NAME_FILE` through the file it names, when the
//! container's volumes tell what it holds): a reference that would stop the container, a value
//! only known at run time (`unverified`), a secret written in the manifest
//! (`secret_in_manifest`), an old name (`renamed`, `alias_conflict`), nothing at all
//! (`missing`, with where it was looked for and "did you mean"). Then the names of the files
//! that no variable reads: near misses, and any under the contract's prefix.

use std::collections::{HashMap, HashSet};

use super::env::{Binding, Env, Value};
use super::provenance::Provenance;
use super::report::{Entry, Policy};
use super::unknown::{Fact, Worlds};
use super::{groups, rules, variants};
use crate::contract::{Requirement, Variable};
use crate::load::ReadinessContract;
use crate::source::Origin;
use crate::status::{Code, Status};
use crate::stray::Known;
use crate::suggest::closest;

/// What sets one variable of the contract.
struct Chosen<'e> {
    binding: Option<&'e Binding>,
    /// The old name it is set under, when not under its own.
    renamed: Option<String>,
    /// An old name also set, with its own name set.
    conflict: Option<(String, &'e Binding)>,
    /// `NAME_FILE`, when the loader would read it (`NAME` unset, or empty where empty is
    /// not allowed).
    file: Option<&'e Binding>,
    /// `NAME_FILE` also set, with its own name set: a conflict, as the loader says.
    file_conflict: Option<&'e Binding>,
}

fn choose<'e>(variable: &Variable, env: &'e Env) -> Chosen<'e> {
    let name = variable.name();
    let old = variable
        .old_names()
        .into_iter()
        .find_map(|a| env.get(&a).map(|b| (a, b)));
    let empty = |b: &Binding| matches!(&b.value, Value::Known { text, .. } if text.is_empty());
    let file_name = format!("{name}_FILE");
    // The loader ignores an empty `NAME_FILE`, and reads it when `NAME` is unset or empty
    // (unless empty is allowed).
    let twin = env.get(&file_name).filter(|b| !empty(b));
    let own = env
        .get(name)
        .filter(|b| twin.is_none() || variable.spec().allows_empty() || !empty(b));
    let (file, file_conflict) = if own.is_none() {
        (twin, None)
    } else {
        (None, twin)
    };
    // What the file holds, when the container's volumes tell.
    let own = own.or(file.and(env.file(&file_name)));
    Chosen {
        binding: own.or(old.as_ref().map(|(_, b)| *b)),
        renamed: if own.is_none() {
            old.as_ref().map(|(a, _)| a.clone())
        } else {
            None
        },
        conflict: if own.is_some() { old } else { None },
        file,
        file_conflict,
    }
}

/// One entry per variable of `C`'s contract (in declaration order), then the names of the
/// files worth a word.
pub(crate) fn judge<C: ReadinessContract>(env: &Env, policy: Policy) -> Vec<Entry> {
    let contract = C::contract();
    let variables = contract.variables();
    let chosen: Vec<Chosen<'_>> = variables.iter().map(|v| choose(v, env)).collect();
    let mut given = HashMap::new();
    for (variable, chosen) in variables.iter().zip(&chosen) {
        if let Some(Binding {
            value: Value::Known { text, .. },
            ..
        }) = chosen.binding
        {
            given.insert(variable.name().to_owned(), text.clone());
        }
    }
    let facts = chosen.iter().zip(&variables);
    let facts = facts.map(|(c, v)| Fact::of(c.binding, c.file, env.unknown_for(v.name())));
    let worlds = Worlds::new(&variables, facts.collect(), given);
    let report = groups::settle::<C>(&worlds, worlds.report::<C>(), policy.strict);
    let report = variants::settle::<C>(&worlds, report, policy.strict);
    let provided: HashSet<&str> = variables
        .iter()
        .zip(&chosen)
        .filter(|(_, c)| c.binding.is_some() || c.file.is_some())
        .map(|(v, _)| v.name())
        .collect();
    // The names the loader reads and the prefixes it calls strays under: the same as a run.
    let known = Known::of(contract);
    let strangers: Vec<(&str, &Binding)> =
        env.iter().filter(|(name, _)| !known.reads(name)).collect();

    let mut entries = Vec::with_capacity(variables.len());
    for (variable, chosen) in variables.iter().zip(&chosen) {
        let loaded = report.get(variable.name());
        let (status, code, message) = match loaded {
            Some(e) => (
                e.status(),
                e.code().cloned(),
                e.message().map(str::to_owned),
            ),
            None => (Status::Pass, None, None),
        };
        let defaulted = loaded.and_then(|e| e.origin()) == Some(&Origin::Default);
        let mut entry = Entry {
            name: variable.name().to_owned(),
            field: Some(variable.field().to_owned()),
            status,
            code,
            message,
            origin: if defaulted {
                Provenance::Default
            } else {
                Provenance::Nothing
            },
            at: None,
            variables: Vec::new(),
        };
        // Unread (its optional group off) and set nowhere: nothing to say.
        if loaded.is_some() || chosen.binding.is_some() || chosen.file.is_some() {
            overlay(&mut entry, variable, chosen, env, &strangers, policy);
        }
        entries.push(entry);
    }
    entries.extend(rules::judge::<C>(&worlds, &report, policy.strict));

    let names: Vec<&str> = variables.iter().map(Variable::name).collect();
    for (name, binding) in strangers {
        let near = closest(name, names.iter().copied());
        let (status, code, message) = if let Value::Broken { code, message } = &binding.value {
            (Status::Fail, code.clone(), message.clone())
        } else if known.under_a_prefix(name) {
            let status = if contract.denies_unknown() {
                Status::Fail
            } else {
                Status::Warn
            };
            let hint = near
                .map(|n| format!(": did you mean `{n}`?"))
                .unwrap_or_default();
            let message = format!("no field of {} reads it{hint}", contract.type_name());
            (status, Code::UNKNOWN_VARIABLE, message)
        } else if let Some(near) = near.filter(|n| !provided.contains(n)) {
            let message = format!(
                "not a variable of {}: did you mean `{near}`?",
                contract.type_name()
            );
            (Status::Warn, Code::UNKNOWN_VARIABLE, message)
        } else {
            continue;
        };
        entries.push(Entry {
            name: name.to_owned(),
            field: None,
            status,
            code: Some(code),
            message: Some(message),
            origin: binding.origin.clone(),
            at: binding.at.clone(),
            variables: Vec::new(),
        });
    }
    entries
}

/// Sets one variable's entry against where its value comes from.
fn overlay(
    entry: &mut Entry,
    variable: &Variable,
    chosen: &Chosen<'_>,
    env: &Env,
    strangers: &[(&str, &Binding)],
    policy: Policy,
) {
    let spec = variable.spec();
    let Some(binding) = chosen.binding else {
        return absent(entry, variable, chosen, env, strangers, policy);
    };
    entry.origin = binding.origin.clone();
    entry.at = binding.at.clone();
    let place = |b: &Binding| b.at.as_ref().map(|a| format!(" ({a})")).unwrap_or_default();
    if let Some((old, other)) = &chosen.conflict {
        let message = format!(
            "set both as `{}`{} and as its old name `{old}`{}: keep one",
            entry.name,
            place(binding),
            place(other)
        );
        return set(entry, Status::Fail, Code::ALIAS_CONFLICT, message);
    }
    if let Some(file) = chosen.file_conflict {
        let name = &entry.name;
        let message = format!(
            "set as both `{name}`{} and `{name}_FILE`{}: keep one",
            place(binding),
            place(file)
        );
        return set(entry, Status::Fail, Code::CONFLICT, message);
    }
    match &binding.value {
        Value::Broken { code, message } => set(entry, Status::Fail, code.clone(), message.clone()),
        Value::Runtime { quotes: true, .. } if spec.is_secret() => {
            let why = "its value refers to a variable only known at run time (not shown: secret)";
            unverified(entry, why, policy);
        }
        Value::Runtime { why, .. } => unverified(entry, why, policy),
        Value::Known {
            text,
            secret,
            literal,
        } => {
            if spec.is_secret() && *literal && !text.is_empty() {
                let place = binding
                    .at
                    .as_ref()
                    .map(|a| format!(" at {a}"))
                    .unwrap_or_default();
                let message = format!(
                    "a secret written in the manifest{place}: anyone who can read the files has \
                     it; take it from a Secret, and rotate it"
                );
                return set(entry, Status::Fail, Code::SECRET_IN_MANIFEST, message);
            }
            if entry.status == Status::Fail && *secret && !spec.is_secret() {
                let code = entry.code.clone().unwrap_or(Code::INVALID);
                let message = format!(
                    "{code} (details withheld: the value comes from {})",
                    binding.origin.describe()
                );
                entry.message = Some(message);
            }
            if let Some(old) = &chosen.renamed {
                if entry.status == Status::Pass {
                    let message =
                        format!("set under its old name `{old}`: rename it `{}`", entry.name);
                    set(entry, Status::Warn, Code::RENAMED, message);
                } else if let Some(message) = &mut entry.message {
                    message.push_str(&format!(" (set under its old name `{old}`)"));
                }
            }
        }
    }
}

/// A variable the files do not set by name.
fn absent(
    entry: &mut Entry,
    variable: &Variable,
    chosen: &Chosen<'_>,
    env: &Env,
    strangers: &[(&str, &Binding)],
    policy: Policy,
) {
    let name = variable.name();
    if let Some(twin) = chosen.file {
        let path = match &twin.value {
            Value::Known {
                text,
                secret: false,
                ..
            } => Some(text.to_string_lossy().into_owned()),
            _ => None,
        };
        entry.origin = Provenance::File { path };
        entry.at = twin.at.clone();
        return unverified(
            entry,
            &format!("read from the file `{name}_FILE` names, in the container"),
            policy,
        );
    }
    if variable.spec().requirement() == Requirement::Required
        && let Some(source) = env.unknown_for(name)
    {
        entry.origin = source.origin_of(name);
        entry.at = source.at.clone();
        let read = source
            .at
            .as_ref()
            .map(|a| format!(", read at {a}"))
            .unwrap_or_default();
        let why = format!("not set in the files; may come from {}{read}", source.name);
        return unverified(entry, &why, policy);
    }
    if entry.code.as_ref() != Some(&Code::MISSING) {
        return;
    }
    let mut message = entry
        .message
        .take()
        .unwrap_or_else(|| "required variable is not set".to_owned());
    let keys: Vec<String> = env
        .searched
        .iter()
        .filter_map(|source| {
            let key = source.key(name)?;
            Some(if source.keyed {
                format!("no key `{key}` in {}", source.name)
            } else {
                format!("not in {}", source.name)
            })
        })
        .collect();
    if !keys.is_empty() {
        message.push_str(": ");
        message.push_str(&keys.join(", "));
    }
    let near = closest(name, strangers.iter().map(|(n, _)| *n));
    if let Some((near, binding)) = near.and_then(|n| strangers.iter().find(|(s, _)| *s == n)) {
        message.push_str(&format!(
            "; did you mean `{near}`, set by {}?",
            binding.origin.describe()
        ));
    }
    entry.message = Some(message);
}

/// A value only known at run time: a `warn`, or a failure under `--strict`, or when it comes
/// from a Secret or ConfigMap not among the files (unless `--allow-unverified`): a file left
/// out of the verification must not pass it.
fn unverified(entry: &mut Entry, why: &str, policy: Policy) {
    let mut message = format!("provided at run time, not verified: {why}");
    let left_out = entry.origin.is_object_outside_the_files() && !policy.allow_unverified;
    if left_out && !policy.strict {
        message.push_str(
            "; add its file to the ones verified, or allow objects created elsewhere \
             (`--allow-unverified`)",
        );
    }
    let status = if policy.strict || left_out {
        Status::Fail
    } else {
        Status::Warn
    };
    set(entry, status, Code::UNVERIFIED, message);
}

fn set(entry: &mut Entry, status: Status, code: Code, message: String) {
    entry.status = status;
    entry.code = Some(code);
    entry.message = Some(message);
}

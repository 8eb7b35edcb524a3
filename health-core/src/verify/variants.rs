//! The selected variants, applied to the files: the loader requires the variables of the
//! variant the files choose, and only those.
//!
//! The loader decides a choice in the world where everything the files leave open is not
//! set, so a tag set by a Secret or ConfigMap outside the files would read as unset there and
//! choose the default variant: a guess. When the tag, or (by presence) a variable that may
//! configure a variant, is open, every world is tried, each tag in turn: a variant's variable
//! (and the choice's own entry) whose verdict differs between them is `unverified`, naming
//! the open variables, never a guess.

use super::unknown::{Fact, Open, Worlds, add, undecided};
use crate::contract::Variable;
use crate::load::ReadinessContract;
use crate::report::{Report, ReportEntry};
use crate::status::Status;
use crate::variant::{Choice, Variant};

/// `report` with the entries of each choice (its own, and its variants' variables) settled
/// over every world the files allow.
pub(super) fn settle<C: ReadinessContract>(
    worlds: &Worlds<'_>,
    report: Report,
    strict: bool,
) -> Report {
    let mut entries = report.entries().to_vec();
    for choice in C::contract().variants() {
        let open = deciders(worlds, &choice);
        if open.is_empty() {
            continue;
        }
        let mut names: Vec<String> = choice
            .variants()
            .iter()
            .flat_map(Variant::variables)
            .filter(|v| !matches!(worlds.fact(v), Fact::Hidden(_)))
            .map(|v| v.name().to_owned())
            .collect();
        if choice.tag().is_none() {
            names.push(choice.name());
        }
        let seen = worlds.each::<C, _>(&open, |r| {
            names.iter().map(|n| r.get(n).cloned()).collect::<Vec<_>>()
        });
        for (at, name) in names.iter().enumerate() {
            let settled = match seen.as_deref().map(|seen| agreed(seen, at)) {
                // Never a failure: the entry stays as the loader gave it.
                Some(Agreed::Holds) => continue,
                Some(Agreed::Fails(entry)) => entry.clone(),
                Some(Agreed::Differs) | None => open_entry(&choice, worlds, &open, name, strict),
            };
            entries.retain(|e| e.name() != name);
            entries.push(settled);
        }
    }
    Report::new(entries)
}

/// The open variables that decide which variant is chosen: the tag, or the variables of the
/// variants that may be set.
fn deciders(worlds: &Worlds<'_>, choice: &Choice) -> Vec<Open> {
    let mut open = Vec::new();
    match choice.tag() {
        Some(tag) => {
            let tags: Vec<&'static str> = choice.variants().iter().map(Variant::tag).collect();
            add(&mut open, worlds.tag(tag, &tags));
        }
        None => {
            for variant in choice.variants() {
                let members: &[Variable] = variant.variables();
                if members.iter().any(|v| worlds.is_set(v)) {
                    continue;
                }
                add(
                    &mut open,
                    members.iter().filter_map(|v| worlds.open(v, None)),
                );
            }
        }
    }
    open
}

/// What every world says of one entry.
enum Agreed<'a> {
    /// It fails in none (a variable of a variant not chosen is at most ignored, a `warn`).
    Holds,
    /// It fails in every world, with the same code: this world's entry.
    Fails(&'a ReportEntry),
    /// It fails in some worlds only, or with different codes.
    Differs,
}

/// What the worlds `seen` say of the entry at `at`.
fn agreed(seen: &[Vec<Option<ReportEntry>>], at: usize) -> Agreed<'_> {
    fn failure(world: &[Option<ReportEntry>], at: usize) -> Option<&ReportEntry> {
        world[at].as_ref().filter(|e| e.status() == Status::Fail)
    }
    let code = |e: Option<&ReportEntry>| e.map(|e| e.code().cloned());
    let Some(first) = seen.first() else {
        return Agreed::Holds;
    };
    if !seen
        .iter()
        .all(|w| code(failure(w, at)) == code(failure(first, at)))
    {
        return Agreed::Differs;
    }
    failure(first, at).map_or(Agreed::Holds, Agreed::Fails)
}

/// The entry of `name` while the files leave the choice open.
fn open_entry(
    choice: &Choice,
    worlds: &Worlds<'_>,
    open: &[Open],
    name: &str,
    strict: bool,
) -> ReportEntry {
    let which = if choice.field().is_empty() {
        "the variant".to_owned()
    } else {
        format!("the variant of `{}`", choice.field())
    };
    let why = format!("{which} may be any of several: {}", worlds.why(open));
    ReportEntry::new(name.to_owned(), undecided(&why, strict))
}

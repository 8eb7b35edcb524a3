//! The optional groups, applied to the files: a group is on once any of its variables is set
//! (or while its switch is true), and then every required member must be set, as at start.
//!
//! The loader decides a group in the world where everything the files leave open is not set;
//! a value only known at run time counts as set there (see `unknown`). When a group's
//! switch, or a member that may be set, is open, every world is tried: a known member whose
//! verdict differs between them (`missing` while the group may be on) is `unverified`,
//! naming the open variables, rather than a guess; a member that may be set is required where
//! some world would miss it (and so `unverified` by its own verdict), and never otherwise.

use super::unknown::{Fact, Open, Worlds, undecided};
use crate::contract::{Requirement, Variable};
use crate::load::ReadinessContract;
use crate::report::{Report, ReportEntry};
use crate::rule::OptionalGroup;
use crate::status::{Code, Status};

/// `report` with the entries of the groups' members settled over every world (a member
/// whose value is only known at run time is `unverified` by its own verdict).
pub(super) fn settle<C: ReadinessContract>(
    worlds: &Worlds<'_>,
    report: Report,
    strict: bool,
) -> Report {
    let mut entries = report.entries().to_vec();
    for group in C::contract().optional_groups() {
        let open = switches(worlds, &group);
        if open.is_empty() {
            continue;
        }
        let members: Vec<&Variable> = group
            .variables()
            .iter()
            .filter(|v| !matches!(worlds.fact(v), Fact::Hidden(_)))
            .collect();
        let seen = worlds.each::<C, _>(&open, |r| {
            let get = |v: &&Variable| r.get(v.name()).cloned();
            members.iter().map(get).collect::<Vec<_>>()
        });
        for (at, member) in members.iter().enumerate() {
            let name = member.name();
            let open_entry = || open_entry(&group, worlds, &open, name, strict);
            let settled = match (worlds.fact(member), seen.as_deref()) {
                // Too many worlds: a required member may be missing.
                (_, None) => is_required(member).then(open_entry),
                // May be set at run time: required, and then `unverified` by its own verdict,
                // in any world where it would be missing; never required otherwise.
                (Fact::Maybe(_), Some(seen)) => seen
                    .iter()
                    .filter_map(|world| world[at].as_ref())
                    .find(|e| e.code() == Some(&Code::MISSING))
                    .cloned(),
                (_, Some(seen)) => match agreed(seen, at) {
                    Some(entry) => entry.clone(),
                    None => Some(open_entry()),
                },
            };
            entries.retain(|e| e.name() != name);
            entries.extend(settled);
        }
    }
    Report::new(entries)
}

/// The entry of member `at` when every world gives the same verdict on it.
fn agreed(seen: &[Vec<Option<ReportEntry>>], at: usize) -> Option<&Option<ReportEntry>> {
    let verdict = |e: &Option<ReportEntry>| {
        e.as_ref()
            .map_or((Status::Pass, None), |e| (e.status(), e.code().cloned()))
    };
    let first = &seen.first()?[at];
    seen.iter()
        .all(|world| verdict(&world[at]) == verdict(first))
        .then_some(first)
}

/// The entry of `name`, a member of `group`, while the group may be on or off.
fn open_entry(
    group: &OptionalGroup,
    worlds: &Worlds<'_>,
    open: &[Open],
    name: &str,
    strict: bool,
) -> ReportEntry {
    let why = format!(
        "the `{}` group may be on or off: {}",
        group.field(),
        worlds.why(open)
    );
    ReportEntry::new(name.to_owned(), undecided(&why, strict))
}

/// Whether the loader requires `variable` while its group is on.
fn is_required(variable: &Variable) -> bool {
    variable.spec().requirement() == Requirement::Required
}

/// The open variables that decide whether `group` is on: its switch, or its members while
/// none is set for sure.
pub(super) fn switches(worlds: &Worlds<'_>, group: &OptionalGroup) -> Vec<Open> {
    let members = group.variables();
    match group.switch() {
        Some(switch) => worlds.open(switch, None).into_iter().collect(),
        None if members.iter().any(|v| worlds.is_set(v)) => Vec::new(),
        None => members
            .iter()
            .filter_map(|v| worlds.open(v, None))
            .collect(),
    }
}

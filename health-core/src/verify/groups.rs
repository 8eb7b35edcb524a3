//! The optional groups, applied to the files: a group is on once any of its variables is set
//! (or while its switch is true), and then every required member must be set, as at start.
//!
//! The loader decides a group in the world where everything the files leave open is not set;
//! a value only known at run time counts as set there (see `unknown`). When a group's
//! switch, or a member that may be set, is open, every world is tried: a known member whose
//! verdict differs between them (`missing` while the group may be on) is `unverified`,
//! naming the open variables, rather than a guess.

use super::rules::switches;
use super::unknown::{Fact, Worlds};
use crate::load::ReadinessContract;
use crate::outcome::Outcome;
use crate::report::{Report, ReportEntry};
use crate::status::{Code, Status};

/// `report` with the entries of the groups' known members settled over every world.
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
        let known: Vec<&str> = group
            .variables()
            .iter()
            .filter(|v| matches!(worlds.fact(v), Fact::Known { .. }))
            .map(|v| v.name())
            .collect();
        let seen = worlds.each::<C, _>(&open, |r| {
            let get = |name: &&str| r.get(name).cloned();
            known.iter().map(get).collect::<Vec<_>>()
        });
        let verdict = |e: &Option<ReportEntry>| {
            e.as_ref()
                .map_or((Status::Pass, None), |e| (e.status(), e.code().cloned()))
        };
        for (at, name) in known.iter().enumerate() {
            let agreed = seen.as_ref().and_then(|seen| {
                let first = &seen.first()?[at];
                seen.iter()
                    .all(|world| verdict(&world[at]) == verdict(first))
                    .then_some(first)
            });
            let settled = match agreed {
                Some(entry) => entry.clone(),
                None => {
                    let message = format!(
                        "not verified, it depends on what only the run time knows: the `{}` group may be on or off: {}",
                        group.field(),
                        worlds.why(&open)
                    );
                    let outcome = if strict {
                        Outcome::fail(Code::UNVERIFIED, message)
                    } else {
                        Outcome::warn(Code::UNVERIFIED, message)
                    };
                    Some(ReportEntry::new(name.to_string(), outcome))
                }
            };
            entries.retain(|e| e.name() != *name);
            entries.extend(settled);
        }
    }
    Report::new(entries)
}

//! The rules between variables, applied to the files under the names the running service
//! gives them (`requires:APP_TLS_CERT,APP_TLS_KEY`), blaming the same variables: one entry per
//! rule, after the variables.
//!
//! A rule is decided when every world the files allow gives the same verdict (see
//! `unknown`): `requires(a => b)` holds whatever an unseen Secret sets once `a` is known not
//! set, and fails once `a` is set and `b` is known not set. A rule that depends on what only
//! the run time knows is `unverified` (a `warn`, a failure when strict), naming those
//! variables. A `check` function runs on the values the files give, as at start; when one of
//! the values it reads is only known at run time, it is `unverified`.

use super::groups::switches;
use super::provenance::Provenance;
use super::report::Entry;
use super::unknown::{Fact, Open, Worlds, add, undecided};
use crate::contract::Variable;
use crate::load::ReadinessContract;
use crate::report::{Report, ReportEntry};
use crate::rule::{OptionalGroup, Rule, RuleKind};
use crate::status::{Code, Status};

/// One entry per rule of `C`'s contract, in its order; `report` is the loader's in the world
/// where everything open is not set.
pub(super) fn judge<C: ReadinessContract>(
    worlds: &Worlds<'_>,
    report: &Report,
    strict: bool,
) -> Vec<Entry> {
    let contract = C::contract();
    let groups = contract.optional_groups();
    let rules = contract.rules();
    let judged = rules.iter().map(|rule| {
        let open = open_of(worlds, rule, &groups);
        let decided = match (open.is_empty(), rule.kind()) {
            (true, _) => Some(report.get(&rule.name()).map(entry)),
            (false, RuleKind::Check) => None,
            (false, _) => over_worlds::<C>(worlds, &rule.name(), &open),
        };
        match decided {
            Some(entry) => entry.map(|e| withhold(e, rule, worlds)),
            None => {
                let lead = match rule.kind() {
                    RuleKind::Check => "its function runs on the values at start, and ",
                    _ => "",
                };
                let why = format!("{lead}{}", worlds.why(&open));
                Some(unverified(rule.name(), &why, worlds.names(&open), strict))
            }
        }
    });
    judged.flatten().collect()
}

/// The entry of the rule `name` when every world `open` allows gives the same verdict
/// (`Some(None)`: none, as when its optional group is off); `None` when they differ. A failure
/// blames the variables blamed in every world.
fn over_worlds<C: ReadinessContract>(
    worlds: &Worlds<'_>,
    name: &str,
    open: &[Open],
) -> Option<Option<Entry>> {
    let seen = worlds.each::<C, _>(open, |r| r.get(name).cloned())?;
    let partial = open.iter().any(|o| o.partial);
    let status = |e: &Option<ReportEntry>| e.as_ref().map_or(Status::Pass, |e| e.status());
    if seen.iter().all(|e| status(e) == Status::Pass) {
        return Some(seen.iter().flatten().next().map(entry));
    }
    if !partial && seen.iter().all(|e| status(e) == Status::Fail) {
        // The world that blames the fewest variables blames only known ones.
        let fewest = seen.iter().flatten().min_by_key(|e| e.variables().len());
        return Some(fewest.map(entry));
    }
    None
}

/// A `check`'s message (a failure's or a warning's) may quote what its function read:
/// withheld when a value came from a Secret, as for a variable.
fn withhold(mut entry: Entry, rule: &Rule, worlds: &Worlds<'_>) -> Entry {
    let from_secret = |m: &Variable| matches!(worlds.fact(m), Fact::Known { secret: true });
    if rule.kind() == RuleKind::Check
        && entry.status != Status::Pass
        && entry.code.as_ref() != Some(&Code::SKIPPED)
        && rule.members().iter().any(from_secret)
    {
        let code = entry.code.clone().unwrap_or(Code::REJECTED);
        entry.message = Some(format!(
            "{code} (details withheld: a value it reads comes from a Secret)"
        ));
    }
    entry
}

/// What the files leave open for `rule`: its members, the field it compares, and what
/// switches an optional group holding one of its members. A `check` reads its members'
/// values, so each one known only at run time is open.
fn open_of(worlds: &Worlds<'_>, rule: &Rule, groups: &[OptionalGroup]) -> Vec<Open> {
    let mut open = Vec::new();
    let compared = rule
        .condition()
        .map(|(variable, value)| (variable, Some(value)));
    let members = rule.members().iter().map(|m| (m, None));
    for (variable, value) in compared.into_iter().chain(members) {
        add(
            &mut open,
            match rule.kind() {
                RuleKind::Check => worlds.unsettled(variable),
                _ => worlds.open(variable, value),
            },
        );
    }
    for group in groups {
        let holds = |v: &Variable| group.variables().iter().any(|g| g.name() == v.name());
        if rule.members().iter().any(holds) {
            add(&mut open, switches(worlds, group));
        }
    }
    open
}

/// The entry of a rule as the loader recorded it.
fn entry(loaded: &ReportEntry) -> Entry {
    Entry {
        name: loaded.name().to_owned(),
        field: None,
        status: loaded.status(),
        code: loaded.code().cloned(),
        message: loaded.message().map(str::to_owned),
        origin: Provenance::Nothing,
        at: None,
        variables: loaded.variables().to_vec(),
    }
}

/// The entry of a rule that depends on what only the run time knows.
fn unverified(name: String, why: &str, variables: Vec<String>, strict: bool) -> Entry {
    entry(&ReportEntry::rule(name, undecided(why, strict), variables))
}

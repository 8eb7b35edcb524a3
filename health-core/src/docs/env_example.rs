//! The `.env.example` generator.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::default_text::default_value;
use super::notes::notes;
use super::owning_variant::{owner, variant_condition};
use super::rules::Rules;
use crate::contract::{Contract, FieldKind, Requirement, Variable};
use crate::rule::RuleKind;
use crate::variant::{Choice, ChoiceMode, Variant};

/// The variant of `choice` the example uses, its block filled in: by a tag, the default (or
/// the first variant); by presence, the default when it carries variables, else the first
/// that does. `None` when that is a variant without variables.
fn shown_variant(choice: &Choice) -> Option<&Variant> {
    let carries = |v: &&Variant| !v.variables().is_empty();
    let variant = match choice.mode() {
        ChoiceMode::Tag => choice.default().or(choice.variants().first()),
        ChoiceMode::FirstSet | ChoiceMode::ExactlyOne => choice
            .default()
            .filter(carries)
            .or_else(|| choice.variants().iter().find(carries)),
    };
    variant.filter(carries)
}

/// The header lines of a variant's block: which variant it is, and, for one the example does
/// not use, how to switch to it.
fn variant_header(out: &mut String, choice: &Choice, variant: &Variant) {
    let shown = shown_variant(choice);
    if shown.is_some_and(|s| s.field() == variant.field()) {
        let why = match choice.tag() {
            Some(tag) => format!("`{}={}`", tag.name(), variant.tag()),
            None => "this block being the one configured".to_owned(),
        };
        let _ = writeln!(
            out,
            "# The `{}` variant: the one this file uses ({why}).",
            variant.tag()
        );
        return;
    }
    match choice.tag() {
        Some(tag) => {
            let (name, value) = (tag.name(), variant.tag());
            let _ = writeln!(
                out,
                "# The `{value}` variant, used when `{name}` is `{value}`: to use it, set `{name}={value}` and uncomment this block."
            );
        }
        None => {
            let instead = shown
                .map(|s| format!(", comment out the `{}` block", s.tag()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "# The `{}` variant, used when it is configured: to use it{instead} and uncomment this block.",
                variant.tag()
            );
        }
    }
}

/// The doc of the nested struct at a field path (`db`), for section headers.
fn section_doc(contract: &Contract, path: &str) -> &'static str {
    let mut current = contract;
    for ident in path.split('.') {
        let nested = current.fields().iter().find_map(|f| match f.kind() {
            FieldKind::Nested { contract, .. } if f.ident() == ident => Some(*contract),
            _ => None,
        });
        match nested {
            Some(next) => current = next,
            None => return "",
        }
    }
    current.doc()
}

/// The field path of the struct holding a variable: `db` for `db.host`, empty at the root.
fn parent(field: &str) -> &str {
    field.rsplit_once('.').map_or("", |(parent, _)| parent)
}

/// A value written so that a `.env` parser (dotenvy) reads it back unchanged.
fn dotenv_quote(value: &str) -> Cow<'_, str> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_./:,@+%=-".contains(c);
    if value.chars().all(plain) {
        Cow::Borrowed(value)
    } else if !value.contains(['\'', '\n', '\r']) {
        Cow::Owned(format!("'{value}'"))
    } else {
        let mut out = String::from("\"");
        for c in value.chars() {
            match c {
                '\\' | '"' | '$' => {
                    out.push('\\');
                    out.push(c);
                }
                '\n' => out.push_str("\\n"),
                '\r' => {}
                _ => out.push(c),
            }
        }
        out.push('"');
        Cow::Owned(out)
    }
}

/// Doc text as `# ` comment lines (a blank line of the doc becomes a bare `#`).
fn comment_lines(out: &mut String, doc: &str) {
    for line in doc.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {line}");
        }
    }
}

/// The variables in the order the example shows them: declaration order, but that the
/// dependents of a `requires` or `required_if` (of the same struct) follow their trigger, and
/// a group's switch comes right before the group.
fn shown_order(variables: Vec<Variable>, rules: &Rules) -> Vec<Variable> {
    let switches: Vec<(&str, &str)> = rules
        .groups
        .iter()
        .filter_map(|g| Some((g.switch()?.name(), g.variables().first()?.name())))
        .collect();
    let mut out: Vec<Variable> = Vec::with_capacity(variables.len());
    let shown = |out: &[Variable], name: &str| out.iter().any(|v| v.name() == name);
    let find = |name: &str| variables.iter().find(|v| v.name() == name);
    for var in &variables {
        if shown(&out, var.name()) {
            continue;
        }
        if let Some((switch, _)) = switches.iter().find(|(_, first)| *first == var.name())
            && let Some(switch) = find(switch).filter(|s| !shown(&out, s.name()))
        {
            out.push(switch.clone());
        }
        if switches.iter().any(|(switch, _)| *switch == var.name()) {
            continue;
        }
        out.push(var.clone());
        for rule in &rules.rules {
            let dependents = match (rule.kind(), rule.condition()) {
                (RuleKind::Requires, _) if rule.members()[0].name() == var.name() => {
                    &rule.members()[1..]
                }
                (RuleKind::RequiredIf, Some((trigger, _))) if trigger.name() == var.name() => {
                    rule.members()
                }
                _ => continue,
            };
            for dependent in dependents {
                let near = parent(dependent.field()) == parent(var.field());
                if near && !shown(&out, dependent.name()) {
                    out.push(dependent.clone());
                }
            }
        }
    }
    out
}

/// A `.env.example`: every variable, nested ones included, in declaration order.
///
/// It opens with the type's name and doc. Each variable gets its doc comment as `# ` lines, a
/// line `# type: u16, default: 8000` (or `required` / `optional`, then `secret` with the
/// `NAME_FILE` alternative), then one `# ` line for each of: the list separator
/// (`# a list separated by ","`), the constraints in the loader's words (`# must be in
/// 1..=65535`, ``# must be one of `debug`, `info` ``, `# must be 1 to 64 characters long`;
/// `each item ...` and `must have 1 to 8 items` for a list) and the old names
/// (`# old name: APP_LISTEN_PORT (...)`), then `NAME=` with the default filled in when it is a
/// value and not a secret's (a secret's default shows as `(hidden)`). The variables of a
/// nested struct come under a `# --- path ---` line and the struct's doc. Blank means unset:
/// a required variable must be filled in, and a blank optional or defaulted one reads as
/// absent. Values are quoted so that a `.env` parser reads them back unchanged. A variable of
/// a selected variant says when it is read: `` required when `APP_STORAGE_BACKEND` is `s3` ``
/// and `` # read only when `APP_STORAGE_BACKEND` is `s3` ``.
///
/// # Rules between variables
///
/// The example passes its own rules once its required and `fill in` lines are filled in.
/// Each rule's sentence is a `# rule: ` line at the first of its variables shown; the
/// dependents of a `requires` or a `required_if` follow their trigger. Of alternatives
/// (`exactly_one_of`, `at_most_one_of`, `conflicts`) one stays and the others are commented
/// out (`# NAME=`) under a `# commented out: ` line with the rule's sentence; the one that
/// must be set (`exactly_one_of`, `at_least_one_of`) has a `# fill in: ` line. An optional
/// group is one commented-out block under its header (`# --- mail (optional group) ---`)
/// with the group's sentence: uncomment all of it or none; a switched group comes right after
/// its switch.
///
/// # Selected variants
///
/// The example uses one variant of each choice: by a tag, the default (the tag is set to the
/// first variant when there is none); by presence, the default when it carries variables,
/// else the first that does. That variant's block is filled in like any section; every other
/// variant's block is commented out under a line saying how to use it instead (set the tag to
/// its value, or comment out the block in use) and uncomment it.
pub fn env_example(contract: &Contract) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Environment of `{}`, generated from its contract.",
        contract.type_name()
    );
    comment_lines(&mut out, contract.doc());
    out.push_str(
        "# Copy to `.env` and fill in the required variables; a blank value reads as unset.\n",
    );
    let rules = Rules::of(contract);
    if !rules.rules.is_empty() || !rules.groups.is_empty() {
        out.push_str(
            "# Fill in the lines marked `fill in` too; a commented-out line says why above it.\n",
        );
    }
    let left_out = rules.left_out();
    let to_fill = rules.to_fill(&left_out);
    let mut told: Vec<String> = Vec::new();
    let mut section = String::new();
    let choices = contract.variants();
    for var in shown_order(contract.variables(), &rules) {
        let spec = var.spec();
        out.push('\n');
        let here = parent(var.field());
        let group = rules.group_of(var.name());
        let owning = owner(&choices, var.name());
        let left_for_variant = owning.is_some_and(|(choice, variant)| {
            shown_variant(choice).is_none_or(|shown| shown.field() != variant.field())
        });
        if here != section && !here.is_empty() {
            match group.filter(|g| g.field() == here) {
                Some(group) => {
                    let _ = writeln!(out, "# --- {here} (optional group) ---");
                    comment_lines(&mut out, section_doc(contract, here));
                    let _ = writeln!(out, "# {}", group.sentence());
                    let how = match group.switch() {
                        Some(switch) => format!("set `{}=true` and uncomment", switch.name()),
                        None => "uncomment".to_owned(),
                    };
                    let _ = writeln!(out, "# To use it, {how} the whole block.");
                }
                None => {
                    let _ = writeln!(out, "# --- {here} ---");
                    comment_lines(&mut out, section_doc(contract, here));
                    if let Some((choice, variant)) = owning.filter(|(_, v)| v.field() == here) {
                        variant_header(&mut out, choice, variant);
                    }
                }
            }
            out.push('\n');
        }
        section = here.to_owned();
        comment_lines(&mut out, spec.doc());
        let mut line = format!("# type: {}", spec.ty());
        let value = default_value(&var);
        let only = variant_condition(&choices, &var, |s| format!("`{s}`"));
        match (spec.requirement(), &only) {
            (Requirement::Required, Some(when)) => {
                let _ = write!(line, ", required {when}");
            }
            (Requirement::Required, None) => line.push_str(", required"),
            (Requirement::Optional, _) => line.push_str(", optional"),
            (Requirement::Default, _) => match (spec.default(), &value) {
                (None, _) => line.push_str(", default: (hidden)"),
                (Some(_), Some(value)) => {
                    let _ = write!(line, ", default: {value}");
                }
                (Some(expr), None) => {
                    let _ = write!(line, ", default: {expr} (leave blank to use it)");
                }
            },
        }
        if spec.allows_empty() {
            line.push_str(", may be empty");
        }
        if spec.is_secret() {
            let _ = write!(
                line,
                ", secret (or set {}_FILE to a file holding it)",
                var.name()
            );
        }
        let _ = writeln!(out, "{line}");
        let only = only.map(|when| format!("read only {when}"));
        for note in notes(&var, str::to_owned).into_iter().chain(only) {
            comment_lines(&mut out, &note);
        }
        for rule in rules.naming(var.name()) {
            if !told.contains(&rule.name()) {
                let _ = writeln!(out, "# rule: {}", rule.sentence());
                told.push(rule.name());
            }
        }
        if let Some(rule) = to_fill.get(var.name()) {
            let _ = writeln!(out, "# fill in: {}", rule.sentence());
        }
        let commented = match left_out.get(var.name()) {
            Some(rule) => {
                let _ = writeln!(out, "# commented out: {}", rule.sentence());
                true
            }
            None => group.is_some() || left_for_variant,
        };
        // A tag without a default names the variant the example uses.
        let tagged = choices
            .iter()
            .filter(|c| c.tag().is_some_and(|t| t.name() == var.name()))
            .find_map(|c| c.default().or(c.variants().first()));
        let shown = match (spec.is_secret(), value, tagged) {
            (false, Some(value), _) => dotenv_quote(&value).into_owned(),
            (_, None, Some(variant)) => variant.tag().to_owned(),
            _ => String::new(),
        };
        let hash = if commented { "# " } else { "" };
        let _ = writeln!(out, "{hash}{}={shown}", var.name());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_quoting_reads_back() {
        assert_eq!(dotenv_quote("8000"), "8000");
        assert_eq!(dotenv_quote("a b # c"), "'a b # c'");
        assert_eq!(dotenv_quote("it's $HOME"), "\"it's \\$HOME\"");
    }
}

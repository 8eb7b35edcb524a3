//! The Markdown table generator.

use std::borrow::Cow;
use std::fmt::Write as _;

use super::default_text::default_value;
use super::notes::{notes, sentences};
use super::owning_variant::variant_condition;
use super::rules::Rules;
use crate::contract::{Contract, Requirement, Variable};
use crate::variant::{Choice, ChoiceMode, Variant};

/// Escapes a Markdown table cell: `|` as `\|`, a line break as a space, a paragraph break as
/// `<br>`.
fn cell(text: &str) -> String {
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|p| {
            p.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|p| !p.is_empty())
        .collect();
    paragraphs.join("<br>").replace('|', "\\|")
}

/// Inline code that survives a table cell, backticks in the text included.
fn code(text: &str) -> String {
    let text = cell(text);
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

/// A Markdown table of every variable, nested ones included, in declaration order:
/// `| Variable | Type | Required | Default | Secret | Description |`.
///
/// A default shows as a value where it is one (`Duration::from_millis(1500)` as `1500ms`),
/// otherwise as written. `|` and line breaks in docs, types and defaults are escaped so that
/// each variable stays one row: a line break becomes a space, a blank line `<br>`. A secret's
/// default shows as `(hidden)`, and its description names the `NAME_FILE` alternative. The
/// description ends with the list separator, the constraints in the loader's words and the
/// old names, one sentence each: ``A list separated by `","`. Each item must be in 1..=65535.
/// Must have 1 to 8 items. Old name: `APP_PORTS` (still read, with a warning; set only one
/// name).`` A variable of a selected variant is required only with it (`` yes, when
/// `APP_STORAGE_BACKEND` is `s3` ``), and its description ends with when it is read.
///
/// # Rules between variables
///
/// A variable's description ends with the sentence of each rule that names it (`Exactly one
/// of `APP_URL` or `APP_HOST` must be set.`), and says which optional group it is in or
/// switches. Then come a table of the rules (`| Rule | Sentence |`, each by its name in
/// reports) and one of the optional groups (`| Group | Variables | Sentence |`), each under a
/// bold title, when the contract has any.
///
/// # Selected variants
///
/// Each choice of a variant comes last, under a bold title with its name in reports
/// (`variant:storage`): its sentence, then a table of its variants
/// (`| Variant | Chosen when | Variables |`), the default marked, each variable a variant
/// requires once chosen marked `(required)`.
pub fn markdown_table(contract: &Contract) -> String {
    let rules = Rules::of(contract);
    let mut out = String::from(
        "| Variable | Type | Required | Default | Secret | Description |\n|---|---|---|---|---|---|\n",
    );
    let choices = contract.variants();
    for var in contract.variables() {
        let spec = var.spec();
        let only = variant_condition(&choices, &var, code);
        let required = match (spec.requirement(), &only) {
            (Requirement::Required, Some(when)) => format!("yes, {when}"),
            (Requirement::Required, None) => "yes".to_owned(),
            (Requirement::Optional | Requirement::Default, _) => "no".to_owned(),
        };
        let default = match (spec.requirement(), spec.default()) {
            (Requirement::Default, None) => "(hidden)".to_owned(),
            (_, Some(text)) => code(&default_value(&var).unwrap_or(Cow::Borrowed(text))),
            (_, None) => String::new(),
        };
        let secret = if spec.is_secret() { "yes" } else { "" };
        let mut description = cell(spec.doc());
        if spec.is_secret() {
            let note = format!("Or `{}_FILE`: a file holding it.", var.name());
            description = join_sentence(description, &note);
        }
        let mut notes = notes(&var, |s| format!("`{s}`"));
        notes.extend(only.map(|when| format!("read only {when}")));
        let notes = sentences(&notes);
        if !notes.is_empty() {
            description = join_sentence(description, &cell(&notes));
        }
        for note in rule_notes(&rules, &var) {
            description = join_sentence(description, &cell(&note));
        }
        let _ = writeln!(
            out,
            "| {} | {} | {required} | {default} | {secret} | {description} |",
            code(var.name()),
            code(spec.ty()),
        );
    }
    if !rules.rules.is_empty() {
        out.push_str("\n**Rules between variables**\n\n| Rule | Sentence |\n|---|---|\n");
        for rule in &rules.rules {
            let _ = writeln!(
                out,
                "| {} | {} |",
                code(&rule.name()),
                cell(&rule.sentence())
            );
        }
    }
    if !rules.groups.is_empty() {
        out.push_str("\n**Optional groups**\n\n| Group | Variables | Sentence |\n|---|---|---|\n");
        for group in &rules.groups {
            let names: Vec<String> = group.variables().iter().map(|v| code(v.name())).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                code(&group.name()),
                names.join(", "),
                cell(&group.sentence())
            );
        }
    }
    for choice in &choices {
        variants_table(&mut out, choice);
    }
    out
}

/// A choice's sentence under a bold title, then its table of variants:
/// `| Variant | Chosen when | Variables |`, a required variable marked so.
fn variants_table(out: &mut String, choice: &Choice) {
    let _ = writeln!(
        out,
        "\n**Selected variant {}**\n\n{}\n\n| Variant | Chosen when | Variables |\n|---|---|---|",
        code(&choice.name()),
        cell(&choice.sentence())
    );
    let default = choice.default().map(Variant::tag);
    for variant in choice.variants() {
        let is_default = default == Some(variant.tag());
        let when = match (choice.tag(), choice.mode()) {
            (Some(tag), _) if is_default => {
                format!("{} is {} or not set", code(tag.name()), code(variant.tag()))
            }
            (Some(tag), _) => format!("{} is {}", code(tag.name()), code(variant.tag())),
            (None, ChoiceMode::ExactlyOne) => "it is the one configured".to_owned(),
            (None, _) => "it is the first configured".to_owned(),
        };
        let when = match (choice.tag(), is_default, variant.variables().is_empty()) {
            (None, true, true) => "none is configured".to_owned(),
            (None, true, false) => format!("{when}, or none is"),
            _ => when,
        };
        let names: Vec<String> = variant
            .variables()
            .iter()
            .map(|v| match v.spec().requirement() {
                Requirement::Required => format!("{} (required)", code(v.name())),
                Requirement::Optional | Requirement::Default => code(v.name()),
            })
            .collect();
        let names = if names.is_empty() {
            "(none)".to_owned()
        } else {
            names.join(", ")
        };
        let mark = if is_default { " (default)" } else { "" };
        let _ = writeln!(out, "| {}{mark} | {when} | {names} |", code(variant.tag()));
    }
}

/// What a variable's row says about rules: each rule's sentence, then the optional group it
/// is in or switches.
fn rule_notes(rules: &Rules, var: &Variable) -> Vec<String> {
    let mut out: Vec<String> = rules.naming(var.name()).map(|r| r.sentence()).collect();
    if let Some(group) = rules.group_of(var.name()) {
        out.push(match group.switch() {
            Some(switch) => format!(
                "In the optional group `{}`, read only while `{}` is true.",
                group.field(),
                switch.name()
            ),
            None => format!(
                "In the optional group `{}`: set all of it or none.",
                group.field()
            ),
        });
    }
    for group in &rules.groups {
        if group.switch().is_some_and(|s| s.name() == var.name()) {
            out.push(format!(
                "Switches the optional group `{}` on while true.",
                group.field()
            ));
        }
    }
    out
}

fn join_sentence(text: String, more: &str) -> String {
    if text.is_empty() {
        more.to_owned()
    } else {
        format!("{text} {more}")
    }
}

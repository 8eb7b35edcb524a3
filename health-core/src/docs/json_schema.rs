//! The JSON Schema generator: one property per variable and per old name, and what the loader
//! requires of them together (`required`, `allOf`, `propertyNames`). What each value must be
//! comes from `value_rules`, its regular expressions from `pattern`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::default_text::default_value;
use super::deferred::{Deferred, deferred_key};
use super::notes::{notes, sentences};
use super::owning_variant::{variant_condition, variant_of};
use super::pattern::Re;
use super::rules::Rules;
use super::schema_rules::rules_schema;
use super::schema_variants::variants_schema;
use super::value_rules::{Defs, Empty, value_rules};
use crate::contract::{Contract, FieldKind, Requirement};

/// The JSON Schema dialect of [`json_schema`].
pub const JSON_SCHEMA_DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A JSON Schema (draft 2020-12) of the environment the contract reads: it accepts a value
/// exactly when the loader does, wherever a regular expression can tell.
///
/// An object titled with the type's name and described by its doc, whose properties are the
/// variable names. Every property is `"type": "string"`, for environment values are strings,
/// with a `title` (the field path), a `description` (the doc, or the field path and type when
/// there is none; an expression default, a secret's `NAME_FILE` alternative, the list
/// separator, the constraints and the old names are added to it), a `default` (non-secrets
/// whose default is a value), and `"writeOnly": true` for secrets. `required` lists the
/// required variables (a selected variant's are not: they are required only while it is
/// chosen, which the description says), and `additionalProperties` is `true`: an environment
/// holds other variables.
///
/// # What a value must be
///
/// The checks come from the contract's record of how each value is read
/// ([`VarSpec::rule`] and [`VarSpec::split`]), never from the type as written:
///
/// - `bool`, `Duration`, integers and floats get a `pattern` that follows the loader's rule
///   (`health::value`): the bool words in any case, surrounding whitespace trimmed; humantime
///   durations, compound (`1h 30m`) and fractional (`1.5h`, and no finer than the unit's
///   precision: `0.0001h` fails, as does any fraction of `ns`); integers as `str::parse` reads
///   them (`+` and leading zeros taken, no whitespace), **within the type's bounds and the
///   `range`**, by an exact decimal range (`70000` fails a `u16`); floats as `str::parse`
///   reads them (`1e3`, `.5`, `inf`, `NaN`).
/// - Text (`String`, `SecretString`, `PathBuf`, `OsString`) takes any string; a `FromStr`
///   type, `parse_with` and `deserialize` get no pattern, since their parser is not known:
///   the schema never rejects what they might accept (`parse_with` reading `8k` into a `u16`
///   is not held to the integer pattern).
/// - A list (`Vec<T>`) gets a pattern when its items are checked: split on the recorded
///   separator, each item trimmed, empty items skipped, each remaining item held to its
///   rule (and to `one_of`), and the item count to `len`.
///
/// Where the empty value means absent (an `Option` or a defaulted field, without
/// `allow_empty`) it is accepted too: as an alternative of a pattern written in the property
/// (`^(?:|...)`), else beside what the value must be, as
/// `"anyOf": [{"maxLength": 0}, {...}]`. A required variable that may not be empty gets
/// `"minLength": 1` when its pattern does not already refuse the empty value.
///
/// A pattern longer than 240 characters (a duration's is about 3,000, a 64-bit integer's
/// over 300, and a list's holds its item's) is written once in the schema's `$defs`, under a
/// name for what it reads (`duration`, `bool`, `float`, an integer type such as `u64`, its
/// values within a `range` such as `i64_0_to_9223372036854775807`, or a list's variable
/// name), with a `description` in words (``a duration as humantime reads it, like `250ms`,
/// `2s`, `1h 30m` ``); a property refers to it with `"$ref": "#/$defs/duration"` beside its
/// own `title` and `description`. Shorter patterns stay in the property.
///
/// # Constraints
///
/// - `one_of` on a single value is an `enum` of the texts the rule reads: the loader
///   compares the text as it was set. The empty string is among them only where the loader
///   reads it (`allow_empty`, and `one_of` lists it); where it means absent, it is accepted
///   beside the `enum`: `"anyOf": [{"maxLength": 0}, {"enum": [...]}]`. For a list, each item
///   must be one of them, in the pattern.
/// - `len` on a single value is `minLength`/`maxLength` (characters, as the loader counts
///   them; JSON Schema counts code points too); where the empty value means absent, a
///   `minLength` moves into `"anyOf": [{"maxLength": 0}, {"minLength": n}]`. For a list it
///   is the item count, in the pattern.
/// - `range`: the values are strings, and JSON Schema's `minimum`/`maximum` constrain
///   numbers only, so a validator ignores them on a string. An integer's bounds (the type's
///   and the `range`'s) are therefore enforced by the pattern, and also written as
///   `minimum`/`maximum` (`exclusiveMaximum` for `..`), as annotations, where they fit a
///   64-bit integer. A float's `range` is written as `minimum`/`maximum`/`exclusiveMaximum`
///   annotations; its pattern only refuses what the range surely excludes (`NaN`, and the
///   infinity beyond a bound). The `range` of a duration, a text or a `FromStr` type is
///   stated in the description alone.
///
/// # Old names
///
/// Each alias is a property of its own, with the same checks, `"deprecated": true` and a
/// description naming the new name. The loader reads an old name when the new one is not
/// set, and fails when two of them are set (a name set to the empty value counts as not set
/// unless the field allows empty values): the schema says so in `allOf`, with one `not` for
/// each pair of names, and a required variable with old names is required as
/// `"anyOf": [{"required": ["NEW"]}, {"required": ["OLD"]}]` rather than in `required`.
///
/// With `#[contract(deny_unknown)]` and a prefix, `propertyNames` refuses a name under a
/// prefix that no field reads (the variables, their old names and each one's `NAME_FILE` are
/// known), as the loader fails it.
///
/// # Rules between variables and optional groups
///
/// A variable counts as set for a rule as the loader counts it: given and non-empty (empty
/// too with `allow_empty`) under its name or an old name, and a `bool` only while it reads
/// as true (`"pattern"` of the true words; a `bool` whose default is true counts while
/// unset). In `allOf`:
///
/// - `requires(a => b)`: `{"if": a set, "then": b set}`; `dependentRequired` where that is
///   the same thing (every member `allow_empty`, no old name, not a `bool`).
/// - `conflicts(a => b, c)` and `at_most_one_of`: `{"not": ...}` of each pair set together.
/// - `exactly_one_of`: `oneOf` of each member set; `at_least_one_of`: `anyOf`.
/// - `required_if(mode == "tls", cert)`: an `if` whose `required` names the variable
///   compared, and whose `properties` hold its value (`const` text, or the `bool` words),
///   else the `if` would hold while the variable is unset; also while it is unset when its
///   default reads as that value.
/// - An optional group: `{"if": any of its variables set, "then": its required variables
///   set}`; a switched one's `if` is its switch reading as true, and its variables' value
///   checks move into the `then` (while the switch is off they are not read). A group's
///   variables are never in the top `required`. A rule of a struct inside an optional group
///   applies while the group is on.
///
/// - A selected variant: `{"if": it is chosen, "then": its required variables set}`, and its
///   variables' value checks move into that `then` (the loader reads only the chosen one's).
///   By a tag, it is chosen when the tag is its value (the `if` names the tag in `required`),
///   the default also while the tag is unset; an unknown tag fails the tag's `enum`. By
///   presence, a variant is configured once any of its variables is set; the first
///   configured one is chosen (with `exactly_one`, a `not` of each pair configured together),
///   the default while none is, and without a default `anyOf` asks for one. A rule of a
///   variant's struct applies while it is chosen.
///
/// `x-rules` lists every rule and group: `name` (as in reports), `kind`, `variables`,
/// `sentence`, and `inSchema`, `false` for a `check`, whose function the schema cannot run;
/// then every choice of a variant (`kind` `variant`, its `mode`, the tag first among its
/// `variables`), with `notInSchema`, a sentence, where a variant could be configured through
/// a `NAME_FILE` the schema cannot see.
///
/// # What the schema cannot tell
///
/// - A duration's magnitude: a number beyond the loader's 64-bit arithmetic matches the
///   pattern and fails to load (`18446744073709551616s`, a total over 2^64 seconds, or a
///   fraction whose digits times the unit overflow, as in `0.999999999m`); and a fraction
///   written with whitespace between its digits (`0.00 01h`, which humantime reads) is not
///   checked for precision.
/// - A float's finite bounds, and the `range` of a duration, a text or a `FromStr` type: the
///   loader rejects what is out of range (`rejected`); the schema does not.
/// - Whatever a `FromStr` type, `parse_with` or `deserialize` refuses.
/// - A value given through `NAME_FILE` instead of `NAME` (how secrets are mounted): `required`
///   names `NAME`, and a rule or a group does not count `NAME_FILE` as set.
/// - A `check` rule, and a `required_if` comparing a value that is neither text nor a `bool`
///   (an integer's `08` equals `8` for the loader, the schema compares the text).
///
/// # Regular expressions
///
/// Patterns are written in the part of the syntax ECMA-262 (the dialect JSON Schema names)
/// and Python's `re` (the `jsonschema` package's) read alike: whitespace is spelled out as the
/// loader's trimming sees it (Unicode `White_Space`, where `\s` differs between engines), no
/// `\d` or inline flags, and the end is `$(?!\n)`, for `$` alone also matches before a final
/// line break in Python.
///
/// [`VarSpec::rule`]: crate::VarSpec::rule
/// [`VarSpec::split`]: crate::VarSpec::split
pub fn json_schema(contract: &Contract) -> Value {
    let rules = Rules::of(contract);
    let mut deferred: BTreeMap<String, Deferred> = BTreeMap::new();
    let mut properties = Map::new();
    let mut required = Vec::new();
    let mut all_of = Vec::new();
    let mut defs = Defs::default();
    let choices = contract.variants();
    for var in contract.variables() {
        let spec = var.spec();
        let aliases = var.old_names();
        // In an optional group, the group's `if`/`then` says what is required, and a
        // switched group's values are checked only while its switch is on.
        let group = rules.group_of(var.name());
        // A selected variant's values are checked only while it is chosen.
        let mut switched = group
            .filter(|g| g.switch().is_some())
            .map(|g| g.name())
            .or_else(|| variant_of(&choices, var.name()).map(deferred_key))
            .map(|key| deferred.entry(key).or_default());
        let empty = match (spec.allows_empty(), spec.requirement()) {
            (true, _) => Empty::Parsed,
            // With old names, an empty name is one not set: the anyOf says what is required.
            (false, Requirement::Required) if aliases.is_empty() && group.is_none() => Empty::Fails,
            (false, _) => Empty::Absent,
        };
        let checks = value_rules(&var).keywords(empty, &mut defs);
        let mut add_checks = |property: &mut Map<String, Value>, name: &str| match &mut switched {
            Some(later) if !checks.is_empty() => {
                later
                    .properties
                    .insert(name.to_owned(), Value::Object(checks.clone()));
            }
            Some(_) => {}
            None => property.extend(checks.clone()),
        };

        let mut property = Map::new();
        property.insert("type".into(), json!("string"));
        property.insert("title".into(), json!(var.field()));
        let mut description = spec.doc().to_owned();
        if description.is_empty() {
            description = format!("`{}` ({})", var.field(), spec.ty());
        }
        let value = default_value(&var);
        if let (Some(expr), None) = (spec.default(), &value) {
            let _ = write!(description, "\n\nDefault: `{expr}` (a Rust expression).");
        }
        if spec.is_secret() {
            let _ = write!(
                description,
                "\n\nSecret: or set `{}_FILE` to the path of a file holding it.",
                var.name()
            );
            property.insert("writeOnly".into(), json!(true));
        }
        let only = variant_condition(&choices, &var, |s| format!("`{s}`"));
        let mut notes = notes(&var, |s| format!("`{s}`"));
        notes.extend(only.as_ref().map(|when| format!("read only {when}")));
        let notes = sentences(&notes);
        if !notes.is_empty() {
            let _ = write!(description, "\n\n{notes}");
        }
        property.insert("description".into(), json!(description));
        if let (false, Some(value)) = (spec.is_secret(), value) {
            property.insert("default".into(), json!(value));
        }
        add_checks(&mut property, var.name());
        properties.insert(var.name().to_owned(), Value::Object(property));

        for alias in &aliases {
            let mut property = Map::new();
            property.insert("type".into(), json!("string"));
            property.insert("title".into(), json!(var.field()));
            property.insert(
                "description".into(),
                json!(format!(
                    "Old name of `{}`: still read, with a warning, when `{}` is not set; \
                     setting both fails.",
                    var.name(),
                    var.name()
                )),
            );
            property.insert("deprecated".into(), json!(true));
            if spec.is_secret() {
                property.insert("writeOnly".into(), json!(true));
            }
            add_checks(&mut property, alias);
            properties.insert(alias.clone(), Value::Object(property));
        }

        if aliases.is_empty() {
            if spec.requirement() == Requirement::Required && group.is_none() && only.is_none() {
                required.push(json!(var.name()));
            }
            continue;
        }
        let names: Vec<&str> = std::iter::once(var.name())
            .chain(aliases.iter().map(String::as_str))
            .collect();
        let given = |names: &[&str]| {
            let mut given = Map::new();
            given.insert("required".into(), json!(names));
            if !spec.allows_empty() {
                let non_empty: Map<String, Value> = names
                    .iter()
                    .map(|name| ((*name).to_owned(), json!({"minLength": 1})))
                    .collect();
                given.insert("properties".into(), Value::Object(non_empty));
            }
            Value::Object(given)
        };
        let pairs = match &mut switched {
            Some(later) => &mut later.all_of,
            None => &mut all_of,
        };
        for (i, first) in names.iter().enumerate() {
            for second in &names[i + 1..] {
                pairs.push(json!({ "not": given(&[*first, *second]) }));
            }
        }
        if spec.requirement() == Requirement::Required && group.is_none() && only.is_none() {
            let any: Vec<Value> = names.iter().map(|name| given(&[*name])).collect();
            all_of.push(json!({ "anyOf": any }));
        }
    }
    let chosen = variants_schema(&choices, &mut deferred, |var| {
        var.spec().requirement() == Requirement::Required && rules.group_of(var.name()).is_none()
    });
    all_of.extend(chosen.all_of);
    let mut between = rules_schema(&rules, deferred, &chosen.variants);
    all_of.extend(between.all_of);
    between.listed.extend(chosen.listed);
    let mut schema = Map::new();
    schema.insert("$schema".into(), json!(JSON_SCHEMA_DIALECT));
    schema.insert("title".into(), json!(contract.type_name()));
    if !contract.doc().is_empty() {
        schema.insert("description".into(), json!(contract.doc()));
    }
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), Value::Array(required));
    if !between.dependent_required.is_empty() {
        schema.insert(
            "dependentRequired".into(),
            Value::Object(between.dependent_required),
        );
    }
    if !all_of.is_empty() {
        schema.insert("allOf".into(), Value::Array(all_of));
    }
    if !between.listed.is_empty() {
        schema.insert("x-rules".into(), Value::Array(between.listed));
    }
    if let Some(names) = known_names(contract) {
        schema.insert("propertyNames".into(), names);
    }
    schema.insert("additionalProperties".into(), json!(true));
    if let Some(defs) = defs.into_value() {
        schema.insert("$defs".into(), defs);
    }
    Value::Object(schema)
}

/// `propertyNames` for a contract that denies unknown variables: a name is known, or under
/// no prefix (the loader's rule: see `stray`).
fn known_names(contract: &Contract) -> Option<Value> {
    fn walk(contract: &Contract, prefix: &mut String, prefixes: &mut Vec<String>) {
        let outer = prefix.len();
        prefix.push_str(contract.prefix());
        if !contract.prefix().is_empty() {
            prefixes.push(prefix.clone());
        }
        for field in contract.fields() {
            if let FieldKind::Nested {
                prefix: nested,
                contract,
            } = field.kind()
            {
                let len = prefix.len();
                prefix.push_str(nested);
                walk(contract, prefix, prefixes);
                prefix.truncate(len);
            }
        }
        prefix.truncate(outer);
    }
    if !contract.denies_unknown() {
        return None;
    }
    let mut prefixes = Vec::new();
    walk(contract, &mut String::new(), &mut prefixes);
    if prefixes.is_empty() {
        return None;
    }
    let mut known = Vec::new();
    for var in contract.variables() {
        for name in std::iter::once(var.name().to_owned()).chain(var.old_names()) {
            known.push(json!(format!("{name}_FILE")));
            known.push(json!(name));
        }
    }
    let re = Re::plain();
    let under: Vec<String> = prefixes.iter().map(|p| re.literal(p)).collect();
    Some(json!({
        "anyOf": [
            { "enum": known },
            { "not": { "pattern": format!("^(?:{})", under.join("|")) } }
        ]
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::{Bounds, Constraints, Field, LenBounds, ValueRule, VarSpec};
    use crate::docs::pattern::END;

    const U16: ValueRule = ValueRule::Integer {
        min: 0,
        max: u16::MAX as u128,
    };

    static CONSTRAINED: Contract = Contract::__new(
        "Constrained",
        "",
        "APP_",
        &[
            Field::__var(
                "level",
                &VarSpec::__new(
                    "LEVEL",
                    "String",
                    "",
                    Requirement::Default,
                    Some("info"),
                    false,
                    false,
                )
                .__rule(ValueRule::Text, None)
                .__constraints(Constraints::__new(None, &["debug", "info"], None)),
            ),
            Field::__var(
                "port",
                &VarSpec::__new("PORT", "u16", "", Requirement::Required, None, false, false)
                    .__rule(U16, None)
                    .__aliases(&["LISTEN_PORT"])
                    .__constraints(Constraints::__new(
                        Some(Bounds {
                            min: Some("1"),
                            max: Some("1024"),
                            max_inclusive: false,
                        }),
                        &[],
                        None,
                    )),
            ),
            Field::__var(
                "name",
                &VarSpec::__new(
                    "NAME",
                    "String",
                    "",
                    Requirement::Optional,
                    None,
                    false,
                    false,
                )
                .__rule(ValueRule::Text, None)
                .__constraints(Constraints::__new(
                    None,
                    &[],
                    Some(LenBounds {
                        min: 2,
                        max: Some(8),
                    }),
                )),
            ),
            Field::__var(
                "ratio",
                &VarSpec::__new(
                    "RATIO",
                    "f64",
                    "",
                    Requirement::Optional,
                    None,
                    false,
                    false,
                )
                .__rule(ValueRule::Float, None)
                .__constraints(Constraints::__new(
                    Some(Bounds {
                        min: Some("0"),
                        max: Some("1.5"),
                        max_inclusive: false,
                    }),
                    &[],
                    None,
                )),
            ),
            Field::__var(
                "buffer",
                &VarSpec::__new(
                    "BUFFER",
                    "u16",
                    "",
                    Requirement::Required,
                    None,
                    false,
                    false,
                )
                .__rule(ValueRule::ParseWith("kilo"), None),
            ),
            Field::__var(
                "hosts",
                &VarSpec::__new(
                    "HOSTS",
                    "Vec<String>",
                    "",
                    Requirement::Required,
                    None,
                    false,
                    false,
                )
                .__rule(ValueRule::Text, Some(","))
                .__constraints(Constraints::__new(
                    None,
                    &[],
                    Some(LenBounds { min: 1, max: None }),
                )),
            ),
        ],
    )
    .__deny_unknown();

    #[test]
    fn constraints_become_keywords() {
        let schema = json_schema(&CONSTRAINED);
        let p = &schema["properties"];
        // `one_of`: the texts in `enum`, and the empty value (the default) beside it.
        assert_eq!(
            p["APP_LEVEL"]["anyOf"],
            json!([{"maxLength": 0}, {"enum": ["debug", "info"]}])
        );
        assert!(p["APP_LEVEL"].get("enum").is_none());
        assert!(p["APP_LEVEL"].get("pattern").is_none());
        // The integer's range is in the pattern, and its bounds are annotations.
        assert_eq!(
            p["APP_PORT"]["pattern"],
            format!(r"^(?:|\+?0*(?:[1-9]|[1-9][0-9]{{1,2}}|10(?:[01][0-9]|2[0-3]))){END}")
        );
        assert_eq!(
            (&p["APP_PORT"]["minimum"], &p["APP_PORT"]["maximum"]),
            (&json!(1), &json!(1023))
        );
        // An old name: a property of its own, deprecated, with the same checks.
        let old = &p["APP_LISTEN_PORT"];
        assert_eq!(old["deprecated"], true);
        assert_eq!(old["pattern"], p["APP_PORT"]["pattern"]);
        assert!(
            !schema["required"]
                .as_array()
                .unwrap()
                .contains(&json!("APP_PORT"))
        );
        assert_eq!(
            schema["allOf"],
            json!([
                {"not": {"required": ["APP_PORT", "APP_LISTEN_PORT"], "properties": {
                    "APP_PORT": {"minLength": 1}, "APP_LISTEN_PORT": {"minLength": 1}}}},
                {"anyOf": [
                    {"required": ["APP_PORT"], "properties": {"APP_PORT": {"minLength": 1}}},
                    {"required": ["APP_LISTEN_PORT"], "properties": {"APP_LISTEN_PORT": {"minLength": 1}}}
                ]}
            ])
        );
        // `len` of an optional text: the empty value still means absent.
        assert_eq!(p["APP_NAME"]["maxLength"], 8);
        assert_eq!(
            p["APP_NAME"]["anyOf"],
            json!([{"maxLength": 0}, {"minLength": 2}])
        );
        // A float's range: annotations; NaN and the infinities are out.
        assert_eq!(p["APP_RATIO"]["minimum"], json!(0.0));
        assert_eq!(p["APP_RATIO"]["exclusiveMaximum"], json!(1.5));
        assert!(
            !p["APP_RATIO"]["pattern"]
                .as_str()
                .unwrap()
                .contains("[Nn][Aa][Nn]")
        );
        // `parse_with`: no pattern, whatever the type.
        assert!(p["APP_BUFFER"].get("pattern").is_none());
        assert_eq!(p["APP_BUFFER"]["minLength"], 1);
        // A list of any text with at least one item: the pattern refuses the empty value,
        // and is kept in `$defs` (it is long); the short ones stay in their property.
        assert_eq!(p["APP_HOSTS"]["$ref"], "#/$defs/APP_HOSTS");
        assert!(schema["$defs"]["APP_HOSTS"]["pattern"].is_string());
        assert!(p["APP_HOSTS"].get("minLength").is_none());
        assert_eq!(
            schema["$defs"]
                .as_object()
                .unwrap()
                .keys()
                .collect::<Vec<_>>(),
            ["APP_HOSTS"]
        );
        // `deny_unknown` under a prefix.
        let names = &schema["propertyNames"]["anyOf"];
        assert!(
            names[0]["enum"]
                .as_array()
                .unwrap()
                .contains(&json!("APP_LISTEN_PORT_FILE"))
        );
        assert_eq!(names[1]["not"]["pattern"], "^(?:APP_)");
        assert!(
            p["APP_PORT"]["description"]
                .as_str()
                .unwrap()
                .ends_with("Must be in 1..1024 (1024 excluded). Old name: `APP_LISTEN_PORT` (still read, with a warning; set only one name)."),
            "{}",
            p["APP_PORT"]["description"]
        );
    }

    const fn var(name: &'static str, ty: &'static str, requirement: Requirement) -> VarSpec {
        VarSpec::__new(name, ty, "", requirement, None, false, false)
    }

    static LONG: Contract = Contract::__new(
        "Long",
        "",
        "L_",
        &[
            Field::__var(
                "grace",
                &var("GRACE", "Duration", Requirement::Optional)
                    .__rule(ValueRule::Duration, None)
                    .__aliases(&["DRAIN"]),
            ),
            Field::__var(
                "timeout",
                &var("TIMEOUT", "Duration", Requirement::Required)
                    .__rule(ValueRule::Duration, None),
            ),
            Field::__var(
                "size",
                &var("SIZE", "u64", Requirement::Required).__rule(
                    ValueRule::Integer {
                        min: 0,
                        max: u64::MAX as u128,
                    },
                    None,
                ),
            ),
            Field::__var(
                "offset",
                &var("OFFSET", "i64", Requirement::Optional)
                    .__rule(
                        ValueRule::Integer {
                            min: i64::MIN as i128,
                            max: i64::MAX as u128,
                        },
                        None,
                    )
                    .__constraints(Constraints::__new(
                        Some(Bounds {
                            min: Some("-5"),
                            max: None,
                            max_inclusive: false,
                        }),
                        &[],
                        None,
                    )),
            ),
            Field::__var(
                "backoff",
                &var("BACKOFF", "Vec<Duration>", Requirement::Optional)
                    .__rule(ValueRule::Duration, Some(",")),
            ),
            Field::__var(
                "mode",
                &VarSpec::__new(
                    "MODE",
                    "String",
                    "",
                    Requirement::Required,
                    None,
                    false,
                    true,
                )
                .__rule(ValueRule::Text, None)
                .__constraints(Constraints::__new(None, &["a", ""], None)),
            ),
            Field::__var(
                "tier",
                &var("TIER", "String", Requirement::Required)
                    .__rule(ValueRule::Text, None)
                    .__constraints(Constraints::__new(None, &["gold", ""], None)),
            ),
        ],
    );

    /// Every `pattern` outside `$defs`, with where it is.
    fn patterns<'a>(at: &str, value: &'a Value, out: &mut Vec<(String, &'a str)>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("$defs", _) if at.is_empty() => {}
                        ("pattern", Value::String(p)) => out.push((at.to_owned(), p)),
                        _ => patterns(&format!("{at}/{key}"), value, out),
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    patterns(&format!("{at}/{i}"), item, out);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn long_patterns_are_kept_once_in_defs() {
        let schema = json_schema(&LONG);
        let p = &schema["properties"];
        let defs = &schema["$defs"];
        let to = |name: &str| json!({ "$ref": format!("#/$defs/{name}") });
        // A required duration refers to it; where empty means absent, beside `maxLength: 0`,
        // and an old name the same.
        assert_eq!(p["L_TIMEOUT"]["$ref"], to("duration")["$ref"]);
        assert!(p["L_TIMEOUT"].get("pattern").is_none());
        let optional = json!([{"maxLength": 0}, to("duration")]);
        assert_eq!(p["L_GRACE"]["anyOf"], optional);
        assert_eq!(p["L_DRAIN"]["anyOf"], optional);
        assert_eq!(p["L_GRACE"]["title"], "grace");
        let duration = &defs["duration"];
        assert_eq!(duration["type"], "string");
        assert!(duration["pattern"].as_str().unwrap().len() > 2_000);
        assert!(
            duration["description"]
                .as_str()
                .unwrap()
                .contains("like `250ms`, `2s`, `1h 30m`"),
            "{duration}"
        );
        // Integers: a type's own pattern under its name, a `range` under its values.
        assert_eq!(p["L_SIZE"]["$ref"], to("u64")["$ref"]);
        assert_eq!(p["L_SIZE"]["maximum"], json!(u64::MAX));
        assert!(
            defs["u64"]["description"]
                .as_str()
                .unwrap()
                .starts_with("An integer from 0 to 18446744073709551615")
        );
        assert_eq!(
            p["L_OFFSET"]["anyOf"][1],
            to("i64_-5_to_9223372036854775807")
        );
        // A list whose items are durations: its own pattern, described in words.
        assert_eq!(p["L_BACKOFF"]["$ref"], to("L_BACKOFF")["$ref"]);
        assert!(
            defs["L_BACKOFF"]["description"]
                .as_str()
                .unwrap()
                .starts_with("A list separated by `,` (each item trimmed, empty items skipped): each item is a duration")
        );
        // `enum` lists `""` only where the field reads it and `one_of` names it.
        assert_eq!(p["L_MODE"]["enum"], json!(["a", ""]));
        assert_eq!(p["L_TIER"]["enum"], json!(["gold"]));
        // Nothing long is left in a property, and nothing is kept twice.
        let mut found = Vec::new();
        patterns("", &schema, &mut found);
        for (at, pattern) in found {
            assert!(pattern.len() <= 300, "{at}: {} characters", pattern.len());
        }
        assert_eq!(defs.as_object().unwrap().len(), 4, "{defs:#}");
    }
}

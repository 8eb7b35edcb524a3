//! The JSON Schema generator.

use std::fmt::Write as _;

use serde_json::{Map, Value, json};

use super::{Kind, default_value, kind};
use crate::contract::{Contract, Requirement, Variable};

/// The JSON Schema dialect of [`json_schema`].
pub const JSON_SCHEMA_DIALECT: &str = "https://json-schema.org/draft/2020-12/schema";

/// The regular expression (without anchors) a value of this kind matches, if there is one.
///
/// Each follows the built-in parser of the type, the one the derive uses unless the field says
/// `parse_with` or `deserialize`: `str::parse` for integers and floats (a leading `+` is
/// accepted, whitespace is not), `health::value::bool` and humantime (both trim surrounding
/// whitespace). Ranges are not checked (`70000` matches a `u16`), and duration units are
/// checked loosely (any word).
fn pattern_body(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Bool => Some(
            r"\s*(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|[Oo][Nn]|[Oo][Ff][Ff]|1|0)\s*",
        ),
        Kind::Duration => Some(r"\s*(?:0|(?:[0-9]+(?:\.[0-9]+)?\s*[A-Za-zµ]+\s*)+)\s*"),
        Kind::Signed => Some(r"[+-]?[0-9]+"),
        Kind::Unsigned => Some(r"\+?[0-9]+"),
        Kind::Float => Some(
            r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|[Ii][Nn][Ff](?:[Ii][Nn][Ii][Tt][Yy])?|[Nn][Aa][Nn])",
        ),
        Kind::List | Kind::Other => None,
    }
}

/// Whether an empty value is accepted: it then means "use the default" or `None`.
fn empty_means_absent(var: &Variable) -> bool {
    let spec = var.spec();
    spec.requirement() != Requirement::Required && !spec.allows_empty()
}

/// A JSON Schema (draft 2020-12) of the environment the contract reads.
///
/// An object titled with the type's name and described by its doc, whose properties are the
/// variable names, each `"type": "string"` (environment values are strings) with a `title`
/// (the field path), a `description` (the doc, or the field path and type when there is none;
/// an expression default and a secret's `NAME_FILE` alternative are added to it), a `default`
/// (non-secrets whose default is a value), `"writeOnly": true` for secrets, and a `pattern`
/// where the type as written is an integer, a float, `bool` or `Duration`, empty allowed where
/// an empty value means absent. A required variable without a pattern gets `"minLength": 1`
/// (unless it allows empty values). `required` lists the required variables, and
/// `additionalProperties` is `true`: an environment holds other variables.
///
/// Patterns come from the type as written in the contract ([`VarSpec::ty`]) and follow that
/// type's built-in parsing rule, because the contract does not record how a field is read.
/// They check the form, not the range: `70000` matches the pattern of a `u16`. A field read
/// with `parse_with` or `deserialize` gets the pattern of its type too, yet its parser may
/// accept more: a `parse_with` field of type `u16` gets the integer pattern even when its
/// function reads `8k`, so the schema can reject a value the loader accepts. A `Vec` gets no
/// pattern (the contract does not record its separator). A secret given through `NAME_FILE`
/// instead of `NAME` is not modelled: `required` names `NAME`.
///
/// [`VarSpec::ty`]: crate::VarSpec::ty
pub fn json_schema(contract: &Contract) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for var in contract.variables() {
        let spec = var.spec();
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
        property.insert("description".into(), json!(description));
        if let (false, Some(value)) = (spec.is_secret(), value) {
            property.insert("default".into(), json!(value));
        }
        let empty_ok = empty_means_absent(&var);
        match pattern_body(kind(spec.ty())) {
            Some(body) if empty_ok => {
                property.insert("pattern".into(), json!(format!("^(?:{body})?$")));
            }
            Some(body) => {
                property.insert("pattern".into(), json!(format!("^(?:{body})$")));
            }
            None if spec.requirement() == Requirement::Required && !spec.allows_empty() => {
                property.insert("minLength".into(), json!(1));
            }
            None => {}
        }
        if spec.requirement() == Requirement::Required {
            required.push(json!(var.name()));
        }
        properties.insert(var.name().to_owned(), Value::Object(property));
    }
    let mut schema = Map::new();
    schema.insert("$schema".into(), json!(JSON_SCHEMA_DIALECT));
    schema.insert("title".into(), json!(contract.type_name()));
    if !contract.doc().is_empty() {
        schema.insert("description".into(), json!(contract.doc()));
    }
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    schema.insert("required".into(), Value::Array(required));
    schema.insert("additionalProperties".into(), json!(true));
    Value::Object(schema)
}

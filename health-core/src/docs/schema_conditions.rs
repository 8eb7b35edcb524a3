//! The conditions the schema's rules and variants are built of: a variable given under any of
//! its names, set as the loader counts it, and several conditions that all or any must hold.

use serde_json::{Map, Value, json};

use crate::contract::Variable;

/// The variable's names: its own, then its old ones.
fn names(var: &Variable) -> Vec<String> {
    std::iter::once(var.name().to_owned())
        .chain(var.old_names())
        .collect()
}

/// One of `var`'s names matching `value` (a schema for the value), or nothing when `value`
/// is `None`: `{"required": [NAME], "properties": {NAME: value}}`.
pub(super) fn given(var: &Variable, value: Option<Value>) -> Value {
    let parts: Vec<Value> = names(var)
        .into_iter()
        .map(|name| {
            let mut part = Map::new();
            part.insert("required".into(), json!([name]));
            if let Some(value) = &value {
                part.insert("properties".into(), json!({ name: value }));
            }
            Value::Object(part)
        })
        .collect();
    any(parts)
}

/// The variable is set: given and non-empty (unless the empty value is allowed), under any of
/// its names. How an optional group's variables count.
pub(super) fn set(var: &Variable) -> Value {
    let non_empty = (!var.spec().allows_empty()).then(|| json!({ "minLength": 1 }));
    given(var, non_empty)
}

/// Every part holds: parts of the form `{"required": [..], "properties": {..}}` merge into
/// one, the others go to `allOf`.
pub(super) fn all(parts: Vec<Value>) -> Value {
    let mut required = Vec::new();
    let mut properties = Map::new();
    let mut rest = Vec::new();
    for part in parts {
        let merged = match &part {
            Value::Object(map)
                if map.keys().all(|k| k == "required" || k == "properties")
                    && map
                        .get("properties")
                        .and_then(Value::as_object)
                        .is_none_or(|p| p.keys().all(|k| !properties.contains_key(k))) =>
            {
                if let Some(Value::Array(names)) = map.get("required") {
                    required.extend(names.iter().cloned());
                }
                if let Some(Value::Object(p)) = map.get("properties") {
                    properties.extend(p.clone());
                }
                true
            }
            _ => false,
        };
        if !merged {
            rest.push(part);
        }
    }
    let mut out = Map::new();
    if !required.is_empty() {
        out.insert("required".into(), Value::Array(required));
    }
    if !properties.is_empty() {
        out.insert("properties".into(), Value::Object(properties));
    }
    if !rest.is_empty() {
        out.insert("allOf".into(), Value::Array(rest));
    }
    Value::Object(out)
}

/// One part holds: the part itself when there is one.
pub(super) fn any(mut parts: Vec<Value>) -> Value {
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        json!({ "anyOf": parts })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_merge_unless_they_name_the_same_property() {
        let a = json!({"required": ["A"], "properties": {"A": {"minLength": 1}}});
        let b = json!({"required": ["B"]});
        let either = json!({"anyOf": [{"required": ["C"]}, {"required": ["D"]}]});
        assert_eq!(
            all(vec![a.clone(), b, either.clone()]),
            json!({"required": ["A", "B"], "properties": {"A": {"minLength": 1}}, "allOf": [either]})
        );
        assert_eq!(
            all(vec![a.clone(), a.clone()]),
            json!({"required": ["A"], "properties": {"A": {"minLength": 1}}, "allOf": [a]})
        );
    }
}

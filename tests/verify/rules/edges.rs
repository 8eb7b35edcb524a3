//! Edges of the rules' reasoning: an `Option<bool>` toggle, and a rule or a group open on
//! more variables than worth trying every world for, left `unverified` without trying.

use super::*;

/// An `Option<bool>` toggle, and a rule over seven variables.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "FLAG_")]
#[contract(requires(on => port))]
#[contract(at_least_one_of(a, b, c, d, e, f, g))]
#[allow(dead_code)]
pub struct Flags {
    /// Whether it is on.
    on: Option<bool>,
    /// Its port.
    port: Option<u16>,
    /// Seven ways to say where.
    a: Option<String>,
    /// Another way to say where.
    b: Option<String>,
    /// Another way to say where.
    c: Option<String>,
    /// Another way to say where.
    d: Option<String>,
    /// Another way to say where.
    e: Option<String>,
    /// Another way to say where.
    f: Option<String>,
    /// Another way to say where.
    g: Option<String>,
}

/// A group of eight.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
pub struct Eight {
    /// One of seven the unseen ConfigMap may set.
    a1: Option<String>,
    /// Another.
    a2: Option<String>,
    /// Another.
    a3: Option<String>,
    /// Another.
    a4: Option<String>,
    /// Another.
    a5: Option<String>,
    /// Another.
    a6: Option<String>,
    /// Another.
    a7: Option<String>,
    /// Required once the group is on; nothing may set it.
    z: String,
}

/// The group of eight, on once any of its variables is set.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "WIDE_")]
#[allow(dead_code)]
pub struct Wide {
    /// The group.
    #[contract(nested)]
    eight: Option<Eight>,
}

#[test]
fn a_group_open_on_too_many_variables_leaves_its_required_members_unverified() {
    let text = "kind: Pod\nmetadata: {name: wide}\nspec:\n  containers:\n    - name: wide\n      image: example.invalid/wide:1\n      envFrom: [{prefix: WIDE_A, configMapRef: {name: elsewhere}}]\n";
    let v = Verifier::new()
        .text("pod.yaml", text)
        .run::<Wide>()
        .unwrap();
    let z = entry(&v, "WIDE_Z");
    assert_eq!(z.code().map(|c| c.as_str()), Some("unverified"));
    assert!(
        z.message()
            .unwrap()
            .contains("the `eight` group may be on or off"),
        "{:?}",
        z.message()
    );
    assert_eq!(entry(&v, "WIDE_A1").status(), Status::Pass);
}

const ON: &str = "requires:FLAG_ON,FLAG_PORT";
const WHERE: &str = "at_least_one_of:FLAG_A,FLAG_B,FLAG_C,FLAG_D,FLAG_E,FLAG_F,FLAG_G";

/// A Pod whose container sets `env` (YAML flow entries), after an `envFrom` when `unseen`.
fn pod(env: &str, unseen: bool) -> Verification {
    let from = if unseen {
        "      envFrom: [{configMapRef: {name: elsewhere}}]\n"
    } else {
        ""
    };
    let text = format!(
        "kind: Pod\nmetadata: {{name: flags}}\nspec:\n  containers:\n    - name: flags\n      image: example.invalid/flags:1\n{from}      env: [{env}]\n"
    );
    let v = Verifier::new().text("pod.yaml", text).run::<Flags>();
    let v = v.unwrap_or_else(|e| panic!("{e}"));
    assert_clean(&v);
    v
}

#[test]
fn an_optional_bool_is_a_toggle_too() {
    let a = "{name: FLAG_A, value: x}";
    let v = pod(&format!("{{name: FLAG_ON, value: \"false\"}}, {a}"), true);
    assert_eq!(verdict(&v, ON), "pass - FLAG_ON,FLAG_PORT");
    let v = pod(&format!("{{name: FLAG_ON, value: \"on\"}}, {a}"), false);
    assert_eq!(verdict(&v, ON), "fail missing FLAG_PORT");
    let from = "{name: FLAG_ON, valueFrom: {fieldRef: {fieldPath: metadata.name}}}";
    let v = pod(&format!("{from}, {a}"), false);
    assert_eq!(verdict(&v, ON), "warn unverified FLAG_ON");
}

#[test]
fn a_rule_open_on_too_many_variables_is_unverified_without_trying() {
    let v = pod("{name: FLAG_PORT, value: \"80\"}", true);
    assert_eq!(
        verdict(&v, WHERE),
        "warn unverified FLAG_A,FLAG_B,FLAG_C,FLAG_D,FLAG_E,FLAG_F,FLAG_G"
    );
    // One of them set for sure, six left open: every world is tried, and it holds in all.
    let v = pod("{name: FLAG_C, value: x}", true);
    assert_eq!(
        verdict(&v, WHERE),
        "pass - FLAG_A,FLAG_B,FLAG_C,FLAG_D,FLAG_E,FLAG_F,FLAG_G"
    );
}

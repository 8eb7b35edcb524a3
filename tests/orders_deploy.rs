//! orders' `examples/orders-deploy/` against its contract, through the real example binary
//! (`orders config verify`): the production Deployment, ConfigMap and Secret verify, the
//! rule `required_if:ENVIRONMENT=production,PUBLIC_URL` and the notification group included,
//! under the names the running service gives them; without `PUBLIC_URL` or the webhook's
//! token, the same files fail naming them.

mod process;

use std::path::PathBuf;
use std::process::Command;

use process::example_binary;

const FILES: [&str; 3] = ["deployment.yaml", "configmap.yaml", "secret.yaml"];

fn deploy(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/orders-deploy")
        .join(name)
}

/// `orders config verify FILES... --format json`: the exit code and the entries by name.
fn verify(files: &[PathBuf]) -> (i32, serde_json::Value) {
    let output = Command::new(example_binary("orders"))
        .arg("config")
        .arg("verify")
        .args(files)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    for secret in ["CHANGE-ME-webhook-token", "orders:CHANGE-ME"] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "{stdout}{stderr}"
        );
    }
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    (output.status.code().unwrap(), json)
}

fn entry<'j>(json: &'j serde_json::Value, name: &str) -> &'j serde_json::Value {
    json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {json}"))
}

#[test]
fn the_production_deploy_verifies_with_its_rule_and_group() {
    let (code, json) = verify(&FILES.map(deploy));
    assert_eq!(code, 0, "{json:#}");
    for name in ["PUBLIC_URL", "NOTIFY_URL", "NOTIFY_TOKEN", "ENVIRONMENT"] {
        assert_eq!(entry(&json, name)["status"], "pass", "{name}: {json:#}");
    }
    let rule = entry(&json, "required_if:ENVIRONMENT=production,PUBLIC_URL");
    assert_eq!(rule["status"], "pass", "{json:#}");
}

#[test]
fn without_its_address_or_the_webhooks_token_the_deploy_fails_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let config = std::fs::read_to_string(deploy("configmap.yaml")).unwrap();
    let config = config.replace("  PUBLIC_URL: https://orders.example.com/\n", "");
    let secret = std::fs::read_to_string(deploy("secret.yaml")).unwrap();
    let secret = secret.replace("  NOTIFY_TOKEN: CHANGE-ME-webhook-token\n", "");
    let deployment = std::fs::read_to_string(deploy("deployment.yaml")).unwrap();
    // The token's reference goes too: the Secret has no such key.
    let deployment = deployment.replace(
        "            - name: NOTIFY_TOKEN\n              valueFrom:\n                secretKeyRef:\n                  name: orders-secrets\n                  key: NOTIFY_TOKEN\n",
        "",
    );
    let files = [
        ("deployment.yaml", deployment),
        ("configmap.yaml", config),
        ("secret.yaml", secret),
    ]
    .map(|(name, text)| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    });
    let (code, json) = verify(&files);
    assert_eq!(code, 1, "{json:#}");
    let rule = entry(&json, "required_if:ENVIRONMENT=production,PUBLIC_URL");
    assert_eq!(rule["status"], "fail", "{json:#}");
    assert_eq!(rule["code"], "missing");
    assert_eq!(rule["variables"], serde_json::json!(["PUBLIC_URL"]));
    let token = entry(&json, "NOTIFY_TOKEN");
    assert_eq!(token["status"], "fail", "{json:#}");
    assert_eq!(token["code"], "missing");
}

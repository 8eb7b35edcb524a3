//! voxflow's `examples/voxflow/deploy/` against voxflow's contract, through the real example
//! binary (`voxflow config verify`): the Deployment, ConfigMap and Secret template verify (the
//! secrets read from the Secret's volume through `NAME_FILE`), the Deployment's probes are
//! exactly `config probes`, `kubernetes-validate` accepts the three files, and the war story:
//! the same Secret without `ULTRAVOX_API_KEY` fails (its file would be missing in the pods),
//! naming that Secret, that key and the Secret's line, with files or on standard input.

mod common;
#[allow(dead_code)]
#[path = "../../../tests/verify/kubernetes_validate.rs"]
mod kubernetes_validate;
#[path = "../../../tests/process/mod.rs"]
mod process;

use std::path::{Path, PathBuf};
use std::process::Command;

use process::example_binary;

/// The deploy's files, in the order a person would name them.
const FILES: [&str; 3] = ["deployment.yaml", "configmap.yaml", "secret.yaml"];

/// Every variable of voxflow's contract, in declaration order.
const VARIABLES: [&str; 9] = [
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "ULTRAVOX_API_KEY",
    "N8N_WEBHOOK_URL",
    "N8N_CIRCUIT_OPEN_FOR",
    "PUBLIC_URL",
    "HOST",
    "PORT",
    "SHUTDOWN_DRAIN",
];

fn deploy(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy")
        .join(name)
}

fn read(name: &str) -> String {
    std::fs::read_to_string(deploy(name)).unwrap()
}

/// The Secret template's values: never in any output.
fn placeholders() -> Vec<String> {
    read("secret.yaml")
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("TWILIO_AUTH_TOKEN: ")
                .or_else(|| l.trim().strip_prefix("ULTRAVOX_API_KEY: "))
        })
        .map(str::to_owned)
        .collect()
}

/// Runs `voxflow config ARGS...` with `stdin`: exit code, stdout, stderr; neither output may
/// hold a secret's value.
fn voxflow(args: &[&str], stdin: &str) -> (i32, String, String) {
    let (code, stdout, stderr) = common::command::run_with_stdin(
        Command::new(example_binary("voxflow"))
            .arg("config")
            .args(args),
        stdin,
    );
    let secrets = placeholders();
    assert_eq!(secrets.len(), 2);
    for secret in &secrets {
        assert!(
            !stdout.contains(secret.as_str()) && !stderr.contains(secret.as_str()),
            "{stdout}{stderr}"
        );
    }
    (code, stdout, stderr)
}

fn paths() -> Vec<String> {
    FILES.map(|f| deploy(f).display().to_string()).into()
}

#[test]
fn the_deploy_files_verify_against_the_contract() {
    let paths = paths();
    let mut args = vec!["verify"];
    args.extend(paths.iter().map(String::as_str));
    let (code, out, err) = voxflow(&args, "");
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let rows: Vec<&str> = out.lines().skip(1).take(VARIABLES.len()).collect();
    for (row, name) in rows.iter().zip(VARIABLES) {
        assert!(row.starts_with(&format!("{name} ")), "{out}");
        assert!(row.contains(" pass "), "{row}");
    }
    // Both secrets are files of the mounted Secret, each from its key's line.
    let secret = &paths[2];
    for (row, key) in [
        (rows[1], "TWILIO_AUTH_TOKEN"),
        (rows[2], "ULTRAVOX_API_KEY"),
    ] {
        let line = read("secret.yaml")
            .lines()
            .position(|l| l.trim_start().starts_with(&format!("{key}:")))
            .unwrap()
            + 1;
        assert!(
            row.contains(&format!(
                "secret-file voxflow-secrets/{key} {secret}:{line}"
            )),
            "{row}"
        );
    }
    let port = rows[7];
    assert!(port.contains("configmap voxflow-config/PORT"), "{port}");
    assert!(
        out.contains("Config: verified for Deployment/voxflow, container voxflow"),
        "{out}"
    );

    // Strict too: nothing of voxflow's comes from outside the files.
    args.push("--strict");
    assert_eq!(voxflow(&args, "").0, 0);
}

#[test]
fn the_war_story_a_secret_without_ultravox_api_key_fails_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let secret = read("secret.yaml");
    let without: String = secret
        .lines()
        .filter(|l| !l.trim_start().starts_with("ULTRAVOX_API_KEY:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let broken = dir.path().join("secret.yaml");
    std::fs::write(&broken, &without).unwrap();
    let name_line = without
        .lines()
        .position(|l| l.contains("name: voxflow-secrets"))
        .unwrap()
        + 1;

    let paths = paths();
    let broken_path = broken.display().to_string();
    let (code, out, err) = voxflow(&["verify", &paths[0], &paths[1], &broken_path], "");
    assert_eq!((code, err.as_str()), (1, ""), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("ULTRAVOX_API_KEY "))
        .unwrap();
    // The file the app reads would not be there: what the app itself would say.
    assert!(
        row.contains(" fail ") && row.contains(" unreadable_file "),
        "{row}"
    );
    assert!(
        row.contains(&format!(
            "no key `ULTRAVOX_API_KEY` in Secret `voxflow-secrets` ({broken_path}:{name_line})"
        )),
        "{row}"
    );
    assert!(
        row.contains("no file /var/run/secrets/voxflow/ULTRAVOX_API_KEY in the container")
            && row.contains("(ULTRAVOX_API_KEY_FILE)"),
        "{row}"
    );
    assert!(
        out.contains("Config: not verified for Deployment/voxflow, container voxflow"),
        "{out}"
    );
    assert!(
        out.trim_end().ends_with("1 failing (ULTRAVOX_API_KEY)"),
        "{out}"
    );

    // The same through a pipe: `cat files | voxflow config verify -`.
    let piped = [read("deployment.yaml"), read("configmap.yaml"), without].join("---\n");
    let (code, out, _) = voxflow(&["verify", "-"], &piped);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("no key `ULTRAVOX_API_KEY` in Secret `voxflow-secrets` (<stdin>:"),
        "{out}"
    );
    let whole = FILES.map(read).join("---\n");
    let (code, out, _) = voxflow(&["verify", "-", "--format", "json"], &whole);
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["ok"], true);
    assert_eq!(json["entries"].as_array().unwrap().len(), VARIABLES.len());
}

#[test]
fn the_deployment_s_probes_are_exactly_config_probes() {
    let (code, probes, _) = voxflow(&["probes"], "");
    assert_eq!(code, 0);
    let indented: String = probes
        .lines()
        .map(|l| {
            if l.is_empty() {
                "\n".to_owned()
            } else {
                format!("          {l}\n")
            }
        })
        .collect();
    assert!(
        read("deployment.yaml").contains(&indented),
        "deployment.yaml's probes differ from `voxflow config probes`:\n{indented}"
    );
}

#[test]
fn kubernetes_validate_accepts_the_deploy_files() {
    let files: Vec<PathBuf> = FILES.map(deploy).into();
    let Some(result) = kubernetes_validate::kubernetes_validate(&files) else {
        return;
    };
    for file in &files {
        let documents = result[file.display().to_string()].as_array().unwrap();
        assert_eq!(documents.len(), 1, "{}", file.display());
        assert!(
            documents[0].is_null(),
            "{}: {}",
            file.display(),
            documents[0]
        );
    }
}

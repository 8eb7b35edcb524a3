//! Runs `voxflow config ...` as a process, as a person would before a deploy: `config check`
//! names each failing variable with its code and exits 1, exits 0 when the environment is
//! complete, says where each value came from (process or `.env`), and never prints a secret;
//! `config example` lists every variable; an unknown command exits 2.

#[path = "../../../tests/process/mod.rs"]
mod process;

use std::path::Path;
use std::process::Command;

use process::{VOXFLOW_VARIABLES, example_binary, voxflow_config};

const TOKEN_MARKER: &str = "SECRET-MARKER-twilio-check-9d41";
const KEY_MARKER: &str = "SECRET-MARKER-ultravox-check-27ac";

/// What one run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The `config check` row of `name`, split on whitespace: name, status, code, origin,
    /// reason words.
    fn row(&self, name: &str) -> Vec<&str> {
        self.stdout
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
            .find(|cells| cells.first() == Some(&name))
            .unwrap_or_else(|| panic!("no row for {name}:\n{}", self.stdout))
    }

    fn assert_no_secret(&self) {
        for marker in [TOKEN_MARKER, KEY_MARKER] {
            assert!(
                !self.stdout.contains(marker) && !self.stderr.contains(marker),
                "secret value leaked:\n{}{}",
                self.stdout,
                self.stderr
            );
        }
    }
}

/// A fresh working directory (removed on drop), so no stray `.env` is read; `dotenv` is
/// written there as `.env` when given.
fn workdir(dotenv: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    if let Some(text) = dotenv {
        std::fs::write(dir.path().join(".env"), text).unwrap();
    }
    dir
}

/// Runs `voxflow <args>` in `dir` with the config variables removed and `vars` set.
fn voxflow(dir: impl AsRef<Path>, args: &[&str], vars: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(example_binary("voxflow"));
    for var in VOXFLOW_VARIABLES.iter().chain(&["HOST", "PORT"]) {
        cmd.env_remove(var);
        cmd.env_remove(format!("{var}_FILE"));
    }
    let out = cmd
        .args(args)
        .envs(vars.iter().copied())
        .env("NO_COLOR", "1")
        .current_dir(dir)
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn check_names_each_failing_variable_and_exits_1() {
    let dir = workdir(None);
    let mut vars: Vec<_> = voxflow_config(TOKEN_MARKER, KEY_MARKER)
        .into_iter()
        .filter(|(name, _)| *name != "PUBLIC_URL")
        .collect();
    vars.retain(|(name, _)| *name != "N8N_WEBHOOK_URL");
    vars.push(("N8N_WEBHOOK_URL", "not a url"));
    let run = voxflow(&dir, &["config", "check"], &vars);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    run.assert_no_secret();

    let header = run.stdout.lines().next().unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["NAME", "STATUS", "CODE", "ORIGIN", "REASON"]
    );
    assert_eq!(
        run.row("PUBLIC_URL")[..5],
        ["PUBLIC_URL", "fail", "missing", "-", "required"]
    );
    assert_eq!(
        run.row("N8N_WEBHOOK_URL")[..4],
        ["N8N_WEBHOOK_URL", "fail", "invalid", "env"]
    );
    assert_eq!(
        run.row("TWILIO_AUTH_TOKEN"),
        ["TWILIO_AUTH_TOKEN", "pass", "-", "env"]
    );
    assert_eq!(run.row("PORT"), ["PORT", "pass", "-", "default"]);
    // Columns line up: every row's STATUS starts where the header's does.
    let status_at = header.find("STATUS").unwrap();
    for line in run.stdout.lines().skip(1).take(6) {
        assert!(
            line[status_at..].starts_with("pass") || line[status_at..].starts_with("fail"),
            "{line}"
        );
    }
    assert!(
        run.stdout
            .trim_end()
            .ends_with("Config: not ready: 2 of 9 variables fail (N8N_WEBHOOK_URL, PUBLIC_URL)"),
        "{}",
        run.stdout
    );

    // A secret that fails to validate is named, and its value still never shown.
    let mut vars = voxflow_config(TOKEN_MARKER, KEY_MARKER);
    vars.retain(|(name, _)| *name != "TWILIO_AUTH_TOKEN");
    vars.push(("TWILIO_AUTH_TOKEN", ""));
    let run = voxflow(&dir, &["config", "check"], &vars);
    assert_eq!(run.code, Some(1));
    assert_eq!(
        run.row("TWILIO_AUTH_TOKEN")[..3],
        ["TWILIO_AUTH_TOKEN", "fail", "empty"]
    );
    run.assert_no_secret();
    dir.close().unwrap();
}

#[test]
fn check_exits_0_when_complete() {
    let dir = workdir(None);
    let run = voxflow(
        &dir,
        &["config", "check"],
        &voxflow_config(TOKEN_MARKER, KEY_MARKER),
    );
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    run.assert_no_secret();
    for name in VOXFLOW_VARIABLES.iter().chain(&["HOST", "PORT"]) {
        assert_eq!(run.row(name)[1], "pass", "{}", run.stdout);
    }
    assert!(
        run.stdout
            .trim_end()
            .ends_with("Config: ready: all 9 variables pass"),
        "{}",
        run.stdout
    );
    dir.close().unwrap();
}

#[test]
fn check_reads_dotenv_under_the_process_and_says_so() {
    let dotenv = format!(
        "# local settings\nPUBLIC_URL=https://from-dotenv.example\nTWILIO_AUTH_TOKEN={TOKEN_MARKER}\n\
         N8N_WEBHOOK_URL=https://n8n.dotenv.example/hook\nPORT=9100\n"
    );
    let dir = workdir(Some(&dotenv));
    let vars = [
        ("TWILIO_ACCOUNT_SID", "AC0123456789"),
        ("ULTRAVOX_API_KEY", KEY_MARKER),
        // The process wins over the file.
        ("PORT", "9200"),
    ];
    let run = voxflow(&dir, &["config", "check"], &vars);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    run.assert_no_secret();
    for name in ["PUBLIC_URL", "TWILIO_AUTH_TOKEN", "N8N_WEBHOOK_URL"] {
        assert_eq!(
            run.row(name),
            [name, "pass", "-", "dotenv:.env"],
            "{}",
            run.stdout
        );
    }
    assert_eq!(run.row("TWILIO_ACCOUNT_SID")[3], "env");
    assert_eq!(run.row("PORT")[3], "env");

    // Without the process variables, the file alone is not enough: named, with their origin.
    let run = voxflow(&dir, &["config", "check"], &[]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert_eq!(
        run.row("ULTRAVOX_API_KEY")[..4],
        ["ULTRAVOX_API_KEY", "fail", "missing", "-"]
    );
    assert_eq!(run.row("PORT"), ["PORT", "pass", "-", "dotenv:.env"]);
    run.assert_no_secret();

    // A `.env` that does not parse is an error naming the file, not a line of it.
    std::fs::write(dir.path().join(".env"), format!("BROKEN '{TOKEN_MARKER}\n")).unwrap();
    let run = voxflow(&dir, &["config", "check"], &vars);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains(".env"), "{}", run.stderr);
    run.assert_no_secret();
    dir.close().unwrap();
}

#[test]
fn example_lists_every_variable_and_no_secret() {
    let dir = workdir(None);
    let run = voxflow(
        &dir,
        &["config", "example"],
        &voxflow_config(TOKEN_MARKER, KEY_MARKER),
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    run.assert_no_secret();
    for name in VOXFLOW_VARIABLES.iter().chain(&["HOST", "PORT"]) {
        assert!(
            run.stdout.contains(&format!("\n{name}=")),
            "{name}: {}",
            run.stdout
        );
    }
    assert!(
        run.stdout.contains("\nTWILIO_AUTH_TOKEN=\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("\nPORT=8000\n"), "{}", run.stdout);
    assert!(
        run.stdout.contains("TWILIO_AUTH_TOKEN_FILE"),
        "{}",
        run.stdout
    );

    let run = voxflow(&dir, &["config", "schema"], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["properties"]["TWILIO_AUTH_TOKEN"]["writeOnly"], true);

    let run = voxflow(&dir, &["config", "markdown"], &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("| `PUBLIC_URL` | `Url` | yes |"),
        "{}",
        run.stdout
    );
    dir.close().unwrap();
}

#[test]
fn usage_errors_exit_2() {
    let dir = workdir(None);
    for args in [
        &["config", "frobnicate"][..],
        &["config"],
        &["config", "check", "--now"],
    ] {
        let run = voxflow(&dir, args, &[]);
        assert_eq!(run.code, Some(2), "{args:?}: {}{}", run.stdout, run.stderr);
        assert_eq!(run.stdout, "", "{args:?}");
        assert!(
            run.stderr.contains("Usage: voxflow config <command>"),
            "{}",
            run.stderr
        );
    }
    // A port that is not a port is a usage error too (voxflow's own probes are tested in
    // tests/voxflow/probes.rs).
    let run = voxflow(&dir, &["config", "probes", "--port", "70000"], &[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("--port N"), "{}", run.stderr);

    let run = voxflow(&dir, &["config", "help"], &[]);
    assert_eq!(run.code, Some(0));
    assert!(run.stdout.contains("check "), "{}", run.stdout);
    dir.close().unwrap();
}

/// The docs commands read the contract alone: the same output whatever the process and
/// `.env` hold, and never a secret.
#[test]
fn docs_commands_ignore_the_environment() {
    let empty = workdir(None);
    let dotenv = format!("PORT=9300\nTWILIO_AUTH_TOKEN={TOKEN_MARKER}\n");
    let full = workdir(Some(&dotenv));
    let mut vars = voxflow_config(TOKEN_MARKER, KEY_MARKER);
    vars.push(("PORT", "9200"));
    for command in ["example", "markdown", "schema"] {
        let bare = voxflow(&empty, &["config", command], &[]);
        let set = voxflow(&full, &["config", command], &vars);
        assert_eq!(bare.code, Some(0), "config {command}: {}", bare.stderr);
        assert_eq!(set.code, Some(0), "config {command}: {}", set.stderr);
        set.assert_no_secret();
        assert_eq!(set.stdout, bare.stdout, "config {command}");
    }
    empty.close().unwrap();
    full.close().unwrap();
}

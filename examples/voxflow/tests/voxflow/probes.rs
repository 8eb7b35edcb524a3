//! voxflow's probes: every route of the README with its status and content type, one
//! variable's and Kubernetes' verbose text, `exclude`; SIGTERM draining readiness while
//! liveness stays up, then exiting 0 (at once with a broken config); `config probes` printing
//! Kubernetes probes, as the guide shows them.

use std::process::Command;
use std::time::{Duration, Instant};

use super::process::{Service, VOXFLOW_VARIABLES, example_binary, voxflow_config};
use super::{
    KEY_MARKER, TOKEN_MARKER, assert_clean_log, assert_no_secret, start, without_public_url,
};

#[test]
fn every_probe_route_of_the_readme_answers() {
    let service = start(&without_public_url());
    let json = "application/health+json";
    let text = "text/plain; charset=utf-8";
    for (path, expected_status, expected_type) in [
        ("/health", 200, json),
        ("/livez", 200, json),
        ("/ready", 503, json),
        ("/readyz", 503, json),
        ("/startup", 200, json),
        ("/startupz", 200, json),
        ("/ready/PUBLIC_URL", 503, json),
        ("/readyz/PUBLIC_URL", 503, json),
        ("/ready/TWILIO_AUTH_TOKEN", 200, json),
        ("/ready/NOPE", 404, text),
        ("/livez?verbose", 200, text),
        ("/readyz?verbose", 503, text),
        ("/ready?exclude=PUBLIC_URL", 200, json),
        ("/readyz?verbose&exclude=PUBLIC_URL", 200, text),
        ("/not-a-probe", 404, text),
    ] {
        let (status, content_type, body) = service.get(path).parts();
        assert_eq!(
            (status, content_type.as_str()),
            (expected_status, expected_type),
            "{path}: {body}"
        );
        assert_no_secret(&body);
    }

    let one = service.get("/ready/PUBLIC_URL").json();
    assert_eq!(one["checks"]["PUBLIC_URL"][0]["code"], "missing", "{one}");
    assert_eq!(one["checks"].as_object().unwrap().len(), 1, "{one}");

    // Kubernetes' text: the failing variable with `[-]`, the others with `[+]`.
    let verbose = service.get("/readyz?verbose").body;
    assert!(
        verbose.lines().any(|l| l.starts_with("[-]PUBLIC_URL ")),
        "{verbose}"
    );
    assert!(
        verbose
            .lines()
            .any(|l| l.starts_with("[+]TWILIO_AUTH_TOKEN ")),
        "{verbose}"
    );
    assert_eq!(verbose.matches("[-]").count(), 1, "{verbose}");

    // Leaving out the only failing variable makes readiness pass.
    let excluded = service.get("/ready?exclude=PUBLIC_URL").json();
    assert_eq!(excluded["status"], "pass", "{excluded}");
    assert!(excluded["checks"].get("PUBLIC_URL").is_none(), "{excluded}");
    let verbose = service.get("/readyz?verbose&exclude=PUBLIC_URL").body;
    assert!(!verbose.contains("[-]"), "{verbose}");

    // The webhook is still the app's, not the probes' catch-all.
    let (status, _, _) = service.get("/twilio/voice").parts();
    assert_eq!(status, 405, "GET on the webhook");
    assert_clean_log(&service.stop());
}

/// voxflow started without `NO_COLOR`, so that the logs show its own choice of colour (none:
/// they are not a terminal), and without `SHUTDOWN_DRAIN` from the environment.
fn start_with_its_own_colours(vars: &[(&str, &str)]) -> Service {
    let unset: Vec<&str> = VOXFLOW_VARIABLES
        .iter()
        .copied()
        .chain(["HOST", "SHUTDOWN_DRAIN", "NO_COLOR"])
        .collect();
    Service::start("voxflow", vars, &unset)
}

#[test]
fn sigterm_drains_readiness_then_exits_0() {
    let mut vars = voxflow_config(TOKEN_MARKER, KEY_MARKER);
    vars.push(("SHUTDOWN_DRAIN", "2s"));
    let voxflow = start_with_its_own_colours(&vars);
    assert_eq!(voxflow.get("/ready").status, 200);

    let signalled = Instant::now();
    voxflow.terminate();
    let (ready, _) = voxflow.wait_for("/ready", Duration::from_secs(2), |r| r.status == 503);
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert_eq!(
        ready.json()["checks"]["shutdown"][0]["code"],
        "shutting_down",
        "{}",
        ready.body
    );
    let verbose = voxflow.get("/readyz?verbose").body;
    assert!(
        verbose.lines().any(|l| l.starts_with("[-]shutdown ")),
        "{verbose}"
    );
    let live = voxflow.get("/health");
    assert_eq!(
        live.status, 200,
        "liveness stays up while draining: {}",
        live.body
    );
    assert!(
        signalled.elapsed() < Duration::from_secs(2),
        "the checks above ran after the drain"
    );

    let (status, logs) = voxflow.wait_exit(Duration::from_secs(15));
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0), "{logs}");
    assert!(
        took >= Duration::from_secs(2),
        "stopped {took:?} after SIGTERM, before the 2s drain: {logs}"
    );
    println!("MEASURED: exited {took:?} after SIGTERM with SHUTDOWN_DRAIN=2s");
    assert!(logs.contains("shutting down"), "{logs}");
    assert_clean_log(&logs);
}

#[test]
fn sigterm_with_a_broken_config_exits_0_at_once() {
    // Never ready, so never sent traffic: nothing to drain.
    let voxflow = start_with_its_own_colours(&[("SHUTDOWN_DRAIN", "30s")]);
    assert_eq!(voxflow.get("/ready").status, 503);
    let signalled = Instant::now();
    voxflow.terminate();
    let (status, logs) = voxflow.wait_exit(Duration::from_secs(15));
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0), "{logs}");
    assert!(took < Duration::from_secs(5), "took {took:?}: {logs}");
    assert_clean_log(&logs);
}

#[test]
fn config_probes_prints_kubernetes_probes() {
    // With the config broken as with it whole: probes depend on the checks, not the values.
    for vars in [vec![], voxflow_config(TOKEN_MARKER, KEY_MARKER)] {
        let out = voxflow_command(&["config", "probes"], &vars);
        let (stdout, stderr) = (
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
        );
        assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
        for key in [
            "startupProbe:",
            "readinessProbe:",
            "livenessProbe:",
            "path: /ready\n",
            "path: /health\n",
            "port: 8000\n",
        ] {
            assert!(stdout.contains(key), "no {key:?} in:\n{stdout}");
        }
        assert_eq!(stderr, "", "a config command logs nothing");
        assert_no_secret(&stdout);
    }

    let out = voxflow_command(&["config", "probes", "--port", "9000"], &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("port: 9000\n"), "{stdout}");
    assert!(!stdout.contains("port: 8000"), "{stdout}");

    // The guide's CLI chapter shows the real output: liveness loose, readiness tight, as the
    // seed wires it.
    let guide = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../src/guide/cli.md"
    ))
    .unwrap();
    let command = "$ cargo run -q -p voxflow -- config probes\n";
    let shown = guide
        .split_once(command)
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .expect("the guide shows voxflow's `config probes`");
    let out = voxflow_command(&["config", "probes"], &[]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), shown);
}

/// Runs `voxflow <args>` to completion with the config variables removed and `vars` set.
fn voxflow_command(args: &[&str], vars: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(example_binary("voxflow"));
    for var in
        VOXFLOW_VARIABLES
            .iter()
            .chain(&["HOST", "PORT", "SHUTDOWN_DRAIN", "N8N_CIRCUIT_OPEN_FOR"])
    {
        cmd.env_remove(var);
    }
    cmd.args(args)
        .envs(vars.iter().copied())
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

//! `config probes` on a derived config with a prefix, and the two forms of `config_command`,
//! run as a program runs them: this test binary runs itself again as the child
//! [`cli_child`], which mounts the form it is told on the arguments it is given and exits with
//! the code, so the exit codes, stdout and stderr are real.

use std::io::Write;
use std::process::{Command, ExitCode};

use health::{Health, ReadinessContract};

/// The database's settings: `BILLING_DB_PORT` is not where the service listens.
#[derive(Debug, ReadinessContract)]
#[allow(dead_code)]
struct Db {
    /// Port of the database.
    #[contract(default = 5432)]
    port: u16,
}

/// A billing service under `BILLING_`.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "BILLING_")]
#[allow(dead_code)]
struct Billing {
    /// The database.
    #[contract(nested, prefix = "DB_")]
    db: Db,
    /// Admin endpoint's port.
    #[contract(default = 9200)]
    admin_port: u16,
    /// Where the service listens.
    #[contract(default = 9100)]
    port: u16,
}

/// A gateway that listens on `GATEWAY_LISTEN` and names its upstream's port `GATEWAY_PORT`.
#[derive(Debug, ReadinessContract)]
#[contract(prefix = "GATEWAY_")]
#[allow(dead_code)]
struct Gateway {
    /// The upstream's port.
    #[contract(default = 9100)]
    port: u16,
    /// Where the gateway listens.
    #[contract(probe_port, default = 7443)]
    listen: u16,
}

/// The variable telling the child its form (`before` or `with`) and arguments, split by
/// spaces.
const CHILD: &str = "HEALTH_CONFIG_PROBES_CHILD";
/// Printed by the child before the command's output: what the test harness printed before
/// it is cut off.
const MARK: &str = "\n-----8<----- config -----8<-----\n";

/// Not a test by itself: the child's entry point (does nothing without `CHILD`).
#[test]
fn cli_child() {
    let Ok(line) = std::env::var(CHILD) else {
        return;
    };
    let mut words = line.split(' ');
    let form = words.next().unwrap();
    let args: Vec<&str> = std::iter::once("billing").chain(words).collect();
    print!("{MARK}");
    std::io::stdout().flush().unwrap();
    let code = match form {
        // An `ExitCode` cannot be read back, only compared: the number it was made from.
        "before" => health::cli::config_command_before_load::<Billing>(&args).map(|code| {
            (0..=u8::MAX)
                .find(|n| ExitCode::from(*n) == code)
                .map_or(-1, i32::from)
        }),
        "gateway" => {
            let health = Health::builder().build();
            health::cli::config_command_code::<Gateway>(&args, Some(&health)).map(i32::from)
        }
        _ => {
            let health = Health::builder().build();
            health::cli::config_command_code::<Billing>(&args, Some(&health)).map(i32::from)
        }
    };
    // 99: not a `config` command, left to the app.
    std::process::exit(code.unwrap_or(99));
}

/// Runs `billing ARGS...` through `form` (`gateway` for the gateway's config): exit code, stdout, stderr.
fn billing(form: &str, args: &str) -> (i32, String, String) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["cli_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, format!("{form} {args}"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stdout = stdout
        .split_once(MARK)
        .map_or(String::new(), |(_, after)| after.to_owned());
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

#[test]
fn probes_go_to_the_prefixed_port_variable() {
    let (code, out, err) = billing("with", "config probes");
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.contains("port: 9100\n"), "{out}");
    assert!(
        !out.contains("port: 8080") && !out.contains("port: 5432"),
        "{out}"
    );
    let (code, out, _) = billing("with", "config probes --port-from BILLING_ADMIN_PORT");
    assert_eq!(code, 0);
    assert!(
        out.contains("port: 9200\n") && !out.contains("port: 9100"),
        "{out}"
    );
}

#[test]
fn probes_go_to_the_field_marked_probe_port() {
    let (code, out, err) = billing("gateway", "config probes");
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(
        out.contains("port: 7443\n") && !out.contains("port: 9100"),
        "{out}"
    );
    let (code, out, _) = billing("gateway", "config probes --port-from GATEWAY_PORT");
    assert_eq!(code, 0);
    assert!(out.contains("port: 9100\n"), "{out}");
    assert!(Gateway::contract().variables()[1].spec().is_probe_port());
}

#[test]
fn before_load_answers_the_contract_commands_and_leaves_probes_to_the_health() {
    let (code, out, _) = billing("before", "config example");
    assert_eq!(code, 0);
    assert!(out.contains("BILLING_PORT=9100\n"), "{out}");
    let (code, _, err) = billing("before", "config nope");
    assert_eq!(code, 2, "{err}");
    // Left to the form with the `Health`, which answers it.
    let (code, out, err) = billing("before", "config probes");
    assert_eq!((code, out.as_str(), err.as_str()), (99, "", ""));
    let (code, _, _) = billing("before", "serve");
    assert_eq!(code, 99);
}

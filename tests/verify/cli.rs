//! `config verify` as a program runs it: this test binary runs itself again as the child
//! [`cli_child`], which runs `health::cli::config_command_code::<Shop>` on the arguments it is
//! given and exits with its code, so the exit codes, stdout, stderr and standard input are
//! real.

use std::io::Write;
use std::process::Command;

use super::{Shop, assert_no_secret, fixture, line_of, text};

/// The variable telling the child its arguments (JSON).
const CHILD: &str = "HEALTH_VERIFY_CHILD_ARGS";
/// Printed by the child before the command's output: what the test harness printed before
/// it is cut off.
const MARK: &str = "\n-----8<----- config verify -----8<-----\n";

/// Not a test by itself: the child's entry point (does nothing without `CHILD`).
#[test]
fn cli_child() {
    let Ok(args) = std::env::var(CHILD) else {
        return;
    };
    let args: Vec<String> = serde_json::from_str(&args).unwrap();
    print!("{MARK}");
    std::io::stdout().flush().unwrap();
    let code = health::cli::config_command_code::<Shop>(args, None).unwrap_or(99);
    std::process::exit(code.into());
}

/// Runs `shop config verify ARGS...` with `stdin`: exit code, stdout, stderr, each swept for
/// secrets.
fn verify(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut all = vec!["shop", "config", "verify"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = crate::common::command::run_with_stdin(
        Command::new(std::env::current_exe().unwrap())
            .args([
                "cli::cli_child",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD, serde_json::to_string(&all).unwrap()),
        stdin,
    );
    let stdout = stdout
        .split_once(MARK)
        .map_or(String::new(), |(_, after)| after.to_owned());
    assert_no_secret(&stdout);
    assert_no_secret(&stderr);
    (code, stdout, stderr)
}

fn path(name: &str) -> String {
    fixture(name).display().to_string()
}

#[test]
fn the_table_and_exit_0_when_verified() {
    let (shop, config, secret) = (
        path("k8s/shop.yaml"),
        path("k8s/configmap.yaml"),
        path("k8s/secret.yaml"),
    );
    let (code, out, err) = verify(&[&shop, &config, &secret, "--container", "shop"], "");
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let lines: Vec<&str> = out.lines().collect();
    let header = lines[0];
    assert!(
        header.starts_with("NAME ") && header.contains(" STATUS ") && header.ends_with("REASON"),
        "{out}"
    );
    let column = header.find("ORIGIN").unwrap();
    let database = lines
        .iter()
        .find(|l| l.starts_with("SHOP_DATABASE_URL "))
        .unwrap();
    assert_eq!(
        &database[column..],
        format!(
            "secret shop-secrets/database-url {secret}:{}",
            line_of("k8s/secret.yaml", "database-url:")
        )
        .trim_end()
    );
    let replica = lines
        .iter()
        .find(|l| l.starts_with("SHOP_REPLICA "))
        .unwrap();
    assert!(
        replica.contains(" warn ") && replica.contains(" unverified "),
        "{replica}"
    );
    let summary = format!(
        "Shop: verified for Deployment/shop, container shop ({shop}:{}): all 8 variables \
         provided and valid (1 provided at run time, not verified)",
        line_of("k8s/shop.yaml", "- name: shop")
    );
    assert!(out.trim_end().ends_with(&summary), "{out}");
}

#[test]
fn exit_1_when_not_verified_or_strict() {
    let (shop, config, secret) = (
        path("k8s/shop.yaml"),
        path("k8s/configmap.yaml"),
        path("k8s/secret.yaml"),
    );
    let (code, out, _) = verify(
        &["--strict", &shop, &config, &secret, "--container=shop"],
        "",
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Shop: not verified for Deployment/shop"),
        "{out}"
    );
    let broken = text("k8s/secret.yaml").replace("database-url:", "database-uri:");
    let (code, out, _) = verify(&[&shop, &config, "-", "--container", "shop"], &broken);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Secret `shop-secrets` (<stdin>:"), "{out}");
}

#[test]
fn a_secret_left_out_of_the_files_exits_1_unless_allowed() {
    let (shop, config) = (path("k8s/shop.yaml"), path("k8s/configmap.yaml"));
    let (code, out, err) = verify(&[&shop, &config, "--container", "shop"], "");
    assert_eq!((code, err.as_str()), (1, ""), "{out}");
    let database = out
        .lines()
        .find(|l| l.starts_with("SHOP_DATABASE_URL "))
        .unwrap();
    assert!(
        database.contains(" fail ")
            && database.contains("Secret `shop-secrets` is not in the files")
            && database.ends_with("(`--allow-unverified`)"),
        "{out}"
    );
    assert!(
        out.contains("Shop: not verified for Deployment/shop"),
        "{out}"
    );

    let allowed = [&shop, &config, "--container", "shop", "--allow-unverified"];
    let (code, out, _) = verify(&allowed, "");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("SHOP_DATABASE_URL ") && l.contains(" warn ")),
        "{out}"
    );
    let (code, _, err) = verify(&[&shop, "--strict", "--allow-unverified"], "");
    assert_eq!(code, 2);
    assert!(err.contains("can't be used together"), "{err}");
}

#[test]
fn json_output_has_one_entry_per_variable_and_where_it_comes_from() {
    let all = [
        path("k8s/shop.yaml"),
        path("k8s/configmap.yaml"),
        path("k8s/secret.yaml"),
    ];
    let (code, out, _) = verify(
        &[
            &all[0],
            &all[1],
            &all[2],
            "--container",
            "shop",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{out}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["type"], "Shop");
    assert_eq!(json["ok"], true);
    assert_eq!(json["status"], "warn");
    assert_eq!(json["strict"], false);
    assert_eq!(json["allow_unverified"], false);
    assert_eq!(json["target"]["kind"], "Deployment");
    assert_eq!(json["target"]["container"], "shop");
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 8);
    let database = &entries[0];
    assert_eq!(database["name"], "SHOP_DATABASE_URL");
    assert_eq!(database["field"], "database_url");
    assert_eq!(database["status"], "pass");
    assert_eq!(database["code"], serde_json::Value::Null);
    assert_eq!(database["origin"]["kind"], "secret");
    assert_eq!(database["origin"]["name"], "shop-secrets");
    assert_eq!(database["origin"]["key"], "database-url");
    assert_eq!(
        database["origin"]["at"]["line"],
        line_of("k8s/secret.yaml", "database-url:")
    );
    assert_eq!(database["at"]["file"], all[0].as_str());
    assert_eq!(
        entries[7]["origin"],
        serde_json::json!({"kind": "field_ref", "field_path": "metadata.name"})
    );
    assert_eq!(entries[7]["code"], "unverified");
}

#[test]
fn standard_input_reads_what_a_pipe_gives() {
    let all = ["k8s/shop.yaml", "k8s/configmap.yaml", "k8s/secret.yaml"]
        .map(text)
        .join("---\n");
    let (code, out, err) = verify(&["-", "--container", "shop"], &all);
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    assert!(out.contains("configmap shop-config/port <stdin>:"), "{out}");
}

#[test]
fn exit_2_on_usage_errors_and_unreadable_files_with_file_and_line() {
    let shop = path("k8s/shop.yaml");
    for (args, stdin, expected) in [
        (vec![], "", "`config verify` needs files"),
        (vec![shop.as_str()], "", "pick one with --container"),
        (
            vec![shop.as_str(), "--container", "nope"],
            "",
            "no container `nope`",
        ),
        (
            vec!["/nonexistent/deploy.yaml"],
            "",
            "cannot read /nonexistent/deploy.yaml",
        ),
        (
            vec!["-"],
            "kind: Secret\nmetadata: {name: s}\nstringData:\n  K: [SECRET-unclosed\n",
            "<stdin>:",
        ),
        (vec!["-", "-"], "", "more than once"),
        (
            vec!["--format", "yaml", shop.as_str()],
            "",
            "`--format` is `text` or `json`",
        ),
    ] {
        let (code, out, err) = verify(&args, stdin);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}: {err}");
        assert!(
            err.starts_with("error: ") && err.contains(expected),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn secrets_read_as_files_show_as_secret_files_in_the_table_and_the_json() {
    let (mounted, config, secret) = (
        path("k8s/mounted.yaml"),
        path("k8s/configmap.yaml"),
        path("k8s/secret.yaml"),
    );
    let (code, out, err) = verify(&[&mounted, &config, &secret], "");
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
    let api = out
        .lines()
        .find(|l| l.starts_with("SHOP_API_KEY "))
        .unwrap();
    assert!(
        api.contains(&format!(
            "secret-file shop-api/API_KEY {secret}:{}",
            line_of("k8s/secret.yaml", "API_KEY:")
        )),
        "{api}"
    );
    let (_, out, _) = verify(&[&mounted, &config, &secret, "--format", "json"], "");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["entries"][0]["origin"],
        serde_json::json!({
            "kind": "secret_file",
            "name": "shop-secrets",
            "key": "database-url",
            "path": "/var/run/secrets/shop/database-url",
            "at": {"file": secret, "line": line_of("k8s/secret.yaml", "database-url:")},
        })
    );
    // The same Secret without the key, on standard input: exit 1, the key named.
    let broken = text("k8s/secret.yaml").replace("database-url:", "database-uri:");
    let (code, out, _) = verify(&[&mounted, &config, "-"], &broken);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("no key `database-url` in Secret `shop-secrets` (<stdin>:"),
        "{out}"
    );
}

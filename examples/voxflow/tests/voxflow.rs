//! Runs the voxflow example as a process: a missing variable is named by `/ready`, liveness
//! stays 200, every probe route answers, SIGTERM drains then exits 0,
//! `config probes` prints Kubernetes probes, and neither a secret's value nor an ANSI escape
//! appears in any body or log line. Against a fake n8n on loopback: Twilio's stream events
//! are delivered as JSON, an n8n that fails opens the `n8n` circuit (a `warn`, still ready)
//! and stops the deliveries until it recovers, no probe ever calls it, and every request
//! ends by its timeout while liveness stays 200.
//!
//! | module | covers |
//! |---|---|
//! | `config` | missing and bad variables named; a Secret mounted late or rotated; a whole config |
//! | `probes` | every probe route of the README; SIGTERM's drain; `config probes` |
//! | `n8n` | stream events through the `n8n` circuit; requests ended by their timeouts |
//!
//! Here what they share: the secret markers and the sweeps for them, starting voxflow, its
//! config without `PUBLIC_URL`, Twilio's signature.

mod common;
#[path = "voxflow/config.rs"]
mod config;
#[path = "voxflow/n8n.rs"]
mod n8n;
#[path = "voxflow/probes.rs"]
mod probes;
#[path = "../../../tests/process/mod.rs"]
mod process;

use process::{Service, VOXFLOW_VARIABLES, voxflow_config};

const TOKEN_MARKER: &str = "SECRET-MARKER-twilio-5f3a9c";
const KEY_MARKER: &str = "SECRET-MARKER-ultravox-81be2d";

fn start(vars: &[(&str, &str)]) -> Service {
    Service::start("voxflow", vars, &VOXFLOW_VARIABLES)
}

fn assert_no_secret(text: &str) {
    for marker in [TOKEN_MARKER, KEY_MARKER] {
        assert!(!text.contains(marker), "secret value leaked: {text}");
    }
}

/// A captured log: no secret, and no ANSI escape (it is not a terminal).
fn assert_clean_log(logs: &str) {
    assert_no_secret(logs);
    assert!(
        !logs.contains("\x1b["),
        "ANSI escape in a log that is not a terminal: {logs:?}"
    );
}

/// voxflow's complete config without `PUBLIC_URL`.
fn without_public_url() -> Vec<(&'static str, &'static str)> {
    voxflow_config(TOKEN_MARKER, KEY_MARKER)
        .into_iter()
        .filter(|(name, _)| *name != "PUBLIC_URL")
        .collect()
}

/// Twilio's documented scheme, written out independently of the example's code: the names
/// are already sorted here.
fn twilio_signature(token: &str, url: &str, sorted_params: &[(&str, &str)]) -> String {
    use base64::Engine;
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(token.as_bytes()).unwrap();
    let data: String = std::iter::once(url.to_owned())
        .chain(sorted_params.iter().map(|(k, v)| format!("{k}{v}")))
        .collect();
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

//! `?verbose` answers Kubernetes' own healthz text, byte for byte.
//!
//! The format strings below are quoted verbatim from Kubernetes'
//! `staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go` (`handleRootHealth` and
//! `formatQuoted`), and every expected body is built from them with Go's `%s` substitution.
//! The last tests replay rows of Kubernetes' own `healthz_test.go` verbatim.
//!
//! Time is tokio's paused clock: the first results are in after a short sleep.

mod common;

use std::time::Duration;

use health::{Code, Health, Outcome, Probe};

// healthz.go, handleRootHealth: the check lines, in check order.
//   fmt.Fprintf(&individualCheckOutput, "[+]%s excluded: ok\n", check.Name())
const EXCLUDED: &str = "[+]%s excluded: ok\n";
//   fmt.Fprintf(&individualCheckOutput, "[-]%s failed: reason withheld\n", check.Name())
const FAILED: &str = "[-]%s failed: reason withheld\n";
//   fmt.Fprintf(&individualCheckOutput, "[+]%s ok\n", check.Name())
const OK: &str = "[+]%s ok\n";
// healthz.go, handleRootHealth: `exclude` names that matched no check.
//   fmt.Fprintf(&individualCheckOutput, "warn: some health checks cannot be excluded: no matches for %s\n", formatQuoted(excluded.List()...))
const CANNOT_EXCLUDE: &str = "warn: some health checks cannot be excluded: no matches for %s\n";
// healthz.go, formatQuoted: each name as `%q`, then `strings.Join(quoted, ",")`.
//   quoted = append(quoted, fmt.Sprintf("%q", name))
const QUOTE_SEPARATOR: &str = ",";
// healthz.go, handleRootHealth: the closing line, named after the endpoint.
//   fmt.Fprintf(w, "%s check passed\n", name)
const PASSED: &str = "%s check passed\n";
//   http.Error(responsewriter.GetOriginal(w), fmt.Sprintf("%s%s check failed", individualCheckOutput.String(), name), http.StatusInternalServerError)
// `http.Error` writes its message with `fmt.Fprintln`, which adds the newline.
const FAILED_BODY: &str = "%s%s check failed";

/// Go's `fmt.Sprintf` with `%s` verbs only.
fn sprintf(format: &str, args: &[&str]) -> String {
    let parts: Vec<&str> = format.split("%s").collect();
    assert_eq!(
        parts.len(),
        args.len() + 1,
        "one argument per %s in {format:?}"
    );
    let mut out = parts[0].to_owned();
    for (arg, part) in args.iter().zip(&parts[1..]) {
        out.push_str(arg);
        out.push_str(part);
    }
    out
}

/// `fmt.Sprintf("%q", name)` for a name of printable ASCII without `"` or `\`, which Go
/// writes unchanged between quotes (the escapes are unit-tested in `health_core::http`).
fn q(name: &str) -> String {
    assert!(
        name.bytes()
            .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\'),
        "{name:?} needs Go's escapes"
    );
    format!("\"{name}\"")
}

/// The closing line of a failing body: `http.Error`'s message and its newline.
fn failed_body(lines: &str, endpoint: &str) -> String {
    sprintf(FAILED_BODY, &[lines, endpoint]) + "\n"
}

/// Calls the entry like an adapter would; returns (status, content type, nosniff, body).
async fn get(health: &Health, target: &str) -> (u16, String, bool, String) {
    let response = common::respond(health, target).await;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    let content_type = header("content-type").unwrap_or_default();
    let nosniff = header("x-content-type-options").as_deref() == Some("nosniff");
    let status = response.status().as_u16();
    let body = String::from_utf8(response.into_body().to_vec()).unwrap();
    (status, content_type, nosniff, body)
}

/// `ping` passes, `payments` fails but is non-critical (`warn`), `bad` fails; liveness has one
/// heartbeat, `worker`.
async fn service() -> Health {
    let health = Health::builder()
        .readiness("ping", || async { Outcome::pass() })
        .readiness("payments", || async {
            Outcome::fail(Code::TIMEOUT, "the payments API timed out")
        })
        .non_critical()
        .readiness("bad", || async {
            Outcome::fail(Code::CONNECTION_REFUSED, "this will fail")
        })
        .liveness_heartbeat("worker", Duration::from_secs(30))
        .build();
    tokio::time::sleep(Duration::from_millis(10)).await;
    health
}

#[tokio::test(start_paused = true)]
async fn liveness_names_the_endpoint_as_requested() {
    let health = service().await;
    for endpoint in ["livez", "health"] {
        let got = get(&health, &format!("/{endpoint}?verbose")).await;
        let want = sprintf(OK, &["worker"]) + &sprintf(PASSED, &[endpoint]);
        assert_eq!(
            got,
            (200, "text/plain; charset=utf-8".to_owned(), true, want)
        );
    }

    // Thirty seconds without a tick: the heartbeat stalls and liveness fails.
    tokio::time::sleep(Duration::from_secs(31)).await;
    let (status, _, _, body) = get(&health, "/livez?verbose").await;
    assert_eq!(status, 503);
    assert_eq!(body, failed_body(&sprintf(FAILED, &["worker"]), "livez"));
}

#[tokio::test(start_paused = true)]
async fn readiness_lines_warn_and_failure() {
    let health = service().await;
    let lines = sprintf(OK, &["ping"]) + &sprintf(OK, &["payments"]) + &sprintf(FAILED, &["bad"]);
    for endpoint in ["readyz", "ready"] {
        let (status, content_type, nosniff, body) =
            get(&health, &format!("/{endpoint}?verbose")).await;
        assert_eq!(
            (status, content_type.as_str(), nosniff),
            (503, "text/plain; charset=utf-8", true)
        );
        assert_eq!(body, failed_body(&lines, endpoint));
    }

    // No path: the closing line names Kubernetes' endpoint for the probe.
    let response = health
        .respond_probe(Probe::Readiness, None, Some("verbose"))
        .await;
    let body = String::from_utf8(response.into_body().to_vec()).unwrap();
    assert_eq!(body, failed_body(&lines, "readyz"));

    // One check: its line and the closing line of the endpoint.
    let (status, _, _, body) = get(&health, "/ready/bad?verbose").await;
    assert_eq!(status, 503);
    assert_eq!(body, failed_body(&sprintf(FAILED, &["bad"]), "ready"));
    let (status, _, _, body) = get(&health, "/readyz/payments?verbose").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        sprintf(OK, &["payments"]) + &sprintf(PASSED, &["readyz"])
    );

    // The JSON body keeps the codes the text withholds, and is nosniff too.
    let (status, content_type, nosniff, body) = get(&health, "/readyz").await;
    assert_eq!(
        (status, content_type.as_str(), nosniff),
        (503, "application/health+json", true)
    );
    assert!(
        body.contains("connection_refused") && body.contains("timeout"),
        "{body}"
    );
}

#[tokio::test(start_paused = true)]
async fn an_excluded_check_stays_in_place() {
    let health = service().await;
    let (status, _, _, body) = get(&health, "/ready?verbose&exclude=bad").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        sprintf(OK, &["ping"])
            + &sprintf(OK, &["payments"])
            + &sprintf(EXCLUDED, &["bad"])
            + &sprintf(PASSED, &["ready"])
    );

    // Excluding the warning check too: still listed, in place.
    let (status, _, _, body) =
        get(&health, "/readyz?exclude=payments&verbose=true&exclude=bad").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        sprintf(OK, &["ping"])
            + &sprintf(EXCLUDED, &["payments"])
            + &sprintf(EXCLUDED, &["bad"])
            + &sprintf(PASSED, &["readyz"])
    );
}

#[tokio::test(start_paused = true)]
async fn unknown_excludes_are_deduplicated_sorted_quoted_and_joined() {
    let health = service().await;
    let (status, _, _, body) = get(
        &health,
        "/readyz?verbose&exclude=zeta&exclude=bad&exclude=alpha&exclude=zeta&exclude=Beta&exclude=a%2Cb",
    )
    .await;
    assert_eq!(status, 200, "`bad` is excluded");
    // Kubernetes lists the set sorted (`excluded.List()`): bytewise, so `B` < `a,b` < `alpha`.
    let unknown = ["Beta", "a,b", "alpha", "zeta"]
        .map(q)
        .join(QUOTE_SEPARATOR);
    assert_eq!(
        body,
        sprintf(OK, &["ping"])
            + &sprintf(OK, &["payments"])
            + &sprintf(EXCLUDED, &["bad"])
            + &sprintf(CANNOT_EXCLUDE, &[&unknown])
            + &sprintf(PASSED, &["readyz"])
    );
}

#[tokio::test(start_paused = true)]
async fn a_comma_does_not_split_exclude() {
    // Kubernetes' getExcludedChecks keeps each `exclude` value whole
    // (`sets.NewString(r.URL.Query()["exclude"]...)`): `bad,payments` names one check.
    let health = service().await;
    let (status, _, _, body) = get(&health, "/ready?verbose&exclude=bad,payments").await;
    assert_eq!(status, 503);
    let lines = sprintf(OK, &["ping"])
        + &sprintf(OK, &["payments"])
        + &sprintf(FAILED, &["bad"])
        + &sprintf(CANNOT_EXCLUDE, &[&q("bad,payments")]);
    assert_eq!(body, failed_body(&lines, "ready"));

    // Repeated, each one counts.
    let (status, _, _, body) = get(&health, "/ready?verbose&exclude=bad&exclude=payments").await;
    assert_eq!(status, 200);
    assert!(body.ends_with(&sprintf(PASSED, &["ready"])), "{body}");
}

#[tokio::test(start_paused = true)]
async fn unknown_names_are_quoted_like_go() {
    let health = service().await;
    // Decoded as Go decodes a query (`+` is a space), then quoted as Go's `%q`: `\t`, `\"`,
    // `\x00`, `\u00ad` (a soft hyphen is not printable), `é` kept, `\xff` for a byte that is
    // not UTF-8; an empty value is a name too.
    let (status, _, _, body) = get(
        &health,
        "/ready?verbose&exclude=tab%09+q%22&exclude=%00%C2%AD%C3%A9%FF&exclude=",
    )
    .await;
    assert_eq!(status, 503);
    let unknown = r#""","\x00\u00adé\xff","tab\t q\"""#;
    let lines = sprintf(OK, &["ping"])
        + &sprintf(OK, &["payments"])
        + &sprintf(FAILED, &["bad"])
        + &sprintf(CANNOT_EXCLUDE, &[unknown]);
    assert_eq!(body, failed_body(&lines, "ready"));
}

// Rows of Kubernetes' `testMultipleChecks` (staging/src/k8s.io/apiserver/pkg/server/healthz/
// healthz_test.go), run by `TestMultiplePathChecks` as `testMultipleChecks("/ready", "ready", t)`:
// the same `/ready` path, so `name` is "ready". The checks are the test's `ping` (passes) and,
// when `addBadCheck`, `bad` (fails with "this will fail"). The format strings are copied as
// they are; Kubernetes answers 500 where we answer 503.

/// Kubernetes' checks for a row: `ping`, and `bad` if `add_bad_check`.
async fn kubernetes_checks(add_bad_check: bool) -> Health {
    let mut builder = Health::builder().readiness("ping", || async { Outcome::pass() });
    if add_bad_check {
        builder = builder.readiness("bad", || async {
            Outcome::fail(Code::ERROR, "this will fail")
        });
    }
    let health = builder.build();
    tokio::time::sleep(Duration::from_millis(10)).await;
    health
}

/// One row of `testMultipleChecks`: `{path, expectedResponse, expectedStatus, addBadCheck}`.
struct Row {
    query: &'static str,
    /// The Go format string of the expected body, `%s` standing for `name`.
    expected: &'static str,
    /// Kubernetes' status (`http.StatusOK` or `http.StatusInternalServerError`).
    kubernetes_status: u16,
    add_bad_check: bool,
}

#[rustfmt::skip]
const ROWS: [Row; 4] = [
    // {"?verbose", fmt.Sprintf("[+]ping ok\n%s check passed\n", name), http.StatusOK, false},
    Row { query: "?verbose", expected: "[+]ping ok\n%s check passed\n", kubernetes_status: 200, add_bad_check: false },
    // {"?verbose=true&exclude=bad", fmt.Sprintf("[+]ping ok\n[+]bad excluded: ok\n%s check passed\n", name), http.StatusOK, true},
    Row { query: "?verbose=true&exclude=bad", expected: "[+]ping ok\n[+]bad excluded: ok\n%s check passed\n", kubernetes_status: 200, add_bad_check: true },
    // {"?verbose=true&exclude=dontexist", fmt.Sprintf("[+]ping ok\nwarn: some health checks cannot be excluded: no matches for \"dontexist\"\n%s check passed\n", name), http.StatusOK, false},
    Row { query: "?verbose=true&exclude=dontexist", expected: "[+]ping ok\nwarn: some health checks cannot be excluded: no matches for \"dontexist\"\n%s check passed\n", kubernetes_status: 200, add_bad_check: false },
    // {"?verbose", fmt.Sprintf("[+]ping ok\n[-]bad failed: reason withheld\n%s check failed\n", name), http.StatusInternalServerError, true},
    Row { query: "?verbose", expected: "[+]ping ok\n[-]bad failed: reason withheld\n%s check failed\n", kubernetes_status: 500, add_bad_check: true },
];

#[tokio::test(start_paused = true)]
async fn kubernetes_healthz_test_rows_verbatim() {
    let name = "ready";
    for row in ROWS {
        let health = kubernetes_checks(row.add_bad_check).await;
        let (status, _, _, body) = get(&health, &format!("/ready{}", row.query)).await;
        let ours = if row.kubernetes_status == 500 {
            503
        } else {
            200
        };
        assert_eq!(
            (status, body),
            (ours, sprintf(row.expected, &[name])),
            "{}",
            row.query
        );
    }
}

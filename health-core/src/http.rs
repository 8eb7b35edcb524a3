//! The framework-agnostic HTTP entry: (path, query) to an `http::Response`.
//!
//! Routes, relative to wherever the app mounts them:
//!
//! | path | probe |
//! |---|---|
//! | `/health`, `/livez` | liveness |
//! | `/ready`, `/readyz` | readiness |
//! | `/startup`, `/startupz` | startup |
//! | `/ready/<check>` (and the same under each path) | one check |
//!
//! Query: `?verbose` gives the Kubernetes text format (`[+]name ok`, `[-]name failed: code`,
//! a closing line); `?exclude=name` (repeatable) leaves checks out, warning about unknown
//! names as Kubernetes does; `?detail` adds raw error text when the app enabled it. The
//! default body is `application/health+json`. Pass and warn answer 200, fail 503.

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};

use crate::health::{Health, Probe};
use crate::report::{Check, HEALTH_JSON, Report};
use crate::status::Status;

const TEXT: &str = "text/plain; charset=utf-8";
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// What a probe request asks for, parsed from its query.
#[derive(Debug, Default, PartialEq, Eq)]
struct Query {
    verbose: bool,
    detail: bool,
    exclude: Vec<String>,
}

impl Query {
    fn parse(query: Option<&str>) -> Query {
        let mut out = Query::default();
        for (key, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
            match &*key {
                "verbose" => out.verbose = value != "false" && value != "0",
                "detail" => out.detail = value != "false" && value != "0",
                "exclude" => out.exclude.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned),
                ),
                _ => {}
            }
        }
        out
    }
}

/// The probe and optional single check a path names, or `None` for a path we do not serve.
pub fn route(path: &str) -> Option<(Probe, Option<String>)> {
    let path = path.trim_end_matches('/');
    let path = path.strip_prefix('/').unwrap_or(path);
    let (first, rest) = path.split_once('/').unwrap_or((path, ""));
    let probe = match first {
        "health" | "livez" => Probe::Liveness,
        "ready" | "readyz" => Probe::Readiness,
        "startup" | "startupz" => Probe::Startup,
        _ => return None,
    };
    if rest.is_empty() {
        return Some((probe, None));
    }
    if rest.contains('/') {
        return None;
    }
    let name = percent_decode(rest)?;
    Some((probe, Some(name)))
}

fn percent_decode(segment: &str) -> Option<String> {
    // `form_urlencoded` decodes `%XX` (and `+`, which never appears in check names).
    let decoded: String = form_urlencoded::parse(format!("n={segment}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    Some(decoded)
}

impl Health {
    /// Answers a probe request: `path` relative to where the routes are mounted (`/ready`,
    /// `/livez`, `/ready/postgres`), `query` without the `?`.
    pub async fn respond(&self, path: &str, query: Option<&str>) -> Response<Bytes> {
        if path.trim_end_matches('/') == "/metrics" {
            return match self.metrics_text() {
                Some(text) => plain(StatusCode::OK, OPENMETRICS, Bytes::from(text)),
                None => plain(
                    StatusCode::NOT_FOUND,
                    TEXT,
                    Bytes::from_static(b"not found\n"),
                ),
            };
        }
        match route(path) {
            Some((probe, check)) => self.respond_probe(probe, check.as_deref(), query).await,
            None => plain(
                StatusCode::NOT_FOUND,
                TEXT,
                Bytes::from_static(b"not found\n"),
            ),
        }
    }

    /// Answers one probe, optionally for a single check.
    pub async fn respond_probe(
        &self,
        probe: Probe,
        check: Option<&str>,
        query: Option<&str>,
    ) -> Response<Bytes> {
        self.prepare(probe).await;
        let query = match query {
            Some(query) if !query.is_empty() => Query::parse(Some(query)),
            _ => Query::default(),
        };
        let plain_readiness =
            probe == Probe::Readiness && check.is_none() && query == Query::default();
        if plain_readiness {
            // The hot path: a body rendered once per state change, shared by reference.
            let rendered = self.rendered_readiness();
            return plain(
                status_code(rendered.status),
                HEALTH_JSON,
                rendered.body.clone(),
            );
        }
        let report = self.snapshot(probe);
        let mut unknown = Vec::new();
        let checks: Vec<Check> = match check {
            Some(name) => match report.get(name) {
                Some(found) => vec![found.clone()],
                None => {
                    let body = format!("no {} check named {name:?}\n", probe.as_str());
                    return plain(StatusCode::NOT_FOUND, TEXT, Bytes::from(body));
                }
            },
            None => {
                for name in &query.exclude {
                    if report.get(name).is_none() {
                        unknown.push(name.as_str());
                    }
                }
                if !unknown.is_empty() {
                    tracing::warn!(
                        probe = probe.as_str(),
                        ?unknown,
                        "cannot exclude unknown checks"
                    );
                }
                report
                    .checks()
                    .iter()
                    .filter(|c| !query.exclude.iter().any(|e| e == c.name()))
                    .cloned()
                    .collect()
            }
        };
        let report = Report::new(checks);
        let status = status_code(report.status());
        if query.verbose {
            let body = verbose(probe, &report, &unknown);
            return plain(status, TEXT, Bytes::from(body));
        }
        let body = if query.detail && self.details_exposed() {
            report.to_json_detailed()
        } else {
            report.to_json()
        };
        plain(status, HEALTH_JSON, Bytes::from(body))
    }
}

/// Kubernetes' verbose format: one `[+]`/`[-]` line per check and a closing line.
fn verbose(probe: Probe, report: &Report, unknown: &[&str]) -> String {
    let mut out = String::new();
    for check in report.checks() {
        let code = check.code().map_or("", |c| c.as_str());
        match check.status() {
            Status::Pass => out.push_str(&format!("[+]{} ok\n", check.name())),
            Status::Warn => out.push_str(&format!("[+]{} warn: {code}\n", check.name())),
            Status::Fail => out.push_str(&format!("[-]{} failed: {code}\n", check.name())),
        }
    }
    if !unknown.is_empty() {
        let names: Vec<String> = unknown.iter().map(|n| format!("{n:?}")).collect();
        out.push_str(&format!(
            "warn: some health checks cannot be excluded: no matches for {}\n",
            names.join(",")
        ));
    }
    let verdict = if report.is_ready() {
        "passed"
    } else {
        "failed"
    };
    out.push_str(&format!("{} check {verdict}\n", probe.as_str()));
    out
}

fn status_code(status: Status) -> StatusCode {
    match status {
        Status::Pass | Status::Warn => StatusCode::OK,
        Status::Fail => StatusCode::SERVICE_UNAVAILABLE,
    }
}

fn plain(status: StatusCode, content_type: &'static str, body: Bytes) -> Response<Bytes> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_aliases_and_single_checks() {
        assert_eq!(route("/health"), Some((Probe::Liveness, None)));
        assert_eq!(route("/livez/"), Some((Probe::Liveness, None)));
        assert_eq!(route("/readyz"), Some((Probe::Readiness, None)));
        assert_eq!(route("ready"), Some((Probe::Readiness, None)));
        assert_eq!(route("/startupz"), Some((Probe::Startup, None)));
        assert_eq!(
            route("/ready/postgres"),
            Some((Probe::Readiness, Some("postgres".into())))
        );
        assert_eq!(
            route("/ready/payments%20api"),
            Some((Probe::Readiness, Some("payments api".into())))
        );
        assert_eq!(route("/ready/a/b"), None);
        assert_eq!(route("/metrics"), None);
        assert_eq!(route("/"), None);
    }

    #[test]
    fn queries_parse_like_kubernetes() {
        let q = Query::parse(Some("verbose&exclude=a&exclude=b,c&detail=1"));
        assert_eq!(
            q,
            Query {
                verbose: true,
                detail: true,
                exclude: vec!["a".into(), "b".into(), "c".into()],
            }
        );
        assert_eq!(Query::parse(None), Query::default());
        assert!(!Query::parse(Some("verbose=false")).verbose);
    }
}

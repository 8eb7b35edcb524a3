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
//! | `/ready/group/<name>`, `/readyz/group/<name>` | readiness of one group |
//! | `/ready/group/<name>/<check>` | one check of the group |
//!
//! `<check>` and `<name>` are one path segment each, percent-decoded as a URL path segment:
//! `%XX` is decoded (`%20` is a space, `%2F` a `/` inside the name), `+` and `&` stay as they
//! are. A malformed escape, a name that does not decode to UTF-8 or a further `/` answers 404.
//! An unknown check answers 404 `no readiness check named "nope"`.
//!
//! # Groups
//!
//! A group is the entries tagged with its name
//! ([`HealthBuilder::tag`](crate::HealthBuilder::tag)): `/ready/group/<name>` answers exactly
//! as `/ready` does (status, JSON body, `?verbose`, `?exclude`, `?detail`) for the group's
//! entries in readiness order, plus `shutdown` while shutting down and `startup` while
//! starting, which gate every group. Its verbose closing line names the endpoint as requested
//! (`readyz check passed`). An unknown group answers 404 in plain text naming it and the
//! groups there are, each quoted with escapes (`no readiness group named "nope"; the groups
//! are "db", "payments"`). `/ready/group` alone stays the check named `group`. Groups are
//! readiness only: `/livez/group/<name>` is no route. In the JSON body of every probe, an
//! entry in groups lists them as `"tags"`; the verbose text does not, as Kubernetes' has no
//! such line.
//!
//! Kubernetes' deprecated `/healthz` is not a route: it mixes liveness and readiness checks,
//! and [`route()`] also decides which requests the tower layer takes from the app, so it stays
//! free for the app's own `/healthz`.
//!
//! The default body is `application/health+json`; pass and warn answer 200, fail 503. Every
//! response carries `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`.
//!
//! # `?verbose`: Kubernetes' text, byte for byte
//!
//! The body is `text/plain; charset=utf-8` in the format of Kubernetes' own handler
//! (`handleRootHealth` in `staging/src/k8s.io/apiserver/pkg/server/healthz/healthz.go`):
//!
//! - one line per check, in report order: `[+]<name> ok`, `[-]<name> failed: reason withheld`,
//!   or `[+]<name> excluded: ok` for a check left out with `?exclude`;
//! - if some `exclude` names match no check:
//!   `warn: some health checks cannot be excluded: no matches for <names>`, the names without
//!   duplicates, sorted bytewise, each quoted as Go's `%q` quotes a string, joined with `,`
//!   (no space);
//! - `<endpoint> check passed` or `<endpoint> check failed`, where `<endpoint>` is the first
//!   path segment as requested (`livez`, `readyz`, `ready`, `health`, `startupz`...), as
//!   Kubernetes names its `healthz`, `livez` and `readyz`.
//!
//! Every line ends with `\n`, the closing one included (Kubernetes writes the failing body
//! with `http.Error`, which adds it).
//!
//! What differs, on purpose:
//!
//! - `warn` (a failing non-critical check) has no Kubernetes equivalent. It is passing, so its
//!   line is `[+]<name> ok`. Its code, like a failing check's, is in the JSON body only:
//!   Kubernetes withholds the reason from this text too.
//! - Status codes are ours (503 where Kubernetes answers 500). Without `?verbose` the body is
//!   our JSON, where Kubernetes answers `ok` (or the text, on failure).
//! - `/ready/<check>?verbose` answers that check's line and a closing line; Kubernetes'
//!   per-check paths answer `ok` or `internal server error: <error>`.
//! - [`Health::respond_probe`] has no path, so its closing line names the probe's
//!   Kubernetes-style endpoint: `livez`, `readyz` or `startupz`.
//! - If several checks share a name, `exclude` leaves out all of them (Kubernetes' names are
//!   unique).
//!
//! # The query
//!
//! Parsed as Go's `r.URL.Query()` parses it for Kubernetes' handler: parameters split on `&`;
//! one containing `;` is dropped; `+` is a space and `%XX` is decoded; one with a malformed
//! escape is dropped; a query of more than 10 000 parameters parses to nothing (Go's default
//! `urlmaxqueryparams`).
//!
//! - `verbose`: present at all means verbose, whatever its value (`?verbose=false` too), as in
//!   Kubernetes.
//! - `exclude`: each occurrence names one check, verbatim. Kubernetes' `getExcludedChecks`
//!   collects the `exclude` values without splitting them, so `?exclude=a,b` names the check
//!   `a,b` (and warns when there is none); repeat the parameter instead:
//!   `?exclude=a&exclude=b`. An empty value is a name too (`?exclude=` warns about `""`).
//! - `detail` (ours): adds each check's raw error text to the JSON when the app enabled it
//!   (`expose_details`); `detail=false` and `detail=0` leave it out.

mod go_print;
mod kubernetes;
mod query;
mod route;

use std::collections::BTreeSet;

use bytes::Bytes;
use http::{HeaderValue, Response, StatusCode, header};

use self::kubernetes::{format_quoted, verbose};
use self::query::Query;
use self::route::route_endpoint;
pub use self::route::{Route, route};
use crate::report::{HEALTH_JSON, Report};
use crate::runtime::{Health, Probe};
use crate::status::Status;

const TEXT: &str = "text/plain; charset=utf-8";
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

impl Health {
    /// Answers a probe request: `path` relative to where the routes are mounted (`/ready`,
    /// `/livez`, `/ready/postgres`), `query` without the `?`.
    pub async fn respond(&self, path: &str, query: Option<&str>) -> Response<Bytes> {
        if path.trim_end_matches('/') == "/metrics" {
            return match self.metrics_text() {
                Some(text) => plain(StatusCode::OK, OPENMETRICS, Bytes::from(text)),
                None => not_found(),
            };
        }
        let Some((route, endpoint)) = route_endpoint(path) else {
            return not_found();
        };
        let check = route.check.as_deref();
        match route.group.as_deref() {
            Some(group) => self.respond_group(endpoint, group, check, query).await,
            None => {
                self.respond_endpoint(route.probe, endpoint, check, query)
                    .await
            }
        }
    }

    /// Answers one probe, optionally for a single check. With `?verbose`, the closing line
    /// names the probe's Kubernetes-style endpoint: `livez`, `readyz` or `startupz`.
    pub async fn respond_probe(
        &self,
        probe: Probe,
        check: Option<&str>,
        query: Option<&str>,
    ) -> Response<Bytes> {
        let endpoint = match probe {
            Probe::Liveness => "livez",
            Probe::Readiness => "readyz",
            Probe::Startup => "startupz",
        };
        self.respond_endpoint(probe, endpoint, check, query).await
    }

    async fn respond_endpoint(
        &self,
        probe: Probe,
        endpoint: &str,
        check: Option<&str>,
        query: Option<&str>,
    ) -> Response<Bytes> {
        self.prepare(probe).await;
        let query = query.map(Query::parse).unwrap_or_default();
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
        let report = match check {
            Some(name) => match report.get(name) {
                Some(found) => Report::new(vec![found.clone()]),
                None => {
                    let body = format!("no {} check named {name:?}\n", probe.as_str());
                    return plain(StatusCode::NOT_FOUND, TEXT, Bytes::from(body));
                }
            },
            None => report,
        };
        self.answer(probe, endpoint, &report, check.is_none(), &query)
    }

    /// Answers `/ready/group/<group>` (or one check of the group) like `/ready`, for the
    /// group's entries; an unknown group answers 404 naming the groups there are.
    async fn respond_group(
        &self,
        endpoint: &str,
        group: &str,
        check: Option<&str>,
        query: Option<&str>,
    ) -> Response<Bytes> {
        if !self.has_group(group) {
            return plain(
                StatusCode::NOT_FOUND,
                TEXT,
                Bytes::from(unknown_group(group, &self.groups())),
            );
        }
        self.prepare(Probe::Readiness).await;
        let query = query.map(Query::parse).unwrap_or_default();
        let report = self.group_snapshot(group);
        let report = match check {
            Some(name) => match report.get(name) {
                Some(found) => Report::new(vec![found.clone()]),
                None => {
                    let body = format!("no readiness check named {name:?} in group {group:?}\n");
                    return plain(StatusCode::NOT_FOUND, TEXT, Bytes::from(body));
                }
            },
            None => report,
        };
        self.answer(Probe::Readiness, endpoint, &report, check.is_none(), &query)
    }

    /// The answer of `report` to `query`: the JSON body (detailed if asked and allowed) or
    /// Kubernetes' verbose text, with `exclude` applied when `exclusions` (not for a single
    /// check).
    fn answer(
        &self,
        probe: Probe,
        endpoint: &str,
        report: &Report,
        exclusions: bool,
        query: &Query,
    ) -> Response<Bytes> {
        let no_exclusions = BTreeSet::new();
        let excluded = if exclusions {
            &query.exclude
        } else {
            &no_exclusions
        };
        // Kubernetes drops each matched name from its set; what is left matched no check.
        let unknown: Vec<&[u8]> = excluded
            .iter()
            .map(Vec::as_slice)
            .filter(|name| {
                !report
                    .entries()
                    .iter()
                    .any(|e| e.name().as_bytes() == *name)
            })
            .collect();
        if !unknown.is_empty() {
            tracing::warn!(
                probe = probe.as_str(),
                unknown = %format_quoted(&unknown),
                "cannot exclude unknown checks"
            );
        }
        let kept = Report::new(
            report
                .entries()
                .iter()
                .filter(|e| !excluded.contains(e.name().as_bytes()))
                .cloned()
                .collect(),
        );
        let status = status_code(kept.status());
        if query.verbose {
            let body = verbose(endpoint, report, excluded, &unknown, kept.is_ready());
            return plain(status, TEXT, Bytes::from(body));
        }
        let body = if query.detail && self.details_exposed() {
            kept.to_json_detailed()
        } else {
            kept.to_json()
        };
        plain(status, HEALTH_JSON, Bytes::from(body))
    }
}

/// The 404 body of an unknown group: its name and the groups there are, each quoted with
/// Rust's escapes (as an unknown check's name is), so no byte of the request is echoed raw.
fn unknown_group(group: &str, groups: &[String]) -> String {
    if groups.is_empty() {
        return format!("no readiness group named {group:?}: this service has no groups\n");
    }
    let known: Vec<String> = groups.iter().map(|g| format!("{g:?}")).collect();
    format!(
        "no readiness group named {group:?}; the groups are {}\n",
        known.join(", ")
    )
}

fn status_code(status: Status) -> StatusCode {
    match status {
        Status::Pass | Status::Warn => StatusCode::OK,
        Status::Fail => StatusCode::SERVICE_UNAVAILABLE,
    }
}

fn not_found() -> Response<Bytes> {
    plain(
        StatusCode::NOT_FOUND,
        TEXT,
        Bytes::from_static(b"not found\n"),
    )
}

fn plain(status: StatusCode, content_type: &'static str, body: Bytes) -> Response<Bytes> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_group_is_named_with_the_known_ones_escaped() {
        let groups = ["db".to_owned(), "pay ments".to_owned()];
        assert_eq!(
            unknown_group("nope", &groups),
            "no readiness group named \"nope\"; the groups are \"db\", \"pay ments\"\n"
        );
        // Control characters and quotes never reach the body raw.
        assert_eq!(
            unknown_group("a\"\n\u{1b}[31m", &groups),
            "no readiness group named \"a\\\"\\n\\u{1b}[31m\"; the groups are \"db\", \"pay ments\"\n"
        );
        assert_eq!(
            unknown_group("db", &[]),
            "no readiness group named \"db\": this service has no groups\n"
        );
    }
}

//! Which probe, and which single check, a request path names.

use super::query::go_unescape;
use crate::runtime::Probe;

/// The probe and optional single check a path names, or `None` for a path we do not serve.
///
/// The check name is the segment after the probe's path, percent-decoded as a URL path
/// segment: `/ready/payments%20api` names `payments api`, `/ready/a+b` names `a+b`.
pub fn route(path: &str) -> Option<(Probe, Option<String>)> {
    route_endpoint(path).map(|(probe, _, check)| (probe, check))
}

/// [`route`], with the endpoint's name as requested (`readyz`, `ready`...) for the closing line.
pub(super) fn route_endpoint(path: &str) -> Option<(Probe, &str, Option<String>)> {
    let path = path.trim_end_matches('/');
    let path = path.strip_prefix('/').unwrap_or(path);
    let (endpoint, rest) = path.split_once('/').unwrap_or((path, ""));
    let probe = match endpoint {
        "health" | "livez" => Probe::Liveness,
        "ready" | "readyz" => Probe::Readiness,
        "startup" | "startupz" => Probe::Startup,
        _ => return None,
    };
    if rest.is_empty() {
        return Some((probe, endpoint, None));
    }
    if rest.contains('/') {
        return None;
    }
    let name = String::from_utf8(go_unescape(rest, false)?).ok()?;
    Some((probe, endpoint, Some(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str) -> Option<String> {
        route(path).and_then(|(_, check)| check)
    }

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
        assert_eq!(route("/ready/a/b"), None);
        assert_eq!(route("/metrics"), None);
        assert_eq!(
            route("/healthz"),
            None,
            "deprecated in Kubernetes, not ours"
        );
        assert_eq!(route("/"), None);
    }

    #[test]
    fn the_endpoint_is_named_as_requested() {
        assert_eq!(
            route_endpoint("/livez/"),
            Some((Probe::Liveness, "livez", None))
        );
        assert_eq!(
            route_endpoint("/health"),
            Some((Probe::Liveness, "health", None))
        );
        assert_eq!(
            route_endpoint("ready/db"),
            Some((Probe::Readiness, "ready", Some("db".into())))
        );
        assert_eq!(
            route_endpoint("/startupz"),
            Some((Probe::Startup, "startupz", None))
        );
    }

    #[test]
    fn a_check_name_is_decoded_as_a_path_segment() {
        assert_eq!(
            check("/ready/payments%20api").as_deref(),
            Some("payments api")
        );
        // `+` is a space only in a query; in a path it is itself.
        assert_eq!(check("/ready/a+b").as_deref(), Some("a+b"));
        assert_eq!(check("/ready/a%2Bb").as_deref(), Some("a+b"));
        assert_eq!(check("/ready/a&b").as_deref(), Some("a&b"));
        assert_eq!(check("/ready/a%26b").as_deref(), Some("a&b"));
        assert_eq!(check("/ready/a=b").as_deref(), Some("a=b"));
        assert_eq!(check("/ready/caf%C3%A9").as_deref(), Some("café"));
        // The segment was split off before decoding: a decoded `/` is part of the name.
        assert_eq!(check("/readyz/a%2Fb").as_deref(), Some("a/b"));
        assert_eq!(check("/readyz/%2F").as_deref(), Some("/"));
        // Malformed escapes and names that are not UTF-8: 404.
        for path in [
            "/ready/%",
            "/ready/a%2",
            "/ready/a%zz",
            "/ready/%%41",
            "/ready/%FF",
        ] {
            assert_eq!(route(path), None, "{path}");
        }
    }
}

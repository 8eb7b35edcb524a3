//! Which probe, and which group or single check, a request path names.

use super::query::go_unescape;
use crate::runtime::Probe;

/// What a probe path names: the probe, and optionally a group of its checks and one check.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Route {
    /// The probe answered.
    pub probe: Probe,
    /// The group, for `/ready/group/<name>` (readiness only).
    pub group: Option<String>,
    /// The single check, for `/ready/<check>` or `/ready/group/<name>/<check>`.
    pub check: Option<String>,
}

/// The probe, group and single check a path names, or `None` for a path we do not serve.
///
/// Names are path segments after the probe's path, each percent-decoded as a URL path
/// segment: `/ready/payments%20api` names the check `payments api`, `/ready/a+b` names `a+b`,
/// `/ready/group/db` the group `db`, `/ready/group/db/postgres` the check `postgres` of the
/// group `db`. `/ready/group` alone names the check `group`.
pub fn route(path: &str) -> Option<Route> {
    route_endpoint(path).map(|(route, _)| route)
}

/// [`route`], with the endpoint's name as requested (`readyz`, `ready`...) for the closing line.
pub(super) fn route_endpoint(path: &str) -> Option<(Route, &str)> {
    let path = path.trim_end_matches('/');
    let path = path.strip_prefix('/').unwrap_or(path);
    let (endpoint, rest) = path.split_once('/').unwrap_or((path, ""));
    let probe = match endpoint {
        "health" | "livez" => Probe::Liveness,
        "ready" | "readyz" => Probe::Readiness,
        "startup" | "startupz" => Probe::Startup,
        _ => return None,
    };
    let mut route = Route {
        probe,
        group: None,
        check: None,
    };
    if rest.is_empty() {
        return Some((route, endpoint));
    }
    let segments: Vec<&str> = rest.split('/').collect();
    match (probe, segments.as_slice()) {
        (_, [check]) => route.check = Some(segment(check)?),
        (Probe::Readiness, ["group", group]) => route.group = Some(segment(group)?),
        (Probe::Readiness, ["group", group, check]) => {
            route.group = Some(segment(group)?);
            route.check = Some(segment(check)?);
        }
        _ => return None,
    }
    Some((route, endpoint))
}

/// A path segment percent-decoded; `None` for a malformed escape or a name that is not UTF-8.
fn segment(raw: &str) -> Option<String> {
    String::from_utf8(go_unescape(raw, false)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(path: &str) -> Option<String> {
        route(path).and_then(|route| route.check)
    }

    fn to(probe: Probe, group: Option<&str>, check: Option<&str>) -> Option<Route> {
        Some(Route {
            probe,
            group: group.map(str::to_owned),
            check: check.map(str::to_owned),
        })
    }

    #[test]
    fn routes_aliases_and_single_checks() {
        assert_eq!(route("/health"), to(Probe::Liveness, None, None));
        assert_eq!(route("/livez/"), to(Probe::Liveness, None, None));
        assert_eq!(route("/readyz"), to(Probe::Readiness, None, None));
        assert_eq!(route("ready"), to(Probe::Readiness, None, None));
        assert_eq!(route("/startupz"), to(Probe::Startup, None, None));
        assert_eq!(
            route("/ready/postgres"),
            to(Probe::Readiness, None, Some("postgres"))
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
        let endpoint = |path| route_endpoint(path).map(|(_, endpoint)| endpoint);
        assert_eq!(endpoint("/livez/"), Some("livez"));
        assert_eq!(endpoint("/health"), Some("health"));
        assert_eq!(endpoint("ready/db"), Some("ready"));
        assert_eq!(endpoint("/startupz"), Some("startupz"));
        assert_eq!(endpoint("/readyz/group/db"), Some("readyz"));
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

    #[test]
    fn groups_are_readiness_paths_with_a_decoded_name() {
        for endpoint in ["ready", "readyz"] {
            assert_eq!(
                route(&format!("/{endpoint}/group/db")),
                to(Probe::Readiness, Some("db"), None)
            );
            assert_eq!(
                route(&format!("/{endpoint}/group/db/")),
                to(Probe::Readiness, Some("db"), None)
            );
            assert_eq!(
                route(&format!("/{endpoint}/group/db/postgres")),
                to(Probe::Readiness, Some("db"), Some("postgres"))
            );
        }
        // Decoded like a check name: `%20` a space, `%2F` part of the name, `+` itself.
        assert_eq!(
            route("/ready/group/my%20db"),
            to(Probe::Readiness, Some("my db"), None)
        );
        assert_eq!(
            route("/ready/group/a%2Fb/c+d"),
            to(Probe::Readiness, Some("a/b"), Some("c+d"))
        );
        // An empty name is a name (no group has it, so it answers the unknown-group 404).
        assert_eq!(
            route("/ready/group//x"),
            to(Probe::Readiness, Some(""), Some("x"))
        );
        // `/ready/group` alone is the check named `group`, as before.
        assert_eq!(
            route("/ready/group"),
            to(Probe::Readiness, None, Some("group"))
        );
        assert_eq!(
            route("/ready/group/"),
            to(Probe::Readiness, None, Some("group"))
        );
        // `group` is a group only as the first segment, and only under readiness.
        for path in [
            "/ready/db/group",
            "/ready/group/a/b/c",
            "/ready/groups/db",
            "/livez/group/db",
            "/health/group/db",
            "/startupz/group/db",
            "/ready/group/%zz",
            "/ready/group/db/%FF",
        ] {
            assert_eq!(route(path), None, "{path}");
        }
    }
}

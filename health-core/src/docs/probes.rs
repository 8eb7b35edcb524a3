//! The Kubernetes probes generator: the one generator that reads a [`Health`] rather than a
//! contract.

use std::fmt::Write as _;
use std::time::Duration;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::runtime::{Health, Probe, Refresh};

/// What a group's name escapes to be one path segment of a URL (non-ASCII too).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Whole seconds, rounded up.
fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// A duration for a comment: `300ms`, `2.5s`, `1m 30s`.
fn human(d: Duration) -> String {
    if d.subsec_nanos() == 0 || d < Duration::from_millis(1) {
        humantime::format_duration(d).to_string()
    } else if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else {
        let text = format!("{:.3}", d.as_secs_f64());
        format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// A name safe to put in a YAML comment (one line).
fn one_line(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Kubernetes' default `periodSeconds`, used when no check refreshes in the background.
const DEFAULT_PERIOD: u64 = 10;

/// Readiness `failureThreshold`: tight, out of rotation after two failed probes.
const READINESS_FAILURES: u64 = 2;

/// Liveness `periodSeconds` without heartbeats: loose, as in the seed's wiring (30 s).
const LOOSE_LIVENESS_PERIOD: u64 = 30;

/// Kubernetes `startupProbe`, `readinessProbe` and `livenessProbe` (HTTP GET on `/startupz`,
/// `/ready` and `/health` at `port`) whose numbers agree with the registered checks, to paste
/// under a container. Readiness is tight (pull the pod from the load balancer fast) and
/// liveness loose (never restart for a transient stall): liveness's period is never shorter
/// than readiness's, and its window (period x failures) is always longer. Each derived number
/// carries a comment saying where it came from:
///
/// - `timeoutSeconds` of readiness and startup: the largest check timeout rounded up, at
///   least 1 (a probe may wait for a check refreshed on probe); liveness: 1, since it reads
///   local signals only (heartbeats, request progress).
/// - readiness `periodSeconds`: the smallest background refresh interval rounded down, at
///   least 1, or Kubernetes' 10 when no check refreshes in the background; startup uses the
///   same period.
/// - liveness: `periodSeconds` a third of the largest heartbeat silence, at least the readiness
///   period and at most 10 (or the readiness period if longer), and `failureThreshold` (at
///   least 3) such that their product covers that silence (no restart for a shorter stall than
///   the heartbeat allows); without heartbeats, liveness only shows that the process answers,
///   so 30 s and 3 (90 s).
/// - startup `failureThreshold`: enough periods that the container is not restarted before
///   the startup grace ends (`(threshold - 1) * period >= grace`); without a grace, periods
///   covering a minute (at least 3) for the startup checks to pass once, or Kubernetes' 3
///   when there are none.
/// - readiness `successThreshold` 1 (Kubernetes' default) and `failureThreshold` 2: one failed
///   probe may be a lost packet, two take the pod out of rotation; the checks debounce
///   themselves with `failure_threshold`.
///
/// When checks are tagged, comments after the probes list each group's endpoint
/// (`/ready/group/<name>`, the name percent-encoded) with its entries: for a load balancer
/// or a caller that needs only part of the service (the YAML itself is unchanged).
pub fn kubernetes_probes(health: &Health, port: u16) -> String {
    let checks = health.check_settings();

    let slowest = checks.iter().max_by_key(|c| c.timeout);
    let timeout = slowest.map_or(1, |c| ceil_secs(c.timeout).max(1));
    let timeout_note = match slowest {
        Some(c) => format!(
            "largest check timeout ({} {}) rounded up, at least 1: a probe may wait for an on-probe run",
            one_line(&c.name),
            human(c.timeout)
        ),
        None => "no checks registered: the minimum".to_owned(),
    };

    let fastest = checks
        .iter()
        .filter_map(|c| match c.refresh {
            Refresh::Every(every) => Some((c, every)),
            Refresh::OnProbe(_) => None,
        })
        .min_by_key(|(_, every)| *every);
    let period = fastest.map_or(DEFAULT_PERIOD, |(_, every)| every.as_secs().max(1));
    let period_note = match fastest {
        Some((c, every)) => format!(
            "smallest background refresh ({} every {}) rounded down, at least 1: each probe can see a new result",
            one_line(&c.name),
            human(every)
        ),
        None => "no check refreshes in the background: Kubernetes' default".to_owned(),
    };

    let grace = health.startup_grace();
    let startup_checks: Vec<&str> = checks
        .iter()
        .filter(|c| c.probe == Probe::Startup)
        .map(|c| c.name.as_str())
        .collect();
    let (startup_threshold, startup_note) = if !grace.is_zero() {
        let threshold = ceil_secs(grace).div_ceil(period) + 1;
        (
            threshold,
            format!(
                "({threshold} - 1) x {period}s = {}s >= the startup grace ({}): no restart before it ends",
                (threshold - 1) * period,
                human(grace)
            ),
        )
    } else if !startup_checks.is_empty() {
        let threshold = 60u64.div_ceil(period).max(3);
        (
            threshold,
            format!(
                "no startup grace: {}s for the startup checks ({}) to pass once; raise it for slower starts",
                threshold * period,
                one_line(&startup_checks.join(", "))
            ),
        )
    } else {
        (
            3,
            "no startup grace or startup checks: /startupz passes at once (Kubernetes' default)"
                .to_owned(),
        )
    };

    let slowest_beat = health
        .liveness_limits()
        .into_iter()
        .max_by_key(|(_, silence)| *silence);
    let (live_period, live_threshold, live_period_note, live_threshold_note) = match &slowest_beat {
        Some((name, silence)) => {
            let limit = ceil_secs(*silence).max(1);
            let live_period = limit.div_ceil(3).clamp(period, DEFAULT_PERIOD.max(period));
            let threshold = limit.div_ceil(live_period).max(3);
            (
                live_period,
                threshold,
                format!(
                    "a third of the largest heartbeat silence ({} {}), between the readiness period and 10",
                    one_line(name),
                    human(*silence)
                ),
                format!(
                    "{threshold} x {live_period}s = {}s >= that silence: no restart for a shorter stall",
                    threshold * live_period
                ),
            )
        }
        None => {
            let live_period = LOOSE_LIVENESS_PERIOD.max(period);
            (
                live_period,
                3,
                format!(
                    "no liveness heartbeats: liveness only shows that the process answers, so loose ({live_period}s)"
                ),
                format!(
                    "3 x {live_period}s = {}s without an answer before a restart",
                    3 * live_period
                ),
            )
        }
    };

    let readiness_window = READINESS_FAILURES * period;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Probes for a container serving health on port {port}, derived from the registered checks."
    );
    let _ = writeln!(
        out,
        "# Paste under the container (spec.template.spec.containers[*])."
    );
    let _ = write!(
        out,
        "startupProbe:
  httpGet:
    path: /startupz
    port: {port}
  periodSeconds: {period}  # as readinessProbe: the checks' refresh
  timeoutSeconds: {timeout}  # {timeout_note}
  failureThreshold: {startup_threshold}  # {startup_note}
readinessProbe:
  httpGet:
    path: /ready
    port: {port}
  periodSeconds: {period}  # {period_note}
  timeoutSeconds: {timeout}  # {timeout_note}
  successThreshold: 1  # Kubernetes' default (checks debounce with success_threshold)
  failureThreshold: {READINESS_FAILURES}  # tight: out of rotation after {READINESS_FAILURES} failed probes ({readiness_window}s); checks debounce with failure_threshold
livenessProbe:
  httpGet:
    path: /health
    port: {port}
  periodSeconds: {live_period}  # {live_period_note}
  timeoutSeconds: 1  # liveness reads local signals only (heartbeats, request progress) and never waits on a dependency
  failureThreshold: {live_threshold}  # {live_threshold_note}
"
    );
    write_groups(&mut out, health);
    out
}

/// The groups as comments: one line per group, its endpoint and its entries.
fn write_groups(out: &mut String, health: &Health) {
    let groups = health.groups();
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "# Groups: /ready/group/<name> answers like /ready for the entries tagged <name> \
         (shutdown and startup gate every group), for a caller that needs only those:"
    );
    for group in groups {
        let members = health.group_members(&group);
        let members = if members.is_empty() {
            "(no entries yet)".to_owned()
        } else {
            one_line(&members.join(", "))
        };
        let _ = writeln!(
            out,
            "#   /ready/group/{}: {members}",
            utf8_percent_encode(&group, SEGMENT)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well_in_comments() {
        assert_eq!(human(Duration::from_millis(300)), "300ms");
        assert_eq!(human(Duration::from_millis(2500)), "2.5s");
        assert_eq!(human(Duration::from_secs(90)), "1m 30s");
        assert_eq!(human(Duration::from_nanos(5)), "5ns");
    }

    #[test]
    fn ceil_rounds_up_whole_seconds() {
        assert_eq!(ceil_secs(Duration::from_millis(300)), 1);
        assert_eq!(ceil_secs(Duration::from_secs(2)), 2);
        assert_eq!(ceil_secs(Duration::from_millis(2001)), 3);
        assert_eq!(ceil_secs(Duration::ZERO), 0);
    }

    #[test]
    fn groups_are_listed_after_the_probes() {
        use crate::outcome::Outcome;
        let untagged = Health::builder()
            .readiness("db", || async { Outcome::pass() })
            .build();
        let yaml = kubernetes_probes(&untagged, 80);
        assert!(!yaml.contains("group"), "{yaml}");

        let tagged = Health::builder()
            .readiness("db", || async { Outcome::pass() })
            .tag("orders")
            .tag("my group/\u{e9}")
            .readiness("queue", || async { Outcome::pass() })
            .tag("orders")
            .readiness("line\nbreak", || async { Outcome::pass() })
            .tag("orders")
            .build();
        let with_groups = kubernetes_probes(&tagged, 80);
        let (probes, groups) = with_groups.split_at(with_groups.find("# Groups").unwrap());
        assert_eq!(probes, kubernetes_probes_without_tags(80));
        assert_eq!(
            groups,
            "# Groups: /ready/group/<name> answers like /ready for the entries tagged <name> \
             (shutdown and startup gate every group), for a caller that needs only those:\n\
             #   /ready/group/my%20group%2F%C3%A9: db\n\
             #   /ready/group/orders: db, queue, line break\n"
        );
    }

    /// The same checks as `groups_are_listed_after_the_probes`, untagged.
    fn kubernetes_probes_without_tags(port: u16) -> String {
        use crate::outcome::Outcome;
        let health = Health::builder()
            .readiness("db", || async { Outcome::pass() })
            .readiness("queue", || async { Outcome::pass() })
            .readiness("line\nbreak", || async { Outcome::pass() })
            .build();
        kubernetes_probes(&health, port)
    }
}

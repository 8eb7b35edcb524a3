//! Thresholds as a pure function: from what probes see now and one new run, whether probes
//! see the run's result or keep the old one. No clock, no lock, no I/O, so every rule is a
//! unit test.

use std::time::Duration;

/// A check's debounce rules (`failure_threshold`, `success_threshold`, `last_success_within`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Thresholds {
    /// Consecutive failures before a passing check is shown failing (at least 1).
    pub(crate) failures: u32,
    /// Consecutive successes before a failing or unknown check is shown passing (at least 1).
    pub(crate) successes: u32,
    /// A passing check keeps passing while its last success is younger than this.
    pub(crate) last_success_within: Option<Duration>,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            failures: 1,
            successes: 1,
            last_success_within: None,
        }
    }
}

/// What probes see of a check before a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shown {
    /// No result yet (counts as failing for readiness).
    Unknown,
    /// `pass` or `warn`.
    Passing,
    /// `fail`.
    Failing,
}

/// Consecutive run results, counted from the last change of direction.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Streak {
    /// Failed runs in a row.
    pub(crate) failures: u32,
    /// Successful (`pass` or `warn`) runs in a row.
    pub(crate) successes: u32,
}

impl Streak {
    /// The streak after one more run.
    pub(crate) fn after(self, succeeded: bool) -> Streak {
        if succeeded {
            Streak {
                failures: 0,
                successes: self.successes.saturating_add(1),
            }
        } else {
            Streak {
                failures: self.failures.saturating_add(1),
                successes: 0,
            }
        }
    }
}

/// Whether probes now see the new run's result (`true`) or keep what they saw (`false`).
///
/// `streak` already counts the new run; `since_last_success` is the age of the last
/// success before it (`None` if there never was one).
///
/// - A success is shown at once when the check was passing (a new message or measured value),
///   and otherwise after `successes` in a row: a new check starts unknown, as Kubernetes
///   starts a container unready, until it has passed enough times.
/// - A failure is shown at once unless the check was passing and either the failures in a
///   row are still below `failures`, or the last success is younger than
///   `last_success_within`.
pub(crate) fn shows_new_result(
    rules: Thresholds,
    shown: Shown,
    succeeded: bool,
    streak: Streak,
    since_last_success: Option<Duration>,
) -> bool {
    if succeeded {
        return shown == Shown::Passing || streak.successes >= rules.successes;
    }
    if shown != Shown::Passing {
        return true;
    }
    let below_threshold = streak.failures < rules.failures;
    let recent_success = rules
        .last_success_within
        .zip(since_last_success)
        .is_some_and(|(window, age)| age < window);
    !(below_threshold || recent_success)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    fn rules(failures: u32, successes: u32) -> Thresholds {
        Thresholds {
            failures,
            successes,
            last_success_within: None,
        }
    }

    /// Runs a sequence of results from `Unknown` and returns what probes see after each.
    fn replay(rules: Thresholds, runs: &[bool]) -> Vec<Shown> {
        let mut shown = Shown::Unknown;
        let mut streak = Streak::default();
        runs.iter()
            .map(|&succeeded| {
                streak = streak.after(succeeded);
                if shows_new_result(rules, shown, succeeded, streak, None) {
                    shown = if succeeded {
                        Shown::Passing
                    } else {
                        Shown::Failing
                    };
                }
                shown
            })
            .collect()
    }

    use Shown::{Failing as F, Passing as P, Unknown as U};

    #[test]
    fn default_rules_show_every_result() {
        assert_eq!(
            replay(Thresholds::default(), &[true, false, true, false]),
            [P, F, P, F]
        );
    }

    #[test]
    fn failures_in_a_row_are_needed_before_a_passing_check_fails() {
        assert_eq!(
            replay(
                rules(3, 1),
                &[true, false, false, true, false, false, false]
            ),
            [P, P, P, P, P, P, F]
        );
    }

    #[test]
    fn a_new_check_stays_unknown_until_enough_successes() {
        assert_eq!(replay(rules(1, 2), &[true, true]), [U, P]);
        assert_eq!(
            replay(rules(1, 3), &[true, false, true, true]),
            [U, F, F, F]
        );
        assert_eq!(
            replay(rules(1, 2), &[false, true, true, false, true]),
            [F, F, P, F, F]
        );
    }

    #[test]
    fn a_failure_on_a_failing_or_unknown_check_shows_at_once() {
        for shown in [Shown::Unknown, Shown::Failing] {
            let streak = Streak::default().after(false);
            assert!(shows_new_result(rules(5, 1), shown, false, streak, None));
        }
    }

    #[test]
    fn a_recent_success_keeps_a_passing_check_passing() {
        let window = Thresholds {
            last_success_within: Some(10 * SECOND),
            ..Thresholds::default()
        };
        let streak = Streak::default().after(false);
        assert!(!shows_new_result(
            window,
            Shown::Passing,
            false,
            streak,
            Some(9 * SECOND)
        ));
        assert!(shows_new_result(
            window,
            Shown::Passing,
            false,
            streak,
            Some(10 * SECOND)
        ));
        // Without a success ever, the window holds nothing.
        assert!(shows_new_result(
            window,
            Shown::Passing,
            false,
            streak,
            None
        ));
    }

    #[test]
    fn a_success_on_a_passing_check_is_shown_for_its_new_message() {
        let streak = Streak {
            failures: 0,
            successes: 1,
        };
        assert!(shows_new_result(
            rules(1, 5),
            Shown::Passing,
            true,
            streak,
            None
        ));
    }

    #[test]
    fn streaks_reset_on_a_change_of_direction_and_never_overflow() {
        let streak = Streak::default().after(true).after(true).after(false);
        assert_eq!(
            streak,
            Streak {
                failures: 1,
                successes: 0
            }
        );
        let full = Streak {
            failures: u32::MAX,
            successes: 0,
        };
        assert_eq!(full.after(false).failures, u32::MAX);
    }
}

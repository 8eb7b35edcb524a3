//! The three probes a platform asks: liveness, readiness, startup.

/// Which probe a report answers, and which probe a check belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Probe {
    /// `/health`, `/livez`: the process makes progress (local signals only: heartbeats,
    /// request progress; never a dependency).
    Liveness,
    /// `/ready`, `/readyz`: config, critical dependencies, startup over, not shutting down.
    Readiness,
    /// `/startup`, `/startupz`: startup is over (grace elapsed or startup checks passed once).
    Startup,
}

impl Probe {
    /// `liveness`, `readiness` or `startup`.
    pub fn as_str(self) -> &'static str {
        match self {
            Probe::Liveness => "liveness",
            Probe::Readiness => "readiness",
            Probe::Startup => "startup",
        }
    }
}

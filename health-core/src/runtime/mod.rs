//! The runtime: named checks with timeouts, caching, thresholds and criticality, startup and
//! shutdown, evaluated into liveness, readiness and startup reports.
//!
//! | module | concept |
//! |---|---|
//! | `handle` | [`Health`]: what was registered, the state its clones share |
//! | `builder` | [`HealthBuilder`]: checks and their settings |
//! | `options` | per-check settings ([`Refresh`], [`CheckSettings`]) |
//! | `state` | one registered check and what it has found |
//! | `signal` | [`Signal`]: checks read from state the app keeps (heartbeats, passive checks) |
//! | `threshold` | failure and success thresholds, a pure function |
//! | `schedule` | when checks run: background loops, probe-driven refreshes, timeouts |
//! | `snapshot` | the report of a probe from the current state |
//! | `rendered` | the readiness body rendered once per state |
//! | `group` | the readiness of the entries tagged with one name |
//! | `events` | [`Event`]s of state changes |
//! | `subscription` | [`Subscription`]s to events |
//! | `hub` | numbering and sending events, what subscribers were told, the poller of signals |
//! | `heartbeat`, `shutdown`, `probe`, `config` | [`Heartbeat`], [`shutdown_signal`], [`Probe`], [`ConfigReport`] |

mod builder;
mod config;
mod events;
mod group;
mod handle;
mod heartbeat;
mod hub;
mod options;
mod probe;
mod rendered;
mod schedule;
mod shutdown;
mod signal;
mod snapshot;
mod state;
mod subscription;
mod threshold;

pub use self::builder::HealthBuilder;
pub use self::config::{ConfigReport, ReportFeed};
pub use self::events::{CheckChange, EVENT_QUEUE, Event, ProbeChange};
pub use self::handle::Health;
pub use self::heartbeat::Heartbeat;
pub use self::options::{CheckSettings, DEFAULT_REFRESH, DEFAULT_TIMEOUT, Refresh};
pub use self::probe::Probe;
pub(crate) use self::schedule::first_start;
pub use self::shutdown::shutdown_signal;
pub use self::signal::Signal;
pub use self::subscription::Subscription;

//! The [`RequestWatchdog`](crate::RequestWatchdog) in front of an app: every request counted
//! in flight until its response future resolves, probe paths left out.
//!
//! | feature | entry | re-exported as |
//! |---|---|---|
//! | `axum` or `tower` | [`RequestWatchdogLayer`] | `health::axum::RequestWatchdogLayer`, `health::tower::RequestWatchdogLayer` |
//! | `actix` | [`RequestWatchdogMiddleware`] | `health::actix::RequestWatchdogMiddleware` |
//!
//! What both count:
//!
//! - A request is in flight from the moment the middleware is called with it until the
//!   future of its response resolves, with a response or with an error: both are
//!   completions, since the app ended the request. A panic unwinding through the future
//!   counts as completed too. A future dropped before it resolved (the server cancelled the
//!   handler because the client went away) is abandoned: it leaves the count without marking
//!   progress.
//! - The end of a streaming body does not count. A response whose head is ready has
//!   completed, even if its body streams for minutes (server-sent events, downloads). The
//!   alternative would keep a service with one open event stream busy, and soon stalled,
//!   forever. A body that hangs halfway is not seen.
//! - A request for a probe path, or for `/metrics`, under any prefix
//!   ([`RequestWatchdog::ignores_path`](crate::RequestWatchdog::ignores_path)) is passed on
//!   uncounted. Probes and scrapers come on a timer: they would keep an idle service busy
//!   and mark progress for a wedged one.
//!
//! Routes that legitimately hold a request for longer than the limit (long polling, a
//! WebSocket upgrade awaited in the handler) should not be behind the watchdog. In axum,
//! a layer applies only to the routes added before it, so add those routes after it.

#[cfg(feature = "actix")]
mod actix;
mod future;
#[cfg(any(feature = "axum", feature = "tower"))]
mod tower;

#[cfg(feature = "actix")]
pub use self::actix::{RequestWatchdogMiddleware, RequestWatchdogMiddlewareService};
pub use self::future::RequestWatchdogFuture;
#[cfg(any(feature = "axum", feature = "tower"))]
pub use self::tower::{RequestWatchdogLayer, RequestWatchdogService};

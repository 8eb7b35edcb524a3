//! The watchdog as a tower [`Layer`]: for axum's `Router::layer` and any tower stack.

use std::task::{Context, Poll};

use http::Request;
use tower_layer::Layer;
use tower_service::Service;

use super::future::{RequestWatchdogFuture, begin};
use crate::watchdog::RequestWatchdog;

/// Counts every request to the wrapped service in a [`RequestWatchdog`] until its response
/// future resolves; probe paths and `/metrics` are passed on uncounted.
///
/// Responses and errors pass through unchanged (same body, same error type), so it fits in
/// front of any `Service<http::Request<B>>`: axum's `Router::layer` (it then watches the
/// routes added before it), or a tower stack served by hyper 1.
///
/// ```
/// # #[cfg(feature = "axum")]
/// # fn main() {
/// # mod health { use health_core as inner; pub use inner::*; pub use inner::adapters::axum; }
/// use std::time::Duration;
/// use axum::{Router, routing::get};
/// use health::axum::{RequestWatchdogLayer, router};
/// use health::{Health, RequestWatchdog};
///
/// let watchdog = RequestWatchdog::new(Duration::from_secs(30));
/// let health = Health::builder().request_watchdog("requests", &watchdog).build();
/// let app: Router = Router::new()
///     .route("/orders", get(|| async { "[]" }))
///     .nest("/internal", router(health)) // probes behind the layer are not counted
///     .layer(RequestWatchdogLayer::new(&watchdog));
/// # }
/// # #[cfg(not(feature = "axum"))]
/// # fn main() {}
/// ```
#[derive(Clone, Debug)]
pub struct RequestWatchdogLayer {
    watchdog: RequestWatchdog,
}

impl RequestWatchdogLayer {
    /// A layer counting requests in `watchdog`.
    pub fn new(watchdog: &RequestWatchdog) -> RequestWatchdogLayer {
        RequestWatchdogLayer {
            watchdog: watchdog.clone(),
        }
    }
}

impl<S> Layer<S> for RequestWatchdogLayer {
    type Service = RequestWatchdogService<S>;

    fn layer(&self, inner: S) -> RequestWatchdogService<S> {
        RequestWatchdogService {
            watchdog: self.watchdog.clone(),
            inner,
        }
    }
}

/// A service behind a [`RequestWatchdogLayer`]: ready when the inner service is, and every
/// call counted in flight until its future resolves.
#[derive(Clone, Debug)]
pub struct RequestWatchdogService<S> {
    watchdog: RequestWatchdog,
    inner: S,
}

impl<S> RequestWatchdogService<S> {
    /// The wrapped service.
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S, B> Service<Request<B>> for RequestWatchdogService<S>
where
    S: Service<Request<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = RequestWatchdogFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> RequestWatchdogFuture<S::Future> {
        let counted = begin(&self.watchdog, request.uri().path());
        RequestWatchdogFuture::new(counted, self.inner.call(request))
    }
}

//! The response future of a request behind the watchdog, and the count it carries.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use pin_project_lite::pin_project;

use crate::watchdog::{InFlightRequest, RequestWatchdog};

pin_project! {
    /// The response future of a request behind the watchdog. When the inner future
    /// resolves, with any output, the request has completed. If it is dropped first, the
    /// request was abandoned. A probe request carries no count.
    pub struct RequestWatchdogFuture<F> {
        #[pin]
        inner: F,
        request: Option<InFlightRequest>,
    }
}

/// Counts a request for `path` in `watchdog` as it arrives, unless the path is left out.
pub(super) fn begin(watchdog: &RequestWatchdog, path: &str) -> Option<InFlightRequest> {
    (!RequestWatchdog::ignores_path(path)).then(|| watchdog.begin())
}

impl<F> RequestWatchdogFuture<F> {
    /// `inner`, with `request` counted in flight until it resolves.
    pub(super) fn new(request: Option<InFlightRequest>, inner: F) -> RequestWatchdogFuture<F> {
        RequestWatchdogFuture { inner, request }
    }
}

impl<F: Future> Future for RequestWatchdogFuture<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let output = ready!(this.inner.poll(cx));
        if let Some(request) = this.request.take() {
            request.complete();
        }
        Poll::Ready(output)
    }
}

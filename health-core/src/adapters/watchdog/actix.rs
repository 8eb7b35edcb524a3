//! The watchdog as an actix-web 4 middleware.

use std::future::{Ready, ready};

use actix_web::dev::{Service, ServiceRequest, Transform, forward_ready};

use super::future::{RequestWatchdogFuture, begin};
use crate::watchdog::RequestWatchdog;

/// Counts every request of an actix-web app (or scope) in a [`RequestWatchdog`] until its
/// response future resolves. Probe paths and `/metrics` are passed on uncounted, under any
/// prefix, and are matched on the full request path.
///
/// Register it with `wrap`. A handler that returns an error still completes its request:
/// actix turns the error into a response, and the request has ended.
///
/// ```
/// # mod health { use health_core as inner; pub use inner::*; pub use inner::adapters::actix; }
/// use std::time::Duration;
/// use actix_web::{App, HttpResponse, web};
/// use health::actix::{RequestWatchdogMiddleware, scope};
/// use health::{Health, RequestWatchdog};
///
/// let watchdog = RequestWatchdog::new(Duration::from_secs(30));
/// let health = Health::builder().request_watchdog("requests", &watchdog).build();
/// let app = App::new()
///     .wrap(RequestWatchdogMiddleware::new(&watchdog))
///     .route("/orders", web::get().to(HttpResponse::Ok))
///     .service(scope("/internal", health)); // behind the middleware, not counted
/// ```
#[derive(Clone, Debug)]
pub struct RequestWatchdogMiddleware {
    watchdog: RequestWatchdog,
}

impl RequestWatchdogMiddleware {
    /// A middleware counting requests in `watchdog`.
    pub fn new(watchdog: &RequestWatchdog) -> RequestWatchdogMiddleware {
        RequestWatchdogMiddleware {
            watchdog: watchdog.clone(),
        }
    }
}

impl<S> Transform<S, ServiceRequest> for RequestWatchdogMiddleware
where
    S: Service<ServiceRequest>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Transform = RequestWatchdogMiddlewareService<S>;
    type InitError = ();
    type Future = Ready<Result<RequestWatchdogMiddlewareService<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequestWatchdogMiddlewareService {
            watchdog: self.watchdog.clone(),
            service,
        }))
    }
}

/// The service [`RequestWatchdogMiddleware`] wraps around an app's: every call counted in
/// flight until its future resolves.
#[derive(Debug)]
pub struct RequestWatchdogMiddlewareService<S> {
    watchdog: RequestWatchdog,
    service: S,
}

impl<S> Service<ServiceRequest> for RequestWatchdogMiddlewareService<S>
where
    S: Service<ServiceRequest>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = RequestWatchdogFuture<S::Future>;

    forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> RequestWatchdogFuture<S::Future> {
        let counted = begin(&self.watchdog, request.path());
        RequestWatchdogFuture::new(counted, self.service.call(request))
    }
}

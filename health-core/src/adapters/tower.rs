//! The probes as a tower [`Service`]: served by hyper 1 on its own, or as a
//! [`Layer`] in front of an app.
//! [`RequestWatchdogLayer`] counts an app's requests in a
//! [`RequestWatchdog`](crate::RequestWatchdog).
//!
//! ```
//! # mod health { use health_core as inner; pub use inner::*; pub use inner::adapters::tower; }
//! use health::tower::{HealthLayer, HealthService};
//! use health::{Health, Outcome};
//!
//! let health = Health::builder()
//!     .readiness("cache", || async { Outcome::pass() })
//!     .build();
//! // On its own (e.g. on a separate admin port):
//! // hyper_util::service::TowerToHyperService::new(HealthService::new(health.clone()))
//! let probes = HealthService::new(health.clone());
//! // In front of an app: probe paths go to `health`, every other request to the app.
//! let layer = HealthLayer::new(health);
//! # let _ = (probes, layer);
//! ```

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http::{HeaderValue, Method, Request, Response, StatusCode, header};
use http_body_util::{Either, Full};
use pin_project_lite::pin_project;
use tower_layer::Layer;
use tower_service::Service;

use crate::http::route;
use crate::runtime::Health;

pub use super::watchdog::{RequestWatchdogFuture, RequestWatchdogLayer, RequestWatchdogService};

/// The answer of `health` to one request, before its body is wrapped.
type Answer = Pin<Box<dyn Future<Output = Response<Bytes>> + Send + 'static>>;

/// The future of [`HealthService`]: it never fails.
pub type HealthFuture =
    Pin<Box<dyn Future<Output = Result<Response<Full<Bytes>>, Infallible>> + Send + 'static>>;

/// Answers every request with [`Health::respond`](crate::Health::respond), its path taken
/// from the root: `/health`, `/livez`, `/ready`, `/readyz`, `/startup`, `/startupz`,
/// `/ready/<check>` and their queries; `404` for any other path, `405` for a method other
/// than `GET` or `HEAD`.
///
/// It takes any request body (and never reads it), never fails, and is cheap to clone, so
/// hyper 1 serves it directly with `hyper_util::service::TowerToHyperService::new(service)`;
/// axum nests it with `Router::nest_service("/internal", service)`.
#[derive(Clone)]
pub struct HealthService {
    health: Health,
}

impl HealthService {
    /// A service answering the probes of `health`.
    pub fn new(health: Health) -> HealthService {
        HealthService { health }
    }
}

impl<B> Service<Request<B>> for HealthService {
    type Response = Response<Full<Bytes>>;
    type Error = Infallible;
    type Future = HealthFuture;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> HealthFuture {
        let answer = answer(&self.health, &request);
        Box::pin(async move { Ok(answer.await.map(Full::new)) })
    }
}

/// Whether [`HealthLayer`] sends a request for this path to `health`: the paths
/// [`route`] knows, and `/metrics` (served by `health` when it answers
/// it, by the app otherwise).
pub fn is_health_path(path: &str) -> bool {
    route(path).is_some() || is_metrics(path)
}

fn is_metrics(path: &str) -> bool {
    path.trim_end_matches('/') == "/metrics"
}

/// Starts the answer to `request` without holding on to its body.
fn answer<B>(health: &Health, request: &Request<B>) -> Answer {
    let health = health.clone();
    let allowed = request.method() == Method::GET || request.method() == Method::HEAD;
    let uri = request.uri().clone();
    Box::pin(async move {
        if !allowed {
            let mut response = Response::new(Bytes::new());
            *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static(super::ALLOW));
            return response;
        }
        health.respond(uri.path(), uri.query()).await
    })
}

/// Puts the probes in front of a service: a request for a probe path (`/health`, `/livez`,
/// `/ready`, `/readyz`, `/startup`, `/startupz`, `/ready/<check>`, see
/// [`is_health_path`]) is answered by [`Health::respond`](crate::Health::respond), every
/// other request goes to the inner service. `GET /metrics` is offered to `health` first and
/// goes to the inner service when `health` does not serve it (`404`), so an app's own
/// metrics endpoint keeps working.
///
/// The two kinds of answers share one body type, [`http_body_util::Either`]: `Left` is the
/// probe body ([`Full<Bytes>`](Full)), `Right` the inner service's body, unchanged and not
/// boxed. `Either` is an `http_body::Body` whenever the inner body is one with `Bytes` data
/// (its error boxed as `Box<dyn Error + Send + Sync>`), so hyper 1 serves the result, and
/// axum takes the layer as it is: `Router::new().route(..).layer(HealthLayer::new(health))`
/// (it also sees the requests no route matched).
#[derive(Clone)]
pub struct HealthLayer {
    health: Health,
}

impl HealthLayer {
    /// A layer answering the probes of `health` in front of the service it wraps.
    pub fn new(health: Health) -> HealthLayer {
        HealthLayer { health }
    }
}

impl<S> Layer<S> for HealthLayer {
    type Service = WithHealth<S>;

    fn layer(&self, inner: S) -> WithHealth<S> {
        WithHealth {
            health: self.health.clone(),
            inner,
        }
    }
}

/// A service behind a [`HealthLayer`]: probe paths answered by `health`, the rest by the
/// inner service.
///
/// It is ready when the inner service is. A probe request does not call the inner service,
/// which keeps the readiness it was polled for until the next request. The inner service
/// must be `Clone` (axum's `Router` and most tower services are): a `GET /metrics` takes the
/// ready instance along in case `health` hands the request over, and leaves a clone behind.
#[derive(Clone)]
pub struct WithHealth<S> {
    health: Health,
    inner: S,
}

impl<S> WithHealth<S> {
    /// The wrapped service.
    pub fn inner(&self) -> &S {
        &self.inner
    }
}

impl<S, B, ResBody> Service<Request<B>> for WithHealth<S>
where
    S: Service<Request<B>, Response = Response<ResBody>> + Clone,
{
    type Response = Response<Either<Full<Bytes>, ResBody>>;
    type Error = S::Error;
    type Future = WithHealthFuture<S, B>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> WithHealthFuture<S, B> {
        let path = request.uri().path();
        let state = if route(path).is_some() {
            State::Health {
                answer: answer(&self.health, &request),
            }
        } else if is_metrics(path)
            && (request.method() == Method::GET || request.method() == Method::HEAD)
        {
            // The inner service was polled ready: take that instance along in case `health`
            // does not serve `/metrics`, and leave a fresh clone for the next request.
            let clone = self.inner.clone();
            let inner = std::mem::replace(&mut self.inner, clone);
            State::Metrics {
                answer: answer(&self.health, &request),
                fallback: Some((inner, request)),
            }
        } else {
            State::Inner {
                future: self.inner.call(request),
            }
        };
        WithHealthFuture { state }
    }
}

pin_project! {
    /// The future of [`WithHealth`]: the probe answer or the inner service's response.
    pub struct WithHealthFuture<S, B>
    where
        S: Service<Request<B>>,
    {
        #[pin]
        state: State<S, B>,
    }
}

pin_project! {
    #[project = StateProj]
    enum State<S, B>
    where
        S: Service<Request<B>>,
    {
        Health { answer: Answer },
        Metrics { answer: Answer, fallback: Option<(S, Request<B>)> },
        Inner { #[pin] future: S::Future },
    }
}

impl<S, B, ResBody> Future for WithHealthFuture<S, B>
where
    S: Service<Request<B>, Response = Response<ResBody>>,
{
    type Output = Result<Response<Either<Full<Bytes>, ResBody>>, S::Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.project().state;
        loop {
            match state.as_mut().project() {
                StateProj::Health { answer } => {
                    let response = ready!(answer.as_mut().poll(cx));
                    return Poll::Ready(Ok(left(response)));
                }
                StateProj::Metrics { answer, fallback } => {
                    let response = ready!(answer.as_mut().poll(cx));
                    match fallback.take() {
                        Some((mut inner, request))
                            if response.status() == StatusCode::NOT_FOUND =>
                        {
                            let future = inner.call(request);
                            state.set(State::Inner { future });
                        }
                        _ => return Poll::Ready(Ok(left(response))),
                    }
                }
                StateProj::Inner { future } => {
                    let response = ready!(future.poll(cx))?;
                    return Poll::Ready(Ok(response.map(Either::Right)));
                }
            }
        }
    }
}

fn left<R>(response: Response<Bytes>) -> Response<Either<Full<Bytes>, R>> {
    response.map(|body| Either::Left(Full::new(body)))
}

//! The probes as an actix-web 4 [`Scope`], and the request watchdog as a middleware
//! ([`RequestWatchdogMiddleware`]).

use ::actix_web::http::{Method, StatusCode, header};
use ::actix_web::{HttpRequest, HttpResponse, Scope, web};

use crate::runtime::Health;

pub use super::watchdog::{
    RequestWatchdogFuture, RequestWatchdogMiddleware, RequestWatchdogMiddlewareService,
};

/// A scope mounted at `path` that answers every path under it with
/// [`Health::respond`](crate::Health::respond): `/health`, `/livez`, `/ready`, `/readyz`,
/// `/startup`, `/startupz`, `/ready/<check>` and their queries; `404` for any other path,
/// `405` for a method other than `GET` or `HEAD`.
///
/// A scope is actix's way to mount a group of routes under a prefix, so this is the entry
/// (rather than a `configure` function): `App::new().service(scope("/internal", health))`.
/// Actix matches services in registration order, and a scope claims every path under its
/// prefix: register the app's own routes first when mounting at the root with `scope("",
/// health)`.
///
/// ```
/// # mod health { use health_core as inner; pub use inner::*; pub use inner::adapters::actix; }
/// use actix_web::{App, HttpResponse, web};
/// use health::{Health, Outcome};
///
/// let health = Health::builder()
///     .readiness("cache", || async { Outcome::pass() })
///     .build();
/// let app = App::new()
///     .route("/", web::get().to(HttpResponse::Ok))
///     .service(health::actix::scope("/internal", health)); // /internal/ready
/// ```
pub fn scope(path: &str, health: Health) -> Scope {
    web::scope(path).default_service(web::to(move |request: HttpRequest| {
        let health = health.clone();
        async move { respond(&health, &request).await }
    }))
}

/// Answers one request, with its path relative to the scope.
async fn respond(health: &Health, request: &HttpRequest) -> HttpResponse {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, super::ALLOW))
            .finish();
    }
    let path = request.match_info().unprocessed();
    let query = Some(request.query_string()).filter(|q| !q.is_empty());
    let response = health.respond(path, query).await;
    // actix-web 4 is built on `http` 0.2: carry the status and headers over by value.
    let status = StatusCode::from_u16(response.status().as_u16())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut builder = HttpResponse::build(status);
    for (name, value) in response.headers() {
        builder.append_header((name.as_str(), value.as_bytes()));
    }
    builder.body(response.into_body())
}

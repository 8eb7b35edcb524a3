//! `Check`, `List` and `Watch`: the generated service trait, answered from readiness.

use std::collections::HashMap;
use std::sync::Arc;

use tokio_stream::StreamExt;
use tokio_stream::wrappers::WatchStream;

use super::MAX_LISTED_SERVICES;
use super::proto::{
    HealthCheckRequest, HealthCheckResponse, HealthListRequest, HealthListResponse,
};
use super::status::response;
use super::watch::{Shared, Watcher};

/// Implements the generated service trait.
pub(super) struct Responder {
    pub(super) shared: Arc<Shared>,
}

#[tonic::codegen::async_trait]
impl super::proto::health_server::Health for Responder {
    async fn check(
        &self,
        request: tonic::Request<HealthCheckRequest>,
    ) -> Result<tonic::Response<HealthCheckResponse>, tonic::Status> {
        let service = request.into_inner().service;
        let statuses = self.shared.snapshot().await.statuses;
        match statuses.get(&service) {
            Some(status) => Ok(tonic::Response::new(response(*status))),
            None => Err(tonic::Status::not_found("unknown service")),
        }
    }

    async fn list(
        &self,
        _request: tonic::Request<HealthListRequest>,
    ) -> Result<tonic::Response<HealthListResponse>, tonic::Status> {
        let statuses = self.shared.snapshot().await.statuses;
        if statuses.len() > MAX_LISTED_SERVICES {
            return Err(tonic::Status::resource_exhausted(format!(
                "{} services, more than the {MAX_LISTED_SERVICES} List may return",
                statuses.len()
            )));
        }
        let statuses: HashMap<_, _> = statuses
            .into_iter()
            .map(|(name, status)| (name, response(status)))
            .collect();
        Ok(tonic::Response::new(HealthListResponse { statuses }))
    }

    type WatchStream = Watcher;

    async fn watch(
        &self,
        request: tonic::Request<HealthCheckRequest>,
    ) -> Result<tonic::Response<Watcher>, tonic::Status> {
        let service = request.into_inner().service;
        // Following first: every change after this is seen, the one the first status
        // might miss included.
        let changes = WatchStream::from_changes(self.shared.follow()?);
        let current = Arc::new(self.shared.snapshot().await);
        Ok(tonic::Response::new(Watcher {
            snapshots: Box::pin(tokio_stream::once(current).chain(changes)),
            service,
            last: None,
            done: false,
        }))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use std::sync::Mutex;

    use super::*;
    use crate::grpc::ServingStatus;
    use crate::grpc::proto::health_server::Health as _;
    use crate::outcome::Outcome;
    use crate::report::{Report, ReportEntry};
    use crate::runtime::Health;
    use crate::status::Code;

    pub(in crate::grpc) fn status_of(response: &HealthCheckResponse) -> ServingStatus {
        ServingStatus::try_from(response.status).unwrap()
    }

    pub(in crate::grpc) fn request(service: &str) -> tonic::Request<HealthCheckRequest> {
        tonic::Request::new(HealthCheckRequest {
            service: service.to_owned(),
        })
    }

    pub(in crate::grpc) fn responder(health: Health) -> Responder {
        Responder {
            shared: Arc::new(Shared {
                health,
                feed: Mutex::new(None),
            }),
        }
    }

    #[tokio::test]
    async fn check_and_list() {
        let config = Report::new(vec![
            ReportEntry::new("TWILIO_ACCOUNT_SID", Outcome::pass()),
            ReportEntry::new(
                "PUBLIC_URL",
                Outcome::fail(Code::MISSING, "PUBLIC_URL is not set"),
            ),
        ]);
        let health = Health::builder().config(&config).build();
        let responder = responder(health);

        let overall = responder.check(request("")).await.unwrap().into_inner();
        assert_eq!(status_of(&overall), ServingStatus::NotServing);
        let sid = responder
            .check(request("TWILIO_ACCOUNT_SID"))
            .await
            .unwrap();
        assert_eq!(status_of(sid.get_ref()), ServingStatus::Serving);
        let url = responder.check(request("PUBLIC_URL")).await.unwrap();
        assert_eq!(status_of(url.get_ref()), ServingStatus::NotServing);
        let unknown = responder.check(request("nope")).await.unwrap_err();
        assert_eq!(unknown.code(), tonic::Code::NotFound);

        let list = responder
            .list(tonic::Request::new(HealthListRequest {}))
            .await
            .unwrap()
            .into_inner();
        let mut names: Vec<_> = list
            .statuses
            .iter()
            .map(|(name, r)| (name.as_str(), status_of(r)))
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ("", ServingStatus::NotServing),
                ("PUBLIC_URL", ServingStatus::NotServing),
                ("TWILIO_ACCOUNT_SID", ServingStatus::Serving),
            ]
        );
    }

    #[tokio::test]
    async fn list_refuses_more_than_100_services() {
        let checks =
            (0..MAX_LISTED_SERVICES).map(|i| ReportEntry::new(format!("VAR_{i}"), Outcome::pass()));
        let health = Health::builder()
            .config(&Report::new(checks.collect()))
            .build();
        let responder = responder(health);
        let error = responder
            .list(tonic::Request::new(HealthListRequest {}))
            .await
            .unwrap_err();
        assert_eq!(error.code(), tonic::Code::ResourceExhausted);
    }
}

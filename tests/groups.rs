//! Check groups: `.tag(..)` on checks and config, served at `/ready/group/<name>` through
//! `Health::respond` and every adapter (axum, actix-web, tower), with `?verbose`,
//! `?exclude`, the unknown-group 404, shutdown gating every group, and the groups in the
//! JSON body and in `config probes`.

mod common;
#[path = "common/servers.rs"]
mod servers;

use std::time::Duration;

use health::{Code, Health, Outcome, Report, ReportEntry};
use servers::{Reply, Servers};

const JSON: &str = "application/health+json";
const TEXT: &str = "text/plain; charset=utf-8";

/// `PORT` (untagged config) passes; the config part tagged `A` has `DB_URL` failing and
/// `DB_POOL` passing; `database` passes in `A` and `B`; `queue` fails in `A`; `payments api`
/// fails non-critically (`warn`) in `B` and `third party`; `failing` fails untagged.
fn service() -> Health {
    let app = Report::new(vec![ReportEntry::new("PORT", Outcome::pass())]);
    let db = Report::new(vec![
        ReportEntry::new(
            "DB_URL",
            Outcome::fail(Code::MISSING, "required variable is not set"),
        )
        .with_field("db.url"),
        ReportEntry::new("DB_POOL", Outcome::pass()).with_field("db.pool"),
    ]);
    Health::builder()
        .cache_for(Duration::from_secs(3600))
        .config(&app)
        .config(&db)
        .tag("A")
        .readiness("database", || async { Outcome::pass() })
        .tag("A")
        .tag("B")
        .readiness("queue", || async {
            Outcome::fail(Code::CONNECTION_REFUSED, "queue refused the connection")
        })
        .tag("A")
        .readiness("payments api", || async {
            Outcome::fail(Code::TIMEOUT, "no answer in 300 ms")
        })
        .non_critical()
        .tag("B")
        .tag("third party")
        .readiness("failing", || async {
            Outcome::fail(Code::new("db_locked"), "database is locked")
        })
        .liveness_heartbeat("worker", Duration::from_secs(3600))
        .build()
}

/// One request and what every adapter must answer, the body's times blanked.
struct Case {
    target: &'static str,
    status: u16,
    content_type: &'static str,
    body: &'static str,
}

const B_JSON: &str = r#"{"status":"warn","checks":{"database":[{"status":"pass","tags":["A","B"],"time":""}],"payments api":[{"status":"warn","code":"timeout","output":"no answer in 300 ms","tags":["B","third party"],"time":""}]}}"#;

const A_JSON: &str = r#"{"status":"fail","checks":{"DB_URL":[{"status":"fail","code":"missing","output":"required variable is not set","field":"db.url","tags":["A"],"time":""}],"DB_POOL":[{"status":"pass","field":"db.pool","tags":["A"],"time":""}],"database":[{"status":"pass","tags":["A","B"],"time":""}],"queue":[{"status":"fail","code":"connection_refused","output":"queue refused the connection","tags":["A"],"time":""}]}}"#;

const CASES: &[Case] = &[
    Case {
        target: "/ready/group/B",
        status: 200,
        content_type: JSON,
        body: B_JSON,
    },
    Case {
        target: "/readyz/group/B/",
        status: 200,
        content_type: JSON,
        body: B_JSON,
    },
    Case {
        target: "/ready/group/A",
        status: 503,
        content_type: JSON,
        body: A_JSON,
    },
    Case {
        target: "/ready/group/A?verbose",
        status: 503,
        content_type: TEXT,
        body: "[-]DB_URL failed: reason withheld\n[+]DB_POOL ok\n[+]database ok\n\
               [-]queue failed: reason withheld\nready check failed\n",
    },
    Case {
        target: "/readyz/group/B?verbose",
        status: 200,
        content_type: TEXT,
        body: "[+]database ok\n[+]payments api ok\nreadyz check passed\n",
    },
    Case {
        target: "/ready/group/A?exclude=queue&exclude=DB_URL",
        status: 200,
        content_type: JSON,
        body: r#"{"status":"pass","checks":{"DB_POOL":[{"status":"pass","field":"db.pool","tags":["A"],"time":""}],"database":[{"status":"pass","tags":["A","B"],"time":""}]}}"#,
    },
    // `failing` is a check, but not of this group: Kubernetes' unknown-exclude warning.
    Case {
        target: "/readyz/group/A?verbose&exclude=queue&exclude=DB_URL&exclude=failing",
        status: 200,
        content_type: TEXT,
        body: "[+]DB_URL excluded: ok\n[+]DB_POOL ok\n[+]database ok\n[+]queue excluded: ok\n\
               warn: some health checks cannot be excluded: no matches for \"failing\"\n\
               readyz check passed\n",
    },
    Case {
        target: "/ready/group/third%20party",
        status: 200,
        content_type: JSON,
        body: r#"{"status":"warn","checks":{"payments api":[{"status":"warn","code":"timeout","output":"no answer in 300 ms","tags":["B","third party"],"time":""}]}}"#,
    },
    Case {
        target: "/ready/group/A/queue?verbose",
        status: 503,
        content_type: TEXT,
        body: "[-]queue failed: reason withheld\nready check failed\n",
    },
    Case {
        target: "/ready/group/B/queue",
        status: 404,
        content_type: TEXT,
        body: "no readiness check named \"queue\" in group \"B\"\n",
    },
    Case {
        target: "/ready/group/nope",
        status: 404,
        content_type: TEXT,
        body: "no readiness group named \"nope\"; the groups are \"A\", \"B\", \"third party\"\n",
    },
    // Never echoed raw: an escape sequence and a quote come back escaped.
    Case {
        target: "/ready/group/%1B%5B31m%22",
        status: 404,
        content_type: TEXT,
        body: "no readiness group named \"\\u{1b}[31m\\\"\"; the groups are \"A\", \"B\", \"third party\"\n",
    },
    // No check named `group`: the unknown-check answer, as before groups.
    Case {
        target: "/ready/group",
        status: 404,
        content_type: TEXT,
        body: "no readiness check named \"group\"\n",
    },
    Case {
        target: "/ready",
        status: 503,
        content_type: JSON,
        body: r#"{"status":"fail","checks":{"PORT":[{"status":"pass","time":""}],"DB_URL":[{"status":"fail","code":"missing","output":"required variable is not set","field":"db.url","tags":["A"],"time":""}],"DB_POOL":[{"status":"pass","field":"db.pool","tags":["A"],"time":""}],"database":[{"status":"pass","tags":["A","B"],"time":""}],"queue":[{"status":"fail","code":"connection_refused","output":"queue refused the connection","tags":["A"],"time":""}],"payments api":[{"status":"warn","code":"timeout","output":"no answer in 300 ms","tags":["B","third party"],"time":""}],"failing":[{"status":"fail","code":"db_locked","output":"database is locked","time":""}]}}"#,
    },
    // `/ready?verbose` stays Kubernetes' text: no group lines.
    Case {
        target: "/readyz?verbose",
        status: 503,
        content_type: TEXT,
        body: "[+]PORT ok\n[-]DB_URL failed: reason withheld\n[+]DB_POOL ok\n[+]database ok\n\
               [-]queue failed: reason withheld\n[+]payments api ok\n\
               [-]failing failed: reason withheld\nreadyz check failed\n",
    },
];

fn expected(case: &Case) -> Reply {
    Reply {
        status: case.status,
        content_type: Some(case.content_type.to_owned()),
        body: case.body.to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn groups_answer_alike_through_respond_and_every_adapter() {
    let health = service();
    assert_eq!(health.groups(), ["A", "B", "third party"]);

    for case in CASES {
        let reply = Reply::of(&common::respond(&health, case.target).await).without_time();
        assert_eq!(reply, expected(case), "respond {}", case.target);
    }

    let servers = Servers::start(&health).await;
    for server in servers.all() {
        for case in CASES {
            let reply = servers::get(server.addr, &format!("{}{}", server.prefix, case.target))
                .await
                .without_time();
            assert_eq!(reply, expected(case), "{}: {}", server.name, case.target);
        }
        // HEAD answers the status and type with no body.
        let head = servers::request(
            server.addr,
            "HEAD",
            &format!("{}/ready/group/A", server.prefix),
        )
        .await;
        assert_eq!(
            (
                head.status,
                head.content_type.as_deref(),
                head.body.as_str()
            ),
            (503, Some(JSON), ""),
            "{}",
            server.name
        );
        // Groups are readiness only: `/livez/group/A` is no probe path.
        let live = servers::get(server.addr, &format!("{}/livez/group/A", server.prefix)).await;
        assert_eq!(live.status, 404, "{}", server.name);
        if !server.probe_paths_only {
            assert_eq!(live.body, "not found\n", "{}", server.name);
        }
    }

    // Shutting down turns every group 503, whatever its checks say.
    health.shutdown();
    for server in servers.all() {
        for group in ["A", "B", "third%20party"] {
            let target = format!("{}/ready/group/{group}", server.prefix);
            let reply = servers::get(server.addr, &target).await;
            assert_eq!(reply.status, 503, "{}: {target}", server.name);
            assert!(
                reply.body.starts_with(
                    r#"{"status":"fail","checks":{"shutdown":[{"status":"fail","code":"shutting_down""#
                ),
                "{}: {target}: {}",
                server.name,
                reply.body
            );
            let verbose = servers::get(server.addr, &format!("{target}?verbose")).await;
            assert_eq!(verbose.status, 503, "{}: {target}", server.name);
            assert!(
                verbose
                    .body
                    .starts_with("[-]shutdown failed: reason withheld\n")
                    && verbose.body.ends_with("ready check failed\n"),
                "{}: {target}: {}",
                server.name,
                verbose.body
            );
        }
    }
    servers.stop().await;
}

#[tokio::test(start_paused = true)]
async fn starting_gates_every_group_until_startup_is_over() {
    let health = Health::builder()
        .startup_grace(Duration::from_secs(10))
        .cache_for(Duration::from_secs(3600))
        .readiness("cache", || async { Outcome::pass() })
        .tag("cache")
        .build();
    let response = common::respond(&health, "/ready/group/cache?verbose").await;
    assert_eq!(response.status(), 503);
    assert_eq!(
        response.body(),
        "[-]startup failed: reason withheld\n[+]cache ok\nready check failed\n"
    );
    tokio::time::sleep(Duration::from_secs(11)).await;
    let response = common::respond(&health, "/ready/group/cache?verbose").await;
    assert_eq!(
        (response.status().as_u16(), response.body().as_ref()),
        (200, b"[+]cache ok\nready check passed\n".as_ref())
    );
}

#[tokio::test(start_paused = true)]
async fn a_tagged_startup_check_is_in_its_group() {
    // Startup ends when `migrations` has passed once (its first run, on the first probe).
    let health = Health::builder()
        .startup_grace(Duration::from_secs(3600))
        .cache_for(Duration::from_secs(3600))
        .startup("migrations", || async { Outcome::pass() })
        .tag("db")
        .readiness("cache", || async { Outcome::pass() })
        .build();
    let response = common::respond(&health, "/ready/group/db?verbose").await;
    assert_eq!(
        (response.status().as_u16(), response.body().as_ref()),
        (200, b"[+]migrations ok\nready check passed\n".as_ref())
    );
}

#[tokio::test]
async fn a_check_named_group_is_still_served_at_ready_group() {
    let health = Health::builder()
        .cache_for(Duration::from_secs(3600))
        .readiness("group", || async { Outcome::pass() })
        .build();
    let response = common::respond(&health, "/ready/group?verbose").await;
    assert_eq!(
        (response.status().as_u16(), response.body().as_ref()),
        (200, b"[+]group ok\nready check passed\n".as_ref())
    );
    // No group at all: the 404 says so.
    let response = common::respond(&health, "/ready/group/group").await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.body(),
        "no readiness group named \"group\": this service has no groups\n"
    );
}

#[tokio::test]
async fn the_group_report_and_config_probes_name_each_groups_entries() {
    let health = service();
    let a = health.group_report("A").await.unwrap();
    assert_eq!(
        common::statuses(&a),
        [
            ("DB_URL", health::Status::Fail, Some("missing")),
            ("DB_POOL", health::Status::Pass, None),
            ("database", health::Status::Pass, None),
            ("queue", health::Status::Fail, Some("connection_refused")),
        ]
    );
    assert!(health.group_report("B").await.unwrap().is_ready());
    assert!(health.group_report("nope").await.is_none());

    let yaml = health::docs::kubernetes_probes(&health, 8080);
    let groups = &yaml[yaml.find("# Groups").expect("a groups comment")..];
    assert_eq!(
        groups,
        "# Groups: /ready/group/<name> answers like /ready for the entries tagged <name> \
         (shutdown and startup gate every group), for a caller that needs only those:\n\
         #   /ready/group/A: DB_URL, DB_POOL, database, queue\n\
         #   /ready/group/B: database, payments api\n\
         #   /ready/group/third%20party: payments api\n"
    );
    // The probes themselves are the untagged service's, byte for byte.
    assert!(yaml.starts_with(&health::docs::kubernetes_probes(&untagged(), 8080)));
}

/// [`service`] without its tags.
fn untagged() -> Health {
    Health::builder()
        .cache_for(Duration::from_secs(3600))
        .readiness("database", || async { Outcome::pass() })
        .readiness("queue", || async { Outcome::pass() })
        .readiness("payments api", || async { Outcome::pass() })
        .non_critical()
        .readiness("failing", || async { Outcome::pass() })
        .liveness_heartbeat("worker", Duration::from_secs(3600))
        .build()
}

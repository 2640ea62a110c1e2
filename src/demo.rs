//! `incident --demo`: a realistic sample incident in a temporary directory,
//! so a newcomer can try every key without touching real incidents.

use crate::model::{Actor, Evidence, LogKind, Role, Severity, Status, SystemStatus};
use crate::ops::{Op, Record};
use crate::store::{Header, SCHEMA, StoreError};
use crate::systems::SystemSpec;
use chrono::{DateTime, Duration, Utc};
use std::path::Path;

fn actor(user: &str) -> Actor {
    Actor {
        host: "jump1".into(),
        ..Actor::named(user)
    }
}

/// The sample incident's operations, ending at `now`.
pub fn records(now: DateTime<Utc>) -> Vec<Record> {
    let start = now - Duration::minutes(47);
    let at = |min: i64, who: &str, op: Op| Record {
        at: start + Duration::seconds(min * 60 + 7),
        by: actor(who),
        op,
    };
    let log = |kind: LogKind, text: &str| Op::Log {
        kind,
        text: text.into(),
    };
    let mut records = vec![
        at(
            0,
            "alice",
            Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        ),
        at(
            0,
            "alice",
            Op::SetRole {
                role: Role::Commander,
                user: Some("alice".into()),
            },
        ),
        at(
            1,
            "alice",
            log(
                LogKind::Note,
                "Pager: checkout 5xx rate 12% (threshold 2%) for 3 minutes",
            ),
        ),
        at(
            2,
            "bob",
            Op::SetRole {
                role: Role::Communications,
                user: Some("bob".into()),
            },
        ),
        at(
            3,
            "bob",
            log(
                LogKind::Announcement,
                "Status page updated: degraded checkout, investigating",
            ),
        ),
        at(
            5,
            "carol",
            log(
                LogKind::Note,
                "payments p99 latency 8s, error logs show connection pool exhausted",
            ),
        ),
        at(
            7,
            "carol",
            log(
                LogKind::Note,
                "postgres primary looks healthy: checked pg_stat_activity, 40/500 connections",
            ),
        ),
        at(
            9,
            "alice",
            Op::SetSeverity {
                severity: Severity::Sev1,
            },
        ),
        at(
            11,
            "dave",
            log(
                LogKind::Note,
                "payments deploy 2026.11.26-3 went out 3 minutes before the alert",
            ),
        ),
        at(
            12,
            "alice",
            log(
                LogKind::Decision,
                "Roll back payments to 2026.11.26-2 before digging further",
            ),
        ),
        at(
            14,
            "carol",
            log(
                LogKind::Action,
                "kubectl rollout undo deploy/payments  (exit 0, 1.2s)",
            ),
        ),
        at(
            19,
            "carol",
            log(LogKind::Note, "error rate falling: 12% -> 3% -> 0.4%"),
        ),
        // Error rates are back before the systems are re-checked: asked,
        // the commander marks it mitigated anyway.
        at(
            22,
            "alice",
            Op::SetStatus {
                status: Status::Mitigated,
                force: true,
                keep_freeze: false,
            },
        ),
        at(
            23,
            "bob",
            log(LogKind::Announcement, "Status page: mitigated, monitoring"),
        ),
        at(
            4,
            "carol",
            Op::ImportSystems {
                source: "catalog-info.yaml".into(),
                systems: vec![
                    spec("checkout", "team-web", &["payments", "cart", "cdn"]),
                    spec(
                        "payments",
                        "team-payments",
                        &["postgres", "redis", "fraud-api"],
                    ),
                    spec("cart", "team-web", &["redis"]),
                    spec("postgres", "team-data", &[]),
                    spec("redis", "team-data", &[]),
                    spec("fraud-api", "vendor", &[]),
                    spec("cdn", "team-edge", &[]),
                ],
            },
        ),
        at(
            5,
            "carol",
            Op::SetSystem {
                name: "checkout".into(),
                status: SystemStatus::Failing,
                evidence: Some(Evidence {
                    text: "5xx 12% on the checkout dashboard".into(),
                    entry: None,
                }),
                owner: None,
                note: None,
            },
        ),
        at(
            6,
            "carol",
            Op::SetSystem {
                name: "payments".into(),
                status: SystemStatus::Failing,
                evidence: Some(Evidence {
                    text: "p99 8s, pool exhausted in logs".into(),
                    entry: None,
                }),
                owner: None,
                note: None,
            },
        ),
        at(
            7,
            "carol",
            Op::SetSystem {
                name: "postgres".into(),
                status: SystemStatus::Ok,
                evidence: Some(Evidence {
                    text: "pg_stat_activity 40/500 connections".into(),
                    entry: None,
                }),
                owner: None,
                note: None,
            },
        ),
        at(
            8,
            "bob",
            Op::Assume {
                text: "fraud-api is healthy".into(),
                source: Some("vendor status page".into()),
            },
        ),
        at(
            8,
            "bob",
            Op::SetImpact {
                text: "EU card payments ~1200 customers/hour".into(),
            },
        ),
        at(
            30,
            "dave",
            log(
                LogKind::Note,
                "root cause candidate: pool size default changed in the 26-3 config bundle; writing it up in the doc",
            ),
        ),
    ];
    // Listed by topic above; the file is in time order.
    // Stopping the bleeding, the hard path, and the document.
    use crate::model::{MitigationKind, MitigationStatus, Risk, Section, Speed};
    records.extend([
        at(12, "alice", Op::ProposeMitigation {
            text: "Roll back payments to 2026.11.26-2".into(),
            kind: MitigationKind::Rollback,
            risk: Risk::Low,
            speed: Speed::Quick,
            system: Some("payments".into()),
            owner: Some("carol".into()),
        }),
        at(13, "alice", Op::StartMitigation { id: 1 }),
        at(19, "carol", Op::FinishMitigation {
            id: 1,
            status: MitigationStatus::Done,
            result: Some("error rate 12% -> 0.4%".into()),
        }),
        at(13, "alice", Op::AddTask { text: "Find why the 26-3 config bundle exhausts the pool".into(), owner: Some("dave".into()) }),
        at(16, "bob", Op::EditSection {
            section: Section::Summary,
            text: "Checkout returned 5xx for ~12% of EU card payments after payments deploy 26-3. Rolled back; error rate back to normal.".into(),
            base: 0,
        }),
        at(23, "bob", Op::PostUpdate { text: "Checkout is recovering after a rollback; monitoring. Next update in 20 minutes.".into(), external: true }),
        // On time, so the header counts down to the next one.
        at(42, "bob", Op::PostUpdate { text: "Checkout errors back to normal for 20 minutes; the rollback holds. Next update in 20 minutes.".into(), external: true }),
    ]);
    records.sort_by_key(|r| r.at);
    records
}

fn spec(name: &str, owner: &str, deps: &[&str]) -> SystemSpec {
    SystemSpec {
        name: name.into(),
        owner: Some(owner.into()),
        note: None,
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
    }
}

/// Write the sample incident as `INC-1` into `dir`.
pub fn write(dir: &Path, now: DateTime<Utc>) -> Result<String, StoreError> {
    crate::store::fs::ensure_dir(dir)?;
    let recs = records(now);
    let id = "INC-1".to_string();
    let header = Header {
        schema: SCHEMA,
        id: id.clone(),
        created_at: recs[0].at,
        created_by: recs[0].by.clone(),
    };
    let mut text = serde_json::to_string(&header).expect("json") + "\n";
    for r in &recs {
        text += &(serde_json::to_string(r).expect("json") + "\n");
    }
    let path = dir.join(format!("{id}.jsonl"));
    std::fs::write(&path, text).map_err(|e| StoreError::Io { path, source: e })?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_incident_loads() {
        let dir = tempfile::tempdir().unwrap();
        let id = super::write(dir.path(), chrono::Utc::now()).unwrap();
        let f = crate::store::Store::new(dir.path()).open(&id).unwrap();
        assert_eq!(f.incident().commander(), Some("alice"));
        assert!(f.incident().log.len() > 10);
    }
}

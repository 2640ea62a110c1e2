use super::*;

fn sys(name: &str, status: crate::model::SystemStatus, evidence: Option<&str>) -> Op {
    Op::SetSystem {
        name: name.into(),
        status,
        evidence: evidence.map(|t| Evidence {
            text: t.into(),
            entry: None,
        }),
        owner: None,
        note: None,
    }
}

#[test]
fn anyone_sets_system_status_with_evidence_and_it_is_logged() {
    use crate::model::SystemStatus::*;
    let mut inc = commanded();
    ok(&mut inc, "carol", sys("payments", Failing, Some("5xx 12%")));
    let s = &inc.systems["payments"];
    assert_eq!(
        (s.status, s.changed_by.as_deref()),
        (Failing, Some("carol"))
    );
    assert!(s.is_verified());
    assert_eq!(last(&inc), "payments unknown → failing (5xx 12%)");
    // The same status again needs new evidence to be worth a line.
    let e = refused(&mut inc, "dave", sys("payments", Failing, None));
    assert!(matches!(e, Refusal::Unchanged { .. }));
    ok(
        &mut inc,
        "dave",
        sys("payments", Failing, Some("still 5xx")),
    );
    assert_eq!(last(&inc), "payments still failing (still 5xx)");
    let e = refused(&mut inc, "dave", sys("pay ments", Ok, None));
    assert!(matches!(e, Refusal::InvalidSystemName { .. }));
}

#[test]
fn evidence_may_cite_a_run_but_only_a_real_one() {
    use crate::model::SystemStatus::*;
    let mut inc = declared();
    let cite = |entry| Op::SetSystem {
        name: "db".into(),
        status: Ok,
        evidence: Some(Evidence {
            text: String::new(),
            entry: Some(entry),
        }),
        owner: None,
        note: None,
    };
    let e = refused(&mut inc, "bob", cite(1));
    assert!(e.to_string().contains("#1 is not a command run"), "{e}");
    let evidence = Box::new(RunEvidence {
        command: "psql -c 'select 1'".into(),
        started_at: Utc.with_ymd_and_hms(2026, 11, 26, 14, 0, 0).unwrap(),
        duration_ms: 30,
        exit: Some(0),
        signal: None,
        output: "1\n".into(),
        truncated: false,
        ..Default::default()
    });
    ok(
        &mut inc,
        "bob",
        Op::Ran {
            evidence,
            request: None,
        },
    );
    ok(&mut inc, "bob", cite(2));
    assert_eq!(last(&inc), "db unknown → ok (see #2)");
}

#[test]
fn dependencies_create_systems_and_refuse_nonsense() {
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::Depend {
            system: "checkout".into(),
            on: "payments".into(),
        },
    );
    assert!(inc.systems["checkout"].depends_on.contains("payments"));
    assert_eq!(
        inc.systems["payments"].status,
        crate::model::SystemStatus::Unknown
    );
    refused(
        &mut inc,
        "bob",
        Op::Depend {
            system: "checkout".into(),
            on: "payments".into(),
        },
    );
    refused(
        &mut inc,
        "bob",
        Op::Depend {
            system: "a".into(),
            on: "a".into(),
        },
    );
    ok(
        &mut inc,
        "bob",
        Op::Undepend {
            system: "checkout".into(),
            on: "payments".into(),
        },
    );
    let e = refused(
        &mut inc,
        "bob",
        Op::Undepend {
            system: "checkout".into(),
            on: "payments".into(),
        },
    );
    assert!(matches!(e, Refusal::NoSuchDependency { .. }));
}

#[test]
fn an_import_lands_whole_or_not_at_all() {
    let mut inc = declared();
    let spec = |n: &str, deps: &[&str]| crate::systems::SystemSpec {
        name: n.into(),
        owner: Some("team".into()),
        note: None,
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
    };
    let bad = Op::ImportSystems {
        source: "map.toml".into(),
        systems: vec![spec("ok", &[]), spec("bad name", &[])],
    };
    refused(&mut inc, "bob", bad);
    let good = Op::ImportSystems {
        source: "map.toml".into(),
        systems: vec![spec("web", &["api"]), spec("api", &["db"])],
    };
    ok(&mut inc, "bob", good);
    assert_eq!(inc.systems.len(), 3);
    assert_eq!(
        last(&inc),
        "imported 2 systems and 2 dependencies from map.toml"
    );
}

#[test]
fn assumptions_stay_unverified_until_closed_with_evidence() {
    let mut inc = declared();
    ok(
        &mut inc,
        "bob",
        Op::Assume {
            text: "the vendor API is fine".into(),
            source: Some("vendor support".into()),
        },
    );
    assert_eq!(
        inc.assumptions[0].state,
        crate::model::AssumptionState::Unverified
    );
    assert!(last(&inc).contains("according to vendor support"));
    let no_evidence = Op::Verify {
        id: 1,
        evidence: Evidence {
            text: " ".into(),
            entry: None,
        },
    };
    assert!(matches!(
        refused(&mut inc, "carol", no_evidence),
        Refusal::Empty { .. }
    ));
    let refute = Op::Refute {
        id: 1,
        evidence: Evidence {
            text: "curl gets 503".into(),
            entry: None,
        },
    };
    ok(&mut inc, "carol", refute.clone());
    let a = &inc.assumptions[0];
    assert_eq!(
        (a.state, a.closed_by.as_deref()),
        (crate::model::AssumptionState::Refuted, Some("carol"))
    );
    assert!(last(&inc).starts_with("REFUTED A1"));
    assert!(matches!(
        refused(&mut inc, "carol", refute),
        Refusal::AssumptionClosed { .. }
    ));
    let missing = Op::Verify {
        id: 7,
        evidence: Evidence {
            text: "x".into(),
            entry: None,
        },
    };
    assert!(matches!(
        refused(&mut inc, "carol", missing),
        Refusal::NoSuchAssumption { id: 7 }
    ));
}

#[test]
fn impact_keeps_its_history_and_reads_the_number() {
    let mut inc = declared();
    ok(
        &mut inc,
        "erin",
        Op::SetImpact {
            text: "EU card payments ~1200 customers/hour".into(),
        },
    );
    ok(
        &mut inc,
        "erin",
        Op::SetImpact {
            text: "all card payments ~3k customers/hour".into(),
        },
    );
    assert_eq!(inc.impacts.len(), 2);
    let now = inc.impacts.last().unwrap();
    assert_eq!(
        (now.count, now.unit.as_deref()),
        (Some(3000.0), Some("customers/hour"))
    );
}

#[test]
fn a_pager_report_is_not_verification_until_someone_checks() {
    use crate::model::SystemStatus::*;
    let mut inc = commanded();
    ok(
        &mut inc,
        "pager",
        Op::ReportSystem {
            name: "Payments".into(),
            status: Failing,
            source: "PagerDuty".into(),
        }
        .normalized(),
    );
    let s = &inc.systems["payments"];
    assert_eq!(s.status, Failing);
    assert_eq!(s.reported_by.as_deref(), Some("PagerDuty"));
    assert!(!s.is_verified());
    assert_eq!(
        last(&inc),
        "payments unknown → failing (reported by pager: PagerDuty; not verified)"
    );
    // A person's word without evidence is not verified either, but it is
    // no longer the pager's (so it is a change worth a line).
    ok(&mut inc, "carol", sys("payments", Failing, None));
    let s = &inc.systems["payments"];
    assert!(s.reported_by.is_none() && !s.is_verified());
    ok(
        &mut inc,
        "carol",
        sys("payments", Failing, Some("5xx at 12%")),
    );
    assert!(inc.systems["payments"].is_verified());
    let e = refused(
        &mut inc,
        "pager",
        Op::ReportSystem {
            name: "pay ments".into(),
            status: Failing,
            source: "PagerDuty".into(),
        },
    );
    assert!(matches!(e, Refusal::InvalidSystemName { .. }));
}

//! The command bar grammar: what `:status mitigated` means. The verbs are
//! defined once in `crate::verbs` (the command line's clap definitions
//! and the bar's short forms); this is the view's door to them.

pub use crate::verbs::Act as Command;
pub use crate::verbs::complete::{Known, complete, complete_with};

/// Parse the text after `:`, typed by `me`.
pub fn parse(line: &str, me: &str) -> Result<Command, String> {
    crate::verbs::bar::parse(line, me)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::ops::Op;

    fn parse(line: &str) -> Result<Command, String> {
        super::parse(line, "alice")
    }

    #[test]
    fn update_takes_external_for_the_status_page() {
        assert_eq!(
            parse("update --external We are investigating"),
            Ok(Command::Op(Op::PostUpdate {
                text: "We are investigating".into(),
                external: true,
            }))
        );
        assert_eq!(
            parse("update --externals are fine"),
            Ok(Command::Op(Op::PostUpdate {
                text: "--externals are fine".into(),
                external: false,
            }))
        );
        let e = parse("update --external").unwrap_err();
        assert!(
            e.contains("usage: :update") && e.contains("[--external]"),
            "{e}"
        );
    }

    #[test]
    fn role_commands() {
        assert_eq!(
            parse("takeover ic"),
            Ok(Command::Takeover {
                role: Role::Commander
            })
        );
        assert!(parse("takeover").unwrap_err().contains(":takeover ROLE"));
        let e = parse("stauts resolved").unwrap_err();
        assert!(e.contains("did you mean `:status`?"), "{e}");
        let e = parse("mit rolback low quick Roll back payments").unwrap_err();
        assert!(
            e.contains("did you mean `rollback`?") && e.contains(":mit custom rolback"),
            "{e}"
        );
        assert!(matches!(
            parse("mit custom rolback the flag"),
            Ok(Command::Op(Op::ProposeMitigation {
                kind: MitigationKind::Custom,
                ..
            }))
        ));
        assert_eq!(
            parse("claim ic"),
            Ok(Command::Op(Op::ClaimRole {
                role: Role::Commander
            }))
        );
        assert_eq!(
            parse("handover ic bob"),
            Ok(Command::Op(Op::OfferRole {
                role: Role::Commander,
                to: "bob".into()
            }))
        );
        assert_eq!(
            parse("accept commander"),
            Ok(Command::Op(Op::AcceptRole {
                role: Role::Commander
            }))
        );
        assert_eq!(
            parse("stepdown comms"),
            Ok(Command::Op(Op::StepDown {
                role: Role::Communications
            }))
        );
    }

    #[test]
    fn clearance_commands() {
        assert_eq!(
            parse("announce restart db-2"),
            Ok(Command::Op(Op::Announce {
                text: "restart db-2".into(),
                mitigation: None,
            }))
        );
        assert_eq!(
            parse("go R3"),
            Ok(Command::Op(Op::Answer {
                request: 3,
                go: true,
                reason: None
            }))
        );
        assert_eq!(
            parse("hold 3 replica lag first"),
            Ok(Command::Op(Op::Answer {
                request: 3,
                go: false,
                reason: Some("replica lag first".into())
            }))
        );
        assert!(parse("go").is_err());
    }

    #[test]
    fn role_dash_empties_it() {
        assert_eq!(
            parse("role comms -"),
            Ok(Command::Op(Op::SetRole {
                role: Role::Communications,
                user: None
            }))
        );
    }

    #[test]
    fn status_severity_and_log_kinds() {
        assert_eq!(
            parse("status mitigated"),
            Ok(Command::Op(Op::set_status(Status::Mitigated)))
        );
        assert_eq!(
            parse("status resolved --keep-freeze --force"),
            Ok(Command::Op(Op::SetStatus {
                status: Status::Resolved,
                force: true,
                keep_freeze: true,
            }))
        );
        assert_eq!(
            parse("sev 1"),
            Ok(Command::Op(Op::SetSeverity {
                severity: Severity::Sev1
            }))
        );
        assert_eq!(
            parse("decision roll back payments"),
            Ok(Command::Op(Op::Log {
                kind: LogKind::Decision,
                text: "roll back payments".into()
            }))
        );
    }

    #[test]
    fn errors_say_what_to_type() {
        assert_eq!(
            parse("status").unwrap_err(),
            "usage: :status investigating|mitigated|resolved [--force] [--keep-freeze]"
        );
        assert!(
            parse("status mitigated --keep-freeze")
                .unwrap_err()
                .contains("only applies when resolving")
        );
        assert!(
            parse("status resolved --frobnicate")
                .unwrap_err()
                .starts_with("usage")
        );
        assert!(
            parse("status resolved mitigated")
                .unwrap_err()
                .starts_with("usage")
        );
        assert!(parse("sev 9").unwrap_err().contains("SEV1"));
        assert!(parse("frob").unwrap_err().contains(":claim"));
    }

    fn complete_t(input: &str, people: &[String]) -> (String, Vec<String>) {
        complete(
            input,
            people,
            &["payments".to_string(), "postgres".to_string()],
        )
    }

    #[test]
    fn followups_take_an_owner_and_a_type_before_the_text() {
        assert_eq!(
            parse("followup @bob prevent Alert on pool saturation"),
            Ok(Command::Op(Op::AddFollowup {
                text: "Alert on pool saturation".into(),
                kind: crate::model::FollowupKind::Prevent,
                owner: Some("bob".into()),
            }))
        );
        assert_eq!(
            parse("followup Write the runbook"),
            Ok(Command::Op(Op::AddFollowup {
                text: "Write the runbook".into(),
                kind: crate::model::FollowupKind::Other,
                owner: None,
            }))
        );
        assert!(parse("followup @bob").is_err());
        assert_eq!(
            parse("done F2"),
            Ok(Command::Op(Op::FinishFollowup { id: 2 }))
        );
        assert_eq!(
            parse("give F2 carol"),
            Ok(Command::Op(Op::OwnFollowup {
                id: 2,
                owner: Some("carol".into())
            }))
        );
    }

    #[test]
    fn milestones_are_typed_with_a_time_and_a_note() {
        assert_eq!(
            parse("milestone impact_started 05:38 first 5xx in the LB log"),
            Ok(Command::Milestone {
                milestone: crate::model::Milestone::ImpactStarted,
                time: "05:38".into(),
                note: Some("first 5xx in the LB log".into()),
            })
        );
        assert!(
            parse("milestone impact_started")
                .unwrap_err()
                .contains("MILESTONE TIME")
        );
        assert!(
            parse("milestone lunch 05:38")
                .unwrap_err()
                .contains("impact_started")
        );
    }

    #[test]
    fn tab_completes_references_people_and_systems_where_the_usage_takes_them() {
        let known = Known {
            people: vec!["bob".into(), "carol".into()],
            systems: vec!["payments".into(), "postgres".into()],
            refs: vec![
                "M1".into(),
                "M2".into(),
                "T1".into(),
                "R3".into(),
                "A2".into(),
                "#41".into(),
                "#42".into(),
            ],
            teams: vec!["db-team".into(), "network".into()],
        };
        let c = |s: &str| complete_with(s, &known);
        assert_eq!(c(":escalate d").0, ":escalate db-team ");
        assert_eq!(c(":escalate ").1, ["db-team", "network"]);
        assert_eq!(c(":start M").1, ["M1", "M2"]);
        assert_eq!(c(":go ").0, ":go R3 ");
        assert_eq!(c(":verify ").0, ":verify A2 ");
        assert_eq!(c(":done ").1, ["M1", "M2", "T1"]);
        assert_eq!(c(":give M1 c").0, ":give M1 carol ");
        assert_eq!(c(":detach b").0, ":detach bob ");
        assert_eq!(c(":snippet #4").1, ["#41", "#42"]);
        assert_eq!(c(":sys po").0, ":sys postgres ");
        assert_eq!(c(":sys postgres fa").0, ":sys postgres failing ");
        assert_eq!(c(":mit rollb").0, ":mit rollback ");
        assert_eq!(c(":mit rollback hi").0, ":mit rollback high ");
        assert_eq!(c(":status mi").0, ":status mitigated ");
        // Free text is never completed.
        assert_eq!(c(":announce rest").0, ":announce rest");
    }

    #[test]
    fn system_commands() {
        assert_eq!(
            parse("sys payments down 5xx at 12% #42"),
            Ok(Command::Op(Op::SetSystem {
                name: "payments".into(),
                status: SystemStatus::Failing,
                evidence: Some(Evidence {
                    text: "5xx at 12%".into(),
                    entry: Some(42)
                }),
                owner: None,
                note: None,
            }))
        );
        assert_eq!(
            parse("dep checkout -> payments"),
            Ok(Command::Op(Op::Depend {
                system: "checkout".into(),
                on: "payments".into()
            }))
        );
        assert_eq!(
            parse("verify A2 psql select 1 ok"),
            Ok(Command::Op(Op::Verify {
                id: 2,
                evidence: Evidence {
                    text: "psql select 1 ok".into(),
                    entry: None
                }
            }))
        );
        assert!(
            parse("verify 2")
                .unwrap_err()
                .contains("say how you checked")
        );
        assert!(parse("sys payments sad").unwrap_err().contains("failing"));
        assert_eq!(complete_t(":sys pa", &[]).0, ":sys payments ");
        assert_eq!(
            complete_t(":sys payments fa", &[]).0,
            ":sys payments failing "
        );
        assert_eq!(
            complete_t(":dep checkout -> po", &[]).0,
            ":dep checkout -> postgres "
        );
    }

    #[test]
    fn completes_commands_roles_and_people() {
        assert_eq!(complete_t(":cl", &[]).0, ":claim ");
        assert_eq!(complete_t(":claim co", &[]).0, ":claim comm");
        assert_eq!(complete_t(":claim comm", &[]).0, ":claim comm");
        assert_eq!(complete_t(":claim commu", &[]).0, ":claim communications ");
        assert_eq!(
            complete_t(":role ic b", &["bob".into(), "carol".into()]).0,
            ":role ic bob "
        );
        let (same, many) = complete_t(":s", &[]);
        assert_eq!(same, ":s");
        assert!(many.iter().all(|c| c.starts_with('s')), "{many:?}");
        assert!(
            many.contains(&"status".to_string()) && many.contains(&"sev".to_string()),
            "{many:?}"
        );
    }
}

#[cfg(test)]
mod mitigation_tests {
    use super::*;
    use crate::model::*;
    use crate::ops::Op;

    #[test]
    fn the_bar_takes_what_the_command_line_takes() {
        // `incident mitigation start 3` and `incident break 1.5h` work: so do these.
        assert_eq!(
            parse("start 3", "alice"),
            Ok(Command::Op(Op::StartMitigation { id: 3 }))
        );
        let Ok(Command::Op(Op::StartBreak { minutes, .. })) = parse("break 1.5h", "alice") else {
            panic!("a break");
        };
        assert_eq!(minutes, 90);
        let Ok(Command::Op(Op::StartBreak { minutes, .. })) = parse("break 90s", "alice") else {
            panic!("a break");
        };
        assert_eq!(minutes, 2);
        assert_eq!(
            parse("go 4", "alice"),
            Ok(Command::Op(Op::Answer {
                request: 4,
                go: true,
                reason: None
            }))
        );
        assert_eq!(
            parse("cadence 1h", "alice"),
            Ok(Command::Op(Op::SetUpdateCadence { minutes: 60 }))
        );
        let e = parse("break soon", "alice").unwrap_err();
        assert!(e.contains("is not a duration"), "{e}");
    }

    #[test]
    fn mitigation_commands() {
        assert_eq!(
            parse("mit rollback low Roll back payments", "alice"),
            Ok(Command::Op(Op::ProposeMitigation {
                text: "Roll back payments".into(),
                kind: MitigationKind::Rollback,
                risk: Risk::Low,
                speed: Speed::Quick,
                system: None,
                owner: None,
            }))
        );
        assert_eq!(
            parse("start M3", "a"),
            Ok(Command::Op(Op::StartMitigation { id: 3 }))
        );
        assert_eq!(
            parse("failed m3 no change", "a"),
            Ok(Command::Op(Op::FinishMitigation {
                id: 3,
                status: MitigationStatus::Failed,
                result: Some("no change".into())
            }))
        );
        assert_eq!(
            parse("done T2", "a"),
            Ok(Command::Op(Op::FinishTask {
                id: 2,
                result: None
            }))
        );
        assert_eq!(
            parse("take T2", "bob"),
            Ok(Command::Op(Op::OwnTask {
                id: 2,
                owner: Some("bob".into())
            }))
        );
        assert_eq!(
            parse("give M1 carol", "bob"),
            Ok(Command::Op(Op::OwnMitigation {
                id: 1,
                owner: Some("carol".into())
            }))
        );
        assert_eq!(
            parse("freeze bad deploy", "a"),
            Ok(Command::Op(Op::Freeze {
                reason: Some("bad deploy".into())
            }))
        );
        assert!(parse("start T2", "a").is_err());
        assert!(parse("mit low", "a").is_err(), "no text");
    }
}

#[cfg(test)]
mod review_tests {
    use super::*;
    use crate::model::*;
    use crate::ops::Op;

    #[test]
    fn mitigation_text_keeps_its_capitalised_first_words() {
        match parse("mit restart medium quick Restart payments pods", "a") {
            Ok(Command::Op(Op::ProposeMitigation { text, kind, .. })) => {
                assert_eq!(
                    (text.as_str(), kind),
                    ("Restart payments pods", MitigationKind::Restart)
                );
            }
            other => panic!("{other:?}"),
        }
        match parse("mit Restart payments pods", "a") {
            Ok(Command::Op(Op::ProposeMitigation { text, .. })) => {
                assert_eq!(text, "Restart payments pods")
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(parse("sys Payments down", "a"), Ok(Command::Op(op)) if matches!(op.clone().normalized(), Op::SetSystem { name, .. } if name == "payments"))
        );
    }
}

//! The mitigations pane: order, suggestions one key away, the start flow
//! through the commander, the freeze banner.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{
    Actor, Incident, MitigationKind, MitigationStatus, Risk, Role, Severity, Speed, SystemStatus,
};
use incident::ops::Op;
use incident::tui::app::{App, Effect, Focus, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::theme::Theme;

fn t0() -> DateTime<Utc> {
    crate::common::fixture_t0()
}

fn apply(inc: &mut Incident, min: i64, who: &str, op: Op) {
    crate::common::apply_to(inc, t0(), min, who, op);
}

fn mit(text: &str, kind: MitigationKind, risk: Risk, speed: Speed) -> Op {
    Op::ProposeMitigation {
        text: text.into(),
        kind,
        risk,
        speed,
        system: None,
        owner: None,
    }
}

fn incident() -> Incident {
    let mut inc = crate::common::Fixture::declared("INC-7", t0()).incident;
    apply(
        &mut inc,
        0,
        "alice",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    apply(
        &mut inc,
        1,
        "carol",
        Op::SetSystem {
            name: "payments".into(),
            status: SystemStatus::Failing,
            evidence: None,
            owner: None,
            note: None,
        },
    );
    apply(
        &mut inc,
        2,
        "carol",
        mit(
            "Rewrite the pool logic",
            MitigationKind::Custom,
            Risk::High,
            Speed::Slow,
        ),
    );
    apply(
        &mut inc,
        3,
        "dave",
        mit(
            "Roll back payments to 26-2",
            MitigationKind::Rollback,
            Risk::Low,
            Speed::Quick,
        ),
    );
    apply(
        &mut inc,
        4,
        "dave",
        Op::OwnMitigation {
            id: 2,
            owner: Some("dave".into()),
        },
    );
    apply(
        &mut inc,
        5,
        "erin",
        mit(
            "Freeze deploys",
            MitigationKind::FreezeDeploys,
            Risk::Low,
            Speed::Quick,
        ),
    );
    apply(&mut inc, 6, "erin", Op::StartMitigation { id: 3 });
    apply(
        &mut inc,
        7,
        "erin",
        Op::FinishMitigation {
            id: 3,
            status: MitigationStatus::Failed,
            result: Some("no change".into()),
        },
    );
    apply(
        &mut inc,
        8,
        "bob",
        Op::AddTask {
            text: "Find the root cause".into(),
            owner: Some("frank".into()),
        },
    );
    // Starting M3 froze deploys (its text is the reason); failing it does
    // not lift the freeze.
    inc
}

fn app(who: &str, inc: Incident) -> App {
    App::new(Actor::named(who), Screen::Room(Box::new(Room::new(inc))))
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    to_text(&draw(
        app,
        &Theme::built_in("default").unwrap(),
        t0() + Duration::minutes(20),
        w,
        h,
    ))
}

fn press(app: &mut App, code: KeyCode) -> Option<Effect> {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE), t0())
}

#[test]
fn pane_80x24() {
    insta::assert_snapshot!(screen(&mut app("alice", incident()), 80, 24));
}

#[test]
fn pane_160x48() {
    insta::assert_snapshot!(screen(&mut app("alice", incident()), 160, 48));
}

#[test]
fn pane_120x35_and_200x50() {
    for (w, h) in [(120, 35), (200, 50)] {
        insta::assert_snapshot!(
            format!("pane_{w}x{h}"),
            screen(&mut app("alice", incident()), w, h)
        );
    }
}

#[test]
fn routine_fixes_come_first_failed_ones_stay_and_owners_show() {
    let s = screen(&mut app("alice", incident()), 160, 48);
    let pos = |needle: &str| {
        s.find(needle)
            .unwrap_or_else(|| panic!("{needle} missing:\n{s}"))
    };
    assert!(pos("M2 low") < pos("M1 high"), "quick low-risk first:\n{s}");
    assert!(
        pos("M1 high") < pos("✗ M3"),
        "failed ones after the open ones:\n{s}"
    );
    assert!(
        s.contains("Roll back payments to 26-2") && s.contains("dave"),
        "{s}"
    );
    assert!(s.contains("Freeze deploys — no change"), "{s}");
    assert!(s.contains("T1 Find the root cause  frank"), "{s}");
    assert!(
        s.contains("DEPLOYS FROZEN since 14:06:00 by erin: Freeze deploys"),
        "{s}"
    );
}

#[test]
fn keys_adopt_suggestions_start_take_and_close_work() {
    let mut a = app("dave", incident());
    // Tab round to the mitigations pane.
    while a.room().unwrap().focus != Focus::Mitigations {
        press(&mut a, KeyCode::Tab);
    }
    // Rows: M2, M1, M3 (failed), then suggestions, then T1.
    assert_eq!(
        press(&mut a, KeyCode::Char('s')),
        Some(Effect::Commit(Op::StartMitigation { id: 2 }))
    );
    press(&mut a, KeyCode::Char('j'));
    assert_eq!(
        press(&mut a, KeyCode::Char('o')),
        Some(Effect::Commit(Op::OwnMitigation {
            id: 1,
            owner: Some("dave".into())
        }))
    );
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Char('j'));
    match press(&mut a, KeyCode::Char('a')) {
        Some(Effect::Commit(Op::ProposeMitigation { text, .. })) => {
            assert!(
                text.contains("payments"),
                "a suggestion for the failing system: {text}"
            )
        }
        other => panic!("expected a proposal, got {other:?}"),
    }
    press(&mut a, KeyCode::Char('k'));
    press(&mut a, KeyCode::Char('k'));
    press(&mut a, KeyCode::Char('k'));
    assert_eq!(press(&mut a, KeyCode::Char('x')), None);
    assert_eq!(a.room().unwrap().input.line.value(), ":failed M2 ");
    assert_eq!(a.room().unwrap().focus, Focus::Input);
}

#[test]
fn starting_a_destructive_mitigation_asks_the_commander() {
    use incident::store::Store;
    use incident::tui::session::Session;
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    store
        .declare(&Actor::named("alice"), "Payments down", Severity::Sev1)
        .unwrap();
    let mut f = store.open("INC-1").unwrap();
    f.commit(
        &Actor::named("alice"),
        Op::ClaimRole {
            role: Role::Commander,
        },
    )
    .unwrap();
    f.commit(
        &Actor::named("carol"),
        mit(
            "Restart payments",
            MitigationKind::Restart,
            Risk::Medium,
            Speed::Quick,
        ),
    )
    .unwrap();

    let mut s = Session::new(store.clone(), Actor::named("carol"));
    let screen = s.open("INC-1").unwrap();
    let mut a = App::new(Actor::named("carol"), screen);
    s.perform(Effect::Commit(Op::StartMitigation { id: 1 }), &mut a);
    s.settle(&mut a, std::time::Duration::from_secs(10));
    let m = a.message.clone().unwrap();
    assert!(
        m.text.contains("asked the commander for go as R1"),
        "{}",
        m.text
    );
    let inc = store.open("INC-1").unwrap().incident().clone();
    assert_eq!(inc.mitigations[0].status, MitigationStatus::Proposed);
    assert_eq!(inc.mitigations[0].request, Some(1));
    // Asking again does not send a second request.
    s.perform(Effect::Commit(Op::StartMitigation { id: 1 }), &mut a);
    s.settle(&mut a, std::time::Duration::from_secs(10));
    assert!(
        a.message
            .clone()
            .unwrap()
            .text
            .contains("waiting for the commander's go (R1)")
    );
    assert_eq!(store.open("INC-1").unwrap().incident().requests.len(), 1);
}

/// Moving down a list longer than the pane keeps the selected row in
/// view, highlighted under the cursor, and the rows above it scroll off.
#[test]
fn a_long_list_scrolls_to_the_selected_row() {
    let mut a = app("dave", incident());
    while a.room().unwrap().focus != Focus::Mitigations {
        press(&mut a, KeyCode::Tab);
    }
    let before = screen(&mut a, 100, 30);
    assert!(before.contains("M2 low"), "{before}");
    // Down to the last row: the task, below every suggestion.
    for _ in 0..60 {
        press(&mut a, KeyCode::Char('j'));
    }
    let buf = draw(
        &mut a,
        &Theme::built_in("default").unwrap(),
        t0() + Duration::minutes(20),
        100,
        30,
    );
    let s = to_text(&buf);
    assert!(
        s.contains("T1 Find the root cause"),
        "the last row is in view:\n{s}"
    );
    assert!(!s.contains("M2 low"), "the first rows scrolled off:\n{s}");
    // The highlighted (reversed) row is the task's, and only it.
    let reversed = crate::common::highlighted_rows(&buf);
    assert_eq!(reversed.len(), 1, "one row highlighted: {reversed:?}");
    assert!(
        reversed[0].contains("T1 Find the root cause"),
        "{reversed:?}"
    );
}

/// After `a` adds an idea, the selection moves to the mitigation it
/// became, so `s` starts it; a row someone else adds above does not move
/// the selection off its row.
#[test]
fn the_selection_follows_what_was_added() {
    use incident::tui::app::Msg;
    let mut inc = incident();
    let mut a = app("dave", inc.clone());
    while a.room().unwrap().focus != Focus::Mitigations {
        press(&mut a, KeyCode::Tab);
    }
    // Rows: M2, M1, M3 (failed), then suggestions.
    for _ in 0..3 {
        press(&mut a, KeyCode::Char('j'));
    }
    let Some(Effect::Commit(op @ Op::ProposeMitigation { .. })) = press(&mut a, KeyCode::Char('a'))
    else {
        panic!("expected a proposal");
    };
    let before = inc.mitigations.iter().map(|m| m.id).max().unwrap();
    apply(&mut inc, 30, "dave", op);
    let new = inc.mitigations.iter().map(|m| m.id).max().unwrap();
    assert!(new > before);
    a.update(Msg::Incident(&inc));
    assert_eq!(
        press(&mut a, KeyCode::Char('s')),
        Some(Effect::Commit(Op::StartMitigation { id: new })),
        "{:?}",
        a.message
    );
    // Someone else adds a routine fix, sorted above: dave's row stays his.
    apply(
        &mut inc,
        31,
        "carol",
        mit(
            "flush the CDN cache",
            MitigationKind::Custom,
            Risk::Low,
            Speed::Quick,
        ),
    );
    a.update(Msg::Incident(&inc));
    assert_eq!(
        press(&mut a, KeyCode::Char('s')),
        Some(Effect::Commit(Op::StartMitigation { id: new }))
    );
}

/// A mitigation that changes production says where it stands with the
/// go: not asked, asked (R1), given (with what to type to start it), on
/// hold; before, it read "needs go" after the commander said go (the
/// trial: carol was told "R1 go from alice" beside "M2 … needs go").
#[test]
fn a_mitigation_says_where_its_go_stands() {
    let row = |inc: &Incident| {
        let s = screen(&mut app("dave", inc.clone()), 120, 35);
        s.lines()
            .find(|l| l.contains(" M2 "))
            .unwrap_or_default()
            .to_string()
    };
    let mut inc = incident();
    assert!(row(&inc).contains("dave · needs go"), "{}", row(&inc));
    apply(
        &mut inc,
        9,
        "dave",
        Op::Announce {
            text: "start M2: Roll back payments to 26-2".into(),
            mitigation: Some(2),
        },
    );
    assert!(row(&inc).contains("needs go (R1 asked)"), "{}", row(&inc));
    let answered = |go: bool| {
        let mut inc = inc.clone();
        apply(
            &mut inc,
            10,
            "alice",
            Op::Answer {
                request: 1,
                go,
                reason: (!go).then(|| "wait for the replica".into()),
            },
        );
        row(&inc)
    };
    let given = answered(true);
    assert!(given.contains("go given (R1): :start M2"), "{given}");
    assert!(!given.contains("needs go"), "{given}");
    let held = answered(false);
    assert!(held.contains("on hold (R1)"), "{held}");
}

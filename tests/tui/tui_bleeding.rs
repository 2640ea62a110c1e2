//! The "what is bleeding" pane: snapshots, large graphs, keys.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Actor, Evidence, Incident, Role, SystemStatus};
use incident::ops::Op;
use incident::systems::SystemSpec;
use incident::tui::app::{App, Effect, Focus, Overlay, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::theme::Theme;

fn t0() -> DateTime<Utc> {
    crate::common::fixture_t0()
}

fn apply(inc: &mut Incident, min: i64, who: &str, op: Op) {
    crate::common::apply_to(inc, t0(), min, who, op);
}

fn set(name: &str, status: SystemStatus, evidence: Option<&str>) -> Op {
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

fn spec(name: &str, deps: &[&str]) -> SystemSpec {
    SystemSpec {
        name: name.into(),
        owner: None,
        note: None,
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
    }
}

/// checkout -> payments -> {postgres ok, redis ?}; checkout -> cart.
fn incident() -> Incident {
    let mut inc = crate::common::Fixture::declared("INC-7", t0()).incident;
    use SystemStatus::*;
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
        Op::ImportSystems {
            source: "catalog-info.yaml".into(),
            systems: vec![
                spec("checkout", &["payments", "cart"]),
                spec("payments", &["postgres", "redis"]),
                spec("cart", &[]),
                spec("postgres", &[]),
                spec("redis", &[]),
            ],
        },
    );
    apply(
        &mut inc,
        2,
        "carol",
        set("checkout", Failing, Some("5xx 12%")),
    );
    apply(&mut inc, 3, "carol", set("payments", Failing, None));
    apply(
        &mut inc,
        4,
        "dave",
        set("postgres", Ok, Some("psql select 1")),
    );
    apply(
        &mut inc,
        5,
        "bob",
        Op::Assume {
            text: "fraud vendor is healthy".into(),
            source: Some("status page".into()),
        },
    );
    apply(
        &mut inc,
        6,
        "erin",
        Op::SetImpact {
            text: "EU card payments ~1200 customers/hour".into(),
        },
    );
    inc
}

/// The incident with payments depending on `n` more systems, all healthy.
fn with_shards(n: usize) -> Incident {
    let mut inc = incident();
    let shards: Vec<String> = (0..n).map(|i| format!("shard-{i:03}")).collect();
    let deps: Vec<&str> = shards.iter().map(String::as_str).collect();
    apply(
        &mut inc,
        7,
        "carol",
        Op::ImportSystems {
            source: "shards.toml".into(),
            systems: vec![spec("payments", &deps)],
        },
    );
    for s in &shards {
        apply(&mut inc, 8, "carol", set(s, SystemStatus::Ok, Some("ping")));
    }
    inc
}

fn app(inc: Incident) -> App {
    App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(inc))),
    )
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
    insta::assert_snapshot!(screen(&mut app(incident()), 80, 24));
}

#[test]
fn pane_160x48() {
    insta::assert_snapshot!(screen(&mut app(incident()), 160, 48));
}

#[test]
fn pane_120x35_and_200x50() {
    for (w, h) in [(120, 35), (200, 50)] {
        insta::assert_snapshot!(format!("pane_{w}x{h}"), screen(&mut app(incident()), w, h));
    }
}

#[test]
fn the_suspect_is_marked_and_checks_are_shown() {
    let s = screen(&mut app(incident()), 170, 40);
    assert!(
        s.contains("payments FAILING ← suspected  unverified (14:03 carol)"),
        "{s}"
    );
    assert!(s.contains("postgres OK  verified 14:04 dave"), "{s}");
    assert!(s.contains("A1 unverified fraud vendor is healthy"), "{s}");
    assert!(s.contains("Check next redis (2), cart (1)"), "{s}");
}

#[test]
fn hundreds_of_systems_fold_and_open_with_the_keyboard() {
    // payments depends on 300 healthy shards: they fold into one row.
    let mut a = app(with_shards(300));
    let s = screen(&mut a, 120, 35);
    assert!(
        s.contains("payments FAILING ← suspected +301"),
        "300 shards and postgres fold: {s}"
    );
    assert!(!s.contains("shard-000"), "{s}");
    // Short of rows, the unchecked redis folds too (check next names it).
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("payments FAILING ← suspected +302"), "{s}");
    assert!(s.contains("Check next redis"), "{s}");

    // Tab to the pane (input -> log -> roles -> bleeding), select payments, open it.
    for _ in 0..3 {
        press(&mut a, KeyCode::Tab);
    }
    assert_eq!(a.room().unwrap().focus, Focus::Bleeding);
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Enter);
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("shard-000"), "{s}");
    // Focus on payments alone, then back to everything.
    press(&mut a, KeyCode::Char('f'));
    let s = screen(&mut a, 80, 24);
    assert!(s.contains("under payments"), "{s}");
    press(&mut a, KeyCode::Char('f'));
    assert!(!screen(&mut a, 80, 24).contains("under payments"));
}

#[test]
fn commands_for_systems_assumptions_and_impact() {
    let mut a = app(incident());
    for (typed, want) in [
        (
            ":sys redis ok redis-cli ping PONG",
            set("redis", SystemStatus::Ok, Some("redis-cli ping PONG")),
        ),
        (
            ":dep cart -> redis",
            Op::Depend {
                system: "cart".into(),
                on: "redis".into(),
            },
        ),
        (
            ":assume dns is fine",
            Op::Assume {
                text: "dns is fine".into(),
                source: None,
            },
        ),
        (
            ":impact 40% of EU checkouts",
            Op::SetImpact {
                text: "40% of EU checkouts".into(),
            },
        ),
    ] {
        for c in typed.chars() {
            press(&mut a, KeyCode::Char(c));
        }
        assert_eq!(
            press(&mut a, KeyCode::Enter),
            Some(Effect::Commit(want)),
            "{typed}"
        );
    }
    for c in ":assumptions".chars() {
        press(&mut a, KeyCode::Char(c));
    }
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.overlay, Some(Overlay::Assumptions));
    let s = screen(&mut a, 100, 30);
    assert!(
        s.contains("1 unverified") && s.contains("UNVERIFIED") && s.contains("per status page"),
        "{s}"
    );
}

#[test]
fn no_size_panics_with_a_big_graph() {
    let mut inc = incident();
    let names: Vec<String> = (0..200).map(|i| format!("svc-{i}")).collect();
    let systems: Vec<SystemSpec> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            spec(
                n,
                &[
                    names[(i * 7 + 1) % 200].as_str(),
                    names[(i * 13 + 5) % 200].as_str(),
                ],
            )
        })
        .collect();
    apply(
        &mut inc,
        7,
        "carol",
        Op::ImportSystems {
            source: "big.json".into(),
            systems,
        },
    );
    for n in names.iter().step_by(3) {
        apply(&mut inc, 8, "carol", set(n, SystemStatus::Failing, None));
    }
    let mut a = app(inc);
    let theme = Theme::built_in("default").unwrap();
    for w in [1, 20, 39, 40, 59, 60, 80, 120, 200] {
        for h in [1, 9, 10, 15, 16, 24, 30, 48, 60] {
            draw(&mut a, &theme, t0(), w, h);
        }
    }
}

/// As other responders write, the pane follows: a log entry leaves it as
/// it was, and a system changed after that shows at once.
#[test]
fn the_pane_follows_changes_that_arrive_after_a_log_entry() {
    let mut file = incident();
    let mut a = app(file.clone());
    let first = screen(&mut a, 170, 40);
    assert!(first.contains("redis UNKNOWN"), "{first}");
    apply(
        &mut file,
        7,
        "bob",
        Op::Log {
            kind: incident::model::LogKind::Note,
            text: "looking at redis".into(),
        },
    );
    a.room_mut().unwrap().update(&file, "alice");
    let after_note = screen(&mut a, 170, 40);
    assert!(after_note.contains("looking at redis"), "{after_note}");
    assert!(after_note.contains("redis UNKNOWN"), "{after_note}");
    apply(
        &mut file,
        8,
        "bob",
        set("redis", SystemStatus::Failing, Some("timeouts")),
    );
    a.room_mut().unwrap().update(&file, "alice");
    let after_change = screen(&mut a, 170, 40);
    assert!(after_change.contains("redis FAILING"), "{after_change}");
}

/// Moving down an opened tree longer than the pane keeps the selected
/// row in view and highlighted; the rows above it scroll off.
#[test]
fn a_long_tree_scrolls_to_the_selected_row() {
    let mut a = app(with_shards(60));
    for _ in 0..3 {
        press(&mut a, KeyCode::Tab);
    }
    assert_eq!(a.room().unwrap().focus, Focus::Bleeding);
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Enter);
    for _ in 0..40 {
        press(&mut a, KeyCode::Char('j'));
    }
    let buf = draw(
        &mut a,
        &Theme::built_in("default").unwrap(),
        t0() + Duration::minutes(20),
        100,
        40,
    );
    let s = to_text(&buf);
    assert!(
        !s.contains("checkout FAILING"),
        "the top scrolled off:\n{s}"
    );
    let reversed = crate::common::highlighted_rows(&buf);
    assert_eq!(reversed.len(), 1, "one row highlighted: {reversed:?}\n{s}");
    let selected = a.room().unwrap().bleeding.tree.selected;
    assert!(selected >= 40, "moved down: {selected}");
    assert!(
        reversed[0].contains("shard-0"),
        "a shard is selected: {reversed:?}"
    );
}

/// checkout -> payments -> stripe; payments failing, stripe degraded;
/// A1 "the payments deploy caused the 5xx" still unverified.
fn stripe_room() -> Incident {
    use SystemStatus::*;
    let mut inc = crate::common::Fixture::declared("INC-7", t0()).incident;
    apply(
        &mut inc,
        0,
        "alice",
        Op::ImportSystems {
            source: "map.toml".into(),
            systems: vec![
                spec("checkout", &["payments"]),
                spec("payments", &["stripe"]),
                spec("stripe", &[]),
            ],
        },
    );
    apply(
        &mut inc,
        1,
        "carol",
        set("checkout", Failing, Some("5xx 12%")),
    );
    apply(&mut inc, 1, "carol", set("payments", Failing, Some("5xx")));
    apply(
        &mut inc,
        1,
        "carol",
        set("stripe", Degraded, Some("3% timeouts")),
    );
    apply(
        &mut inc,
        2,
        "bob",
        Op::Assume {
            text: "the payments deploy caused the 5xx".into(),
            source: None,
        },
    );
    inc
}

fn evidence(text: &str) -> Evidence {
    Evidence {
        text: text.into(),
        entry: None,
    }
}

#[test]
fn the_pane_puts_the_named_or_verified_cause_above_the_graph_guess_as_things_move() {
    let mut inc = stripe_room();
    let s = screen(&mut app(inc.clone()), 80, 24);
    assert!(s.contains("stripe DEGRADED ← suspected"), "{s}");
    assert!(!s.contains("Cause "), "{s}");

    // A1 verified: payments is the cause, stripe only the graph's guess.
    apply(
        &mut inc,
        3,
        "bob",
        Op::Verify {
            id: 1,
            evidence: evidence("deploy 14:02, 5xx from 14:03"),
        },
    );
    let s = screen(&mut app(inc.clone()), 80, 24);
    assert!(s.contains("payments FAILING ← cause"), "{s}");
    assert!(s.contains("stripe DEGRADED ← guess"), "{s}");
    assert!(!s.contains("← suspected"), "{s}");
    assert!(
        s.contains("Cause payments FAILING  A1 verified 14:03"),
        "{s}"
    );
    assert!(s.contains("Graph's guess stripe (degraded)"), "{s}");
    let cause = s.find("Cause payments").unwrap();
    assert!(cause < s.find("Graph's guess").unwrap(), "{s}");

    // Named by hand: it leads, with who named it and why.
    apply(
        &mut inc,
        4,
        "carol",
        Op::NameSuspect {
            system: "stripe".into(),
            because: Some(incident::model::CauseLink::Entry(4)),
        },
    );
    let s = screen(&mut app(inc.clone()), 80, 24);
    assert!(s.contains("stripe DEGRADED ← cause"), "{s}");
    assert!(
        s.contains("Cause stripe DEGRADED  named by carol, #4 14:04"),
        "{s}"
    );
    assert!(
        s.find("Cause stripe").unwrap() < s.find("Cause payments").unwrap(),
        "{s}"
    );
    assert!(!s.contains("Graph's guess"), "{s}");

    // Cleared, then everything recovers: the verified cause stays, no guess.
    apply(&mut inc, 5, "carol", Op::ClearSuspect);
    for name in ["stripe", "payments", "checkout"] {
        apply(
            &mut inc,
            6,
            "carol",
            set(name, SystemStatus::Ok, Some("green")),
        );
    }
    apply(
        &mut inc,
        7,
        "alice",
        Op::set_status(incident::model::Status::Resolved),
    );
    let s = screen(&mut app(inc), 80, 24);
    // The pane alone: the log below says what happened on the way.
    let pane = &s[..s.find("Action log").unwrap()];
    assert!(pane.contains("Cause payments OK  A1 verified 14:03"), "{s}");
    assert!(!pane.contains("stripe"), "{s}");
    assert!(!pane.contains("guess"), "{s}");
}

#[test]
fn suspect_is_named_and_cleared_from_the_command_bar() {
    let mut a = app(stripe_room());
    for (typed, want) in [
        (
            ":suspect payments A1",
            Ok(Op::NameSuspect {
                system: "payments".into(),
                because: Some(incident::model::CauseLink::Assumption(1)),
            }),
        ),
        (
            ":suspect payments #3",
            Ok(Op::NameSuspect {
                system: "payments".into(),
                because: Some(incident::model::CauseLink::Entry(3)),
            }),
        ),
        (
            ":suspect stripe",
            Ok(Op::NameSuspect {
                system: "stripe".into(),
                because: None,
            }),
        ),
        (":suspect clear", Ok(Op::ClearSuspect)),
        (":suspect --clear", Ok(Op::ClearSuspect)),
        (
            ":suspect payments 3",
            Err("'3' is not a reason: give an assumption (A2) or a log entry (#12)"),
        ),
    ] {
        let got = incident::tui::command::parse(&typed[1..], "alice").map(|c| match c {
            incident::tui::command::Command::Op(op) => op,
            other => panic!("{typed}: {other:?}"),
        });
        assert_eq!(got, want.map_err(str::to_string), "{typed}");
    }
    // Typed in the bar, it becomes the operation.
    for c in ":suspect payments A1".chars() {
        press(&mut a, KeyCode::Char(c));
    }
    assert_eq!(
        press(&mut a, KeyCode::Enter),
        Some(Effect::Commit(Op::NameSuspect {
            system: "payments".into(),
            because: Some(incident::model::CauseLink::Assumption(1)),
        }))
    );
}

/// An impact too long for one row wraps onto more (up to three): the band
/// is sized for those rows where the screen has them, so the words are
/// read whole, not cut after the first row with '… 2 more'.
#[test]
fn a_wrapped_impact_is_given_its_rows() {
    let mut inc = incident();
    apply(
        &mut inc,
        7,
        "erin",
        Op::SetImpact {
            text: "EU card payments in Germany, France and Spain ~1200 customers/hour fail at the last step of paying, and retries make it worse".into(),
        },
    );
    use SystemStatus::*;
    apply(&mut inc, 8, "carol", set("cart", Failing, None));
    apply(&mut inc, 8, "carol", set("redis", Degraded, None));
    // A screen with rows to spare (the pane may take fourteen).
    let s = screen(&mut app(inc), 100, 45);
    assert!(s.contains("make it worse"), "{s}");
    assert!(!s.contains("Tab to this pane"), "{s}");
}

/// Eight failing systems under payments-api (every one bleeding, so the
/// compact tree is the whole tree) and a long impact.
fn eight_failing() -> Incident {
    let mut inc = crate::common::Fixture::declared("INC-7", t0()).incident;
    apply(
        &mut inc,
        1,
        "carol",
        Op::ImportSystems {
            source: "catalog-info.yaml".into(),
            systems: vec![
                spec("checkout-web", &["payments-api"]),
                spec(
                    "payments-api",
                    &["card-gateway", "fraud-api", "ledger-db", "token-vault"],
                ),
                spec("card-gateway", &["eu-edge-proxy"]),
                spec("fraud-api", &["risk-scoring"]),
                spec("ledger-db", &["settlement-batch"]),
            ],
        },
    );
    for s in [
        "payments-api",
        "card-gateway",
        "eu-edge-proxy",
        "fraud-api",
        "risk-scoring",
        "ledger-db",
        "settlement-batch",
        "token-vault",
    ] {
        apply(&mut inc, 2, "carol", set(s, SystemStatus::Failing, None));
    }
    apply(
        &mut inc,
        3,
        "erin",
        Op::SetImpact {
            text: "EU card payments failing at checkout, ~1200 customers/hour unable to pay, \
                   merchants in DE FR NL reporting declined cards"
                .into(),
        },
    );
    inc
}

/// A tree taller than the pane no longer pushes the impact out: not
/// focused, the impact stays in view under the first rows of the tree
/// (the rest counted); walked through with Tab and j, the last row of the
/// tree brings the impact into view, as the "Tab to this pane" row says.
#[test]
fn a_tall_tree_leaves_the_impact_in_view_at_every_size() {
    for (w, h) in [(80, 24), (120, 35)] {
        let mut a = app(eight_failing());
        let s = screen(&mut a, w, h);
        assert!(
            s.contains("~1200 customers/hour"),
            "impact in view at {w}x{h}:\n{s}"
        );
        assert!(s.contains("more (Tab to this pane)"), "{w}x{h}:\n{s}");
        while a.room().unwrap().focus != Focus::Bleeding {
            press(&mut a, KeyCode::Tab);
        }
        for _ in 0..12 {
            press(&mut a, KeyCode::Char('j'));
        }
        let s = screen(&mut a, w, h);
        assert!(
            s.contains("~1200 customers/hour") && s.contains("token-vault FAILING"),
            "walked to the end at {w}x{h}, the impact shows:\n{s}"
        );
    }
}

/// An empty role's hint is the sentence where it fits and the bare
/// command where it does not, never a command cut short (at 200x50 the
/// Roles pane beside what is bleeding read "No commander: type :claim i").
#[test]
fn an_empty_roles_command_is_never_cut() {
    let mut inc = crate::common::Fixture::declared("INC-7", t0()).incident;
    apply(
        &mut inc,
        1,
        "carol",
        set("payments", SystemStatus::Failing, Some("p99 30s")),
    );
    for (w, h) in [
        (80, 24),
        (100, 30),
        (120, 35),
        (160, 48),
        (199, 50),
        (200, 50),
        (240, 60),
    ] {
        let mut app = App::new(
            Actor::named("bob"),
            Screen::Room(Box::new(Room::new(inc.clone()))),
        );
        let s = screen(&mut app, w, h);
        for role in ["ic", "comms"] {
            let shown = s
                .lines()
                .find(|l| l.contains(":claim "))
                .map(|_| s.contains(&format!(":claim {role}")));
            assert_eq!(shown, Some(true), "{w}x{h}: ':claim {role}' whole\n{s}");
        }
        assert!(
            !s.contains(":claim i…") && !s.contains(":claim i│"),
            "{w}x{h}\n{s}"
        );
    }
}

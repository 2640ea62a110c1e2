//! Every size shows what matters: `incident --demo` at 80x24, 100x30,
//! 120x35, 160x48 and 200x50, snapshotted, with each part of the practice
//! checked on screen: the roles, what is bleeding, the action log and the
//! break; the next update's countdown in the header; a mitigation's text
//! long enough to read; bleeding rows that keep what they say.

use chrono::{DateTime, Duration, TimeZone, Utc};
use incident::model::{Actor, BreakKind, Role};
use incident::ops::{self, Op, Record};
use incident::store::Store;
use incident::store::presence::Here;
use incident::tui::app::{App, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::theme::Theme;

const SIZES: [(u16, u16); 5] = [(80, 24), (100, 30), (120, 35), (160, 48), (200, 50)];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 16, 30, 0).unwrap()
}

/// The demo as `incident --demo` opens it: written to a directory, read
/// back by the store, one newcomer looking at it.
fn demo() -> App {
    let dir = tempfile::tempdir().unwrap();
    let id = incident::demo::write(dir.path(), now()).unwrap();
    let file = Store::new(dir.path()).open(&id).unwrap();
    let mut room = Room::new(file.incident().clone());
    room.around.here = vec![Here {
        actor: Actor::named("newcomer"),
        joined_at: now() - Duration::minutes(2),
        pid: 1,
    }];
    let mut app = App::new(Actor::named("newcomer"), Screen::Room(Box::new(room)));
    app.set_demo(true);
    app
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let theme = Theme::built_in("default").unwrap();
    to_text(&draw(app, &theme, now(), w, h))
}

fn apply(app: &mut App, who: &str, op: Op) {
    let room = app.room_mut().unwrap();
    let rec = Record {
        at: now() - Duration::minutes(1),
        by: Actor::named(who),
        op,
    };
    ops::apply(&mut room.incident, &rec).unwrap();
}

/// The text of the mitigations pane's row starting with `mark` (as "✓ M1"):
/// what is between the risk and speed columns and the owner.
fn mitigation_text(screen: &str, mark: &str) -> String {
    let line = screen
        .lines()
        .find(|l| l.contains(mark))
        .unwrap_or_else(|| panic!("no {mark} row:\n{screen}"));
    let row = &line[line.find(mark).unwrap()..];
    let after = row.split_once("quick  ").expect("speed column").1;
    let text = after.split("  ").next().unwrap();
    text.trim_end_matches('│').trim_end().to_string()
}

#[test]
fn demo_80x24() {
    insta::assert_snapshot!(screen(&mut demo(), 80, 24));
}

#[test]
fn demo_100x30() {
    insta::assert_snapshot!(screen(&mut demo(), 100, 30));
}

#[test]
fn demo_120x35() {
    insta::assert_snapshot!(screen(&mut demo(), 120, 35));
}

#[test]
fn demo_160x48() {
    insta::assert_snapshot!(screen(&mut demo(), 160, 48));
}

#[test]
fn demo_200x50() {
    insta::assert_snapshot!(screen(&mut demo(), 200, 50));
}

#[test]
fn the_four_parts_are_on_every_size() {
    for (w, h) in SIZES {
        let s = screen(&mut demo(), w, h);
        for part in ["Roles", "What is bleeding", "Action log", "Break"] {
            assert!(s.contains(part), "{w}x{h} has no {part}:\n{s}");
        }
        // The break: what calls the next one, and who has been on longest.
        assert!(s.contains("next: when the IC calls it"), "{w}x{h}:\n{s}");
        assert!(
            s.contains("on longest: newcomer 2m") || s.contains("on shift:"),
            "{w}x{h}:\n{s}"
        );
        assert!(s.contains("Commander alice"), "{w}x{h}:\n{s}");
        // The newest entry is in the log.
        assert!(s.contains("back to normal"), "{w}x{h}:\n{s}");
    }
}

#[test]
fn the_header_says_demo_and_counts_down_to_the_next_update() {
    for (w, h) in SIZES {
        let s = screen(&mut demo(), w, h);
        let header = s.lines().next().unwrap();
        assert!(header.starts_with(" DEMO "), "{w}x{h}: {header}");
        // bob holds communications; the demo's last update was at 16:25.
        assert!(header.contains("update in 15m"), "{w}x{h}: {header}");
        if w >= 100 {
            assert!(header.contains("next update in 15m"), "{w}x{h}: {header}");
        }
    }
    // A real incident's header does not say DEMO.
    let mut app = demo();
    app.set_demo(false);
    let s = screen(&mut app, 120, 35);
    assert!(s.lines().next().unwrap().starts_with(" INC-1 "), "{s}");
}

#[test]
fn the_countdown_gives_way_only_without_comms() {
    // A long impact used to push the countdown out of the header.
    let mut app = demo();
    apply(
        &mut app,
        "bob",
        Op::SetImpact {
            text: "EU and UK card payments, about 1,200 customers an hour, and the mobile app's checkout"
                .into(),
        },
    );
    for (w, h) in SIZES {
        let s = screen(&mut app, w, h);
        let header = s.lines().next().unwrap();
        assert!(header.contains("update in 15m"), "{w}x{h}: {header}");
    }
    // With nobody in communications, "No comms" is what the header keeps.
    apply(
        &mut app,
        "alice",
        Op::SetRole {
            role: Role::Communications,
            user: None,
        },
    );
    let s = screen(&mut app, 80, 24);
    let header = s.lines().next().unwrap();
    assert!(header.contains("No comms"), "{header}");
    assert!(!header.contains("update in"), "{header}");
}

#[test]
fn mitigations_show_their_text_and_say_the_key_once() {
    for (w, h) in SIZES.into_iter().filter(|(w, _)| *w >= 120) {
        let s = screen(&mut demo(), w, h);
        let done = mitigation_text(&s, "✓ M1");
        assert!(
            done.chars().count() >= 30 && done.starts_with("Roll back payments to 2026.11.26-2"),
            "{w}x{h}: {done:?}\n{s}"
        );
        // The longest idea too.
        let idea = s
            .lines()
            .find(|l| l.contains("Scale down non-essential queues"))
            .unwrap_or_else(|| panic!("{w}x{h}:\n{s}"));
        assert!(
            idea.contains("Scale down non-essential queues fe"),
            "{w}x{h}: {idea}"
        );
    }
    for (w, h) in SIZES {
        let s = screen(&mut demo(), w, h);
        assert!(
            s.contains("Mitigations · 0 open · a adds an idea"),
            "{w}x{h}:\n{s}"
        );
        assert!(
            !s.lines()
                .any(|l| l.contains("+ idea") && l.contains(" a adds")),
            "{w}x{h}: the key is in the title, not on the rows:\n{s}"
        );
    }
}

#[test]
fn bleeding_rows_keep_name_status_and_the_suspect() {
    for (w, h) in SIZES {
        let s = screen(&mut demo(), w, h);
        assert!(s.contains("checkout FAILING"), "{w}x{h}:\n{s}");
        assert!(s.contains("payments FAILING ← suspected"), "{w}x{h}:\n{s}");
        // What to check next and the impact stay under the tree.
        assert!(s.contains("Check next fraud-api (2)"), "{w}x{h}:\n{s}");
        assert!(
            s.contains("A1 unverified fraud-api is healthy"),
            "{w}x{h}:\n{s}"
        );
        // (The demo is mitigated: its impact is history.)
        assert!(s.contains("Impact was EU card payments"), "{w}x{h}:\n{s}");
        // Nothing under the tree is cut off unsaid: the systems to check
        // that do not fit are counted, the impact's words read whole.
        let next = s.lines().find(|l| l.contains("Check next")).unwrap();
        assert!(!next.contains("…"), "{w}x{h}: {next}");
        if !next.contains("cart (1)") {
            assert!(next.contains("more in the tree"), "{w}x{h}: {next}");
        }
        assert!(s.contains("customers/hour"), "{w}x{h}:\n{s}");
        // A row too narrow for all of it drops the checker, not the suspect.
        let row = s.lines().find(|l| l.contains("payments FAILING")).unwrap();
        assert!(!row.contains("suspec…"), "{w}x{h}: {row}");
    }
    // Wide enough, the whole tree with who checked what.
    let s = screen(&mut demo(), 160, 48);
    assert!(s.contains("postgres OK  verified 15:50 carol"), "{s}");
    assert!(s.contains("redis UNKNOWN  unchecked"), "{s}");
}

#[test]
fn a_running_break_is_on_every_size() {
    let mut app = demo();
    apply(
        &mut app,
        "alice",
        Op::StartBreak {
            kind: BreakKind::Team,
            minutes: 20,
            reason: Some("eat something".into()),
        },
    );
    for (w, h) in SIZES {
        let s = screen(&mut app, w, h);
        assert!(s.contains("TEAM BREAK 19:00 left"), "{w}x{h}:\n{s}");
        assert!(s.contains("19:00 left"), "{w}x{h}:\n{s}");
    }
}

/// The demo with three other incidents active: the line naming them sits
/// under the header, worst first, each with what it shares and `:merge`,
/// and what does not fit is counted; the other panes keep their place.
fn with_others() -> App {
    use incident::model::{Severity, Status};
    use incident::tui::room::OtherIncident;
    let mut app = demo();
    let other = |id: &str, severity, status, min: i64, systems: &[&str]| OtherIncident {
        id: id.into(),
        severity,
        status,
        declared_at: now() - Duration::minutes(min),
        systems: systems.iter().map(|s| s.to_string()).collect(),
    };
    app.room_mut().unwrap().around.others_active = vec![
        other(
            "INC-2",
            Severity::Sev1,
            Status::Investigating,
            20,
            &["payments", "ledger"],
        ),
        other(
            "INC-4",
            Severity::Sev2,
            Status::Mitigated,
            50,
            &["postgres"],
        ),
        other(
            "INC-5",
            Severity::Sev3,
            Status::Investigating,
            5,
            &["search"],
        ),
    ];
    app
}

#[test]
fn others_80x24() {
    let s = screen(&mut with_others(), 80, 24);
    let line = s.lines().nth(1).unwrap();
    assert!(
        line.contains("INC-2 SEV1 investigating, shares payments on it: :merge INC-1")
            && line.contains("+2 more"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn others_120x35() {
    let s = screen(&mut with_others(), 120, 35);
    // The rest counted, and where to see them (the width has room).
    assert!(s.contains(" · +2 more (incident list)"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn others_200x50() {
    let s = screen(&mut with_others(), 200, 50);
    assert!(
        s.contains("INC-4 SEV2 mitigated, shares postgres on it: :merge INC-1")
            && s.contains("INC-5 SEV3 investigating on it: :merge INC-1"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

/// A longer shared system's name ("card-gateway") at 80 columns: what is
/// shared gives way before the `:merge` offer, which is what to type
/// (before, it read 'shares card-gateway on it: :merge …').
#[test]
fn the_merge_offer_keeps_its_id_when_the_shared_name_is_long() {
    let mut app = with_others();
    app.room_mut().unwrap().around.others_active[0].systems = vec!["card-gateway".into()];
    app.room_mut()
        .unwrap()
        .incident
        .systems
        .entry("card-gateway".into())
        .or_insert_with(|| incident::model::System::new("card-gateway"));
    let s = screen(&mut app, 80, 24);
    let line = s.lines().nth(1).unwrap();
    assert!(line.contains(":merge INC-1"), "{s}");
    assert!(line.contains("+2 more"), "{s}");
}

/// Once this incident has ended, nothing is offered to merge (a merge
/// into or out of an ended incident is refused: the trial's resolved
/// INC-1 said ':merge INC-1' beside its recurrence); a second shared
/// system is named as such, not '+1'.
#[test]
fn an_ended_incident_offers_no_merge_and_says_how_many_more_it_shares() {
    let mut app = with_others();
    {
        let room = app.room_mut().unwrap();
        room.incident
            .systems
            .entry("ledger".into())
            .or_insert_with(|| incident::model::System::new("ledger"));
    }
    let s = screen(&mut app, 200, 50);
    assert!(
        s.contains("INC-2 SEV1 investigating, shares payments and 1 more on it: :merge INC-1"),
        "{s}"
    );
    app.room_mut().unwrap().incident.status = incident::model::Status::Resolved;
    for (w, h) in [(80, 24), (120, 35), (200, 50)] {
        let s = screen(&mut app, w, h);
        let line = s.lines().find(|l| l.contains("Others:")).unwrap_or("");
        assert!(line.contains("INC-2 SEV1 investigating"), "{w}x{h}\n{s}");
        assert!(!line.contains(":merge"), "{w}x{h}\n{s}");
    }
}

//! Whole-screen snapshots of the live view on ratatui's TestBackend, and a
//! size sweep proving no size panics. Times are fixed, so nothing needs
//! masking; host names are never drawn.

use chrono::{DateTime, Duration, TimeZone, Utc};
use incident::model::{Actor, Incident, LogKind, Role, Severity, Status};
use incident::ops::{self, Op, Record};
use incident::store::presence::Here;
use incident::tui::app::{App, Overlay, Picker, PickerItem, Room, Screen, Welcome};
use incident::tui::headless::{draw, to_text};
use incident::tui::theme::Theme;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 14, 1, 0).unwrap()
}

fn now() -> DateTime<Utc> {
    t0() + Duration::seconds(42 * 60 + 13)
}

fn rec(min: i64, who: &str, op: Op) -> Record {
    Record {
        at: t0() + Duration::seconds(min * 60),
        by: Actor::named(who),
        op,
    }
}

fn note(min: i64, who: &str, kind: LogKind, text: &str) -> Record {
    rec(
        min,
        who,
        Op::Log {
            kind,
            text: text.into(),
        },
    )
}

fn incident() -> Incident {
    let mut inc = ops::genesis(
        "INC-7",
        &rec(
            0,
            "alice",
            Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev2,
                roles: vec![],
            },
        ),
    )
    .unwrap();
    for r in [
        rec(
            0,
            "alice",
            Op::SetRole {
                role: Role::Commander,
                user: Some("alice".into()),
            },
        ),
        note(
            2,
            "carol",
            LogKind::Announcement,
            "about to: kubectl rollout undo deploy/payments",
        ),
        note(
            3,
            "carol",
            LogKind::Action,
            "ran: kubectl rollout undo deploy/payments  exit 0  (1.2s)",
        ),
        note(
            5,
            "bob",
            LogKind::Note,
            "error rate falling: 12% -> 3% -> 0.4%; the payments pool exhaustion stopped right after the rollback finished",
        ),
        note(
            6,
            "dave",
            LogKind::Decision,
            "keep the deploy freeze until the post-mortem",
        ),
        rec(7, "alice", Op::set_status(Status::Mitigated)),
    ] {
        ops::apply(&mut inc, &r).unwrap();
    }
    inc
}

fn here(users: &[&str]) -> Vec<Here> {
    users
        .iter()
        .map(|u| Here {
            actor: Actor::named(u),
            joined_at: t0(),
            pid: 1,
        })
        .collect()
}

fn room_app(inc: Incident) -> App {
    let mut room = Room::new(inc);
    room.around.here = here(&["alice", "bob", "carol", "dave"]);
    App::new(Actor::named("alice"), Screen::Room(Box::new(room)))
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let theme = Theme::built_in("default").unwrap();
    to_text(&draw(app, &theme, now(), w, h))
}

#[test]
fn war_room_80x24() {
    insta::assert_snapshot!(screen(&mut room_app(incident()), 80, 24));
}

#[test]
fn war_room_160x48() {
    insta::assert_snapshot!(screen(&mut room_app(incident()), 160, 48));
}

#[test]
fn help_overlay() {
    let mut app = room_app(incident());
    app.overlay = Some(Overlay::Help(0));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn picker() {
    let mut other = ops::genesis(
        "INC-8",
        &rec(
            30,
            "erin",
            Op::Declare {
                title: "Search latency".into(),
                severity: Severity::Sev3,
                roles: vec![],
            },
        ),
    )
    .unwrap();
    ops::apply(
        &mut other,
        &rec(
            31,
            "erin",
            Op::SetRole {
                role: Role::Commander,
                user: Some("erin".into()),
            },
        ),
    )
    .unwrap();
    let picker = Picker {
        items: vec![
            PickerItem {
                incident: other,
                here: 1,
            },
            PickerItem {
                incident: incident(),
                here: 4,
            },
        ],
        selected: 0,
    };
    let mut app = App::new(Actor::named("alice"), Screen::Picker(picker));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn welcome() {
    let mut app = App::new(Actor::named("alice"), Screen::Welcome(Welcome::default()));
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn too_small() {
    let text = screen(&mut room_app(incident()), 39, 9);
    assert_eq!(
        text.lines().next().unwrap(),
        "Too small: need 40x10, have 39x9"
    );
}

#[test]
fn empty_roles_say_how_to_claim_them() {
    let inc = ops::genesis(
        "INC-1",
        &rec(
            0,
            "alice",
            Op::Declare {
                title: "x".into(),
                severity: Severity::Sev1,
                roles: vec![],
            },
        ),
    )
    .unwrap();
    let text = screen(&mut room_app(inc), 80, 24);
    assert!(text.contains("No commander: type :claim ic"), "{text}");
    assert!(text.contains("No comms: type :claim comms"), "{text}");
    assert!(text.lines().next().unwrap().contains("No IC"), "{text}");
}

#[test]
fn no_size_panics() {
    let mut apps = vec![
        room_app(incident()),
        App::new(Actor::named("a"), Screen::Welcome(Welcome::default())),
        App::new(
            Actor::named("a"),
            Screen::Picker(Picker {
                items: vec![PickerItem {
                    incident: incident(),
                    here: 2,
                }],
                selected: 0,
            }),
        ),
    ];
    let mut help = room_app(incident());
    help.overlay = Some(Overlay::Help(3));
    apps.push(help);
    let theme = Theme::built_in("default").unwrap();
    // Every small size (where layouts break), then a coarse grid up to 500x200.
    let small = (1..=45).flat_map(|w| (1..=26).map(move |h| (w, h)));
    let large = (46..=500)
        .step_by(53)
        .flat_map(|w| (27..=200).step_by(43).map(move |h| (w, h)));
    for (w, h) in small.chain(large).chain([(80, 24), (160, 48), (500, 200)]) {
        for app in &mut apps {
            draw(app, &theme, now(), w, h);
        }
    }
}

#[test]
fn day_boundaries_and_old_entries_show_dates() {
    let mut inc = incident();
    // An entry the next day: a separator must name that day.
    let next_day = Record {
        at: t0() + Duration::hours(24),
        by: Actor::named("bob"),
        op: Op::Log {
            kind: LogKind::Note,
            text: "still here".into(),
        },
    };
    ops::apply(&mut inc, &next_day).unwrap();
    let mut app = room_app(inc);
    let theme = Theme::built_in("default").unwrap();
    let later = t0() + Duration::hours(25);
    let text = to_text(&draw(&mut app, &theme, later, 100, 30));
    assert!(text.contains("Thu 26 Nov 2026"), "{text}");
    assert!(text.contains("Fri 27 Nov 2026"), "{text}");
}

#[test]
fn hostile_text_renders_without_escapes_and_keeps_columns() {
    let mut inc = incident();
    let evil = "\u{1b}[2J\u{1b}]0;pwned\u{7}red\u{1b}[31m 世界 \u{202e}abc\tz\u{9b}";
    ops::apply(&mut inc, &note(8, "mallory", LogKind::Note, evil)).unwrap();
    let text = screen(&mut room_app(inc), 100, 30);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{7}'));
    assert!(!text.contains('\u{202e}'));
    let row = text.lines().find(|l| l.contains("mallory")).unwrap();
    // The right border is still in the last column.
    assert_eq!(
        unicode_width::UnicodeWidthStr::width(row.trim_end()),
        100,
        "{row}"
    );
}

#[test]
fn commander_asked_to_clear_a_request_80x24() {
    let mut inc = incident();
    for (min, who, op) in [
        (
            9,
            "carol",
            Op::Announce {
                text: "restart db-2 (replica)".into(),
                mitigation: None,
            },
        ),
        (
            9,
            "alice",
            Op::OfferRole {
                role: Role::Commander,
                to: "bob".into(),
            },
        ),
    ] {
        ops::apply(&mut inc, &rec(min, who, op)).unwrap();
    }
    insta::assert_snapshot!(screen(&mut room_app(inc), 80, 24));
}

/// Help, the picker and the welcome screen at the other sizes of [22]'s
/// trial (80x24 above).
#[test]
fn help_picker_and_welcome_at_120x35_and_200x50() {
    for (w, h) in [(120, 35), (200, 50)] {
        let mut app = room_app(incident());
        app.overlay = Some(Overlay::Help(0));
        insta::assert_snapshot!(format!("help_overlay_{w}x{h}"), screen(&mut app, w, h));
        let picker = Picker {
            items: vec![PickerItem {
                incident: incident(),
                here: 4,
            }],
            selected: 0,
        };
        let mut app = App::new(Actor::named("alice"), Screen::Picker(picker));
        insta::assert_snapshot!(format!("picker_{w}x{h}"), screen(&mut app, w, h));
        let mut app = App::new(Actor::named("alice"), Screen::Welcome(Welcome::default()));
        insta::assert_snapshot!(format!("welcome_{w}x{h}"), screen(&mut app, w, h));
    }
}

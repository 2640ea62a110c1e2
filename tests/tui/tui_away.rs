//! Someone holding a role with no view open is shown away, everywhere the
//! role is shown, and a request waiting on an away commander says how to
//! take over.

use crate::common::{Fixture, fixture_t0};
use chrono::Duration;
use incident::model::{Actor, Role};
use incident::ops::Op;
use incident::store::presence::{Here, Roster};
use incident::tui::app::{App, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::theme::Theme;

fn screen(room: Room, min: i64, w: u16, h: u16) -> String {
    let mut app = App::new(Actor::named("carol"), Screen::Room(Box::new(room)));
    let theme = Theme::built_in("default").unwrap();
    to_text(&draw(
        &mut app,
        &theme,
        fixture_t0() + Duration::minutes(min),
        w,
        h,
    ))
}

fn here(who: &str) -> Here {
    Here {
        actor: Actor::named(who),
        joined_at: fixture_t0(),
        pid: 1,
    }
}

/// bob took command at 14:01 and wrote nothing since; carol asked for go
/// at 14:02.
fn room() -> Room {
    let mut f = Fixture::declared("INC-7", fixture_t0());
    f.apply(
        1,
        "bob",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    f.apply(
        2,
        "carol",
        Op::Announce {
            text: "restart payments-1".into(),
            mitigation: None,
        },
    );
    let mut room = Room::new(f.incident);
    room.set_roster(Roster {
        here: vec![here("carol")],
        seen: Default::default(),
        ..Default::default()
    });
    room
}

#[test]
fn a_holder_with_no_view_open_is_away_in_the_header_and_the_roles_pane() {
    let s = screen(room(), 5, 100, 30);
    let header = s.lines().next().unwrap();
    assert!(header.contains("IC bob · away 4m"), "{s}");
    assert!(s.contains("Commander bob · away 4m"), "{s}");
    // The request has waited 3 minutes: the takeover is offered, with when.
    assert!(
        s.contains("│IC bob away 4m, no view…│") && s.contains("│:takeover ic in 1m"),
        "{s}"
    );
    // At 80x24 the pane has two rows: the request stays, with the offer.
    let small = screen(room(), 5, 80, 24);
    assert!(
        small.contains("R1 carol") && small.contains(":takeover ic in 1m"),
        "{small}"
    );
    let wide = screen(room(), 5, 160, 48);
    assert!(wide.contains("IC bob away 4m, no view open"), "{wide}");

    // Once takeover_after has passed, it is offered now.
    let s = screen(room(), 7, 100, 30);
    assert!(s.contains(":takeover ic to answer"), "{s}");

    // A view closed later than the last write counts from its close.
    let mut r = room();
    r.around
        .seen
        .insert("bob".into(), fixture_t0() + Duration::minutes(4));
    let s = screen(r, 7, 100, 30);
    assert!(s.contains("Commander bob · away 3m"), "{s}");
}

#[test]
fn a_holder_who_is_here_is_not_away_and_no_takeover_is_offered() {
    let mut r = room();
    r.set_roster(Roster {
        here: vec![here("carol"), here("bob")],
        seen: Default::default(),
        ..Default::default()
    });
    let s = screen(r, 9, 100, 30);
    assert!(!s.contains("away"), "{s}");
    assert!(!s.contains(":takeover"), "{s}");
    assert!(s.lines().next().unwrap().contains("IC bob"), "{s}");
}

#[test]
fn a_fresh_request_does_not_cry_wolf() {
    // 30 seconds after asking: not yet a minute.
    let mut f = Fixture::declared("INC-7", fixture_t0());
    f.apply(
        0,
        "bob",
        Op::ClaimRole {
            role: Role::Commander,
        },
    );
    let mut room = Room::new(f.incident);
    let mut carol = Fixture {
        incident: room.incident.clone(),
        t0: fixture_t0() + Duration::minutes(5),
    };
    carol.apply(
        0,
        "carol",
        Op::Announce {
            text: "restart payments-1".into(),
            mitigation: None,
        },
    );
    room.incident = carol.incident;
    let mut app = App::new(Actor::named("carol"), Screen::Room(Box::new(room)));
    let theme = Theme::built_in("default").unwrap();
    let s = to_text(&draw(
        &mut app,
        &theme,
        fixture_t0() + Duration::minutes(5) + Duration::seconds(30),
        100,
        30,
    ));
    assert!(s.contains("R1 carol: restar"), "{s}");
    assert!(!s.contains(":takeover"), "{s}");
}

//! Nothing is hidden without saying so: at 80x24, 120x35 and 200x50 a
//! list cut short says how many more and how to see them, the
//! mitigations never vanish, a long message keeps its end, the header
//! keeps presence and the clock, and text being written wraps.

use chrono::{DateTime, Duration, TimeZone, Utc};
use incident::model::Actor;
use incident::ops::{self, Op, Record};
use incident::store::Store;
use incident::store::presence::Here;
use incident::tui::app::{App, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::theme::Theme;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 35), (200, 50)];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 16, 30, 0).unwrap()
}

/// The demo, one newcomer looking at it.
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

fn apply(app: &mut App, who: &str, op: Op) {
    let room = app.room_mut().unwrap();
    let rec = Record {
        at: now() - Duration::minutes(1),
        by: Actor::named(who),
        op,
    };
    ops::apply(&mut room.incident, &rec).unwrap();
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let theme = Theme::built_in("default").unwrap();
    to_text(&draw(app, &theme, now(), w, h))
}

/// The demo with four requests for go waiting (R1–R4).
fn four_requests() -> App {
    let mut app = demo();
    for (who, what) in [
        ("carol", "restart db-2 (replica)"),
        ("dave", "flush the fraud-api cache"),
        ("erin", "scale payments to 12 pods"),
        ("frank", "fail over redis to the standby"),
    ] {
        apply(
            &mut app,
            who,
            Op::Announce {
                text: what.into(),
                mitigation: None,
            },
        );
    }
    app
}

/// What the screen says of the requests: every one shown, or a count of
/// the rest and where to see them.
#[test]
fn waiting_requests_cut_short_say_how_many_more() {
    for (w, h) in SIZES {
        let s = screen(&mut four_requests(), w, h);
        assert!(s.contains("R1 carol"), "{w}x{h}:\n{s}");
        let shown = (1..=4).filter(|i| s.contains(&format!("R{i} "))).count();
        if shown < 4 {
            let more = format!("… {} more (:brief lists them)", 4 - shown);
            assert!(s.contains(&more), "{w}x{h}: no {more:?}\n{s}");
        }
    }
}

#[test]
fn waiting_requests_80x24() {
    insta::assert_snapshot!(screen(&mut four_requests(), 80, 24));
}

#[test]
fn waiting_requests_120x35() {
    insta::assert_snapshot!(screen(&mut four_requests(), 120, 35));
}

#[test]
fn waiting_requests_200x50() {
    insta::assert_snapshot!(screen(&mut four_requests(), 200, 50));
}

#[test]
fn the_mitigations_never_vanish() {
    for (w, h) in SIZES {
        let s = screen(&mut four_requests(), w, h);
        assert!(s.contains("Mitigations"), "{w}x{h}:\n{s}");
        // Every row shown, or the count of the rest and the command.
        let rows = s
            .lines()
            .filter(|l| l.contains("+ idea") || l.contains(" M1 "))
            .count();
        if rows < 4 {
            assert!(s.contains(":mitigations"), "{w}x{h}:\n{s}");
        }
    }
}

/// The refusal that lost its actionable end on one line.
const LONG: &str = "there is no mitigation M9: `:mitigations` shows them (your last one is M1), or ask carol to add it";

#[test]
fn a_long_message_keeps_its_end() {
    for (w, h) in SIZES {
        let mut app = demo();
        app.error(LONG);
        let s = screen(&mut app, w, h);
        // The last rows, read as one text (a wrapped row starts with a space).
        let mut rows: Vec<&str> = s.lines().rev().take(3).collect();
        rows.reverse();
        let tail = rows
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(tail.contains("or ask carol to add it"), "{w}x{h}:\n{s}");
        assert!(tail.contains("there is no mitigation M9"), "{w}x{h}:\n{s}");
        // The input bar is still there, above the message.
        assert!(s.contains(" > "), "{w}x{h}:\n{s}");
    }
}

#[test]
fn a_long_message_80x24() {
    let mut app = demo();
    app.error(LONG);
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

/// A long title on a real incident (the demo's badge takes six more
/// columns): the header shortens it and keeps the clock and how many are
/// here.
fn long_title() -> App {
    let mut app = demo();
    app.set_demo(false);
    app.room_mut().unwrap().incident.title =
        "Checkout and payments errors for EU card customers after the 26-3 config bundle".into();
    app
}

#[test]
fn the_header_keeps_presence_and_the_clock() {
    for (w, h) in SIZES {
        let s = screen(&mut long_title(), w, h);
        let header = s.lines().next().unwrap();
        assert!(header.contains("1 here"), "{w}x{h}: {header}");
        // Elapsed since declared (15:43:07 → 16:30), shorter when narrow,
        // beside an away IC's "away 24m" even at 80 columns.
        assert!(
            header.contains("00:46:53") || header.contains("46m"),
            "{w}x{h}: {header}"
        );
        assert!(header.contains("away 24m"), "{w}x{h}: {header}");
        assert!(header.contains("IC alice"), "{w}x{h}: {header}");
        assert!(header.contains("update in 15m"), "{w}x{h}: {header}");
        assert!(header.contains("Check"), "{w}x{h}: {header}");
    }
}

#[test]
fn header_long_title_80x24() {
    let s = screen(&mut long_title(), 80, 24);
    insta::assert_snapshot!(s.lines().next().unwrap());
}

/// A summary being written, longer than any screen is wide.
const SUMMARY: &str = "Checkout returned 5xx for about 12% of EU card payments from 15:40; the payments deploy (2026.12.05-3) at 19:37 is the likely cause and rolling it back ended the errors by 16:05";

/// The words of `s` as one line (wrapped rows joined, borders and
/// padding dropped), to find a sentence that was wrapped.
fn words(s: &str) -> String {
    s.lines()
        .map(|l| l.replace(['│', '┌', '┐', '└', '┘', '─'], " "))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_input_bar_wraps_a_long_line_and_keeps_the_caret_on_it() {
    for (w, h) in SIZES {
        let mut app = demo();
        let theme = Theme::built_in("default").unwrap();
        app.room_mut().unwrap().input.line = tui_input::Input::new(SUMMARY.into());
        let buf = draw(&mut app, &theme, now(), w, h);
        let s = to_text(&buf);
        let text = words(&s);
        assert!(text.contains(SUMMARY), "{w}x{h}:\n{s}");
        // The bar grew: the line above the bottom one ends the summary.
        let rows: Vec<&str> = s.lines().collect();
        assert!(
            rows[rows.len() - 2].trim_end().ends_with("16:05"),
            "{w}x{h}:\n{s}"
        );
    }
}

#[test]
fn input_bar_long_line_80x24() {
    let mut app = demo();
    app.room_mut().unwrap().input.line = tui_input::Input::new(SUMMARY.into());
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

#[test]
fn a_paragraph_typed_in_the_input_bar_is_read_whole_before_it_is_sent() {
    // Sixty words (about 420 columns): at 80x24 the bar grows to six rows
    // instead of scrolling the start out of sight at three.
    let words: Vec<String> = (1..=60).map(|n| format!("word{n}")).collect();
    for (w, h) in SIZES {
        let mut app = demo();
        app.room_mut().unwrap().input.line = tui_input::Input::new(words.join(" "));
        let s = screen(&mut app, w, h);
        for word in &words {
            assert!(
                s.split(|c: char| !c.is_alphanumeric()).any(|t| t == word),
                "{w}x{h}: {word} is not on screen:\n{s}"
            );
        }
        // The war room is still there above it.
        assert!(s.contains("What is bleeding"), "{w}x{h}:\n{s}");
    }
}

/// The document open on the summary, being rewritten to `SUMMARY`.
fn editing() -> App {
    let mut app = demo();
    let room = app.room_mut().unwrap();
    let editor = incident::tui::doc::Editor::resumed(
        &room.incident,
        incident::model::Section::Summary,
        1,
        SUMMARY,
    );
    room.doc = Some(incident::tui::doc::DocView {
        editor: Some(editor),
        ..Default::default()
    });
    app
}

#[test]
fn the_document_editor_wraps_the_paragraph_being_written() {
    for (w, h) in SIZES {
        let s = screen(&mut editing(), w, h);
        assert!(s.contains("Editing Summary"), "{w}x{h}:\n{s}");
        // All of it on screen (the editor breaks at punctuation too, as
        // inside "16:05", so spaces are not compared).
        let editor: String = s
            .lines()
            .filter_map(|l| l.split_once("││").map(|(_, r)| r.replace('│', "")))
            .collect();
        let squeeze = |t: &str| t.split_whitespace().collect::<String>();
        assert!(
            squeeze(&editor).contains(&squeeze(SUMMARY)),
            "{w}x{h}:\n{s}"
        );
    }
}

#[test]
fn document_editor_80x24() {
    insta::assert_snapshot!(screen(&mut editing(), 80, 24));
}

/// The document open on its timeline.
fn timeline() -> App {
    let mut app = demo();
    let room = app.room_mut().unwrap();
    let selected = incident::tui::doc::parts()
        .iter()
        .position(|p| *p == incident::tui::doc::Part::Timeline)
        .unwrap();
    room.doc = Some(incident::tui::doc::DocView {
        selected,
        ..Default::default()
    });
    app
}

#[test]
fn timeline_rows_wrap_instead_of_ending_in_an_ellipsis() {
    let texts: Vec<String> = {
        let app = demo();
        let inc = &app.room().unwrap().incident;
        inc.timeline().map(|e| e.timeline_text()).collect()
    };
    assert!(!texts.is_empty());
    for (w, h) in SIZES {
        let s = screen(&mut timeline(), w, h);
        let body: String = s
            .lines()
            .filter_map(|l| l.split_once("││").map(|(_, r)| r.replace('│', "")))
            .collect::<Vec<_>>()
            .join(" ");
        let body = body.split_whitespace().collect::<Vec<_>>().join(" ");
        // Each entry whole, where the screen has the rows for it.
        for t in texts.iter().take(if h >= 35 { texts.len() } else { 3 }) {
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(body.contains(&t), "{w}x{h}: no {t:?}\n{s}");
        }
        assert!(!body.contains("…"), "{w}x{h}:\n{s}");
    }
}

#[test]
fn timeline_80x24() {
    insta::assert_snapshot!(screen(&mut timeline(), 80, 24));
}

#[test]
fn timeline_120x35() {
    insta::assert_snapshot!(screen(&mut timeline(), 120, 35));
}

#[test]
fn an_edit_entry_shows_what_changed() {
    let mut app = demo();
    apply(
        &mut app,
        "bob",
        Op::EditSection {
            section: incident::model::Section::Summary,
            text: "Checkout returned 5xx for ~12% of EU card payments after payments deploy 26-3. Rolled back at 16:02; error rate back to normal.".into(),
            base: 1,
        },
    );
    for (w, h) in SIZES {
        let s = screen(&mut app, w, h);
        let text = words(&s);
        assert!(
            text.contains("edited Summary: “…back;…” → “…back at 16:02;…”"),
            "{w}x{h}:\n{s}"
        );
    }
}

/// Six responders here: the break pane lists who has been on longest and
/// counts the rest.
#[test]
fn the_break_pane_counts_who_it_does_not_list() {
    let mut app = demo();
    let room = app.room_mut().unwrap();
    room.around.here = ["newcomer", "alice", "bob", "carol", "dave", "erin"]
        .iter()
        .enumerate()
        .map(|(i, who)| Here {
            actor: Actor::named(who),
            joined_at: now() - Duration::minutes(2 + i as i64),
            pid: i as u32 + 1,
        })
        .collect();
    for (w, h) in SIZES {
        let s = screen(&mut app, w, h);
        // The one line ("on longest: alice 46m +5") or the list ("… 3 more (:who)").
        let counted = s
            .lines()
            .any(|l| (l.contains("on longest:") && l.contains(" +")) || l.contains("more (:who)"));
        // Six here, at most four listed: always counted.
        assert!(counted, "{w}x{h}:\n{s}");
    }
}

/// A document part longer than the pane says how many more rows and
/// where the whole document is.
#[test]
fn a_long_document_part_says_how_much_more() {
    let mut app = demo();
    let text: Vec<String> = (1..=60)
        .map(|i| format!("line {i} of the summary"))
        .collect();
    apply(
        &mut app,
        "bob",
        Op::EditSection {
            section: incident::model::Section::Summary,
            text: text.join("\n"),
            base: 1,
        },
    );
    app.room_mut().unwrap().doc = Some(Default::default());
    for (w, h) in SIZES {
        let s = screen(&mut app, w, h);
        assert!(s.contains("line 1 of the summary"), "{w}x{h}:\n{s}");
        assert!(
            s.contains("more (incident export prints it all)"),
            "{w}x{h}:\n{s}"
        );
    }
    insta::assert_snapshot!(screen(&mut app, 80, 24));
}

/// `:who` with more people here than the screen has rows.
#[test]
fn who_is_here_counts_the_rest() {
    let mut app = demo();
    let room = app.room_mut().unwrap();
    room.around.here = (0..40)
        .map(|i| Here {
            actor: Actor::named(&format!("user{i}")),
            joined_at: now() - Duration::minutes(2),
            pid: i + 1,
        })
        .collect();
    app.overlay = Some(incident::tui::app::Overlay::Responders);
    for (w, h) in SIZES {
        let s = screen(&mut app, w, h);
        assert!(s.contains("Here now: 40"), "{w}x{h}:\n{s}");
        // The box has a header row and borders: all 40 need 43 rows.
        if h < 43 {
            assert!(
                s.contains("more (a taller terminal lists them)"),
                "{w}x{h}:\n{s}"
            );
        } else {
            assert!(s.contains("user39 "), "{w}x{h}:\n{s}");
        }
    }
}

/// Four requests waiting while four teams are paged (a tall Roles pane)
/// at 80x24: the Waiting strip gives way to the log, but never without
/// saying so: one line counts what waits and where to see it (before, it
/// vanished, and someone not commanding saw no request at all).
fn tall_roles_and_requests() -> App {
    let mut app = four_requests();
    for team in ["db-team", "network-oncall-team", "payments-sre", "storage"] {
        apply(
            &mut app,
            "carol",
            Op::Escalate {
                team: team.into(),
                kind: "webhook".into(),
                message: None,
            },
        );
    }
    // Deploys frozen (a banner row) and another incident (its line).
    apply(
        &mut app,
        "alice",
        Op::Freeze {
            reason: Some("payments".into()),
        },
    );
    app.room_mut()
        .unwrap()
        .around
        .others_active
        .push(incident::tui::room::OtherIncident {
            id: "INC-2".into(),
            severity: incident::model::Severity::Sev2,
            status: incident::model::Status::Investigating,
            declared_at: now(),
            systems: vec![],
        });
    app
}

#[test]
fn waiting_requests_never_vanish_beside_a_tall_roles_pane() {
    let mut app = tall_roles_and_requests();
    for (w, h) in SIZES {
        let s = screen(&mut app, w, h);
        let shown = ["R1 carol", "R2 dave", "R3 erin", "R4 frank"]
            .iter()
            .filter(|r| s.contains(*r))
            .count();
        if shown < 4 {
            assert!(s.contains(":brief lists them"), "{w}x{h}:\n{s}");
        }
        assert!(shown > 0, "{w}x{h}:\n{s}");
    }
}

#[test]
fn waiting_requests_in_one_line_80x24() {
    insta::assert_snapshot!(screen(&mut tall_roles_and_requests(), 80, 24));
}

/// The refusal of `:escalate` to a team that is not set up, with six
/// teams set up: four rows at 80 columns. Its end (what to add) stays
/// in sight (before, the third row ended "[[responders]] entry (n…").
const UNKNOWN_TEAM: &str = "Refused: no responder team 'dba-team-primary-oncall' (the teams are db-team, network-oncall-team, payments-sre, vendor-support, storage, security): name one of them, or add it to /srv/incidents/incident.toml as a [[responders]] entry (name, kind and key file) (your text is kept: change it, then Enter)";

#[test]
fn a_four_row_refusal_keeps_its_end() {
    for (w, h) in SIZES {
        let mut app = demo();
        app.error(UNKNOWN_TEAM);
        let s = screen(&mut app, w, h);
        let mut rows: Vec<&str> = s.lines().rev().take(5).collect();
        rows.reverse();
        let tail = rows
            .join(" ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            tail.contains("(name, kind and key file) (your text is kept: change it, then Enter)"),
            "{w}x{h}:\n{s}"
        );
        assert!(tail.contains("Refused: no responder team"), "{w}x{h}:\n{s}");
    }
}

/// An update overdue at 80 columns (a long title, an IC, comms held):
/// the header still keeps the clock and presence; the overdue countdown
/// says it in fewer words before the clock goes (before: "Checkout … ·
/// investigating · IC alice · update overdue 5m · 4 here", no clock).
#[test]
fn the_header_keeps_the_clock_with_an_update_overdue() {
    let theme = Theme::built_in("default").unwrap();
    for late in [5, 25] {
        let mut app = long_title();
        let at = now() + Duration::minutes(15 + late);
        // The IC is here (not "away"), as are two others.
        for who in ["alice", "bob", "carol"] {
            app.room_mut().unwrap().around.here.push(Here {
                actor: Actor::named(who),
                joined_at: now(),
                pid: 2,
            });
        }
        let s = to_text(&draw(&mut app, &theme, at, 80, 24));
        let header = s.lines().next().unwrap();
        assert!(header.contains("4 here"), "{header}");
        assert!(
            header.contains("update overdue") || header.contains("update late"),
            "{header}"
        );
        // The clock, long or short.
        let c = app.clock(at);
        let declared = app.room().unwrap().incident.declared_at;
        let (long, short) = (c.elapsed(declared), c.elapsed_short(declared));
        assert!(
            header.contains(&format!(" · {long} · ")) || header.contains(&format!(" · {short} · ")),
            "{short}: {header}"
        );
    }
}

/// Walking through the Roles pane at 80x24 while eight teams are paged
/// and four requests wait: the Paged rows the pane has no room for are
/// counted, as they are when the pane is not focused (before, focused,
/// the last Paged row that fitted was followed by nothing).
#[test]
fn paged_rows_cut_short_are_counted_while_the_roles_are_walked() {
    let mut app = tall_roles_and_requests();
    for team in ["security", "vendor", "dns", "cdn"] {
        apply(
            &mut app,
            "carol",
            Op::Escalate {
                team: team.into(),
                kind: "webhook".into(),
                message: None,
            },
        );
    }
    app.room_mut().unwrap().focus = incident::tui::app::Focus::Roles;
    for (w, h) in SIZES {
        let s = screen(&mut app, w, h);
        let paged = s.lines().filter(|l| l.contains(" Paged ")).count();
        if paged < 8 {
            assert!(
                s.contains(&format!("… {} more (:brief)", 8 - paged))
                    || paged == 0 && s.contains("8 more"),
                "{w}x{h}:\n{s}"
            );
        }
        assert!(
            s.contains("Commander") && s.contains("Comms"),
            "{w}x{h}:\n{s}"
        );
    }
}

/// The Roles and Waiting panes send the reader to `:brief` for what they
/// cut; at 80x24 the brief cuts them too ("Teams called for help … 5
/// more"), and says where the rest is.
#[test]
fn the_brief_cut_short_says_where_the_rest_is() {
    let mut app = tall_roles_and_requests();
    for c in ":brief".chars() {
        app.handle_key(
            crossterm::event::KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                crossterm::event::KeyModifiers::NONE,
            ),
            now(),
        );
    }
    app.handle_key(
        crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Enter,
            crossterm::event::KeyModifiers::NONE,
        ),
        now(),
    );
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Handover brief"), "{s}");
    assert!(s.contains(" more"), "{s}");
    assert!(s.contains("the rest: incident show -i INC-1"), "{s}");
}

/// A four-row refusal at 80x24 on a busy screen (a banner, the other
/// incidents, the break line, the clearance prompt): the extra rows come out
/// of the log, not the Roles and bleeding band, which never vanishes
/// while a message is read.
#[test]
fn a_long_message_does_not_push_out_the_roles() {
    let mut app = tall_roles_and_requests();
    // The reader commands: the clearance prompt for R1 is open too.
    app.me = Actor::named("alice");
    // Five rows: a team file deeper in the tree.
    app.error(UNKNOWN_TEAM.replace(
        "/srv/incidents/incident.toml",
        "/srv/shared/teams/payments/incidents/incident.toml",
    ));
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("┌ Roles"), "{s}");
    assert!(s.contains("(name, kind and key file)"), "{s}");
    assert!(s.contains("┌ Action log"), "{s}");
}

/// A Waiting box squeezed to one row inside its border (a freeze banner
/// and the break line above it at 80 columns) shows the oldest request
/// and counts the rest, not "4 here (:brief lists them)", which named no
/// request and read as who is here.
#[test]
fn a_waiting_box_of_one_row_names_the_oldest_request() {
    let mut boxed = 0;
    for h in 16..=30 {
        let mut app = four_requests();
        apply(
            &mut app,
            "alice",
            Op::Freeze {
                reason: Some("rollback of payments in progress".into()),
            },
        );
        let s = screen(&mut app, 80, h);
        if s.contains("┌ Waiting") {
            boxed += 1;
            assert!(s.contains("R1 carol"), "80x{h}:\n{s}");
            assert!(!s.contains(" here (:brief"), "80x{h}:\n{s}");
        }
    }
    assert!(boxed > 0, "the Waiting box was drawn at some height");
}

/// A paragraph being typed on a busy 80x24 screen (a freeze banner, four
/// requests waiting): the band of roles and what is bleeding may give
/// way to it, but never unsaid: one line keeps what is failing and the
/// impact.
#[test]
fn a_long_note_never_hides_the_band_unsaid() {
    let words: Vec<String> = (1..=60).map(|n| format!("word{n}")).collect();
    for h in 20..=30 {
        let mut app = four_requests();
        apply(
            &mut app,
            "alice",
            Op::Freeze {
                reason: Some("rollback of payments in progress".into()),
            },
        );
        // Seen by the commander: the question of R1 waits above the bar.
        let room = app.room_mut().unwrap().clone();
        let ic = room.incident.commander().unwrap().to_string();
        let mut app = App::new(Actor::named(&ic), Screen::Room(Box::new(room)));
        app.room_mut().unwrap().input.line = tui_input::Input::new(words.join(" "));
        let s = screen(&mut app, 80, h);
        assert!(
            s.contains("What is bleeding") || s.contains("Bleeding: "),
            "80x{h}:\n{s}"
        );
        if !s.contains("What is bleeding") {
            assert!(s.contains("Bleeding: 2 failing · Impact"), "80x{h}:\n{s}");
        }
    }
    // Nor is it squeezed to one row inside its borders, where the roles
    // said only "4 here (:brief)" and the tree only how many more.
    for n in (12..=60).step_by(4) {
        let words: Vec<String> = (1..=n).map(|n| format!("word{n}")).collect();
        let mut app = four_requests();
        apply(
            &mut app,
            "alice",
            Op::Freeze {
                reason: Some("rollback of payments in progress".into()),
            },
        );
        let room = app.room_mut().unwrap().clone();
        let ic = room.incident.commander().unwrap().to_string();
        let mut app = App::new(Actor::named(&ic), Screen::Room(Box::new(room)));
        app.room_mut().unwrap().input.line = tui_input::Input::new(words.join(" "));
        let s = screen(&mut app, 80, 24);
        assert!(!s.contains(" here (:brief)"), "{n} words:\n{s}");
    }
}

/// The break pane with one row for who is on shift and five here (a
/// 120x35 screen with three banners): it counts the others and says where
/// to see them, instead of listing the longest alone as if none were left.
#[test]
fn the_break_pane_of_three_rows_counts_who_is_on_shift() {
    use incident::tui::clock::Clock;
    let mut app = demo();
    let room = app.room_mut().unwrap();
    room.around.here = ["alice", "bob", "carol", "dave", "erin"]
        .iter()
        .enumerate()
        .map(|(i, who)| Here {
            actor: Actor::named(who),
            joined_at: now() - Duration::minutes(10 + i as i64),
            pid: i as u32 + 1,
        })
        .collect();
    let room = app.room().unwrap();
    let theme = Theme::built_in("default").unwrap();
    let clock = Clock {
        now: now(),
        utc: true,
    };
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(30, 5)).unwrap();
    term.draw(|f| incident::tui::panes::breaks::render(f, f.area(), room, &theme, &clock))
        .unwrap();
    let buf = term.backend().buffer().clone();
    let text: String = (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(text.contains(":who"), "the others are counted:\n{text}");
}

/// At 80x24 with requests waiting the mitigations give way to one line;
/// once they have the keys (`:mitigations`) they are the last to give
/// way, so `a`, `s`, `d` act on rows that are on screen (the trial: `a`
/// added an idea nobody could see, `d` offered the wrong mitigation).
#[test]
fn focused_mitigations_are_seen_where_their_keys_act() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use incident::tui::app::Msg;
    let mut app = four_requests();
    let before = screen(&mut app, 80, 24);
    assert!(before.contains("Mitigations: 1 (0 open)"), "{before}");
    let press = |app: &mut App, code: KeyCode| {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE), now()));
    };
    for c in ":mitigations".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    std::thread::sleep(std::time::Duration::from_millis(60));
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.room().unwrap().focus,
        incident::tui::panes::Focus::Mitigations
    );
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("┌ Mitigations"), "a box, not one line:\n{s}");
    let rows = s
        .lines()
        .filter(|l| l.contains("+ idea") || l.contains(" M1 "))
        .count();
    assert!(rows >= 2, "{s}");
    // The roles and what is bleeding gave way first, saying what fails.
    assert!(s.contains("FAILING") || s.contains("Bleeding"), "{s}");
}

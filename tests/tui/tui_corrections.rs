//! Corrections and entry numbers in the live view: `:correct #N` and
//! `:retract #N` on a real store, the old text struck through on every
//! open view, the `#N` gutter (`#` hides it), and the selected entry
//! highlighted and pinned by `p`.

use crate::common::{Fixture, highlighted_rows};
use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Actor, LogKind, Severity};
use incident::ops::Op;
use incident::store::Store;
use incident::tui::app::{App, Effect, Focus, Msg, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::session::Session;
use incident::tui::theme::Theme;
use ratatui::style::Modifier;

fn press(s: &mut Session, a: &mut App, code: KeyCode) {
    let effects = a.update(Msg::Key(
        KeyEvent::new(code, KeyModifiers::NONE),
        Utc::now(),
    ));
    s.perform_all(effects, a);
}

/// Type `line` into the view and press Enter; what it said, if anything,
/// once the write has been judged.
fn typed(s: &mut Session, a: &mut App, line: &str) -> Option<String> {
    // A refused line comes back to the input bar: start afresh (Esc).
    press(s, a, KeyCode::Esc);
    a.message = None;
    for c in line.chars() {
        press(s, a, KeyCode::Char(c));
    }
    press(s, a, KeyCode::Enter);
    s.settle(a, std::time::Duration::from_secs(10));
    a.message.as_ref().map(|m| m.text.clone())
}

fn view(store: &Store, who: &str) -> (Session, App) {
    let mut s = Session::new(store.clone(), Actor::named(who));
    let screen = s.open("INC-1").unwrap();
    (s, App::new(Actor::named(who), screen))
}

/// The characters of row `y` drawn with `m`, as text.
fn with_modifier(buf: &ratatui::buffer::Buffer, y: usize, m: Modifier) -> String {
    (0..buf.area.width)
        .filter(|&x| buf[(x, y as u16)].modifier.contains(m))
        .map(|x| buf[(x, y as u16)].symbol().to_string())
        .collect::<String>()
        .trim()
        .to_string()
}

fn row_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no row with {needle:?}:\n{text}"))
}

#[test]
fn a_correction_strikes_the_old_text_on_every_open_view() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    store
        .declare(&Actor::named("alice"), "Checkout errors", Severity::Sev2)
        .unwrap();
    let (mut cs, mut carol) = view(&store, "carol");
    let (mut bs, mut bob) = view(&store, "bob");
    typed(&mut cs, &mut carol, "checkout pods are crash looping");
    bs.refresh(&mut bob);
    // Read off the view's loop: wait for it as the view would.
    bs.settle(&mut bob, std::time::Duration::from_secs(10));
    let theme = Theme::built_in("default").unwrap();
    let now = Utc::now();
    let before = to_text(&draw(&mut bob, &theme, now, 100, 30));
    // The number to type is on screen, in the gutter.
    let row = row_of(&before, "checkout pods are crash looping");
    let line = before.lines().nth(row).unwrap();
    assert!(line.contains("│#2 "), "{before}");

    assert_eq!(
        typed(
            &mut cs,
            &mut carol,
            ":correct #2 payments pods are crash looping, not checkout"
        ),
        None,
        "accepted without a word"
    );
    // Bob's view had drawn #2 already: it changes in place.
    bs.refresh(&mut bob);
    // Read off the view's loop: wait for it as the view would.
    bs.settle(&mut bob, std::time::Duration::from_secs(10));
    let buf = draw(&mut bob, &theme, now, 100, 30);
    let text = to_text(&buf);
    let old = row_of(&text, "checkout pods are crash looping");
    assert_eq!(
        with_modifier(&buf, old, Modifier::CROSSED_OUT),
        "checkout pods are crash looping",
        "{text}"
    );
    let new = row_of(
        &text,
        "payments pods are crash looping, not checkout (corrected",
    );
    assert!(new == old + 1, "the new text under the old: {text}");
    assert_eq!(with_modifier(&buf, new, Modifier::CROSSED_OUT), "");
    assert!(
        text.contains("corrected #2: payments pods are crash looping, not checkout"),
        "the log says it happened: {text}"
    );

    // Not bob's entry to take back; the way out is the view's own form.
    let m = typed(&mut bs, &mut bob, ":retract #2 not true").expect("refused");
    assert!(
        m.contains("only carol can correct or retract it") && m.contains("`:note TEXT`"),
        "{m}"
    );
    assert!(!m.contains("incident log"), "{m}");
    // Nor a status change, by anyone.
    let m = typed(&mut cs, &mut carol, ":correct #1 declared SEV1").expect("refused");
    assert!(m.contains("written by the tool itself"), "{m}");

    // Carol retracts it: the correction is struck too, the reason shown.
    assert_eq!(
        typed(&mut cs, &mut carol, ":retract #2 wrong incident, see INC-2"),
        None
    );
    bs.refresh(&mut bob);
    // Read off the view's loop: wait for it as the view would.
    bs.settle(&mut bob, std::time::Duration::from_secs(10));
    let buf = draw(&mut bob, &theme, now, 100, 30);
    let text = to_text(&buf);
    let old = row_of(&text, "checkout pods are crash looping");
    assert_eq!(
        with_modifier(&buf, old + 1, Modifier::CROSSED_OUT),
        "payments pods are crash looping, not checkout"
    );
    let why = row_of(&text, ": wrong incident, see INC-2");
    assert!(
        text.lines().nth(why).unwrap().contains("retracted "),
        "{text}"
    );
    // Nothing was removed from the file: the note is there as written.
    let file = std::fs::read_to_string(tmp.path().join("INC-1.jsonl")).unwrap();
    assert!(file.contains(r#""text":"checkout pods are crash looping""#));
    assert!(file.contains(r#""op":"correct""#) && file.contains(r#""op":"retract""#));
}

#[test]
fn a_typo_in_the_command_says_what_to_type() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    store
        .declare(&Actor::named("alice"), "Checkout errors", Severity::Sev2)
        .unwrap();
    let (mut s, mut a) = view(&store, "alice");
    let m = typed(&mut s, &mut a, ":correct #2").expect("usage");
    assert!(m.contains("usage: :correct ENTRY TEXT"), "{m}");
    let m = typed(&mut s, &mut a, ":retract 9 gone").expect("refused");
    assert!(m.contains("log entry #9 does not exist"), "{m}");
}

fn room(entries: usize) -> App {
    let mut fx = Fixture::declared("INC-1", crate::common::fixture_t0());
    for i in 0..entries {
        fx.apply(
            i as i64,
            "bob",
            Op::Log {
                kind: LogKind::Note,
                text: format!("note number {i}"),
            },
        );
    }
    let mut app = App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(fx.incident))),
    );
    app.size = (80, 24);
    app
}

fn key(a: &mut App, code: KeyCode) -> Option<Effect> {
    a.handle_key(
        KeyEvent::new(code, KeyModifiers::NONE),
        crate::common::fixture_t0(),
    )
}

#[test]
fn the_gutter_numbers_entries_and_hash_hides_it() {
    let theme = Theme::built_in("default").unwrap();
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(30);
    let mut a = room(12);
    let text = to_text(&draw(&mut a, &theme, now, 80, 24));
    let row = row_of(&text, "note number 11");
    assert!(
        text.lines().nth(row).unwrap().contains("│#13 14:11:00 bob"),
        "{text}"
    );
    // One-digit numbers are padded to the widest, so the times line up.
    let row = row_of(&text, "note number 5");
    assert!(
        text.lines().nth(row).unwrap().contains("│#7  14:05:00 bob"),
        "{text}"
    );
    a.room_mut().unwrap().focus = Focus::Log;
    key(&mut a, KeyCode::Char('#'));
    let text = to_text(&draw(&mut a, &theme, now, 80, 24));
    let row = row_of(&text, "note number 11");
    assert!(
        text.lines().nth(row).unwrap().contains("│14:11:00 bob"),
        "{text}"
    );
    assert!(!text.contains("#13"), "{text}");
    key(&mut a, KeyCode::Char('#'));
    let text = to_text(&draw(&mut a, &theme, now, 80, 24));
    assert!(text.contains("#13 14:11:00"), "{text}");
}

#[test]
fn the_selected_entry_is_highlighted_and_is_the_one_p_pins() {
    let theme = Theme::built_in("default").unwrap();
    let now = crate::common::fixture_t0() + chrono::Duration::minutes(60);
    let mut a = room(40);
    // Not highlighted while the input bar has focus.
    let buf = draw(&mut a, &theme, now, 80, 24);
    assert!(
        !highlighted_rows(&buf)
            .iter()
            .any(|r| r.contains("note number")),
        "{:?}",
        highlighted_rows(&buf)
    );
    key(&mut a, KeyCode::Tab);
    assert_eq!(a.room().unwrap().focus, Focus::Log);
    let buf = draw(&mut a, &theme, now, 80, 24);
    let lit = highlighted_rows(&buf);
    assert!(
        lit.len() == 1 && lit[0].contains("#41") && lit[0].contains("note number 39"),
        "the newest entry is selected: {lit:?}"
    );
    assert_eq!(
        key(&mut a, KeyCode::Char('p')),
        Some(Effect::Commit(Op::Pin { entry: 41 }))
    );
    // Scrolled back, the selection is the newest entry still in view, and
    // that is what p pins: never one out of sight.
    for _ in 0..5 {
        key(&mut a, KeyCode::Char('k'));
    }
    let buf = draw(&mut a, &theme, now, 80, 24);
    let text = to_text(&buf);
    let lit = highlighted_rows(&buf);
    assert_eq!(lit.len(), 1, "{lit:?}");
    assert!(lit[0].contains("note number 34"), "{lit:?}\n{text}");
    assert!(!text.contains("note number 35"), "{text}");
    assert_eq!(
        key(&mut a, KeyCode::Char('p')),
        Some(Effect::Commit(Op::Pin { entry: 36 }))
    );
    // A search hit is the selection.
    key(&mut a, KeyCode::Char('/'));
    for c in "number 30".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    key(&mut a, KeyCode::Enter);
    let buf = draw(&mut a, &theme, now, 80, 24);
    let lit = highlighted_rows(&buf);
    assert!(lit.iter().all(|r| r.contains("note number 30")), "{lit:?}");
    assert_eq!(
        key(&mut a, KeyCode::Char('p')),
        Some(Effect::Commit(Op::Pin { entry: 32 }))
    );
}

//! Pasting: into whatever has focus, never sent by itself, never run as a
//! command; keys arriving in a burst are a paste; short notes and pane
//! keys are asked about; Esc can be undone.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Incident, LogKind};
use incident::ops::Op;
use incident::tui::app::{App, Effect, Focus, Msg, NoteCheck, Overlay, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::theme::Theme;

fn t0() -> DateTime<Utc> {
    crate::common::fixture_t0()
}

fn incident() -> Incident {
    crate::common::Fixture::declared("INC-1", t0()).incident
}

fn app() -> App {
    let mut a = App::new(
        incident::model::Actor::named("alice"),
        Screen::Room(Box::new(Room::new(incident()))),
    );
    a.size = (80, 24);
    a
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

/// Keys as the terminal delivers them, `gap_ms` apart from `start`;
/// `\n` is Enter, as a terminal sends a pasted line break.
fn arrive(a: &mut App, text: &str, start: DateTime<Utc>, gap_ms: i64) -> Vec<Effect> {
    let mut effects = Vec::new();
    for (i, c) in text.chars().enumerate() {
        let code = match c {
            '\n' => KeyCode::Enter,
            '\t' => KeyCode::Tab,
            c => KeyCode::Char(c),
        };
        let at = start + Duration::milliseconds(gap_ms * i as i64);
        effects.extend(a.update(Msg::KeyArrived(key(code), at)));
    }
    effects
}

/// One key, typed well after anything before it.
fn answer(a: &mut App, code: KeyCode, at: DateTime<Utc>) -> Vec<Effect> {
    a.update(Msg::KeyArrived(key(code), at))
}

fn input(a: &App) -> String {
    a.room().unwrap().input.line.value().to_string()
}

fn screen(a: &mut App) -> String {
    to_text(&draw(a, &Theme::built_in("mono").unwrap(), t0(), 80, 24))
}

fn commits(effects: &[Effect]) -> Vec<&Op> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Commit(op) => Some(op),
            _ => None,
        })
        .collect()
}

fn note(text: &str) -> Op {
    Op::Log {
        kind: LogKind::Note,
        text: text.into(),
    }
}

const BLOCK: &str = "checkout 5xx since 14:02\n:status resolved\nsee the dashboard";

#[test]
fn a_bracketed_paste_goes_into_the_section_being_edited_with_its_line_breaks() {
    let mut a = app();
    // Open the document and edit its first section, as a person would.
    a.handle_key(key(KeyCode::Tab), t0());
    a.handle_key(key(KeyCode::Char('D')), t0());
    a.handle_key(key(KeyCode::Enter), t0());
    assert!(a.room().unwrap().doc.as_ref().unwrap().editor.is_some());
    let effects = a.update(Msg::Paste("first line\r\nsecond line\n:status resolved"));
    assert!(effects.is_empty(), "a paste sends nothing: {effects:?}");
    let room = a.room().unwrap();
    let ed = room.doc.as_ref().unwrap().editor.as_ref().unwrap();
    assert_eq!(ed.text(), "first line\nsecond line\n:status resolved");
    assert_eq!(input(&a), "", "nothing in the hidden input bar");
    let s = screen(&mut a);
    assert!(
        s.contains("first line") && s.contains("second line"),
        "shown in the editor:\n{s}"
    );
}

#[test]
fn a_paste_in_the_document_with_nothing_being_edited_is_not_hidden_in_the_bar() {
    let mut a = app();
    a.handle_key(key(KeyCode::Tab), t0());
    a.handle_key(key(KeyCode::Char('D')), t0());
    assert!(a.update(Msg::Paste("some text\nmore")).is_empty());
    assert_eq!(input(&a), "");
    assert!(
        a.message.as_ref().unwrap().text.contains("Enter to edit"),
        "says how to paste into a section"
    );
}

#[test]
fn a_bracketed_paste_of_several_lines_is_shown_then_sent_as_one_note() {
    let mut a = app();
    let effects = a.update(Msg::Paste(BLOCK));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(matches!(
        a.overlay,
        Some(Overlay::ConfirmNote {
            why: NoteCheck::Paste,
            ..
        })
    ));
    let s = screen(&mut a);
    assert!(s.contains("Pasted 3 lines: send them as one note?"), "{s}");
    assert!(s.contains("checkout 5xx since 14:02") && s.contains(":status resolved"));
    let effects = answer(&mut a, KeyCode::Char('y'), t0());
    assert_eq!(commits(&effects), [&note(BLOCK)]);
    assert_eq!(a.overlay, None);
}

#[test]
fn a_declined_paste_stays_in_the_bar_and_enter_asks_again() {
    let mut a = app();
    a.update(Msg::Paste(BLOCK));
    assert!(answer(&mut a, KeyCode::Char('n'), t0()).is_empty());
    assert_eq!(
        input(&a),
        "checkout 5xx since 14:02 :status resolved see the dashboard"
    );
    // Enter on it, unchanged: the same question, and still one note.
    let later = t0() + Duration::seconds(1);
    assert!(answer(&mut a, KeyCode::Enter, later).is_empty());
    assert!(matches!(a.overlay, Some(Overlay::ConfirmNote { .. })));
    let effects = answer(&mut a, KeyCode::Char('y'), later + Duration::seconds(1));
    assert_eq!(commits(&effects), [&note(BLOCK)]);
}

#[test]
fn a_paste_starting_with_a_command_is_put_in_front_of_the_caret_not_run() {
    let mut a = app();
    for c in "seen: ".chars() {
        a.handle_key(key(KeyCode::Char(c)), t0());
    }
    // One line: into the bar, unsent.
    assert!(a.update(Msg::Paste(":status resolved\n")).is_empty());
    assert_eq!(input(&a), "seen: :status resolved");
    assert_eq!(a.overlay, None);
    // Several lines around what was typed.
    let mut a = app();
    for c in "ab".chars() {
        a.handle_key(key(KeyCode::Char(c)), t0());
    }
    a.handle_key(key(KeyCode::Left), t0());
    a.update(Msg::Paste("1\n2"));
    let Some(Overlay::ConfirmNote { lines, .. }) = &a.overlay else {
        panic!("asked: {:?}", a.overlay)
    };
    assert_eq!(lines, &["a1", "2b"]);
}

#[test]
fn keys_in_a_burst_are_a_paste_never_a_command() {
    let mut a = app();
    let effects = arrive(&mut a, &format!("{BLOCK}\n"), t0(), 1);
    assert!(
        commits(&effects).is_empty(),
        "nothing sent, nothing run: {effects:?}"
    );
    let s = screen(&mut a);
    assert!(s.contains("Pasted 3 lines"), "{s}");
    // The answer comes a human moment later.
    let effects = answer(&mut a, KeyCode::Char('y'), t0() + Duration::seconds(2));
    assert_eq!(commits(&effects), [&note(BLOCK)]);
}

#[test]
fn a_burst_whose_first_line_is_short_is_still_one_note() {
    // "ok" and its Enter are too few keys to call a paste: the short note
    // is asked about, and the keys after it make it a paste.
    let mut a = app();
    let effects = arrive(&mut a, "ok\n:status resolved\n", t0(), 1);
    assert!(commits(&effects).is_empty(), "{effects:?}");
    let Some(Overlay::ConfirmNote { lines, why }) = &a.overlay else {
        panic!("asked: {:?}", a.overlay)
    };
    assert_eq!(*why, NoteCheck::Paste);
    assert_eq!(lines[..2], ["ok", ":status resolved"]);
    let effects = answer(&mut a, KeyCode::Char('y'), t0() + Duration::seconds(1));
    assert_eq!(commits(&effects), [&note("ok\n:status resolved")]);
}

#[test]
fn a_pasted_command_line_alone_is_not_run() {
    let mut a = app();
    let effects = arrive(&mut a, ":status resolved\n", t0(), 1);
    assert!(commits(&effects).is_empty(), "{effects:?}");
    assert!(screen(&mut a).contains("Pasted (keys faster than typing)"));
    // Declined: back in the bar; the person's own Enter then runs it.
    answer(&mut a, KeyCode::Esc, t0() + Duration::seconds(1));
    assert_eq!(input(&a), ":status resolved");
    let effects = answer(&mut a, KeyCode::Enter, t0() + Duration::seconds(2));
    assert!(matches!(commits(&effects)[..], [Op::SetStatus { .. }]));
}

#[test]
fn typing_at_human_speed_still_sends_and_runs() {
    let mut a = app();
    let effects = arrive(&mut a, "db restarted\n", t0(), 40);
    assert_eq!(commits(&effects), [&note("db restarted")]);
    let effects = arrive(&mut a, ":sev SEV1\n", t0() + Duration::seconds(5), 40);
    assert!(matches!(commits(&effects)[..], [Op::SetSeverity { .. }]));
}

#[test]
fn a_pasted_tab_neither_completes_nor_leaves_the_bar() {
    let mut a = app();
    arrive(&mut a, "a\tb", t0(), 1);
    assert_eq!(input(&a), "a b");
    assert_eq!(a.room().unwrap().focus, Focus::Input);
}

#[test]
fn a_burst_into_a_pane_becomes_text_not_pane_keys() {
    let mut a = app();
    a.handle_key(key(KeyCode::Tab), t0());
    assert_eq!(a.room().unwrap().focus, Focus::Log);
    // The first key cannot be told from a press; the rest are text.
    arrive(&mut a, "jquit Dd", t0(), 1);
    assert!(!a.quit, "q in a paste does not quit");
    assert!(
        a.room().unwrap().doc.is_none(),
        "D in a paste does not open the document"
    );
    assert_eq!(input(&a), "quit Dd");
}

#[test]
fn a_burst_does_not_answer_a_question() {
    let mut a = app();
    for c in "draft".chars() {
        a.handle_key(key(KeyCode::Char(c)), t0());
    }
    a.room_mut().unwrap().focus = Focus::Log;
    // A paste into the log pane starting "qy": q asks whether to quit
    // (there is a draft); the y right behind it is the paste, not a yes.
    arrive(&mut a, "qy", t0(), 1);
    assert!(!a.quit);
    assert_eq!(a.overlay, Some(Overlay::ConfirmQuit));
    // A bracketed paste does not answer it either.
    a.update(Msg::Paste("y"));
    assert!(!a.quit);
    assert_eq!(a.overlay, Some(Overlay::ConfirmQuit));
}

#[test]
fn a_failed_send_of_a_paste_comes_back_as_a_paste() {
    let mut a = app();
    a.committed(Err("disk full".into()), Some(BLOCK.into()));
    assert_eq!(
        input(&a),
        "checkout 5xx since 14:02 :status resolved see the dashboard"
    );
    assert!(answer(&mut a, KeyCode::Enter, t0()).is_empty());
    let effects = answer(&mut a, KeyCode::Char('y'), t0() + Duration::seconds(1));
    assert_eq!(commits(&effects), [&note(BLOCK)]);
}

fn typed(a: &mut App, text: &str) -> Option<Effect> {
    for c in text.chars() {
        a.handle_key(key(KeyCode::Char(c)), t0());
    }
    a.handle_key(key(KeyCode::Enter), t0())
}

#[test]
fn a_short_note_asks_before_it_is_sent_and_no_keeps_it() {
    let mut a = app();
    assert_eq!(typed(&mut a, "ok"), None);
    let s = screen(&mut a);
    assert!(
        s.contains("Send this very short note?") && s.contains("│ ok"),
        "{s}"
    );
    assert!(a.handle_key(key(KeyCode::Char('n')), t0()).is_none());
    assert_eq!(input(&a), "ok", "declining keeps the text in the bar");
    assert_eq!(a.handle_key(key(KeyCode::Enter), t0()), None);
    let effects = a.update(Msg::Key(key(KeyCode::Char('y')), t0()));
    assert_eq!(commits(&effects), [&note("ok")]);
    assert_eq!(input(&a), "");
}

#[test]
fn letters_meant_for_a_pane_ask_before_they_are_logged() {
    for (text, k) in [("jjjj", 'j'), ("D", 'D'), ("jjkk", 'j')] {
        let mut a = app();
        assert_eq!(typed(&mut a, text), None, "{text}");
        assert_eq!(
            a.overlay,
            Some(Overlay::ConfirmNote {
                lines: vec![text.into()],
                why: NoteCheck::PaneKey(k)
            })
        );
        let s = screen(&mut a);
        assert!(s.contains(&format!("{k} is a pane key")), "{s}");
        assert!(s.contains("Tab = go to the panes, not sent"), "{s}");
        // Tab takes them where they were meant: the panes, nothing sent
        // and nothing left in the bar to send by mistake.
        let effects = a.update(Msg::Key(key(KeyCode::Tab), t0()));
        assert!(commits(&effects).is_empty(), "{text}");
        assert_eq!(input(&a), "", "{text}");
        assert_eq!(
            a.room().unwrap().focus,
            incident::tui::panes::Focus::Log,
            "{text}"
        );
        assert!(screen(&mut a).contains("Dropped, not sent: you are in the panes"));
    }
    // A slip that is not pane keys: Tab goes to the panes as the
    // question says, not back into the bar.
    let mut a = app();
    assert_eq!(typed(&mut a, "x"), None);
    a.update(Msg::Key(key(KeyCode::Tab), t0()));
    assert_eq!(input(&a), "");
    assert_ne!(a.room().unwrap().focus, incident::tui::panes::Focus::Input);
    // An ordinary note goes straight out.
    let mut a = app();
    assert_eq!(
        typed(&mut a, "db is up"),
        Some(Effect::Commit(note("db is up")))
    );
}

#[test]
fn esc_clears_the_input_and_up_brings_it_back() {
    let mut a = app();
    for c in "half a thought".chars() {
        a.handle_key(key(KeyCode::Char(c)), t0());
    }
    a.handle_key(key(KeyCode::Esc), t0());
    assert_eq!(input(&a), "");
    assert!(screen(&mut a).contains("Cleared: Up brings it back"));
    a.handle_key(key(KeyCode::Up), t0());
    assert_eq!(input(&a), "half a thought");
}

#[test]
fn the_paste_question_80x24() {
    let mut a = app();
    a.update(Msg::Paste(
        "one\ntwo\n:status resolved\nfour\nfive\nsix\n\n",
    ));
    insta::assert_snapshot!(screen(&mut a));
}

#[test]
fn the_paste_question_120x35_and_200x50() {
    for (w, h) in [(120, 35), (200, 50)] {
        let mut a = app();
        a.update(Msg::Paste(
            "one\ntwo\n:status resolved\nfour\nfive\nsix\n\n",
        ));
        let shown = to_text(&draw(&mut a, &Theme::built_in("mono").unwrap(), t0(), w, h));
        insta::assert_snapshot!(format!("the_paste_question_{w}x{h}"), shown);
    }
}

#[test]
fn the_short_note_question_80x24_120x35_200x50() {
    for (w, h) in [(80, 24), (120, 35), (200, 50)] {
        let mut a = app();
        assert_eq!(typed(&mut a, "jj"), None);
        let shown = to_text(&draw(&mut a, &Theme::built_in("mono").unwrap(), t0(), w, h));
        insta::assert_snapshot!(format!("the_short_note_question_{w}x{h}"), shown);
    }
}

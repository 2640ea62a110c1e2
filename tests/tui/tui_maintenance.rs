//! `:maintenance` in the bar (the same verb as `incident maintenance`),
//! and the banner naming a window that holds back pages for a system
//! failing in the open incident.

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Actor, Severity, SystemStatus};
use incident::ops::Op;
use incident::store::Store;
use incident::tui::app::{App, Msg};
use incident::tui::headless::{draw, to_text};
use incident::tui::session::Session;
use incident::tui::theme::Theme;

fn press(s: &mut Session, a: &mut App, code: KeyCode) {
    let effects = a.update(Msg::Key(
        KeyEvent::new(code, KeyModifiers::NONE),
        Utc::now(),
    ));
    s.perform_all(effects, a);
}

fn typed(s: &mut Session, a: &mut App, line: &str) -> String {
    press(s, a, KeyCode::Esc);
    a.message = None;
    for c in line.chars() {
        press(s, a, KeyCode::Char(c));
    }
    press(s, a, KeyCode::Enter);
    s.settle(a, std::time::Duration::from_secs(10));
    a.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// INC-1, with payments failing in it.
fn payments_failing() -> (tempfile::TempDir, Store) {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    let mut file = store
        .declare(&Actor::named("alice"), "Payments down", Severity::Sev2)
        .unwrap();
    file.commit(
        &Actor::named("alice"),
        Op::ReportSystem {
            name: "payments".into(),
            status: SystemStatus::Failing,
            source: "check".into(),
        },
    )
    .unwrap();
    (tmp, store)
}

#[test]
fn the_bar_adds_and_ends_windows_and_the_banner_names_one_for_a_failing_system() {
    let (tmp, store) = payments_failing();
    let mut s = Session::new(store.clone(), Actor::named("bob"));
    let screen = s.open("INC-1").unwrap();
    let mut a = App::new(Actor::named("bob"), screen);
    let theme = Theme::built_in("default").unwrap();

    let said = typed(
        &mut s,
        &mut a,
        ":maintenance add payments --for 1h db upgrade",
    );
    assert!(said.contains("W1: payments is in maintenance"), "{said}");
    // A window for a service that is not failing here is not named.
    let said = typed(&mut s, &mut a, ":maintenance add search --for 1h reindex");
    assert!(said.contains("W2"), "{said}");
    let text = to_text(&draw(&mut a, &theme, Utc::now(), 120, 30));
    assert!(
        text.contains("MAINTENANCE payments until") && text.contains("W1, 0 pages held back"),
        "{text}"
    );
    assert!(!text.contains("search until"), "{text}");

    // Refusals say what to type in the bar.
    let said = typed(&mut s, &mut a, ":maintenance end W9");
    assert!(said.contains(":maintenance list"), "{said}");
    let said = typed(&mut s, &mut a, ":maintenance add db upgrade");
    assert!(said.contains(":maintenance add SERVICE --for 2h"), "{said}");
    // The bar was cleared when it was sent: the refusal says how to get
    // the line back, and Up does.
    assert!(said.contains("(Up brings back what you typed)"), "{said}");
    press(&mut s, &mut a, KeyCode::Up);
    assert_eq!(
        a.room().unwrap().input.line.value(),
        ":maintenance add db upgrade"
    );

    // The command line sees what the bar wrote, and the other way round.
    let windows = incident::store::maintenance::active(tmp.path(), Utc::now()).unwrap();
    assert_eq!(windows.len(), 2);
    assert_eq!(windows[0].by, "bob");
    let said = typed(&mut s, &mut a, ":maintenance end W1");
    assert!(said.contains("W1 ended"), "{said}");
    let text = to_text(&draw(&mut a, &theme, Utc::now(), 120, 30));
    assert!(!text.contains("MAINTENANCE"), "{text}");
}

/// A window put in from the command line before the view opens: the
/// banner names it on the first frame, not half a minute later.
#[test]
fn a_window_set_before_the_view_opens_is_named_on_the_first_frame() {
    let (tmp, store) = payments_failing();
    let now = Utc::now();
    incident::store::maintenance::add(
        tmp.path(),
        "carol",
        "payments",
        "db upgrade",
        now + chrono::Duration::hours(1),
        now,
        &|s| s.to_string(),
    )
    .unwrap();
    let mut s = Session::new(store.clone(), Actor::named("bob"));
    let screen = s.open("INC-1").unwrap();
    let mut a = App::new(Actor::named("bob"), screen);
    let theme = Theme::built_in("default").unwrap();
    let text = to_text(&draw(&mut a, &theme, Utc::now(), 120, 30));
    assert!(text.contains("MAINTENANCE payments until"), "{text}");
}

/// A window added elsewhere (another person, another box) while the view
/// is open reaches the banner as the windows' file changes, through the
/// directory's watch, not at the view's next half-minute read.
#[test]
fn a_window_added_while_the_view_is_open_reaches_the_banner_as_it_is_written() {
    use incident::store::watch::{self, WatchMode};
    let (tmp, store) = payments_failing();
    let theme = Theme::built_in("default").unwrap();
    for mode in [
        WatchMode::Events,
        WatchMode::Poll(std::time::Duration::from_millis(50)),
    ] {
        // As the view's loop does: the folder made, then watched.
        incident::store::maintenance::ensure_folder(tmp.path()).unwrap();
        let changes = watch::changes(tmp.path(), mode).unwrap();
        let mut s = Session::new(store.clone(), Actor::named("bob"));
        let screen = s.open("INC-1").unwrap();
        let mut a = App::new(Actor::named("bob"), screen);
        let text = to_text(&draw(&mut a, &theme, Utc::now(), 120, 30));
        assert!(!text.contains("MAINTENANCE"), "{mode:?}: {text}");

        let now = Utc::now();
        let w = incident::store::maintenance::add(
            tmp.path(),
            "carol",
            "payments",
            "db upgrade",
            now + chrono::Duration::hours(1),
            now,
            &|s| s.to_string(),
        )
        .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let text = loop {
            let burst = changes.recv_timeout(std::time::Duration::from_millis(100));
            s.changed(&mut a, &burst);
            s.settle(&mut a, std::time::Duration::from_secs(5));
            let text = to_text(&draw(&mut a, &theme, Utc::now(), 120, 30));
            if text.contains("MAINTENANCE payments until") || std::time::Instant::now() > deadline {
                break text;
            }
        };
        assert!(
            text.contains("MAINTENANCE payments until"),
            "{mode:?}: {text}"
        );
        incident::store::maintenance::end(tmp.path(), "carol", w.id, Utc::now(), &|s| {
            s.to_string()
        })
        .unwrap();
    }
}

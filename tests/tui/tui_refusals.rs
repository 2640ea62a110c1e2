//! Refusals in the live view name the way out as a `:` command, typed
//! there, never the command line's `incident ...` form.

use chrono::Utc;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Actor, Role, Severity};
use incident::ops::Op;
use incident::store::Store;
use incident::tui::app::{App, Msg};
use incident::tui::session::Session;

/// Type `line` into `who`'s view and press Enter; the refusal (or what
/// else it said) once the write has been judged.
fn said(s: &mut Session, a: &mut App, line: &str) -> String {
    a.message = None;
    // A refused line comes back to the input bar: start afresh (Esc).
    let esc = a.update(Msg::Key(
        KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
        Utc::now(),
    ));
    s.perform_all(esc, a);
    for c in line.chars().chain(['\n']) {
        let code = if c == '\n' {
            KeyCode::Enter
        } else {
            KeyCode::Char(c)
        };
        let effects = a.update(Msg::Key(
            KeyEvent::new(code, KeyModifiers::NONE),
            Utc::now(),
        ));
        s.perform_all(effects, a);
    }
    s.settle(a, std::time::Duration::from_secs(10));
    a.message.as_ref().expect("something was said").text.clone()
}

fn view(store: &Store, who: &str) -> (Session, App) {
    let mut s = Session::new(store.clone(), Actor::named(who));
    let screen = s.open("INC-1").unwrap();
    (s, App::new(Actor::named(who), screen))
}

#[test]
fn refusals_in_the_view_name_the_colon_command() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    store
        .declare(&Actor::named("alice"), "Checkout errors", Severity::Sev2)
        .unwrap();
    store
        .open("INC-1")
        .unwrap()
        .commit(
            &Actor::named("carol"),
            Op::Announce {
                text: "restart db-2".into(),
                mitigation: None,
            },
        )
        .unwrap();
    let (mut s, mut a) = view(&store, "alice");

    // Nobody commands: answering needs command first.
    let m = said(&mut s, &mut a, ":go R1");
    assert!(m.contains("claim command first (`:claim ic`)"), "{m}");
    assert!(!m.contains("incident role"), "{m}");

    let m = said(&mut s, &mut a, ":done M4");
    assert!(
        m.contains("there is no mitigation M4: `:mitigations` shows them"),
        "{m}"
    );

    let m = said(&mut s, &mut a, ":verify A2 checked it");
    assert!(m.contains("`:assumptions` lists them"), "{m}");

    // Once alice commands, bob cannot claim it: she hands it over.
    store
        .open("INC-1")
        .unwrap()
        .commit(
            &Actor::named("alice"),
            Op::ClaimRole {
                role: Role::Commander,
            },
        )
        .unwrap();
    let (mut s, mut b) = view(&store, "bob");
    let m = said(&mut s, &mut b, ":claim ic");
    assert!(
        m.contains("commander is held by alice: ask alice to hand it over (`:handover ic you`)"),
        "{m}"
    );
    assert!(!m.contains("incident role"), "{m}");
}

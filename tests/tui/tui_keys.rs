//! Key handling as functions: key -> action -> new state (and effects).

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Actor, Incident, LogKind, Role, Severity, Status};
use incident::ops::{self, Op, Record};
use incident::tui::app::{App, Effect, Focus, Overlay, Picker, PickerItem, Room, Screen, Welcome};
use incident::tui::headless::{draw, to_text};
use incident::tui::theme::Theme;

fn t0() -> DateTime<Utc> {
    crate::common::fixture_t0()
}

fn incident(entries: usize) -> Incident {
    let mut inc = crate::common::Fixture::declared("INC-1", t0()).incident;
    for i in 0..entries {
        let r = Record {
            at: t0() + Duration::seconds(i as i64),
            by: Actor::named("bob"),
            op: Op::Log {
                kind: LogKind::Note,
                text: format!("entry number {i}"),
            },
        };
        ops::apply(&mut inc, &r).unwrap();
    }
    inc
}

fn app(entries: usize) -> App {
    let mut app = App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(incident(entries)))),
    );
    app.size = (80, 24);
    app
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn press(app: &mut App, code: KeyCode) -> Option<Effect> {
    app.handle_key(key(code), t0())
}

fn typ(app: &mut App, text: &str) {
    for c in text.chars() {
        assert_eq!(press(app, KeyCode::Char(c)), None);
    }
}

fn input(app: &App) -> String {
    app.room().unwrap().input.line.value().to_string()
}

fn screen(app: &mut App) -> String {
    to_text(&draw(
        app,
        &Theme::built_in("mono").unwrap(),
        t0() + Duration::hours(1),
        80,
        24,
    ))
}

#[test]
fn typing_and_enter_sends_a_note() {
    let mut a = app(0);
    typ(&mut a, "db restarted");
    let effect = press(&mut a, KeyCode::Enter);
    assert_eq!(
        effect,
        Some(Effect::Commit(Op::Log {
            kind: LogKind::Note,
            text: "db restarted".into()
        }))
    );
    assert_eq!(input(&a), "", "input clears once sent");
    assert_eq!(a.history.lines, ["db restarted"]);
}

#[test]
fn commands_become_operations() {
    let mut a = app(0);
    typ(&mut a, ":status mitigated");
    assert_eq!(
        press(&mut a, KeyCode::Enter),
        Some(Effect::Commit(Op::set_status(Status::Mitigated)))
    );
    typ(&mut a, ":claim comms");
    assert_eq!(
        press(&mut a, KeyCode::Enter),
        Some(Effect::Commit(Op::ClaimRole {
            role: Role::Communications
        }))
    );
    // `!` at the start asks the commander for go.
    typ(&mut a, "!restart db-2");
    assert_eq!(
        press(&mut a, KeyCode::Enter),
        Some(Effect::Commit(Op::Announce {
            text: "restart db-2".into(),
            mitigation: None,
        }))
    );
}

#[test]
fn a_bad_command_explains_and_keeps_the_text() {
    let mut a = app(0);
    typ(&mut a, ":sev 9");
    assert_eq!(press(&mut a, KeyCode::Enter), None);
    assert_eq!(input(&a), ":sev 9");
    assert!(a.message.as_ref().unwrap().text.contains("SEV1"));
}

#[test]
fn a_failed_save_puts_the_text_back() {
    let mut a = app(0);
    typ(&mut a, "important finding");
    assert!(press(&mut a, KeyCode::Enter).is_some());
    // The session takes the text with the job, and hands it back.
    let sent = a.room_mut().unwrap().input.sending.take();
    assert_eq!(sent.as_deref(), Some("important finding"));
    a.committed(Err("disk full".into()), sent);
    assert_eq!(input(&a), "important finding");
    assert!(a.message.as_ref().unwrap().text.contains("disk full"));
}

#[test]
fn esc_clears_and_never_quits() {
    let mut a = app(0);
    typ(&mut a, "half");
    assert_eq!(press(&mut a, KeyCode::Esc), None);
    assert_eq!(input(&a), "");
    assert_eq!(press(&mut a, KeyCode::Esc), None);
    assert!(!a.quit);
}

#[test]
fn ctrl_c_always_quits() {
    let mut a = app(0);
    typ(&mut a, "draft");
    let e = a.handle_key(
        KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
        t0(),
    );
    assert_eq!(e, Some(Effect::Quit));
    assert!(a.quit);
}

#[test]
fn q_in_a_pane_quits_but_asks_when_a_draft_would_be_lost() {
    let mut a = app(0);
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.room().unwrap().focus, Focus::Log);
    assert_eq!(press(&mut a, KeyCode::Char('q')), Some(Effect::Quit));

    let mut a = app(0);
    typ(&mut a, "unsent");
    // Shift-Tab leaves the input only when it is empty; use Esc-less path:
    a.room_mut().unwrap().focus = Focus::Log;
    assert_eq!(press(&mut a, KeyCode::Char('q')), None);
    assert_eq!(a.overlay, Some(Overlay::ConfirmQuit));
    assert!(screen(&mut a).contains("unsent draft"));
    assert_eq!(press(&mut a, KeyCode::Char('n')), None);
    assert!(!a.quit);
    assert_eq!(input(&a), "unsent");
    press(&mut a, KeyCode::Char('q'));
    assert_eq!(press(&mut a, KeyCode::Char('y')), Some(Effect::Quit));
}

#[test]
fn question_mark_is_help_only_on_an_empty_input() {
    let mut a = app(0);
    typ(&mut a, "why");
    press(&mut a, KeyCode::Char('?'));
    assert_eq!(input(&a), "why?");
    assert_eq!(a.overlay, None);
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('?'));
    assert_eq!(a.overlay, Some(Overlay::Help(0)));
    assert!(screen(&mut a).contains("Input bar"));
    press(&mut a, KeyCode::Char('j'));
    assert_eq!(a.overlay, Some(Overlay::Help(1)));
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.overlay, None);
    assert!(!a.quit);
    a.handle_key(key(KeyCode::F(1)), t0());
    assert!(matches!(a.overlay, Some(Overlay::Help(_))));
}

#[test]
fn up_and_down_recall_history() {
    let mut a = app(0);
    for line in ["first", "second"] {
        typ(&mut a, line);
        press(&mut a, KeyCode::Enter);
    }
    typ(&mut a, "third");
    press(&mut a, KeyCode::Up);
    assert_eq!(input(&a), "second");
    press(&mut a, KeyCode::Up);
    assert_eq!(input(&a), "first");
    press(&mut a, KeyCode::Down);
    press(&mut a, KeyCode::Down);
    assert_eq!(input(&a), "third", "back to what was being typed");
}

#[test]
fn tab_completes_commands_roles_and_people() {
    let mut a = app(2); // bob wrote entries, so bob is a known person
    typ(&mut a, ":cla");
    press(&mut a, KeyCode::Tab);
    assert_eq!(input(&a), ":claim ");
    typ(&mut a, "i");
    press(&mut a, KeyCode::Tab);
    assert_eq!(input(&a), ":claim ic ");
    press(&mut a, KeyCode::Esc);
    typ(&mut a, ":role scribe b");
    press(&mut a, KeyCode::Tab);
    assert_eq!(input(&a), ":role scribe bob ");
    press(&mut a, KeyCode::Esc);
    // Entry numbers, from the log.
    typ(&mut a, ":pin #");
    press(&mut a, KeyCode::Tab);
    assert_eq!(input(&a), ":pin #", "several: the candidates are listed");
    let listed = a
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(listed.contains("#1") && listed.contains("#3"), "{listed}");
}

#[test]
fn tab_completes_mitigations_and_systems_of_the_incident() {
    let mut f = crate::common::Fixture::declared("INC-1", t0());
    f.apply(
        1,
        "bob",
        Op::ProposeMitigation {
            text: "Roll back payments".into(),
            kind: incident::model::MitigationKind::Rollback,
            risk: incident::model::Risk::Low,
            speed: incident::model::Speed::Quick,
            system: None,
            owner: None,
        },
    );
    f.apply(
        2,
        "bob",
        Op::SetSystem {
            name: "payments".into(),
            status: incident::model::SystemStatus::Failing,
            evidence: None,
            owner: None,
            note: None,
        },
    );
    let mut a = App::new(
        Actor::named("alice"),
        Screen::Room(Box::new(Room::new(f.incident))),
    );
    typ(&mut a, ":start ");
    press(&mut a, KeyCode::Tab);
    assert_eq!(input(&a), ":start M1 ");
    press(&mut a, KeyCode::Esc);
    typ(&mut a, ":sys pay");
    press(&mut a, KeyCode::Tab);
    assert_eq!(input(&a), ":sys payments ");
}

#[test]
fn tab_and_shift_tab_cycle_focus_and_esc_returns_to_input() {
    let mut a = app(0);
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.room().unwrap().focus, Focus::Log);
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.room().unwrap().focus, Focus::Roles);
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.room().unwrap().focus, Focus::Input);
    a.handle_key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT), t0());
    assert_eq!(a.room().unwrap().focus, Focus::Roles);
}

#[test]
fn enter_on_an_empty_role_prefills_claim() {
    let mut a = app(0);
    a.room_mut().unwrap().focus = Focus::Roles;
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Enter);
    assert_eq!(input(&a), ":claim communications");
    assert_eq!(a.room().unwrap().focus, Focus::Input);
}

#[test]
fn scrolling_back_stops_following_and_counts_new_entries() {
    let mut a = app(100);
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('k'));
    press(&mut a, KeyCode::Char('k'));
    assert!(a.room().unwrap().log.scroll.anchor.is_some());
    let before = screen(&mut a);
    assert!(before.contains("scrolled back"), "{before}");
    assert!(!before.contains("entry number 99"), "{before}");
    // Two entries arrive from someone else.
    let mut newer = incident(102);
    newer.title = "Checkout errors".into();
    a.room_mut().unwrap().update(&newer, "alice");
    let after = screen(&mut a);
    assert!(after.contains("2 new"), "{after}");
    assert!(
        !after.contains("entry number 101"),
        "the view does not jump: {after}"
    );
    press(&mut a, KeyCode::Char('G'));
    let bottom = screen(&mut a);
    assert!(
        bottom.contains("entry number 101") && !bottom.contains("scrolled back"),
        "{bottom}"
    );
}

#[test]
fn top_and_page_keys_move_through_the_log() {
    let mut a = app(100);
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('g'));
    let top = screen(&mut a);
    assert!(
        top.contains("declared SEV2") && top.contains("entry number 0"),
        "{top}"
    );
    press(&mut a, KeyCode::PageDown);
    assert!(!screen(&mut a).contains("declared SEV2"));
    press(&mut a, KeyCode::PageUp);
    assert!(screen(&mut a).contains("declared SEV2"));
    // Scrolling up at the top stays at the top.
    press(&mut a, KeyCode::Char('k'));
    assert!(screen(&mut a).contains("declared SEV2"));
}

#[test]
fn search_jumps_to_matches() {
    let mut a = app(100);
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('/'));
    typ(&mut a, "number 42");
    press(&mut a, KeyCode::Enter);
    let room = a.room().unwrap();
    assert_eq!(room.log.search.hit, Some(43)); // entry 0 is the declaration
    assert!(screen(&mut a).contains("entry number 42"));
    press(&mut a, KeyCode::Char('n'));
    assert!(a.message.as_ref().unwrap().text.contains("No more matches"));
}

#[test]
fn t_toggles_utc_and_local() {
    let mut a = app(0);
    assert!(a.utc);
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('t'));
    assert!(!a.utc);
}

#[test]
fn welcome_form_declares() {
    let mut a = App::new(Actor::named("alice"), Screen::Welcome(Welcome::default()));
    assert_eq!(press(&mut a, KeyCode::Enter), None, "no title yet");
    assert!(a.message.is_some());
    typ(&mut a, "Search down");
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('1'));
    assert_eq!(
        press(&mut a, KeyCode::Enter),
        Some(Effect::Declare {
            title: "Search down".into(),
            severity: Severity::Sev1,
            force: false
        })
    );
    // Told a similar incident is active, Enter again declares anyway and
    // Esc goes to pick the existing one.
    if let Screen::Welcome(w) = &mut a.screen {
        w.similar = Some(("INC-3".into(), "Search is down".into()));
    }
    assert!(matches!(
        press(&mut a, KeyCode::Enter),
        Some(Effect::Declare { force: true, .. })
    ));
    assert_eq!(press(&mut a, KeyCode::Esc), Some(Effect::ShowPicker));
}

#[test]
fn picker_opens_the_selected_incident() {
    let mut second = incident(0);
    second.id = "INC-2".into();
    let picker = Picker {
        items: vec![
            PickerItem {
                incident: second,
                here: 0,
            },
            PickerItem {
                incident: incident(0),
                here: 0,
            },
        ],
        selected: 0,
    };
    let mut a = App::new(Actor::named("alice"), Screen::Picker(picker));
    // Esc never quits, not even here: a stressed Esc must not drop you out.
    assert_eq!(press(&mut a, KeyCode::Esc), None);
    assert!(!a.quit && matches!(a.screen, Screen::Picker(_)));
    press(&mut a, KeyCode::Char('j'));
    assert_eq!(
        press(&mut a, KeyCode::Enter),
        Some(Effect::Open("INC-1".into()))
    );
    press(&mut a, KeyCode::Char('n'));
    assert!(matches!(a.screen, Screen::Welcome(_)));
}

#[test]
fn control_characters_never_enter_the_input() {
    let mut a = app(0);
    typ(&mut a, "a");
    a.handle_key(key(KeyCode::Char('\u{1b}')), t0());
    incident::tui::app::paste(&mut a.room_mut().unwrap().input.line, "b\u{1b}[31m\nc");
    assert_eq!(input(&a), "ab [31m c");
}

#[test]
fn the_hardware_cursor_follows_focus() {
    use ratatui::{Terminal, backend::TestBackend};
    let theme = Theme::built_in("default").unwrap();
    let mut a = app(3);
    let cursor = |a: &mut App| {
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| incident::tui::view::render(f, a, &theme, t0()))
            .unwrap();
        term.get_cursor_position().unwrap()
    };
    typ(&mut a, "abc");
    let c = cursor(&mut a);
    assert_eq!((c.x, c.y), (6, 22), "after ' > abc' in the input bar");
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Tab);
    let c = cursor(&mut a);
    assert!(c.y > 5 && c.y < 22, "on a log row: {c:?}");
    press(&mut a, KeyCode::Tab);
    let c = cursor(&mut a);
    assert_eq!(c.y, 2, "on the selected role (first row of the Roles pane)");
}

/// An incident where alice commands, carol asked to restart db-2 (R1) and
/// alice offered scribe... to bob, who is "me" where it matters.
fn with_questions() -> Incident {
    let mut inc = incident(0);
    let at = t0() + Duration::seconds(5);
    for (who, op) in [
        (
            "alice",
            Op::ClaimRole {
                role: Role::Commander,
            },
        ),
        ("alice", Op::ClaimRole { role: Role::Scribe }),
        (
            "alice",
            Op::OfferRole {
                role: Role::Scribe,
                to: "bob".into(),
            },
        ),
        (
            "carol",
            Op::Announce {
                text: "restart db-2".into(),
                mitigation: None,
            },
        ),
    ] {
        ops::apply(
            &mut inc,
            &Record {
                at,
                by: Actor::named(who),
                op,
            },
        )
        .unwrap();
    }
    inc
}

fn app_as(who: &str, inc: Incident) -> App {
    let mut app = App::new(Actor::named(who), Screen::Room(Box::new(Room::new(inc))));
    app.size = (100, 30);
    app
}

#[test]
fn the_commander_answers_requests_with_y_and_n() {
    let mut a = app_as("alice", with_questions());
    let s = screen(&mut a);
    assert!(s.contains("R1 carol is about to: restart db-2"), "{s}");
    assert!(s.contains("y go"), "{s}");
    assert_eq!(
        press(&mut a, KeyCode::Char('y')),
        Some(Effect::Commit(Op::Answer {
            request: 1,
            go: true,
            reason: None
        }))
    );
    // n asks for a reason instead of holding silently.
    assert_eq!(press(&mut a, KeyCode::Char('n')), None);
    assert_eq!(input(&a), ":hold R1 ");
    typ(&mut a, "replica lag first");
    assert_eq!(
        press(&mut a, KeyCode::Enter),
        Some(Effect::Commit(Op::Answer {
            request: 1,
            go: false,
            reason: Some("replica lag first".into())
        }))
    );
}

#[test]
fn a_prompt_never_swallows_typing_in_progress() {
    let mut a = app_as("alice", with_questions());
    typ(&mut a, "ok");
    assert_eq!(press(&mut a, KeyCode::Char('y')), None);
    assert_eq!(input(&a), "oky", "y went into the text, not to the prompt");
}

#[test]
fn others_see_the_request_waiting_but_get_no_prompt() {
    let mut a = app_as("dave", with_questions());
    assert!(a.prompt().is_none());
    let s = screen(&mut a);
    assert!(
        s.contains("Waiting") && s.contains("R1 carol: restart db-2"),
        "{s}"
    );
    typ(&mut a, "y");
    assert_eq!(input(&a), "y");
}

#[test]
fn the_person_offered_a_role_accepts_or_declines_it() {
    let mut a = app_as("bob", with_questions());
    let s = screen(&mut a);
    assert!(s.contains("alice offers you scribe"), "{s}");
    assert_eq!(
        press(&mut a, KeyCode::Char('y')),
        Some(Effect::Commit(Op::AcceptRole { role: Role::Scribe }))
    );
    let mut a = app_as("bob", with_questions());
    assert_eq!(
        press(&mut a, KeyCode::Char('n')),
        Some(Effect::Commit(Op::DeclineRole { role: Role::Scribe }))
    );
    let mut a = app_as("bob", with_questions());
    assert_eq!(press(&mut a, KeyCode::Esc), None);
    assert!(a.prompt().is_none(), "Esc puts it off");
}

#[test]
fn the_requester_is_told_the_answer() {
    let mut a = app_as("carol", with_questions());
    let mut answered = with_questions();
    ops::apply(
        &mut answered,
        &Record {
            at: t0() + Duration::seconds(9),
            by: Actor::named("alice"),
            op: Op::Answer {
                request: 1,
                go: false,
                reason: Some("replica lag".into()),
            },
        },
    )
    .unwrap();
    let news = a.room_mut().unwrap().update(&answered, "carol");
    assert_eq!(news, ["R1 HOLD from alice: replica lag"]);
}

#[test]
fn w_shows_who_is_here() {
    use incident::store::presence::Here;
    let mut a = app_as("alice", with_questions());
    a.room_mut().unwrap().around.here = vec![Here {
        actor: Actor {
            host: "jump1".into(),
            via: Some("ssh 10.0.0.5".into()),
            ..Actor::named("carol")
        },
        joined_at: t0(),
        pid: 7,
    }];
    press(&mut a, KeyCode::Esc); // put off the prompt
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('w'));
    let s = screen(&mut a);
    assert!(
        s.contains("Here now: 1") && s.contains("carol") && s.contains("ssh 10.0.0"),
        "{s}"
    );
    press(&mut a, KeyCode::Char('x'));
    assert!(!screen(&mut a).contains("Here now"));
}

/// Every change comes in as a message and goes out as effects: a sent
/// note is a commit, then the history to save; the app itself writes
/// nothing, and a failed write hands the text back.
#[test]
fn messages_in_effects_out() {
    use incident::tui::app::Msg;
    use incident::tui::committer::{Done, Outcome};
    let mut a = app(0);
    for c in "rolled back".chars() {
        assert!(a.update(Msg::Key(key(KeyCode::Char(c)), t0())).is_empty());
    }
    let effects = a.update(Msg::Key(key(KeyCode::Enter), t0()));
    assert_eq!(
        effects,
        vec![
            Effect::Commit(Op::Log {
                kind: LogKind::Note,
                text: "rolled back".into()
            }),
            Effect::SaveHistory
        ]
    );
    let sent = a.room_mut().unwrap().input.sending.take();
    let effects = a.update(Msg::Committed(Outcome {
        text: sent,
        quiet: false,
        done: Done::Failed("disk full".into()),
    }));
    assert!(effects.is_empty());
    assert_eq!(input(&a), "rolled back");
    assert!(a.message.as_ref().unwrap().text.contains("disk full"));
    assert!(a.update(Msg::Resize(120, 35)).is_empty());
    assert_eq!(a.size, (120, 35));
}

#[test]
fn help_lists_every_key_in_the_keymap() {
    let theme = Theme::built_in("mono").unwrap();
    let help: Vec<String> = incident::tui::panes::help::lines(&theme)
        .iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect();
    for b in incident::tui::keymap::BINDINGS {
        assert!(
            help.iter()
                .any(|l| l.contains(b.label) && l.contains(b.help)),
            "help lacks {} ({})",
            b.label,
            b.help
        );
    }
    // The keys that used to be handled out of the table's sight.
    for (section, key) in [
        ("This help", "scroll help down"),
        ("Typing a search (after /)", "find the query"),
        ("Typing a search (after /)", "delete a character"),
        ("Asked to confirm (y/n)", "yes, do it"),
        ("Declaring", "leave without declaring"),
    ] {
        let at = help
            .iter()
            .position(|l| l == section)
            .unwrap_or_else(|| panic!("no section {section}"));
        let end = help[at + 1..]
            .iter()
            .position(|l| !l.starts_with("  "))
            .map_or(help.len(), |n| at + 1 + n);
        assert!(
            help[at..end].iter().any(|l| l.contains(key)),
            "{section} lacks {key}: {:?}",
            &help[at..end]
        );
    }
}

#[test]
fn help_scrolls_with_its_keys_and_closes_with_any_other() {
    let mut a = app(0);
    press(&mut a, KeyCode::Char('?'));
    assert_eq!(a.overlay, Some(Overlay::Help(0)));
    assert!(
        screen(&mut a).contains("Esc close"),
        "the hint line names the help's keys"
    );
    press(&mut a, KeyCode::Char('j'));
    press(&mut a, KeyCode::Down);
    assert_eq!(a.overlay, Some(Overlay::Help(2)));
    press(&mut a, KeyCode::Char('g'));
    assert_eq!(a.overlay, Some(Overlay::Help(0)));
    press(&mut a, KeyCode::PageDown);
    assert_eq!(a.overlay, Some(Overlay::Help(12)));
    // q closes it and is not typed into the input bar; nor is any other
    // key that closes it.
    press(&mut a, KeyCode::Char('q'));
    assert_eq!(a.overlay, None);
    assert_eq!(input(&a), "");
    press(&mut a, KeyCode::Char('?'));
    press(&mut a, KeyCode::Char('x'));
    assert_eq!(a.overlay, None);
    assert_eq!(input(&a), "");
}

#[test]
fn typing_a_search_shows_its_keys_and_backspace_edits_it() {
    let mut a = app(5);
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('/'));
    let s = screen(&mut a);
    let hints = s.lines().last().unwrap();
    assert!(
        hints.contains("Enter find") && hints.contains("Esc cancel"),
        "{hints}"
    );
    typ(&mut a, "numbr");
    press(&mut a, KeyCode::Backspace);
    press(&mut a, KeyCode::Backspace);
    typ(&mut a, "ber 3");
    assert_eq!(
        a.room().unwrap().log.search.query.as_deref(),
        Some("number 3")
    );
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.room().unwrap().log.search.hit, Some(4));
    // Esc on a new search drops it.
    press(&mut a, KeyCode::Char('/'));
    press(&mut a, KeyCode::Esc);
    assert_eq!(a.room().unwrap().log.search.query, None);
}

#[test]
fn the_declare_form_says_how_to_leave_it() {
    let mut a = App::new(Actor::named("alice"), Screen::Welcome(Welcome::default()));
    let s = screen(&mut a);
    assert!(
        s.contains("Ctrl-C leaves without declaring anything"),
        "{s}"
    );
    assert!(s.lines().last().unwrap().contains("Ctrl-C leave"), "{s}");
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(a.handle_key(ctrl_c, t0()), Some(Effect::Quit));
    assert!(a.quit);
}

/// The next step named to comms ("… drafts one") is a key that works
/// where the focus is: `u` in a pane or the document, `:draft` while
/// typing (where `u` is a letter), and each does what it says.
#[test]
fn the_way_to_draft_an_update_named_is_the_one_that_works_here() {
    let mut a = app(5);
    assert_eq!(a.draft_key(), ":draft");
    typ(&mut a, ":draft");
    press(&mut a, KeyCode::Enter);
    assert!(!input(&a).is_empty(), ":draft drafts into the bar");
    press(&mut a, KeyCode::Esc);
    assert_eq!(input(&a), "");
    press(&mut a, KeyCode::Tab);
    assert_eq!(a.draft_key(), "u");
    press(&mut a, KeyCode::Char('u'));
    assert!(!input(&a).is_empty(), "u in a pane drafts into the bar");
    let the_draft = input(&a);
    assert_ne!(the_draft, "u");
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Tab);
    press(&mut a, KeyCode::Char('D'));
    assert!(a.room().unwrap().doc.is_some());
    assert_eq!(a.draft_key(), "u");
    press(&mut a, KeyCode::Enter);
    assert_eq!(a.draft_key(), "Ctrl-S then u");
}

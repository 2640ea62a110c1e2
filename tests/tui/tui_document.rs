//! The document view: reading, editing, and two people saving at once.

use chrono::{DateTime, Duration, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use incident::model::{Actor, Incident, Role, Section, Severity};
use incident::ops::Op;
use incident::store::Store;
use incident::tui::app::{App, Effect, Room, Screen};
use incident::tui::headless::{draw, to_text};
use incident::tui::session::Session;
use incident::tui::theme::Theme;

fn t0() -> DateTime<Utc> {
    crate::common::fixture_t0()
}

fn apply(inc: &mut Incident, min: i64, who: &str, op: Op) {
    crate::common::apply_to(inc, t0(), min, who, op);
}

fn incident() -> Incident {
    let mut inc = crate::common::Fixture::declared("INC-7", t0()).incident;
    apply(
        &mut inc,
        0,
        "alice",
        Op::ApplyTemplate {
            name: "built-in".into(),
            sections: incident::template::built_in(),
        },
    );
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
        "bob",
        Op::ClaimRole {
            role: Role::Communications,
        },
    );
    apply(
        &mut inc,
        2,
        "bob",
        Op::EditSection {
            section: Section::Summary,
            text: "Checkout returns 5xx for EU cards.\nPayments pool exhausted.".into(),
            base: 0,
        },
    );
    apply(
        &mut inc,
        3,
        "bob",
        Op::PostUpdate {
            text: "Investigating checkout errors".into(),
            external: true,
        },
    );
    inc
}

fn key(app: &mut App, code: KeyCode) -> Option<Effect> {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE), t0())
}

fn ctrl(app: &mut App, c: char) -> Option<Effect> {
    app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL), t0())
}

fn screen(app: &mut App) -> String {
    to_text(&draw(
        app,
        &Theme::built_in("default").unwrap(),
        t0() + Duration::minutes(10),
        100,
        30,
    ))
}

fn open_doc(who: &str) -> App {
    let mut a = App::new(
        Actor::named(who),
        Screen::Room(Box::new(Room::new(incident()))),
    );
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Char('D'));
    a
}

#[test]
fn document_view_100x30() {
    insta::assert_snapshot!(screen(&mut open_doc("bob")));
}

#[test]
fn editing_a_section_saves_with_the_version_it_started_from() {
    let mut a = open_doc("bob");
    key(&mut a, KeyCode::Char('j')); // Current status
    key(&mut a, KeyCode::Enter);
    for c in "Rolling back payments".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    let s = screen(&mut a);
    assert!(
        s.contains("Editing Current status") && s.contains("Rolling back payments"),
        "{s}"
    );
    assert_eq!(
        ctrl(&mut a, 's'),
        Some(Effect::Commit(Op::EditSection {
            section: Section::Status,
            text: "Rolling back payments".into(),
            base: 0
        }))
    );
}

#[test]
fn esc_with_unsaved_changes_asks_first() {
    let mut a = open_doc("bob");
    key(&mut a, KeyCode::Enter);
    key(&mut a, KeyCode::Char('!'));
    key(&mut a, KeyCode::Esc);
    assert!(
        a.message
            .as_ref()
            .unwrap()
            .text
            .contains("Drop your changes")
    );
    key(&mut a, KeyCode::Char('n'));
    assert!(screen(&mut a).contains("Editing Summary"), "still editing");
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('y'));
    let s = screen(&mut a);
    assert!(
        !s.contains("Editing Summary") && s.contains("Document"),
        "{s}"
    );
    key(&mut a, KeyCode::Esc);
    assert!(
        !screen(&mut a).contains("Document · owner"),
        "Esc closes the view"
    );
    assert!(!a.quit);
}

#[test]
fn u_drafts_an_update_from_the_document() {
    let mut a = open_doc("bob");
    key(&mut a, KeyCode::Char('u'));
    let draft = a.room().unwrap().input.line.value().to_string();
    assert!(
        draft.starts_with(":update SEV2 Checkout errors:"),
        "{draft}"
    );
    assert!(draft.contains("Next update by 14:20 UTC"), "{draft}");
}

#[test]
fn two_people_saving_one_section_lose_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path());
    store
        .declare(&Actor::named("bob"), "Checkout errors", Severity::Sev2)
        .unwrap();
    let mut f = store.open("INC-1").unwrap();
    f.commit(
        &Actor::named("bob"),
        Op::ClaimRole {
            role: Role::Communications,
        },
    )
    .unwrap();
    f.commit(
        &Actor::named("alice"),
        Op::ClaimRole {
            role: Role::Commander,
        },
    )
    .unwrap();

    // alice starts editing the summary (version 0)...
    let mut s = Session::new(store.clone(), Actor::named("alice"));
    let screen0 = s.open("INC-1").unwrap();
    let mut a = App::new(Actor::named("alice"), screen0);
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Char('D'));
    key(&mut a, KeyCode::Enter);
    for c in "alice's summary".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    // ...while bob saves it from another process.
    f.commit(
        &Actor::named("bob"),
        Op::EditSection {
            section: Section::Summary,
            text: "bob's summary".into(),
            base: 0,
        },
    )
    .unwrap();

    let save = ctrl(&mut a, 's').unwrap();
    s.perform(save, &mut a);
    s.settle(&mut a, std::time::Duration::from_secs(10));
    let m = a.message.clone().unwrap();
    assert!(
        m.text
            .contains("bob saved this section while you were editing"),
        "{}",
        m.text
    );
    let view = to_text(&draw(
        &mut a,
        &Theme::built_in("default").unwrap(),
        Utc::now(),
        100,
        30,
    ));
    assert!(
        view.contains("Saved meanwhile by bob (theirs)") && view.contains("bob's summary"),
        "{view}"
    );
    assert!(
        view.contains("alice's summary"),
        "her text is still in the editor: {view}"
    );

    // She merges and saves again: now against version 1.
    let save = ctrl(&mut a, 's').unwrap();
    assert!(
        matches!(save, Effect::Commit(Op::EditSection { base: 1, .. })),
        "{save:?}"
    );
    s.perform(save, &mut a);
    s.settle(&mut a, std::time::Duration::from_secs(10));
    let inc = store.open("INC-1").unwrap().incident().clone();
    assert_eq!(inc.document.text(Section::Summary), "alice's summary");
    assert_eq!(inc.document.version(Section::Summary), 2);
    assert!(
        inc.log
            .iter()
            .any(|e| e.text.contains("“bob's summary” → “alice's summary”")),
        "the log keeps both"
    );
}

#[test]
fn the_header_counts_down_to_the_next_update() {
    let mut a = App::new(
        Actor::named("bob"),
        Screen::Room(Box::new(Room::new(incident()))),
    );
    let theme = Theme::built_in("default").unwrap();
    let mut at = |m| to_text(&draw(&mut a, &theme, t0() + Duration::minutes(m), 160, 30));
    let early = at(10);
    assert!(
        early.lines().next().unwrap().contains("next update in 13m"),
        "{early}"
    );
    let late = at(30);
    assert!(
        late.lines().next().unwrap().contains("update overdue 7m"),
        "{late}"
    );
}

#[test]
fn a_section_edit_cut_short_comes_back_next_time() {
    let tmp = tempfile::tempdir().unwrap();
    let store = Store::new(tmp.path().join("incidents"));
    store
        .declare(&Actor::named("bob"), "Checkout errors", Severity::Sev2)
        .unwrap();
    let state = tmp.path().join("state");
    let session = |who: &str| {
        let mut s = Session::new(store.clone(), Actor::named(who));
        s.state_dir = Some(state.clone());
        let screen = s.open("INC-1").unwrap();
        (s, App::new(Actor::named(who), screen))
    };
    let (s, mut a) = session("bob");
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Char('D'));
    key(&mut a, KeyCode::Enter);
    for c in "half a summary".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    // The SSH connection drops (or Ctrl-C): the event loop saves drafts.
    s.save_draft(&a);
    let (s2, mut b) = session("bob");
    let said = s2.startup_error.clone().unwrap_or_default();
    assert!(
        said.contains("your unsaved Summary edit") && said.contains(":resume"),
        "offered, with the way to take it back: {said}"
    );
    // Offered, not focused: the input bar has the keys, and says so.
    assert!(b.room().unwrap().doc.is_none());
    let v = screen(&mut b);
    assert!(v.contains(":resume takes it back"), "{v}");
    // bob opens the document and moves down: `j` is a movement key, not
    // text in the section.
    for c in ":doc".chars() {
        key(&mut b, KeyCode::Char(c));
    }
    key(&mut b, KeyCode::Enter);
    key(&mut b, KeyCode::Char('j'));
    let doc = b
        .room()
        .unwrap()
        .doc
        .as_ref()
        .expect("the document is open");
    assert!(doc.editor.is_none(), "no editor caught the j");
    key(&mut b, KeyCode::Esc);
    assert!(b.room().unwrap().doc.is_none());
    // Esc and ignoring it leave it kept: closing again keeps it again.
    assert!(b.room().unwrap().kept.edit.is_some());
    s2.save_draft(&b);
    let (s3, mut b) = session("bob");
    assert!(
        s3.startup_error
            .as_deref()
            .unwrap_or("")
            .contains("Summary edit (:resume")
    );
    // bob chooses to resume it: the editor opens with his text.
    for c in ":resume".chars() {
        key(&mut b, KeyCode::Char(c));
    }
    key(&mut b, KeyCode::Enter);
    let v = screen(&mut b);
    assert!(
        v.contains("Editing Summary") && v.contains("half a summary"),
        "{v}"
    );
    assert!(
        b.message
            .as_ref()
            .is_some_and(|m| m.text.contains("unsaved Summary edit is back")),
        "{:?}",
        b.message
    );
    assert_eq!(
        ctrl(&mut b, 's'),
        Some(Effect::Commit(Op::EditSection {
            section: Section::Summary,
            text: "half a summary".into(),
            base: 0
        }))
    );
}

/// Last run's edit and note, offered at every size: the input bar keeps
/// the keys (and says a draft is kept), `:resume` takes back the edit,
/// then the note.
#[test]
fn a_kept_draft_is_offered_not_focused_and_resume_takes_it_back() {
    use incident::tui::room::Kept;
    let mut room = Room::new(incident());
    room.kept = Kept {
        note: Some("half a thought".into()),
        edit: Some(("summary".into(), 0, "half a summary".into())),
    };
    let offer = room.kept.offer().unwrap();
    let mut a = App::new(Actor::named("bob"), Screen::Room(Box::new(room)));
    a.error(offer);
    let theme = Theme::built_in("default").unwrap();
    for (w, h) in [(80, 24), (120, 35), (200, 50)] {
        let v = to_text(&draw(&mut a, &theme, t0() + Duration::minutes(10), w, h));
        assert!(v.contains(":resume"), "{w}x{h}: {v}");
        insta::assert_snapshot!(format!("kept_draft_{w}x{h}"), v);
    }
    // Typing goes where it is aimed: a note typed now is that note.
    for c in "checking db-2".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    assert_eq!(a.room().unwrap().input.line.value(), "checking db-2");
    key(&mut a, KeyCode::Esc);
    for c in ":resume".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    key(&mut a, KeyCode::Enter);
    let room = a.room().unwrap();
    let editor = room.doc.as_ref().and_then(|d| d.editor.as_ref());
    assert_eq!(editor.map(|e| e.text()).as_deref(), Some("half a summary"));
    let said = a
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(said.contains(":resume again"), "{said}");
    // Dropped (Esc, y), the document closed (Esc), then the note.
    key(&mut a, KeyCode::Esc);
    key(&mut a, KeyCode::Char('y'));
    key(&mut a, KeyCode::Esc);
    assert!(a.room().unwrap().doc.is_none(), "{:?}", a.message);
    for c in ":resume".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    key(&mut a, KeyCode::Enter);
    assert_eq!(a.room().unwrap().input.line.value(), "half a thought");
    assert!(a.room().unwrap().kept.is_empty());
}

/// The commander reading the document still learns that someone is
/// waiting for their go, and how to answer.
#[test]
fn a_request_for_the_commander_shows_above_the_document() {
    let mut alice = open_doc("alice");
    let mut bob = open_doc("bob");
    for app in [&mut alice, &mut bob] {
        let room = app.room_mut().unwrap();
        apply(
            &mut room.incident,
            5,
            "carol",
            Op::Announce {
                text: "restart the primary database".into(),
                mitigation: None,
            },
        );
    }
    let shown = screen(&mut alice);
    let second = shown.lines().nth(1).unwrap();
    assert!(
        second.contains(
            "Waiting for you (close the document, Esc, to answer): R1 carol is about to: restart the"
        ),
        "{shown}"
    );
    assert!(
        !screen(&mut bob).contains("Waiting for you"),
        "only the commander answers requests"
    );
}

#[test]
fn the_document_shows_follow_ups_and_milestones() {
    let mut inc = incident();
    apply(
        &mut inc,
        4,
        "alice",
        Op::AddFollowup {
            text: "Alert on pool saturation".into(),
            kind: incident::model::FollowupKind::Prevent,
            owner: Some("erin".into()),
        },
    );
    apply(
        &mut inc,
        5,
        "alice",
        Op::SetMilestone {
            milestone: incident::model::Milestone::ImpactStarted,
            happened_at: t0() - Duration::minutes(20),
            note: Some("from the error graph".into()),
        },
    );
    let mut a = App::new(Actor::named("bob"), Screen::Room(Box::new(Room::new(inc))));
    key(&mut a, KeyCode::Tab);
    key(&mut a, KeyCode::Char('D'));
    let sections = incident::model::Section::ALL.len();
    // Past the sections and the timeline: the milestones.
    for _ in 0..=sections {
        key(&mut a, KeyCode::Down);
    }
    let s = screen(&mut a);
    assert!(s.contains(" Milestones "), "{s}");
    assert!(s.contains("impact started"), "{s}");
    assert!(s.contains("set by alice: from the error graph"), "{s}");
    assert!(s.contains("declared"), "{s}");
    assert!(s.contains("detected       not known"), "{s}");
    key(&mut a, KeyCode::Down);
    let s = screen(&mut a);
    assert!(s.contains(" Follow-ups "), "{s}");
    assert!(
        s.contains("F1 prevent · erin · open  Alert on pool saturation"),
        "{s}"
    );
}

#[test]
fn a_drill_says_drill_in_the_header_and_shows_its_debrief() {
    let mut inc = incident();
    inc.drill = Some(incident::model::Drill {
        scenario: "bad-deploy".into(),
        speed: 1,
        started_at: t0(),
        played: Default::default(),
    });
    let mut a = App::new(Actor::named("bob"), Screen::Room(Box::new(Room::new(inc))));
    let s = screen(&mut a);
    assert!(s.lines().next().unwrap().contains(" DRILL "), "{s}");
    for c in ":debrief".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    key(&mut a, KeyCode::Enter);
    let s = screen(&mut a);
    assert!(s.contains("Drill debrief · any key closes"), "{s}");
    assert!(s.contains("✓ commander: alice took commander"), "{s}");
    assert!(
        s.contains("✓ communications: bob took communications"),
        "{s}"
    );
    key(&mut a, KeyCode::Char('x'));
    assert!(!screen(&mut a).contains("Drill debrief"));
}

#[test]
fn the_debrief_opens_by_itself_when_the_drill_is_resolved() {
    let mut inc = incident();
    inc.drill = Some(incident::model::Drill {
        scenario: "bad-deploy".into(),
        speed: 1,
        started_at: t0(),
        played: Default::default(),
    });
    let mut a = App::new(
        Actor::named("bob"),
        Screen::Room(Box::new(Room::new(inc.clone()))),
    );
    assert!(!screen(&mut a).contains("Drill debrief"));
    apply(
        &mut inc,
        9,
        "alice",
        Op::SetStatus {
            status: incident::model::Status::Resolved,
            force: true,
            keep_freeze: false,
        },
    );
    a.update(incident::tui::app::Msg::Incident(&inc));
    let s = screen(&mut a);
    assert!(s.contains("Drill debrief · any key closes"), "{s}");
    assert!(s.contains("ended after 9m"), "{s}");
}

/// carol is neither communications nor commander: she learns who may
/// rewrite a section before she types a word, and what she writes is
/// added to it rather than refused at Ctrl-S.
#[test]
fn someone_who_may_not_rewrite_a_section_adds_to_it() {
    let mut a = open_doc("carol");
    let s = screen(&mut a);
    assert!(
        s.contains("only communications (bob) or the commander (alice) can rewrite Summary")
            && s.contains("Enter adds a paragraph"),
        "{s}"
    );
    key(&mut a, KeyCode::Enter);
    let told = a.message.as_ref().unwrap().text.clone();
    assert!(
        told.contains("added to Summary") && told.contains("`:append summary TEXT`"),
        "{told}"
    );
    for c in "EU only, since 14:00".chars() {
        key(&mut a, KeyCode::Char(c));
    }
    insta::assert_snapshot!("adding_to_a_section_100x30", screen(&mut a));
    assert_eq!(
        ctrl(&mut a, 's'),
        Some(Effect::Commit(Op::AppendSection {
            section: Section::Summary,
            text: "EU only, since 14:00".into(),
        }))
    );
    // Nothing typed, nothing written: Ctrl-S just closes.
    let mut b = open_doc("carol");
    key(&mut b, KeyCode::Enter);
    assert_eq!(ctrl(&mut b, 's'), None);
    assert!(!screen(&mut b).contains("Adding to Summary"));
    // bob, who holds communications, rewrites it as before.
    let mut c = open_doc("bob");
    assert!(!screen(&mut c).contains("Enter adds a paragraph"));
    key(&mut c, KeyCode::Enter);
    assert!(screen(&mut c).contains("Editing Summary"));
}

/// The document view at the sizes of [22]'s trial (100x30 above).
#[test]
fn document_view_at_80x24_120x35_and_200x50() {
    for (w, h) in [(80, 24), (120, 35), (200, 50)] {
        let s = to_text(&draw(
            &mut open_doc("bob"),
            &Theme::built_in("default").unwrap(),
            t0() + Duration::minutes(10),
            w,
            h,
        ));
        // Each part's name and state read whole in the narrow list.
        assert!(s.contains("Exec. summary (empty)"), "{w}x{h}:\n{s}");
        insta::assert_snapshot!(format!("document_view_{w}x{h}"), s);
    }
}

//! Which incident a call means when `-i` is left out: `INCIDENT_ID`, then
//! the caller's own live view, then the only active incident; the choice
//! is named on standard error.

use crate::common::*;
use std::path::Path;

fn logs(dir: &Path, id: &str) -> Vec<String> {
    texts(&show_json(dir, id))
}

fn two_active(dir: &Path) -> (String, String) {
    (
        declare(dir, "Checkout errors"),
        declare(dir, "Payments latency"),
    )
}

#[test]
fn incident_id_from_the_environment_picks_one_of_two() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = two_active(dir.path());
    let o = cmd(dir.path())
        .env("INCIDENT_ID", &two)
        .args(["log", "from the other pane"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", describe(&["log"], &o));
    assert!(
        stderr(&o).contains(&format!("({two} from INCIDENT_ID)")),
        "the choice is named: {}",
        stderr(&o)
    );
    assert!(
        logs(dir.path(), &two)
            .iter()
            .any(|t| t == "from the other pane")
    );
    assert!(
        !logs(dir.path(), &one)
            .iter()
            .any(|t| t == "from the other pane")
    );
}

#[test]
fn dash_i_always_wins_and_is_not_named() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = two_active(dir.path());
    let _view =
        incident::store::presence::join(dir.path(), &two, &incident::identity::current_as(None))
            .unwrap();
    let o = cmd(dir.path())
        .env("INCIDENT_ID", &two)
        .args(["log", "-i", &one, "said so"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", describe(&["log"], &o));
    assert_eq!(stderr(&o), "", "nothing to name when -i was given");
    assert!(logs(dir.path(), &one).iter().any(|t| t == "said so"));
}

#[test]
fn your_own_live_view_picks_its_incident() {
    let dir = tempfile::tempdir().unwrap();
    let (one, two) = two_active(dir.path());
    let me = incident::identity::current_as(None);
    // Someone else's view on the other incident does not count.
    let _theirs =
        incident::store::presence::join(dir.path(), &one, &incident::model::Actor::named("zoe-x"))
            .unwrap();
    let view = incident::store::presence::join(dir.path(), &two, &me).unwrap();
    let o = run(dir.path(), &["log", "seen from my view"]);
    assert!(o.status.success(), "{}", describe(&["log"], &o));
    assert!(
        stderr(&o).contains(&format!("({two}: your open view)")),
        "the choice is named: {}",
        stderr(&o)
    );
    assert!(
        logs(dir.path(), &two)
            .iter()
            .any(|t| t == "seen from my view")
    );
    // Under another display name the view is not this caller's.
    let e = fails(dir.path(), &["--name", "someone-else", "log", "whose?"], 2);
    assert!(e.contains("INCIDENT_ID"), "{e}");
    // Once the view is closed, two active incidents are ambiguous again.
    drop(view);
    let e = fails(dir.path(), &["log", "which?"], 2);
    assert!(e.contains("2 active incidents"), "{e}");
    assert!(e.contains("-i ID (or set INCIDENT_ID)"), "{e}");
}

#[test]
fn the_only_active_incident_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let id = declare(dir.path(), "Checkout errors");
    let o = run(dir.path(), &["log", "just the one"]);
    assert!(o.status.success(), "{}", describe(&["log"], &o));
    assert!(
        stderr(&o).contains(&format!("({id}, the only active incident)")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_bad_incident_id_in_the_environment_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    declare(dir.path(), "Checkout errors");
    let o = cmd(dir.path())
        .env("INCIDENT_ID", "payments")
        .args(["log", "where?"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", describe(&["log"], &o));
    assert!(
        stderr(&o).contains("INCIDENT_ID=payments"),
        "{}",
        stderr(&o)
    );
}

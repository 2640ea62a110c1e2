//! The directory index on a local disk (the same checks run on GlusterFS
//! in tests/shared_fs.rs).

use crate::common::index_checks::*;

#[test]
fn the_index_stays_true_with_writers_at_once_and_writers_killed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("incidents");
    std::fs::create_dir(&dir).unwrap();
    writers_on_both_boxes_keep_the_index_true([&dir, &dir], 3);
    writers_killed_mid_update_leave_the_index_true([&dir, &dir], 40);
}

#[test]
fn a_directory_written_before_the_index_is_read_right() {
    let tmp = tempfile::tempdir().unwrap();
    a_directory_from_before_the_index_is_read_right(&tmp.path().join("incidents"), 200);
}

#[test]
fn doctor_names_an_incident_the_index_hides_and_reindex_mends_it() {
    use crate::common::*;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let id = declare(dir, "Payments failing");
    // The index loses it (a hand edit, a bug, an older copy's reopen).
    std::fs::write(
        dir.join(".index/hot.json"),
        br#"{"format":1,"max":1,"hot":[]}"#,
    )
    .unwrap();
    assert!(active_ids(dir).is_empty(), "the damaged index hides it");
    let o = run(dir, &["doctor"]);
    assert_eq!(o.status.code(), Some(1), "{}", describe(&["doctor"], &o));
    let said = stdout(&o);
    assert!(
        said.contains(&format!(
            "{id} is active (or holds a freeze) but the index has it as ended"
        )) && said.contains("incident doctor --reindex"),
        "{said}"
    );
    let rebuilt = ok(dir, &["doctor", "--reindex"]);
    assert!(
        rebuilt.contains("index rebuilt from 1 incident files (1 active or holding a freeze)"),
        "{rebuilt}"
    );
    assert_eq!(active_ids(dir), [id].into());
    let healthy = ok(dir, &["doctor"]);
    assert!(
        healthy.contains("index (.index/): agrees with the 1 incident files"),
        "{healthy}"
    );
}

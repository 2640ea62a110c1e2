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

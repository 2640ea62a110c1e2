//! How deliveries are told to people: a line for every screen when some
//! keep failing, and one line per delivery for `incident show`.

use crate::model::Incident;

/// "UPDATES NOT GOING OUT: U2 to slack#0 failed 3x: HTTP 500" (and how
/// many more), while any delivery keeps failing; shown on every screen.
pub fn failing_banner(inc: &Incident) -> Option<String> {
    let failing: Vec<_> = inc.notices.failing().collect();
    let first = failing.first()?;
    let more = match failing.len() {
        1 => String::new(),
        n => format!(" (+{} more)", n - 1),
    };
    // A call for help that does not get through is not an update.
    let what = if crate::model::escalation::team_of(&first.target).is_some() {
        "CALL FOR HELP NOT GOING OUT"
    } else {
        "UPDATES NOT GOING OUT"
    };
    Some(format!(
        "{what}: {} failed {}x: {}{more}",
        first.label(),
        first.failures,
        crate::sanitize::line(first.last_error.as_deref().unwrap_or("")),
    ))
}

/// "U1 to slack#0  sent 06:41", one per delivery, in the order made.
pub fn lines(inc: &Incident) -> Vec<String> {
    inc.notices
        .deliveries
        .iter()
        .map(|d| format!("{:<22} {}", d.label(), d.state_text()))
        .collect()
}

/// "db-team paged 06:41 by alice — acked 06:44 by dana (PagerDuty)", one
/// per call for help, in the order made: the Roles pane, `incident show`
/// and the brief.
pub fn called(inc: &Incident) -> Vec<String> {
    inc.notices
        .escalations
        .iter()
        .map(|e| {
            let d = inc
                .notices
                .get(e.n, &crate::model::escalation::target(&e.team));
            crate::sanitize::line(&e.describe(d)).into_owned()
        })
        .collect()
}

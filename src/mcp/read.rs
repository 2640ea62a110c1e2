//! The tools that read: each renders what a person's command shows
//! (`incident screen`, `catchup`, `tail`, `show --at`, `bleeding`), as
//! text for the assistant.

use crate::cli::{Ctx, Failure, as_of, bleeding, catchup, live, output};
use crate::model::arrival::Arrival;
use chrono::{DateTime, Utc};

/// The size of the frame `state` draws: wide enough for the panes' text.
const SCREEN: (u16, u16) = (120, 50);
/// Most entries `tail` returns at once.
pub const MAX_TAIL: usize = 200;

/// What the screen shows (roles, bleeding, impact, mitigations, the
/// break, the log), one frame as `incident screen` draws it, then the
/// requests waiting for a go (stale ones marked), the freeze and the
/// teams called for help in full (a pane may cut them).
pub fn state(ctx: &Ctx, id: Option<&str>) -> Result<String, Failure> {
    let (w, h) = SCREEN;
    let frame = live::screen(ctx, id, w, h, None)?;
    // A pane's empty rows say nothing to an assistant.
    let mut text: String = frame
        .lines()
        .filter(|l| {
            !l.trim_matches(|c: char| c == '│' || c.is_whitespace())
                .is_empty()
        })
        .map(|l| format!("{}\n", l.trim_end()))
        .collect();
    let file = ctx.store.resolve(id)?;
    let inc = file.incident();
    // A request whose asker's waiting process is gone is stale: shown
    // as such, as the view and `incident show` do.
    let stale =
        crate::ops::stale_requests(inc, crate::store::presence::waits(ctx.store.dir(), &inc.id));
    let waiting: Vec<String> = inc
        .pending_requests()
        .map(|r| {
            format!(
                "R{} by {} at {}: {}{}",
                r.id,
                r.by,
                r.at.format("%H:%M:%SZ"),
                r.text,
                if stale.contains(&r.id) {
                    " (stale: its asker stopped waiting; nobody waits for the answer)"
                } else {
                    ""
                }
            )
        })
        .collect();
    text.push_str("Waiting for the commander's go: ");
    if waiting.is_empty() {
        text.push_str("nothing");
    }
    for w in waiting {
        text.push_str("\n  ");
        text.push_str(&w);
    }
    text.push_str("\nDeploy freeze: ");
    match inc.deploy_freeze() {
        Some(f) => text.push_str(&format!(
            "on since {} by {}{}",
            f.since.format("%H:%M:%SZ"),
            f.by,
            f.reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        )),
        None => text.push_str("off"),
    }
    text.push_str(&format!(
        "\nCommander: {}",
        inc.commander().unwrap_or("nobody (nobody can give a go)")
    ));
    // The Roles pane may cut the teams called for help.
    let called = crate::notify::report::called(inc);
    if !called.is_empty() {
        text.push_str("\nCalled for help:");
        for c in called {
            text.push_str("\n  ");
            text.push_str(&c);
        }
    }
    Ok(crate::sanitize::text(&text).into_owned())
}

/// The handover brief, as `incident catchup` shows it on a first visit.
pub fn brief(ctx: &Ctx, id: Option<&str>) -> Result<String, Failure> {
    let file = ctx.store.resolve(id)?;
    let inc = file.incident();
    let now = Utc::now();
    let stale =
        crate::ops::stale_requests(inc, crate::store::presence::waits(ctx.store.dir(), &inc.id));
    let brief =
        Arrival::Brief(crate::model::brief::brief(inc, ctx.me.who(), now)).without_stale(&stale);
    let time = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M").to_string();
    Ok(format!(
        "{} \"{}\": handover brief (times UTC)\n{}",
        inc.id,
        crate::sanitize::line(&inc.shown_title()),
        brief.outline(&time).to_text()
    ))
}

/// What changed since `since` (as `incident catchup --since` reads it),
/// or since the assistant last wrote.
pub fn catchup(ctx: &Ctx, id: Option<&str>, since: Option<&str>) -> Result<String, Failure> {
    let mut out = Vec::new();
    catchup::run(ctx, &mut out, id, since, false)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The last `n` log entries as `incident tail` prints them, each run with
/// its command's output.
pub fn tail(ctx: &Ctx, id: Option<&str>, n: usize) -> Result<String, Failure> {
    let file = ctx.store.resolve(id)?;
    let inc = file.incident();
    let n = n.clamp(1, MAX_TAIL);
    let mut text = String::new();
    for e in &inc.log[inc.log.len().saturating_sub(n)..] {
        if inc.is_drill() {
            // Never mistaken for the real thing, line by line.
            text.push_str("DRILL ");
        }
        text.push_str(&output::entry_line(e));
        text.push('\n');
    }
    Ok(text)
}

/// The incident as it stood at `at` (a time or an entry, as `incident
/// show --at` reads it).
pub fn as_of(ctx: &Ctx, id: Option<&str>, at: &str) -> Result<String, Failure> {
    let file = ctx.store.resolve(id)?;
    let then = as_of::then(&file, at)?;
    let body = output::show(&then.state, then.point.at, |_| None);
    Ok(format!("{}\n{body}", then.heading()))
}

/// What is bleeding: the suspected source, what to check next, the blast
/// radius, as `incident bleeding` says it.
pub fn bleeding(ctx: &Ctx, id: Option<&str>) -> Result<String, Failure> {
    let file = ctx.store.resolve(id)?;
    Ok(bleeding::bleeding_text(file.incident()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Actor, Role, Severity};
    use crate::ops::Op;
    use crate::store::{Intro, Store, watch::WatchMode};

    #[test]
    fn state_marks_a_stale_request_and_lists_the_teams_called_for_help() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let alice = Actor::named("alice");
        let store = Store::new(dir);
        let mut file = store
            .declare_as(&alice, "Checkout errors", Severity::Sev2, Intro::default())
            .unwrap();
        file.commit(
            &alice,
            Op::ClaimRole {
                role: Role::Commander,
            },
        )
        .unwrap();
        let id = file.incident().id.clone();
        let bob = Actor::named("bob");
        for text in ["run: kubectl get pods", "run: kubectl rollout restart"] {
            file.commit(
                &bob,
                Op::Announce {
                    text: text.into(),
                    mitigation: None,
                },
            )
            .unwrap();
        }
        // R1's asker still waits; R2's waiting process is gone (its wait
        // file is left, locked by nobody).
        let live = crate::store::presence::wait_on(dir, &id, &bob, 1).unwrap();
        let gone = crate::store::presence::wait_on(dir, &id, &bob, 2).unwrap();
        let here = dir.join(".here").join(&id);
        let name = std::fs::read_dir(&here)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.to_string_lossy().ends_with(".R2.wait"))
            .unwrap();
        std::fs::copy(&name, here.join("4000000.box.R2.wait")).unwrap();
        drop(gone);
        file.commit(
            &alice,
            Op::Escalate {
                team: "db-team".into(),
                kind: "pagerduty".into(),
                message: Some("replica lag".into()),
            },
        )
        .unwrap();
        let ctx = Ctx {
            store,
            me: Actor::assistant_for(&alice),
            watch_mode: WatchMode::Poll(crate::store::watch::DEFAULT_POLL),
            theme: None,
        };
        let s = state(&ctx, Some(&id)).unwrap();
        let line = |r: &str| {
            s.lines()
                .find(|l| l.trim_start().starts_with(r))
                .unwrap_or_default()
                .to_string()
        };
        assert!(!line("R1 by bob").contains("stale"), "{s}");
        assert!(line("R2 by bob").contains("(stale: "), "{s}");
        assert!(s.contains("Called for help:\n  db-team paged "), "{s}");
        drop(live);
    }
}

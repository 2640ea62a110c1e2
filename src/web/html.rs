//! The onlookers' pages as HTML: a pure function of the incidents and the
//! clock, so what a browser is sent can be tested without one.
//!
//! Every piece of text that came from a person or a pager passes through
//! [`esc`]: control characters become visible placeholders (the terminal
//! sanitizer) and the five HTML metacharacters become entities. The pages
//! carry no form, no inline script and no inline style: the served
//! `app.js` and `page.css` are the only script and style.

use crate::model::{Incident, LogEntry, SystemStatus, milestone};
use crate::sanitize;
use chrono::{DateTime, Utc};
use std::fmt::Write;

/// How many of the latest comms updates the incident page shows.
const UPDATES_SHOWN: usize = 5;

/// Text from anyone, safe inside an element or a quoted attribute.
pub fn esc(s: &str) -> String {
    let clean = sanitize::text(s);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// An incident that could not be read, for the list.
pub struct Unreadable {
    pub id: String,
    pub problem: String,
}

/// What the page is about, for its `<title>` and the script's feed.
pub enum Page<'a> {
    List,
    Incident(&'a str),
}

/// A whole document around a fragment. `body` is already escaped.
pub fn document(page: Page<'_>, title: &str, body: &str) -> String {
    let (events, fragment) = match page {
        Page::List => ("/events".to_string(), "/fragment".to_string()),
        Page::Incident(id) => (format!("/{id}/events"), format!("/{id}/fragment")),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n\
         <link rel=\"stylesheet\" href=\"/page.css\">\n\
         <noscript><meta http-equiv=\"refresh\" content=\"15\"></noscript>\n\
         <script src=\"/app.js\" defer></script>\n\
         </head>\n<body data-events=\"{events}\" data-fragment=\"{fragment}\">\n\
         <p class=\"live\" id=\"live\">Read-only. <noscript>Refreshes every 15 s.</noscript></p>\n\
         <main id=\"content\">\n{body}</main>\n</body>\n</html>\n",
        title = esc(title),
        events = esc(&events),
        fragment = esc(&fragment),
    )
}

fn time(t: DateTime<Utc>) -> String {
    t.format("%H:%M UTC").to_string()
}

fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    milestone::human(now - since)
}

fn drill_mark(inc: &Incident) -> &'static str {
    if inc.is_drill() {
        "<span class=\"drill\">DRILL</span> "
    } else {
        ""
    }
}

/// The active incidents, newest first, as a table (or a sentence when
/// there are none).
pub fn list_fragment(active: &[Incident], broken: &[Unreadable], now: DateTime<Utc>) -> String {
    let mut out = String::from("<h1>Active incidents</h1>\n");
    if active.is_empty() {
        out.push_str("<p class=\"quiet\">No active incidents.</p>\n");
    } else {
        out.push_str(
            "<table class=\"list\">\n<thead><tr><th>Incident</th><th>Severity</th>\
             <th>Status</th><th>Commander</th><th>Age</th></tr></thead>\n<tbody>\n",
        );
        for inc in active {
            let _ = writeln!(
                out,
                "<tr><td>{drill}<a href=\"/{id}\">{id}</a> {title}</td>\
                 <td><span class=\"sev sev-{sev_class}\">{sev}</span></td><td>{status}</td>\
                 <td>{commander}</td><td>{age}</td></tr>",
                drill = drill_mark(inc),
                id = esc(&inc.id),
                title = esc(&inc.title),
                sev_class = inc.severity.as_str().to_ascii_lowercase(),
                sev = inc.severity,
                status = esc(&inc.state_label()),
                commander = inc.commander().map_or("<em>none</em>".into(), esc),
                age = age(inc.declared_at, now),
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    for b in broken {
        let _ = writeln!(
            out,
            "<p class=\"broken\">{} cannot be read: {}</p>",
            esc(&b.id),
            esc(&b.problem)
        );
    }
    let _ = writeln!(out, "<p class=\"asof\">As of {}.</p>", time(now));
    out
}

/// One incident: what someone from support needs at a glance, then the
/// timeline.
pub fn incident_fragment(inc: &Incident, now: DateTime<Utc>) -> String {
    let mut out = String::new();
    header(&mut out, inc, now);
    // What an onlooker came for first: the word from communications.
    updates(&mut out, inc, now);
    impact(&mut out, inc);
    roles(&mut out, inc);
    bleeding(&mut out, inc);
    timeline(&mut out, inc);
    let _ = writeln!(out, "<p class=\"asof\">As of {}.</p>", time(now));
    out
}

fn header(out: &mut String, inc: &Incident, now: DateTime<Utc>) {
    let _ = writeln!(
        out,
        "<p class=\"back\"><a href=\"/\">All active incidents</a></p>\n\
         <h1>{drill}{id} · {title}</h1>\n\
         <p class=\"facts\"><span class=\"sev sev-{sev_class}\">{sev}</span> \
         <span class=\"status\">{status}</span> · declared {declared} ({age} ago) by {by}</p>",
        drill = drill_mark(inc),
        id = esc(&inc.id),
        title = esc(&inc.title),
        sev_class = inc.severity.as_str().to_ascii_lowercase(),
        sev = inc.severity,
        status = esc(&inc.state_label()),
        declared = time(inc.declared_at),
        age = age(inc.declared_at, now),
        by = esc(&inc.declared_by),
    );
    if inc.is_drill() {
        out.push_str(
            "<p class=\"drill-note\">This is a drill: practice, not a real incident.</p>\n",
        );
    }
}

fn roles(out: &mut String, inc: &Incident) {
    out.push_str("<section><h2>Roles</h2>\n<dl class=\"roles\">\n");
    for role in inc.shown_roles() {
        let who = inc.holder(role).map_or("<em>empty</em>".to_string(), esc);
        let _ = writeln!(out, "<dt>{}</dt><dd>{who}</dd>", role.label());
    }
    out.push_str("</dl>\n</section>\n");
}

fn impact(out: &mut String, inc: &Incident) {
    out.push_str("<section><h2>Impact</h2>\n");
    match inc.impact_now() {
        Some(now) => {
            let i = now.estimate;
            let lead = if now.is_history() {
                "<strong>Was:</strong> "
            } else if now.restated {
                "<strong>Restated:</strong> "
            } else {
                ""
            };
            let _ = writeln!(
                out,
                "<p>{lead}{} <span class=\"by\">({} at {})</span></p>",
                esc(&now.text(time)),
                esc(&i.by),
                time(i.at)
            );
        }
        None => out.push_str("<p class=\"quiet\">Not estimated yet.</p>\n"),
    }
    out.push_str("</section>\n");
}

fn status_class(s: SystemStatus) -> &'static str {
    match s {
        SystemStatus::Failing => "failing",
        SystemStatus::Degraded => "degraded",
        SystemStatus::Ok => "ok",
        SystemStatus::Unknown => "unknown",
    }
}

fn bleeding(out: &mut String, inc: &Incident) {
    out.push_str("<section><h2>What is bleeding</h2>\n");
    if inc.systems.is_empty() {
        out.push_str("<p class=\"quiet\">No systems named yet.</p>\n</section>\n");
        return;
    }
    // Failing first, then degraded, unknown, ok; by name within each.
    let rank = |s: SystemStatus| match s {
        SystemStatus::Failing => 0,
        SystemStatus::Degraded => 1,
        SystemStatus::Unknown => 2,
        SystemStatus::Ok => 3,
    };
    // What people named or verified first; the graph's guess labelled
    // as one (the same words as every other surface).
    let sus = crate::systems::cause::suspicion(inc);
    for l in sus.lines(&|t| time(t)) {
        let class = if l.starts_with("Suspected cause") {
            "cause"
        } else {
            "guess"
        };
        let _ = writeln!(out, "<p class=\"{class}\">{}</p>", esc(&l));
    }
    let mut systems: Vec<_> = inc.systems.values().collect();
    systems.sort_by_key(|s| rank(s.status));
    out.push_str("<ul class=\"systems\">\n");
    for s in systems {
        let _ = write!(
            out,
            "<li><span class=\"system\">{}</span> <span class=\"st st-{}\">{}</span>",
            esc(&s.name),
            status_class(s.status),
            s.status.as_str().to_ascii_uppercase(),
        );
        if !s.depends_on.is_empty() {
            let deps: Vec<String> = s.depends_on.iter().map(|d| esc(d)).collect();
            let _ = write!(
                out,
                " <span class=\"deps\">depends on {}</span>",
                deps.join(", ")
            );
        }
        if let Some(note) = &s.note {
            let _ = write!(out, " <span class=\"note\">{}</span>", esc(note));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n</section>\n");
}

fn updates(out: &mut String, inc: &Incident, now: DateTime<Utc>) {
    out.push_str("<section><h2>Latest updates</h2>\n");
    if let Some(due) = inc.next_update_due() {
        let when = if due < now { "overdue since" } else { "by" };
        let _ = writeln!(
            out,
            "<p class=\"due\">Next update {when} {}.</p>",
            time(due)
        );
    }
    let sent = &inc.document.updates;
    if sent.is_empty() {
        out.push_str("<p class=\"quiet\">No update sent yet.</p>\n");
    } else {
        out.push_str("<ol class=\"updates\">\n");
        for u in sent.iter().rev().take(UPDATES_SHOWN) {
            let _ = writeln!(
                out,
                "<li><time>{}</time> <span class=\"by\">{}{}</span><p>{}</p></li>",
                time(u.at),
                esc(&u.by),
                if u.external { " · external" } else { "" },
                esc(&u.text),
            );
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</section>\n");
}

fn timeline_row(e: &LogEntry) -> String {
    format!(
        "<li><time>{}</time> <span class=\"by\">{}</span> {}</li>\n",
        time(e.at),
        esc(&e.by),
        esc(&e.timeline_text())
    )
}

fn timeline(out: &mut String, inc: &Incident) {
    out.push_str("<section><h2>Timeline</h2>\n<ol class=\"timeline\">\n");
    for e in inc.timeline() {
        out.push_str(&timeline_row(e));
    }
    out.push_str("</ol>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    fn t0() -> DateTime<Utc> {
        "2026-12-01T03:00:00Z".parse().unwrap()
    }

    #[test]
    fn text_is_escaped_and_control_characters_shown() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        let e = esc("\u{1b}[2Jwiped\u{202e}");
        assert!(!e.contains('\u{1b}') && !e.contains('\u{202e}'), "{e:?}");
        assert!(e.contains("wiped"));
    }

    #[test]
    fn the_onlookers_read_the_impact_as_history_once_mitigated() {
        use crate::model::{Actor, Status};
        use crate::ops::{Op, Record};
        let mut inc = Incident::declared("INC-1", "Checkout errors", Severity::Sev1, t0(), "alice");
        let mut apply = |min: i64, op: Op| {
            let r = Record {
                at: t0() + chrono::Duration::minutes(min),
                by: Actor::named("bob"),
                op,
            };
            crate::ops::apply(&mut inc, &r).unwrap_or_else(|e| panic!("{e}"));
        };
        apply(
            2,
            Op::SetImpact {
                text: "all card checkouts failing, ~14%".into(),
            },
        );
        apply(
            41,
            Op::SetStatus {
                status: Status::Mitigated,
                force: true,
                keep_freeze: false,
            },
        );
        let html = incident_fragment(&inc, t0() + chrono::Duration::minutes(45));
        assert!(
            html.contains("<strong>Was:</strong> all card checkouts failing, ~14% until 03:41 UTC"),
            "{html}"
        );
    }

    #[test]
    fn a_hostile_title_never_becomes_markup() {
        let inc = Incident::declared(
            "INC-3",
            "<script>alert(1)</script><img src=x onerror=alert(2)>",
            Severity::Sev1,
            t0(),
            "<b>mallory</b>",
        );
        let html = incident_fragment(&inc, t0());
        let page = document(Page::Incident("INC-3"), &inc.id, &html);
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(!page.contains("<b>mallory"), "{page}");
        assert!(
            page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{page}"
        );
        let list = list_fragment(&[inc], &[], t0());
        assert!(
            list.contains("&lt;img src=x onerror=alert(2)&gt;"),
            "{list}"
        );
        assert!(!list.contains("<img"), "{list}");
    }

    #[test]
    fn pages_have_no_form_no_inline_script_and_refresh_without_scripts() {
        let inc = Incident::declared("INC-1", "Checkout errors", Severity::Sev2, t0(), "alice");
        for page in [
            document(
                Page::Incident("INC-1"),
                "INC-1",
                &incident_fragment(&inc, t0()),
            ),
            document(
                Page::List,
                "Active incidents",
                &list_fragment(std::slice::from_ref(&inc), &[], t0()),
            ),
        ] {
            assert!(!page.contains("<form"), "{page}");
            assert!(!page.contains("style="), "{page}");
            assert!(
                !page.contains("onclick") && !page.contains("onload"),
                "{page}"
            );
            // The one script is the served file, with nothing inline.
            assert_eq!(page.matches("<script").count(), 1, "{page}");
            assert!(page.contains("<script src=\"/app.js\" defer></script>"));
            assert!(page.contains("<noscript><meta http-equiv=\"refresh\" content=\"15\">"));
        }
    }

    #[test]
    fn the_incident_page_leads_with_the_latest_update_and_marks_a_drill() {
        let mut inc = Incident::declared("INC-4", "Practice", Severity::Sev2, t0(), "bob");
        for (min, text) in [(5, "first word"), (25, "second word")] {
            inc.document.updates.push(crate::model::CommsUpdate {
                text: text.into(),
                by: "bob".into(),
                at: t0() + chrono::Duration::minutes(min),
                external: false,
            });
        }
        inc.drill = Some(crate::model::Drill {
            scenario: "db".into(),
            speed: 1,
            started_at: t0(),
            played: Default::default(),
        });
        let html = incident_fragment(&inc, t0() + chrono::Duration::minutes(30));
        assert!(
            html.contains("<h1><span class=\"drill\">DRILL</span> INC-4"),
            "{html}"
        );
        let (second, first) = (html.find("second word"), html.find("first word"));
        assert!(second.is_some() && second < first, "newest first: {html}");
        assert!(
            html.find("Latest updates") < html.find("<h2>Roles"),
            "{html}"
        );
        // SEV2: every 20 minutes, the last at 03:25.
        assert!(html.contains("Next update by 03:45 UTC."), "{html}");
    }

    #[test]
    fn the_list_shows_severity_status_commander_and_age_and_marks_drills() {
        let mut real = Incident::declared("INC-2", "Checkout errors", Severity::Sev2, t0(), "al");
        real.roles.insert(
            crate::model::Role::Commander,
            crate::model::RoleHolder {
                user: "alice".into(),
                since: t0(),
            },
        );
        let mut drill = Incident::declared("INC-1", "Practice", Severity::Sev3, t0(), "bob");
        drill.drill = Some(crate::model::Drill {
            scenario: "db".into(),
            speed: 1,
            started_at: t0(),
            played: Default::default(),
        });
        let now = t0() + chrono::Duration::minutes(42);
        let html = list_fragment(&[real, drill], &[], now);
        let row2 = html.lines().find(|l| l.contains("INC-2")).unwrap();
        for want in ["SEV2", "investigating", "alice", "42m", "Checkout errors"] {
            assert!(row2.contains(want), "{want} missing: {row2}");
        }
        assert!(!row2.contains("DRILL"), "{row2}");
        let row1 = html.lines().find(|l| l.contains("INC-1")).unwrap();
        assert!(
            row1.contains("DRILL") && row1.contains("<em>none</em>"),
            "{row1}"
        );
        assert!(
            html.find("INC-2") < html.find("INC-1"),
            "kept in the order given"
        );
    }
}

//! The services in maintenance, on the onlookers' index page: a page for
//! one of them declares nothing, so the onlookers are told why.

use super::html::esc;
use crate::store::maintenance::Window;
use chrono::{DateTime, Utc};
use std::fmt::Write;

/// A section listing the active windows (nothing when there are none).
pub fn fragment(windows: &[Window], now: DateTime<Utc>) -> String {
    if windows.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<h2>In maintenance</h2>\n<p class=\"quiet\">Pages for these services declare no incident until the window ends.</p>\n\
         <table class=\"list maintenance\">\n<thead><tr><th>Service</th><th>Until</th>\
         <th>Why</th><th>Suppressed</th></tr></thead>\n<tbody>\n",
    );
    for w in windows {
        let _ = writeln!(
            out,
            "<tr><td>{name} {service}</td><td>{until}</td><td>{reason} <span class=\"by\">({by})</span></td><td>{count}</td></tr>",
            name = esc(&w.name()),
            service = esc(&w.service),
            until = esc(&crate::verbs::maintenance::when(w.until, now)),
            reason = esc(&w.reason),
            by = esc(&w.by),
            count = w.suppressed,
        );
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_listed_escaped() {
        let now = Utc::now();
        let w = Window {
            id: 2,
            service: "payments-db".into(),
            reason: "<b>upgrade</b>".into(),
            by: "alice".into(),
            start: now,
            until: now + chrono::Duration::hours(1),
            ended: None,
            suppressed: 3,
            last: None,
        };
        let html = fragment(&[w], now);
        assert!(
            html.contains("W2 payments-db") && html.contains("<td>3</td>"),
            "{html}"
        );
        assert!(html.contains("&lt;b&gt;upgrade"), "{html}");
        assert_eq!(fragment(&[], now), "");
    }
}

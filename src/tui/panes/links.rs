//! The links line under the header: what the pages carried that
//! responders need at hand (runbook, dashboard, conference bridge), the
//! incidents this one is linked to ("recurrence of INC-1", "has duplicate
//! INC-3") and who acknowledged at the pager. Items are laid out
//! whole, left to right, over at most a few rows; one longer than a row is
//! cut with `…`.

use crate::model::{Incident, Relation};
use crate::sanitize;
use crate::tui::theme::Theme;
use crate::tui::wrap::{truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What a piece of a row is, for its style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Plain,
    Separator,
    Related,
    Ack,
    Label,
}

/// One item: its label, the label's part, and what follows it (a URL).
type Item = (String, Part, String);

/// The links first (what a responder acts on), then the incidents this
/// one is linked to, then who acknowledged at the pager.
fn items(inc: &Incident) -> Vec<Item> {
    let mut out: Vec<Item> = inc
        .links
        .iter()
        .map(|l| {
            (
                sanitize::line(&l.label).into_owned(),
                Part::Label,
                format!(" {}", sanitize::line(&l.url)),
            )
        })
        .collect();
    out.extend(
        inc.related
            .iter()
            // A closed incident's header already says what it duplicates.
            .filter(|r| r.relation != Relation::DuplicateOf || inc.closed.is_none())
            .map(|r| {
                (
                    r.relation.describe(&r.incident),
                    Part::Related,
                    String::new(),
                )
            }),
    );
    if let Some(ack) = &inc.pager_ack {
        out.push((
            sanitize::line(&ack.describe()).into_owned(),
            Part::Ack,
            String::new(),
        ));
    }
    out
}

/// Whether there is anything to show.
pub fn has_content(inc: &Incident) -> bool {
    !inc.links.is_empty() || inc.pager_ack.is_some() || !inc.related.is_empty()
}

/// The items laid out whole over rows of `cols` columns, at most `max`.
fn layout(inc: &Incident, cols: usize, max: usize) -> Vec<Vec<(String, Part)>> {
    const SEP: &str = " · ";
    let mut rows: Vec<Vec<(String, Part)>> = Vec::new();
    let mut used = 0usize;
    for (label, part, rest) in items(inc) {
        let w = width(&label) + width(&rest);
        if !rows.is_empty() && used + width(SEP) + w <= cols {
            rows.last_mut()
                .expect("a row")
                .push((SEP.into(), Part::Separator));
            used += width(SEP);
        } else {
            if rows.len() == max {
                break;
            }
            rows.push(vec![(" ".into(), Part::Plain)]);
            used = 1;
        }
        let label = truncate(&label, cols.saturating_sub(used));
        used += width(&label);
        let rest = truncate(&rest, cols.saturating_sub(used));
        used += width(&rest);
        let row = rows.last_mut().expect("a row");
        row.push((label, part));
        if !rest.is_empty() {
            row.push((rest, Part::Plain));
        }
    }
    rows
}

/// How many rows the line takes at `cols` columns, at most `max`.
pub fn rows(inc: &Incident, cols: usize, max: usize) -> usize {
    layout(inc, cols, max).len()
}

/// The rows as lines, styled.
pub fn lines<'a>(inc: &Incident, cols: usize, max: usize, theme: &Theme) -> Vec<Line<'a>> {
    let style = |p: Part| -> Style {
        match p {
            Part::Plain => Style::default(),
            Part::Separator => theme.muted,
            Part::Related => theme.warn,
            Part::Ack => theme.ok,
            Part::Label => theme.title,
        }
    };
    layout(inc, cols, max)
        .into_iter()
        .map(|row| {
            Line::from(
                row.into_iter()
                    .map(|(t, p)| Span::styled(t, style(p)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

pub fn render(f: &mut Frame, area: Rect, inc: &Incident, theme: &Theme) {
    let rows = lines(inc, area.width as usize, area.height as usize, theme);
    f.render_widget(Paragraph::new(rows), area);
}

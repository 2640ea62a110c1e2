//! The catch-up ("Since you left at 03:12 (47m ago)") or the handover
//! brief, shown over the war room when it opens. It fits the rows it is
//! given: every part keeps its heading and at least one row, the rest are
//! shared out, and a part cut short says "… N more" (`incident catchup`
//! prints them all).

use crate::model::arrival::Arrival;
use crate::model::outline::Part;
use crate::tui::clock::Clock;
use crate::tui::theme::Theme;
use crate::tui::wrap::truncate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// How many rows of each part to show in `rows` lines (headings
/// included); the parts that do not fit at all are left out, counted.
fn quotas(parts: &[Part], rows: usize) -> (Vec<usize>, usize) {
    // Parts that fit with their heading and one row; a line is kept to
    // say how many parts were left out.
    let mut shown = parts.len();
    while shown > 0 && shown * 2 + usize::from(shown < parts.len()) > rows {
        shown -= 1;
    }
    let mut q: Vec<usize> = parts[..shown].iter().map(|p| p.rows.len().min(1)).collect();
    let used = shown + q.iter().sum::<usize>() + usize::from(shown < parts.len());
    let mut spare = rows.saturating_sub(used);
    // One more row to each part that has more, in turn, while rows last.
    while spare > 0 {
        let before = spare;
        for (i, p) in parts[..shown].iter().enumerate() {
            if spare > 0 && q[i] < p.rows.len() {
                q[i] += 1;
                spare -= 1;
            }
        }
        if spare == before {
            break;
        }
    }
    (q, parts.len() - shown)
}

/// The command that prints all of it, for this incident and from the
/// same moment (the command line's own default incident or "since" may
/// be another).
fn whole(arrival: &Arrival) -> String {
    match arrival {
        Arrival::Brief(b) => format!("incident show -i {}", b.id),
        Arrival::Catchup(c) => format!(
            "incident catchup -i {} --since {}",
            c.id,
            c.since.format("%Y-%m-%dT%H:%MZ")
        ),
    }
}

/// The lines of the overlay's body, `width` columns by at most `rows`;
/// `whole` prints everything.
fn lines(
    parts: &[Part],
    theme: &Theme,
    width: usize,
    rows: usize,
    whole: &str,
) -> Vec<Line<'static>> {
    let (q, left_out) = quotas(parts, rows);
    let needed: usize = q.len() + q.iter().sum::<usize>();
    // A blank line between parts when there is room for them.
    let spaced = needed + q.len().saturating_sub(1) + usize::from(left_out > 0) <= rows;
    let mut out = Vec::new();
    for (i, (p, &n)) in parts.iter().zip(&q).enumerate() {
        if spaced && i > 0 {
            out.push(Line::raw(""));
        }
        let mut heading = vec![Span::styled(p.heading.clone(), theme.title)];
        if n < p.rows.len() {
            heading.push(Span::styled(
                format!("  … {} more", p.rows.len() - n),
                theme.muted,
            ));
        }
        out.push(Line::from(heading));
        for r in &p.rows[..n] {
            out.push(Line::raw(truncate(&format!("  {r}"), width)));
        }
    }
    if left_out > 0 {
        out.push(Line::styled(
            format!("… {left_out} more parts: {whole} prints them all"),
            theme.muted,
        ));
    }
    out
}

/// Drawn at the top of `area`, as tall as what it says (at most
/// `area`), at most 100 columns wide.
pub fn render(f: &mut Frame, area: Rect, arrival: &Arrival, theme: &Theme, clock: &Clock) {
    if area.height < 3 || area.width < 10 {
        return;
    }
    let outline = arrival.outline(&|t| clock.hm(t));
    let width = area.width.min(100);
    let body = lines(
        &outline.parts,
        theme,
        width.saturating_sub(2) as usize,
        area.height.saturating_sub(2) as usize,
        &whole(arrival),
    );
    let height = (body.len() as u16 + 2).min(area.height);
    let rect = Rect::new(area.x + (area.width - width) / 2, area.y, width, height);
    f.render_widget(Clear, rect);
    let title = truncate(
        &format!(" {} · any key closes ", outline.title),
        width.saturating_sub(2) as usize,
    );
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus)
        .title(Span::styled(title, theme.title));
    // A part cut short says "… N more"; the bottom says where all of it
    // is (the Roles and Waiting panes send the reader here for theirs).
    let (q, left_out) = quotas(&outline.parts, area.height.saturating_sub(2) as usize);
    let cut = left_out > 0 || outline.parts.iter().zip(&q).any(|(p, &n)| n < p.rows.len());
    if cut {
        let how = format!(" the rest: {} ", whole(arrival));
        block = block.title_bottom(Span::styled(
            truncate(&how, width.saturating_sub(2) as usize),
            theme.muted,
        ));
    }
    f.render_widget(Paragraph::new(body).block(block), rect);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(rows: usize) -> Part {
        Part {
            heading: "H".into(),
            rows: (0..rows).map(|i| format!("r{i}")).collect(),
        }
    }

    #[test]
    fn rows_are_shared_out_and_every_part_keeps_one() {
        let parts = [part(10), part(1), part(3)];
        // Headings 3, one row each 3, then one more to each in turn.
        assert_eq!(quotas(&parts, 10), (vec![3, 1, 3], 0));
        // Everything fits.
        assert_eq!(quotas(&parts, 40), (vec![10, 1, 3], 0));
        // Too few rows for every part: the last is left out, counted.
        assert_eq!(quotas(&parts, 5), (vec![1, 1], 1));
        assert_eq!(quotas(&parts, 0), (vec![], 3));
    }
}

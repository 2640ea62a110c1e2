//! One module per pane. Each renders from state only.

pub mod arrival;
pub mod assumptions;
pub mod bleeding;
pub mod breaks;
mod called;
pub mod care;
pub mod debrief;
pub mod document;
pub mod header;
pub mod help;
pub mod hints;
pub mod input;
pub mod links;
pub mod log;
pub mod maintenance;
pub mod mitigations;
pub mod picker;
pub mod prompt;
pub mod requests;
pub mod responders;
pub mod roles;
pub mod welcome;

/// Which pane has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Input,
    Log,
    Roles,
    Bleeding,
    Mitigations,
}

/// What a pane made of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Not the pane's key.
    Ignored,
    /// The pane took it.
    Taken,
    /// Put this command in the input bar for the person to finish.
    Prefill(String),
}

/// A `w` by `h` box in the middle of `area` (no bigger than it).
pub fn centered(area: ratatui::layout::Rect, w: u16, h: u16) -> ratatui::layout::Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    ratatui::layout::Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// The row that ends a list cut short: how many more, and how to see
/// them (`how`, a key or a command), within `width` columns. The way to
/// see them is kept before the words around it.
pub fn more_row(n: usize, how: &str, width: usize) -> String {
    let full = format!("… {n} more ({how})");
    if crate::tui::wrap::width(&full) <= width {
        return full;
    }
    let short = format!("+{n}: {how}");
    if crate::tui::wrap::width(&short) <= width {
        return short;
    }
    crate::tui::wrap::truncate(&format!("+{n} {how}"), width)
}

/// The one row left for a whole list: how many, and how to see them.
pub fn count_row(n: usize, how: &str, width: usize) -> String {
    let full = format!("{n} here ({how})");
    if crate::tui::wrap::width(&full) <= width {
        return full;
    }
    crate::tui::wrap::truncate(&format!("{n}: {how}"), width)
}

/// `lines` fitted into `rows` rows: when they do not all fit, the last
/// row says how many more and how to see them (see [`more_row`]).
pub fn fit_list<'a>(
    mut lines: Vec<ratatui::text::Line<'a>>,
    rows: usize,
    width: usize,
    how: &str,
    style: ratatui::style::Style,
) -> Vec<ratatui::text::Line<'a>> {
    if lines.len() <= rows {
        return lines;
    }
    let keep = rows.saturating_sub(1);
    let more = lines.len() - keep;
    lines.truncate(keep);
    if rows > 0 {
        // One row for all of it: the count, not "more" than none.
        let text = if keep == 0 {
            count_row(more, how, width)
        } else {
            more_row(more, how, width)
        };
        lines.push(ratatui::text::Line::styled(text, style));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::text::Line;

    #[test]
    fn a_list_cut_short_says_how_many_more_and_how_to_see_them() {
        let lines: Vec<Line> = (1..=4).map(|i| Line::raw(format!("R{i}"))).collect();
        let fitted = fit_list(lines.clone(), 2, 40, ":brief", Default::default());
        assert_eq!(fitted.len(), 2);
        assert_eq!(fitted[0].to_string(), "R1");
        assert_eq!(fitted[1].to_string(), "… 3 more (:brief)");
        // Everything fits: nothing said.
        assert_eq!(
            fit_list(lines, 4, 40, ":brief", Default::default()).len(),
            4
        );
        // Narrow: the way to see them stays.
        assert_eq!(more_row(3, ":brief", 10), "+3: :brief");
    }
}

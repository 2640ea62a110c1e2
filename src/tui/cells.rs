//! Putting text into the screen buffer quickly.
//!
//! The log pane fills most of the screen with rows that are nearly all
//! ASCII. ratatui's `Buffer::set_line` splits every row into grapheme
//! clusters, which was a fifth of a frame; ASCII needs no splitting (each
//! printable byte is one cell), so it takes a direct path and anything else
//! goes through ratatui as before, with the same result.
//!
//! The log pane's box is drawn here too: ratatui's `Block` first sets a
//! style on every cell inside it, a pass over most of the screen that
//! changes nothing when the box has no style of its own.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::border;
use ratatui::text::Line;
use ratatui::widgets::Widget;

/// Same as rendering `Block::default().borders(Borders::ALL)
/// .border_style(style).title(title)` in `area`; returns the inside.
pub fn boxed(buf: &mut Buffer, area: Rect, style: Style, title: &Line<'_>) -> Rect {
    if title
        .alignment
        .is_some_and(|a| a != ratatui::layout::HorizontalAlignment::Left)
    {
        // A centred or right-aligned title: ratatui places it.
        let block = ratatui::widgets::Block::bordered()
            .border_style(style)
            .title(title.clone());
        let inner = block.inner(area.intersection(buf.area));
        block.render(area, buf);
        return inner;
    }
    let area = area.intersection(buf.area);
    let inner = Rect::new(
        area.left().saturating_add(1).min(area.right()),
        area.top().saturating_add(1).min(area.bottom()),
        area.width.saturating_sub(2),
        area.height.saturating_sub(2),
    );
    if area.is_empty() {
        return inner;
    }
    let (left, top) = (area.left(), area.top());
    let (right, bottom) = (area.right() - 1, area.bottom() - 1);
    let set = border::PLAIN;
    let mut put = |x: u16, y: u16, symbol: &str| {
        buf[(x, y)].set_symbol(symbol).set_style(style);
    };
    for y in top..=bottom {
        put(left, y, set.vertical_left);
        put(right, y, set.vertical_right);
    }
    for x in left..=right {
        put(x, top, set.horizontal_top);
        put(x, bottom, set.horizontal_bottom);
    }
    put(right, bottom, set.bottom_right);
    put(right, top, set.top_right);
    put(left, bottom, set.bottom_left);
    put(left, top, set.top_left);
    // The title sits on the top border, between the corners.
    let room = area.width.saturating_sub(2);
    if room > 0 {
        let width = u16::try_from(title.width()).unwrap_or(u16::MAX).min(room);
        title.render(Rect::new(left + 1, top, width, 1), buf);
    }
    inner
}

/// Same as `buf.set_line(x, y, line, max_width)`.
pub fn set_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, max_width: u16) {
    if !buf.area.contains(ratatui::layout::Position::new(x, y)) {
        // Nothing of it is on this screen.
        return;
    }
    let mut x = x;
    let mut remaining = max_width.min(buf.area.right().saturating_sub(x));
    for span in line {
        if remaining == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let text = span.content.as_ref();
        if text.is_ascii() {
            // One row of cells, found once. Control characters are
            // dropped, as ratatui drops them; a space already there (the
            // cleared screen) keeps its symbol and takes the style.
            let start = buf.index_of(x, y);
            let row = &mut buf.content[start..start + usize::from(remaining)];
            let mut used = 0;
            for (cell, b) in row
                .iter_mut()
                .zip(text.bytes().filter(|b| !b.is_ascii_control()))
            {
                if b != b' ' || cell.symbol() != " " {
                    cell.set_char(char::from(b));
                }
                cell.set_style(style);
                used += 1;
            }
            x += used;
            remaining -= used;
        } else {
            let (end, _) = buf.set_stringn(x, y, text, usize::from(remaining), style);
            remaining = remaining.saturating_sub(end.saturating_sub(x));
            x = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::{Color, Style};
    use ratatui::text::Span;

    /// Our path and ratatui's leave identical buffers.
    fn same_as_ratatui(line: &Line<'_>, x: u16, max_width: u16) {
        let area = Rect::new(0, 0, 12, 1);
        // On a cleared row, and over one already drawn on.
        let drawn = {
            let mut b = Buffer::empty(area);
            b.set_string(0, 0, "xxxxxxxxxxxx", Style::default().bg(Color::Green));
            b
        };
        for before in [Buffer::empty(area), drawn] {
            let mut ours = before.clone();
            let mut theirs = before;
            set_line(&mut ours, x, 0, line, max_width);
            theirs.set_line(x, 0, line, max_width);
            assert_eq!(ours, theirs, "{line:?} at {x} within {max_width}");
        }
    }

    #[test]
    fn a_box_matches_ratatuis_block() {
        use ratatui::widgets::{Block, Borders};
        let red = Style::default().fg(Color::Red);
        let titles = [
            Line::from(" Action log "),
            Line::from(vec![
                Span::styled(" Action log ", red),
                Span::styled(
                    " scrolled back · 3 new · G to follow ",
                    Style::default().bg(Color::Blue),
                ),
            ]),
            Line::from(" 日本語 👩‍🚒 "),
            Line::from(""),
            Line::from(" centred ").centered(),
            Line::from(" right ").right_aligned(),
        ];
        let screen = Rect::new(0, 0, 30, 8);
        for title in &titles {
            for area in [
                Rect::new(0, 0, 30, 8),
                Rect::new(2, 1, 12, 5),
                Rect::new(0, 0, 2, 2),
                Rect::new(5, 5, 1, 1),
                Rect::new(3, 2, 0, 4),
                Rect::new(25, 6, 10, 10),
            ] {
                // Over a screen that already has something drawn on it.
                let mut ours = Buffer::empty(screen);
                ours.set_string(0, 0, "x".repeat(30 * 8), Style::default().bg(Color::Green));
                let mut theirs = ours.clone();
                let inner = boxed(&mut ours, area, red, title);
                let block = Block::default()
                    .borders(Borders::ALL)
                    .border_style(red)
                    .title(title.clone());
                assert_eq!(inner, block.inner(area.intersection(screen)), "{area:?}");
                block.render(area, &mut theirs);
                assert_eq!(ours, theirs, "{title:?} in {area:?}");
            }
        }
    }

    #[test]
    fn matches_ratatui_for_ascii_wide_and_control_text() {
        let red = Style::default().fg(Color::Red);
        let lines = [
            Line::from("plain ascii text that overflows"),
            Line::from(vec![Span::styled("12:03 ", red), Span::raw("rollback")]),
            Line::from(vec![
                Span::raw("a\tb\u{7}c"),
                Span::styled("日本語テキスト", red),
            ]),
            Line::from("e\u{301}te\u{301} 👩‍🚒 ok").style(red),
            Line::from(""),
        ];
        for line in &lines {
            for (x, w) in [(0, 12), (0, 5), (3, 12), (11, 4), (12, 3), (0, 0)] {
                same_as_ratatui(line, x, w);
            }
        }
        // Off the screen: nothing is written, nothing panics.
        for line in &lines {
            let area = Rect::new(2, 1, 12, 1);
            let before = Buffer::empty(area);
            for (x, y) in [(0, 1), (2, 0), (2, 5), (20, 1)] {
                let mut ours = before.clone();
                set_line(&mut ours, x, y, line, 12);
                assert_eq!(ours, before, "{line:?} at {x},{y}");
            }
        }
    }
}

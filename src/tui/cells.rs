//! Putting text into the screen buffer quickly.
//!
//! The log pane fills most of the screen with rows that are nearly all
//! ASCII. ratatui's `Buffer::set_line` splits every row into grapheme
//! clusters, which was a fifth of a frame; ASCII needs no splitting (each
//! printable byte is one cell), so it takes a direct path and anything else
//! goes through ratatui as before, with the same result.

use ratatui::buffer::Buffer;
use ratatui::text::Line;

/// Same as `buf.set_line(x, y, line, max_width)`.
pub fn set_line(buf: &mut Buffer, x: u16, y: u16, line: &Line<'_>, max_width: u16) {
    let mut x = x;
    let mut remaining = max_width.min(buf.area.right().saturating_sub(x));
    for span in line {
        if remaining == 0 {
            break;
        }
        let style = line.style.patch(span.style);
        let text = span.content.as_ref();
        if text.is_ascii() {
            // Control characters are dropped, as ratatui drops them.
            for c in text.chars().filter(|c| !c.is_ascii_control()) {
                if remaining == 0 {
                    break;
                }
                buf[(x, y)].set_char(c).set_style(style);
                x += 1;
                remaining -= 1;
            }
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
        let mut ours = Buffer::empty(area);
        let mut theirs = Buffer::empty(area);
        set_line(&mut ours, x, 0, line, max_width);
        theirs.set_line(x, 0, line, max_width);
        assert_eq!(ours, theirs, "{line:?} at {x} within {max_width}");
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
    }
}

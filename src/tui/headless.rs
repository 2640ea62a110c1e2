//! `incident screen`: one frame of the live view as plain text, for tests,
//! cron mail and pasting into a chat. No escape codes.

use super::app::{App, Msg};
use super::theme::Theme;
use super::view;
use chrono::{DateTime, Utc};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

/// Draw one frame of `app` at `width`x`height` into a buffer.
pub fn draw(app: &mut App, theme: &Theme, now: DateTime<Utc>, width: u16, height: u16) -> Buffer {
    // (Neither asks anything of the session.)
    let _ = app.update(Msg::Resize(width, height));
    let _ = app.update(Msg::Now(now));
    let mut term =
        Terminal::new(TestBackend::new(width, height)).expect("test backend never fails");
    term.draw(|f| view::render(f, app, theme, now))
        .expect("test backend never fails");
    term.backend().buffer().clone()
}

/// The buffer as lines of text, trailing spaces trimmed. A wide character
/// covers two cells; the cell it covers is skipped so columns line up.
pub fn to_text(buf: &Buffer) -> String {
    let mut out = String::new();
    let area = buf.area;
    for y in 0..area.height {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            let w = unicode_width::UnicodeWidthStr::width(sym);
            skip = w.saturating_sub(1);
            // The buffer should only hold sanitized text; make sure.
            line.push_str(&crate::sanitize::line(if sym.is_empty() {
                " "
            } else {
                sym
            }));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Parse "120x40".
pub fn parse_size(s: &str) -> Result<(u16, u16), String> {
    let bad = || {
        format!(
            "'{}' is not a size: use WIDTHxHEIGHT, e.g. 120x40",
            crate::sanitize::line(s)
        )
    };
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let w: u16 = w.trim().parse().map_err(|_| bad())?;
    let h: u16 = h.trim().parse().map_err(|_| bad())?;
    if w == 0 || h == 0 || w > 1000 || h > 1000 {
        return Err(format!(
            "size {w}x{h} is out of range: use 1x1 up to 1000x1000"
        ));
    }
    Ok((w, h))
}

//! The bottom line: the last message, or the keys that work here (from the
//! keymap, so it always matches the help).

use crate::sanitize;
use crate::tui::keymap::{self, Context};
use crate::tui::overlay::{Message, Tone};
use crate::tui::theme::Theme;
use crate::tui::wrap::{truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// What the bottom line says, as the app stands.
#[derive(Debug, Clone)]
pub struct Status<'a> {
    /// Entries handed to the writer and not yet on disk.
    pub sending: usize,
    /// The last message, shown instead of the keys.
    pub message: Option<&'a Message>,
    /// The contexts whose keys apply now, most specific first.
    pub contexts: Vec<Context>,
    /// The watcher fell back to polling.
    pub polling: bool,
}

/// Most rows a message takes at the bottom of a screen under 24 rows.
pub const MAX_ROWS: usize = 3;

/// Most rows a message takes at the bottom of a screen `height` rows
/// tall: five from 24 rows (a refusal naming six teams and a file is
/// four rows at 80 columns), else [`MAX_ROWS`].
pub fn max_rows(height: u16) -> usize {
    if height >= 24 { 5 } else { MAX_ROWS }
}

/// The message `text` in rows of at most `width` columns (the first
/// column is a space).
fn message_rows(text: &str, width: usize) -> Vec<String> {
    crate::tui::wrap::wrap(&sanitize::line(text), width.saturating_sub(1).max(1))
}

/// Rows the bottom line wants `width` columns wide: one for the keys,
/// as many as the message needs (at most `max`, see [`max_rows`]).
pub fn rows(app: &Status<'_>, width: usize, max: usize) -> u16 {
    let busy = match app.sending {
        0 => 0,
        1 => 9,
        n => 10 + n.to_string().len(),
    };
    app.message.map_or(1, |m| {
        message_rows(&m.text, width.saturating_sub(busy))
            .len()
            .clamp(1, max.max(1)) as u16
    })
}

pub fn render(f: &mut Frame, area: Rect, app: &Status<'_>, theme: &Theme) {
    let mut area = area;
    if app.sending > 0 {
        // Written off the loop: say so until it is on disk.
        let busy = match app.sending {
            1 => " sending…".to_string(),
            n => format!(" sending {n}…"),
        };
        let w = (width(&busy) as u16).min(area.width);
        f.render_widget(
            Paragraph::new(Line::styled(busy, theme.focus)),
            Rect { width: w, ..area },
        );
        area.x += w;
        area.width -= w;
    }
    let max = area.width as usize;
    if let Some(m) = app.message {
        let style = match m.tone {
            Tone::Info => theme.ok,
            Tone::Error => theme.alert,
        };
        // A message longer than the bar wraps onto the rows it was given
        // (see `rows`); only what is past the last of them is cut.
        let mut rows = message_rows(&m.text, max);
        let shown = (area.height as usize).max(1);
        if rows.len() > shown {
            let rest = rows.split_off(shown - 1).join(" ");
            rows.push(truncate(&rest, max.saturating_sub(1)));
        }
        let lines: Vec<Line> = rows
            .into_iter()
            .map(|r| Line::styled(format!(" {r}"), style))
            .collect();
        f.render_widget(Paragraph::new(lines), area);
        return;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    let mut items: Vec<(String, String)> = keymap::hints(&app.contexts)
        .into_iter()
        .map(|(k, h)| (k.to_string(), h.to_string()))
        .collect();
    if app.polling {
        items.insert(0, ("polling".into(), "for changes".into()));
    }
    for (key, help) in items {
        let piece = width(&key) + width(&help) + 4;
        if used + piece > max {
            break;
        }
        spans.push(Span::styled(format!(" {key}"), theme.focus));
        spans.push(Span::styled(format!(" {help} ·"), theme.muted));
        used += piece;
    }
    if let Some(last) = spans.last_mut() {
        let t = last.content.trim_end_matches(" ·").to_string();
        last.content = t.into();
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

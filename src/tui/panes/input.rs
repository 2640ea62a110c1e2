//! The input bar: a chat line, `:` commands, or the `/` search being typed.
//! The hardware cursor sits on the caret.

use crate::sanitize;
use crate::tui::app::{Focus, Room};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(f: &mut Frame, area: Rect, room: &Room, theme: &Theme) {
    if room.search.typing {
        let q = room.search.query.as_deref().unwrap_or("");
        let shown = sanitize::line(q);
        let line = Line::from(vec![
            Span::styled(" / ", theme.focus),
            Span::raw(shown.to_string()),
        ]);
        f.render_widget(Paragraph::new(line), area);
        let x = area.x + 3 + crate::tui::wrap::width(&shown) as u16;
        f.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
        return;
    }
    let prompt = if room.read_only.is_some() {
        " ⊘ "
    } else {
        " > "
    };
    let focused = room.focus == Focus::Input;
    let width = area.width.saturating_sub(3) as usize;
    let scroll = room.input.visual_scroll(width.saturating_sub(1));
    let value = room.input.value();
    let mut spans = vec![Span::styled(
        prompt,
        if focused { theme.focus } else { theme.muted },
    )];
    if value.is_empty() && focused {
        spans.push(Span::styled(
            "type a note, :command, or ? for help",
            theme.muted,
        ));
    } else {
        // The input never holds control characters (see app::edit), so
        // columns match the caret; sanitize anyway as the last guard.
        let visible: String = skip_columns(value, scroll);
        spans.push(Span::raw(sanitize::line(&visible).into_owned()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
    if focused {
        let x = area.x + 3 + (room.input.visual_cursor().saturating_sub(scroll)) as u16;
        f.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

fn skip_columns(s: &str, cols: usize) -> String {
    let mut skipped = 0;
    s.chars()
        .skip_while(|c| {
            if skipped >= cols {
                return false;
            }
            skipped += unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            true
        })
        .collect()
}

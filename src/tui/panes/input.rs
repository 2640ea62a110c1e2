//! The input bar: a chat line, `:` commands, or the `/` search being typed.
//! The hardware cursor sits on the caret.

use crate::sanitize;
use crate::tui::keymap::Action;
use crate::tui::panes::Focus;
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use tui_input::Input;

/// What a key in the input bar asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputKey {
    Stay,
    /// Enter: send the line (a note, or a `:` command).
    Submit,
    /// Say this (the completions offered).
    Say(String),
    Help,
    /// Tab or Shift-Tab on an empty bar: on to the panes.
    Leave {
        forward: bool,
    },
}

/// The input bar's own keys: editing, completion, history, Esc.
pub fn key(
    room: &mut Room,
    history: &mut crate::tui::history::History,
    action: Option<Action>,
    ev: KeyEvent,
) -> InputKey {
    let empty = room.input.value().is_empty();
    match action {
        Some(Action::Submit) => return InputKey::Submit,
        Some(Action::Cancel) => {
            let cleared = room.input.value().to_string();
            room.input.reset();
            room.search.query = None;
            room.search.hit = None;
            history.reset();
            if !cleared.trim().is_empty() {
                history.cleared(&cleared);
                return InputKey::Say("Cleared: Up brings it back".into());
            }
        }
        Some(Action::Complete) if empty => return InputKey::Leave { forward: true },
        Some(Action::Complete) => {
            let value = room.input.value().to_string();
            if value.starts_with(':') {
                let (next, candidates) = crate::tui::command::complete_with(&value, &room.known());
                room.input = Input::new(next);
                if !candidates.is_empty() {
                    return InputKey::Say(candidates.join("  "));
                }
            }
        }
        Some(Action::FocusPrev) if empty => return InputKey::Leave { forward: false },
        Some(Action::HistoryPrev) => {
            if let Some(line) = history.older(room.input.value()) {
                room.input = Input::new(line);
            }
        }
        Some(Action::HistoryNext) => {
            if let Some(line) = history.newer() {
                room.input = Input::new(line);
            }
        }
        Some(Action::Help) if empty => return InputKey::Help,
        Some(Action::Help) if ev.code == KeyCode::F(1) => return InputKey::Help,
        _ => crate::tui::notes::edit(&mut room.input, ev),
    }
    InputKey::Stay
}

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
    let prompt = if room.read_only.is_some() || room.as_of.is_some() {
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
        let hint = if room.as_of.is_some() {
            "looking back, nothing is sent: Esc returns to now · [ ] step · :at TIME"
        } else if !room.kept.is_empty() {
            "a draft from last time is kept: :resume takes it back"
        } else {
            "type a note, :command, or ? for help"
        };
        spans.push(Span::styled(hint, theme.muted));
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

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

/// The input bar's own state: the line being typed, a paste put back in
/// it, and what was sent from it and not yet written.
#[derive(Debug, Clone, Default)]
pub struct InputBar {
    pub line: Input,
    /// What was sent and not yet confirmed written: restored on failure.
    pub sending: Option<String>,
    /// A paste of several lines put back in the input bar (flattened):
    /// while the bar holds it unchanged, Enter asks again and sends the
    /// lines as one note, never a command.
    pub pasted: Option<Vec<String>>,
}

impl InputBar {
    /// The bar's own keys: editing, completion (from what `known` gives),
    /// history, and Esc (which drops the log's `search` too).
    pub fn key(
        &mut self,
        search: &mut crate::tui::panes::log::Search,
        known: impl FnOnce() -> crate::tui::command::Known,
        history: &mut crate::tui::history::History,
        action: Option<Action>,
        ev: KeyEvent,
    ) -> InputKey {
        let empty = self.line.value().is_empty();
        match action {
            Some(Action::Submit) => return InputKey::Submit,
            Some(Action::Cancel) => {
                let cleared = self.line.value().to_string();
                self.line.reset();
                search.query = None;
                search.hit = None;
                history.reset();
                if !cleared.trim().is_empty() {
                    history.cleared(&cleared);
                    return InputKey::Say("Cleared: Up brings it back".into());
                }
            }
            Some(Action::Complete) if empty => return InputKey::Leave { forward: true },
            Some(Action::Complete) => {
                let value = self.line.value().to_string();
                if value.starts_with(':') {
                    let (next, candidates) = crate::tui::command::complete_with(&value, &known());
                    self.line = Input::new(next);
                    if !candidates.is_empty() {
                        return InputKey::Say(candidates.join("  "));
                    }
                }
            }
            Some(Action::FocusPrev) if empty => return InputKey::Leave { forward: false },
            Some(Action::HistoryPrev) => {
                if let Some(line) = history.older(self.line.value()) {
                    self.line = Input::new(line);
                }
            }
            Some(Action::HistoryNext) => {
                if let Some(line) = history.newer() {
                    self.line = Input::new(line);
                }
            }
            Some(Action::Help) if empty => return InputKey::Help,
            Some(Action::Help) if ev.code == KeyCode::F(1) => return InputKey::Help,
            _ => crate::tui::notes::edit(&mut self.line, ev),
        }
        InputKey::Stay
    }

    /// Put text back in the input bar (a failed send, last time's draft):
    /// text of several lines was a paste, so it comes back as one, sent
    /// as one note after asking again, never as a command.
    pub fn restore(&mut self, text: String) {
        if text.contains('\n') {
            let lines = crate::tui::notes::note_lines(text.split('\n'));
            self.line = Input::new(crate::tui::notes::flatten(&lines));
            self.pasted = (lines.len() > 1).then_some(lines);
        } else {
            self.line = Input::new(text);
        }
    }
}

pub fn render(f: &mut Frame, area: Rect, room: &Room, theme: &Theme) {
    if room.log.search.typing {
        let q = room.log.search.query.as_deref().unwrap_or("");
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
    let cols = area.width.saturating_sub(3).max(1) as usize;
    let value = room.input.line.value();
    let prompt_style = if focused { theme.focus } else { theme.muted };
    if value.is_empty() && focused {
        let hint = if room.as_of.is_some() {
            "looking back, nothing is sent: Esc returns to now · [ ] step · :at TIME"
        } else if !room.kept.is_empty() {
            "a draft from last time is kept: :resume takes it back"
        } else {
            "type a note, :command, or ? for help"
        };
        let line = Line::from(vec![
            Span::styled(prompt, prompt_style),
            Span::styled(hint, theme.muted),
        ]);
        f.render_widget(Paragraph::new(line), area);
        f.set_cursor_position(Position::new(area.x + 3, area.y));
        return;
    }
    // The text wraps onto the rows the bar was given (see `rows`); past
    // them, the rows around the caret show. The input never holds control
    // characters (see notes::edit), so columns match the caret; sanitize
    // anyway as the last guard.
    let (rows, (cursor_row, cursor_col)) = wrapped(value, room.input.line.cursor(), cols);
    let shown = (area.height as usize).max(1);
    let top = cursor_row.saturating_sub(shown - 1);
    let lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(top)
        .take(shown)
        .map(|(i, row)| {
            let lead = match i {
                0 => Span::styled(prompt, prompt_style),
                // Earlier rows are above: say so on the first one shown.
                _ if i == top => Span::styled(" … ", theme.muted),
                _ => Span::raw("   "),
            };
            Line::from(vec![lead, Span::raw(sanitize::line(row).into_owned())])
        })
        .collect();
    f.render_widget(Paragraph::new(lines), area);
    if focused {
        let x = area.x + 3 + cursor_col as u16;
        let y = area.y + (cursor_row - top) as u16;
        f.set_cursor_position(Position::new(
            x.min(area.right().saturating_sub(1)),
            y.min(area.bottom().saturating_sub(1)),
        ));
    }
}

/// Fewest rows the input bar may grow to while a long note is typed; on a
/// taller screen it may take a quarter of it (six rows at 24, twelve at
/// 50), so a paragraph being written is read whole before it is sent.
pub const MAX_ROWS: usize = 3;

/// Most rows the input bar takes on a screen `height` rows tall.
pub fn max_rows(height: u16) -> usize {
    (height as usize / 4).max(MAX_ROWS)
}

/// Rows the input bar wants `width` columns wide on a screen `height`
/// tall: one, or as many as the text being typed needs with the caret at
/// its end (at most [`max_rows`]).
pub fn rows(room: &Room, width: usize, height: u16) -> u16 {
    if room.log.search.typing || room.input.line.value().is_empty() {
        return 1;
    }
    let cols = width.saturating_sub(3).max(1);
    let value = room.input.line.value();
    let (rows, _) = wrapped(value, value.chars().count(), cols);
    rows.len().clamp(1, max_rows(height)) as u16
}

/// `value` in rows of at most `cols` columns, broken after a space where
/// there is one (inside a word where not), and the row and column of the
/// caret at character `cursor`. A caret past a full row starts a new one.
fn wrapped(value: &str, cursor: usize, cols: usize) -> (Vec<String>, (usize, usize)) {
    let chars: Vec<(char, usize)> = value
        .chars()
        .map(|c| (c, unicode_width::UnicodeWidthChar::width(c).unwrap_or(0)))
        .collect();
    // Where each row starts, as an index into `chars`.
    let mut starts = vec![0];
    let mut row_w = 0;
    for (i, &(_, cw)) in chars.iter().enumerate() {
        let start = starts[starts.len() - 1];
        if row_w + cw > cols && i > start {
            let space = (start..i).rev().find(|&k| chars[k].0 == ' ');
            let next = space.map_or(i, |k| k + 1);
            starts.push(next);
            row_w = chars[next..i].iter().map(|(_, w)| w).sum();
        }
        row_w += cw;
    }
    let mut rows: Vec<String> = starts
        .iter()
        .enumerate()
        .map(|(r, &a)| {
            let b = starts.get(r + 1).copied().unwrap_or(chars.len());
            chars[a..b].iter().map(|(c, _)| c).collect()
        })
        .collect();
    let row = starts.iter().rposition(|&a| a <= cursor).unwrap_or(0);
    let col: usize = chars[starts[row]..cursor.min(chars.len())]
        .iter()
        .map(|(_, w)| w)
        .sum();
    let at = if col >= cols && row + 1 == rows.len() {
        rows.push(String::new());
        (row + 1, 0)
    } else {
        (row, col)
    };
    (rows, at)
}

#[cfg(test)]
mod tests {
    use super::wrapped;

    #[test]
    fn a_long_line_wraps_and_the_caret_follows() {
        // Broken after a space where there is one.
        let (rows, at) = wrapped("the quick brown", 15, 10);
        assert_eq!(rows, ["the quick ", "brown"]);
        assert_eq!(at, (1, 5));
        let (rows, at) = wrapped("abcdefghij", 10, 4);
        assert_eq!(rows, ["abcd", "efgh", "ij"]);
        assert_eq!(at, (2, 2));
        let (_, at) = wrapped("abcdefghij", 5, 4);
        assert_eq!(at, (1, 1));
        // A full last row: the caret starts the next one.
        let (rows, at) = wrapped("abcd", 4, 4);
        assert_eq!(rows, ["abcd", ""]);
        assert_eq!(at, (1, 0));
        // Wide characters are not split across rows.
        let (rows, _) = wrapped("ab世界", 4, 3);
        assert_eq!(rows, ["ab", "世", "界"]);
    }
}

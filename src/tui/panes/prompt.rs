//! A question for this responder, just above the input bar: a role
//! offered to them, or (as commander) a request to clear.

use crate::sanitize;
use crate::tui::overlay::Prompt;
use crate::tui::theme::Theme;
use crate::tui::wrap::truncate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// The most rows the question takes: a long command wraps so the
/// commander reads what would run, up to this.
const QUESTION_ROWS: usize = 3;

/// Rows the prompt takes `width` columns wide: its border, the question
/// (wrapped, at most [`QUESTION_ROWS`]) and the answer keys.
pub fn height(prompt: &Prompt, width: u16) -> u16 {
    let (_, question, _) = parts(prompt);
    let rows = crate::tui::wrap::wrap(&question, width.saturating_sub(2).max(1) as usize).len();
    rows.clamp(1, QUESTION_ROWS) as u16 + 3
}

/// The prompt's title, question and answer keys.
fn parts(prompt: &Prompt) -> (&'static str, String, &'static str) {
    match prompt {
        Prompt::Offer { role, from } => (
            " Handover ",
            format!("{} offers you {role}.", sanitize::line(from)),
            "y accept · n decline · Esc later",
        ),
        Prompt::Food { .. } => (
            " Food ",
            "People have been at it a while: order food now, before they are hungry (and expense it).".to_string(),
            "y ordered · n/Esc later",
        ),
        Prompt::Request { id, by, text } => (
            " Clearance ",
            format!(
                "R{id} {} is about to: {}",
                sanitize::line(by),
                sanitize::line(text)
            ),
            "y go · n hold (say why) · Esc later",
        ),
    }
}

pub fn render(f: &mut Frame, area: Rect, prompt: &Prompt, input_empty: bool, theme: &Theme) {
    f.render_widget(Clear, area);
    let (title, question, keys) = parts(prompt);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.alert)
        .title(Span::styled(title, theme.alert));
    let inner = block.inner(area);
    let w = inner.width as usize;
    let keys_line = if input_empty {
        Line::styled(keys, theme.focus)
    } else {
        Line::styled("clear the input bar (Esc) to answer", theme.muted)
    };
    // The question wrapped into the rows above the keys; what is past
    // the last of them is cut with "…".
    let room = (inner.height as usize).saturating_sub(1).max(1);
    let mut rows = crate::tui::wrap::wrap(&question, w.max(1));
    if rows.len() > room {
        let rest = rows.split_off(room - 1).join(" ");
        rows.push(truncate(&rest, w));
    }
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|r| Line::styled(r, theme.title))
        .collect();
    lines.push(keys_line);
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// One line for views that cover the prompt (the document): someone is
/// waiting for this responder, and how to get to the answer.
pub fn banner(prompt: &Prompt, width: usize, theme: &Theme) -> Line<'static> {
    let (_, question, _) = parts(prompt);
    let text = format!(" Waiting for you (close the document, Esc, to answer): {question} ");
    Line::styled(truncate(&text, width), theme.alert)
}

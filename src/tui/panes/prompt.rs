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

pub const HEIGHT: u16 = 4;

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
    let w = block.inner(area).width as usize;
    let keys_line = if input_empty {
        Line::styled(keys, theme.focus)
    } else {
        Line::styled("clear the input bar (Esc) to answer", theme.muted)
    };
    let lines = vec![Line::styled(truncate(&question, w), theme.title), keys_line];
    f.render_widget(Paragraph::new(lines).block(block), area);
}

/// One line for views that cover the prompt (the document): someone is
/// waiting for this responder, and how to get to the answer.
pub fn banner(prompt: &Prompt, width: usize, theme: &Theme) -> Line<'static> {
    let (_, question, _) = parts(prompt);
    let text = format!(" Waiting for you (close the document, Esc, to answer): {question} ");
    Line::styled(truncate(&text, width), theme.alert)
}

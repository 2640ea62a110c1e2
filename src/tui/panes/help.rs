//! The help overlay, generated from the keymap and the command list, and
//! the quit confirmation.

use crate::tui::keymap::{BINDINGS, Context};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::centered;

fn section(ctx: Context) -> &'static str {
    match ctx {
        Context::Global => "Anywhere",
        Context::Input => "Input bar",
        Context::Pane => "In a pane",
        Context::Log => "Action log",
        Context::Roles => "Roles",
        Context::Bleeding => "What is bleeding",
        Context::Mitigations => "Mitigations",
        Context::Document => "Document",
        Context::Editor => "Editing a section",
        Context::Picker => "Incident list",
        Context::Welcome => "Declaring",
        Context::Prompt => "When asked (handover, clearance)",
        Context::Help => "This help",
        Context::Arrival => "Catch-up or handover brief (on opening, :catchup, :brief)",
        Context::Search => "Typing a search (after /)",
        Context::Confirm => "Asked to confirm (y/n)",
        Context::LookBack => "Looking back (after [ or :at TIME; nothing is sent)",
    }
}

pub fn lines(theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let order = [
        Context::Input,
        Context::Prompt,
        Context::Confirm,
        Context::Pane,
        Context::LookBack,
        Context::Log,
        Context::Search,
        Context::Roles,
        Context::Bleeding,
        Context::Mitigations,
        Context::Document,
        Context::Editor,
        Context::Picker,
        Context::Welcome,
        Context::Arrival,
        Context::Global,
        Context::Help,
    ];
    for ctx in order {
        out.push(Line::styled(section(ctx), theme.title));
        for b in BINDINGS.iter().filter(|b| b.context == ctx) {
            out.push(Line::from(vec![
                Span::styled(format!("  {:<10}", b.label), theme.focus),
                Span::raw(b.help),
            ]));
        }
    }
    out.push(Line::styled(
        "Commands (type in the input bar)",
        theme.title,
    ));
    // From the verbs' definitions: the short forms, then the command
    // line's verbs the bar takes.
    for (usage, help) in crate::verbs::complete::listing() {
        out.push(Line::from(vec![
            Span::styled(format!("  {usage}"), theme.focus),
            Span::raw(format!("  {help}")),
        ]));
    }
    out
}

/// Lines of help text, for bounding the scroll.
pub fn line_count() -> usize {
    lines(&Theme::built_in("mono").expect("mono parses")).len()
}

pub fn render(f: &mut Frame, area: Rect, theme: &Theme, top: u16) {
    let rect = centered(area, 76, area.height.saturating_sub(2).max(3));
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus)
        .title(Span::styled(
            " Help · j/k scroll · any other key closes ",
            theme.title,
        ));
    f.render_widget(
        Paragraph::new(lines(theme))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((top, 0)),
        rect,
    );
}

pub fn confirm_quit(f: &mut Frame, area: Rect, theme: &Theme) {
    let rect = centered(area, 50, 4);
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.alert);
    let text = vec![
        Line::styled(" You have an unsent draft.", theme.alert),
        Line::raw(" Quit and lose it? y = quit, any other key = stay"),
    ];
    f.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        rect,
    );
}

/// A yes/no question before a change that leaves something open.
pub fn confirm(f: &mut Frame, area: Rect, question: &str, theme: &Theme) {
    let w = 64.min(area.width);
    let inner = w.saturating_sub(3).max(1) as usize;
    let rows = crate::tui::wrap::width(question).div_ceil(inner).max(1) as u16;
    let rect = centered(area, w, rows + 3);
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.alert);
    let text = vec![
        Line::styled(format!(" {question}"), theme.alert),
        Line::raw(" y = yes, any other key = no"),
    ];
    f.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        rect,
    );
}

/// How many of a note's lines the question shows.
const NOTE_LINES: usize = 4;

/// A note shown before it is sent: why it is asked, what would be sent
/// (its first lines), and the keys.
pub fn confirm_note(
    f: &mut Frame,
    area: Rect,
    lines: &[String],
    why: crate::tui::notes::NoteCheck,
    theme: &Theme,
) {
    use crate::tui::notes::{NoteCheck, note_lines};
    use crate::tui::wrap::truncate;
    let lines = note_lines(lines.iter().map(String::as_str));
    let n = lines.len();
    let question = match why {
        NoteCheck::Paste if n == 1 => {
            " Pasted (keys faster than typing): send it as a note?".to_string()
        }
        NoteCheck::Paste => format!(" Pasted {n} lines: send them as one note?"),
        NoteCheck::Short => " Send this very short note? (meant for a pane? Tab goes there)".into(),
        NoteCheck::PaneKey(c) => format!(
            " Send this as a note? {} is a pane key (Tab goes to the panes)",
            crate::sanitize::line(&c.to_string())
        ),
    };
    let keys = match why {
        NoteCheck::Paste if n > 1 => " y = send as one note (a paste never runs a command)",
        NoteCheck::Paste => " y = send as a note (a paste never runs a command)",
        _ => " y = send it · Tab = go to the panes, not sent",
    };
    let w = 72.min(area.width);
    let inner = w.saturating_sub(2) as usize;
    let shown = n.min(NOTE_LINES);
    let mut text = vec![Line::styled(truncate(&question, inner), theme.alert)];
    for l in lines.iter().take(shown) {
        let l = crate::sanitize::line(l);
        text.push(Line::raw(truncate(&format!(" │ {l}"), inner)));
    }
    if n > NOTE_LINES {
        text.push(Line::styled(
            format!(" │ … and {} more lines", n - NOTE_LINES),
            theme.muted,
        ));
    }
    text.push(Line::raw(truncate(keys, inner)));
    text.push(Line::raw(truncate(
        " any other key = keep it in the input bar",
        inner,
    )));
    let h = text.len() as u16 + 2;
    let rect = centered(area, w, h);
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.alert);
    f.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: false }),
        rect,
    );
}

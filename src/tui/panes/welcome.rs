//! No active incident: declare one from a short form without leaving.

use crate::model::Severity;
use crate::sanitize;
use crate::tui::app::{App, Welcome, WelcomeField};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn render(f: &mut Frame, area: Rect, w: &Welcome, app: &App, theme: &Theme) {
    let [_, body, _, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(9),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    let title = if w.can_go_back {
        " Declare a new incident "
    } else {
        " No active incident here "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(body);
    f.render_widget(block, body);
    let on_title = w.field == WelcomeField::Title;
    let label = |text: &'static str, on: bool| {
        Span::styled(text, if on { theme.focus } else { theme.muted })
    };
    let value = sanitize::line(w.title.value()).into_owned();
    let mut sev_spans = vec![label(" Severity  ", !on_title)];
    for s in Severity::ALL {
        let style = if *s == w.severity {
            theme.severity(*s)
        } else {
            theme.muted
        };
        sev_spans.push(Span::styled(format!(" {s} "), style));
        sev_spans.push(Span::raw(" "));
    }
    let lines = vec![
        Line::raw(" Breathe. Then say what is wrong, in a few words."),
        Line::raw(""),
        Line::from(vec![
            label(" Title     ", on_title),
            if value.is_empty() {
                Span::styled("e.g. Checkout errors", theme.muted)
            } else {
                Span::raw(value)
            },
        ]),
        Line::raw(""),
        Line::from(sev_spans),
        Line::styled(
            "           SEV1 is the worst; ←/→ or 1-4 on this field",
            theme.muted,
        ),
        match &w.similar {
            Some((id, title)) => Line::styled(
                format!(
                    " {id} \"{}\" is already active: Esc joins it, Enter declares anyway",
                    sanitize::line(title)
                ),
                theme.alert,
            ),
            None => Line::styled(" Enter declares it and opens the war room.", theme.muted),
        },
    ];
    f.render_widget(Paragraph::new(lines), inner);
    if on_title && inner.height > 2 {
        let avail = inner.width.saturating_sub(12) as usize;
        let scroll = w.title.visual_scroll(avail.saturating_sub(1));
        let x = inner.x + 11 + (w.title.visual_cursor() - scroll) as u16;
        f.set_cursor_position(Position::new(
            x.min(inner.right().saturating_sub(1)),
            inner.y + 2,
        ));
    }
    super::hints::render(f, hints, app, theme);
}

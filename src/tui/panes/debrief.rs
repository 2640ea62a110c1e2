//! A drill's debrief, over the view: each point against the practice.

use crate::drill::debrief::{Debrief, Verdict};
use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

pub fn render(f: &mut Frame, area: Rect, room: &Room, clock: &Clock, theme: &Theme) {
    let rect = super::centered(area, 100, area.height.saturating_sub(2).max(4));
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus)
        .title(Span::styled(
            " Drill debrief · any key closes ",
            theme.title,
        ));
    let lines: Vec<Line> = match Debrief::of(&room.incident, clock.now) {
        None => vec![Line::styled(
            "Not a drill: a real incident gets a post-mortem (incident export).",
            theme.muted,
        )],
        Some(d) => {
            let text = d.text();
            let mut head = text.lines();
            let mut l = vec![Line::styled(
                sanitize::line(head.next().unwrap_or_default()).into_owned(),
                theme.title,
            )];
            for p in &d.points {
                let style = match p.verdict {
                    Verdict::Good => theme.ok,
                    Verdict::Missed => theme.alert,
                    Verdict::NotCalledFor => theme.muted,
                };
                l.push(Line::raw(""));
                l.push(Line::from(vec![
                    Span::styled(format!("{} {}: ", p.verdict.mark(), p.topic), style),
                    Span::raw(sanitize::line(&p.text).into_owned()),
                ]));
            }
            l
        }
    };
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}

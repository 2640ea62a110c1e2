//! The one-line header: id · severity · title · status · elapsed · IC · here.

use crate::model::Status;
use crate::sanitize;
use crate::tui::app::Room;
use crate::tui::clock::Clock;
use crate::tui::theme::Theme;
use crate::tui::wrap::{truncate, width};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(f: &mut Frame, area: Rect, room: &Room, theme: &Theme, clock: &Clock) {
    let inc = &room.incident;
    let sep = || Span::styled(" · ", theme.muted);
    let status_style = match inc.status {
        Status::Investigating => theme.alert,
        Status::Mitigated => theme.warn,
        Status::Resolved => theme.ok,
    };
    let ic = match inc.commander() {
        Some(u) => Span::styled(format!("IC {}", sanitize::line(u)), theme.title),
        None => Span::styled("No IC", theme.alert),
    };
    let here = room.here.len();
    // Everything but the title, to know how much room the title gets.
    let mut tail = vec![
        sep(),
        Span::styled(inc.status.as_str(), status_style),
        sep(),
        Span::raw(clock.elapsed(inc.declared_at)),
        sep(),
        ic,
        sep(),
        Span::raw(format!("{here} here")),
    ];
    if room.read_only.is_some() {
        tail.push(sep());
        tail.push(Span::styled("READ-ONLY", theme.alert));
    }
    let head = vec![
        Span::styled(format!(" {} ", inc.id), theme.title),
        Span::styled(format!(" {} ", inc.severity), theme.severity(inc.severity)),
        sep(),
    ];
    let used: usize = head
        .iter()
        .chain(tail.iter())
        .map(|s| width(&s.content))
        .sum();
    let room_for_title = (area.width as usize).saturating_sub(used).max(8);
    let title = truncate(&sanitize::line(&inc.title), room_for_title);
    let mut spans = head;
    spans.push(Span::styled(title, theme.title));
    spans.extend(tail);
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

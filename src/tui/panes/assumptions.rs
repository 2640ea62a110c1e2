//! Every assumption, unverified first (oldest first among them), so none
//! silently becomes fact.

use crate::model::{Assumption, AssumptionState};
use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use crate::tui::wrap::truncate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

pub fn ordered(room: &Room) -> Vec<&Assumption> {
    let mut v: Vec<&Assumption> = room.incident.assumptions.iter().collect();
    v.sort_by_key(|a| (a.state != AssumptionState::Unverified, a.id));
    v
}

pub fn render(f: &mut Frame, area: Rect, room: &Room, clock: &Clock, theme: &Theme) {
    let list = ordered(room);
    let w = area.width.min(110);
    let h = (list.len() as u16 + 3).max(4).min(area.height);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    f.render_widget(Clear, rect);
    let open = list
        .iter()
        .filter(|a| a.state == AssumptionState::Unverified)
        .count();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus)
        .title(Span::styled(
            format!(" Assumptions: {open} unverified · any key closes "),
            theme.title,
        ));
    let inner = block.inner(rect);
    let width = inner.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    if list.is_empty() {
        lines.push(Line::styled(
            "None recorded. :assume TEXT records one; :verify/:refute A# EVIDENCE closes it.",
            theme.muted,
        ));
    }
    for a in list {
        let (label, style) = match a.state {
            AssumptionState::Unverified => ("UNVERIFIED", theme.alert),
            AssumptionState::Verified => ("verified", theme.ok),
            AssumptionState::Refuted => ("REFUTED", theme.warn),
        };
        let source = a
            .source
            .as_ref()
            .map(|s| format!(" (per {})", sanitize::line(s)))
            .unwrap_or_default();
        let how = match (&a.closed_by, a.closed_at, &a.evidence) {
            (Some(by), Some(at), Some(ev)) => {
                let cite = ev.entry.map(|e| format!(" #{e}")).unwrap_or_default();
                format!(
                    " · {} {}: {}{cite}",
                    clock.time(at),
                    sanitize::line(by),
                    sanitize::line(&ev.text)
                )
            }
            _ => format!(
                " · {} by {}, {} ago",
                clock.time(a.at),
                sanitize::line(&a.by),
                clock.elapsed_short(a.at)
            ),
        };
        let text = format!("A{} {}{source}{how}", a.id, sanitize::line(&a.text));
        lines.push(Line::from(vec![
            Span::styled(format!("{label:<10} "), style),
            Span::raw(truncate(&text, width.saturating_sub(11))),
        ]));
    }
    let lines = super::fit_list(
        lines,
        inner.height as usize,
        width,
        "incident export lists all",
        theme.muted,
    );
    f.render_widget(Paragraph::new(lines).block(block), rect);
}

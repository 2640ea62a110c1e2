//! Choosing among several active incidents, worst first, then oldest.

use super::hints::Status;
use crate::model::Incident;
use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::keymap::Action;
use crate::tui::theme::Theme;
use crate::tui::wrap::truncate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// One row of the incident picker.
#[derive(Debug, Clone)]
pub struct PickerItem {
    pub incident: Incident,
    pub here: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Picker {
    pub items: Vec<PickerItem>,
    pub selected: usize,
}

/// What a key on the picker asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerKey {
    Stay,
    Open(String),
    /// Declare a new one instead.
    New,
    Help,
    Quit,
}

impl Picker {
    /// The picker's own keys: moving, choosing.
    pub fn key(&mut self, action: Action) -> PickerKey {
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => {
                self.selected = (self.selected + 1).min(self.items.len().saturating_sub(1))
            }
            Action::Select => {
                return self
                    .items
                    .get(self.selected)
                    .map_or(PickerKey::Stay, |i| PickerKey::Open(i.incident.id.clone()));
            }
            Action::NewIncident => return PickerKey::New,
            Action::Help => return PickerKey::Help,
            Action::Quit => return PickerKey::Quit,
            _ => {}
        }
        PickerKey::Stay
    }
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    p: &Picker,
    status: &Status<'_>,
    theme: &Theme,
    clock: &Clock,
) {
    let [title, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    // Updates (and calls for help) that keep failing show here too,
    // before anyone picks, named for what they are.
    let failing_of = |page: bool| -> Vec<&str> {
        p.items
            .iter()
            .filter(|i| {
                i.incident
                    .notices
                    .failing()
                    .any(|d| crate::model::escalation::team_of(&d.target).is_some() == page)
            })
            .map(|i| i.incident.id.as_str())
            .collect()
    };
    let mut alerts = Vec::new();
    for (page, what) in [
        (false, "UPDATES NOT GOING OUT"),
        (true, "CALL FOR HELP NOT GOING OUT"),
    ] {
        let ids = failing_of(page);
        if !ids.is_empty() {
            alerts.push(format!("{what} from {}", ids.join(", ")));
        }
    }
    let alert = if alerts.is_empty() {
        String::new()
    } else {
        format!(" {} ", alerts.join(" · "))
    };
    // The question gives way to the alert when both do not fit, and what
    // still does not is cut with "…".
    let cols = title.width as usize;
    let width = crate::tui::wrap::width;
    let mut question = format!(
        " {} active incidents: which one are you joining?",
        p.items.len()
    );
    if width(&question) + width(&alert) > cols {
        question = format!(" {} active incidents:", p.items.len());
    }
    let alert = truncate(&alert, cols.saturating_sub(width(&question)));
    let mut head = vec![Span::styled(question, theme.title)];
    if !alert.is_empty() {
        head.push(Span::styled(alert, theme.alert));
    }
    f.render_widget(Paragraph::new(Line::from(head)), title);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border);
    let inner = block.inner(body);
    f.render_widget(block, body);
    let w = inner.width as usize;
    let mut lines = vec![Line::styled(
        truncate(
            &format!(
                " {:<8} {:<5} {:<12} {:<13} {:>4} {:>9}  TITLE",
                "ID", "SEV", "IC", "STATUS", "HERE", "AGE"
            ),
            w,
        ),
        theme.muted,
    )];
    for (i, item) in p.items.iter().enumerate() {
        let inc = &item.incident;
        let ic = truncate(&sanitize::line(inc.commander().unwrap_or("-")), 12);
        let row = format!(
            " {:<8} {:<5} {:<12} {:<13} {:>4} {:>9}  {}",
            inc.id,
            inc.severity.as_str(),
            ic,
            inc.status.as_str(),
            item.here,
            clock.elapsed(inc.declared_at),
            sanitize::line(&inc.shown_title())
        );
        let style = if i == p.selected {
            theme.selection
        } else {
            theme
                .severity(inc.severity)
                .patch(ratatui::style::Style::default())
        };
        let line = if i == p.selected {
            Line::styled(truncate(&row, w), style)
        } else {
            Line::from(vec![Span::raw(truncate(&row, w))])
        };
        lines.push(line);
    }
    f.render_widget(Paragraph::new(lines), inner);
    if !p.items.is_empty() {
        let y = inner.y + 1 + p.selected as u16;
        if y < inner.bottom() {
            f.set_cursor_position(Position::new(inner.x, y));
        }
    }
    super::hints::render(f, hints, status, theme);
}

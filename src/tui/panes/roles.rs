//! Who holds which role. Empty essential roles are shown in alert style with
//! how to claim them.

use crate::model::{Incident, Role};
use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::keymap::Action;
use crate::tui::panes::Focus;
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// How to fill an empty role in `room` columns after its label: the
/// sentence when it fits, else just the command (never a cut command).
fn claim_hint(role: Role, room: usize) -> String {
    let short = match role {
        Role::Commander => "ic",
        Role::Communications => "comms",
        other => other.as_str(),
    };
    let sentence = format!("No {}: type :claim {short}", role.label().to_lowercase());
    if unicode_width::UnicodeWidthStr::width(sentence.as_str()) <= room {
        sentence
    } else {
        format!(":claim {short}")
    }
}

/// The pane's own state: the selected role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RolesPane {
    pub selected: usize,
}

impl RolesPane {
    /// The pane's own keys on `inc` while it has focus: moving through
    /// the roles, and Enter to ask for the command for the selected one
    /// in the input bar (`:claim` an empty role, `:role` to give a held
    /// one).
    pub fn key(&mut self, inc: &Incident, focused: bool, action: Action) -> super::Outcome {
        use super::Outcome;
        if !focused {
            return Outcome::Ignored;
        }
        let roles = inc.shown_roles();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(roles.len().saturating_sub(1)),
            Action::Select => {
                if let Some(role) = roles.get(self.selected) {
                    return Outcome::Prefill(match inc.holder(*role) {
                        None => format!(":claim {role}"),
                        Some(_) => format!(":role {role} "),
                    });
                }
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Taken
    }
}

/// The rows the pane wants: one per role shown, then one per team
/// called for help (its "Paged" line).
pub fn rows(room: &Room) -> usize {
    room.shown_roles().len() + super::called::count(&room.incident)
}

pub fn render(f: &mut Frame, area: Rect, room: &Room, theme: &Theme, clock: &Clock) {
    let focused = room.focus == Focus::Roles;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.focus } else { theme.border })
        .title(Span::styled(
            " Roles ",
            if focused { theme.focus } else { theme.title },
        ));
    let narrow = area.width < 36;
    let mut lines: Vec<Line> = room
        .shown_roles()
        .into_iter()
        .enumerate()
        .map(|(i, role)| {
            let mut spans = vec![Span::styled(format!(" {:<9} ", role.label()), theme.muted)];
            match room.incident.roles.get(&role) {
                Some(h) => {
                    spans.push(Span::raw(sanitize::line(&h.user).into_owned()));
                    if let Some(away) = room.away(&h.user, clock.now).label(clock.now) {
                        // Gone from every screen: say so before anything else.
                        spans.push(Span::styled(format!(" · {away}"), theme.alert));
                    } else if !narrow {
                        spans.push(Span::styled(
                            format!("  since {}", clock.time(h.since)),
                            theme.muted,
                        ));
                    }
                }
                None => {
                    // Inside the borders, after " Commander ".
                    let room = (area.width as usize).saturating_sub(2 + 11);
                    spans.push(Span::styled(claim_hint(role, room), theme.alert));
                }
            }
            let line = Line::from(spans);
            if focused && i == room.roles.selected {
                line.style(theme.selection)
            } else {
                line
            }
        })
        .collect();
    // Teams called for help, after the roles (never selected).
    let inner = block.inner(area);
    let paged = super::called::lines(&room.incident, theme, clock, narrow, inner.width as usize);
    // Cut short, the rows say how many more and where: not walked
    // through, any row; walked through, only the Paged rows (each role
    // stays, to be selected).
    let lines = if focused {
        let left = (inner.height as usize).saturating_sub(lines.len());
        lines.extend(super::fit_list(
            paged,
            left,
            inner.width as usize,
            ":brief",
            theme.muted,
        ));
        lines
    } else {
        lines.extend(paged);
        super::fit_list(
            lines,
            inner.height as usize,
            inner.width as usize,
            ":brief",
            theme.muted,
        )
    };
    if focused && (room.roles.selected as u16) < inner.height {
        f.set_cursor_position(ratatui::layout::Position::new(
            inner.x,
            inner.y + room.roles.selected as u16,
        ));
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}

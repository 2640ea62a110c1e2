//! No active incident: declare one from a short form without leaving.

use super::hints::Status;
use crate::model::Severity;
use crate::sanitize;
use crate::tui::keymap::Action;
use crate::tui::theme::Theme;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WelcomeField {
    Title,
    Severity,
}

#[derive(Debug, Clone)]
pub struct Welcome {
    pub title: Input,
    pub severity: Severity,
    pub field: WelcomeField,
    /// There are incidents to go back to (the picker).
    pub can_go_back: bool,
    /// An active incident with a similar title: (id, title). Shown before
    /// declaring; Enter again declares anyway.
    pub similar: Option<(String, String)>,
}

impl Default for Welcome {
    fn default() -> Self {
        Welcome {
            title: Input::default(),
            severity: Severity::Sev2,
            field: WelcomeField::Title,
            can_go_back: false,
            similar: None,
        }
    }
}

/// What a key on the form asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WelcomeKey {
    Stay,
    Declare {
        title: String,
        severity: Severity,
        force: bool,
    },
    /// Not yet: say why.
    Refused(&'static str),
    /// Back to the incidents (or on to the similar one).
    Picker,
}

impl Welcome {
    /// The form's own keys: typing the title, choosing the severity.
    pub fn key(&mut self, action: Option<Action>, ev: KeyEvent) -> WelcomeKey {
        match action {
            Some(Action::Submit) => {
                let title = self.title.value().trim().to_string();
                if title.is_empty() {
                    return WelcomeKey::Refused("Type a title first: a few words on what is wrong");
                }
                return WelcomeKey::Declare {
                    title,
                    severity: self.severity,
                    force: self.similar.is_some(),
                };
            }
            Some(Action::FocusNext) => {
                self.field = match self.field {
                    WelcomeField::Title => WelcomeField::Severity,
                    WelcomeField::Severity => WelcomeField::Title,
                };
            }
            Some(Action::Cancel) => {
                if self.similar.is_some() {
                    // Go and pick the existing one instead.
                    return WelcomeKey::Picker;
                } else if !self.title.value().is_empty() {
                    self.title.reset();
                } else if self.can_go_back {
                    return WelcomeKey::Picker;
                }
            }
            Some(Action::SeverityPrev) if self.field == WelcomeField::Severity => {
                self.severity = step_severity(self.severity, -1);
            }
            Some(Action::SeverityNext) if self.field == WelcomeField::Severity => {
                self.severity = step_severity(self.severity, 1);
            }
            _ if self.field == WelcomeField::Severity => {
                if let KeyCode::Char(c @ '1'..='4') = ev.code {
                    self.severity = c.to_string().parse().expect("1-4 parse");
                }
            }
            _ => {
                crate::tui::notes::edit(&mut self.title, ev);
                self.similar = None;
            }
        }
        WelcomeKey::Stay
    }
}

fn step_severity(s: Severity, by: i32) -> Severity {
    let all = Severity::ALL;
    let i = all.iter().position(|x| *x == s).unwrap_or(1) as i32 + by;
    all[i.clamp(0, all.len() as i32 - 1) as usize]
}

pub fn render(f: &mut Frame, area: Rect, w: &Welcome, status: &Status<'_>, theme: &Theme) {
    let [_, body, _, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(10),
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
        Line::styled(" Ctrl-C leaves without declaring anything.", theme.muted),
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
    super::hints::render(f, hints, status, theme);
}

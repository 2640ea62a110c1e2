//! Stop the bleeding: mitigations with the routine (quick, low-risk) fixes
//! on top, failed ones still visible, suggestions for failing systems one
//! key away, and the investigation tasks beside them.

use crate::model::{Incident, Mitigation, MitigationStatus, Risk, Task, TaskState};
use crate::ops::Op;
use crate::playbook::Suggestion;
use crate::sanitize;
use crate::tui::keymap::Action;
use crate::tui::panes::Focus;
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use crate::tui::wrap::{truncate, width as text_width};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// One selectable row of the pane.
#[derive(Debug, Clone, PartialEq)]
pub enum Row<'a> {
    Mitigation(&'a Mitigation),
    Suggestion(&'a Suggestion),
    /// A task and where it stands (open, done, carried over).
    Task(&'a Task, TaskState),
}

/// The rows in order: mitigations (open, quick and low-risk first; then
/// failed, done, abandoned), suggestions, tasks (open first).
pub fn rows<'a>(inc: &'a Incident, suggestions: &'a [Suggestion]) -> Vec<Row<'a>> {
    let mut ms: Vec<&Mitigation> = inc.mitigations.iter().collect();
    ms.sort_by_key(|m| m.sort_key());
    let mut ts: Vec<(&Task, TaskState)> =
        inc.tasks.iter().map(|t| (t, inc.task_state(t))).collect();
    ts.sort_by_key(|(t, s)| (*s != TaskState::Open, t.id));
    ms.into_iter()
        .map(Row::Mitigation)
        .chain(suggestions.iter().map(Row::Suggestion))
        .chain(ts.into_iter().map(|(t, s)| Row::Task(t, s)))
        .collect()
}

/// What a key on the selected row asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKey {
    /// Write this operation.
    Commit(Op),
    /// Put this command in the input bar for the person to finish.
    Prefill(String),
    /// The key does nothing on this row.
    NotHere,
}

/// Which row a selection is on, whatever its index: rows move as others
/// add and finish work, and the selection goes with its row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowId {
    Mitigation(u64),
    Suggestion(String),
    Task(u64),
}

impl RowId {
    fn of(row: &Row) -> Self {
        match row {
            Row::Mitigation(m) => RowId::Mitigation(m.id),
            Row::Suggestion(sg) => RowId::Suggestion(sg.text.clone()),
            Row::Task(t, _) => RowId::Task(t.id),
        }
    }
}

/// The pane's own state: the selected row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MitigationsPane {
    pub selected: usize,
    /// An idea was just added (`a`) while the newest mitigation was this
    /// one: the selection goes to the mitigation it becomes, so `s`, `o`,
    /// `d` then act on it.
    pub adding_after: Option<u64>,
}

impl MitigationsPane {
    /// `a` added an idea: follow it into the mitigation it becomes.
    pub fn follow_new(&mut self, inc: &Incident) {
        self.adding_after = Some(inc.mitigations.iter().map(|m| m.id).max().unwrap_or(0));
    }

    /// The row selected now, to find again after the rows change.
    pub fn held(&self, inc: &Incident, suggestions: &[Suggestion]) -> Option<RowId> {
        rows(inc, suggestions).get(self.selected).map(RowId::of)
    }

    /// The rows changed (`inc` is newer): select the mitigation `me` just
    /// added, if it has come, or else the row that was selected, where it
    /// is now. A row gone (an idea adopted by someone else) leaves the
    /// selection where it was, within the rows.
    pub fn settle(
        &mut self,
        inc: &Incident,
        suggestions: &[Suggestion],
        held: Option<RowId>,
        me: &str,
    ) {
        let all = rows(inc, suggestions);
        let added = self.adding_after.and_then(|after| {
            all.iter()
                .position(|r| matches!(r, Row::Mitigation(m) if m.id > after && m.by == me))
        });
        let found = added.or_else(|| {
            let held = held?;
            all.iter().position(|r| RowId::of(r) == held)
        });
        if added.is_some() {
            self.adding_after = None;
        }
        self.selected = found
            .unwrap_or(self.selected)
            .min(all.len().saturating_sub(1));
    }

    /// The pane's own keys: moving the selection among `rows` rows while
    /// it has focus (true when the key was the pane's).
    pub fn key(&mut self, rows: usize, focused: bool, action: Action) -> bool {
        if !focused {
            return false;
        }
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(rows.saturating_sub(1)),
            _ => return false,
        }
        true
    }
}

/// A key on the selected row, as `me`: adopt a suggestion, start, take,
/// or finish (the last asks for the result in the input bar).
pub fn row_key(room: &Room, me: &str, action: Action) -> RowKey {
    let all = rows(&room.incident, &room.suggestions);
    let Some(row) = all.get(room.mitigations.selected) else {
        return RowKey::NotHere;
    };
    match (row, action) {
        (Row::Suggestion(sg), Action::Adopt) => RowKey::Commit(Op::ProposeMitigation {
            text: sg.text.clone(),
            kind: sg.kind,
            risk: sg.risk,
            speed: sg.speed,
            system: sg.system.clone(),
            owner: None,
        }),
        (Row::Mitigation(m), Action::StartWork) => RowKey::Commit(Op::StartMitigation { id: m.id }),
        (Row::Mitigation(m), Action::Own) => RowKey::Commit(Op::OwnMitigation {
            id: m.id,
            owner: Some(me.to_string()),
        }),
        (Row::Task(t, TaskState::Open), Action::Own) => RowKey::Commit(Op::OwnTask {
            id: t.id,
            owner: Some(me.to_string()),
        }),
        (Row::Mitigation(m), Action::MarkDone) => RowKey::Prefill(format!(":done M{} ", m.id)),
        (Row::Mitigation(m), Action::MarkFailed) => RowKey::Prefill(format!(":failed M{} ", m.id)),
        (Row::Task(t, TaskState::Open), Action::MarkDone) => {
            RowKey::Prefill(format!(":done T{} ", t.id))
        }
        _ => RowKey::NotHere,
    }
}

pub fn has_content(room: &Room) -> bool {
    !room.incident.mitigations.is_empty()
        || !room.incident.tasks.is_empty()
        || !room.suggestions.is_empty()
}

pub fn row_count(room: &Room) -> usize {
    rows(&room.incident, &room.suggestions).len()
}

fn risk_style(r: Risk, theme: &Theme) -> ratatui::style::Style {
    match r {
        Risk::Low => theme.ok,
        Risk::Medium => theme.warn,
        Risk::High => theme.alert,
    }
}

/// Where a proposed mitigation that changes production stands with the
/// commander's go: asked and waiting, given (start it), held, or not
/// asked yet.
fn go_state(inc: &crate::model::Incident, m: &crate::model::Mitigation) -> String {
    use crate::model::RequestState;
    match m.request.and_then(|r| inc.request(r)) {
        Some(r) => match r.state {
            RequestState::Go | RequestState::Announced => {
                format!(" · go given ({}): :start M{}", r.label(), m.id)
            }
            RequestState::Pending => format!(" · needs go ({} asked)", r.label()),
            RequestState::Hold => format!(" · on hold ({})", r.label()),
            RequestState::Withdrawn => " · needs go".into(),
        },
        None => " · needs go".into(),
    }
}

fn line<'a>(row: &Row, inc: &crate::model::Incident, width: usize, theme: &Theme) -> Line<'a> {
    match row {
        Row::Mitigation(m) => {
            let (mark, style) = match m.status {
                MitigationStatus::Proposed => ("○", ratatui::style::Style::default()),
                MitigationStatus::InProgress => ("▶", theme.title),
                MitigationStatus::Done => ("✓", theme.muted),
                MitigationStatus::Failed => ("✗", theme.alert),
                MitigationStatus::Abandoned => ("–", theme.muted),
            };
            let owner = match &m.owner {
                Some(o) => sanitize::line(o).into_owned(),
                None if m.status.is_open() => "no owner".into(),
                None => "-".into(),
            };
            let waiting = if m.status == MitigationStatus::Proposed && m.procedure {
                " · procedure: pause first".to_string()
            } else if m.status == MitigationStatus::Proposed && m.needs_clearance() {
                go_state(inc, m)
            } else {
                String::new()
            };
            let result = m
                .result
                .as_deref()
                .map(|r| format!(" — {}", sanitize::line(r)))
                .unwrap_or_default();
            let head = format!("{mark} M{} ", m.id);
            let tail = format!("  {owner}{waiting}");
            // The risk and speed columns take 14; the text what is left.
            let text = truncate(
                &format!("{}{result}", sanitize::line(&m.text)),
                width
                    .saturating_sub(text_width(&head) + text_width(&tail) + 14)
                    .max(8),
            );
            Line::from(vec![
                Span::styled(head, style),
                Span::styled(format!("{:<7}", m.risk.as_str()), risk_style(m.risk, theme)),
                Span::styled(format!("{:<6} ", m.speed.as_str()), theme.muted),
                Span::styled(text, style),
                Span::styled(
                    tail,
                    if m.owner.is_none() && m.status.is_open() {
                        theme.alert
                    } else {
                        theme.muted
                    },
                ),
            ])
        }
        Row::Suggestion(s) => {
            // "a adds" is in the pane's title, not on every row.
            let text = truncate(&sanitize::line(&s.text), width.saturating_sub(21).max(8));
            Line::from(vec![
                Span::styled("+ idea ", theme.muted),
                Span::styled(format!("{:<7}", s.risk.as_str()), risk_style(s.risk, theme)),
                Span::styled(format!("{:<6} ", s.speed.as_str()), theme.muted),
                Span::styled(text, theme.muted),
            ])
        }
        Row::Task(t, state) => {
            let (mark, style) = match state {
                TaskState::Open => ("•", ratatui::style::Style::default()),
                TaskState::Done => ("✓", theme.muted),
                TaskState::CarriedOver(_) => ("→", theme.muted),
            };
            // Carried over: it lives on as a follow-up, owned there.
            let owner = match state {
                TaskState::CarriedOver(f) => Some(format!("follow-up F{f}")),
                _ => t.owner.as_deref().map(|o| sanitize::line(o).into_owned()),
            };
            let open = *state == TaskState::Open;
            let tail = match &owner {
                Some(o) => 2 + text_width(o),
                None if open => 10,
                None => 0,
            };
            let head = format!("{mark} T{} ", t.id);
            let text = truncate(
                &sanitize::line(&t.text),
                width.saturating_sub(text_width(&head) + tail).max(8),
            );
            Line::from(vec![
                Span::styled(head, style),
                Span::styled(text, style),
                match owner {
                    Some(o) => Span::styled(format!("  {o}"), theme.muted),
                    None if open => Span::styled("  NO OWNER", theme.alert),
                    None => Span::raw(""),
                },
            ])
        }
    }
}

pub fn render(f: &mut Frame, area: Rect, room: &Room, theme: &Theme) {
    let focused = room.focus == Focus::Mitigations;
    let inc = &room.incident;
    let open = inc
        .mitigations
        .iter()
        .filter(|m| m.status.is_open())
        .count();
    if area.height < 3 {
        // No room for the box: one line says what is there and how to see it.
        let line = compact(room, open, area.width as usize);
        let style = if focused { theme.focus } else { theme.ok };
        f.render_widget(Paragraph::new(Line::styled(line, style)), area);
        return;
    }
    let title = format!(" Mitigations · {open} open ");
    // The ideas' key is said once, in the title, so every row keeps its text.
    let hint = if room.suggestions.is_empty() {
        None
    } else if focused {
        Some(" a adds the selected idea ")
    } else {
        Some(" a adds an idea ")
    };
    let mut title = vec![Span::styled(
        title,
        if focused { theme.focus } else { theme.ok },
    )];
    if let Some(hint) = hint.filter(|h| text_width(h) + 24 <= area.width as usize) {
        title.push(Span::styled("·", theme.muted));
        title.push(Span::styled(hint, theme.focus));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.focus } else { theme.border })
        .title(Line::from(title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let rows = rows(inc, &room.suggestions);
    let w = inner.width as usize;
    let h = inner.height as usize;
    let top = if focused {
        room.mitigations
            .selected
            .saturating_sub(h.saturating_sub(1))
    } else {
        0
    };
    // Only the rows in view are laid out: a large system graph suggests
    // hundreds of mitigations, and this runs on every frame. Not walked
    // through, a list cut short says so on its last row.
    let more = (!focused && rows.len() > h && h > 0).then(|| {
        let text = if h == 1 {
            compact(room, open, w)
        } else {
            super::more_row(rows.len() - (h - 1), ":mitigations to walk them", w)
        };
        Line::styled(text, theme.muted)
    });
    let h = h - more.is_some() as usize;
    let mut lines: Vec<Line> = rows
        .iter()
        .enumerate()
        .skip(top)
        .take(h)
        .map(|(i, r)| {
            let l = line(r, &room.incident, w, theme);
            if focused && i == room.mitigations.selected {
                l.style(theme.selection)
            } else {
                l
            }
        })
        .collect();
    lines.extend(more);
    if focused && room.mitigations.selected < rows.len() && h > 0 {
        f.set_cursor_position(Position::new(
            inner.x,
            inner.y + (room.mitigations.selected - top) as u16,
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The pane in one line, when the screen has no rows for its box: how
/// many mitigations, ideas and tasks, and the command that shows them.
fn compact(room: &Room, open: usize, width: usize) -> String {
    let inc = &room.incident;
    let mut parts = vec![format!(
        "Mitigations: {} ({open} open)",
        inc.mitigations.len()
    )];
    let count = |n: usize, what: &str| match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    };
    if !room.suggestions.is_empty() {
        parts.push(count(room.suggestions.len(), "idea"));
    }
    if !inc.tasks.is_empty() {
        parts.push(count(inc.tasks.len(), "task"));
    }
    let how = " · :mitigations shows them";
    let text = parts.join(" · ");
    if text_width(&text) + text_width(how) <= width {
        format!("{text}{how}")
    } else {
        truncate(&format!("{}{how}", parts[0]), width)
    }
}

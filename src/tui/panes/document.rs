//! The incident document, full screen: sections on the left, the selected
//! one on the right (or its editor, with the other person's version beside
//! it when two saves crossed), the timeline, the appendix and the updates.

use crate::sanitize;
use crate::tui::app::Room;
use crate::tui::clock::Clock;
use crate::tui::doc::{DocView, Part, parts};
use crate::tui::theme::Theme;
use crate::tui::wrap::truncate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

fn part_title(p: Part) -> &'static str {
    match p {
        Part::Section(s) => s.title(),
        Part::Timeline => "Timeline",
        Part::Appendix => "Appendix",
        Part::Updates => "Updates",
    }
}

pub fn render(
    f: &mut Frame,
    area: Rect,
    room: &Room,
    view: &DocView,
    theme: &Theme,
    clock: &Clock,
) {
    f.render_widget(Clear, area);
    let inc = &room.incident;
    let doc = &inc.document;
    let [list_area, body] =
        Layout::horizontal([Constraint::Length(24), Constraint::Min(10)]).areas(area);
    let owner = inc
        .holder(crate::model::Role::Communications)
        .map(|c| format!(" · owner {}", sanitize::line(c)))
        .unwrap_or_default();
    let list_block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus)
        .title(Span::styled(format!(" Document{owner} "), theme.title));
    let items: Vec<Line> = parts()
        .into_iter()
        .enumerate()
        .map(|(i, p)| {
            let detail = match p {
                Part::Section(s) if doc.text(s).is_empty() => " (empty)".to_string(),
                Part::Section(s) => format!(" v{}", doc.version(s)),
                Part::Timeline => format!(" {}", inc.timeline().count()),
                Part::Appendix => format!(" {}", doc.appendix.len()),
                Part::Updates => format!(" {}", doc.updates.len()),
            };
            let l = Line::from(vec![
                Span::raw(part_title(p)),
                Span::styled(detail, theme.muted),
            ]);
            if i == view.selected {
                l.style(theme.selection)
            } else {
                l
            }
        })
        .collect();
    let inner = list_block.inner(list_area);
    f.render_widget(Paragraph::new(items).block(list_block), list_area);
    if view.editor.is_none() && (view.selected as u16) < inner.height {
        f.set_cursor_position(Position::new(inner.x, inner.y + view.selected as u16));
    }

    if let Some(ed) = &view.editor {
        let title = format!(
            " Editing {} · Ctrl-S saves · Esc stops ",
            ed.section.title()
        );
        let editor_area = if let Some((theirs, by)) = &ed.conflict {
            let [top, bottom] =
                Layout::vertical([Constraint::Percentage(45), Constraint::Min(4)]).areas(body);
            let block = Block::default()
                .borders(Borders::ALL)
                .border_style(theme.alert)
                .title(Span::styled(
                    format!(" Saved meanwhile by {} (theirs) ", sanitize::line(by)),
                    theme.alert,
                ));
            f.render_widget(
                Paragraph::new(sanitize::text(theirs).into_owned())
                    .block(block)
                    .wrap(Wrap { trim: false }),
                top,
            );
            bottom
        } else {
            body
        };
        let mut area = ed.area.clone();
        area.set_block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.focus)
                .title(Span::styled(title, theme.focus)),
        );
        area.set_cursor_line_style(ratatui::style::Style::default());
        area.set_cursor_style(theme.selection);
        f.render_widget(&area, editor_area);
        return;
    }

    let part = view.part();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {} ", part_title(part)), theme.title));
    let width = block.inner(body).width as usize;
    let lines: Vec<Line> = match part {
        Part::Section(s) => {
            let text = doc.text(s);
            let mut l = Vec::new();
            if let Some(st) = doc.sections.get(&s).filter(|t| t.version > 0) {
                let who = st.by.as_deref().map(sanitize::line).unwrap_or_default();
                let when = st.at.map(|t| clock.time(t)).unwrap_or_default();
                l.push(Line::styled(
                    format!("v{} · {who} {when} · Enter edits", st.version),
                    theme.muted,
                ));
            } else {
                l.push(Line::styled("Enter edits", theme.muted));
            }
            if text.is_empty() {
                l.push(Line::styled(
                    sanitize::line(doc.prompt(s)).into_owned(),
                    theme.muted,
                ));
            } else {
                l.extend(
                    sanitize::text(text)
                        .lines()
                        .map(|t| Line::raw(t.to_string())),
                );
            }
            l
        }
        Part::Timeline => {
            let mut l: Vec<Line> = inc
                .timeline()
                .map(|e| {
                    Line::from(vec![
                        Span::styled(
                            format!("{} UTC ", e.at.format("%Y-%m-%d %H:%M")),
                            theme.muted,
                        ),
                        Span::styled(format!("{} ", sanitize::line(&e.by)), theme.author),
                        Span::raw(truncate(
                            &sanitize::line(&e.plain_text()),
                            width.saturating_sub(30),
                        )),
                    ])
                })
                .collect();
            l.push(Line::styled(
                "Pin more from the log: Tab to the log, p on an entry (or :pin #N)",
                theme.muted,
            ));
            l
        }
        Part::Appendix => {
            let mut l = Vec::new();
            for sn in &doc.appendix {
                l.push(Line::styled(
                    format!(
                        "S{} {} ({} {})",
                        sn.id,
                        sanitize::line(&sn.title),
                        sanitize::line(&sn.by),
                        clock.time(sn.at)
                    ),
                    theme.title,
                ));
                l.extend(
                    sanitize::text(&sn.text)
                        .lines()
                        .map(|t| Line::raw(format!("  {t}"))),
                );
            }
            if l.is_empty() {
                l.push(Line::styled("No snippets: :snippet #N TITLE for a run's output, or incident snippet add TITLE FILE", theme.muted));
            }
            l
        }
        Part::Updates => {
            let mut l: Vec<Line> = doc
                .updates
                .iter()
                .map(|u| {
                    let to = if u.external { "external" } else { "internal" };
                    Line::from(vec![
                        Span::styled(
                            format!("{} {to} {} ", clock.time(u.at), sanitize::line(&u.by)),
                            theme.muted,
                        ),
                        Span::raw(sanitize::line(&u.text).into_owned()),
                    ])
                })
                .collect();
            if let Some(due) = inc.next_update_due() {
                l.push(Line::styled(
                    format!(
                        "Next update due {} (every {} min) · u drafts one",
                        clock.time(due),
                        inc.update_every()
                    ),
                    theme.warn,
                ));
            }
            l
        }
    };
    f.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((view.scroll, 0)),
        body,
    );
}

//! The incident document, full screen: sections on the left, the selected
//! one on the right (or its editor, with the other person's version beside
//! it when two saves crossed), the timeline, the appendix and the updates.

use crate::model::milestone::{Source, human};
use crate::model::{Incident, Milestone};
use crate::ops::Render;
use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::doc::{DocView, Part, parts};
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

fn part_title(p: Part) -> &'static str {
    match p {
        Part::Section(s) => s.title(),
        Part::Timeline => "Timeline",
        Part::Milestones => "Milestones",
        Part::Followups => "Follow-ups",
        Part::Appendix => "Appendix",
        Part::Updates => "Updates",
    }
}

/// The document as `me` sees it (what they may rewrite, what they add to).
pub fn render(
    f: &mut Frame,
    area: Rect,
    room: &Room,
    view: &DocView,
    me: &str,
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
                Part::Milestones => format!(
                    " {}",
                    Milestone::ALL
                        .iter()
                        .filter(|m| inc.milestone(**m).is_some())
                        .count()
                ),
                Part::Followups => format!(" {}", inc.followups.iter().filter(|f| !f.done).count()),
                Part::Appendix => format!(" {}", doc.appendix.len()),
                Part::Updates => format!(" {}", doc.updates.len()),
            };
            // The list is narrow: a part whose name and state do not fit
            // says its name shorter rather than losing "(empty)".
            let name = match part_title(p) {
                t if t.len() + detail.len() > 22 => t.replace("Executive", "Exec."),
                t => t.to_string(),
            };
            let l = Line::from(vec![Span::raw(name), Span::styled(detail, theme.muted)]);
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
        return editor(f, body, ed, inc, theme);
    }

    let part = view.part();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {} ", part_title(part)), theme.title));
    let inner = block.inner(body);
    let width = inner.width as usize;
    let lines = part_lines(part, inc, me, width, theme, clock);
    f.render_widget(block, body);
    // Rows the part takes wrapped: past the pane, the last row says how
    // many more and where the whole document is.
    let rows: usize = lines
        .iter()
        .map(|l| crate::tui::wrap::wrap(&l.to_string(), width.max(1)).len())
        .sum::<usize>()
        .saturating_sub(view.scroll as usize);
    let h = inner.height as usize;
    let text_area = if rows > h && h > 1 {
        let [text, more] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
        let line = super::more_row(rows - (h - 1), "incident export prints it all", width);
        f.render_widget(Paragraph::new(Line::styled(line, theme.muted)), more);
        text
    } else {
        inner
    };
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((view.scroll, 0)),
        text_area,
    );
}

/// Each milestone known, when, and how it is known; then the durations.
/// The lines of one part of the document, `width` columns wide.
fn part_lines(
    part: Part,
    inc: &Incident,
    me: &str,
    width: usize,
    theme: &Theme,
    clock: &Clock,
) -> Vec<Line<'static>> {
    let doc = &inc.document;
    match part {
        Part::Section(s) => {
            let text = doc.text(s);
            let mut l = Vec::new();
            // Who may rewrite it is said before anyone starts writing.
            let enter = match crate::ops::may_set_section(inc, me, s) {
                Ok(()) => "Enter edits",
                Err(r) => {
                    let why = r.render(crate::ops::Surface::View);
                    l.push(Line::styled(sanitize::line(&why).into_owned(), theme.warn));
                    "Enter adds a paragraph"
                }
            };
            if let Some(st) = doc.sections.get(&s).filter(|t| t.version > 0) {
                let who = st.by.as_deref().map(sanitize::line).unwrap_or_default();
                let when = st.at.map(|t| clock.time(t)).unwrap_or_default();
                l.push(Line::styled(
                    format!("v{} · {who} {when} · {enter}", st.version),
                    theme.muted,
                ));
            } else {
                l.push(Line::styled(enter, theme.muted));
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
            let mut l: Vec<Line> = Vec::new();
            for e in inc.timeline() {
                let when = format!("{} UTC ", e.at.format("%Y-%m-%d %H:%M"));
                let by = format!("{} ", sanitize::line(&e.by));
                // The text wraps under itself rather than ending in "…".
                let indent = crate::tui::wrap::width(&when) + crate::tui::wrap::width(&by);
                let text = sanitize::line(&e.timeline_text()).into_owned();
                let rows = if width >= indent + 20 {
                    crate::tui::wrap::wrap(&text, width - indent)
                } else {
                    // Too narrow to hang: the paragraph wraps it.
                    vec![text]
                };
                let mut rows = rows.into_iter();
                l.push(Line::from(vec![
                    Span::styled(when, theme.muted),
                    Span::styled(by, theme.author),
                    Span::raw(rows.next().unwrap_or_default()),
                ]));
                l.extend(rows.map(|r| Line::raw(format!("{}{r}", " ".repeat(indent)))));
            }
            l.push(Line::styled(
                "Pin more from the log: Tab to the log, p on an entry (or :pin #N)",
                theme.muted,
            ));
            l
        }
        Part::Milestones => milestones(inc, theme),
        Part::Followups => followups(inc, theme),
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
            let mut l: Vec<Line> = Vec::new();
            for (i, u) in doc.updates.iter().enumerate() {
                let to = if u.external { "external" } else { "internal" };
                l.push(Line::from(vec![
                    Span::styled(
                        format!("{} {to} {} ", clock.time(u.at), sanitize::line(&u.by)),
                        theme.muted,
                    ),
                    Span::raw(sanitize::line(&u.text).into_owned()),
                ]));
                // Where it went: "→ slack#0 sent 06:41", "→ ... failed 1x".
                for d in inc
                    .notices
                    .deliveries
                    .iter()
                    .filter(|d| d.update == i as u64 + 1)
                {
                    let state = match d.sent_at {
                        Some(at) => format!("sent {}", clock.time(at)),
                        None => d.state_text(),
                    };
                    let style = if d.is_failing() {
                        theme.alert
                    } else if d.last_error.is_some() && !d.is_done() {
                        theme.warn
                    } else {
                        theme.muted
                    };
                    l.push(Line::styled(format!("    → {} {state}", d.target), style));
                }
            }
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
    }
}

/// A section being edited, under what someone else saved meanwhile; or a
/// paragraph being added, under the section and who may rewrite it.
fn editor(f: &mut Frame, body: Rect, ed: &crate::tui::doc::Editor, inc: &Incident, theme: &Theme) {
    use crate::tui::doc::Mode;
    let title = match &ed.mode {
        Mode::Rewrite => format!(
            " Editing {} · Ctrl-S saves · Esc stops ",
            ed.section.title()
        ),
        Mode::Append { .. } => format!(
            " Adding to {} · Ctrl-S adds it · Esc stops ",
            ed.section.title()
        ),
    };
    let editor_area = if let Mode::Append { why } = &ed.mode {
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(40), Constraint::Min(4)]).areas(body);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border)
            .title(Span::styled(
                format!(" {} now ", ed.section.title()),
                theme.title,
            ));
        let mut lines = vec![Line::styled(sanitize::line(why).into_owned(), theme.warn)];
        lines.extend(
            sanitize::text(inc.document.text(ed.section))
                .lines()
                .map(|t| Line::raw(t.to_string())),
        );
        f.render_widget(
            Paragraph::new(lines)
                .block(block)
                .wrap(Wrap { trim: false }),
            top,
        );
        bottom
    } else if let Some((theirs, by)) = &ed.conflict {
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
    // The paragraph being written wraps, so the whole of it reads.
    area.set_wrap_mode(ratatui_textarea::WrapMode::WordOrGlyph);
    area.set_cursor_line_style(ratatui::style::Style::default());
    area.set_cursor_style(theme.selection);
    f.render_widget(&area, editor_area);
}

fn milestones(inc: &Incident, theme: &Theme) -> Vec<Line<'static>> {
    let mut l: Vec<Line> = Milestone::ALL
        .iter()
        .map(|&m| {
            let name = format!("{:<15}", m.as_str().replace('_', " "));
            match inc.milestone(m) {
                Some((at, how)) => {
                    let known = match (how, inc.milestones.get(&m)) {
                        (Source::Set, Some(set)) => {
                            let note = set
                                .note
                                .as_deref()
                                .map(|n| format!(": {}", sanitize::line(n)))
                                .unwrap_or_default();
                            format!("set by {}{note}", sanitize::line(&set.by))
                        }
                        _ => "recorded".to_string(),
                    };
                    Line::from(vec![
                        Span::raw(name),
                        Span::raw(format!("{} UTC  ", at.format("%Y-%m-%d %H:%M"))),
                        Span::styled(known, theme.muted),
                    ])
                }
                None => Line::from(vec![
                    Span::raw(name),
                    Span::styled("not known", theme.muted),
                ]),
            }
        })
        .collect();
    let d = inc.durations();
    let spans: Vec<String> = [
        ("to detect", d.to_detect),
        ("to acknowledge", d.to_acknowledge),
        ("to mitigate", d.to_mitigate),
        ("to resolve", d.to_resolve),
    ]
    .into_iter()
    .filter_map(|(label, d)| d.map(|d| format!("{label} {}", human(d))))
    .collect();
    if !spans.is_empty() {
        l.push(Line::raw(""));
        l.push(Line::raw(format!("Time {}", spans.join(" · "))));
    }
    l.push(Line::styled(
        "Set one known later: :milestone impact_started 05:38 [NOTE]",
        theme.muted,
    ));
    l
}

/// The follow-ups, open first: the work that outlives the incident.
fn followups(inc: &Incident, theme: &Theme) -> Vec<Line<'static>> {
    let mut list: Vec<_> = inc.followups.iter().collect();
    list.sort_by_key(|f| (f.done, f.id));
    let mut l: Vec<Line> = list
        .into_iter()
        .map(|f| {
            let owner = f
                .owner
                .as_deref()
                .map_or("no owner".to_string(), |o| sanitize::line(o).into_owned());
            let state = if f.done { "done" } else { "open" };
            let style = if f.done {
                theme.muted
            } else {
                ratatui::style::Style::default()
            };
            Line::from(vec![
                Span::styled(format!("{} ", f.label()), theme.title),
                Span::styled(format!("{} · {owner} · {state}  ", f.kind), theme.muted),
                Span::styled(sanitize::line(&f.text).into_owned(), style),
            ])
        })
        .collect();
    if l.is_empty() {
        l.push(Line::styled("No follow-ups yet.", theme.muted));
    }
    l.push(Line::styled(
        ":followup [@OWNER] [prevent|mitigate|process|other] TEXT · :take F1 · :give F1 USER · :done F1",
        theme.muted,
    ));
    l
}

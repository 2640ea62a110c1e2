//! The action log pane: newest entry at the bottom, wrapped, with day
//! separators. Only the rows that are visible are laid out, so a frame
//! costs the same at 10 entries or 50,000.

use crate::model::{LogEntry, LogKind};
use crate::sanitize;
use crate::tui::clock::Clock;
use crate::tui::theme::Theme;
use crate::tui::wrap::{self, width};
use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

mod search;
pub use search::{Search, SearchKey, find, matches};

/// Where the log view is: following the newest entry, or anchored with
/// entry `.0` at the bottom and `.1` of its rows hidden below the pane.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LogScroll {
    pub anchor: Option<(usize, usize)>,
    /// Entries that existed when the reader scrolled away (for "N new").
    pub seen: usize,
    /// The `#N` gutter is hidden (`#` toggles it).
    pub hide_numbers: bool,
}

/// Columns the `#N` gutter takes in a pane `inner_width` wide with `len`
/// entries: "#" and the widest number, and a space. None when hidden, or
/// when the pane is too narrow to spare them.
pub fn gutter(len: usize, inner_width: usize, hidden: bool) -> usize {
    if hidden || inner_width < 40 {
        return 0;
    }
    len.max(1).to_string().len() + 2
}

/// One entry laid out for a given width.
#[derive(Debug)]
pub struct EntryRows {
    /// Its number (`#N`), for the gutter.
    pub seq: u64,
    /// A day separator goes above this entry.
    pub date: Option<NaiveDate>,
    pub time: String,
    pub author: String,
    pub kind: LogKind,
    /// Text rows; the first sits after the prefix, others are indented.
    pub rows: Vec<String>,
    /// The first this many rows are what the entry said before its author
    /// corrected or retracted it: drawn struck through.
    pub struck: usize,
    pub indent: usize,
    /// A command run that failed (non-zero exit, a signal, never started):
    /// drawn in the theme's alert style.
    pub failed: bool,
    /// The last this many rows are a run's last lines of output, dimmed.
    pub output: usize,
}

impl EntryRows {
    pub fn height(&self) -> usize {
        self.date.is_some() as usize + self.rows.len()
    }
}

const AUTHOR_WIDTH: usize = 8;

pub fn layout_entry(log: &[LogEntry], idx: usize, inner_width: usize, clock: &Clock) -> EntryRows {
    let e = &log[idx];
    let day = clock.day(e.at);
    let boundary = idx == 0 || clock.day(log[idx - 1].at) != day;
    // An assistant as "AI:carol": its mark must survive the cut.
    let author = wrap::truncate(
        &sanitize::line(&crate::model::short_name(&e.by)),
        AUTHOR_WIDTH,
    );
    // "HH:MM:SS author__ m " then text.
    let indent = 8 + 1 + AUTHOR_WIDTH + 1 + 1 + 1;
    // Corrected or retracted: what it said first (struck through), then
    // what it says now.
    let (old, now) = match (&e.corrected, &e.retracted) {
        (c, Some(r)) => {
            let mut old = e.text.clone();
            if let Some(c) = c {
                old = format!("{old}\n{}", c.text);
            }
            let now = format!("retracted {}: {}", clock.time(r.at), r.text);
            (Some(old), now)
        }
        (Some(c), None) => (
            Some(e.text.clone()),
            format!("{} (corrected {})", c.text, clock.time(c.at)),
        ),
        (None, None) => (None, e.text.clone()),
    };
    let wrap_at = if inner_width > indent + 10 {
        inner_width - indent
    } else {
        inner_width.max(1)
    };
    let indent = if inner_width > indent + 10 { indent } else { 0 };
    let mut rows = match &old {
        Some(old) => wrap::wrap(&sanitize::text(old), wrap_at),
        None => Vec::new(),
    };
    let struck = rows.len();
    rows.extend(wrap::wrap(&sanitize::text(&now), wrap_at));
    // A run's last lines of output under it, one row each (`o` shows all).
    let output = e
        .evidence
        .as_ref()
        .map(|ev| output_tail(&ev.output, OUTPUT_ROWS))
        .unwrap_or_default();
    rows.extend(
        output
            .iter()
            .map(|l| wrap::truncate(&format!("│ {l}"), wrap_at)),
    );
    // More than the tail shows: say so, and how to read it all.
    let earlier = e.evidence.as_ref().map_or(0, |ev| {
        output_lines(&ev.output).saturating_sub(output.len())
    });
    if earlier > 0 {
        let lines = if earlier == 1 { "line" } else { "lines" };
        rows.push(wrap::truncate(
            &format!("│ … {earlier} earlier {lines}: Tab to the log, then o"),
            wrap_at,
        ));
    }
    let output_rows = output.len() + usize::from(earlier > 0);
    EntryRows {
        seq: e.seq,
        date: boundary.then_some(day),
        time: clock.time(e.at),
        author,
        kind: e.kind,
        rows,
        struck,
        indent,
        failed: e.evidence.as_ref().is_some_and(|ev| ev.failed()),
        output: output_rows,
    }
}

/// How many of a run's last output lines the log shows under it.
pub const OUTPUT_ROWS: usize = 3;

/// How many lines of a run's output say something (as `output_tail`
/// counts them).
fn output_lines(output: &str) -> usize {
    output.lines().filter(|l| !l.trim_end().is_empty()).count()
}

/// The last `n` lines of a run's output that say something, sanitized.
pub fn output_tail(output: &str, n: usize) -> Vec<String> {
    let lines: Vec<&str> = output
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
        .collect();
    lines[lines.len().saturating_sub(n)..]
        .iter()
        .map(|l| sanitize::line(l).into_owned())
        .collect()
}

/// Entries laid out for one width and clock, kept between frames and
/// scroll steps: laying one out (sanitizing, wrapping, formatting its time)
/// was a sixth of every frame and most of a page scroll. Each is checked
/// against a fingerprint of what it shows (time, author, kind, text, and
/// the time of the entry before, which decides the day separator), so a
/// file edited or replaced under the view is laid out afresh.
#[derive(Debug, Clone, Default)]
pub struct LayoutCache {
    key: Option<(usize, bool)>,
    entries: HashMap<usize, (u64, Rc<EntryRows>)>,
}

fn fingerprint(log: &[LogEntry], idx: usize) -> u64 {
    use std::hash::{Hash, Hasher};
    let e = &log[idx];
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (e.seq, e.at, &e.by, e.kind, &e.text).hash(&mut h);
    // A correction or retraction changes what the entry shows.
    (&e.corrected, &e.retracted).hash(&mut h);
    e.evidence
        .as_ref()
        .map(|ev| (ev.failed(), &ev.output))
        .hash(&mut h);
    idx.checked_sub(1).map(|p| log[p].at).hash(&mut h);
    h.finish()
}

/// More entries than fit on any screen many times over.
const CACHE_LIMIT: usize = 4096;

/// Lays out the entries of `log` for `width` through a room's cache.
pub struct Layouts<'a> {
    pub log: &'a [LogEntry],
    pub width: usize,
    pub clock: &'a Clock,
    pub cache: &'a RefCell<LayoutCache>,
}

impl Layouts<'_> {
    pub fn entry(&self, idx: usize) -> Rc<EntryRows> {
        let mut cache = self.cache.borrow_mut();
        let key = (self.width, self.clock.utc);
        if cache.key != Some(key) || cache.entries.len() > CACHE_LIMIT {
            cache.entries.clear();
            cache.key = Some(key);
        }
        let fp = fingerprint(self.log, idx);
        if let Some((seen, rows)) = cache.entries.get(&idx)
            && *seen == fp
        {
            return rows.clone();
        }
        let rows = Rc::new(layout_entry(self.log, idx, self.width, self.clock));
        cache.entries.insert(idx, (fp, rows.clone()));
        rows
    }
}

/// A row of the visible window, bottom-up assembly made top-down.
enum Row {
    Date(NaiveDate),
    Text { idx: usize, row: usize },
}

pub struct Visible {
    rows: Vec<Row>,
    layouts: Vec<(usize, Rc<EntryRows>)>,
    /// The first entry's first row is in view: cannot scroll further up.
    pub reached_top: bool,
}

/// Lay out what fits in `height` rows with `anchor` at the bottom.
pub fn visible(lay: &Layouts, scroll: &LogScroll, height: usize) -> Visible {
    let (log, clock) = (lay.log, lay.clock);
    let mut rows: Vec<Row> = Vec::new();
    let mut layouts = Vec::new();
    let mut reached_top = log.is_empty();
    if let Some(&(last, skip)) = scroll
        .anchor
        .as_ref()
        .or(Some(&(log.len().saturating_sub(1), 0)))
        && !log.is_empty()
    {
        let mut idx = last.min(log.len() - 1);
        let mut skip = skip;
        'outer: loop {
            let lay = lay.entry(idx);
            let mut entry_rows: Vec<Row> = Vec::new();
            if let Some(d) = lay.date {
                entry_rows.push(Row::Date(d));
            }
            entry_rows.extend((0..lay.rows.len()).map(|row| Row::Text { idx, row }));
            let keep = entry_rows.len().saturating_sub(skip);
            skip = 0;
            layouts.push((idx, lay));
            for r in entry_rows.into_iter().take(keep).rev() {
                if rows.len() == height {
                    break 'outer;
                }
                rows.push(r);
            }
            if idx == 0 {
                reached_top = true;
                break;
            }
            if rows.len() == height {
                break;
            }
            idx -= 1;
        }
        rows.reverse();
    }
    // The top row must say which day it is when that is not today.
    if let Some(Row::Text { idx, .. }) = rows.first() {
        let day = clock.day(log[*idx].at);
        if day != clock.today() {
            rows[0] = Row::Date(day);
        }
    }
    Visible {
        rows,
        layouts,
        reached_top,
    }
}

impl Visible {
    fn layout(&self, idx: usize) -> &EntryRows {
        &self
            .layouts
            .iter()
            .find(|(i, _)| *i == idx)
            .expect("laid out")
            .1
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The selected entry: `hit` (the search's) when its first row is in
    /// view, else the newest entry whose first row is in view, else the
    /// one filling the view. What `p`
    /// pins, drawn highlighted while the log has focus.
    pub fn selected(&self, hit: Option<usize>) -> Option<usize> {
        let firsts = || {
            self.rows.iter().filter_map(|r| match r {
                Row::Text { idx, row: 0 } => Some(*idx),
                _ => None,
            })
        };
        hit.filter(|h| firsts().any(|i| i == *h))
            .or_else(|| firsts().next_back())
            // An entry taller than the pane, its first row out of sight,
            // is still the one on screen (a run's output filling it).
            .or_else(|| {
                self.rows.iter().rev().find_map(|r| match r {
                    Row::Text { idx, .. } => Some(*idx),
                    _ => None,
                })
            })
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// The pane's own state: where it is scrolled, its `/` search, and its
/// entries as last laid out.
#[derive(Debug, Clone, Default)]
pub struct LogPane {
    pub scroll: LogScroll,
    /// The log's `/` search.
    pub search: Search,
    /// Log entries as last laid out (see [`LayoutCache`]).
    pub layouts: RefCell<LayoutCache>,
}

impl LogPane {
    /// The log's scrolling keys on `log` (`w` by `h` inside the pane): a
    /// line with the arrows while the log has focus, a page, the top or
    /// the bottom from any pane. True when the key was the log's.
    pub fn key(
        &mut self,
        log: &[LogEntry],
        focused: bool,
        action: crate::tui::keymap::Action,
        (w, h): (usize, usize),
        clock: &Clock,
    ) -> bool {
        use crate::tui::keymap::Action;
        if action == Action::ToggleNumbers {
            self.scroll.hide_numbers = !self.scroll.hide_numbers;
            return true;
        }
        let g = gutter(log.len(), w, self.scroll.hide_numbers);
        let lay = Layouts {
            log,
            width: w - g,
            clock,
            cache: &self.layouts,
        };
        let page = h.saturating_sub(1).max(1);
        let s = &mut self.scroll;
        match action {
            Action::Up if focused => scroll_up(&lay, s, 1, h),
            Action::Down if focused => scroll_down(&lay, s, 1),
            Action::PageUp => scroll_up(&lay, s, page, h),
            Action::PageDown => scroll_down(&lay, s, page),
            Action::Top => scroll_top(&lay, s, h),
            Action::Bottom => s.anchor = None,
            _ => return false,
        }
        true
    }

    /// The entry `p` pins in `log`, `w` by `h` inside the pane: the one
    /// drawn selected (see [`Visible::selected`]).
    pub fn selected_entry(
        &self,
        log: &[LogEntry],
        (w, h): (usize, usize),
        clock: &Clock,
    ) -> Option<usize> {
        let g = gutter(log.len(), w, self.scroll.hide_numbers);
        let lay = Layouts {
            log,
            width: w - g,
            clock,
            cache: &self.layouts,
        };
        visible(&lay, &self.scroll, h).selected(self.search.hit)
    }

    /// Move to the search's next match in `log` and show it: `older` goes
    /// up the log, else down. Err says why there is none.
    pub fn step(&mut self, log: &[LogEntry], older: bool) -> Result<(), String> {
        let Some(q) = self.search.query.as_deref().filter(|q| !q.is_empty()) else {
            return Err("Search with / first".to_string());
        };
        match find(log, q, self.search.hit, older) {
            Some(i) => {
                self.search.hit = Some(i);
                show_entry(log, &mut self.scroll, i);
                Ok(())
            }
            None => {
                let edge = if older { "oldest" } else { "newest" };
                let q = sanitize::line(q);
                Err(format!(
                    "No more matches for \"{q}\" towards the {edge} entry"
                ))
            }
        }
    }
}

/// Scroll up by `n` rows (towards older entries).
pub fn scroll_up(lay: &Layouts, s: &mut LogScroll, n: usize, height: usize) {
    let log = lay.log;
    if log.is_empty() {
        return;
    }
    if s.anchor.is_none() {
        s.anchor = Some((log.len() - 1, 0));
        s.seen = log.len();
    }
    for _ in 0..n {
        if visible(lay, s, height).reached_top {
            break;
        }
        let (idx, skip) = s.anchor.expect("set above");
        let h = lay.entry(idx).height();
        s.anchor = Some(if skip + 1 < h {
            (idx, skip + 1)
        } else {
            (idx.saturating_sub(1), 0)
        });
    }
}

/// Scroll down by `n` rows; reaching the newest entry resumes following.
pub fn scroll_down(lay: &Layouts, s: &mut LogScroll, n: usize) {
    let log = lay.log;
    for _ in 0..n {
        let Some((idx, skip)) = s.anchor else { return };
        s.anchor = if skip > 0 {
            Some((idx, skip - 1))
        } else if idx + 1 < log.len() {
            let h = lay.entry(idx + 1).height();
            Some((idx + 1, h.saturating_sub(1)))
        } else {
            None
        };
    }
    if matches!(s.anchor, Some((idx, 0)) if idx + 1 >= log.len()) {
        s.anchor = None;
    }
}

/// Jump so the first entry is at the top.
pub fn scroll_top(lay: &Layouts, s: &mut LogScroll, height: usize) {
    let log = lay.log;
    if log.is_empty() {
        return;
    }
    if s.anchor.is_none() {
        s.seen = log.len();
    }
    // Fill the pane forwards from the first entry.
    let mut used = 0;
    let mut idx = 0;
    loop {
        let h = lay.entry(idx).height();
        if used + h >= height || idx + 1 == log.len() {
            let skip = (used + h).saturating_sub(height);
            s.anchor = Some((idx, skip));
            break;
        }
        used += h;
        idx += 1;
    }
    if matches!(s.anchor, Some((idx, 0)) if idx + 1 >= log.len()) {
        s.anchor = None;
    }
}

/// Put entry `idx` at the bottom of the view (search results).
pub fn show_entry(log: &[LogEntry], s: &mut LogScroll, idx: usize) {
    if s.anchor.is_none() {
        s.seen = log.len();
    }
    s.anchor = if idx + 1 >= log.len() {
        None
    } else {
        Some((idx, 0))
    };
}

/// The pane: `log` drawn as `pane` says, its border lit when `focused`.
pub fn render(
    f: &mut Frame,
    area: Rect,
    log: &[LogEntry],
    pane: &LogPane,
    focused: bool,
    theme: &Theme,
    clock: &Clock,
) {
    let query = pane.search.query.as_deref();
    let mut title = vec![Span::styled(
        " Action log ",
        if focused { theme.focus } else { theme.title },
    )];
    if let Some((_, _)) = pane.scroll.anchor {
        let new = log.len().saturating_sub(pane.scroll.seen);
        let text = if new > 0 {
            format!(" scrolled back · {new} new · G to follow ")
        } else {
            " scrolled back · G to follow ".to_string()
        };
        title.push(Span::styled(text, theme.warn));
    }
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        let hits = log.iter().filter(|e| matches(e, q)).count();
        title.push(Span::styled(
            format!(" /{} {hits} found ", sanitize::line(q)),
            theme.muted,
        ));
    }
    let border = if focused { theme.focus } else { theme.border };
    let inner = crate::tui::cells::boxed(f.buffer_mut(), area, border, &Line::from(title));
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    let g = gutter(log.len(), inner.width as usize, pane.scroll.hide_numbers);
    let lay = Layouts {
        log,
        width: inner.width as usize - g,
        clock,
        cache: &pane.layouts,
    };
    let vis = visible(&lay, &pane.scroll, inner.height as usize);
    let selected = focused.then(|| vis.selected(pane.search.hit)).flatten();
    let mut lines: Vec<Line> = Vec::with_capacity(vis.len());
    for row in &vis.rows {
        lines.push(match row {
            Row::Date(d) => date_line(*d, inner.width as usize, theme),
            Row::Text { idx, row } => {
                let lay = vis.layout(*idx);
                let hit = pane.search.hit == Some(*idx);
                let mut line = text_line(lay, *row, theme, query, hit);
                if g > 0 {
                    let number = if *row == 0 {
                        format!("{:<w$}", format!("#{}", lay.seq), w = g)
                    } else {
                        " ".repeat(g)
                    };
                    line.spans.insert(0, Span::styled(number, theme.muted));
                }
                if selected == Some(*idx) {
                    for span in &mut line.spans {
                        span.style = span.style.patch(theme.selection);
                    }
                }
                line
            }
        });
    }
    // Screen readers follow the hardware cursor: put it on the focused row
    // (the search hit, else the newest visible entry).
    if focused && !vis.rows.is_empty() {
        let hit_row = pane.search.hit.and_then(|hit| {
            vis.rows
                .iter()
                .position(|r| matches!(r, Row::Text { idx, row: 0 } if *idx == hit))
        });
        let last_entry_row = vis
            .rows
            .iter()
            .rposition(|r| matches!(r, Row::Text { row: 0, .. }));
        if let Some(y) = hit_row.or(last_entry_row) {
            f.set_cursor_position(ratatui::layout::Position::new(inner.x, inner.y + y as u16));
        }
    }
    // The rows are already wrapped to the width: set them straight into the
    // buffer (a Paragraph would measure and truncate every row again).
    let buf = f.buffer_mut();
    for (y, line) in (inner.y..inner.bottom()).zip(&lines) {
        crate::tui::cells::set_line(buf, inner.x, y, line, inner.width);
    }
}

/// The whole output of the run recorded as entry `seq`, as the incident
/// kept it, on top of the screen; scrolled down by `top` lines.
pub fn render_output(
    f: &mut Frame,
    area: Rect,
    room: &crate::tui::room::Room,
    seq: u64,
    top: u16,
    theme: &Theme,
    clock: &Clock,
) {
    use ratatui::widgets::{Block, Borders, Clear, Paragraph};
    let Some(e) = room.incident.log.iter().find(|e| e.seq == seq) else {
        return;
    };
    let Some(ev) = e.evidence.as_ref() else {
        return;
    };
    let w = area.width.saturating_sub(4).max(10).min(area.width);
    let inner_w = w.saturating_sub(2).max(1) as usize;
    // Long lines wrap (nothing of what the command said is cut off); the
    // scroll moves by the output's own lines.
    let mut lines: Vec<Line> = ev
        .output
        .lines()
        .skip(top as usize)
        .flat_map(|l| wrap::wrap(&sanitize::line(l), inner_w))
        .map(Line::raw)
        .collect();
    if ev.output.trim().is_empty() {
        lines.push(Line::styled("(no output)", theme.muted));
    }
    if ev.truncated && top == 0 {
        lines.insert(
            0,
            Line::styled(
                "(kept: its first and last lines; the rest was not recorded)",
                theme.muted,
            ),
        );
    }
    // As tall as the output (and its notes), within the screen.
    let wanted = (lines.len() as u16).saturating_add(2);
    let h = wanted
        .min(area.height.saturating_sub(2))
        .max(3)
        .min(area.height);
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    f.render_widget(Clear, rect);
    let title = format!(
        " #{seq} {} · {} · {} ",
        sanitize::line(&ev.command),
        ev.outcome(),
        clock.time(e.at)
    );
    // How to move and close it: on the bottom border, so a long command
    // in the title never pushes it out of sight.
    let keys = " j/k scroll · any key closes ";
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.focus)
        .title(Span::styled(
            wrap::truncate(&title, w.saturating_sub(2) as usize),
            theme.title,
        ))
        .title_bottom(Span::styled(
            wrap::truncate(keys, w.saturating_sub(2) as usize),
            theme.title,
        ));
    f.render_widget(Paragraph::new(lines).block(block), rect);
}

fn date_line(d: NaiveDate, w: usize, theme: &Theme) -> Line<'static> {
    let label = format!(" {} ", d.format("%a %d %b %Y"));
    let side = w.saturating_sub(width(&label)) / 2;
    Line::from(Span::styled(
        format!(
            "{}{label}{}",
            "─".repeat(side),
            "─".repeat(w.saturating_sub(side + width(&label)))
        ),
        theme.muted,
    ))
}

/// How an entry is styled: by its kind, and a failed run as a failure.
fn entry_style(lay: &EntryRows, theme: &Theme) -> Style {
    if lay.failed {
        theme.alert
    } else {
        kind_style(lay.kind, theme)
    }
}

fn kind_style(kind: LogKind, theme: &Theme) -> Style {
    match kind {
        LogKind::Note => Style::default(),
        LogKind::Action => Style::default().add_modifier(Modifier::BOLD),
        LogKind::Decision => theme.title,
        LogKind::Announcement => theme.warn,
        LogKind::StatusChange | LogKind::SeverityChange => theme.alert,
        LogKind::RoleChange => theme.ok,
        LogKind::Declared => theme.title,
        LogKind::Request => theme.warn,
        LogKind::Answer => theme.ok,
        LogKind::Ran => Style::default().add_modifier(Modifier::BOLD),
        LogKind::Nudge => theme.alert,
        LogKind::System => theme.warn,
        LogKind::Assumption => theme.title,
        LogKind::Impact => theme.alert,
        LogKind::Mitigation => theme.ok,
        LogKind::Task => theme.title,
        LogKind::Freeze => theme.warn,
        LogKind::Document => theme.muted,
        LogKind::Update => theme.title,
        LogKind::Break => theme.ok,
        LogKind::Care => theme.ok,
        LogKind::Page => theme.alert,
        LogKind::Takeover => theme.alert,
        LogKind::Milestone => theme.title,
        LogKind::Followup => theme.title,
        LogKind::Closed => theme.warn,
        LogKind::Related => theme.title,
        LogKind::Correction => theme.muted,
    }
}

fn text_line<'a>(
    lay: &EntryRows,
    row: usize,
    theme: &Theme,
    search: Option<&str>,
    hit: bool,
) -> Line<'a> {
    let mut spans = Vec::new();
    if row == 0 {
        spans.push(Span::styled(format!("{} ", lay.time), theme.muted));
        if lay.indent > 0 {
            let pad = AUTHOR_WIDTH.saturating_sub(width(&lay.author));
            spans.push(Span::styled(lay.author.clone(), theme.author));
            spans.push(Span::raw(format!("{} ", " ".repeat(pad))));
        } else {
            spans.push(Span::styled(format!("{} ", lay.author), theme.author));
        }
        spans.push(Span::styled(
            format!("{} ", lay.kind.marker()),
            entry_style(lay, theme),
        ));
    } else if lay.indent > 0 {
        spans.push(Span::raw(" ".repeat(lay.indent)));
    }
    let text = &lay.rows[row];
    let base = if row >= lay.rows.len() - lay.output {
        // A run's output: dimmed under the entry.
        theme.muted
    } else if row < lay.struck {
        // What it said before its author corrected or retracted it.
        theme.muted.add_modifier(Modifier::CROSSED_OUT)
    } else if lay.kind == LogKind::Note {
        Style::default()
    } else {
        entry_style(lay, theme)
    };
    let base = if hit {
        base.patch(theme.selection)
    } else {
        base
    };
    match search.filter(|q| !q.is_empty()) {
        Some(q) => spans.extend(highlight(text, q, base, theme.highlight)),
        None => spans.push(Span::styled(text.clone(), base)),
    }
    Line::from(spans)
}

fn highlight<'a>(text: &str, q: &str, base: Style, hl: Style) -> Vec<Span<'a>> {
    let lower = text.to_lowercase();
    let ql = q.to_lowercase();
    // Lower-casing can change byte lengths; only highlight when it did not.
    if lower.len() != text.len() || ql.is_empty() {
        return vec![Span::styled(text.to_string(), base)];
    }
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(found) = lower[pos..].find(&ql) {
        let start = pos + found;
        let end = start + ql.len();
        if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            break;
        }
        if start > pos {
            out.push(Span::styled(text[pos..start].to_string(), base));
        }
        out.push(Span::styled(text[start..end].to_string(), hl));
        pos = end;
    }
    if pos < text.len() {
        out.push(Span::styled(text[pos..].to_string(), base));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn entry(seq: u64, minute: u32, text: &str) -> LogEntry {
        LogEntry {
            seq,
            at: Utc.with_ymd_and_hms(2026, 11, 26, 3, minute, 0).unwrap(),
            by: "bob".into(),
            kind: LogKind::Note,
            text: text.into(),
            request: None,
            milestone: false,
            unfamiliar: None,
            evidence: None,
            corrected: None,
            retracted: None,
            amends: None,
        }
    }

    #[test]
    fn cached_layouts_follow_the_width_the_clock_and_a_replaced_file() {
        let clock = Clock {
            now: Utc.with_ymd_and_hms(2026, 11, 26, 4, 0, 0).unwrap(),
            utc: true,
        };
        let cache = RefCell::new(LayoutCache::default());
        let log = vec![
            entry(1, 0, "declared"),
            entry(2, 1, "rolled back the canary"),
        ];
        let lay = |log: &[LogEntry], width: usize, clock: &Clock| {
            Layouts {
                log,
                width,
                clock,
                cache: &cache,
            }
            .entry(1)
        };
        let wide = lay(&log, 80, &clock);
        assert_eq!(wide.rows, ["rolled back the canary"]);
        assert_eq!(wide.time, "03:01:00");
        assert!(
            Rc::ptr_eq(&wide, &lay(&log, 80, &clock)),
            "served from the cache"
        );

        let replaced = vec![entry(1, 0, "declared"), entry(7, 9, "a different entry")];
        assert_eq!(lay(&replaced, 80, &clock).rows, ["a different entry"]);
        // Redacted in place: same number, same time, same length.
        let redacted = vec![entry(1, 0, "declared"), entry(7, 9, "a XXXXXXXXX entry")];
        assert_eq!(lay(&redacted, 80, &clock).rows, ["a XXXXXXXXX entry"]);

        let narrow = lay(&log, 12, &clock);
        assert!(narrow.rows.len() > 1, "laid out again for 12 columns");
    }
}

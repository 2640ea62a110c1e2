//! "What is bleeding": the failing and degraded systems as a dependency
//! tree, from the user-facing ones down to the suspected source, with how
//! each was checked; then what to check next, what else will hurt, the
//! unverified assumptions and the impact.

use crate::model::{AssumptionState, Incident, System, SystemStatus};
use crate::sanitize;
use crate::systems::analysis::{self, Bleeding};
use crate::systems::cause::{self, Basis, Suspicion};
use crate::tui::clock::Clock;
use crate::tui::panes::Focus;
use crate::tui::room::Room;
use crate::tui::theme::Theme;
use crate::tui::wrap::truncate;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use std::collections::BTreeSet;

/// Deeper than this, subtrees stay folded unless opened.
const MAX_DEPTH: usize = 6;
/// More healthy dependencies than this under one node are folded.
const MAX_OK_SHOWN: usize = 2;

/// One row of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeRow {
    /// Box-drawing prefix ("│  └ ").
    pub prefix: String,
    pub name: String,
    pub status: SystemStatus,
    pub suspected: bool,
    /// Who set the status, when, and whether with evidence.
    pub checked: Option<(String, chrono::DateTime<chrono::Utc>, bool)>,
    /// The status is the pager's report (this source), not a check.
    pub reported_by: Option<String>,
    /// Folded children under this row (shown as "+N").
    pub folded: usize,
    /// Shown again: its subtree is drawn where it first appears (or it
    /// closes a cycle).
    pub repeat: bool,
}

/// The analysis and the tree for one state of the systems and the view,
/// kept until either changes: a frame with 1,000 systems should not
/// recompute them, nor should every log entry that lands.
#[derive(Debug, Clone)]
pub struct TreeCache {
    key: (u64, BTreeSet<String>, Option<String>),
    pub bleeding: std::rc::Rc<Bleeding>,
    pub rows: std::rc::Rc<Vec<TreeRow>>,
    /// The same tree with only the bleeding systems: the healthy and
    /// unchecked ones fold into their parent's "+N" (what to check next
    /// names the unchecked ones). Drawn when the pane is short of rows.
    pub compact: std::rc::Rc<Vec<TreeRow>>,
    /// The suspected cause. It changes only with the systems, the named
    /// suspect or the assumptions, each an operation that moves
    /// `systems_revision`.
    pub suspicion: std::rc::Rc<Suspicion>,
}

/// The pane's own state: the tree as the reader left it, and the
/// analysis last drawn.
#[derive(Debug, Clone, Default)]
pub struct BleedingPane {
    pub tree: TreeState,
    /// The analysis and tree last drawn (see [`BleedingPane::cached`]).
    pub cache: std::cell::RefCell<Option<TreeCache>>,
}

/// The analysis and tree of `room`, computed at most once per change.
pub fn cached(room: &Room) -> TreeCache {
    room.bleeding.cached(&room.incident)
}

impl BleedingPane {
    /// The analysis and tree of `inc` as this pane shows it, computed at
    /// most once per change.
    pub fn cached(&self, inc: &Incident) -> TreeCache {
        let key = (
            inc.systems_revision,
            self.tree.expanded.clone(),
            self.tree.focus.clone(),
        );
        if let Some(c) = self.cache.borrow().as_ref()
            && c.key == key
        {
            return c.clone();
        }
        let b = analysis::analyse(&inc.systems);
        let walk = |bleeding_only| {
            walk_tree(
                inc,
                &b,
                &self.tree.expanded,
                self.tree.focus.as_deref(),
                bleeding_only,
            )
        };
        let (rows, compact) = (walk(false), walk(true));
        let suspicion = cause::suspicion_with(inc, &b);
        let c = TreeCache {
            key,
            suspicion: std::rc::Rc::new(suspicion),
            bleeding: std::rc::Rc::new(b),
            rows: std::rc::Rc::new(rows),
            compact: std::rc::Rc::new(compact),
        };
        *self.cache.borrow_mut() = Some(c.clone());
        c
    }

    /// The pane's own keys on `inc`: moving through the tree while it
    /// has focus, opening or folding the selected system, showing only
    /// what is under it. True when the key was the pane's.
    pub fn key(
        &mut self,
        inc: &Incident,
        focused: bool,
        action: crate::tui::keymap::Action,
    ) -> bool {
        use crate::tui::keymap::Action;
        match action {
            Action::Up if focused => {
                self.tree.selected = self.tree.selected.saturating_sub(1);
            }
            Action::Down if focused => {
                let n = self.cached(inc).rows.len();
                self.tree.selected = (self.tree.selected + 1).min(n.saturating_sub(1));
            }
            Action::Toggle => {
                if let Some(name) = self.selected_name(inc)
                    && !self.tree.expanded.remove(&name)
                {
                    self.tree.expanded.insert(name);
                }
            }
            Action::FocusTree => {
                self.tree.focus = match self.tree.focus.take() {
                    Some(_) => None,
                    None => self.selected_name(inc),
                };
                self.tree.selected = 0;
            }
            _ => return false,
        }
        true
    }

    /// The system on the selected row.
    pub fn selected_name(&self, inc: &Incident) -> Option<String> {
        self.cached(inc)
            .rows
            .get(self.tree.selected)
            .map(|r| r.name.clone())
    }
}

/// Whether the pane has anything to show.
pub fn has_content(inc: &Incident) -> bool {
    !inc.systems.is_empty() || !inc.assumptions.is_empty() || !inc.impacts.is_empty()
}

/// How a row was checked; without `who` when the row is short of room
/// (the checker's name goes before the time does).
fn checked(r: &TreeRow, clock: &Clock, who: bool) -> String {
    if r.repeat {
        return "(shown above)".into();
    }
    match &r.checked {
        Some((_, at, _)) if r.reported_by.is_some() => {
            format!("reported by pager {}", &clock.time(*at)[..5])
        }
        Some((by, at, true)) if who => {
            format!("verified {} {}", &clock.time(*at)[..5], sanitize::line(by))
        }
        Some((_, at, true)) => format!("verified {}", &clock.time(*at)[..5]),
        Some((by, at, false)) if who => format!(
            "unverified ({} {})",
            &clock.time(*at)[..5],
            sanitize::line(by)
        ),
        Some((_, at, false)) => format!("unverified ({})", &clock.time(*at)[..5]),
        None => "unchecked".into(),
    }
}

fn order(s: &System) -> (u8, &str) {
    let rank = match s.status {
        SystemStatus::Failing => 0,
        SystemStatus::Degraded => 1,
        SystemStatus::Unknown => 2,
        SystemStatus::Ok => 3,
    };
    (rank, &s.name)
}

/// The tree, top-down. `expanded` opens folded nodes; `focus` shows only
/// the subtree under one system.
pub fn tree(
    inc: &Incident,
    b: &Bleeding,
    expanded: &BTreeSet<String>,
    focus: Option<&str>,
) -> Vec<TreeRow> {
    walk_tree(inc, b, expanded, focus, false)
}

/// The tree; with `bleeding_only`, systems that are not failing or
/// degraded fold into their parent's count unless it was opened.
fn walk_tree(
    inc: &Incident,
    b: &Bleeding,
    expanded: &BTreeSet<String>,
    focus: Option<&str>,
    bleeding_only: bool,
) -> Vec<TreeRow> {
    let systems = &inc.systems;
    let suspects: BTreeSet<&str> = b.suspected.iter().map(|s| s.name.as_str()).collect();
    let mut roots: Vec<&System> = match focus.and_then(|f| systems.get(f)) {
        Some(s) => vec![s],
        None => {
            // User-facing: bleeding systems no bleeding system depends on.
            let below: BTreeSet<&str> = systems
                .values()
                .filter(|s| s.status.is_bleeding())
                .flat_map(|s| s.depends_on.iter().map(String::as_str))
                .collect();
            let mut r: Vec<&System> = systems
                .values()
                .filter(|s| s.status.is_bleeding() && !below.contains(s.name.as_str()))
                .collect();
            if r.is_empty() {
                // Everything bleeding sits in a cycle: start anywhere in it.
                r = systems
                    .values()
                    .filter(|s| s.status.is_bleeding())
                    .take(1)
                    .collect();
            }
            r
        }
    };
    roots.sort_by_key(|s| order(s));
    let mut rows = Vec::new();
    let mut drawn = BTreeSet::new();
    for s in roots {
        let mut w = Walk {
            systems,
            suspects: &suspects,
            expanded,
            drawn: &mut drawn,
            rows: &mut rows,
            bleeding_only,
        };
        w.walk(s, String::new(), None, 0);
    }
    rows
}

/// State of one walk down the tree. Each system's subtree is drawn once;
/// later appearances are marked as repeats, which also stops cycles.
struct Walk<'a, 'b> {
    systems: &'a std::collections::BTreeMap<String, System>,
    suspects: &'b BTreeSet<&'a str>,
    expanded: &'b BTreeSet<String>,
    drawn: &'b mut BTreeSet<&'a str>,
    rows: &'b mut Vec<TreeRow>,
    bleeding_only: bool,
}

impl<'a> Walk<'a, '_> {
    fn walk(&mut self, s: &'a System, indent: String, last: Option<bool>, depth: usize) {
        let branch = match last {
            None => "",
            Some(true) => "└ ",
            Some(false) => "├ ",
        };
        let repeat = !self.drawn.insert(s.name.as_str());
        let mut children: Vec<&System> = s
            .depends_on
            .iter()
            .filter_map(|d| self.systems.get(d))
            .collect();
        children.sort_by_key(|c| order(c));
        let open = self.expanded.contains(&s.name);
        // Only bleeding systems are walked into; a closed deep node folds.
        let walk_in = !repeat && ((s.status.is_bleeding() && depth < MAX_DEPTH) || open);
        let mut shown: Vec<&System> = Vec::new();
        let mut folded = 0;
        if walk_in {
            let ok_count = children
                .iter()
                .filter(|c| c.status == SystemStatus::Ok)
                .count();
            for c in children {
                let healthy = c.status == SystemStatus::Ok && ok_count > MAX_OK_SHOWN;
                let quiet = self.bleeding_only && !c.status.is_bleeding();
                if (healthy || quiet) && !open {
                    folded += 1;
                } else {
                    shown.push(c);
                }
            }
        } else if s.status.is_bleeding() && !repeat {
            folded = children.len();
        }
        self.rows.push(TreeRow {
            prefix: format!("{indent}{branch}"),
            name: s.name.clone(),
            status: s.status,
            suspected: self.suspects.contains(s.name.as_str()),
            checked: match (&s.changed_by, s.changed_at) {
                (Some(by), Some(at)) => Some((by.clone(), at, s.evidence.is_some())),
                _ => None,
            },
            reported_by: s.reported_by.clone(),
            folded,
            repeat,
        });
        let child_indent = match last {
            None => indent,
            Some(true) => format!("{indent}  "),
            Some(false) => format!("{indent}│ "),
        };
        let n = shown.len();
        for (i, c) in shown.into_iter().enumerate() {
            self.walk(c, child_indent.clone(), Some(i + 1 == n), depth + 1);
        }
    }
}

/// Lines under the tree: cycles, unverified assumptions, what to check
/// next, the impact and what else will hurt, most urgent first.
fn summary(
    inc: &Incident,
    b: &Bleeding,
    sus: &Suspicion,
    clock: &Clock,
    theme: &Theme,
    w: usize,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    // What people named or verified leads; the graph's guess follows,
    // labelled as one (in the tree alone while nobody knows better).
    for c in &sus.causes {
        let when = match &c.basis {
            Basis::Named { at, .. } => Some(*at),
            Basis::Verified { at, .. } => *at,
        }
        .map(|t| format!(" {}", &clock.time(t)[..5]))
        .unwrap_or_default();
        out.push(Line::from(vec![
            Span::styled("Cause ", theme.highlight),
            Span::raw(format!(
                "{} {}",
                sanitize::line(&c.system),
                c.status.as_str().to_uppercase()
            )),
            Span::styled(format!("  {}{when}", c.how()), theme.muted),
        ]));
    }
    if !sus.causes.is_empty() {
        for g in &sus.guesses {
            out.push(Line::from(vec![
                Span::styled("Graph's guess ", theme.muted),
                Span::raw(cause::guess(g)),
            ]));
        }
    }
    for c in &b.cycles {
        out.push(Line::styled(
            format!("Cycle: {}", sanitize::line(&c.join(" → "))),
            theme.alert,
        ));
    }
    // Unverified assumptions come first: none may quietly become fact.
    let open: Vec<_> = inc
        .assumptions
        .iter()
        .filter(|a| a.state == AssumptionState::Unverified)
        .collect();
    for a in open.iter().take(3) {
        out.push(Line::from(vec![
            Span::styled(format!("A{} unverified ", a.id), theme.alert),
            Span::raw(sanitize::line(&a.text).into_owned()),
            Span::styled(format!("  {} old", clock.elapsed_short(a.at)), theme.muted),
        ]));
    }
    if open.len() > 3 {
        out.push(Line::styled(
            format!("{} more unverified: :assumptions", open.len() - 3),
            theme.alert,
        ));
    }
    if !b.check_next.is_empty() {
        out.push(check_next(b, theme, w));
    }
    if let Some(now) = inc.impact_now() {
        let i = now.estimate;
        let style = if now.is_history() {
            theme.muted
        } else {
            theme.alert
        };
        out.extend(impact_rows(
            format!("{} ", now.label(true)),
            style,
            sanitize::line(&now.text(|t| clock.hm(t))).into_owned(),
            format!("  {} {}", &clock.time(i.at)[..5], sanitize::line(&i.by)),
            theme,
            w,
        ));
    }
    if !b.blast_radius.is_empty() {
        out.push(Line::from(vec![
            Span::styled("Will hurt ", theme.warn),
            Span::raw(sanitize::line(&b.blast_radius.join(", ")).into_owned()),
        ]));
    }
    out
}

/// "Check next" with as many systems as fit `w`, then how many more the
/// tree holds: a name is never cut into "fraud-a…" with the rest unsaid.
fn check_next(b: &Bleeding, theme: &Theme, w: usize) -> Line<'static> {
    const HEAD: &str = "Check next ";
    let names: Vec<String> = b
        .check_next
        .iter()
        .map(|c| format!("{} ({})", sanitize::line(&c.name), c.bleeding_above))
        .collect();
    let more = |n: usize| format!("+{n} more in the tree");
    // The most names that fit with the count of the rest after them (at
    // most four, as the tree says the rest better).
    let fits = |k: usize| {
        let mut parts: Vec<String> = names[..k].to_vec();
        if k < names.len() {
            parts.push(more(names.len() - k));
        }
        (crate::tui::wrap::width(HEAD) + crate::tui::wrap::width(&parts.join(", ")) <= w)
            .then(|| parts.join(", "))
    };
    let shown = (1..=names.len().min(4))
        .rev()
        .find_map(fits)
        .unwrap_or_else(|| match names.len() {
            1 => names[0].clone(),
            n => format!("{} systems: Tab to the tree", n),
        });
    Line::from(vec![Span::styled(HEAD, theme.warn), Span::raw(shown)])
}

/// The impact: its label, the words (wrapped onto at most three rows, so
/// the figure and whom it hurts are read whole) and when and by whom,
/// which gives way first.
fn impact_rows(
    label: String,
    style: Style,
    text: String,
    said: String,
    theme: &Theme,
    w: usize,
) -> Vec<Line<'static>> {
    let one = crate::tui::wrap::width(&label) + crate::tui::wrap::width(&text);
    if one + crate::tui::wrap::width(&said) <= w {
        return vec![Line::from(vec![
            Span::styled(label, style),
            Span::raw(text),
            Span::styled(said, theme.muted),
        ])];
    }
    let rows = crate::tui::wrap::wrap(&format!("{label}{text}"), w.max(8));
    let mut out = Vec::new();
    for (n, row) in rows.iter().take(3).enumerate() {
        let row = if n == 2 && rows.len() > 3 {
            crate::tui::wrap::truncate(&format!("{row} …"), w)
        } else {
            row.clone()
        };
        let mut spans = match row.strip_prefix(label.trim_end()) {
            Some(rest) if n == 0 => vec![
                Span::styled(label.trim_end().to_string(), style),
                Span::raw(rest.to_string()),
            ],
            _ => vec![Span::raw(row)],
        };
        let used: usize = spans
            .iter()
            .map(|s| crate::tui::wrap::width(&s.content))
            .sum();
        if n + 1 == rows.len().min(3) && used + crate::tui::wrap::width(&said) <= w {
            spans.push(Span::styled(said.clone(), theme.muted));
        }
        out.push(Line::from(spans));
    }
    out
}

/// Rows the pane would like (tree plus summary) with at most `cap`, to
/// size the band: the whole tree when it fits, else the bleeding systems
/// alone (as drawn when short of rows). The count does not depend on the
/// time or the theme; it does on the pane's inside width `w` (a long
/// impact wraps onto more rows).
pub fn wanted_rows(room: &Room, cap: usize, w: usize) -> usize {
    let clock = Clock {
        now: chrono::DateTime::UNIX_EPOCH,
        utc: true,
    };
    let c = cached(room);
    let empty_note = c.rows.is_empty() as usize;
    let summary = summary(
        &room.incident,
        &c.bleeding,
        &c.suspicion,
        &clock,
        &Theme::plain(),
        w,
    )
    .len();
    let full = c.rows.len() + empty_note + summary;
    if full <= cap || room.focus == Focus::Bleeding {
        full
    } else {
        c.compact.len() + empty_note + summary
    }
}

/// The band (roles and this pane) in one line `w` wide, when a tall
/// input bar, message or question leaves it no room for its boxes: how
/// many systems fail and the impact ("Bleeding: 8 failing · Impact EU
/// card payments…"), or the commander when nothing is marked.
pub fn band_line(room: &Room, clock: &Clock, w: usize) -> String {
    let inc = &room.incident;
    let count = |st: SystemStatus| inc.systems.values().filter(|s| s.status == st).count();
    let mut parts = Vec::new();
    let (failing, degraded) = (count(SystemStatus::Failing), count(SystemStatus::Degraded));
    if failing > 0 {
        parts.push(format!("{failing} failing"));
    }
    if degraded > 0 {
        parts.push(format!("{degraded} degraded"));
    }
    let mut line = if parts.is_empty() {
        "Roles and what is bleeding: :brief shows them".to_string()
    } else {
        format!("Bleeding: {}", parts.join(", "))
    };
    if let Some(now) = inc.impact_now() {
        line.push_str(&format!(
            " · {} {}",
            now.label(true),
            sanitize::line(&now.text(|t| clock.hm(t)))
        ));
    }
    truncate(&line, w)
}

/// The tree's state: the selected row, the systems opened, and the
/// system whose subtree alone is shown (`f`).
#[derive(Debug, Clone, Default)]
pub struct TreeState {
    pub selected: usize,
    pub expanded: BTreeSet<String>,
    pub focus: Option<String>,
}

/// Rows of the tree alone (for moving the selection).
pub fn tree_len(room: &Room) -> usize {
    cached(room).rows.len()
}

/// The system on the selected row.
pub fn selected_name(room: &Room) -> Option<String> {
    room.bleeding.selected_name(&room.incident)
}

fn status_style(s: SystemStatus, theme: &Theme) -> Style {
    match s {
        SystemStatus::Failing => theme.alert,
        SystemStatus::Degraded => theme.warn,
        SystemStatus::Ok => theme.ok,
        SystemStatus::Unknown => theme.muted,
    }
}

pub fn render(f: &mut Frame, area: Rect, room: &Room, theme: &Theme, clock: &Clock) {
    let inc = &room.incident;
    let focused = room.focus == Focus::Bleeding;
    let cache = cached(room);
    let (b, tree) = (&*cache.bleeding, &*cache.rows);
    let title = match &room.bleeding.tree.focus {
        Some(f) => format!(" What is bleeding · under {} ", sanitize::line(f)),
        None => " What is bleeding ".into(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.focus } else { theme.border })
        .title(Span::styled(
            title,
            if focused { theme.focus } else { theme.alert },
        ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    // Keep the selected row in view.
    let h = inner.height as usize;
    let top = if focused {
        room.bleeding
            .tree
            .selected
            .saturating_sub(h.saturating_sub(1))
    } else {
        0
    };
    let sus = &*cache.suspicion;
    let summary = summary(inc, b, sus, clock, theme, w);
    // Short of rows and not being walked through: only the bleeding
    // systems, so what to check next and the impact stay in view.
    let tree = if !focused && tree.len() + summary.len() > h {
        &*cache.compact
    } else {
        tree
    };
    let tree_line = |i: usize, r: &TreeRow| {
        let mut spans = vec![
            Span::styled(r.prefix.clone(), theme.muted),
            Span::raw(sanitize::line(&r.name).into_owned()),
            Span::raw(" "),
            Span::styled(
                r.status.as_str().to_uppercase(),
                status_style(r.status, theme),
            ),
        ];
        if sus.causes.iter().any(|c| c.system == r.name) {
            spans.push(Span::styled(" ← cause", theme.highlight));
        } else if r.suspected && sus.causes.is_empty() {
            spans.push(Span::styled(" ← suspected", theme.highlight));
        } else if r.suspected {
            spans.push(Span::styled(" ← guess", theme.muted));
        }
        if r.folded > 0 {
            spans.push(Span::styled(format!(" +{}", r.folded), theme.muted));
        }
        // Name, status and the suspected mark stay; how it was checked
        // gives way first: the checker's name, then all of it.
        let used: usize = spans
            .iter()
            .map(|s| crate::tui::wrap::width(&s.content))
            .sum();
        let full = format!("  {}", checked(r, clock, true));
        let short = format!("  {}", checked(r, clock, false));
        if used + crate::tui::wrap::width(&full) <= w {
            spans.push(Span::styled(full, theme.muted));
        } else if used + crate::tui::wrap::width(&short) <= w {
            spans.push(Span::styled(short, theme.muted));
        }
        let line = Line::from(spans);
        if focused && i == room.bleeding.tree.selected {
            line.style(theme.selection)
        } else {
            line
        }
    };
    // The tree (or a line saying there is none), then the summary; only
    // the rows in view are laid out (a large graph has hundreds of rows,
    // and this runs on every frame).
    let head_len = tree.len().max(1);
    let total = head_len + summary.len();
    // Walked to the tree's last row, the summary under it comes into view.
    let top = if focused && room.bleeding.tree.selected + 1 >= tree.len() {
        top.max(room.bleeding.tree.selected.min(total.saturating_sub(h)))
    } else {
        top
    };
    // Not walked through and short of rows, the tree gives way to the
    // summary (what to check next, the impact) down to its first row;
    // what does not fit is counted on the last row.
    let room_rows = if !focused && total > h {
        h.saturating_sub(1)
    } else {
        h
    };
    let tree_rows = if !focused && total > h {
        room_rows
            .saturating_sub(summary.len())
            .max(1)
            .min(room_rows)
    } else {
        h
    };
    let head = (top..head_len.min(top + tree_rows)).map(|i| match tree.get(i) {
        Some(r) => tree_line(i, r),
        None => Line::styled(
            "Nothing marked failing or degraded (:sys NAME failing)",
            theme.muted,
        ),
    });
    let more = (!focused && total > h && h > 0).then(|| {
        Line::styled(
            super::more_row(total - (h - 1), "Tab to this pane", w),
            theme.muted,
        )
    });
    let h = h - more.is_some() as usize;
    let tail = summary.into_iter().skip(top.saturating_sub(head_len));
    let mut lines: Vec<Line> = head
        .chain(tail)
        .take(h)
        .map(|l| {
            // Keep each row on one line: cut at the pane's width.
            let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
            if crate::tui::wrap::width(&text) <= w {
                l
            } else {
                cut(l, w)
            }
        })
        .collect();
    lines.extend(more);
    if focused && room.bleeding.tree.selected < tree.len() && h > 0 {
        let y = inner.y + (room.bleeding.tree.selected - top) as u16;
        f.set_cursor_position(Position::new(inner.x, y));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Cut a styled line at `w` columns, ending with an ellipsis.
fn cut(line: Line<'static>, w: usize) -> Line<'static> {
    let mut left = w.saturating_sub(1);
    let mut spans = Vec::new();
    for s in line.spans {
        if left == 0 {
            break;
        }
        let t = truncate(&s.content, left + 1);
        let t = t.trim_end_matches('…').to_string();
        left = left.saturating_sub(crate::tui::wrap::width(&t));
        spans.push(Span::styled(t, s.style));
    }
    spans.push(Span::raw("…"));
    Line::from(spans).style(line.style)
}

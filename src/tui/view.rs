//! The whole screen as a pure function of the app state, the theme and the
//! time: `render(frame, app, theme, now)`.

use super::app::{App, Focus, Overlay, Screen};
use super::panes;
use super::theme::Theme;
use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

/// Smallest terminal the war room is drawn in.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

/// Where each part of the war room goes. A pane that has nothing to show
/// gets an empty rectangle and is not drawn.
pub struct Areas {
    pub header: Rect,
    /// "AS OF 03:40 · read-only" while looking back.
    pub as_of: Rect,
    pub banner: Rect,
    /// The other active incidents, each with `:merge` offered.
    pub others: Rect,
    /// Runbook, dashboard and bridge links, the pager's ack, related incidents.
    pub links: Rect,
    pub break_banner: Rect,
    pub breaks: Rect,
    pub roles: Rect,
    pub bleeding: Rect,
    pub mitigations: Rect,
    pub requests: Rect,
    pub log: Rect,
    pub prompt: Rect,
    pub input: Rect,
    pub hints: Rect,
}

/// Where the break pane goes: it is one of the four parts of the
/// practice, so it is on every screen that shows the roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BreakPlace {
    /// Under the roles, in their column, when the band is tall enough.
    UnderRoles,
    /// A column of its own at the end of the band.
    Column,
    /// One compact line under the header (the running break's banner row).
    Line,
}

/// Rows the break pane needs inside its border at least: what calls the
/// next break (or the running one) and who has been on longest.
const BREAK_MIN_ROWS: usize = 2;
/// The break column's width.
const BREAK_WIDTH: u16 = 34;

/// What each part of the war room wants on a screen `area` big, before
/// anything gives way to the log.
struct Wants {
    roomy: bool,
    looking_back: bool,
    /// The banner: deploys frozen, updates not going out, pages held
    /// back; a row each when one row cannot hold them all.
    frozen: u16,
    /// One line for the other active incidents ("+N more" past its width).
    others_row: bool,
    links_rows: u16,
    /// The break banner shows while a break runs; the clock is the app's.
    on_break: bool,
    roles_rows: usize,
    request_rows: usize,
    bleeding: bool,
    bleed_cap: usize,
    bleed_rows: usize,
    mit_rows: usize,
    /// Wide screens put the mitigations in the band; others in a strip,
    /// where a mitigation's text has the whole width.
    mit_in_band: bool,
    mit_strip: u16,
    /// The mitigations strip has the keys (`:mitigations`, Tab): it is
    /// the last to give way, so the rows the keys act on are seen.
    mit_focused: bool,
    /// How many are here (the break column lists who has been on how long).
    here: usize,
    hint_rows: u16,
    input_rows: u16,
    prompt: u16,
}

impl Wants {
    fn of(area: Rect, app: &App) -> Wants {
        let room = app.room();
        // Looking back, the room is laid out as it stood then.
        let now = app.shown_now(app.now);
        let tall = area.height >= 30;
        let roomy = area.height >= 16;
        let bleeding =
            room.is_some_and(|r| panes::bleeding::has_content(&r.incident)) && area.width >= 60;
        let bleed_cap = bleed_cap(area.height);
        let mitigations = room.is_some_and(panes::mitigations::has_content);
        let mit_in_band = mitigations && area.width >= 160;
        let bleed_rows = if bleeding {
            // Its inside width beside the roles (and the mitigations in
            // the band), as `band` places them: a long impact wraps.
            let beside = if area.width < 200 { 30 } else { 40 }
                + if mit_in_band {
                    area.width * 42 / 100
                } else {
                    0
                };
            let w = area.width.saturating_sub(beside + 2) as usize;
            room.map(|r| panes::bleeding::wanted_rows(r, bleed_cap, w))
                .unwrap_or(0)
                .min(bleed_cap)
        } else {
            0
        };
        let mit_rows = room.map(panes::mitigations::row_count).unwrap_or(0);
        let mit_strip = if mitigations && !mit_in_band && roomy {
            mit_rows.min(if tall { 6 } else { 3 }) as u16 + 2
        } else {
            0
        };
        Wants {
            roomy,
            looking_back: app.as_of().is_some(),
            frozen: room.map_or(0, |r| {
                banner_rows(r, &app.clock(now), area.width as usize).len() as u16
            }),
            others_row: room.is_some_and(|r| !r.around.others_active.is_empty()),
            links_rows: room
                .filter(|r| roomy && panes::links::has_content(&r.incident))
                .map(|r| {
                    let max = if area.height >= 24 { 3 } else { 2 };
                    panes::links::rows(&r.incident, area.width as usize, max) as u16
                })
                .unwrap_or(0),
            on_break: room.is_some_and(|r| r.incident.break_at(now).is_some()),
            roles_rows: room.map(panes::roles::rows).unwrap_or(2),
            request_rows: room
                .map(|r| panes::requests::rows(r, now))
                .unwrap_or(0)
                .min(if tall { 4 } else { 2 }),
            bleeding,
            bleed_cap,
            bleed_rows,
            mit_rows,
            mit_in_band,
            mit_strip,
            mit_focused: mit_strip > 0 && room.is_some_and(|r| r.focus == Focus::Mitigations),
            here: room.map_or(0, |r| r.around.here.len()),
            // A message longer than the bottom line wraps onto a second
            // (third) row rather than losing its end.
            hint_rows: if area.height >= 14 {
                panes::hints::rows(
                    &app.status(),
                    area.width as usize,
                    panes::hints::max_rows(area.height),
                )
            } else {
                1
            },
            // A long line being typed wraps: the bar grows to show it whole.
            input_rows: match room {
                Some(r) if area.height >= 14 => {
                    panes::input::rows(r, area.width as usize, area.height)
                }
                _ => 1,
            },
            prompt: match app.prompt() {
                Some(p) if area.height >= 14 => panes::prompt::height(&p, area.width),
                _ => 0,
            },
        }
    }

    /// The band's columns on a screen `width` wide (the break not placed
    /// yet): requests sit beside the roles when the band has room, else
    /// in a strip; the roles take less room when others need it.
    fn band(&self, width: u16) -> Band {
        let beside = self.request_rows > 0 && !self.bleeding && !self.mit_in_band && width >= 70;
        Band {
            roles_width: if (self.bleeding || self.mit_in_band) && width < 200 {
                30
            } else {
                40
            },
            roles_rows: self.roles_rows,
            bleeding: self.bleeding,
            mit_in_band: self.mit_in_band,
            mit_width: width * 42 / 100,
            beside,
            place: None,
        }
    }

    /// Where the break would go in `band` on a screen `width` wide, and
    /// the band's rows with it: under the roles when the band has the rows
    /// (or needs just one more beside the panes that widen it), else a
    /// column when the band has the width, else the compact line (one
    /// row, less than growing the band).
    fn break_fit(&self, band: &Band, width: u16) -> BreakFit {
        let mut band_rows = self.roles_rows.max(self.bleed_rows).max(if band.beside {
            self.request_rows
        } else {
            0
        });
        if self.mit_in_band {
            band_rows = band_rows.max(self.mit_rows.min(self.bleed_cap));
        }
        // The narrowest the band's other columns get, to see if the break
        // fits beside them.
        let others = band.roles_width
            + if self.bleeding { 30 } else { 0 }
            + if self.mit_in_band { band.mit_width } else { 0 }
            + if band.beside { 20 } else { 0 };
        let column_fits = others + BREAK_WIDTH <= width;
        // Under the roles takes their rows, its border and two rows of its own.
        let stack_rows = self.roles_rows + 2 + BREAK_MIN_ROWS;
        let wanted = if band_rows >= stack_rows
            || ((self.bleeding || self.mit_in_band)
                && band_rows + 1 >= stack_rows
                && stack_rows <= self.bleed_cap)
        {
            band_rows = band_rows.max(stack_rows);
            BreakPlace::UnderRoles
        } else if column_fits {
            // Tall enough to list who has been on how long.
            let list = 2 + self.here.min(4);
            band_rows = band_rows.max(list.min(self.bleed_cap));
            BreakPlace::Column
        } else {
            BreakPlace::Line
        };
        BreakFit {
            wanted,
            band_rows,
            column_fits,
            stack_rows,
        }
    }

    /// The rows of the mitigations strip, the requests strip and the band
    /// (`wanted`, in that order) once they give way to the log, on a
    /// screen `height` rows tall with the break's `line` or not: the log
    /// is the record, it keeps at least 8 rows (6 entries' worth) when the
    /// screen has them.
    fn give_way(&self, height: u16, wanted: [u16; 3], line: bool) -> [u16; 3] {
        let fixed = 1
            + self.looking_back as u16
            + self.frozen
            + self.others_row as u16
            + self.links_rows
            + line as u16
            + self.prompt
            + self.input_rows
            + self.hint_rows;
        let room_left = height.saturating_sub(fixed);
        // A message of several rows (read, then gone) takes up to two of
        // its extra rows out of the log, so the panes above keep a row.
        let want_log = 8u16
            .saturating_sub(self.hint_rows.saturating_sub(1))
            .max(6)
            .min(room_left);
        // In order of what gives way first: mitigations strip, requests,
        // band; a focused mitigations strip last (its keys act on its rows).
        let mut parts = wanted;
        let order = if self.mit_focused {
            [2, 1, 0]
        } else {
            [0, 1, 2]
        };
        for i in order {
            let used: u16 = parts.iter().sum();
            if used + want_log > room_left {
                let over = used + want_log - room_left;
                parts[i] = parts[i].saturating_sub(over);
                // A box needs its borders and a row; the band two (in
                // one, the roles said only how many and the tree only how
                // many more: its one line says more).
                if parts[i] < 3 || (i == 2 && parts[i] < 4) {
                    parts[i] = 0;
                }
            }
        }
        // Nor does the band of roles and what is bleeding: one line says
        // what fails and the impact (the header names the roles).
        if wanted[2] > 0 && parts[2] == 0 && room_left >= parts.iter().sum::<u16>() + 4 {
            parts[2] = 1;
        }
        // Nor does what waits for an answer: one line counts it.
        if wanted[1] > 0 && parts[1] == 0 && room_left >= parts.iter().sum::<u16>() + 4 {
            parts[1] = 1;
        }
        // The mitigations never vanish without saying so: short of rows
        // for their box, one line says how many and how to see them.
        if wanted[0] > 0 && parts[0] == 0 && room_left > parts.iter().sum::<u16>() + 3 {
            parts[0] = 1;
        }
        parts
    }
}

/// Where the break would go before anything gives way, and what that
/// takes.
struct BreakFit {
    wanted: BreakPlace,
    band_rows: usize,
    column_fits: bool,
    stack_rows: usize,
}

impl BreakFit {
    /// Where the break goes once the band gave way to the log and has
    /// `band` rows: what still fits.
    fn place(&self, band: u16) -> BreakPlace {
        let stack_fits = band as usize >= self.stack_rows + 2;
        if self.wanted == BreakPlace::UnderRoles && stack_fits {
            BreakPlace::UnderRoles
        } else if self.wanted != BreakPlace::Line && self.column_fits && band >= 3 {
            BreakPlace::Column
        } else {
            BreakPlace::Line
        }
    }
}

/// The war-room layout: header; the freeze banner while deploys are
/// frozen; a band of small panes (roles with the break under them, what
/// is bleeding, and on wide screens the mitigations); strips for what
/// waits for an answer and (on narrower screens) the mitigations; the log
/// filling the rest; a prompt when a question is open; the input bar and
/// the key hints. Panes with nothing to show take no room. The break is
/// under the roles when the band has the rows, else a column of its own
/// when the band has the width, else one compact line under the header.
pub fn layout(area: Rect, app: &App) -> Areas {
    let w = Wants::of(area, app);
    let mut columns = w.band(area.width);
    let fit = w.break_fit(&columns, area.width);
    let band = if w.roomy { fit.band_rows as u16 + 2 } else { 0 };
    let strip = if w.roomy && w.request_rows > 0 && !columns.beside {
        w.request_rows as u16 + 2
    } else {
        0
    };
    let wanted = [w.mit_strip, strip, band];
    let mut parts = w.give_way(
        area.height,
        wanted,
        w.on_break || fit.wanted == BreakPlace::Line,
    );
    // The band may have given way to the log: then what still fits.
    let place = (app.room().is_some() && w.roomy).then(|| fit.place(parts[2]));
    let break_line = w.on_break || place == Some(BreakPlace::Line);
    if break_line != (w.on_break || fit.wanted == BreakPlace::Line) {
        parts = w.give_way(area.height, wanted, break_line);
    }
    let [mit_strip, strip, band] = parts;
    let [
        header,
        as_of,
        banner,
        others,
        links,
        break_banner,
        band,
        strip,
        mit_strip_area,
        log,
        prompt,
        input,
        hints,
    ] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(w.looking_back as u16),
        Constraint::Length(w.frozen),
        Constraint::Length(w.others_row as u16),
        Constraint::Length(w.links_rows),
        Constraint::Length(break_line as u16),
        Constraint::Length(band),
        Constraint::Length(strip),
        Constraint::Length(mit_strip),
        Constraint::Min(3),
        Constraint::Length(w.prompt),
        Constraint::Length(w.input_rows),
        Constraint::Length(w.hint_rows),
    ])
    .areas(area);
    columns.place = place;
    let [
        mut roles,
        mut bleeding,
        mut mitigations,
        mut requests,
        mut breaks,
    ] = columns.split(band, strip, mit_strip_area);
    if band.height == 1 {
        // The band in one line (drawn where the roles go).
        roles = band;
        bleeding = Rect::default();
        breaks = Rect::default();
        if columns.mit_in_band {
            mitigations = Rect::default();
        }
        if columns.beside {
            requests = Rect::default();
        }
    }
    Areas {
        header,
        as_of,
        banner,
        others,
        links,
        break_banner,
        breaks,
        roles,
        bleeding,
        mitigations,
        requests,
        log,
        prompt,
        input,
        hints,
    }
}

/// The most rows the "what is bleeding" pane (and the band) gets on a
/// screen `height` rows tall.
fn bleed_cap(height: u16) -> usize {
    match height {
        40.. => 14,
        30.. => 9,
        _ => 6,
    }
}

/// The band of small panes: which columns it has, and where the break goes.
struct Band {
    roles_width: u16,
    roles_rows: usize,
    bleeding: bool,
    mit_in_band: bool,
    mit_width: u16,
    beside: bool,
    place: Option<BreakPlace>,
}

impl Band {
    /// The band's areas: roles, what is bleeding, the mitigations, the
    /// requests and the break (the last three may be in `strip`,
    /// `mit_strip` or under the roles instead).
    fn split(&self, band: Rect, strip: Rect, mit_strip_area: Rect) -> [Rect; 5] {
        let break_column = self.place == Some(BreakPlace::Column);
        let mut columns = vec![Constraint::Length(self.roles_width)];
        if self.bleeding {
            columns.push(Constraint::Min(30));
        }
        if self.mit_in_band {
            columns.push(Constraint::Length(self.mit_width));
        }
        if self.beside {
            columns.push(Constraint::Min(20));
        }
        if break_column {
            columns.push(Constraint::Length(BREAK_WIDTH));
        }
        if !self.bleeding && !self.mit_in_band && !self.beside {
            // Only the roles (and the break): the roles take what is left.
            columns[0] = Constraint::Min(0);
        }
        let cells = Layout::horizontal(columns).split(band);
        let mut next = cells.iter().copied().skip(1);
        let (roles, under_roles) = if self.place == Some(BreakPlace::UnderRoles) {
            let [roles, breaks] = Layout::vertical([
                Constraint::Length(self.roles_rows as u16 + 2),
                Constraint::Min(0),
            ])
            .areas(cells[0]);
            (roles, breaks)
        } else {
            (cells[0], Rect::default())
        };
        let bleeding_area = if self.bleeding {
            next.next().unwrap_or_default()
        } else {
            Rect::default()
        };
        let mit_band_area = if self.mit_in_band {
            next.next().unwrap_or_default()
        } else {
            Rect::default()
        };
        let requests = if self.beside {
            next.next().unwrap_or_default()
        } else {
            strip
        };
        let breaks = if break_column {
            next.next().unwrap_or_default()
        } else {
            under_roles
        };
        let mitigations = if self.mit_in_band {
            mit_band_area
        } else {
            mit_strip_area
        };
        [roles, bleeding_area, mitigations, requests, breaks]
    }
}

/// The freeze banner's text: the incident's own notice, the one
/// `incident freeze status` prints too, and any freeze another incident in
/// the directory holds (deploys are frozen for everyone, and a freeze kept
/// past resolving outlives its incident). None while deploys are not frozen.
pub fn freeze_banner(room: &super::room::Room, clock: &super::clock::Clock) -> Option<String> {
    let own = room.incident.freeze_notice(|t| clock.time(t));
    let others: Vec<String> = room
        .around
        .frozen_elsewhere
        .iter()
        .map(|(id, notice)| format!("{id} {notice}"))
        .collect();
    match (own, others.is_empty()) {
        (Some(notice), true) => Some(format!(" DEPLOYS FROZEN {notice} ")),
        (Some(notice), false) => Some(format!(
            " DEPLOYS FROZEN {notice} · also by {} ",
            others.join(" · ")
        )),
        (None, false) => Some(format!(" DEPLOYS FROZEN by {} ", others.join(" · "))),
        (None, true) => None,
    }
}

/// The line naming the other active incidents (drills left out), worst
/// first, then oldest: each one's id, severity and status, a system it
/// shares with this one, and the `:merge` that folds the newer or lesser
/// of the two into the other (who may merge is the rules' to say when it
/// is asked). What does not fit in
/// `width` is counted ("+N more"). None while there are none.
pub fn others_line(room: &super::room::Room, width: usize) -> Option<String> {
    let all = &room.around.others_active;
    if all.is_empty() {
        return None;
    }
    let part = |o: &super::room::OtherIncident, with_shares: bool| {
        let shared: Vec<std::borrow::Cow<'_, str>> = o
            .systems
            .iter()
            .filter(|s| room.incident.systems.contains_key(*s))
            .map(|s| crate::sanitize::line(s))
            .collect();
        let shares = match shared.as_slice() {
            [] => String::new(),
            [one] => format!(", shares {one}"),
            [one, rest @ ..] => format!(", shares {one} and {} more", rest.len()),
        };
        // `:merge X` closes the open incident as a duplicate of X: offered
        // only toward a worse (or as bad and older) incident; a lesser or
        // newer one is folded in from its own view.
        // Nothing is merged into or out of an incident that has ended (a
        // recurrence after a resolve is its own incident).
        let own = (room.incident.severity, room.incident.declared_at);
        let offer = if !room.incident.is_active() {
            String::new()
        } else if (o.severity, o.declared_at) < own {
            format!(" :merge {}", o.id)
        } else {
            format!(" on it: :merge {}", room.incident.id)
        };
        let shares = if with_shares { shares } else { String::new() };
        format!("{} {} {}{shares}{offer}", o.id, o.severity, o.status)
    };
    let mut text = " Others: ".to_string();
    for (i, o) in all.iter().enumerate() {
        let mut p = part(o, true);
        let sep = if i == 0 { "" } else { " · " };
        let left = all.len() - i - 1;
        let more = if left > 0 {
            format!(" · +{left} more")
        } else {
            String::new()
        };
        let fits =
            text.chars().count() + sep.chars().count() + p.chars().count() + more.chars().count()
                <= width;
        if !fits && i > 0 {
            // Where to see them, when the width has room for it.
            let n = all.len() - i;
            let how = format!(" · +{n} more (incident list)");
            if text.chars().count() + how.chars().count() <= width {
                text.push_str(&how);
            } else {
                text.push_str(&format!(" · +{n} more"));
            }
            return Some(text);
        }
        if !fits {
            // The worst one is always named, cut short to keep the count;
            // what it shares gives way first, so `:merge` keeps its id.
            let room_for = width.saturating_sub(text.chars().count() + more.chars().count());
            if p.chars().count() > room_for {
                p = part(o, false);
            }
            p = crate::tui::wrap::truncate(&p, room_for);
        }
        text.push_str(sep);
        text.push_str(&p);
    }
    Some(text)
}

/// The banner under the header: the freeze, any update that keeps
/// failing to leave the box (both on every screen), and a maintenance
/// window holding back pages for a system bleeding here. One row when
/// they fit in `width` together, else one row each, so none pushes
/// another out of sight; a row too long for the width keeps its end
/// ("(+2 more)", how to see the rest). Empty while there is none.
pub fn banner_rows(
    room: &super::room::Room,
    clock: &super::clock::Clock,
    width: usize,
) -> Vec<String> {
    use crate::tui::wrap::width as w;
    let failing = crate::notify::report::failing_banner(&room.incident).map(|t| format!(" {t} "));
    let held = |width| panes::maintenance::banner(room, clock.now, &|t| clock.hm(t), width);
    let freeze = freeze_banner(room, clock);
    // A freeze whose reason is too long for its row says where it is read
    // whole (the brief has it), rather than ending in "…".
    let freeze_row = |t: &str| {
        if w(t) <= width {
            t.to_string()
        } else {
            keep_tail(&format!("{} (:brief) ", t.trim_end()), width)
        }
    };
    let parts: Vec<String> = [freeze.clone(), failing.clone(), held(usize::MAX)]
        .into_iter()
        .flatten()
        .collect();
    let joined = parts.join("·");
    if w(&joined) <= width || parts.len() <= 1 && held(width).is_none() {
        if parts.len() == 1
            && let Some(f) = &freeze
        {
            return vec![freeze_row(f)];
        }
        return (!parts.is_empty())
            .then(|| keep_tail(&joined, width))
            .into_iter()
            .collect();
    }
    [
        freeze.as_deref().map(freeze_row),
        failing.map(|t| keep_tail(&t, width)),
        held(width),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// `text` within `width` columns: cut in the middle when it ends in a
/// bracketed count or hint ("(+2 more)"), so that end stays; else cut
/// at the end, marked "…".
fn keep_tail(text: &str, width: usize) -> String {
    use crate::tui::wrap::{truncate, width as w};
    if w(text) <= width {
        return text.to_string();
    }
    let trimmed = text.trim_end();
    if trimmed.ends_with(')')
        && let Some(at) = trimmed.rfind(" (")
    {
        let tail = &trimmed[at..];
        // A count or where to look ("(+2 more)", "(:maintenance list)"),
        // not an error's own words ("(os error 111)").
        let counts = tail.starts_with(" (+") || tail.starts_with(" (:") || tail.contains(" more");
        if counts && w(tail) + 12 <= width {
            let head = truncate(&trimmed[..at], width - w(tail));
            return format!("{head}{tail}");
        }
    }
    truncate(text, width)
}

pub fn render(f: &mut Frame, app: &App, theme: &Theme, now: DateTime<Utc>) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "Too small: need {MIN_WIDTH}x{MIN_HEIGHT}, have {}x{}",
            area.width, area.height
        );
        f.render_widget(Paragraph::new(Line::styled(msg, theme.alert)), area);
        return;
    }
    // The room is drawn as of the moment shown; the banner says which.
    let today = app.clock(now);
    let clock = app.clock(app.shown_now(now));
    match &app.screen {
        Screen::Picker(p) => panes::picker::render(f, area, p, &app.status(), theme, &clock),
        Screen::Welcome(w) => panes::welcome::render(f, area, w, &app.status(), theme),
        Screen::Room(room) => {
            let a = layout(area, app);
            panes::header::render(f, a.header, room, app.demo, theme, &clock);
            if a.as_of.height > 0
                && let Some(as_of) = &room.as_of
            {
                let text = super::look_back::banner(as_of, &today);
                let text = crate::tui::wrap::truncate(&text, a.as_of.width as usize);
                f.render_widget(Paragraph::new(Line::styled(text, theme.highlight)), a.as_of);
            }
            if a.banner.height > 0 {
                let lines: Vec<Line> = banner_rows(room, &clock, a.banner.width as usize)
                    .into_iter()
                    .map(|t| Line::styled(t, theme.sev[0]))
                    .collect();
                f.render_widget(Paragraph::new(lines), a.banner);
            }
            if a.others.height > 0
                && let Some(text) = others_line(room, a.others.width as usize)
            {
                f.render_widget(
                    Paragraph::new(Line::styled(text, theme.highlight)),
                    a.others,
                );
            }
            if a.links.height > 0 {
                panes::links::render(f, a.links, &room.incident, theme);
            }
            if a.roles.height == 1 {
                let text = panes::bleeding::band_line(room, &clock, a.roles.width as usize);
                f.render_widget(Paragraph::new(Line::styled(text, theme.alert)), a.roles);
            } else if a.roles.height > 0 {
                panes::roles::render(f, a.roles, room, theme, &clock);
            }
            if a.bleeding.height > 0 && a.bleeding.width > 0 {
                panes::bleeding::render(f, a.bleeding, room, theme, &clock);
            }
            if a.break_banner.height > 0 {
                // The running break's banner, or (when the screen has no
                // room for the break pane) the pane in one line.
                let w = a.break_banner.width as usize;
                let line = panes::breaks::banner(&room.incident, &clock, theme, w)
                    .unwrap_or_else(|| panes::breaks::compact(room, &clock, theme, w));
                f.render_widget(Paragraph::new(line), a.break_banner);
            }
            if a.breaks.height > 0 && a.breaks.width > 0 {
                panes::breaks::render(f, a.breaks, room, theme, &clock);
            }
            if a.mitigations.height > 0 && a.mitigations.width > 0 {
                panes::mitigations::render(f, a.mitigations, room, theme);
            }
            if a.requests.height > 0 && a.requests.width > 0 {
                panes::requests::render(f, a.requests, room, theme, &clock);
            }
            panes::log::render(
                f,
                a.log,
                &room.incident.log,
                &room.log,
                room.focus == Focus::Log,
                theme,
                &clock,
            );
            if a.prompt.height > 0
                && let Some(p) = app.prompt()
            {
                panes::prompt::render(f, a.prompt, &p, room.input.line.value().is_empty(), theme);
            }
            panes::input::render(f, a.input, room, theme);
            panes::hints::render(f, a.hints, &app.status(), theme);
            if let Some(view) = &room.doc {
                // Full screen between the header and the hints, below a
                // line saying who is waiting for an answer, if anyone is.
                // The freeze banner stays: it shows on every screen.
                let top = a.as_of.height + a.banner.height;
                let mut y = area.y + 1 + top;
                // Down to the bottom line, however many rows its message takes.
                let mut h = a.hints.y.saturating_sub(y);
                if let Some(p) = app.prompt() {
                    let line = panes::prompt::banner(&p, area.width as usize, theme);
                    let row = Rect::new(area.x, y, area.width, 1);
                    f.render_widget(ratatui::widgets::Clear, row);
                    f.render_widget(Paragraph::new(line), row);
                    y += 1;
                    h = h.saturating_sub(1);
                }
                let doc_area = Rect::new(area.x, y, area.width, h);
                panes::document::render(f, doc_area, room, view, app.me.who(), theme, &clock);
            }
            match app.overlay {
                Some(Overlay::Responders) => {
                    panes::responders::render(f, area, room, &clock, theme)
                }
                Some(Overlay::Assumptions) => {
                    panes::assumptions::render(f, area, room, &clock, theme)
                }
                Some(Overlay::Debrief) => panes::debrief::render(f, area, room, &clock, theme),
                Some(Overlay::Arrival(ref arrival)) => {
                    // Between the header (and the freeze banner) and the
                    // question waiting, if any, which stays in sight.
                    let top = area.y + 1 + a.banner.height;
                    let bottom = if a.prompt.height > 0 {
                        a.prompt.y
                    } else {
                        a.input.y
                    };
                    let rect = Rect::new(area.x, top, area.width, bottom.saturating_sub(top));
                    panes::arrival::render(f, rect, arrival, theme, &clock);
                }
                _ => {}
            }
        }
    }
    if app.stood_down()
        && !app.detach_seen
        && let Some(room) = app.room()
    {
        panes::care::stood_down(f, area, room, app.me.who(), theme, &clock);
    }
    match app.overlay {
        Some(Overlay::Breathe { since }) => panes::care::breathe(f, area, since, &clock, theme),
        Some(Overlay::Help(top)) => panes::help::render(f, area, theme, top),
        Some(Overlay::Output { seq, top }) => {
            if let Some(room) = app.room() {
                panes::log::render_output(f, area, room, seq, top, theme, &clock);
            }
        }
        Some(Overlay::ConfirmQuit) => panes::help::confirm_quit(f, area, theme),
        Some(Overlay::Confirm { ref question, .. }) => {
            panes::help::confirm(f, area, question, theme)
        }
        Some(Overlay::ConfirmNote { ref lines, why }) => {
            panes::help::confirm_note(f, area, lines, why, theme)
        }
        Some(
            Overlay::Responders | Overlay::Assumptions | Overlay::Debrief | Overlay::Arrival(_),
        )
        | None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::keep_tail;

    /// Only a count or a hint is kept at the end: an error's own
    /// parenthesis ("(os error 111)") is not, or the middle that says
    /// what failed is cut for it.
    #[test]
    fn a_banner_keeps_its_count_not_an_errors_parenthesis() {
        let failing = " CALL FOR HELP NOT GOING OUT: page 1 to payments-platform-oncall \
                       failed 3x: Connection refused (os error 111) ";
        let cut = keep_tail(failing, 79);
        assert!(cut.contains("failed 3x"), "{cut}");
        let counted = " CALL FOR HELP NOT GOING OUT: page 1 to payments-platform-oncall \
                       failed 6x: Connection refused (os error 111) (+1 more) ";
        assert!(keep_tail(counted, 79).ends_with("(+1 more)"));
        let hint = " MAINTENANCE ledger-db until 08:09 (W1) and a long reason for it all \
                    (:maintenance list) ";
        assert!(keep_tail(hint, 60).ends_with("(:maintenance list)"));
    }

    /// A freeze whose reason does not fit its row says where to read it
    /// whole, at 80 and 120 columns; one that fits is left as it is.
    #[test]
    fn a_freeze_reason_cut_short_says_where_it_is_read_whole() {
        use crate::model::{Actor, Severity};
        use crate::ops::{self, Op, Record};
        let t0 = chrono::Utc::now();
        let rec = |op| Record {
            at: t0,
            by: Actor::named("alice"),
            op,
        };
        let mut inc = ops::genesis(
            "INC-1",
            &rec(Op::Declare {
                title: "Checkout errors".into(),
                severity: Severity::Sev1,
                roles: vec![],
            }),
        )
        .unwrap();
        ops::apply(
            &mut inc,
            &rec(Op::SetRole {
                role: crate::model::Role::Commander,
                user: Some("alice".into()),
            }),
        )
        .unwrap();
        ops::apply(
            &mut inc,
            &rec(Op::Freeze {
                reason: Some(
                    "payments rollback in progress, then the ledger replay for every EU \
                         merchant, then the reconciliation with the card networks"
                        .into(),
                ),
            }),
        )
        .unwrap();
        let room = crate::tui::room::Room::new(inc);
        let clock = crate::tui::clock::Clock { now: t0, utc: true };
        for width in [80, 120] {
            let rows = super::banner_rows(&room, &clock, width);
            assert_eq!(rows.len(), 1, "{rows:?}");
            assert!(
                rows[0].trim_end().ends_with("(:brief)"),
                "{width}: {rows:?}"
            );
            assert!(crate::tui::wrap::width(&rows[0]) <= width, "{rows:?}");
            assert!(rows[0].contains("DEPLOYS FROZEN"), "{rows:?}");
        }
        let rows = super::banner_rows(&room, &clock, 400);
        assert!(!rows[0].contains("(:brief)"), "{rows:?}");
    }
}

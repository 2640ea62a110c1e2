//! Text typed and pasted: feeding keys to the input bar, a paste's
//! lines as one note, and which notes are shown before they are sent.

use super::keymap;
use crate::model::Incident;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::{Input, InputRequest};

/// Why a note is shown before it is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteCheck {
    /// It was pasted (bracketed, or keys in a burst) and has line breaks.
    Paste,
    /// One or two characters.
    Short,
    /// Nothing but this pane key (`D`, `jjjj`).
    PaneKey(char),
}

/// A status update drafted from the incident as it stands now (see
/// [`crate::model::draft::update`]), in the input bar's `:update` form.
pub fn draft_update(inc: &Incident, now: DateTime<Utc>) -> String {
    format!(":update {}", crate::model::draft::update(inc, now))
}

/// Feed a key to a text input, refusing control characters.
pub fn edit(input: &mut Input, ev: KeyEvent) {
    if let KeyCode::Char(c) = ev.code
        && c.is_control()
    {
        return;
    }
    let req = tui_input::backend::crossterm::to_input_request(&crossterm::event::Event::Key(ev));
    if let Some(req) = req {
        // Ctrl-A/Ctrl-B belong to tmux and screen: do not act on them.
        if ev.modifiers.contains(KeyModifiers::CONTROL)
            && matches!(ev.code, KeyCode::Char('a') | KeyCode::Char('b'))
        {
            return;
        }
        input.handle(req);
    }
}

/// A key that types a character (no Ctrl or Alt): what someone writing
/// a note presses, so a screen closing on "any key" must not eat it.
pub fn is_text(ev: &KeyEvent) -> bool {
    matches!(ev.code, KeyCode::Char(_))
        && !ev.modifiers.intersects(
            crossterm::event::KeyModifiers::CONTROL | crossterm::event::KeyModifiers::ALT,
        )
}

/// Pasted text goes into the input as one line: control characters and
/// newlines become spaces.
pub fn paste(input: &mut Input, text: &str) {
    for c in text.chars() {
        let c = if c.is_control() { ' ' } else { c };
        input.handle(InputRequest::InsertChar(c));
    }
}

/// The lines of a paste as a note: control characters but tabs become
/// spaces, and blank lines at either end go.
pub fn note_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut out: Vec<String> = lines
        .into_iter()
        .map(|l| {
            l.chars()
                .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
                .collect()
        })
        .collect();
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let lead = out.iter().take_while(|l| l.trim().is_empty()).count();
    out.drain(..lead);
    out
}

/// Lines of a paste as one line for the input bar.
pub fn flatten(lines: &[String]) -> String {
    lines
        .join(" ")
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Whether a note typed in the input bar should be shown before it is
/// sent: one or two characters, or nothing but keys of the panes (`D`,
/// `jjjj`, `gG`): letters meant for a pane, typed while the bar had focus.
pub fn note_check(text: &str) -> Option<NoteCheck> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let first = *chars.first()?;
    let keys = keymap::pane_keys();
    let mut distinct = chars.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let pane_keys = distinct.iter().all(|c| keys.contains(c));
    if pane_keys && distinct.len() == 1 {
        Some(NoteCheck::PaneKey(first))
    } else if chars.len() <= 2 {
        Some(NoteCheck::Short)
    } else if pane_keys && distinct.len() == 2 {
        Some(NoteCheck::PaneKey(first))
    } else {
        None
    }
}

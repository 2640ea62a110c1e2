//! The log's `/` search: typing it, and finding its matches.

use crate::model::LogEntry;
use crate::tui::keymap::{self, Action, Context};
use crossterm::event::KeyEvent;

/// The log's `/` search: the query (while there is one), whether it is
/// still being typed, and the entry last found.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub query: Option<String>,
    pub typing: bool,
    pub hit: Option<usize>,
}

impl Search {
    /// `/`: a search starts being typed.
    pub fn start(&mut self) {
        self.typing = true;
        self.query = Some(String::new());
    }

    /// No search after all: nothing typed, nothing found.
    pub fn clear(&mut self) {
        *self = Search::default();
    }

    /// A key while the search is being typed: the keymap's Search context
    /// names the keys; the rest is typing. On [`SearchKey::Find`] the
    /// search is typed and nothing found yet: the caller steps to the
    /// first match.
    pub fn key(&mut self, ev: KeyEvent) -> SearchKey {
        let query = self.query.get_or_insert_with(String::new);
        let outcome = match keymap::lookup(&[Context::Search], &ev) {
            Some(Action::Submit) => SearchKey::Find,
            Some(Action::Cancel) => SearchKey::Dropped,
            Some(Action::DeleteBack) => {
                query.pop();
                SearchKey::Typing
            }
            _ => typed(query, ev),
        };
        match outcome {
            SearchKey::Typing => {}
            SearchKey::Dropped => self.clear(),
            SearchKey::Find => {
                self.typing = false;
                self.hit = None;
            }
        }
        outcome
    }
}

/// What a key does while a search is being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchKey {
    /// Still typing (the query may have changed).
    Typing,
    /// Enter: find the nearest older match.
    Find,
    /// Esc: no search after all.
    Dropped,
}

/// A key while typing a search into `query`, the keymap aside.
fn typed(query: &mut String, ev: KeyEvent) -> SearchKey {
    use crossterm::event::{KeyCode, KeyModifiers};
    match ev.code {
        KeyCode::Esc => return SearchKey::Dropped,
        KeyCode::Enter => return SearchKey::Find,
        KeyCode::Backspace => {
            query.pop();
        }
        KeyCode::Char(c) if !c.is_control() && !ev.modifiers.contains(KeyModifiers::CONTROL) => {
            query.push(c)
        }
        _ => {}
    }
    SearchKey::Typing
}

/// The next entry matching `q` after `from` (the last match, if any):
/// towards older entries when `older`, else newer.
pub fn find(log: &[LogEntry], q: &str, from: Option<usize>, older: bool) -> Option<usize> {
    let from = from.unwrap_or(if older { log.len() } else { 0 });
    if older {
        (0..from).rev().find(|&i| matches(&log[i], q))
    } else {
        (from + 1..log.len()).find(|&i| matches(&log[i], q))
    }
}

/// Case-insensitive search match on an entry's text or author.
pub fn matches(e: &LogEntry, q: &str) -> bool {
    let q = q.to_lowercase();
    e.text.to_lowercase().contains(&q)
        || e.by.to_lowercase().contains(&q)
        || [&e.corrected, &e.retracted]
            .into_iter()
            .flatten()
            .any(|a| a.text.to_lowercase().contains(&q))
}

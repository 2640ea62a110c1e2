//! What a responder typed: input history (per user, across restarts) and
//! the unsent draft saved when the terminal goes away.

use std::path::{Path, PathBuf};

const MAX_HISTORY: usize = 500;

/// The directory for this user's own state (not shared with the group).
pub fn state_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("INCIDENT_STATE_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d));
    }
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .map(|d| d.join("incident"))
}

/// The state directory of the person `me` acts as: the account's own, or
/// for a display name on a shared account (`--name`) a directory of that
/// name's, so Up never recalls another person's commands and a draft goes
/// back to whoever typed it.
pub fn for_person(base: &Path, me: &crate::model::Actor) -> PathBuf {
    match &me.name {
        Some(n) if *n != me.user => {
            let safe: String = n
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || matches!(c, '_' | '-' | '@') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            base.join(format!("as-{safe}"))
        }
        _ => base.to_path_buf(),
    }
}

/// Where this person's state for the incidents in `store_dir` lives:
/// unsent drafts, input history and first-visit markers. Incident ids
/// repeat across directories (INC-1 in a drill directory and in the
/// team's), so state keyed by the id alone offered one directory's draft
/// in the other and let it decide the other's breathing pause. The key is
/// a short hash of the directory's canonical path: stable for one
/// directory however it is reached (relative, through a symlink), a safe
/// file name of fixed length, and private (no path in a file name).
/// Files an earlier version kept by id alone, directly in `person`, are
/// not read: nothing says which directory they came from.
pub fn for_directory(person: &Path, store_dir: &Path) -> PathBuf {
    use sha2::Digest;
    let canonical = std::fs::canonicalize(store_dir).unwrap_or_else(|_| store_dir.to_path_buf());
    let digest = sha2::Sha256::digest(canonical.as_os_str().as_encoded_bytes());
    person.join("dirs").join(hex::encode(&digest[..8]))
}

/// Submitted lines, oldest first, with a cursor for Up/Down recall.
#[derive(Debug, Default, Clone)]
pub struct History {
    pub lines: Vec<String>,
    /// Position while recalling; `None` when editing a fresh line.
    cursor: Option<usize>,
    /// The line being typed before recall started, restored at the end.
    stash: String,
    /// What Esc last cleared from the input bar: Up brings it back.
    cleared: Option<String>,
    file: Option<PathBuf>,
}

impl History {
    pub fn load(dir: Option<&Path>) -> Self {
        let file = dir.map(|d| d.join("history"));
        let lines = file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .map(|s| s.lines().map(unescape).collect())
            .unwrap_or_default();
        History {
            lines,
            cursor: None,
            stash: String::new(),
            cleared: None,
            file,
        }
    }

    /// Record a submitted line; `save` writes the history out.
    pub fn push(&mut self, line: &str) {
        self.cursor = None;
        self.cleared = None;
        if line.trim().is_empty() || self.lines.last().map(String::as_str) == Some(line) {
            return;
        }
        self.lines.push(line.to_string());
        if self.lines.len() > MAX_HISTORY {
            let cut = self.lines.len() - MAX_HISTORY;
            self.lines.drain(..cut);
        }
    }

    /// Write the history to its file, kept per user across restarts
    /// (failures to save are harmless: it is a convenience).
    pub fn save(&self) {
        if let Some(f) = &self.file {
            let _ = std::fs::create_dir_all(f.parent().unwrap_or(Path::new(".")));
            let body: String = self.lines.iter().map(|l| escape(l) + "\n").collect();
            let _ = write_private(f, body.as_bytes());
        }
    }

    /// Older line; `current` is what is typed now.
    pub fn older(&mut self, current: &str) -> Option<String> {
        // Esc cleared it: the first Up undoes that.
        if self.cursor.is_none()
            && current.is_empty()
            && let Some(line) = self.cleared.take()
        {
            return Some(line);
        }
        let i = match self.cursor {
            None if self.lines.is_empty() => return None,
            None => {
                self.stash = current.to_string();
                self.lines.len() - 1
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.cursor = Some(i);
        Some(self.lines[i].clone())
    }

    /// Newer line, or back to what was being typed.
    pub fn newer(&mut self) -> Option<String> {
        let i = self.cursor?;
        if i + 1 < self.lines.len() {
            self.cursor = Some(i + 1);
            Some(self.lines[i + 1].clone())
        } else {
            self.cursor = None;
            Some(std::mem::take(&mut self.stash))
        }
    }

    pub fn reset(&mut self) {
        self.cursor = None;
    }

    /// Esc cleared `line` from the input bar: the next Up on an empty bar
    /// brings it back (and Up again goes on into the history).
    pub fn cleared(&mut self, line: &str) {
        self.cursor = None;
        if !line.trim().is_empty() {
            self.cleared = Some(line.to_string());
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// True the first time this user opens incident `id` (and remembers it).
pub fn first_visit(dir: Option<&Path>, id: &str) -> bool {
    let Some(dir) = dir else { return false };
    let marker = dir.join(format!("seen-{id}"));
    if marker.exists() {
        return false;
    }
    let _ = std::fs::create_dir_all(dir);
    let _ = std::fs::write(&marker, b"");
    true
}

fn draft_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("draft-{id}"))
}

fn doc_draft_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(format!("docdraft-{id}"))
}

/// Keep a section edit for next time: "section\nbase\ntext"; `None` clears it.
pub fn save_doc_draft(dir: Option<&Path>, id: &str, edit: Option<(&str, u64, String)>) {
    let Some(dir) = dir else { return };
    let path = doc_draft_path(dir, id);
    match edit {
        Some((section, base, text)) => {
            let _ = std::fs::create_dir_all(dir);
            let _ = write_private(&path, format!("{section}\n{base}\n{text}").as_bytes());
        }
        None => {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Take back a section edit saved by an earlier run (it is removed).
pub fn take_doc_draft(dir: Option<&Path>, id: &str) -> Option<(String, u64, String)> {
    let path = doc_draft_path(dir?, id);
    let body = std::fs::read_to_string(&path).ok()?;
    let _ = std::fs::remove_file(&path);
    let mut parts = body.splitn(3, '\n');
    let section = parts.next()?.to_string();
    let base = parts.next()?.parse().ok()?;
    Some((section, base, parts.next().unwrap_or("").to_string()))
}

/// Keep an unsent draft for next time (SIGHUP, SIGTERM, a failed send).
pub fn save_draft(dir: Option<&Path>, id: &str, text: &str) {
    let Some(dir) = dir else { return };
    let _ = std::fs::create_dir_all(dir);
    let path = draft_path(dir, id);
    if text.trim().is_empty() {
        let _ = std::fs::remove_file(path);
    } else {
        let _ = write_private(&path, text.as_bytes());
    }
}

/// Take back a draft saved by an earlier run (it is removed).
pub fn take_draft(dir: Option<&Path>, id: &str) -> Option<String> {
    let path = draft_path(dir?, id);
    let text = std::fs::read_to_string(&path).ok()?;
    let _ = std::fs::remove_file(&path);
    (!text.trim().is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_display_name_has_its_own_history_and_drafts() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path();
        let mut ops = crate::model::Actor::named("ops");
        let plain = for_person(base, &ops);
        ops.name = Some("bob".into());
        let bob = for_person(base, &ops);
        ops.name = Some("carol".into());
        let carol = for_person(base, &ops);
        ops.name = Some("ops".into());
        let own = for_person(base, &ops);
        assert_eq!(plain, own, "the account's own name is the account");
        assert_ne!(bob, carol);
        assert_ne!(bob, plain);
        assert!(bob.ends_with("as-bob") && carol.ends_with("as-carol"));
        let mut h = History::load(Some(&bob));
        h.push(":status resolved");
        h.save();
        assert_eq!(History::load(Some(&bob)).lines, [":status resolved"]);
        assert!(History::load(Some(&carol)).lines.is_empty());
    }

    #[test]
    fn recall_walks_back_and_returns_to_the_draft() {
        let mut h = History::default();
        h.push("one");
        h.push("two");
        assert_eq!(h.older("typing").as_deref(), Some("two"));
        assert_eq!(h.older("").as_deref(), Some("one"));
        assert_eq!(h.older(""), None);
        assert_eq!(h.newer().as_deref(), Some("two"));
        assert_eq!(h.newer().as_deref(), Some("typing"));
    }

    #[test]
    fn up_undoes_an_esc_then_goes_on_into_the_history() {
        let mut h = History::default();
        h.push("sent before");
        h.cleared("half a thought");
        assert_eq!(h.older("").as_deref(), Some("half a thought"));
        assert_eq!(h.older("half a thought").as_deref(), Some("sent before"));
        assert_eq!(h.newer().as_deref(), Some("half a thought"));
        // Sending something else forgets what was cleared.
        h.cleared("dropped");
        h.push("another");
        assert_eq!(h.older("").as_deref(), Some("another"));
    }

    #[test]
    fn history_survives_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = History::load(Some(dir.path()));
        h.push("multi\nline \\ text");
        h.save();
        let again = History::load(Some(dir.path()));
        assert_eq!(again.lines, ["multi\nline \\ text"]);
    }

    #[test]
    fn two_directories_never_share_state() {
        let state = tempfile::tempdir().unwrap();
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let in_a = for_directory(state.path(), a.path());
        let in_b = for_directory(state.path(), b.path());
        assert_ne!(in_a, in_b);
        // Stable for one directory, however it is named.
        let dotted = a.path().join(".");
        assert_eq!(for_directory(state.path(), &dotted), in_a);
        save_draft(Some(&in_a), "INC-1", "for the drill");
        assert_eq!(take_draft(Some(&in_b), "INC-1"), None);
        assert!(first_visit(Some(&in_a), "INC-1"));
        assert!(first_visit(Some(&in_b), "INC-1"), "not seen in b");
        assert_eq!(
            take_draft(Some(&in_a), "INC-1").as_deref(),
            Some("for the drill")
        );
    }

    #[test]
    fn drafts_are_offered_once() {
        let dir = tempfile::tempdir().unwrap();
        save_draft(Some(dir.path()), "INC-1", "half a thought");
        assert_eq!(
            take_draft(Some(dir.path()), "INC-1").as_deref(),
            Some("half a thought")
        );
        assert_eq!(take_draft(Some(dir.path()), "INC-1"), None);
    }
}

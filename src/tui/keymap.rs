//! The one keymap. Key handling, the hint line and the help overlay all
//! read this table, so they never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// Anywhere in the war room.
    Global,
    /// Typing in the input bar.
    Input,
    /// A pane has focus (log or roles).
    Pane,
    /// The log pane has focus.
    Log,
    /// The roles pane has focus.
    Roles,
    /// The "what is bleeding" pane has focus.
    Bleeding,
    /// The mitigations pane has focus.
    Mitigations,
    /// The document view is open.
    Document,
    /// A document section is being edited.
    Editor,
    /// Choosing an incident.
    Picker,
    /// Declaring one.
    Welcome,
    /// A question is open (handover offer, clearance request) and the
    /// input bar is empty.
    Prompt,
    /// The help overlay is open.
    Help,
    /// Looking back: the incident as it stood at an earlier moment.
    LookBack,
    /// The catch-up (or the handover brief) shown on opening.
    Arrival,
    /// Typing a search of the log (after `/`).
    Search,
    /// A yes/no question on top of the screen (quit and lose a draft, a
    /// change that leaves something open).
    Confirm,
}

/// What a key asks for. Effects that touch files are decided in `app`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ForceQuit,
    Help,
    Submit,
    Cancel,
    Complete,
    HistoryPrev,
    HistoryNext,
    FocusNext,
    FocusPrev,
    FocusInput,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Search,
    SearchNext,
    SearchPrev,
    ToggleUtc,
    Select,
    NewIncident,
    SeverityPrev,
    SeverityNext,
    Who,
    Yes,
    No,
    /// Open or fold the selected node.
    Toggle,
    /// Show only the subtree under the selected system (again: all).
    FocusTree,
    /// Propose the selected suggestion.
    Adopt,
    /// Start the selected mitigation (asking the commander if needed).
    StartWork,
    /// Take the selected mitigation or task.
    Own,
    /// Mark the selected work done / failed (then say what happened).
    MarkDone,
    MarkFailed,
    /// Open the document view.
    OpenDoc,
    /// Edit the selected section.
    Edit,
    /// Save the section being edited.
    Save,
    /// Pin the entry at the cursor to the timeline.
    Pin,
    /// Read the whole output of the run at the cursor.
    ShowOutput,
    /// Draft a comms update from the document into the input bar.
    DraftUpdate,
    /// Show or hide the log's `#N` gutter.
    ToggleNumbers,
    /// Delete the character before the cursor.
    DeleteBack,
    /// Show the incident one log entry further back.
    LookBack,
    /// One log entry forward (past the newest: now).
    LookForward,
    /// Stop looking back.
    Now,
}

#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

const fn k(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
    }
}
const fn c(ch: char) -> Key {
    k(KeyCode::Char(ch))
}
const fn ctrl(ch: char) -> Key {
    Key {
        code: KeyCode::Char(ch),
        mods: KeyModifiers::CONTROL,
    }
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    /// How the keys are written in the hint line and help.
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the hint line for this context, with these words.
    pub hint: Option<&'static str>,
}

macro_rules! b {
    ($ctx:ident, [$($key:expr),+], $label:literal, $action:ident, $help:literal, $hint:expr) => {
        Binding {
            context: Context::$ctx,
            keys: &[$($key),+],
            label: $label,
            action: Action::$action,
            help: $help,
            hint: $hint,
        }
    };
}

use KeyCode::*;

pub const BINDINGS: &[Binding] = &[
    b!(
        Prompt,
        [c('y')],
        "y",
        Yes,
        "accept the role / clear the request (go)",
        Some("yes")
    ),
    b!(
        Prompt,
        [c('n')],
        "n",
        No,
        "decline the role / hold the request (then say why)",
        Some("no")
    ),
    b!(
        Prompt,
        [k(Esc)],
        "Esc",
        Cancel,
        "answer later",
        Some("later")
    ),
    b!(
        Global,
        [ctrl('c')],
        "Ctrl-C",
        ForceQuit,
        "quit now (a draft is saved)",
        None
    ),
    b!(Global, [k(F(1))], "F1", Help, "help", None),
    b!(
        Input,
        [k(Enter)],
        "Enter",
        Submit,
        "send: a note, or :command",
        Some("send")
    ),
    b!(Input, [k(Esc)], "Esc", Cancel, "clear the input", None),
    b!(
        Input,
        [k(Tab)],
        "Tab",
        Complete,
        "complete a :command, or go to the panes when empty",
        Some("complete/panes")
    ),
    b!(
        Input,
        [k(BackTab)],
        "Shift-Tab",
        FocusPrev,
        "go to the panes (backwards)",
        None
    ),
    b!(
        Input,
        [k(KeyCode::Up)],
        "Up",
        HistoryPrev,
        "previous input (history)",
        None
    ),
    b!(
        Input,
        [k(KeyCode::Down)],
        "Down",
        HistoryNext,
        "next input (history)",
        None
    ),
    b!(
        Input,
        [c('?')],
        "?",
        Help,
        "help (on an empty input)",
        Some("help")
    ),
    b!(
        Input,
        [c('[')],
        "[",
        LookBack,
        "look back one entry, read-only (on an empty input)",
        None
    ),
    b!(
        Pane,
        [k(Tab)],
        "Tab",
        FocusNext,
        "next pane",
        Some("next pane")
    ),
    b!(
        Pane,
        [k(BackTab)],
        "Shift-Tab",
        FocusPrev,
        "previous pane",
        None
    ),
    b!(
        Pane,
        [k(Esc), c('i')],
        "Esc",
        FocusInput,
        "back to the input bar",
        Some("type")
    ),
    b!(Pane, [c('?')], "?", Help, "help", Some("help")),
    b!(
        Pane,
        [c('q')],
        "q",
        Quit,
        "quit (asks first if a draft would be lost)",
        Some("quit")
    ),
    b!(Pane, [c(':')], ":", FocusInput, "command mode", None),
    b!(
        Pane,
        [c('[')],
        "[",
        LookBack,
        "look back: the incident as it stood one entry ago (read-only)",
        Some("look back")
    ),
    b!(
        LookBack,
        [c('[')],
        "[",
        LookBack,
        "one entry further back",
        Some("older")
    ),
    b!(
        LookBack,
        [c(']')],
        "]",
        LookForward,
        "one entry forward (past the newest: back to now)",
        Some("newer")
    ),
    b!(
        LookBack,
        [k(Esc)],
        "Esc",
        Now,
        "back to now (what you typed stays); :at TIME jumps to another moment",
        Some("now")
    ),
    b!(
        Pane,
        [c('w')],
        "w",
        Who,
        "who has the incident open",
        Some("who")
    ),
    b!(
        Pane,
        [c('t')],
        "t",
        ToggleUtc,
        "show times in UTC / local time",
        Some("UTC/local")
    ),
    b!(Log, [c('k'), k(KeyCode::Up)], "k/↑", Up, "scroll up", None),
    b!(
        Log,
        [c('j'), k(KeyCode::Down)],
        "j/↓",
        Down,
        "scroll down",
        None
    ),
    b!(Log, [k(PageUp), ctrl('u')], "PgUp", PageUp, "page up", None),
    b!(
        Log,
        [k(PageDown), ctrl('d')],
        "PgDn",
        PageDown,
        "page down",
        None
    ),
    b!(Log, [c('g'), k(Home)], "g", Top, "first entry", None),
    b!(
        Log,
        [c('G'), k(End)],
        "G",
        Bottom,
        "newest entry (follow)",
        Some("follow")
    ),
    b!(Log, [c('/')], "/", Search, "search the log", Some("search")),
    b!(Log, [c('n')], "n", SearchNext, "next (older) match", None),
    b!(
        Log,
        [c('N')],
        "N",
        SearchPrev,
        "previous (newer) match",
        None
    ),
    b!(
        Roles,
        [c('k'), k(KeyCode::Up)],
        "k/↑",
        Up,
        "previous role",
        None
    ),
    b!(
        Roles,
        [c('j'), k(KeyCode::Down)],
        "j/↓",
        Down,
        "next role",
        None
    ),
    b!(
        Roles,
        [k(Enter)],
        "Enter",
        Select,
        "claim or assign the role",
        Some("claim/assign")
    ),
    b!(
        Pane,
        [c('D')],
        "D",
        OpenDoc,
        "open the incident document",
        Some("doc")
    ),
    b!(
        Pane,
        [c('u')],
        "u",
        DraftUpdate,
        "draft a status update from the document",
        None
    ),
    b!(
        Log,
        [c('p')],
        "p",
        Pin,
        "pin the selected entry to the timeline",
        Some("pin")
    ),
    b!(
        Log,
        [c('o')],
        "o",
        ShowOutput,
        "read the selected run's whole output",
        Some("output")
    ),
    b!(
        Log,
        [c('#')],
        "#",
        ToggleNumbers,
        "show or hide the entry numbers (#N)",
        None
    ),
    b!(
        Document,
        [c('k'), k(KeyCode::Up)],
        "k/↑",
        Up,
        "previous part",
        None
    ),
    b!(
        Document,
        [c('j'), k(KeyCode::Down)],
        "j/↓",
        Down,
        "next part",
        None
    ),
    b!(
        Document,
        [k(Enter), c('e')],
        "Enter",
        Edit,
        "edit the selected section",
        Some("edit")
    ),
    b!(
        Document,
        [c('u')],
        "u",
        DraftUpdate,
        "draft a status update from the document",
        Some("draft update")
    ),
    b!(
        Document,
        [k(Esc), c('q')],
        "Esc",
        Cancel,
        "close the document",
        Some("close")
    ),
    b!(
        Editor,
        [ctrl('s')],
        "Ctrl-S",
        Save,
        "save the section",
        Some("save")
    ),
    b!(
        Editor,
        [k(Esc)],
        "Esc",
        Cancel,
        "stop editing (asks before dropping changes)",
        Some("cancel")
    ),
    b!(
        Mitigations,
        [c('k'), k(KeyCode::Up)],
        "k/↑",
        Up,
        "previous item",
        None
    ),
    b!(
        Mitigations,
        [c('j'), k(KeyCode::Down)],
        "j/↓",
        Down,
        "next item",
        None
    ),
    b!(
        Mitigations,
        [c('a')],
        "a",
        Adopt,
        "propose the selected suggestion",
        Some("add idea")
    ),
    b!(
        Mitigations,
        [c('s')],
        "s",
        StartWork,
        "start it (asks the commander first if it changes production)",
        Some("start")
    ),
    b!(
        Mitigations,
        [c('o')],
        "o",
        Own,
        "take it (become its owner)",
        Some("take")
    ),
    b!(
        Mitigations,
        [c('d')],
        "d",
        MarkDone,
        "mark it done, then say what happened",
        Some("done")
    ),
    b!(
        Mitigations,
        [c('x')],
        "x",
        MarkFailed,
        "mark it failed, then say what happened",
        Some("failed")
    ),
    b!(
        Bleeding,
        [c('k'), k(KeyCode::Up)],
        "k/↑",
        Up,
        "previous system",
        None
    ),
    b!(
        Bleeding,
        [c('j'), k(KeyCode::Down)],
        "j/↓",
        Down,
        "next system",
        None
    ),
    b!(
        Bleeding,
        [k(Enter), c(' ')],
        "Enter",
        Toggle,
        "open or fold the selected system",
        Some("open/fold")
    ),
    b!(
        Bleeding,
        [c('f')],
        "f",
        FocusTree,
        "show only what is under it (again: everything)",
        Some("focus")
    ),
    b!(
        Picker,
        [c('k'), k(KeyCode::Up)],
        "k/↑",
        Up,
        "previous incident",
        None
    ),
    b!(
        Picker,
        [c('j'), k(KeyCode::Down)],
        "j/↓",
        Down,
        "next incident",
        None
    ),
    b!(
        Picker,
        [k(Enter)],
        "Enter",
        Select,
        "open the incident",
        Some("open")
    ),
    b!(
        Picker,
        [c('n')],
        "n",
        NewIncident,
        "declare a new incident",
        Some("new")
    ),
    // Esc never quits anywhere: only q (or Ctrl-C) leaves the picker.
    b!(Picker, [c('q')], "q", Quit, "quit", Some("quit")),
    b!(Picker, [c('?')], "?", Help, "help", Some("help")),
    b!(
        Welcome,
        [k(Enter)],
        "Enter",
        Submit,
        "declare the incident",
        Some("declare")
    ),
    b!(
        Welcome,
        [k(Tab), k(BackTab)],
        "Tab",
        FocusNext,
        "switch field",
        Some("next field")
    ),
    b!(
        Welcome,
        [k(KeyCode::Left)],
        "←",
        SeverityPrev,
        "worse severity (on the severity field)",
        None
    ),
    b!(
        Welcome,
        [k(KeyCode::Right)],
        "→",
        SeverityNext,
        "milder severity (on the severity field)",
        None
    ),
    b!(
        Welcome,
        [k(Esc)],
        "Esc",
        Cancel,
        "back / clear",
        Some("back/clear")
    ),
    b!(
        Help,
        [c('j'), k(KeyCode::Down)],
        "j/↓",
        Down,
        "scroll help down",
        None
    ),
    b!(
        Help,
        [c('k'), k(KeyCode::Up)],
        "k/↑",
        Up,
        "scroll help up",
        None
    ),
    b!(
        Help,
        [k(PageDown), c(' ')],
        "PgDn",
        PageDown,
        "help a page down (also Space)",
        None
    ),
    b!(Help, [k(PageUp)], "PgUp", PageUp, "help a page up", None),
    b!(Help, [c('g'), k(Home)], "g", Top, "top of the help", None),
    b!(
        Help,
        [k(Esc), c('q')],
        "Esc",
        Cancel,
        "close help (so does any other key)",
        Some("close")
    ),
    b!(
        Arrival,
        [k(Esc)],
        "Esc",
        Cancel,
        "close the catch-up or brief (so does any other key; it is not typed)",
        Some("close")
    ),
    b!(
        Search,
        [k(Enter)],
        "Enter",
        Submit,
        "find the query (then n/N for the next/previous match)",
        Some("find")
    ),
    b!(
        Search,
        [k(Backspace)],
        "Backspace",
        DeleteBack,
        "delete a character of the query",
        None
    ),
    b!(
        Search,
        [k(Esc)],
        "Esc",
        Cancel,
        "drop the search",
        Some("cancel")
    ),
    b!(
        Confirm,
        [c('y'), c('Y')],
        "y",
        Yes,
        "yes, do it",
        Some("yes")
    ),
    b!(
        Confirm,
        [k(Esc), c('n')],
        "n",
        No,
        "no, leave it (so does any other key)",
        Some("no")
    ),
    b!(
        Welcome,
        [ctrl('c')],
        "Ctrl-C",
        ForceQuit,
        "leave without declaring anything",
        Some("leave")
    ),
];

fn matches(key: &Key, ev: &KeyEvent) -> bool {
    // Shift is implied by the character itself ('G', '?'), so ignore it there.
    let mods = match ev.code {
        Char(_) => ev.modifiers - KeyModifiers::SHIFT,
        BackTab => KeyModifiers::NONE,
        _ => ev.modifiers,
    };
    let want = match key.code {
        Char(_) => key.mods - KeyModifiers::SHIFT,
        _ => key.mods,
    };
    key.code == ev.code && want == mods
}

/// The action bound to `ev` in the first of `contexts` that binds it.
pub fn lookup(contexts: &[Context], ev: &KeyEvent) -> Option<Action> {
    contexts.iter().find_map(|ctx| {
        BINDINGS
            .iter()
            .filter(|b| b.context == *ctx)
            .find(|b| b.keys.iter().any(|k| matches(k, ev)))
            .map(|b| b.action)
    })
}

/// The key that does `action` in the given contexts, as help shows it
/// (`None` when no key there does it: a command has to).
pub fn key_for(contexts: &[Context], action: Action) -> Option<&'static str> {
    contexts.iter().find_map(|ctx| {
        BINDINGS
            .iter()
            .find(|b| b.context == *ctx && b.action == action)
            .map(|b| b.label)
    })
}

/// The hint line for the given contexts: "label action" pairs. A key a
/// more specific context binds is hinted once, for what it does there
/// (looking back, Esc is "now", not "type").
pub fn hints(contexts: &[Context]) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&'static str, &'static str)> = Vec::new();
    let mut bound: Vec<&'static str> = Vec::new();
    for b in contexts
        .iter()
        .flat_map(|ctx| BINDINGS.iter().filter(move |b| b.context == *ctx))
    {
        if bound.contains(&b.label) {
            continue;
        }
        bound.push(b.label);
        if let Some(hint) = b.hint {
            out.push((b.label, hint));
        }
    }
    out
}

/// The characters that act on their own in a pane (`j`, `D`, `q`, ...):
/// typed into the input bar by mistake, they make a note nobody meant.
pub fn pane_keys() -> Vec<char> {
    let panes = [
        Context::Pane,
        Context::Log,
        Context::Roles,
        Context::Bleeding,
        Context::Mitigations,
    ];
    let mut keys: Vec<char> = BINDINGS
        .iter()
        .filter(|b| panes.contains(&b.context))
        .flat_map(|b| b.keys.iter())
        .filter_map(|k| match k.code {
            Char(c) if (k.mods - KeyModifiers::SHIFT).is_empty() && !c.is_whitespace() => Some(c),
            _ => None,
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn shifted_characters_match_their_binding() {
        let ev = key(Char('G'), KeyModifiers::SHIFT);
        assert_eq!(lookup(&[Context::Log], &ev), Some(Action::Bottom));
    }

    #[test]
    fn earlier_context_wins() {
        let tab = key(Tab, KeyModifiers::NONE);
        assert_eq!(
            lookup(&[Context::Input, Context::Global], &tab),
            Some(Action::Complete)
        );
        assert_eq!(
            lookup(&[Context::Log, Context::Pane], &tab),
            Some(Action::FocusNext)
        );
    }

    #[test]
    fn no_binding_uses_tmux_prefixes_or_alt() {
        for b in BINDINGS {
            for k in b.keys {
                assert!(!k.mods.contains(KeyModifiers::ALT), "{}", b.label);
                assert!(
                    !(k.mods.contains(KeyModifiers::CONTROL)
                        && matches!(k.code, Char('a') | Char('b'))),
                    "{}",
                    b.label
                );
            }
        }
    }

    #[test]
    fn pane_keys_come_from_the_table() {
        let keys = pane_keys();
        for c in ['j', 'k', 'D', 'q', 'G', 'p', 's'] {
            assert!(keys.contains(&c), "{c}");
        }
        // Space folds a system but is no letter to ask about; e edits
        // in the document, not in a pane.
        assert!(!keys.contains(&'e') && !keys.contains(&' '));
    }

    #[test]
    fn a_key_is_hinted_once_for_what_it_does_here() {
        let h = hints(&[Context::LookBack, Context::Log, Context::Pane]);
        let esc: Vec<_> = h.iter().filter(|(k, _)| *k == "Esc").collect();
        assert_eq!(esc, [&("Esc", "now")], "{h:?}");
        let bracket: Vec<_> = h.iter().filter(|(k, _)| *k == "[").collect();
        assert_eq!(bracket, [&("[", "older")], "{h:?}");
        assert!(!h.contains(&("Esc", "type")));
        assert!(hints(&[Context::Log, Context::Pane]).contains(&("Esc", "type")));
    }

    #[test]
    fn every_context_has_a_hint() {
        for ctx in [
            Context::Input,
            Context::Pane,
            Context::Picker,
            Context::Welcome,
        ] {
            assert!(!hints(&[ctx]).is_empty(), "{ctx:?}");
        }
    }
}

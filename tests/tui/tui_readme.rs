//! The README's quick start stays true: the keys it names are the
//! keymap's, doing what it says; its commands parse; it fits on a screen;
//! and its table of contents lists every section, linked right.

use incident::tui::keymap::{Action, BINDINGS};

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// The text of section `title` (`## title`), up to the next `## `.
fn section(md: &str, title: &str) -> String {
    let head = format!("\n## {title}\n");
    let start = md.find(&head).unwrap_or_else(|| panic!("no {head}")) + head.len();
    let end = md[start..].find("\n## ").map_or(md.len(), |e| start + e);
    md[start..end].to_string()
}

#[test]
fn the_quick_start_names_five_keys_of_the_keymap() {
    let md = readme();
    let quick = section(&md, "Quick start");
    assert!(
        md.find("## Quick start") < md.find("## Contents")
            && md.find("## Contents") < md.find("## Install on a jump box"),
        "the README opens with the quick start and the contents"
    );
    // One screen: from the top of the file to the end of the quick start
    // it reads without scrolling in a 24-line terminal.
    let top = md[..md.find("## Contents").unwrap()]
        .trim_end()
        .lines()
        .count();
    assert!(top <= 24, "the README's first screen is {top} lines");
    // The keys table: "| `KEY` | does |".
    let keys: Vec<&str> = quick
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .collect();
    assert_eq!(keys, ["Enter", "Tab", "?", "Esc", "Ctrl-C"], "{quick}");
    // Each does what the quick start says, in the keymap.
    let does = |key: &str| -> Vec<Action> {
        BINDINGS
            .iter()
            .filter(|b| b.label == key)
            .map(|b| b.action)
            .collect()
    };
    for (key, says) in [
        ("Enter", Action::Submit),
        ("Tab", Action::Complete),
        ("Tab", Action::FocusNext),
        ("?", Action::Help),
        ("F1", Action::Help),
        ("Esc", Action::Cancel),
        ("Esc", Action::FocusInput),
        ("Ctrl-C", Action::ForceQuit),
        ("y", Action::Yes),
        ("n", Action::No),
    ] {
        assert!(
            does(key).contains(&says),
            "the keymap has no {key} for {says:?}: {:?}",
            does(key)
        );
    }
    // Esc never quits, as it says.
    assert!(
        !does("Esc")
            .iter()
            .any(|a| matches!(a, Action::Quit | Action::ForceQuit))
    );
}

#[test]
fn the_quick_starts_commands_parse() {
    use clap::Parser;
    let quick = section(&readme(), "Quick start");
    let block = quick
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a sh block");
    let mut n = 0;
    for line in block.lines() {
        let cmd = line.split('#').next().unwrap().trim();
        let parsed = incident::cli::Cli::try_parse_from(cmd.split_whitespace());
        assert!(parsed.is_ok(), "`{cmd}`: {:?}", parsed.err());
        n += 1;
    }
    assert!(n >= 2);
    for typed in ["claim ic", "sys payments failing 5xx since 03:10"] {
        assert!(quick.contains(&format!("`:{typed}`")));
        let act = incident::verbs::bar::parse(typed, "alice");
        assert!(act.is_ok(), ":{typed}: {act:?}");
    }
}

#[test]
fn the_contents_list_every_section_linked() {
    let md = readme();
    let contents = section(&md, "Contents");
    let mut fenced = false;
    let mut headings = Vec::new();
    for line in md.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        if let Some(t) = line
            .strip_prefix("## ")
            .or_else(|| line.strip_prefix("### "))
        {
            headings.push(t.to_string());
        }
    }
    headings.retain(|h| h != "Contents");
    assert!(headings.len() > 10, "{headings:?}");
    for h in &headings {
        // GitHub's anchor: lower case, spaces to dashes, punctuation gone.
        let anchor: String = h
            .to_lowercase()
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
            .map(|c| if c == ' ' { '-' } else { c })
            .collect();
        let entry = format!("[{h}](#{anchor})");
        assert!(contents.contains(&entry), "the contents lack {entry}");
    }
}

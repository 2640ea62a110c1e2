//! User text into CommonMark that renders as the text it is, escaped only
//! where a character would change the meaning: so `pg_stat_activity` and
//! `12% -> 4%` read the same pasted into a wiki as they do here, while a
//! leading `#` cannot make a heading, a backtick cannot open code, a `<`
//! cannot open raw HTML, and a `|` cannot end a table cell.
//!
//! Two kinds of text: block text people write as prose (the summary, the
//! impact, the document's sections), whose lists stay lists and whose
//! paragraphs stay paragraphs, and everything else (names, log entries,
//! titles), which is one line or a few lines that must never open a block.

/// Block text: blank lines stay paragraph breaks and lines that start
/// with a list marker (`- `, `* `, `+ `, `1. `) stay list items; anything
/// else that would open a block (a heading, a quote, a code block, a
/// thematic break) is escaped. Indentation is dropped: nested lists come
/// out flat, and nothing becomes an indented code block.
pub(crate) fn blocks(text: &str) -> String {
    let mut out = Vec::new();
    let mut blank = true;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            if !blank {
                out.push(String::new());
            }
            blank = true;
            continue;
        }
        blank = false;
        match list_marker(line) {
            Some(len) => {
                let rest = line[len..].trim_start();
                out.push(format!("{} {}", &line[..len], escape(rest, false, false)));
            }
            None => out.push(line_text(line)),
        }
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

/// One line of text wherever it stands, including the start of a line.
pub(crate) fn line_text(line: &str) -> String {
    escape(line.trim(), true, false)
}

/// Text inside a list item or a sentence: one paragraph whose lines are
/// joined by hard breaks, continuation lines indented by `indent` so they
/// stay in the item. Blank lines are dropped: they would end the item.
pub(crate) fn inline(text: &str, indent: usize) -> String {
    let joint = format!("\\\n{}", " ".repeat(indent));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(line_text)
        .collect::<Vec<_>>()
        .join(&joint)
}

/// A table cell: a row must stay one line, so lines become `<br>`, and a
/// `|` is escaped so it cannot end the cell.
pub(crate) fn cell(text: &str) -> Option<String> {
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| escape(l, false, true))
        .collect();
    (!lines.is_empty()).then(|| lines.join("<br>"))
}

/// The length of a list marker ("-", "*", "+", "1." … "999999999)") that
/// starts `line` and is followed by a space.
fn list_marker(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let len = match bytes.first()? {
        b'-' | b'*' | b'+' => 1,
        b'0'..=b'9' => {
            let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
            if digits > 9 || !matches!(bytes.get(digits), Some(b'.' | b')')) {
                return None;
            }
            digits + 1
        }
        _ => return None,
    };
    matches!(bytes.get(len), Some(b' ' | b'\t')).then_some(len)
}

/// Escape what would change the meaning of `line`: at the start of a line
/// (`line_start`), anything that opens a block; anywhere, what opens
/// inline markup; in a table cell, a `|`.
fn escape(line: &str, line_start: bool, in_cell: bool) -> String {
    let chars: Vec<char> = line.trim_end().chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    if line_start {
        i = escape_block_start(&chars, &mut out);
    }
    let tildes = chars.iter().filter(|&&c| c == '~').count();
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let needs = match c {
            '\\' => next.is_none_or(|n| n.is_ascii_punctuation()),
            '`' => true,
            '<' => next.is_some_and(|n| n.is_ascii_alphabetic() || "/!?".contains(n)),
            // Emphasis opens or closes only beside something that is not
            // a space; "a * b" stays as it is.
            '*' => !(prev.is_none_or(char::is_whitespace) && next.is_none_or(char::is_whitespace)),
            // An underscore inside a word never emphasises: pg_stat_activity.
            '_' => {
                !(prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric))
            }
            // Strikethrough (where renderers have it) needs a pair.
            '~' => tildes >= 2,
            // A link needs a closing bracket followed by its target (or
            // a reference definition's colon); "[R1, asked]" stays.
            '[' => opens_link(&chars[i + 1..]),
            '&' => is_entity(&chars[i + 1..]),
            '|' => in_cell,
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Whether the text after a `[` closes it in a way that makes a link:
/// `[a](b)`, `[a][b]`, `[a]: b`.
fn opens_link(after: &[char]) -> bool {
    after
        .iter()
        .position(|&c| c == ']')
        .is_some_and(|close| matches!(after.get(close + 1), Some('(' | '[' | ':')))
}

/// Whether the text after an `&` would make it a character reference:
/// `&amp;`, `&#38;`, `&#x26;`.
fn is_entity(after: &[char]) -> bool {
    let name = after
        .iter()
        .take(32)
        .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
        .count();
    name > 0 && after.get(name) == Some(&';')
}

/// Escape what would open a block at the start of a line (a heading, a
/// quote, a list item, a thematic break or a setext underline) into
/// `out`; returns how many characters it consumed.
fn escape_block_start(chars: &[char], out: &mut String) -> usize {
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    match chars.get(digits) {
        Some(&c @ ('.' | ')')) if digits > 0 => {
            out.extend(&chars[..digits]);
            out.push('\\');
            out.push(c);
            digits + 1
        }
        Some(&c @ ('#' | '>' | '-' | '+' | '=' | '*' | '_')) if digits == 0 => {
            out.push('\\');
            out.push(c);
            1
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_technical_text_is_left_alone() {
        for text in [
            "pg_stat_activity shows 400 idle in transaction",
            "12% -> 4% after the rollback",
            "a * b, 3 > 2, [draft] [R1, asked], R&D, ~20 minutes",
            "https://grafana.example/d/abc?var-x=1&from=now-1h",
        ] {
            assert_eq!(line_text(text), text);
        }
    }

    #[test]
    fn line_starts_that_open_blocks_are_escaped() {
        assert_eq!(line_text("- item"), "\\- item");
        assert_eq!(line_text("  + item"), "\\+ item");
        assert_eq!(line_text("12. item"), "12\\. item");
        assert_eq!(line_text("3) item"), "3\\) item");
        assert_eq!(line_text("==="), "\\===");
        assert_eq!(line_text("# not a heading"), "\\# not a heading");
        assert_eq!(line_text("> not a quote"), "\\> not a quote");
        assert_eq!(line_text("2026 was long"), "2026 was long");
        assert_eq!(line_text("a-b 1.5"), "a-b 1.5");
    }

    #[test]
    fn markup_that_would_change_the_text_is_escaped() {
        assert_eq!(line_text("[a][b] [c]: d"), "\\[a][b] \\[c]: d");
        assert_eq!(
            line_text("*a* _b_ `c` [d](e) <script> ~~s~~ &amp; x\\"),
            "\\*a\\* \\_b\\_ \\`c\\` \\[d](e) \\<script> \\~\\~s\\~\\~ \\&amp; x\\\\"
        );
    }

    #[test]
    fn block_text_keeps_its_lists_and_paragraphs() {
        assert_eq!(
            blocks(
                "Checkout failed.\n\n- ~12% of payments\n- EU only\n\n\n1. first\n# not a heading"
            ),
            "Checkout failed.\n\n- ~12% of payments\n- EU only\n\n1. first\n\\# not a heading"
        );
    }

    #[test]
    fn cells_stay_on_one_line() {
        assert_eq!(cell("a|b\n\nc").as_deref(), Some("a\\|b<br>c"));
        assert_eq!(cell("  \n"), None);
    }
}

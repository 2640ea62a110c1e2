//! The one sanitizer for text shown on a terminal.
//!
//! Text typed by one responder is shown on every other responder's
//! terminal, so it is hostile until sanitized: control characters (C0, C1,
//! ESC, DEL) and bidirectional overrides become visible placeholders and
//! tabs are expanded. Everything printed to a terminal (TUI, `show`, `tail`,
//! error messages) goes through here.

use std::borrow::Cow;

const TAB_STOP: usize = 8;

/// One line of text: newlines become visible too.
pub fn line(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// Multi-line text: newlines are kept, everything else as [`line`].
pub fn text(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

fn needs_cleaning(c: char, keep_newlines: bool) -> bool {
    (c == '\n' && !keep_newlines) || (c != '\n' && placeholder(c).is_some()) || c == '\t'
}

/// The visible stand-in for a character that must not reach a terminal raw.
fn placeholder(c: char) -> Option<char> {
    match c {
        '\u{1b}' => Some('␛'),
        '\n' => Some('␤'),
        '\r' => Some('␍'),
        '\u{7f}' => Some('␡'),
        // Other C0 controls map onto the Control Pictures block.
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        // C1 controls (CSI, OSC, DCS, ... as single code points).
        '\u{80}'..='\u{9f}' => Some('�'),
        // Bidirectional overrides, embeddings, isolates and marks, and line
        // separators: they reorder or break what other people see.
        '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{061c}'
        | '\u{2028}'
        | '\u{2029}' => Some('�'),
        _ => None,
    }
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    if !s.chars().any(|c| needs_cleaning(c, keep_newlines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut column = 0usize;
    for c in s.chars() {
        match c {
            '\t' => {
                let n = TAB_STOP - column % TAB_STOP;
                out.extend(std::iter::repeat_n(' ', n));
                column += n;
            }
            '\n' if keep_newlines => {
                out.push('\n');
                column = 0;
            }
            _ => {
                let shown = placeholder(c).unwrap_or(c);
                out.push(shown);
                column += unicode_width::UnicodeWidthChar::width(shown).unwrap_or(0);
            }
        }
    }
    Cow::Owned(out)
}

/// Bytes that may not be UTF-8 (a file, an argument): decoded lossily, then
/// sanitized as one line.
pub fn bytes_line(b: &[u8]) -> String {
    line(&String::from_utf8_lossy(b)).into_owned()
}

/// Text from outside (an assistant, `incident mcp`) made safe to keep:
/// sanitized as [`text`] (or [`line`] without `keep_newlines`), and cut to
/// at most `max` bytes on a character boundary, saying how much was cut.
pub fn untrusted(s: &str, max: usize, keep_newlines: bool) -> String {
    let clean = clean(s, keep_newlines);
    if clean.len() <= max {
        return clean.into_owned();
    }
    let mark = |cut: usize| format!(" … [cut: {cut} more bytes]");
    let room = max.saturating_sub(mark(clean.len()).len());
    let mut end = room;
    while !clean.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{}", &clean[..end], mark(clean.len() - end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_become_visible() {
        let s = line("a\u{1b}[31mred\u{1b}]0;title\u{7}\u{9b}2J");
        assert!(!s.contains('\u{1b}') && !s.contains('\u{7}') && !s.contains('\u{9b}'));
        assert!(s.starts_with("a␛[31mred␛]0;title␇"), "{s}");
    }

    #[test]
    fn newlines_are_kept_only_in_text() {
        assert_eq!(line("a\nb\r"), "a␤b␍");
        assert_eq!(text("a\nb"), "a\nb");
    }

    #[test]
    fn tabs_expand_to_stops() {
        assert_eq!(line("ab\tc"), "ab      c");
    }

    #[test]
    fn bidi_overrides_are_replaced() {
        assert_eq!(line("x\u{202e}y\u{2066}"), "x�y�");
    }

    #[test]
    fn untrusted_text_is_sanitized_and_cut_on_a_character_boundary() {
        assert_eq!(untrusted("ok\u{1b}[2J\nnext", 100, true), "ok␛[2J\nnext");
        assert_eq!(untrusted("a\nb", 100, false), "a␤b");
        let long = "é".repeat(500);
        let cut = untrusted(&long, 200, true);
        assert!(cut.len() <= 200, "{}", cut.len());
        assert!(
            cut.starts_with("éé") && cut.ends_with("more bytes]"),
            "{cut}"
        );
        let cut_at: usize = cut
            .rsplit("[cut: ")
            .next()
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap();
        assert_eq!(cut.find(" … [cut").unwrap() + cut_at, long.len());
    }

    #[test]
    fn plain_text_is_not_copied() {
        assert!(matches!(line("hello 世界 👋"), Cow::Borrowed(_)));
    }
}

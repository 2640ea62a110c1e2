//! Word wrapping by display width (CJK and emoji take two columns).

use unicode_width::UnicodeWidthChar;

/// Split already-sanitized `text` into rows of at most `width` columns,
/// breaking at spaces where possible and inside words where not. Explicit
/// newlines start new rows. Always returns at least one row.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = Vec::new();
    for para in text.split('\n') {
        wrap_para(para, width, &mut rows);
    }
    if rows.is_empty() {
        rows.push(String::new());
    }
    rows
}

fn wrap_para(para: &str, width: usize, rows: &mut Vec<String>) {
    let mut row = String::new();
    let mut row_w = 0usize;
    // Byte index in `row` just after the last space, and the width there.
    let mut last_space: Option<(usize, usize)> = None;
    for c in para.chars() {
        let w = c.width().unwrap_or(0);
        if row_w + w > width && !row.is_empty() {
            match last_space {
                Some((at, w_at)) if c != ' ' => {
                    let rest = row.split_off(at);
                    rows.push(row.trim_end().to_string());
                    row = rest;
                    row_w -= w_at;
                }
                _ => {
                    rows.push(std::mem::take(&mut row).trim_end().to_string());
                    row_w = 0;
                }
            }
            last_space = None;
            if c == ' ' && row.is_empty() {
                continue; // Do not start a row with the space we broke at.
            }
        }
        row.push(c);
        row_w += w;
        if c == ' ' {
            last_space = Some((row.len(), row_w));
        }
    }
    rows.push(row);
}

/// Display width of a string.
pub fn width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Cut `s` to at most `max` columns, marking the cut with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("the quick brown fox", 10), ["the quick", "brown fox"]);
    }

    #[test]
    fn breaks_long_words() {
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn wide_characters_count_double() {
        let rows = wrap("世界世界世界", 5);
        assert!(rows.iter().all(|r| width(r) <= 5), "{rows:?}");
        assert_eq!(rows.concat(), "世界世界世界");
    }

    #[test]
    fn newlines_start_rows() {
        assert_eq!(wrap("a\nb", 10), ["a", "b"]);
    }

    #[test]
    fn truncates_with_ellipsis() {
        assert_eq!(truncate("checkout errors", 8), "checkou…");
        assert_eq!(truncate("ok", 8), "ok");
    }
}

//! A proposed command as its request reads: "run: kubectl get pods — why:
//! the pods restart". The commander clears exactly the command shown, so
//! the command run is read back from that text, never kept elsewhere.

use crate::cli::clearance::shell_words;
use crate::ops::PROPOSED_WHY as WHY;

/// Longest command an assistant may propose, as shown (bytes).
pub const MAX_COMMAND: usize = 1024;
/// Longest reason given with it (bytes; longer is cut).
pub const MAX_REASON: usize = 1024;

const RUN: &str = "run: ";

/// The request's text for `argv` with `reason`; refused (with why) when
/// the command is empty, too long, or holds characters a person could not
/// read back exactly (control characters).
pub fn request_text(argv: &[String], reason: &str) -> Result<String, String> {
    if argv.is_empty() || argv[0].trim().is_empty() {
        return Err("command is empty: give the program and its arguments, e.g. [\"kubectl\", \"get\", \"pods\"]".into());
    }
    if let Some(a) = argv.iter().find(|a| a.chars().any(char::is_control)) {
        return Err(format!(
            "the argument '{}' holds control characters: the commander must read exactly what would run",
            crate::sanitize::line(a)
        ));
    }
    let shown = shell_words(argv);
    if shown.len() > MAX_COMMAND {
        return Err(format!(
            "command is too long ({} bytes; the limit is {MAX_COMMAND}): shorten it",
            shown.len()
        ));
    }
    let reason = crate::sanitize::untrusted(reason.trim(), MAX_REASON, false);
    if reason.is_empty() {
        return Err("reason is empty: say why the command should run".into());
    }
    Ok(format!("{RUN}{shown}{WHY}{reason}"))
}

/// The command a proposal's text asks to run, as [`request_text`] wrote
/// it; None for any other request.
pub fn command_of(text: &str) -> Option<Vec<String>> {
    let mut rest = text.strip_prefix(RUN)?;
    let mut words = Vec::new();
    loop {
        let (word, after) = word(rest)?;
        words.push(word);
        if after.starts_with(WHY) {
            return Some(words);
        }
        rest = after.strip_prefix(' ')?;
    }
}

/// One word as `shell_words` writes it: plain, or single-quoted with
/// `'\''` for a quote inside.
fn word(s: &str) -> Option<(String, &str)> {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c);
    let Some(mut rest) = s.strip_prefix('\'') else {
        let end = s.find(|c: char| !plain(c)).unwrap_or(s.len());
        return (end > 0).then(|| (s[..end].to_string(), &s[end..]));
    };
    let mut word = String::new();
    loop {
        let close = rest.find('\'')?;
        word.push_str(&rest[..close]);
        rest = &rest[close + 1..];
        match rest.strip_prefix("\\''") {
            Some(more) => {
                word.push('\'');
                rest = more;
            }
            None => return Some((word, rest)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn the_command_reads_back_from_the_request_as_proposed() {
        for words in [
            &["kubectl", "get", "pods"][..],
            &["sh", "-c", "echo it's — why: here; exit 3"],
            &["grep", "-c", "", "a b", "'", "''x'"],
            &["echo", "é 世界"],
        ] {
            let text = request_text(&argv(words), "look at the pods").unwrap();
            assert!(text.starts_with("run: "), "{text}");
            assert!(text.ends_with(" — why: look at the pods"), "{text}");
            assert_eq!(command_of(&text), Some(argv(words)), "{text}");
        }
    }

    #[test]
    fn other_requests_and_bad_commands_are_not_read_as_commands() {
        assert_eq!(command_of("restart db-2"), None);
        assert_eq!(command_of("run: kubectl get pods"), None);
        assert_eq!(command_of("run: 'unclosed — why: x"), None);
        assert!(request_text(&[], "x").is_err());
        assert!(request_text(&argv(&["echo", "a\u{1b}[2J"]), "x").is_err());
        assert!(request_text(&argv(&["echo"]), "  ").is_err());
        assert!(request_text(&argv(&["echo", &"x".repeat(2000)]), "x").is_err());
        let text = request_text(&argv(&["ls"]), "line\nbreak\u{1b}").unwrap();
        assert!(text.ends_with("why: line␤break␛"), "{text}");
    }
}

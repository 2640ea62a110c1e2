//! Themes name meanings (title, muted, alert, ...), not colours. Built-in
//! themes are the TOML files in `themes/`, embedded in the binary; a file
//! with the same name in `~/.config/incident/themes/` overrides one.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const BUILT_IN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../../themes/mono.toml")),
];

/// Every meaning a theme can style, with the meaning it falls back to.
const MEANINGS: &[(&str, Option<&str>)] = &[
    ("title", None),
    ("muted", None),
    ("alert", None),
    ("warn", Some("alert")),
    ("ok", None),
    ("author", Some("title")),
    ("sev1", Some("alert")),
    ("sev2", Some("sev1")),
    ("sev3", Some("warn")),
    ("sev4", Some("muted")),
    ("selection", None),
    ("focus", Some("title")),
    ("border", Some("muted")),
    ("highlight", Some("selection")),
];

/// Resolved styles, one per meaning.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub title: Style,
    pub muted: Style,
    pub alert: Style,
    pub warn: Style,
    pub ok: Style,
    pub author: Style,
    pub sev: [Style; 4],
    pub selection: Style,
    pub focus: Style,
    pub border: Style,
    pub highlight: Style,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underline: bool,
    #[serde(default)]
    reverse: bool,
}

/// A theme that could not be used, naming the file and the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("theme {source_name}: {problem}")]
pub struct ThemeError {
    pub source_name: String,
    pub problem: String,
}

impl Theme {
    /// No styling at all: for measuring, never shown.
    pub fn plain() -> Theme {
        let d = Style::default();
        Theme {
            name: "plain".into(),
            title: d,
            muted: d,
            alert: d,
            warn: d,
            ok: d,
            author: d,
            sev: [d; 4],
            selection: d,
            focus: d,
            border: d,
            highlight: d,
        }
    }

    /// The theme to use: `name` (from `--theme` or `INCIDENT_THEME`), a user
    /// override if present, and `NO_COLOR` stripping colour. On error the
    /// default theme is returned beside the error: a theme never stops the
    /// app from starting.
    pub fn load(name: Option<&str>, no_color: bool) -> (Theme, Option<ThemeError>) {
        let name = name.unwrap_or("default");
        let user_dir = dirs::config_dir().map(|d| d.join("incident").join("themes"));
        match Self::load_from(name, user_dir.as_deref()) {
            Ok(t) => (t.finish(no_color), None),
            Err(e) => {
                let fallback = Self::built_in("default").expect("default theme parses");
                (fallback.finish(no_color), Some(e))
            }
        }
    }

    fn finish(self, no_color: bool) -> Theme {
        if no_color {
            let mut mono = Self::built_in("mono").expect("mono theme parses");
            mono.name = format!("{} (NO_COLOR)", self.name);
            mono
        } else {
            self
        }
    }

    pub fn load_from(name: &str, user_dir: Option<&Path>) -> Result<Theme, ThemeError> {
        if let Some(dir) = user_dir {
            let path: PathBuf = dir.join(format!("{name}.toml"));
            if let Ok(text) = std::fs::read_to_string(&path) {
                return Self::parse(name, &path.display().to_string(), &text);
            }
        }
        match BUILT_IN.iter().find(|(n, _)| *n == name) {
            Some((_, text)) => Self::parse(name, &format!("{name} (built in)"), text),
            None => Err(ThemeError {
                source_name: crate::sanitize::line(name).into_owned(),
                problem: format!(
                    "no such theme; built-in themes are {}",
                    BUILT_IN
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
        }
    }

    pub fn built_in(name: &str) -> Result<Theme, ThemeError> {
        Self::load_from(name, None)
    }

    pub fn parse(name: &str, source: &str, text: &str) -> Result<Theme, ThemeError> {
        let err = |problem: String| ThemeError {
            source_name: crate::sanitize::line(source).into_owned(),
            problem,
        };
        let table: BTreeMap<String, Spec> = toml::from_str(text)
            .map_err(|e| err(e.message().to_string() + &location(text, e.span())))?;
        for key in table.keys() {
            if !MEANINGS.iter().any(|(m, _)| m == key) {
                return Err(err(format!(
                    "unknown key '{key}'; theme keys are {}",
                    MEANINGS
                        .iter()
                        .map(|(m, _)| *m)
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        let mut resolved: BTreeMap<&str, Style> = BTreeMap::new();
        for (meaning, fallback) in MEANINGS {
            let style = match table.get(*meaning) {
                Some(spec) => spec
                    .to_style()
                    .map_err(|p| err(format!("key '{meaning}': {p}")))?,
                None => fallback
                    .and_then(|f| resolved.get(f).copied())
                    .unwrap_or_default(),
            };
            resolved.insert(meaning, style);
        }
        let get = |m: &str| resolved[m];
        Ok(Theme {
            name: name.to_string(),
            title: get("title"),
            muted: get("muted"),
            alert: get("alert"),
            warn: get("warn"),
            ok: get("ok"),
            author: get("author"),
            sev: [get("sev1"), get("sev2"), get("sev3"), get("sev4")],
            selection: get("selection"),
            focus: get("focus"),
            border: get("border"),
            highlight: get("highlight"),
        })
    }

    pub fn severity(&self, sev: crate::model::Severity) -> Style {
        use crate::model::Severity::*;
        self.sev[match sev {
            Sev1 => 0,
            Sev2 => 1,
            Sev3 => 2,
            Sev4 => 3,
        }]
    }
}

fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(r) => {
            let line = text[..r.start.min(text.len())].matches('\n').count() + 1;
            format!(" (line {line})")
        }
        None => String::new(),
    }
}

impl Spec {
    fn to_style(&self) -> Result<Style, String> {
        let mut s = Style::default();
        if let Some(fg) = &self.fg {
            s = s.fg(color(fg)?);
        }
        if let Some(bg) = &self.bg {
            s = s.bg(color(bg)?);
        }
        for (on, m) in [
            (self.bold, Modifier::BOLD),
            (self.dim, Modifier::DIM),
            (self.italic, Modifier::ITALIC),
            (self.underline, Modifier::UNDERLINED),
            (self.reverse, Modifier::REVERSED),
        ] {
            if on {
                s = s.add_modifier(m);
            }
        }
        Ok(s)
    }
}

fn color(name: &str) -> Result<Color, String> {
    name.parse::<Color>().map_err(|_| {
        format!(
            "'{}' is not a colour: use a name (red, lightblue, darkgray, ...), #rrggbb or 0-255",
            crate::sanitize::line(name)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_parses() {
        for (name, _) in BUILT_IN {
            Theme::built_in(name).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn default_body_text_keeps_terminal_colour() {
        let t = Theme::built_in("default").unwrap();
        assert_eq!(t.selection.fg, None, "selection only reverses");
    }

    #[test]
    fn bad_key_and_bad_colour_are_named() {
        let e = Theme::parse("x", "x.toml", "titel = { bold = true }").unwrap_err();
        assert!(
            e.to_string().contains("x.toml") && e.to_string().contains("titel"),
            "{e}"
        );
        let e = Theme::parse("x", "x.toml", "alert = { fg = \"reddish\" }").unwrap_err();
        assert!(
            e.to_string().contains("alert") && e.to_string().contains("reddish"),
            "{e}"
        );
        let e = Theme::parse("x", "x.toml", "alert = {").unwrap_err();
        assert!(
            e.to_string().contains("x.toml") && e.to_string().contains("line 1"),
            "{e}"
        );
    }

    #[test]
    fn missing_meanings_fall_back() {
        let t = Theme::parse("x", "x", "alert = { fg = \"red\" }").unwrap();
        assert_eq!(t.sev[0], t.alert);
        assert_eq!(t.warn, t.alert);
    }

    #[test]
    fn no_color_has_no_colours() {
        let (t, err) = Theme::load(Some("default"), true);
        assert!(err.is_none());
        for s in [t.title, t.alert, t.sev[0], t.selection, t.highlight] {
            assert_eq!((s.fg, s.bg), (None, None));
        }
        assert!(t.alert.add_modifier.contains(Modifier::BOLD));
    }

    #[test]
    fn a_user_file_overrides_a_built_in() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("default.toml"),
            "title = { fg = \"magenta\" }",
        )
        .unwrap();
        let t = Theme::load_from("default", Some(dir.path())).unwrap();
        assert_eq!(t.title.fg, Some(Color::Magenta));
    }
}

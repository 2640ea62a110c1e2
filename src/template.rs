//! Document templates: which sections start with what text, and the prompt
//! each shows while empty. Teams keep theirs in the incident directory as
//! `templates/NAME.toml`; `templates/default.toml` is used when no name is
//! given, else the built-in one.
//!
//! ```toml
//! [summary]
//! prompt = "What broke, for whom, since when (one paragraph)."
//!
//! [next_steps]
//! text = "- [ ] status page updated\n- [ ] vendor contacted"
//! ```

use crate::model::Section;
use crate::ops::TemplateSection;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const DIR_NAME: &str = "templates";

/// A template that could not be used: names the file, section and fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {problem}", path.display())]
pub struct TemplateError {
    pub path: PathBuf,
    pub problem: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    #[serde(default)]
    text: String,
    prompt: Option<String>,
}

/// The built-in template: every section empty, with its default prompt.
pub fn built_in() -> Vec<TemplateSection> {
    Section::ALL
        .iter()
        .map(|s| TemplateSection {
            section: *s,
            text: String::new(),
            prompt: Some(s.default_prompt().into()),
        })
        .collect()
}

/// The template `name` from `dir/templates`, or the team's default (or the
/// built-in one) when no name is given.
pub fn load(
    dir: &Path,
    name: Option<&str>,
) -> Result<(String, Vec<TemplateSection>), TemplateError> {
    let folder = dir.join(DIR_NAME);
    match name {
        None => {
            let path = folder.join("default.toml");
            if path.is_file() {
                Ok(("default".into(), read(&path)?))
            } else {
                Ok(("built-in".into(), built_in()))
            }
        }
        Some(n) => {
            if !n
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                || n.is_empty()
            {
                return Err(TemplateError {
                    path: folder,
                    problem: format!(
                        "'{}' is not a template name: use letters, digits, - and _",
                        crate::sanitize::line(n)
                    ),
                });
            }
            let path = folder.join(format!("{n}.toml"));
            if !path.is_file() {
                let available = available(&folder);
                return Err(TemplateError {
                    path,
                    problem: format!(
                        "no such template; available: {}",
                        if available.is_empty() {
                            "none (the built-in default is used without --template)".into()
                        } else {
                            available.join(", ")
                        }
                    ),
                });
            }
            Ok((n.to_string(), read(&path)?))
        }
    }
}

fn available(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter_map(|e| {
                    e.file_name()
                        .into_string()
                        .ok()?
                        .strip_suffix(".toml")
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn read(path: &Path) -> Result<Vec<TemplateSection>, TemplateError> {
    let text = std::fs::read_to_string(path).map_err(|e| TemplateError {
        path: path.into(),
        problem: e.to_string(),
    })?;
    parse(path, &text)
}

pub fn parse(path: &Path, text: &str) -> Result<Vec<TemplateSection>, TemplateError> {
    let err = |problem: String| TemplateError {
        path: path.to_path_buf(),
        problem,
    };
    let raw: BTreeMap<String, RawSection> = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        err(format!(
            "{}{}",
            e.message().trim(),
            line.map(|l| format!(" (line {l})")).unwrap_or_default()
        ))
    })?;
    let mut out = built_in();
    for (key, sec) in raw {
        let section: Section = key
            .parse()
            .map_err(|e: crate::model::ParseError| err(format!("[{key}]: {e}")))?;
        if sec.text.len() > crate::ops::MAX_TEXT {
            return Err(err(format!(
                "[{key}] text is longer than {} bytes",
                crate::ops::MAX_TEXT
            )));
        }
        let slot = out
            .iter_mut()
            .find(|t| t.section == section)
            .expect("every section is built in");
        slot.text = crate::sanitize::text(&sec.text).into_owned();
        if let Some(p) = sec.prompt {
            slot.prompt = Some(crate::sanitize::line(&p).into_owned());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_team_template_fills_sections_and_bad_ones_are_named() {
        let p = Path::new("/d/templates/db.toml");
        let t = parse(p, "[summary]\nprompt = \"Which cluster?\"\n[next_steps]\ntext = \"- [ ] failover drill\"\n").unwrap();
        let summary = t.iter().find(|s| s.section == Section::Summary).unwrap();
        assert_eq!(summary.prompt.as_deref(), Some("Which cluster?"));
        let next = t.iter().find(|s| s.section == Section::NextSteps).unwrap();
        assert_eq!(next.text, "- [ ] failover drill");
        let e = parse(p, "[sumary]\ntext = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("/d/templates/db.toml")
                && e.contains("sumary")
                && e.contains("summary, status"),
            "{e}"
        );
        let e = parse(p, "[summary]\ntxt = \"x\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("txt") && e.contains("line"), "{e}");
    }

    #[test]
    fn missing_templates_list_what_there_is() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join(DIR_NAME)).unwrap();
        std::fs::write(d.path().join(DIR_NAME).join("database.toml"), "").unwrap();
        let e = load(d.path(), Some("db")).unwrap_err().to_string();
        assert!(e.contains("available: database"), "{e}");
        assert_eq!(load(d.path(), None).unwrap().0, "built-in");
        assert_eq!(load(d.path(), Some("database")).unwrap().0, "database");
    }
}

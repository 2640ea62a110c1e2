//! The draft post-mortem: the action log and the incident document
//! reshaped into the sections of a blameless post-mortem, as Markdown for
//! people to finish or as JSON for tools.
//!
//! Both formats render one [`PostMortem`] (`post_mortem`), built once
//! (`build`), so they never disagree about what happened. Every piece of
//! user text in it has been through [`crate::sanitize`] already: the
//! export ends up in terminals (`cat`, `jq -r`) and editors, where escape
//! sequences do harm too.

mod build;
mod escape;
pub mod json;
pub mod markdown;
mod post_mortem;

use crate::model::Incident;
pub(crate) use post_mortem::*;

/// An output format of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
}

impl std::str::FromStr for Format {
    type Err = crate::model::ParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            _ => Err(crate::model::ParseError {
                what: "format",
                given: s.to_string(),
                accepted: "markdown (md), json",
            }),
        }
    }
}

/// The draft post-mortem for `inc` in `format`. Deterministic: the same
/// incident gives byte-identical output (no current time, no hash-map order).
pub fn render(inc: &Incident, format: Format) -> String {
    let pm = PostMortem::of(inc);
    match format {
        Format::Markdown => markdown::render(&pm),
        Format::Json => json::render(&pm),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse_and_rejections_name_the_accepted_values() {
        assert_eq!("md".parse::<Format>().unwrap(), Format::Markdown);
        assert_eq!("Markdown".parse::<Format>().unwrap(), Format::Markdown);
        assert_eq!(" json ".parse::<Format>().unwrap(), Format::Json);
        let err = "pdf".parse::<Format>().unwrap_err().to_string();
        assert!(
            err.contains("pdf") && err.contains("markdown") && err.contains("json"),
            "{err}"
        );
    }
}

//! Manual pages rendered from the clap definitions, so `man incident-log`
//! says what `incident log --help` says.

use super::Cli;
use clap::CommandFactory;
use std::path::{Path, PathBuf};

/// Write `incident.1` and `incident-SUB.1` for every subcommand (nested
/// ones too: `incident-role-claim.1`) into `dir`, creating it; returns the
/// pages written, `incident.1` first.
pub fn write_pages(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    let stamp = Stamp {
        date: page_date(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref()),
        source: format!("incident {}", env!("CARGO_PKG_VERSION")),
    };
    let mut pages = Vec::new();
    write_tree(cmd, dir, &stamp, &mut pages)?;
    pages.reverse();
    Ok(pages)
}

/// What every page's title line says besides its name.
struct Stamp {
    date: String,
    source: String,
}

fn write_tree(
    cmd: clap::Command,
    dir: &Path,
    stamp: &Stamp,
    pages: &mut Vec<PathBuf>,
) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_tree(sub.clone(), dir, stamp, pages)?;
    }
    let page = clap_mangen::Man::new(cmd)
        .date(&stamp.date)
        .source(&stamp.source)
        .generate_to(dir)?;
    pages.push(page);
    Ok(())
}

/// The pages' date: that of `SOURCE_DATE_EPOCH` when the build sets it (the
/// same sources give the same pages), else today. (An empty date would
/// shift the version into its place on the title line.)
fn page_date(source_date_epoch: Option<&str>) -> String {
    let at = source_date_epoch
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .unwrap_or_else(chrono::Utc::now);
    at.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_pages_are_dated_by_source_date_epoch_when_the_build_sets_it() {
        assert_eq!(super::page_date(Some("1764547200")), "2025-12-01");
        let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
        assert_eq!(super::page_date(None), today);
        assert_eq!(super::page_date(Some("soon")), today);
    }
}

//! `incident stats`: how the team is doing across the incidents in the
//! directory: how many, how severe, and the median time to detect, to
//! acknowledge, to mitigate and to resolve (drills left out). Which incidents count is
//! decided in one place, [`Incident::counts_in_stats`].

use super::{Ctx, Failure, emit};
use crate::model::milestone::human;
use crate::model::{CloseKind, Incident, Severity};
use crate::store::Listed;
use serde::Serialize;
use std::io::Write;

#[derive(Debug, Serialize)]
struct Stats {
    /// Incidents counted.
    counted: usize,
    /// Of those, still open (not resolved).
    open: usize,
    by_severity: Vec<SeverityCount>,
    left_out: LeftOut,
    to_detect: Median,
    to_acknowledge: Median,
    to_mitigate: Median,
    to_resolve: Median,
}

#[derive(Debug, Serialize)]
struct SeverityCount {
    severity: Severity,
    incidents: usize,
}

#[derive(Debug, Default, Serialize)]
struct LeftOut {
    duplicates: usize,
    cancelled: usize,
    drills: usize,
    /// Files that could not be read (each named on standard error).
    unreadable: usize,
}

/// The median over the counted incidents where both ends are known.
#[derive(Debug, Serialize)]
struct Median {
    median_secs: Option<i64>,
    /// How many incidents it is the median of.
    incidents: usize,
}

impl Median {
    fn of(mut secs: Vec<i64>) -> Self {
        secs.sort_unstable();
        let n = secs.len();
        let median_secs = match n {
            0 => None,
            n if n % 2 == 1 => Some(secs[n / 2]),
            n => Some((secs[n / 2 - 1] + secs[n / 2]) / 2),
        };
        Median {
            median_secs,
            incidents: n,
        }
    }
}

fn stats(incidents: &[Incident], unreadable: usize) -> Stats {
    let mut left_out = LeftOut {
        unreadable,
        ..LeftOut::default()
    };
    let mut counted = Vec::new();
    for inc in incidents {
        if inc.counts_in_stats() {
            counted.push(inc);
        } else if inc.is_drill() {
            left_out.drills += 1;
        } else {
            match inc.closed.as_ref().map(|c| c.kind) {
                Some(CloseKind::Duplicate) => left_out.duplicates += 1,
                _ => left_out.cancelled += 1,
            }
        }
    }
    let durations: Vec<_> = counted.iter().map(|i| i.durations()).collect();
    let median = |pick: &dyn Fn(&crate::model::Durations) -> Option<chrono::Duration>| {
        Median::of(
            durations
                .iter()
                .filter_map(pick)
                .map(|d| d.num_seconds())
                .collect(),
        )
    };
    Stats {
        counted: counted.len(),
        open: counted.iter().filter(|i| !i.is_resolved()).count(),
        by_severity: Severity::ALL
            .iter()
            .map(|&severity| SeverityCount {
                severity,
                incidents: counted.iter().filter(|i| i.severity == severity).count(),
            })
            .collect(),
        left_out,
        to_detect: median(&|d| d.to_detect),
        to_acknowledge: median(&|d| d.to_acknowledge),
        to_mitigate: median(&|d| d.to_mitigate),
        to_resolve: median(&|d| d.to_resolve),
    }
}

fn text(s: &Stats) -> String {
    let mut out = format!(
        "{} incident{} counted, {} still open",
        s.counted,
        if s.counted == 1 { "" } else { "s" },
        s.open
    );
    let l = &s.left_out;
    let mut left = Vec::new();
    for (n, one, many) in [
        (l.duplicates, "duplicate", "duplicates"),
        (l.cancelled, "cancelled", "cancelled"),
        (l.drills, "drill", "drills"),
        (l.unreadable, "unreadable file", "unreadable files"),
    ] {
        if n > 0 {
            left.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    if !left.is_empty() {
        out.push_str(&format!(" (left out: {})", left.join(", ")));
    }
    let sev: Vec<String> = s
        .by_severity
        .iter()
        .map(|c| format!("{} {}", c.severity, c.incidents))
        .collect();
    out.push_str(&format!(
        "\nBy severity: {}\n\nMedian time",
        sev.join(" · ")
    ));
    for (label, m) in [
        ("to detect", &s.to_detect),
        ("to acknowledge", &s.to_acknowledge),
        ("to mitigate", &s.to_mitigate),
        ("to resolve", &s.to_resolve),
    ] {
        let value = m.median_secs.map_or("not known".to_string(), |secs| {
            human(chrono::Duration::seconds(secs))
        });
        let over = match m.incidents {
            0 => String::new(),
            1 => " (1 incident)".to_string(),
            n => format!(" ({n} incidents)"),
        };
        out.push_str(&format!("\n  {label:<15} {value}{over}"));
    }
    if s.to_detect.incidents == 0 && s.counted > 0 {
        out.push_str(
            "\n\nTime to detect needs when impact started: incident milestone impact_started TIME",
        );
    }
    out
}

/// `incident stats [--json]`.
pub fn run(ctx: &Ctx, out: &mut impl Write, json: bool) -> Result<(), Failure> {
    let mut unreadable = 0;
    let mut progress = super::progress::Progress::new("incidents");
    let listed = ctx
        .store
        .list_with_progress(&mut |done, total| progress.step(done, total))?;
    drop(progress);
    let incidents: Vec<Incident> = listed
        .into_iter()
        .filter_map(|l| match l {
            Listed::Ok(inc) => Some(*inc),
            Listed::Broken { error, .. } => {
                unreadable += 1;
                eprintln!(
                    "warning: left out an incident that could not be read: {}",
                    crate::sanitize::line(&error.to_string())
                );
                None
            }
        })
        .collect();
    let s = stats(&incidents, unreadable);
    if json {
        emit(out, &serde_json::to_string_pretty(&s).expect("json"))
    } else {
        emit(out, &text(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::Median;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(Median::of(vec![]).median_secs, None);
        assert_eq!(Median::of(vec![300, 60, 120]).median_secs, Some(120));
        assert_eq!(Median::of(vec![60, 120, 300, 600]).median_secs, Some(210));
    }
}

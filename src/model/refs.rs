//! The words people type for durations and for numbered things in an
//! incident, parsed one way for the command line (clap's value parsers)
//! and the command bar alike: `incident mitigation start 3` and `:start 3`,
//! `incident break 90s` and `:break 90s`.

use std::str::FromStr;

/// A number of minutes from "15m", "20min", "1h", "1.5h", "90s" (rounded
/// up to whole minutes) or a plain number of minutes: 1 to 1440.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Minutes(pub u32);

impl FromStr for Minutes {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim().to_ascii_lowercase();
        let bad = || {
            format!(
                "'{}' is not a duration: use 15m, 1h, 90s or a number of minutes",
                crate::sanitize::line(s)
            )
        };
        let (num, mult) = if let Some(n) = t.strip_suffix('h') {
            (n, 60.0)
        } else if let Some(n) = t.strip_suffix("min").or_else(|| t.strip_suffix('m')) {
            (n, 1.0)
        } else if let Some(n) = t.strip_suffix('s') {
            (n, 1.0 / 60.0)
        } else {
            (t.as_str(), 1.0)
        };
        let v: f64 = num.trim().parse().map_err(|_| bad())?;
        if !v.is_finite() {
            return Err(bad());
        }
        let minutes = (v * mult).ceil();
        if !(1.0..=1440.0).contains(&minutes) {
            return Err(bad());
        }
        Ok(Minutes(minutes as u32))
    }
}

/// `word` as the number after `prefix` ("M3", "m3"), or a bare number;
/// numbers start at 1.
fn numbered(word: &str, prefix: char) -> Option<u64> {
    let t = word.trim();
    let digits = t
        .strip_prefix(prefix)
        .or_else(|| t.strip_prefix(prefix.to_ascii_lowercase()))
        .unwrap_or(t);
    digits.parse::<u64>().ok().filter(|n| *n > 0)
}

macro_rules! numbered_ref {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u64);

        impl FromStr for $name {
            type Err = String;

            fn from_str(s: &str) -> Result<Self, String> {
                numbered(s, $prefix).map($name).ok_or_else(|| {
                    format!(
                        concat!("'{}' is not ", $what, ": use ", $prefix, "3 (or 3)"),
                        crate::sanitize::line(s)
                    )
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!($prefix, "{}"), self.0)
            }
        }
    };
}

numbered_ref!(
    /// A mitigation: `M3` or `3`.
    MitigationRef, 'M', "a mitigation"
);
numbered_ref!(
    /// An investigation task: `T2` or `2`.
    TaskRef, 'T', "a task"
);
numbered_ref!(
    /// A request for the commander's go: `R3` or `3`.
    RequestRef, 'R', "a request"
);
numbered_ref!(
    /// An assumption: `A2` or `2`.
    AssumptionRef, 'A', "an assumption"
);
numbered_ref!(
    /// An entry of the action log: `#42` or `42`.
    EntryRef, '#', "a log entry"
);

numbered_ref!(
    /// A follow-up (action item): `F2` or `2`.
    FollowupRef, 'F', "a follow-up"
);

/// A mitigation or a task, where a command takes either (`:done M3`,
/// `:done T2`): the letter says which; a bare number is a mitigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkRef {
    Mitigation(u64),
    Task(u64),
    Followup(u64),
}

impl FromStr for WorkRef {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        if t.starts_with(['T', 't']) {
            return t.parse::<TaskRef>().map(|r| WorkRef::Task(r.0));
        }
        if t.starts_with(['F', 'f']) {
            return t.parse::<FollowupRef>().map(|r| WorkRef::Followup(r.0));
        }
        t.parse::<MitigationRef>()
            .map(|r| WorkRef::Mitigation(r.0))
            .map_err(|_| {
                format!(
                    "'{}' is not a mitigation, task or follow-up: use M3, T2 or F1",
                    crate::sanitize::line(s)
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_the_same_everywhere() {
        for (s, m) in [
            ("15m", 15),
            ("20min", 20),
            ("1h", 60),
            ("1.5h", 90),
            ("90s", 2),
            ("30", 30),
            (" 2H ", 120),
        ] {
            assert_eq!(s.parse::<Minutes>(), Ok(Minutes(m)), "{s}");
        }
        for bad in ["", "0", "0m", "soon", "25h", "-5", "NaNm", "infh"] {
            let e = bad.parse::<Minutes>().unwrap_err();
            assert!(e.contains("is not a duration"), "{bad}: {e}");
        }
    }

    #[test]
    fn references_take_their_letter_or_a_bare_number() {
        assert_eq!("M3".parse(), Ok(MitigationRef(3)));
        assert_eq!("m3".parse(), Ok(MitigationRef(3)));
        assert_eq!("3".parse(), Ok(MitigationRef(3)));
        assert_eq!("R12".parse(), Ok(RequestRef(12)));
        assert_eq!("#42".parse(), Ok(EntryRef(42)));
        assert_eq!("a2".parse(), Ok(AssumptionRef(2)));
        assert_eq!("T2".parse(), Ok(TaskRef(2)));
        assert_eq!(
            "M0".parse::<MitigationRef>().unwrap_err(),
            "'M0' is not a mitigation: use M3 (or 3)"
        );
        assert!("T3".parse::<MitigationRef>().is_err());
        assert!("#x".parse::<EntryRef>().is_err());
        assert_eq!(EntryRef(7).to_string(), "#7");
        assert_eq!("T2".parse(), Ok(WorkRef::Task(2)));
        assert_eq!("M3".parse(), Ok(WorkRef::Mitigation(3)));
        assert_eq!("3".parse(), Ok(WorkRef::Mitigation(3)));
        assert!("X3".parse::<WorkRef>().is_err());
        assert_eq!("F1".parse(), Ok(WorkRef::Followup(1)));
    }
}

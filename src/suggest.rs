//! "Did you mean": the closest of the accepted words to one mistyped, by
//! edit distance (adjacent swaps count once, so `stauts` is one away from
//! `status`). Close enough means one edit, or two in a long word: `restore`
//! is a word of its own, not a typo of `restart`.

/// The candidate closest to `word`, if one is close enough and not `word`
/// itself (case aside).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    let limit = if w.chars().count() <= 8 { 1 } else { 2 };
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&w, &c.to_lowercase()), c))
        .filter(|(d, _)| *d > 0 && *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn near_misses_are_found_and_far_ones_are_not() {
        let words = ["status", "sev", "start", "claim", "rollback", "restart"];
        assert_eq!(closest("stauts", words), Some("status"));
        assert_eq!(closest("statsu", words), Some("status"));
        assert_eq!(closest("rolback", words), Some("rollback"));
        assert_eq!(closest("clam", words), Some("claim"));
        assert_eq!(
            closest("status", words),
            None,
            "an exact word is no mistake"
        );
        assert_eq!(closest("frobnicate", words), None);
        assert_eq!(closest("xy", words), None);
        assert_eq!(closest("restore", words), None, "a word of its own");
        assert_eq!(closest("failovr", ["failover"]), Some("failover"));
        assert_eq!(
            closest("freeze_deplys", ["freeze_deploys"]),
            Some("freeze_deploys")
        );
    }
}

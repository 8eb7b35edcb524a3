//! "Did you mean": the closest of some names to a name that is not there, for missing
//! variables, unknown ones and names in manifests.

/// The candidate closest to `name`, when one is near enough to be a typo of it.
///
/// Near enough: case-insensitively equal, or within an edit distance (Damerau-Levenshtein:
/// a swap of two neighbours counts once) of 1 for names up to 4 characters, 2 up to 12, and 3
/// above. `ULTRAVOX_APIKEY` is near `ULTRAVOX_API_KEY`; `PORT` is not near `HOST`. The first
/// of equally close candidates wins.
pub fn closest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = match name.chars().count() {
        0..=4 => 1,
        5..=12 => 2,
        _ => 3,
    };
    let upper = name.to_uppercase();
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| {
            let distance = strsim::damerau_levenshtein(&upper, &candidate.to_uppercase());
            (distance, candidate)
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn typos_are_near_and_other_names_are_not() {
        let names = ["ULTRAVOX_API_KEY", "PORT", "HOST", "DATABASE_URL"];
        let near = |name| closest(name, names.iter().copied());
        assert_eq!(near("ULTRAVOX_APIKEY"), Some("ULTRAVOX_API_KEY"));
        assert_eq!(near("ultravox_api_key"), Some("ULTRAVOX_API_KEY"));
        assert_eq!(near("DATABSE_URL"), Some("DATABASE_URL"));
        assert_eq!(near("POTR"), Some("PORT"));
        assert_eq!(near("PORT"), None, "a name is not its own suggestion");
        assert_eq!(near("SHELL"), None);
        assert_eq!(
            near("PATH"),
            None,
            "PATH is 2 edits from PORT: too far for 4 letters"
        );
        assert_eq!(near(""), None);
    }
}

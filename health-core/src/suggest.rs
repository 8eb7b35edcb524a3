//! "Did you mean": the closest of some names to a name that is not there, for missing
//! variables, unknown ones and names in manifests.

/// The candidate closest to `name`, when one is near enough to be a typo of it.
///
/// Near enough: case-insensitively equal, or within an edit distance (Damerau-Levenshtein:
/// a swap of two neighbours counts once) of 1 for names up to 4 characters, 2 up to 12, and 3
/// above. `ULTRAVOX_APIKEY` is near `ULTRAVOX_API_KEY`; `PORT` is not near `HOST`. Of equally
/// close candidates, the first in byte order wins, whatever order they come in.
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
        // Ties go to the first name in byte order, so the answer never depends on the order
        // a source lists its names in (a `HashMap`'s differs from run to run).
        .min_by_key(|&(distance, candidate)| (distance, candidate))
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
        // A tie is settled by name, not by the order of the candidates.
        for order in [["APP_PORX", "APP_PORY"], ["APP_PORY", "APP_PORX"]] {
            assert_eq!(closest("APP_PORT", order), Some("APP_PORX"));
        }
    }
}

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
            let distance = distance(&upper, &candidate.to_uppercase());
            (distance, candidate)
        })
        .filter(|(distance, _)| *distance <= limit)
        // Ties go to the first name in byte order, so the answer never depends on the order
        // a source lists its names in (a `HashMap`'s differs from run to run).
        .min_by_key(|&(distance, candidate)| (distance, candidate))
        .map(|(_, candidate)| candidate)
}

/// The Damerau-Levenshtein distance between `a` and `b`, in characters: insertions,
/// deletions, substitutions and swaps of neighbours each count one, and swapped characters
/// may be edited further (Lowrance and Wagner's algorithm). The same as strsim's
/// `damerau_levenshtein`, which the tests compare it with; written here because linking that
/// whole crate (14 public functions) added 0.3 MB to every config-only debug build's link.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // `d[(i + 1) * width + j + 1]` is the distance between `a[..i]` and `b[..j]`; row and
    // column 0 stand for "farther than any edit".
    let width = b.len() + 2;
    let far = a.len() + b.len();
    let mut d = vec![far; (a.len() + 2) * width];
    for i in 0..=a.len() {
        d[(i + 1) * width + 1] = i;
    }
    for j in 0..=b.len() {
        d[width + j + 1] = j;
    }
    // The last row (from 1) where each character of `a` was seen.
    let mut last_row: Vec<(char, usize)> = Vec::new();
    for i in 1..=a.len() {
        let mut last_match = 0;
        for j in 1..=b.len() {
            let k = last_row
                .iter()
                .find(|(c, _)| *c == b[j - 1])
                .map_or(0, |&(_, row)| row);
            let l = last_match;
            let cost = if a[i - 1] == b[j - 1] {
                last_match = j;
                0
            } else {
                1
            };
            d[(i + 1) * width + j + 1] = (d[i * width + j] + cost)
                .min(d[(i + 1) * width + j] + 1)
                .min(d[i * width + j + 1] + 1)
                .min(d[k * width + l] + (i - k - 1) + 1 + (j - l - 1));
        }
        match last_row.iter_mut().find(|(c, _)| *c == a[i - 1]) {
            Some(seen) => seen.1 = i,
            None => last_row.push((a[i - 1], i)),
        }
    }
    d[(a.len() + 1) * width + b.len() + 1]
}

#[cfg(test)]
mod tests {
    use super::{closest, distance};

    #[test]
    fn the_distance_is_strsims_on_every_short_pair() {
        // Every pair of strings of up to 4 characters over 4 letters (one outside ASCII):
        // swaps, repeats and edits across swaps all occur.
        let letters = ['A', 'B', '_', 'É'];
        let mut words = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|w| letters.iter().map(move |c| format!("{w}{c}")))
                .collect();
            words.extend(last.iter().cloned());
        }
        for a in &words {
            for b in &words {
                assert_eq!(
                    distance(a, b),
                    strsim::damerau_levenshtein(a, b),
                    "{a:?} {b:?}"
                );
            }
        }
        for (a, b) in [
            ("ULTRAVOX_APIKEY", "ULTRAVOX_API_KEY"),
            ("CA", "ABC"),
            ("DATABSE_URL", "DATABASE_URL"),
            ("", "PORT"),
        ] {
            assert_eq!(distance(a, b), strsim::damerau_levenshtein(a, b), "{a} {b}");
        }
    }

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

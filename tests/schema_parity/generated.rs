//! Generated values: every integer type's bounds, every duration fraction of up to three
//! digits, and random texts over each rule's alphabet.

/// Every integer type's bounds, as `str::parse` might be given them.
pub(super) fn integer_bounds() -> Vec<(&'static str, Vec<String>)> {
    let around = |min: i128, max: u128| {
        let mut values = Vec::new();
        let max_plus = max.checked_add(1).map_or_else(
            || "340282366920938463463374607431768211456".to_owned(),
            |m| m.to_string(),
        );
        let max = max.to_string();
        values.extend([
            max.clone(),
            format!("+{max}"),
            format!("000{max}"),
            max_plus.clone(),
            format!("0{max_plus}"),
        ]);
        if min < 0 {
            let below = min.checked_sub(1).map_or_else(
                || "-170141183460469231731687303715884105729".to_owned(),
                |m| m.to_string(),
            );
            values.extend([
                min.to_string(),
                format!("-000{}", min.unsigned_abs()),
                below,
                (min + 1).to_string(),
            ]);
        }
        values
    };
    vec![
        ("P_TINY", around(0, u8::MAX.into())),
        ("P_SMALL", around(i8::MIN.into(), i8::MAX as u128)),
        ("P_PORT", around(0, u16::MAX.into())),
        ("P_COUNT", around(0, u64::MAX.into())),
        ("P_OFFSET", around(i64::MIN.into(), i64::MAX as u128)),
        ("P_HUGE", around(i128::MIN, i128::MAX as u128)),
        ("P_WHOLE", around(0, u128::MAX)),
        ("P_SIZE", around(0, usize::MAX as u128)),
    ]
}

/// Every unit, with every fraction of one to three digits, and longer ones for the units
/// whose precision depends on more digits.
pub(super) fn fractions() -> Vec<String> {
    let units = ["ns", "us", "ms", "s", "m", "h", "d", "w", "M", "y"];
    let mut out = Vec::new();
    for unit in units {
        for digits in 1..=3u32 {
            for n in 0..10u32.pow(digits) {
                out.push(format!("0.{n:0width$}{unit}", width = digits as usize));
            }
        }
    }
    let mut random = Lcg(7);
    for unit in ["m", "h", "d", "w", "M", "y"] {
        for digits in 4..=13u32 {
            for _ in 0..40 {
                let mut fraction = String::new();
                for _ in 0..digits {
                    // Mostly zeros and fives, so that exact fractions come up.
                    let digit = *random.pick(&['0', '0', '0', '5', '5', '2', '1', '7', '8', '9']);
                    fraction.push(digit);
                }
                out.push(format!("{}.{fraction}{unit}", random.below(3)));
            }
        }
    }
    out
}

/// A small deterministic generator, so that a failure is the same on every run.
pub(super) struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Random texts over each rule's alphabet.
pub(super) fn random_values() -> Vec<(&'static str, Vec<String>)> {
    const SPACE: &[&str] = &[" ", "\t", "\n", "\u{a0}", "\u{3000}"];
    let alphabets: [(&str, &[&str], usize); 12] = [
        (
            "P_FLAG",
            &["t", "r", "u", "e", "O", "N", "f", "1", "0", "y", "s", "x"],
            4,
        ),
        (
            "P_WAIT",
            &[
                "0", "1", "5", "9", ".", "s", "m", "h", "M", "n", "u", "µ", "e", "c", "y", "d",
            ],
            7,
        ),
        ("P_SMALL", &["0", "1", "2", "8", "9", "+", "-"], 4),
        ("P_TINY", &["0", "1", "2", "5", "6", "+", "-"], 4),
        ("P_PORT", &["0", "6", "5", "3", "9", "+"], 6),
        (
            "P_RATIO",
            &["0", "1", ".", "e", "E", "+", "-", "i", "n", "f", "a"],
            6,
        ),
        ("P_PORTS", &["1", "7", "0", ",", "+", "-", "9"], 8),
        ("P_WAITS", &["1", "0", ".", "5", "s", "m", ";", "h"], 8),
        ("P_FLAGS", &["1", "0", "o", "n", "f", "y", "e", "s"], 8),
        ("P_NAMES", &[":", "a", "b", ":"], 7),
        ("P_DELTAS", &["1", "0", "-", "+", "9"], 6),
        ("P_ITEMS", &["a", "b", "c", ","], 6),
    ];
    let mut random = Lcg(42);
    alphabets
        .iter()
        .map(|(name, alphabet, max)| {
            let values = (0..250)
                .map(|_| {
                    let len = random.below(max + 1);
                    (0..len)
                        .map(|_| {
                            if random.below(6) == 0 {
                                *random.pick(SPACE)
                            } else {
                                *random.pick(alphabet)
                            }
                        })
                        .collect()
                })
                .collect();
            (*name, values)
        })
        .collect()
}

//! The failure codes a circuit breaker has seen, each kept once: a failure stores a small
//! index in an atomic instead of a `Code`, so recording one allocates nothing.

use std::sync::OnceLock;

use crate::status::Code;

/// Distinct codes kept per breaker. A code seen after the table is full is shown as `error`.
pub(crate) const CAPACITY: usize = 32;

/// The index stored for "no failure yet".
pub(crate) const NONE: u8 = 0;

/// The index of a code that found the table full.
const OVERFLOW: u8 = CAPACITY as u8 + 1;

/// Codes interned on first sight; slots fill in order and are never replaced.
pub(crate) struct Codes {
    slots: [OnceLock<Code>; CAPACITY],
}

impl Codes {
    pub(crate) fn new() -> Codes {
        Codes {
            slots: std::array::from_fn(|_| OnceLock::new()),
        }
    }

    /// The index of `code` (1-based), interning it on first sight: a scan of the codes seen
    /// so far, and one clone of the code the first time only.
    pub(crate) fn index(&self, code: &Code) -> u8 {
        for (i, slot) in self.slots.iter().enumerate() {
            // Another thread may fill the slot first: then it is compared like the others.
            let seen = slot.get_or_init(|| code.clone());
            if seen.as_str() == code.as_str() {
                return i as u8 + 1;
            }
        }
        OVERFLOW
    }

    /// The code stored as `index`; `None` for [`NONE`].
    pub(crate) fn get(&self, index: u8) -> Option<Code> {
        match index {
            NONE => None,
            OVERFLOW => Some(Code::ERROR),
            i => self.slots[usize::from(i) - 1].get().cloned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_kept_once() {
        let codes = Codes::new();
        let timeout = codes.index(&Code::TIMEOUT);
        assert_eq!(codes.index(&Code::new("db_locked")), timeout + 1);
        assert_eq!(codes.index(&Code::TIMEOUT), timeout);
        assert_eq!(codes.get(timeout), Some(Code::TIMEOUT));
        assert_eq!(codes.get(NONE), None);
    }

    #[test]
    fn a_full_table_shows_error() {
        let codes = Codes::new();
        for i in 0..CAPACITY {
            codes.index(&Code::new(format!("code_{i}")));
        }
        let late = codes.index(&Code::new("one_too_many"));
        assert_eq!(codes.get(late), Some(Code::ERROR));
        assert_eq!(
            codes.get(codes.index(&Code::new("code_0"))).unwrap(),
            "code_0"
        );
    }
}

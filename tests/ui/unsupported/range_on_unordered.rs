use health::ReadinessContract;

/// A type with `FromStr` and no order.
struct Mode(String);

impl std::str::FromStr for Mode {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Mode, Self::Err> {
        Ok(Mode(s.to_owned()))
    }
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(range = "a"..="m")]
    mode: Mode,
}

fn main() {}

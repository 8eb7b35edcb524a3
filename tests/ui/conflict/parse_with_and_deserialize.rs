use health::ReadinessContract;

fn parse_level(s: &str) -> Result<u8, String> {
    s.parse().map_err(|_| "bad level".to_owned())
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(parse_with = parse_level, deserialize)]
    level: u8,
}

fn main() {}

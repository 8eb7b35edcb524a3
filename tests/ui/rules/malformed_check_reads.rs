use health::ReadinessContract;

fn pair(cert: &str, key: &str) -> bool {
    cert.len() == key.len()
}

// One error, at the token that breaks `reads(..)`: the rest of the parentheses adds none.
#[derive(ReadinessContract)]
#[contract(check(pair, reads(cert key)))]
struct Config {
    cert: Option<String>,
    key: Option<String>,
}

fn main() {}

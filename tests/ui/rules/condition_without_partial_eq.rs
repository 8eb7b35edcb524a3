use health::ReadinessContract;

#[derive(Debug)]
struct Mode;

impl std::str::FromStr for Mode {
    type Err = String;
    fn from_str(_: &str) -> Result<Mode, String> {
        Ok(Mode)
    }
}

#[derive(ReadinessContract)]
#[contract(required_if(mode == "tls", cert))]
struct Config {
    mode: Mode,
    cert: Option<String>,
}

fn main() {}

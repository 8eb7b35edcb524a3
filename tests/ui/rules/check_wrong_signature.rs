use health::ReadinessContract;

fn pair(cert: &str) -> Result<(), String> {
    let _ = cert;
    Ok(())
}

#[derive(ReadinessContract)]
#[contract(check(pair, reads(cert, key)))]
struct Config {
    cert: Option<String>,
    key: Option<String>,
}

fn main() {}

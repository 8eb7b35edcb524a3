use health::ReadinessContract;

use std::time::Duration;

#[derive(ReadinessContract)]
struct Config {
    #[contract(default = "2 parsecs")]
    timeout: Duration,
}

fn main() {}

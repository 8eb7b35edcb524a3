use health::ReadinessContract;

use std::time::Duration;

#[derive(ReadinessContract)]
struct Config {
    #[contract(default = 8000)]
    timeout: Duration,
}

fn main() {}

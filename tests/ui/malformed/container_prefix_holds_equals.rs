use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(prefix = "APP=")]
struct Config {
    token: String,
}

fn main() {}

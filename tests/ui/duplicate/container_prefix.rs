use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(prefix = "APP_", prefix = "SVC_")]
struct Config {
    token: String,
}

fn main() {}

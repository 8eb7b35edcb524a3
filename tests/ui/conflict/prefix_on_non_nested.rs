use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(prefix = "APP_")]
    token: String,
}

fn main() {}

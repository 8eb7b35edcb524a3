use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(secret = true)]
    token: String,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract]
    token: String,
}

fn main() {}

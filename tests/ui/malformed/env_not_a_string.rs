use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(env = 5)]
    token: String,
}

fn main() {}

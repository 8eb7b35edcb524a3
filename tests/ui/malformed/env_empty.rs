use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(env = "")]
    token: String,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(env = "API=TOKEN")]
    token: String,
}

fn main() {}

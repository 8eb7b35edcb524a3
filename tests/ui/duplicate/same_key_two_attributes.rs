use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(env = "API_TOKEN")]
    #[contract(env = "TOKEN")]
    token: String,
}

fn main() {}

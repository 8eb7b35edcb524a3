use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(deserialize)]
    mode: String,
}

fn main() {}

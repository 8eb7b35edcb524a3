use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(deprecated = "going away")]
    retries: u32,
}

fn main() {}

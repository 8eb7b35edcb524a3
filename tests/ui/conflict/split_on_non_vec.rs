use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(split = ",")]
    origins: String,
}

fn main() {}

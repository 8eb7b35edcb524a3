use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(one_of = [])]
    level: String,
}

fn main() {}

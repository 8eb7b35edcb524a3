use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(one_of = ["debug", "info", "debug"])]
    level: String,
}

fn main() {}

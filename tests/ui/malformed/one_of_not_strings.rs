use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(one_of = ["debug", info, 3])]
    level: String,
    #[contract(one_of = "debug")]
    mode: String,
}

fn main() {}

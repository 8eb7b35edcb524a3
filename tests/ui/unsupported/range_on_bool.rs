use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(range = 0..=1)]
    debug: bool,
}

fn main() {}

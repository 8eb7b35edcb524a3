use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(validate = 5)]
    workers: u32,
}

fn main() {}

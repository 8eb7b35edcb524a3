use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(range = 1..=10, range = 1..=20)]
    port: u16,
}

fn main() {}

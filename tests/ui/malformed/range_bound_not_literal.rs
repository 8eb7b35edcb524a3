use health::ReadinessContract;

const MAX: u16 = 1024;

#[derive(ReadinessContract)]
struct Config {
    #[contract(range = 1..=MAX)]
    port: u16,
}

fn main() {}

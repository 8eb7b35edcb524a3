use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(range = ..)]
    port: u16,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(range = 65535)]
    port: u16,
}

fn main() {}

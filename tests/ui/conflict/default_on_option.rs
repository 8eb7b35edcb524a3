use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(default = 8000)]
    port: Option<u16>,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(default = "70000")]
    port: u16,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(prefix = "APP_", deny_unknown = true)]
struct Config {
    port: u16,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(requires(host => port))]
struct Config {
    host: String,
    port: Option<u16>,
}

fn main() {}

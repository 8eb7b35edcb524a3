use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config;

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config(String, u16);

fn main() {}

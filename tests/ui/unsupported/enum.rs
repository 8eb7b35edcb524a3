use health::ReadinessContract;

#[derive(ReadinessContract)]
enum Config {
    A,
    B,
}

fn main() {}

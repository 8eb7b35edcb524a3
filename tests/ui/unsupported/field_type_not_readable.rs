use health::ReadinessContract;

struct Opaque;

#[derive(ReadinessContract)]
struct Config {
    opaque: Opaque,
}

fn main() {}

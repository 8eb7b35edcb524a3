use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config<T> {
    value: T,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(whatever = "x")]
    token: String,
}

fn main() {}

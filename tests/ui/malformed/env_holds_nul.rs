use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(env = "A\0B")]
    token: String,
}

fn main() {}

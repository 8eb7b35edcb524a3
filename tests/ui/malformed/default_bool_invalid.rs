use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(default = "maybe")]
    verbose: bool,
}

fn main() {}

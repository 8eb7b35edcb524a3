use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(one_off = ["a", "b"], ranges = 1..=2, aliases = "OLD")]
    level: String,
}

fn main() {}

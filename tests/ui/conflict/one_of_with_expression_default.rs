use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(one_of = ["debug", "info"], default = String::from("info"))]
    level: String,
}

fn main() {}

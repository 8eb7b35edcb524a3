use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(secert)]
    token: String,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(env = 5, secert)]
    token: String,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(secret, secret)]
    token: String,
}

fn main() {}

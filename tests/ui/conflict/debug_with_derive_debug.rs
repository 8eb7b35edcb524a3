use health::ReadinessContract;

#[derive(Debug, ReadinessContract)]
#[contract(debug)]
struct Config {
    #[contract(secret)]
    token: String,
}

fn main() {}

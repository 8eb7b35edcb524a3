use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(debug = true)]
struct Config {
    #[contract(secret)]
    token: String,
}

fn main() {}

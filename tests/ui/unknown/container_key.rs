use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(prefx = "APP_")]
struct Config {
    token: String,
}

fn main() {}

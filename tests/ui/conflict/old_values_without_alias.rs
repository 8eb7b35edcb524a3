use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(old_values("prod" => "production"))]
    mode: String,
}

fn main() {}

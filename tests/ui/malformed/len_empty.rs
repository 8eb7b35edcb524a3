use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(len = 64..=1)]
    name: String,
    #[contract(len = 3..3)]
    tags: Vec<String>,
    #[contract(len = ..0)]
    code: String,
}

fn main() {}

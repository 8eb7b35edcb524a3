use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(len = 1..=4, default = "too long")]
    code: String,
    #[contract(len = 2.., default = "a")]
    tags: Vec<String>,
    #[contract(len = 1.., default = String::new())]
    name: String,
}

fn main() {}

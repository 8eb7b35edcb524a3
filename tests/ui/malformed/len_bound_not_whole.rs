use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(len = 0.5..=8)]
    name: String,
    #[contract(len = "1"..)]
    code: String,
    #[contract(len = -1..)]
    tag: String,
}

fn main() {}

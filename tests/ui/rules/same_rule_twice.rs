use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(requires(a => b))]
#[contract(requires(a => b))]
struct Config {
    a: Option<String>,
    b: Option<String>,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(at_most_one_of(url))]
struct Config {
    url: Option<String>,
}

fn main() {}

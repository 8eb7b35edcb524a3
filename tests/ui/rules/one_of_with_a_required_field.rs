use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(exactly_one_of(url, host))]
struct Config {
    url: Option<String>,
    host: String,
}

fn main() {}

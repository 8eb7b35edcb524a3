use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(exactly_one_of(url, host, url))]
struct Config {
    url: Option<String>,
    host: Option<String>,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(required_if(tls == "yes", cert))]
struct Config {
    #[contract(default = false)]
    tls: bool,
    cert: Option<String>,
}

fn main() {}

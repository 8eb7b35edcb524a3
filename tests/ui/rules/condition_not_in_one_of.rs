use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(required_if(mode == "mtls", cert))]
struct Config {
    #[contract(default = "plain", one_of = ["plain", "tls"])]
    mode: String,
    cert: Option<String>,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(requires(tls_cert => tls_key))]
struct Config {
    tls_cert: Option<String>,
    tls_key: String,
}

fn main() {}

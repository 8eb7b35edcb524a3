use health::ReadinessContract;

#[derive(ReadinessContract)]
#[contract(requires(tls_cert => tls_kye))]
struct Config {
    tls_cert: Option<String>,
    tls_key: Option<String>,
}

fn main() {}

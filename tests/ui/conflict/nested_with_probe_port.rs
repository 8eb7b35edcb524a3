use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Http {
    #[contract(default = 8080)]
    port: u16,
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(nested, probe_port)]
    http: Http,
}

fn main() {}

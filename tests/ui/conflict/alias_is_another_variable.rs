use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(alias = "HOST")]
    hostname: String,
    host: String,
    #[contract(alias = "OLD_PORT")]
    port: u16,
    #[contract(alias = "OLD_PORT")]
    admin_port: u16,
}

fn main() {}

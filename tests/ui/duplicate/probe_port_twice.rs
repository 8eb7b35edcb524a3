use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(probe_port, default = 8080)]
    port: u16,
    #[contract(probe_port, default = 9090)]
    admin_port: u16,
}

fn main() {}

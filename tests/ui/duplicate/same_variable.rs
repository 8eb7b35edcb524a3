use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    port: u16,
    #[contract(env = "PORT")]
    listen_port: u16,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(alias = "HTTP_PORT", alias = "HTTP_PORT")]
    port: u16,
}

fn main() {}

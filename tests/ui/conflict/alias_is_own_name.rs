use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(alias = "PORT")]
    port: u16,
    #[contract(env = "API_KEY", alias = "API_KEY")]
    key: String,
}

fn main() {}

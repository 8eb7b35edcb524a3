use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(alias = "")]
    port: u16,
    #[contract(alias = "OLD=NAME")]
    host: String,
}

fn main() {}

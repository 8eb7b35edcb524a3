use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(one_of = ["debug", "info"], default = "trace")]
    level: String,
    #[contract(one_of = ["80", "443"], default = 8080)]
    port: u16,
    #[contract(one_of = ["a", "b"], default = "a, c")]
    modes: Vec<String>,
}

fn main() {}

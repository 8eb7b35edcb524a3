use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(secert)]
    token: String,
    #[contract(default = "70000")]
    port: u16,
    #[contract(env = "")]
    name: String,
}

fn main() {}

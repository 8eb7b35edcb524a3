use health::ReadinessContract;

fn half(v: &u16) -> u16 {
    *v / 2
}

#[derive(ReadinessContract)]
struct Config {
    name: String,
    #[contract(default_from(half(name)))]
    port: u16,
}

fn main() {}

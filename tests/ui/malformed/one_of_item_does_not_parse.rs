use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(one_of = ["80", "eighty", "443"])]
    port: u16,
}

fn main() {}

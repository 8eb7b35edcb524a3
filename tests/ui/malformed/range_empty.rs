use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(range = 10..=1)]
    port: u16,
    #[contract(range = 5..5)]
    workers: u32,
    #[contract(range = "1h".."1s")]
    timeout: std::time::Duration,
}

fn main() {}

use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(len = 1..=5)]
    port: u16,
    #[contract(len = 1..)]
    ratio: Option<f64>,
    #[contract(len = 1..)]
    timeout: std::time::Duration,
}

fn main() {}

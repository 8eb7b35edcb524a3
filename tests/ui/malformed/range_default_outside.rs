use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(default = 80, range = 1024..)]
    port: u16,
    #[contract(default = "2h", range = "1s"..="1h")]
    timeout: std::time::Duration,
    #[contract(range = 0.0..1.0, default = 1.0)]
    ratio: f64,
    #[contract(split = ",", default = "80,70000", range = 1..=1024)]
    ports: Vec<u32>,
}

fn main() {}

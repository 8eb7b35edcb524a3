use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(range = 1..=60)]
    timeout: std::time::Duration,
    #[contract(range = "1s"..="1 hour and a bit")]
    grace: std::time::Duration,
}

fn main() {}

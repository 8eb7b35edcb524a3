use health::ReadinessContract;

#[derive(ReadinessContract)]
struct Config {
    #[contract(range = 1..=70000)]
    port: u16,
    #[contract(range = -1..)]
    count: u8,
    #[contract(range = 0.5..)]
    workers: u32,
}

fn main() {}

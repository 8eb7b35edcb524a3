use health::ReadinessContract;

fn non_zero(v: u32) -> bool {
    v != 0
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(validate = non_zero)]
    max_calls: u32,
}

fn main() {}

use health::ReadinessContract;

fn non_zero(v: &u32) -> Option<String> {
    (*v == 0).then(|| "zero".to_owned())
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(validate = non_zero)]
    max_calls: u32,
}

fn main() {}

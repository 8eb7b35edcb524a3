use health::ReadinessContract;

fn same(v: &u16) -> u16 {
    *v
}

#[derive(ReadinessContract)]
struct Config {
    #[contract(default_from(same(b)))]
    a: u16,
    b: u16,
}

fn main() {}
